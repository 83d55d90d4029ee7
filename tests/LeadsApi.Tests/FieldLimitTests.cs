using LeadsApi.Limits;

namespace LeadsApi.Tests;

/// <summary>The text rules checked against .NET's own definitions of whitespace and control characters.</summary>
public sealed class FieldLimitTests
{
    // Required text is stored trimmed: a value the pattern accepts must never trim to nothing, and a
    // character the pattern refuses as blank must be one Trim removes.
    [Fact]
    public void RequiredLine_AcceptsACharacterAlone_ExactlyWhenItIsNeitherWhitespaceNorAControl()
    {
        var wrong = Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => !char.IsSurrogate(c))
            .Where(c => TextPattern.RequiredLine.Matches(c.ToString()) != (!char.IsWhiteSpace(c) && !char.IsControl(c)))
            .Select(c => $"U+{(int)c:X4}").ToList();

        Assert.Empty(wrong);
    }

    [Fact]
    public void RequiredParagraphs_RefuseBlankTextAndEveryControlButTabAndLineBreaks()
    {
        var wrong = Enumerable.Range(0, 0x10000).Select(c => (char)c).Where(c => !char.IsSurrogate(c))
            .Where(c => TextPattern.RequiredParagraphs.Matches($"{c}x{c}") != (c is '\t' or '\n' or '\r' || !char.IsControl(c)))
            .Select(c => $"U+{(int)c:X4}").ToList();

        Assert.Empty(wrong);
        Assert.False(TextPattern.RequiredParagraphs.Matches(" \t\r\n\u3000\u2028 "));
    }

    [Theory]
    [InlineData("123", true)]
    [InlineData("+351 21 000 0000", true)]
    [InlineData("(21) 000-00.00", true)]
    [InlineData("123\n", false)]
    [InlineData("+12", false)]
    [InlineData("12+3", false)]
    [InlineData("+ + 123", false)]
    public void Phone_IsAPlusThenAtLeastThreeDigitsWithSeparators(string phone, bool valid) =>
        Assert.Equal(valid, TextPattern.Phone.Matches(phone));

    [Theory]
    [InlineData("😀", 1)]
    [InlineData("👩‍💻", 3)]
    [InlineData("e\u0301", 2)]
    [InlineData("abc", 3)]
    public void Characters_CountsCodePoints(string text, int count) => Assert.Equal(count, TextLimit.Characters(text));
}
