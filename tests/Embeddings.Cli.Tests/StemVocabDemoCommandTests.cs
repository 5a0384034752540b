using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class StemVocabDemoCommandTests
{
    [Fact]
    public void Stem_English_StemsEachLineInOrder()
    {
        Tool.Result result = Tool.RunWithInput("running\nnations\n\ngeologist\n", "stem", "--language", "english");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be("run\nnation\n\ngeolog\n");
    }

    [Theory]
    [InlineData("2.2", "geologist\nadded\n", "geologist\nad\n", "educacion\ncanciones\n", "educacion\ncancion\n")]
    [InlineData("nltk", "stylization\ninning's\n", "stylize\nin\n", "educacion\nconstitucion\n", "educ\nconstitucion\n")]
    public void Stem_OlderVersion_ReproducesIt(string snowball, string englishWords, string englishStems, string spanishWords, string spanishStems)
    {
        Tool.Result english = Tool.RunWithInput(englishWords, "stem", "--language", "english", "--snowball", snowball);
        Tool.Result spanish = Tool.RunWithInput(spanishWords, "stem", "--language", "spanish", "--snowball", snowball);

        english.StandardOutput.Should().Be(englishStems);
        spanish.StandardOutput.Should().Be(spanishStems);
    }

    [Fact]
    public void Vocab_WritesCountsThenVocabSizeLast()
    {
        using var temp = new TempDirectory();
        string tokens = temp.File("tokens.txt");
        File.WriteAllText(tokens, "b a c a\n\nc a d\nb c e\n");

        Tool.Result toStdout = Tool.Run("vocab", "--input", tokens, "--min-count", "2");
        string output = temp.File("vocab.txt");
        Tool.Result toFile = Tool.Run("vocab", "--input", tokens, "--min-count", "1", "--output", output);

        toStdout.StandardOutput.Should().Be("a 3\nc 3\nb 2\nvocab_size 3\n");
        toFile.StandardOutput.Should().Be("vocab_size 5\n");
        File.ReadAllText(output).Should().Be("a 3\nc 3\nb 2\nd 1\ne 1\n");
    }

    [Fact]
    public void Vocab_ZeroMinCount_FailsCleanly()
    {
        using var temp = new TempDirectory();
        string tokens = temp.File("tokens.txt");
        File.WriteAllText(tokens, "a\n");

        Tool.Result result = Tool.Run("vocab", "--input", tokens, "--min-count", "0");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: --min-count must be at least 1 (was 0)");
    }

    [Fact]
    public void Demo_RunsOnTheEmbeddedCorpus()
    {
        Tool.Result result = Tool.Run("demo");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("En un lugar de la Mancha")
            .And.Contain("caballeros → caballer")
            .And.Contain("Vocabulary (min count 3): 696 stems");
    }
}
