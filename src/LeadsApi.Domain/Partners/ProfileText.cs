using System.Text;

namespace LeadsApi.Domain.Partners;

/// <summary>
/// How the text of a profile is normalized before it is stored and compared: keywords and industries are matched
/// against a customer's words, so "Microsoft  365" and " microsoft 365" must be one keyword.
/// </summary>
public static class ProfileText
{
    /// <summary>Trimmed, lower-cased (invariant), every run of white space inside made one space.</summary>
    public static string Term(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    /// <summary>Each term normalized, blanks dropped, each kept once, in the order first given.</summary>
    public static IReadOnlyList<string> Terms(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return [.. texts.Select(Term).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// A BCP 47 tag in its conventional case (RFC 5646, 2.1.1): language lower case, script title case, region upper
    /// case, the rest lower case: "PT-pt" is "pt-PT", "zh-hant-tw" is "zh-Hant-TW". The shape is checked at the edge.
    /// </summary>
    public static string LanguageTag(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        var subtags = tag.Trim().Split('-');
        for (var i = 0; i < subtags.Length; i++)
        {
            var subtag = subtags[i].ToLowerInvariant();
            subtags[i] = i == 0 ? subtag
                : subtag.Length == 4 && char.IsAsciiLetter(subtag[0]) && i == 1 ? char.ToUpperInvariant(subtag[0]) + subtag[1..]
                : subtag.Length == 2 && char.IsAsciiLetter(subtag[0]) ? subtag.ToUpperInvariant()
                : subtag;
        }

        return string.Join('-', subtags);
    }

    /// <summary>Each tag in its conventional case, each once (tags differing only in case are one tag).</summary>
    public static IReadOnlyList<string> LanguageTags(IEnumerable<string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        return [.. tags.Select(LanguageTag).Distinct(StringComparer.Ordinal)];
    }
}
