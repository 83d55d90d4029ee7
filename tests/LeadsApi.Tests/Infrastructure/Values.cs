using System.Globalization;
using System.Text.Json;
using CsCheck;

namespace LeadsApi.Tests.Infrastructure;

/// <summary>
/// A value to put in a request field: its JSON text, and the value it stands for, or null when the JSON
/// holds what no .NET string can (a lone surrogate escape), which the server must refuse.
/// </summary>
public sealed record FieldValue(string Json, object? Value)
{
    public static FieldValue Of(string text) => new(JsonSerializer.Serialize(text), text);

    public static FieldValue Of(decimal amount) => new(amount.ToString(CultureInfo.InvariantCulture), amount);

    public override string ToString() => Json.Length <= 120 ? Json : $"{Json[..60]}...{Json[^40..]} ({Json.Length} chars of JSON)";
}

/// <summary>CsCheck generators of field values at and around every kind of limit.</summary>
public static class Values
{
    public const string Words = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 '-.&";
    public const string Identifiers = "abcdefghijklmnopqrstuvwxyz0123456789-_";

    // Each is a way a limit has been, or could be, wrong: line breaks, NUL, other controls, spaces that
    // Trim removes, and characters that are two UTF-16 units (or several code points) but one to a reader.
    private static readonly string[] Awkward =
    [
        "\n", "\r\n", "\t", "\0", "\u0007", "\u007F", "\u0085", "\u00A0", "\u2028", "\u3000", "\uFEFF",
        "😀", "👩‍💻", "e\u0301", "中", "𝔸", " ",
    ];

    /// <summary>Text of about <paramref name="limit"/> characters (limit-1, limit, limit+1, twice it, or shorter), sometimes with an awkward character in it.</summary>
    public static Gen<FieldValue> Text(int limit, string alphabet) =>
        Length(limit).SelectMany(length => CodePoints(alphabet).Array[length]).Select(string.Concat).SelectMany(Decorated);

    /// <summary>Phone numbers with and without a +, around 40 characters with the + counted.</summary>
    public static Gen<FieldValue> Phones { get; } =
        Gen.Select(Gen.Bool, Length(40), (plus, length) => (plus, length))
            .SelectMany(p => Gen.Char["0123456789 0123456789()-."].Array[Math.Max(0, p.length - (p.plus ? 1 : 0))]
                .Select(chars => (p.plus ? "+" : "") + new string(chars)))
            .SelectMany(Decorated);

    /// <summary>Email addresses of about 254 characters (and short ones): a local part, then labels of at most 63.</summary>
    public static Gen<FieldValue> Emails { get; } =
        Length(254).Select(length =>
        {
            var local = new string('a', Math.Clamp(length / 4, 1, 64));
            var rest = Math.Max(length - local.Length - 1, 1);
            var labels = Enumerable.Range(0, (rest + 63) / 64).Select(i => new string('d', Math.Min(63, rest - (i * 64)))).Where(l => l.Length > 0);
            return $"{local}@{string.Join('.', labels)}";
        }).SelectMany(Decorated);

    public static Gen<FieldValue> Codes(params string[] valid) =>
        Gen.OneOf([.. valid, .. valid.Select(c => c.ToLowerInvariant()), .. valid.Select(c => c + "\n"), .. valid.Select(c => " " + c),
            "", "X", "XX", "XXX", "EURO", "PRT", "ÞT", "E\u0301U"]).Select(FieldValue.Of);

    /// <summary>Amounts at and beyond the bounds, and with up to six decimal places.</summary>
    public static Gen<FieldValue> Amounts { get; } = Gen.Frequency(
        (2, Gen.OneOf(0m, -0.0001m, 0.0001m, 0.00001m, 0.3m, 12000.00m, 999_999_999_999.9999m, 1_000_000_000_000m, 1_000_000_000_000.0001m, 1_000_000_000_001m)),
        (3, Gen.Select(Gen.Long[-10, 1_000_000_000_100], Gen.Int[0, 6])
            .SelectMany((whole, scale) => Gen.Long[0, Ten(scale) - 1].Select(fraction => whole + (fraction / (decimal)Ten(scale))))))
        .Select(FieldValue.Of);

    public static Gen<FieldValue> Dates { get; } = Gen.Frequency(
        (1, Gen.OneOf(DateOnly.MinValue, DateOnly.MaxValue, new DateOnly(1970, 1, 1), new DateOnly(2000, 2, 29))),
        (3, Gen.DateOnly))
        .Select(d => new FieldValue(JsonSerializer.Serialize(d.ToString("O", CultureInfo.InvariantCulture)), d));

    /// <summary>Lists of 0 to 25 contacts.</summary>
    public static Gen<FieldValue> ContactLists { get; } = Gen.Frequency((1, Gen.OneOf(19, 20, 21)), (2, Gen.Int[0, 25]))
        .Select(count => new FieldValue(JsonSerializer.Serialize(Enumerable.Range(1, count).Select(i => new { name = $"Contact {i}" })), count));

    public static Gen<FieldValue> PageSizes { get; } = Gen.Frequency((1, Gen.OneOf(0, 1, 200, 201, -1, int.MaxValue)), (3, Gen.Int[-5, 210]))
        .Select(n => new FieldValue(n.ToString(CultureInfo.InvariantCulture), (decimal)n));

    private static long Ten(int power) => (long)Math.Pow(10, power);

    private static Gen<int> Length(int limit) => Gen.Frequency(
        (3, Gen.OneOf(limit - 1, limit, limit + 1, 2 * limit)),
        (1, Gen.Int[0, limit + 1]));

    /// <summary>One code point: mostly from the alphabet, sometimes one that takes two UTF-16 units.</summary>
    private static Gen<string> CodePoints(string alphabet) => Gen.Frequency(
        (30, Gen.Char[alphabet].Select(c => c.ToString())),
        (1, Gen.OneOf("😀", "𝔸", "é", "中")));

    private static Gen<FieldValue> Decorated(string text) => Gen.Frequency(
        (8, Gen.Const(FieldValue.Of(text))),
        (1, Gen.Const(FieldValue.Of(text + "\n"))),
        (1, Gen.Const(FieldValue.Of($"  {text} "))),
        (1, Gen.Const(FieldValue.Of(new string(' ', Math.Min(text.Length, 3))))),
        (3, Gen.Select(Gen.Int[0, text.Length], Gen.OneOf(Awkward), (at, awkward) => FieldValue.Of(Insert(text, at, awkward)))),
        (1, Gen.Int[0, text.Length].Select(at => new FieldValue(JsonSerializer.Serialize(Insert(text, at, "#"))[..^1].Replace("#", "\\ud800", StringComparison.Ordinal) + "\"", null))));

    /// <summary>Inserts without splitting a surrogate pair.</summary>
    private static string Insert(string text, int at, string inserted) =>
        text.Insert(at > 0 && at < text.Length && char.IsLowSurrogate(text[at]) ? at - 1 : at, inserted);
}
