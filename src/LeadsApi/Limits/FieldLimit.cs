using System.Globalization;
using System.Text.RegularExpressions;

namespace LeadsApi.Limits;

/// <summary>
/// What one kind of request field may hold. The validator checks it, the EF model sizes its column
/// from it and the OpenAPI document publishes it, so the three cannot disagree.
/// </summary>
public abstract record FieldLimit
{
    /// <summary>The rule in words, for a person reading the contract.</summary>
    public abstract string Rule { get; }

    /// <summary>
    /// A value must be given. The validator refuses the member missing or null, and the contract marks it required
    /// and not nullable (in a merge patch, which may leave any member out: not nullable).
    /// </summary>
    public virtual bool Required => false;
}

/// <summary>
/// Text of at most <see cref="MaxLength"/> characters that matches <see cref="Pattern"/>. Characters are
/// Unicode code points, as PostgreSQL <c>varchar(n)</c> and JSON Schema <c>maxLength</c> count them: an
/// emoji is one, though .NET's <see cref="string.Length"/> says two.
/// </summary>
/// <param name="MaxLength">The most characters the field holds; its column is this wide.</param>
/// <param name="Pattern">What the characters may be.</param>
/// <param name="Required">A value must be given and must not be blank.</param>
public sealed record TextLimit(int MaxLength, TextPattern Pattern, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    public int MinLength => Required ? 1 : 0;

    public override string Rule =>
        $"{(Required ? "Not blank, and stored without the spaces around it; at" : "At")} most {MaxLength.ToString(CultureInfo.InvariantCulture)} characters. {Pattern.Rule}";

    /// <summary>One line of text, without control characters; when required, not only spaces.</summary>
    public static TextLimit Line(int maxLength, bool required = false) =>
        new(maxLength, required ? TextPattern.RequiredLine : TextPattern.Line, required);

    /// <summary>Free text that may run over several lines; when required, not only spaces.</summary>
    public static TextLimit Paragraphs(int maxLength, bool required = false) =>
        new(maxLength, required ? TextPattern.RequiredParagraphs : TextPattern.Paragraphs, required);

    /// <summary>What is wrong with <paramref name="value"/>, or null when it keeps the limit.</summary>
    public string? Refuse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var length = Characters(value);
        if (length > MaxLength)
        {
            // Only a text that fits is matched, so a 64 KiB body never meets the pattern.
            return $"At most {MaxLength.ToString(CultureInfo.InvariantCulture)} characters (got {length.ToString(CultureInfo.InvariantCulture)}).";
        }

        return Pattern.Matches(value) ? null : Pattern.Rule;
    }

    /// <summary>The number of code points: a surrogate pair counts once.</summary>
    public static int Characters(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var count = value.Length;
        for (var i = 1; i < value.Length; i++)
        {
            if (char.IsLowSurrogate(value[i]) && char.IsHighSurrogate(value[i - 1]))
            {
                count--;
            }
        }

        return count;
    }
}

/// <summary>
/// A regular expression written once in the syntax ECMA-262 (JavaScript) and .NET share. The contract
/// publishes it anchored with <c>^</c> and <c>$</c>, which in JavaScript match only at the ends of the
/// text; the server anchors it with <c>\A</c> and <c>\z</c>, because .NET's <c>$</c> also matches
/// before a final line break and once let "123\n" through as a phone number.
/// </summary>
public sealed class TextPattern
{
    // Control characters (C0, DEL, C1) and the two Unicode line breaks.
    private const string Controls = @"\u0000-\u001F\u007F-\u009F";
    private const string LineBreaks = @"\u2028\u2029";
    private const string ParagraphControls = @"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

    /// <summary>The characters .NET's <see cref="string.Trim()"/> removes that the patterns let through.</summary>
    internal const string Spaces = @"\u0020\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000";

    private readonly Regex _regex;

    public TextPattern(string body, string rule)
    {
        ArgumentException.ThrowIfNullOrEmpty(body);
        ArgumentException.ThrowIfNullOrEmpty(rule);
        Body = body;
        Rule = rule;
        Ecma = $"^(?:{body})$";
        // ECMAScript options: \d and character classes mean what they mean in JavaScript.
        _regex = new Regex($@"\A(?:{body})\z", RegexOptions.ECMAScript, TimeSpan.FromSeconds(1));
    }

