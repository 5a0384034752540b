using Embeddings.Text.Normalization;

namespace Embeddings.Text.Tests.Normalization;

public class CharacterClassTests
{
    [Fact]
    public void Parse_LabClass_MatchesLettersAtHashAndSpace()
    {
        var lab = CharacterClass.Parse("a-z@# ");

        "abcxyz@# ".ToCharArray().Should().OnlyContain(c => lab.Contains(c));
        "ABZ09!.,\t\nñé_-".ToCharArray().Should().NotContain(c => lab.Contains(c));
    }

    [Fact]
    public void Parse_NonAsciiRangesAndLiterals_AreMembers()
    {
        var spanish = CharacterClass.Parse("a-zñáéíóúü ");

        "ñáéíóúü".ToCharArray().Should().OnlyContain(c => spanish.Contains(c));
        spanish.Contains('à').Should().BeFalse();
        spanish.Contains('Ñ').Should().BeFalse();
    }

    [Fact]
    public void Parse_EscapesAndEdgeDashes_AreLiterals()
    {
        var cls = CharacterClass.Parse(@"-a\-\\\]\t");

        cls.Contains('-').Should().BeTrue();
        cls.Contains('a').Should().BeTrue();
        cls.Contains('\\').Should().BeTrue();
        cls.Contains(']').Should().BeTrue();
        cls.Contains('\t').Should().BeTrue();
        cls.Contains('b').Should().BeFalse();
    }

    [Fact]
    public void Parse_Negated_MatchesTheComplement()
    {
        var notDigits = CharacterClass.Parse("^0-9");

        notDigits.IsNegated.Should().BeTrue();
        notDigits.Contains('5').Should().BeFalse();
        notDigits.Contains('x').Should().BeTrue();
    }

    [Fact]
    public void Parse_Brackets_AreTolerated()
    {
        CharacterClass.Parse("[a-c]").Contains('b').Should().BeTrue();
    }

    [Theory]
    [InlineData("z-a", "reversed range")]
    [InlineData("", "at least one character")]
    [InlineData("ab\\", "lone backslash")]
    public void Parse_BadPattern_ThrowsArgumentExceptionNamingTheProblem(string pattern, string problem)
    {
        Action parse = () => CharacterClass.Parse(pattern);

        parse.Should().Throw<ArgumentException>().WithMessage($"*{problem}*").Which.ParamName.Should().Be("pattern");
    }
}
