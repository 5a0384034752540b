using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary><c>preprocess --sentences</c>, and <c>train</c> on raw text with preprocess's options applied on the fly.</summary>
public class RawTextCommandTests
{
    [Fact]
    public void Preprocess_StripDiacritics_RemovesAccentsInTheInstalledTool()
    {
        // The tool once ran in invariant globalisation mode, where .NET's Unicode normalisation returns text unchanged.
        Tool.Result result = Tool.RunWithInput("Él cantó una canción\n", "preprocess", "--input", "-", "--strip-diacritics");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be("El canto una cancion\n");
    }

    [Fact]
    public void Preprocess_StripDiacriticsWithoutUnicodeNormalisation_FailsInsteadOfDoingNothing()
    {
        var invariant = new Dictionary<string, string> { ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1" };

        Tool.Result result = Tool.RunWithEnvironment("Él cantó\n", invariant, "preprocess", "--input", "-", "--strip-diacritics");

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().BeEmpty();
        result.StandardError.Should().StartWith("error: StripDiacritics needs Unicode normalisation").And.Contain("invariant globalisation mode");
        result.StandardError.TrimEnd().Split('\n').Should().ContainSingle();
    }

    [Fact]
    public void Preprocess_Sentences_JoinsHardWrappedLinesAndSplitsSentences()
    {
        using var temp = new TempDirectory();
        string text = temp.File("novela.txt");
        File.WriteAllText(text,
            "Era el Sr. García, un hombre\nde bien. ¿Quién lo dudaba? ¡Nadie en\nVetusta!\n\n\n" +
            "Compró pan.\ny se fue. Luego\nvolvió.\n   \nLa ciudad dormía");

        Tool.Result result = Tool.Run("preprocess", "--input", text, "--sentences");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Split('\n').Should().Equal(
            "Era el Sr. García, un hombre de bien.", // "Sr." is an abbreviation, not an end
            "¿Quién lo dudaba?",
            "¡Nadie en Vetusta!",
            "Compró pan. y se fue.", // a lower-case word on the next line continues the sentence
            "Luego volvió.",
            "La ciudad dormía", // a paragraph without a final stop is a sentence
            string.Empty);
    }

    [Fact]
    public void Preprocess_SentencesWithTokenizerOptions_TokenizesEachSentence()
    {
        using var temp = new TempDirectory();
        string text = temp.File("novela.txt");
        File.WriteAllText(text, "¿Quién lo\ndudaba? ¡NADIE, en Vetusta!\n");

        Tool.Result result = Tool.Run("preprocess", "--input", text, "--sentences", "--lowercase", "--tokenizer", "word");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be("quién lo dudaba\nnadie en vetusta\n");
    }

    [Fact]
    public void Preprocess_SentencesOfALongParagraph_StreamEveryOne()
    {
        using var temp = new TempDirectory();
        string text = temp.File("long.txt");
        // One paragraph of 3,000 sentences hard-wrapped every 4 words, so most sentences cross a line break.
        string[] words = [.. Enumerable.Range(0, 3_000).SelectMany(i => new[] { "Frase", $"{i}", "de", "prueba", "bien", "larga." })];
        File.WriteAllLines(text, words.Chunk(4).Select(line => string.Join(' ', line)));

        Tool.Result result = Tool.Run("preprocess", "--input", text, "--sentences");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be(string.Concat(Enumerable.Range(0, 3_000).Select(i => $"Frase {i} de prueba bien larga.\n")));
    }

    [Fact]
    public void Preprocess_SentencesOfACsvColumn_NeverJoinsTwoRecords()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("notas.csv");
        File.WriteAllText(csv, "id,texto\n1,Hola. Adiós\n2,mundo feliz.\n");

        Tool.Result result = Tool.Run("preprocess", "--input", csv, "--csv-column", "texto", "--sentences");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be("Hola.\nAdiós\nmundo feliz.\n");
    }