    public static TextPattern Line { get; } = new($"[^{Controls}{LineBreaks}]*",
        "One line, without control characters such as NUL, tab or line breaks.");

    public static TextPattern RequiredLine { get; } = new($"[{Spaces}]*[^{Controls}{LineBreaks}{Spaces}][^{Controls}{LineBreaks}]*",
        "One line with something other than spaces, without control characters such as NUL, tab or line breaks.");

    public static TextPattern Paragraphs { get; } = new($"[^{ParagraphControls}]*",
        "Text without control characters other than tab and line breaks (no NUL).");

    public static TextPattern RequiredParagraphs { get; } = new($@"[\t\n\r{LineBreaks}{Spaces}]*[^{Controls}{LineBreaks}{Spaces}][^{ParagraphControls}]*",
        "Text with something other than spaces, without control characters other than tab and line breaks (no NUL).");

    /// <summary>A plus, then at least three digits, with spaces, parentheses, hyphens and dots between them.</summary>
    public static TextPattern Phone { get; } = new(@"\+?(?:[ ().-]*[0-9]){3}[0-9 ().-]*",
        "A phone number: an optional +, then at least three digits, with spaces, parentheses, hyphens and dots between them.");

    /// <summary>The rule browsers apply to <c>&lt;input type="email"&gt;</c> (WHATWG HTML), so a front end can check it the same way.</summary>
    public static TextPattern Email { get; } = new(
        @"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*",
        "An email address such as ana@fabrikam.example, as a browser's email field accepts it (no display name, no spaces).");

    /// <summary>The pattern without anchors, the part both syntaxes share.</summary>
    public string Body { get; }

    public string Rule { get; }

    /// <summary>The pattern as the contract publishes it (ECMA-262).</summary>
    public string Ecma { get; }

    public bool Matches(string value) => _regex.IsMatch(value);
}

/// <summary>One of a fixed list of codes, such as ISO 4217 currencies; published as a named enum schema.</summary>
/// <param name="Codes">Every code the server accepts, in upper case.</param>
/// <param name="SchemaName">The name of the enum schema in the contract.</param>
/// <param name="Description">What the codes are, for the enum schema.</param>
/// <param name="Message">What a client that sent another value is told.</param>
/// <param name="Required">A value must be given.</param>
public sealed record CodeLimit(IReadOnlySet<string> Codes, string SchemaName, string Description, string Message, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    /// <summary>The width of the column that holds a code.</summary>
    public int MaxLength => Codes.Max(c => c.Length);

    public override string Rule => Message;
}

/// <summary>An amount of money: a range and a number of decimal places.</summary>
/// <param name="Minimum">The least amount.</param>
/// <param name="Maximum">The greatest amount.</param>
/// <param name="Decimals">The most decimal places.</param>
/// <param name="Required">A value must be given.</param>
public sealed record AmountLimit(decimal Minimum, decimal Maximum, int Decimals, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    public override string Rule =>
        FormattableString.Invariant($"From {Minimum} to {Maximum}, with at most {Decimals} decimal places.");

    /// <summary>What is wrong with <paramref name="amount"/>, or null when it keeps the limit.</summary>
    public string? Refuse(decimal amount) =>
        amount < Minimum || amount > Maximum || decimal.Round(amount, Decimals) != amount ? Rule : null;
}

/// <summary>
/// A value that must be given, with no limit beyond its JSON type: an id, a date, one of an enum's names, or an
/// object whose own members carry their limits.
/// </summary>
/// <summary>
/// A member that stands for another: required unless <see cref="Instead"/> is given, and then to be left out. The
/// contract marks it not nullable and not required (JSON Schema cannot say "this or that" for a generated client).
/// </summary>
public sealed record AlternativeLimit(string Instead) : FieldLimit
{
    public override string Rule => $"Required unless `{Instead}` is given, and left out when it is.";
}

public sealed record PresenceLimit : FieldLimit
{
    public override string Rule => "Required.";

    public override bool Required => true;
}

/// <summary>How many items a list may hold.</summary>
/// <param name="MaxItems">The most items.</param>
/// <param name="Items">What the items are, in words: "contacts".</param>
/// <param name="MinItems">The fewest items, when the list is given.</param>
/// <param name="Required">The list must be given.</param>
public sealed record CountLimit(int MaxItems, string Items, int MinItems = 0, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    public override string Rule => MinItems > 0
        ? FormattableString.Invariant($"From {MinItems} to {MaxItems} {Items}.")
        : FormattableString.Invariant($"At most {MaxItems} {Items}.");
}

