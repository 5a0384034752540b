using Embeddings.Text.Tokenization;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Text.Tests.Tokenization;

public class WhitespaceTokenizerTests
{
    [Theory]
    [InlineData("", new string[0])]
    [InlineData("   ", new string[0])]
    [InlineData("a", new[] { "a" })]
    [InlineData("  @user when   a father #run ", new[] { "@user", "when", "a", "father", "#run" })]
    [InlineData("tab\tand\nnewline", new[] { "tab", "and", "newline" })]
    public void Tokenize_SplitsOnWhitespaceRunsAndDropsEmpties(string text, string[] expected)
    {
        Tokenizer.Whitespace.Tokenize(text).Should().Equal(expected);
    }

    [Fact]
    public void Tokenize_Property_EqualsPythonReSplitOnSpacesWithoutEmpties()
    {
        // Python: [t for t in re.split(r" +", text) if len(t)] on text made of letters and spaces.
        Arbitrary<string> spacedText = Gen.Elements('a', 'b', ' ', ' ').ArrayOf().Select(chars => new string(chars)).ToArbitrary();

        Prop.ForAll(spacedText, text =>
        {
            string[] python = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return Tokenizer.Whitespace.Tokenize(text).SequenceEqual(python);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryReadToken_ReportsRangesIntoTheText()
    {
        ReadOnlySpan<char> text = " ab  c";
        int position = 0;

        Tokenizer.Whitespace.TryReadToken(text, ref position, out Range first).Should().BeTrue();
        Tokenizer.Whitespace.TryReadToken(text, ref position, out Range second).Should().BeTrue();
        Tokenizer.Whitespace.TryReadToken(text, ref position, out _).Should().BeFalse();

        first.Should().Be(1..3);
        second.Should().Be(5..6);
    }
}