    /// <summary>Raw prose: capitals and punctuation that preprocess's options remove, sentences that cross line breaks.</summary>
    private static string WriteRawText(TempDirectory temp)
    {
        var random = new Random(11);
        string[] animals = ["Cat", "dog,", "HORSE", "cow.", "Sheep!"], numbers = ["One", "two,", "THREE", "four.", "Five?"];
        string path = temp.File("raw.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 3_000).Select(i => i % 7 == 6
            ? string.Empty
            : string.Join(' ', Enumerable.Range(0, 6).Select(_ => (i % 2 == 0 ? animals : numbers)[random.Next(5)]))));
        return path;
    }

    [Theory]
    [InlineData("--lowercase", "--tokenizer", "word")]
    [InlineData("--lowercase", "--tokenizer", "word", "--sentences")]
    [InlineData("--lowercase", "--strip-diacritics", "--keep", "a-z ", "--min-length", "3", "--stopwords", "english", "--stem", "english")]
    public void Train_OnRawTextWithPreprocessOptions_EqualsPreprocessThenTrain(params string[] textOptions)
    {
        using var temp = new TempDirectory();
        string raw = WriteRawText(temp);
        string tokens = temp.File("tokens.txt");
        string[] train = ["train", "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1", "--seed", "7", "--format", "text"];

        Tool.Result direct = Tool.Run([.. train, "--input", raw, "--output", temp.File("direct.txt"), .. textOptions]);
        Tool.Result preprocess = Tool.Run(["preprocess", "--input", raw, "--output", tokens, .. textOptions]);
        Tool.Result twoSteps = Tool.Run([.. train, "--input", tokens, "--output", temp.File("two-steps.txt")]);

        direct.ExitCode.Should().Be(0, direct.StandardError);
        preprocess.ExitCode.Should().Be(0, preprocess.StandardError);
        twoSteps.ExitCode.Should().Be(0, twoSteps.StandardError);
        string vectors = File.ReadAllText(temp.File("direct.txt"));
        vectors.Should().Be(File.ReadAllText(temp.File("two-steps.txt")));
        vectors.Should().NotContain("Cat ").And.NotContain("dog,").And.Contain("\nhors");
    }

    [Fact]
    public void Train_ContinueOnRawTextWithOptions_AddsTheNormalisedWords()
    {
        using var temp = new TempDirectory();
        string tokens = temp.File("tokens.txt");
        File.WriteAllLines(tokens, Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "cat dog cow" : "one two three"));
        string raw = temp.File("more.txt");
        File.WriteAllLines(raw, Enumerable.Range(0, 300).Select(i => i % 2 == 0 ? "Red, GREEN and Cat." : "One; two! BLUE"));

        Tool.Result first = Tool.Run("train", "--input", tokens, "--output", temp.File("a.txt"), "--format", "text", "--dim", "4",
            "--min-count", "1", "--epochs", "1", "--threads", "1", "--save-model", temp.File("m.w2v"));
        Tool.Result continued = Tool.Run("train", "--input", raw, "--output", temp.File("b.txt"), "--format", "text", "--threads", "1",
            "--continue", temp.File("m.w2v"), "--lowercase", "--tokenizer", "word");

        first.ExitCode.Should().Be(0, first.StandardError);
        continued.ExitCode.Should().Be(0, continued.StandardError);
        File.ReadLines(temp.File("b.txt")).Skip(7).Select(line => line.Split(' ')[0]).Should().BeEquivalentTo("red", "green", "and", "blue");
    }

    [Fact]
    public void Train_OnRawTextWithoutOptions_TakesTheTokensAsGiven()
    {
        using var temp = new TempDirectory();
        string raw = WriteRawText(temp);

        Tool.Result result = Tool.Run("train", "--input", raw, "--output", temp.File("v.txt"), "--format", "text", "--dim", "4", "--min-count", "1",
            "--epochs", "1", "--threads", "1");

        result.ExitCode.Should().Be(0, result.StandardError);
        string[] vocabulary = [.. File.ReadLines(temp.File("v.txt")).Skip(1).Select(line => line.Split(' ')[0])];
        vocabulary.Should().BeEquivalentTo(["Cat", "dog,", "HORSE", "cow.", "Sheep!", "One", "two,", "THREE", "four.", "Five?"]);
    }
}