/// <summary>A whole number between two bounds, with the value used when none is given.</summary>
public sealed record RangeLimit(int Minimum, int Maximum, int Default) : FieldLimit
{
    public override string Rule => FormattableString.Invariant($"From {Minimum} to {Maximum}; {Default} when left out.");
}

/// <summary>
/// Names the <see cref="FieldLimits"/> entry a request member keeps, for the OpenAPI document;
/// the contract test checks it against the limit the validator applies to the same member.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class LimitAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public FieldLimit Limit => FieldLimits.Named(Name);
}

/// <summary>A list of codes of <paramref name="Codes"/>, each at most once.</summary>
/// <param name="Codes">What each item may be.</param>
/// <param name="Items">What the items are, in words: "event types".</param>
/// <param name="Required">At least one must be given; otherwise empty means all.</param>
public sealed record CodeListLimit(CodeLimit Codes, string Items, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    public int MaxItems => Codes.Codes.Count;

    public int MinItems => Required ? 1 : 0;

    public override string Rule => Required ? $"At least one of the {Items}, each at most once." : $"Each at most once; empty means all {Items}.";
}

/// <summary>A time after now, and at most <paramref name="MaxAhead"/> after it; checked where the clock is (the handler).</summary>
/// <param name="MaxAhead">The furthest ahead the time may be.</param>
/// <param name="Required">A value must be given.</param>
public sealed record FutureTimeLimit(TimeSpan MaxAhead, bool Required = false) : FieldLimit
{
    public override bool Required { get; } = Required;

    public override string Rule =>
        FormattableString.Invariant($"A time (RFC 3339) in the future, at most {MaxAhead.TotalDays:0} days from now.");

    /// <summary>What is wrong with <paramref name="value"/> at <paramref name="now"/>, or null when it keeps the limit.</summary>
    public string? Refuse(DateTimeOffset value, DateTimeOffset now) =>
        value <= now ? $"Must be in the future. {Rule}" : value > now + MaxAhead ? Rule : null;
}

/// <summary>
/// A span of whole days written <c>Nd</c> (<c>90d</c>), from <paramref name="MinDays"/> to <paramref name="MaxDays"/>;
/// <paramref name="DefaultDays"/> when left out. The contract's pattern states the shape and its description the range.
/// </summary>
public sealed record DayWindowLimit(int MinDays, int MaxDays, int DefaultDays) : FieldLimit
{
    public override string Rule => FormattableString.Invariant($"A number of days written Nd, from {MinDays}d to {MaxDays}d; {DefaultDays}d when left out.");

    public string Default => FormattableString.Invariant($"{DefaultDays}d");

    /// <summary>The JSON Schema pattern: digits without a leading zero and a final <c>d</c>; the range is checked by <see cref="Days"/>.</summary>
    public string Pattern => "^[1-9][0-9]*d$";

    /// <summary>The days <paramref name="value"/> names (the default when null), or null when it is not a window of this limit.</summary>
    public int? Days(string? value)
    {
        if (value is null)
        {
            return DefaultDays;
        }

        return value.Length is >= 2 and <= 4 && value[^1] == 'd' && value[0] != '0'
            && int.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var days)
            && days >= MinDays && days <= MaxDays
                ? days
                : null;
    }
}

/// <summary>A list of texts, each keeping <paramref name="Item"/>, at most <paramref name="MaxItems"/> of them.</summary>
/// <param name="MaxItems">The most items.</param>
/// <param name="Item">What each item may be.</param>
/// <param name="Items">What the items are, in words: "keywords".</param>
public sealed record TextListLimit(int MaxItems, TextLimit Item, string Items) : FieldLimit
{
    public override string Rule => FormattableString.Invariant($"At most {MaxItems} {Items}; each: {Item.Rule}");
}

/// <summary>A whole number between two bounds, which may be left out (what that means, the member says).</summary>
public sealed record WholeNumberLimit(int Minimum, int Maximum) : FieldLimit
{
    public override string Rule => FormattableString.Invariant($"From {Minimum} to {Maximum}.");

    public string? Refuse(int value) => value < Minimum || value > Maximum ? Rule : null;
}
