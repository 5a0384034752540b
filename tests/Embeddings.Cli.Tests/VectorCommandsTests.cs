using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class VectorCommandsTests
{
    /// <summary>Hand-made vectors: king − man + woman lands on queen; the two-topic neighbours are obvious.</summary>
    private static string WriteVectors(TempDirectory temp)
    {
        string path = temp.File("vectors.txt");
        File.WriteAllText(path, string.Join('\n',
            "7 3",
            "king 1 1 0",
            "queen 1 0 1",
            "man 0 1 0",
            "woman 0 0 1",
            "prince 0.9 1 0.1",
            "apple -1 0 0",
            "pear -1 0.1 0",
            string.Empty));
        return path;
    }

    private static List<(string Word, double Score)> ParseLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(parts => (parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture)))];

    [Fact]
    public void Similar_PrintsWordTabScoreBestFirst()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("similar", "--vectors", WriteVectors(temp), "--word", "apple", "--top", "3");

        result.ExitCode.Should().Be(0, result.StandardError);
        List<(string Word, double Score)> lines = ParseLines(result.StandardOutput);
        lines.Should().HaveCount(3);
        lines[0].Word.Should().Be("pear");
        lines.Select(l => l.Score).Should().BeInDescendingOrder();
    }

    [Fact]
    public void Analogy_KingManWoman_GivesQueen()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("analogy", "--vectors", WriteVectors(temp), "man", "king", "woman", "--top", "1");

        result.ExitCode.Should().Be(0, result.StandardError);
        ParseLines(result.StandardOutput).Single().Word.Should().Be("queen");
    }

    [Fact]
    public void Analogy_UnknownWord_FailsCleanly()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("analogy", "--vectors", WriteVectors(temp), "man", "king", "duchess");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: 'duchess' is not in the vocabulary");
    }

    [Fact]
    public void Evaluate_Json_HasTheAgreedFields()
    {
        using var temp = new TempDirectory();
        string analogies = temp.File("questions.txt");
        File.WriteAllText(analogies, ": royalty\nman king woman queen\nking man queen woman\n: fruit\napple pear king queen\n");
        string pairs = temp.File("pairs.tsv");
        File.WriteAllText(pairs, "# word1\tword2\tscore\nking\tqueen\t8\nking\tprince\t9\napple\tpear\t9\nking\tapple\t1\nman\tdragon\t3\n");

        Tool.Result result = Tool.Run("evaluate", "--vectors", WriteVectors(temp), "--analogies", analogies, "--similarity", pairs, "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        root.GetProperty("analogy_accuracy").GetDouble().Should().BeInRange(0, 1);
        root.GetProperty("analogy_sections").GetProperty("royalty").GetDouble().Should().Be(1.0);
        root.GetProperty("spearman").GetDouble().Should().BeInRange(-1, 1);
        root.GetProperty("pearson").GetDouble().Should().BeInRange(-1, 1);
        root.GetProperty("oov_ratio").GetDouble().Should().BeApproximately(20.0, 1e-9); // man–dragon of 5 pairs
    }

    [Theory]
    [InlineData("binary")]
    [InlineData("text")]
    [InlineData("vec")]
    [InlineData("glove")]
    [InlineData("native")]
    public void Convert_ThenSimilar_GivesTheSameNeighbours(string format)
    {
        using var temp = new TempDirectory();
        string original = WriteVectors(temp);
        string converted = temp.File($"converted.{format}");

        Tool.Result convert = Tool.Run("convert", "--input", original, "--output", converted, "--format", format);
        Tool.Result before = Tool.Run("similar", "--vectors", original, "--word", "king");
        Tool.Result after = Tool.Run("similar", "--vectors", converted, "--word", "king");

        convert.ExitCode.Should().Be(0, convert.StandardError);
        after.StandardOutput.Should().Be(before.StandardOutput);
    }

    [Fact]
    public void Map_MostFrequentWords_DrawsALabelledPointEach()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("map", "--vectors", WriteVectors(temp), "--words", "5", "--output", temp.File("map.svg"));

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().StartWith("5 words → ");
        var picture = new SvgPicture(temp.File("map.svg"));
        ((string?)picture.Root.Attribute("width")).Should().Be("900");
        ((string?)picture.Root.Attribute("height")).Should().Be("700");
        picture.Texts.Should().Contain(t => t.StartsWith("5 most frequent words, PCA", StringComparison.Ordinal))
            .And.Contain(["first principal component", "second principal component"]);

        // A marker per word, and each word's label anchored 5 pixels beside a marker (right, left, above or below).
        List<(double X, double Y)> markers = picture.Markers();
        markers.Should().HaveCount(5);
        foreach (string word in new[] { "king", "queen", "man", "woman", "prince" })
        {
            (double x, double y) = picture.Anchor(word);
            markers.Should().Contain(m => Math.Abs(Math.Sqrt(((m.X - x) * (m.X - x)) + ((m.Y - y) * (m.Y - y))) - 5) < 0.01, $"{word}'s label is drawn beside a marker");
        }
    }

    [Fact]
    public void Map_WordsWithAccentsAndMarkup_AreEscaped()
    {
        using var temp = new TempDirectory();
        string path = temp.File("es.txt");
        File.WriteAllText(path, "4 2\naño 1 0\nseñor 0 1\n<unk> 1 1\nq&a -1 0.5\n");

        Tool.Result result = Tool.Run("map", "--vectors", path, "--output", temp.File("map.svg"));

        result.ExitCode.Should().Be(0, result.StandardError);
        string text = File.ReadAllText(temp.File("map.svg"));
        text.Should().Contain(">&lt;unk&gt;<").And.Contain(">q&amp;a<");
        XDocument.Parse(text).Descendants(XName.Get("text", "http://www.w3.org/2000/svg")).Select(t => t.Value)
            .Should().Contain(["año", "señor", "<unk>", "q&a"]);
    }

    [Fact]
    public void Map_NoWords_FailsCleanly()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("map", "--vectors", WriteVectors(temp), "--words", "0", "--output", temp.File("map.svg"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("--words");
        File.Exists(temp.File("map.svg")).Should().BeFalse();
    }

    [Fact]
    public void Similar_NotAVectorsFile_FailsNamingTheFile()
    {
        using var temp = new TempDirectory();
        string bogus = temp.File("bogus.txt");
        File.WriteAllText(bogus, "this is not\na vectors file\n");

        PreprocessCommandTests.AssertCleanError(Tool.Run("similar", "--vectors", bogus, "--word", "x"), "bogus.txt");
    }

    [Fact]
    public void Ppmi_WritesVectorsThatSeparateTopics()
    {
        using var temp = new TempDirectory();
        var random = new Random(2);
        string[] a = ["cat", "dog", "cow", "pig"], b = ["one", "two", "six", "ten"];
        string tokens = temp.File("tokens.txt");
        File.WriteAllLines(tokens, Enumerable.Range(0, 3_000).Select(i => string.Join(' ', Enumerable.Range(0, 6).Select(_ => (i % 2 == 0 ? a : b)[random.Next(4)]))));
        string vectors = temp.File("ppmi.txt");

        Tool.Result ppmi = Tool.Run("ppmi", "--input", tokens, "--output", vectors, "--dim", "4", "--min-count", "1", "--format", "text");
        Tool.Result similar = Tool.Run("similar", "--vectors", vectors, "--word", "cat", "--top", "3");

        ppmi.ExitCode.Should().Be(0, ppmi.StandardError);
        ParseLines(similar.StandardOutput).Select(l => l.Word).Should().BeSubsetOf(a);
    }
}
