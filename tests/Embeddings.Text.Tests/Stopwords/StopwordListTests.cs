using Embeddings.Text.Stopwords;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Text.Tests.Stopwords;

public class StopwordListTests
{
    [Fact]
    public void English_IsNltks179WordList()
    {
        StopwordList.English.Count.Should().Be(179);
        StopwordList.English.Words[0].Should().Be("i");
        StopwordList.English.Contains("the").Should().BeTrue();
        StopwordList.English.Contains("don't").Should().BeTrue();
        StopwordList.English.Contains("father").Should().BeFalse();
    }

    [Fact]
    public void Spanish_IsNltks313WordList()
    {
        StopwordList.Spanish.Count.Should().Be(313);
        StopwordList.Spanish.Words[0].Should().Be("de");
        StopwordList.Spanish.Contains("él").Should().BeTrue();
        StopwordList.Spanish.Contains("quijote").Should().BeFalse();
    }

    [Theory]
    [InlineData("english")]
    [InlineData("spanish")]
    public void BuiltIn_EqualsTheSharedNltkFile(string language)
    {
        string path = SharedData.RequireFile($"stopwords/{language}.txt");

        StopwordList.ForLanguage(language).Words.Should().Equal(File.ReadAllLines(path).Where(l => l.Length > 0));
    }

    [Fact]
    public void Contains_Span_MatchesWithoutAllocatingAString()
    {
        "xx the yy".AsSpan(3, 3).ToString().Should().Be("the");
        StopwordList.English.Contains("xx the yy".AsSpan(3, 3)).Should().BeTrue();
        StopwordList.English.Contains("xx them yy".AsSpan(3, 3)).Should().BeTrue(); // "the" again
        StopwordList.English.Contains("theme".AsSpan()).Should().BeFalse();
    }

    [Fact]
    public void FromFile_SnowballFormat_ParsesCommentsAndBlankLines()
    {
        using var temp = new TempDirectory();
        string path = temp.File("stop.txt");
        File.WriteAllText(path, "# my list\n\nde             |  from, of\nla | the\n | only a comment\nde\n");

        StopwordList list = StopwordList.FromFile(path);

        list.Words.Should().Equal("de", "la");
        list.Name.Should().Be(path);
    }

    [Fact]
    public void FromFile_Missing_ThrowsFileNotFoundNamingThePath()
    {
        Action load = () => StopwordList.FromFile("/no/such/stopwords.txt");

        load.Should().Throw<FileNotFoundException>().WithMessage("*/no/such/stopwords.txt*");
    }

    [Fact]
    public void ForLanguage_Unknown_ThrowsArgumentExceptionListingChoices()
    {
        Action pick = () => StopwordList.ForLanguage("klingon");

        pick.Should().Throw<ArgumentException>().WithMessage("*klingon*english*spanish*").Which.ParamName.Should().Be("language");
    }

    [Fact]
    public void Union_HoldsBothListsOnce()
    {
        StopwordList union = StopwordList.FromWords(["a", "b"]).Union(StopwordList.FromWords(["b", "c", ""]));

        union.Words.Should().Equal("a", "b", "c");
    }
}
