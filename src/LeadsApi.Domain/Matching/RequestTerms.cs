namespace LeadsApi.Domain.Matching;

/// <summary>
/// The words of a request, split once per request so that each candidate's expertise is compared by dictionary
/// look-ups over spans of its keywords, without allocating per candidate.
/// </summary>
internal sealed class RequestTerms
{
    // Words of a need text that say nothing about expertise.
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "get", "has", "have", "help", "i",
        "in", "into", "is", "it", "its", "like", "me", "move", "my", "need", "needs", "new", "of", "on", "or",
        "our", "out", "set", "so", "some", "that", "the", "their", "them", "this", "to", "up", "us", "want",
        "we", "with", "would", "you", "your",
    };

    private readonly Dictionary<string, int> index = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;
    private readonly List<string> terms = [];

    // A cheap first look at a candidate's word before the dictionary: its length and first character must be those of
    // some term. Most words of an expertise are not in the request, and most are ruled out here.
    private ulong firstChars;
    private int shortest = int.MaxValue;
    private int longest;

    public RequestTerms(IEnumerable<string> keywords, string? need)
    {
        lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var keyword in keywords)
        {
            foreach (var word in Words(keyword))
            {
                Add(word);
            }
        }

        KeywordCount = terms.Count;
        foreach (var word in Words(need))
        {
            if (word.Length > 1 && !IsNumber(word) && !StopWords.Contains(word))
            {
                Add(word);
            }
        }
    }

    /// <summary>Distinct words of the request's keywords: the terms [0, KeywordCount).</summary>
    public int KeywordCount { get; }

    /// <summary>Distinct words of the need text that are not keywords: the terms [KeywordCount, Count).</summary>
    public int NeedCount => terms.Count - KeywordCount;

    public int Count => terms.Count;

    public string this[int term] => terms[term];

    /// <summary>Every distinct word of the request, keywords first, lower case.</summary>
    public IReadOnlyList<string> All => terms;

    /// <summary>The distinct words of <paramref name="keywords"/>, lower case: what a keyword of the request is compared with.</summary>
    public static string[] WordsOf(IEnumerable<string> keywords) =>
        [.. keywords.SelectMany(Words).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Marks every term that a word of <paramref name="keywords"/> equals.</summary>
    public void Mark(IReadOnlyList<string> keywords, Span<bool> matched)
    {
        // Indexes, not foreach: an interface's enumerator is an allocation per candidate.
        for (var i = 0; i < keywords.Count; i++)
        {
            var rest = keywords[i].AsSpan();
            while (NextWord(ref rest, out var word))
            {
                if (word.Length >= shortest && word.Length <= longest && (firstChars & FirstCharBit(word[0])) != 0
                    && lookup.TryGetValue(word, out var term))
                {
                    matched[term] = true;
                }
            }
        }
    }

    /// <summary>Letters, digits, <c>#</c> and <c>+</c> make words (<c>c#</c>, <c>m365</c>); everything else separates them.</summary>
    internal static bool NextWord(ref ReadOnlySpan<char> text, out ReadOnlySpan<char> word)
    {
        var start = 0;
        while (start < text.Length && !IsWordChar(text[start]))
        {
            start++;
        }

        var end = start;
        while (end < text.Length && IsWordChar(text[end]))
        {
            end++;
        }

        word = text[start..end];
        text = text[end..];
        return !word.IsEmpty;
    }

    private static List<string> Words(string? text)
    {
        var words = new List<string>();
        var rest = text.AsSpan();
        while (NextWord(ref rest, out var word))
        {
            words.Add(word.ToString().ToLowerInvariant());
        }

        return words;
    }

    // ASCII letters (either case) and digits have a bit each; any other character shares the last bit, which a term
    // starting with one sets for every character, so OrdinalIgnoreCase's non-ASCII case pairs are never ruled out.
    private static ulong FirstCharBit(char c) => c switch
    {
        >= 'a' and <= 'z' => 1UL << (c - 'a'),
        >= 'A' and <= 'Z' => 1UL << (c - 'A'),
        >= '0' and <= '9' => 1UL << (26 + c - '0'),
        _ => 1UL << 63,
    };

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '#' or '+';

    private static bool IsNumber(string word) => word.All(char.IsDigit);

    private void Add(string word)
    {
        if (index.TryAdd(word, terms.Count))
        {
            terms.Add(word);
            var bit = FirstCharBit(word[0]);
            firstChars |= bit == 1UL << 63 ? ulong.MaxValue : bit;
            shortest = Math.Min(shortest, word.Length);
            longest = Math.Max(longest, word.Length);
        }
    }
}
