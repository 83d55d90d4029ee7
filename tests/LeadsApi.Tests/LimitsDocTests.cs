using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using LeadsApi.Hosting;
using LeadsApi.Limits;
using LeadsApi.RateLimits;

namespace LeadsApi.Tests;

/// <summary>
/// docs/security.md's Limits tables against the definitions: every FieldLimits entry with what it allows, every rate-limit
/// setting with its default, every Kestrel limit with appsettings.json's value. A limit changed in code without the page
/// (or the page without the code) fails here, with the row to write.
/// </summary>
public sealed partial class LimitsDocTests
{
    private static readonly string Root = RepositoryPaths.Root(AppContext.BaseDirectory)!;

    private static readonly Lazy<string> Section = new(() =>
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs", "security.md"));
        var start = doc.IndexOf("\n## Limits\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/security.md has no '## Limits' section.");
        var end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? doc[start..] : doc[start..end];
    });

    [Fact]
    public void FieldLimitsTable_StatesEveryLimitAsDefined()
    {
        var expected = FieldLimits.All.Select(l => $"| `{l.Key}` | {Allows(l.Value)} |")
            .Append($"| `{nameof(FieldLimits.MaxBodyBytes)}` | {FieldLimits.MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes |")
            .ToList();

        var missing = expected.Where(row => !Section.Value.Contains("\n" + row, StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/security.md's field limits lack (or misstate) these rows, to start with:\n" + string.Join('\n', missing));
        var names = FieldLimits.All.Keys.Append(nameof(FieldLimits.MaxBodyBytes)).ToHashSet(StringComparer.Ordinal);
        var stale = LimitRow().Matches(Section.Value).Select(m => m.Groups["name"].Value).Where(n => !names.Contains(n)).ToList();
        Assert.True(stale.Count == 0, "docs/security.md names field limits FieldLimits does not have: " + string.Join(", ", stale));
    }

    [Fact]
    public void RateLimitsTable_StatesEveryDefault()
    {
        var documented = Settings();
        var defaults = new RateLimitOptions();
        var expected = new Dictionary<string, object>(StringComparer.Ordinal) { [$"{RateLimitOptions.Section}:{nameof(RateLimitOptions.Enabled)}"] = defaults.Enabled };
        foreach (var (name, budget) in new[] { (nameof(defaults.Reads), defaults.Reads), (nameof(defaults.Writes), defaults.Writes), (nameof(defaults.Anonymous), defaults.Anonymous) })
        {
            foreach (var property in typeof(TokenBudget).GetProperties().Where(p => p.CanWrite))
            {
                expected[$"{RateLimitOptions.Section}:{name}:{property.Name}"] = property.GetValue(budget)!;
            }
        }

        ShouldDocument(documented, expected, RateLimitOptions.Section);
    }

    [Fact]
    public void KestrelTable_StatesAppSettingsLimits()
    {
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "src", "LeadsApi", "appsettings.json")));
        var expected = new Dictionary<string, object>(StringComparer.Ordinal);
        Flatten("Kestrel:Limits", settings.RootElement.GetProperty("Kestrel").GetProperty("Limits"), expected);

        ShouldDocument(Settings(), expected, "Kestrel");
    }

    /// <summary>What a limit allows, in the words of the table.</summary>
    private static string Allows(FieldLimit limit) => limit switch
    {
        TextLimit text => Invariant($"at most {text.MaxLength} characters, {Shape(text.Pattern)}{Required(text)}"),
        CodeLimit code => Invariant($"one of the {code.Codes.Count} codes of `{code.SchemaName}`{Required(code)}"),
        AmountLimit amount => Invariant($"{amount.Minimum} to {amount.Maximum}, at most {amount.Decimals} decimals{Required(amount)}"),
        PresenceLimit => "required",
        AlternativeLimit alternative => Invariant($"required unless `{alternative.Instead}` is given, and left out when it is"),
        CountLimit count => Invariant($"at most {count.MaxItems} {count.Items}"),
        CodeListLimit list => Invariant($"at most {list.MaxItems} {list.Items}, each once"),
        RangeLimit range => Invariant($"{range.Minimum} to {range.Maximum}, {range.Default} when left out"),
        DayWindowLimit window => Invariant($"{window.MinDays}d to {window.MaxDays}d, {window.Default} when left out"),
        FutureTimeLimit future => Invariant($"a future time, at most {future.MaxAhead.TotalDays:0} days ahead{Required(future)}"),
        TextListLimit texts => Invariant($"at most {texts.MaxItems} {texts.Items}, each {Allows(texts.Item)}"),
        WholeNumberLimit whole => Invariant($"a whole number from {whole.Minimum} to {whole.Maximum}"),
        _ => throw new InvalidOperationException($"No words yet for a {limit.GetType().Name}."),
    };

    private static string Shape(TextPattern pattern) =>
        pattern == TextPattern.Line || pattern == TextPattern.RequiredLine ? "one line"
        : pattern == TextPattern.Paragraphs || pattern == TextPattern.RequiredParagraphs ? "text with line breaks"
        : pattern == TextPattern.Email ? "an email address"
        : pattern == TextPattern.Phone ? "a phone number"
        : pattern == FieldLimits.LanguageTag.Pattern ? "a BCP 47 language tag"
        : throw new InvalidOperationException($"No words yet for the pattern {pattern.Ecma}.");

    private static string Required(FieldLimit limit) => limit.Required ? ", required" : "";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The section's setting rows: <c>| `RateLimits__Reads__TokenLimit` | `200` | ...</c>, by configuration key.</summary>
    private static Dictionary<string, string> Settings() =>
        SettingRow().Matches(Section.Value).ToDictionary(m => m.Groups["key"].Value.Replace("__", ":", StringComparison.Ordinal), m => m.Groups["value"].Value, StringComparer.Ordinal);

    private static void ShouldDocument(Dictionary<string, string> documented, Dictionary<string, object> expected, string prefix)
    {
        var wrong = expected.Where(e => !documented.TryGetValue(e.Key, out var value) || !Same(e.Value, value))
            .Select(e => $"| `{e.Key.Replace(":", "__", StringComparison.Ordinal)}` | `{Text(e.Value)}` | (documented: {documented.GetValueOrDefault(e.Key) ?? "nothing"})")
            .ToList();
        Assert.True(wrong.Count == 0, "docs/security.md's limits differ from the definitions:\n" + string.Join('\n', wrong));
        var stale = documented.Keys.Where(k => k.StartsWith(prefix + ":", StringComparison.Ordinal) && !expected.ContainsKey(k)).ToList();
        Assert.True(stale.Count == 0, "docs/security.md documents settings that do not exist: " + string.Join(", ", stale));
    }

    private static bool Same(object expected, string documented) => expected switch
    {
        TimeSpan span => TimeSpan.TryParse(documented, CultureInfo.InvariantCulture, out var parsed) && parsed == span,
        bool flag => bool.TryParse(documented, out var parsed) && parsed == flag,
        _ => Text(expected) == documented.Replace(",", "", StringComparison.Ordinal),
    };

    private static string Text(object value) => value switch
    {
        TimeSpan span => span.ToString("c", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };

    private static void Flatten(string prefix, JsonElement element, Dictionary<string, object> into)
    {
        foreach (var property in element.EnumerateObject())
        {
            var key = $"{prefix}:{property.Name}";
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                Flatten(key, property.Value, into);
            }
            else
            {
                into[key] = property.Value.ValueKind == JsonValueKind.String && TimeSpan.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, out var span)
                    ? span
                    : property.Value.GetRawText().Trim('"');
            }
        }
    }

    [GeneratedRegex(@"^\| `(?<name>[A-Z][A-Za-z]+)` \|", RegexOptions.Multiline)]
    private static partial Regex LimitRow();

    [GeneratedRegex(@"^\| `(?<key>(?:RateLimits|Kestrel)__[A-Za-z0-9_]+)` \| `(?<value>[^`]*)` \|", RegexOptions.Multiline)]
    private static partial Regex SettingRow();
}
