using System.Globalization;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary>The verbs gensim and fastText users reach for: print-vectors, similarity, similar --positive/--negative/--cosmul, query.</summary>
public class WordCommandsTests
{
    /// <summary>12 words × 4 dimensions where 3CosAdd and 3CosMul rank differently; Fixtures/royals-12x4.gensim.py prints gensim's answers.</summary>
    private static readonly string Royals = Path.Combine(AppContext.BaseDirectory, "Fixtures", "royals-12x4.txt");

    private static List<(string Word, double Score)> ParseLines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t'))
            .Select(parts => (parts[0], double.Parse(parts[1], CultureInfo.InvariantCulture)))];

    /// <summary>The answers of <c>query</c>, one string of lines per query: each block ends with an empty line.</summary>
    private static List<string> Blocks(string output)
    {
        var blocks = new List<string>();
        var block = new System.Text.StringBuilder();
        foreach (string line in output.Split('\n')[..^1])
        {
            if (line.Length == 0)
            {
                blocks.Add(block.ToString());
                block.Clear();
            }
            else
            {
                block.Append(line).Append('\n');
            }
        }

        block.Length.Should().Be(0, "the last block ends with an empty line too");
        return blocks;
    }

    private static void ShouldEqualGensim(Tool.Result result, params (string Word, double Score)[] gensim)
    {
        result.ExitCode.Should().Be(0, result.StandardError);
        List<(string Word, double Score)> lines = ParseLines(result.StandardOutput);
        lines.Select(line => line.Word).Should().Equal(gensim.Select(expected => expected.Word));
        for (int i = 0; i < gensim.Length; i++)
        {
            lines[i].Score.Should().BeApproximately(gensim[i].Score, 2e-6, lines[i].Word);
        }
    }

    [Fact]
    public void PrintVectors_WordsOnStandardInput_PrintsEachVectorThatParsesBackExactly()
    {
        using var temp = new TempDirectory();
        string vectors = temp.File("v.txt");
        File.WriteAllText(vectors, "3 3\nuno 0.1 -2.5e-07 0.333333333\ndós 1 2 3\ntres -0.7 0 12345.678\n");

        Tool.Result result = Tool.RunWithInput("tres\nuno  dós\n\n", "print-vectors", "--vectors", vectors);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().BeEmpty();
        string[] lines = result.StandardOutput.Split('\n');
        lines.Should().Equal("tres -0.7 0 12345.678", "uno 0.1 -2.5E-07 0.33333334", "dós 1 2 3", string.Empty);
        float[] uno = [.. lines[1].Split(' ').Skip(1).Select(value => float.Parse(value, CultureInfo.InvariantCulture))];
        uno.Should().Equal(0.1f, -2.5e-07f, 0.333333333f);
    }

    [Fact]
    public void PrintVectors_UnknownWords_PrintsTheOthersThenFailsNamingThem()
    {
        Tool.Result result = Tool.RunWithInput("king zebra\nqueen\nunicorn\n", "print-vectors", "--vectors", Royals);

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().Be("king 0.8 0.6 0.1 -0.2\nqueen 0.7 -0.5 0.2 -0.1\n");
        result.StandardError.Should().Be("error: 2 words are not in the vocabulary of 12 words: 'zebra', 'unicorn'.\n");
    }

    [Fact]
    public void Similarity_TwoWords_PrintsGensimsCosine()
    {
        Tool.Result result = Tool.Run("similarity", "--vectors", Royals, "king", "queen");

        result.ExitCode.Should().Be(0, result.StandardError);
        double.Parse(result.StandardOutput.TrimEnd('\n'), CultureInfo.InvariantCulture).Should().BeApproximately(0.3293919861316681, 1e-7);
        result.StandardOutput.Should().EndWith("\n").And.NotContain("\n\n");
    }

    [Fact]
    public void Similarity_UnknownWord_FailsNamingIt()
    {
        Tool.Result result = Tool.Run("similarity", "--vectors", Royals, "king", "zebra");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().BeEmpty();
        result.StandardError.Should().Be("error: 'zebra' is not in the vocabulary of 12 words.\n");
    }

    [Fact]
    public void Similar_PositiveAndNegative_EqualsGensimsMostSimilar() =>
        ShouldEqualGensim(
            Tool.Run("similar", "--vectors", Royals, "--positive", "king", "woman", "--negative", "man", "--top", "4"),
            ("princess", 0.9275953769683838), ("queen", 0.900113582611084), ("girl", 0.7873107194900513), ("crown", 0.4270789325237274));

    [Fact]
    public void Similar_CosMul_EqualsGensimsMostSimilarCosmul()
    {
        ShouldEqualGensim(
            Tool.Run("similar", "--vectors", Royals, "--positive", "king", "woman", "--negative", "man", "--top", "4", "--cosmul"),
            ("girl", 2.379922389984131), ("princess", 1.8715721368789673), ("queen", 1.671755075454712), ("crown", 0.8306885361671448));
        ShouldEqualGensim(
            Tool.Run("similar", "--vectors", Royals, "--positive", "prince", "--positive", "girl", "--negative", "boy", "--top", "3", "--cosmul"),
            ("woman", 2.0506298542022705), ("princess", 1.5364320278167725), ("queen", 1.4937870502471924));
    }

    [Fact]
    public void Similar_WordWithNegative_CountsTheWordAsPositive()
    {
        Tool.Result withWord = Tool.Run("similar", "--vectors", Royals, "--word", "king", "--negative", "man", "--top", "4");
        Tool.Result withPositive = Tool.Run("similar", "--vectors", Royals, "--positive", "king", "--negative", "man", "--top", "4");

        withWord.ExitCode.Should().Be(0, withWord.StandardError);
        withWord.StandardOutput.Should().Be(withPositive.StandardOutput).And.NotBeEmpty();
    }

    [Theory]
    [InlineData("Give the query: --word W, or --positive A B … (and --negative C … if you like).")]
    [InlineData("--word and --positive are alternatives: give one of them (--word W is --positive W).", "--word", "king", "--positive", "queen")]
    public void Similar_NeitherOrBothOfWordAndPositive_FailsWithOneLine(string message, params string[] query)
    {
        Tool.Result result = Tool.Run(["similar", "--vectors", Royals, .. query]);

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().BeEmpty();
        result.StandardError.Should().Be($"error: {message}\n");
    }

    [Fact]
    public void Similar_UnknownNegativeWord_FailsNamingIt()
    {
        Tool.Result result = Tool.Run("similar", "--vectors", Royals, "--positive", "king", "--negative", "duchess");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("error: 'duchess' is not in the vocabulary of 12 words.\n");
    }

    [Fact]
    public void Query_PipedInput_AnswersEachLineInABlockWithoutAPrompt()
    {
        Tool.Result result = Tool.RunWithInput("apple\nking - man + woman\nzebra\nking man\n  prince  \nquit\nqueen\n", "query", "--vectors", Royals, "--top", "2");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().NotContain("query>");
        List<string> blocks = Blocks(result.StandardOutput);
        blocks.Should().HaveCount(5, "one block per query before 'quit', each ended by an empty line:\n" + result.StandardOutput);

        Tool.Result apple = Tool.Run("similar", "--vectors", Royals, "--word", "apple", "--top", "2");
        Tool.Result analogy = Tool.Run("analogy", "--vectors", Royals, "man", "king", "woman", "--top", "2");
        Tool.Result prince = Tool.Run("similar", "--vectors", Royals, "--word", "prince", "--top", "2");
        blocks[0].Should().Be(apple.StandardOutput).And.NotBeEmpty();
        blocks[1].Should().Be(analogy.StandardOutput).And.StartWith("princess\t");
        blocks[2].Should().BeEmpty("'zebra' is unknown");
        blocks[3].Should().BeEmpty("'king man' is not a query");
        blocks[4].Should().Be(prince.StandardOutput).And.NotBeEmpty();
        result.StandardError.Should().Be(
            "'zebra' is not in the vocabulary of 12 words.\n" +
            "cannot read 'king man': type one word, or an analogy such as 'king - man + woman' (spaces around + and -).\n");
    }

    [Fact]
    public void Query_EmptyLineOrEndOfInput_Stops()
    {
        Tool.Result emptyLine = Tool.RunWithInput("pear\n\nking\n", "query", "--vectors", Royals, "--top", "1");
        Tool.Result endOfInput = Tool.RunWithInput("pear", "query", "--vectors", Royals, "--top", "1");

        emptyLine.ExitCode.Should().Be(0, emptyLine.StandardError);
        emptyLine.StandardOutput.Should().StartWith("apple\t").And.EndWith("\n\n");
        ParseLines(emptyLine.StandardOutput).Should().ContainSingle();
        endOfInput.StandardOutput.Should().Be(emptyLine.StandardOutput);
    }

    [Fact]
    public void Query_LongAnalogy_UsesEveryTerm()
    {
        Tool.Result result = Tool.RunWithInput("prince - boy + girl - man + woman\n", "query", "--vectors", Royals, "--top", "3");
        Tool.Result similar = Tool.Run("similar", "--vectors", Royals, "--positive", "prince", "girl", "woman", "--negative", "boy", "man", "--top", "3");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be(similar.StandardOutput + "\n");
    }

    [Fact]
    public void Query_TopZero_FailsBeforeReading()
    {
        Tool.Result result = Tool.RunWithInput("king\n", "query", "--vectors", Royals, "--top", "0");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().NotContain("\t", "no query is answered (the parse error's wording is CommandRunner's)");
        result.StandardError.Should().Contain("--top must be at least 1");
    }
}
