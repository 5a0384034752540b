using System.IO.Compression;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class PreprocessCommandTests
{
    private static string[] LabOptions(string snowball = "2.2") =>
        ["--lowercase", "--keep", "a-z@# ", "--tokenizer", "whitespace", "--stopwords", "english", "--stem", "english", "--snowball", snowball];

    [Fact]
    public void Preprocess_CsvColumnWithLabSettings_WritesOneLinePerRecord()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("tweets.csv");
        File.WriteAllText(csv, "id,label,tweet\n1,0,\" @user when a father is dysfunctional, \"\"so\"\" selfish #run\"\n2,0,\"\"\n3,1,\"multi\nline ÀLL Cats\"\n");
        string output = temp.File("out.txt");

        Tool.Result result = Tool.Run(["preprocess", "--input", csv, "--csv-column", "tweet", .. LabOptions(), "--output", output]);

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(output).Should().Be("@user father dysfunct selfish #run\n\nmultilin cat\n");
    }

    [Fact]
    public void Preprocess_ToStandardOutput_WritesTokens()
    {
        using var temp = new TempDirectory();
        string text = temp.File("text.txt");
        File.WriteAllText(text, "¡Hola, Señor! Las canciones\n\nEducación");

        Tool.Result result = Tool.Run("preprocess", "--input", text, "--lowercase", "--tokenizer", "word", "--stopwords", "spanish", "--stem", "spanish");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be("hol señor cancion\n\neduc\n");
    }

    [Theory]
    [InlineData("nltk", "tweets-lab-vocab-min11.nltk.txt")]
    [InlineData("2.2", "tweets-lab-vocab-min11.snowball-2.2.0.txt")]
    public void Preprocess_TweetsWithLabSettingsThenVocab_EqualsPythonVocabulary(string snowball, string fixture)
    {
        string tweets = SharedData.RequireFile("tweets/train.csv.gz");
        using var temp = new TempDirectory();
        string tokens = temp.File("tweets.tok");

        Tool.Result preprocess = Tool.Run(["preprocess", "--input", tweets, "--csv-column", "tweet", .. LabOptions(snowball), "--output", tokens]);
        Tool.Result vocab = Tool.Run("vocab", "--input", tokens, "--min-count", "11");

        preprocess.ExitCode.Should().Be(0, preprocess.StandardError);
        vocab.ExitCode.Should().Be(0, vocab.StandardError);
        File.ReadAllLines(tokens).Should().HaveCount(31_962);
        // Written by benchmarks/preprocess/lab_vocab_nltk.py with Debian's python3-nltk 3.8 (--stemmer nltk) or
        // python3-snowballstemmer 2.2.0 (--stemmer snowballstemmer); they differ only in the count of "realiz".
        string expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", fixture));
        vocab.StandardOutput.Should().Be(expected);
        vocab.StandardOutput.Should().EndWith("vocab_size 3085\n");
    }

    [Fact]
    public void Preprocess_MissingFile_FailsWithOneLineNamingTheFile()
    {
        Tool.Result result = Tool.Run("preprocess", "--input", "/no/such/file.txt");

        AssertCleanError(result, "/no/such/file.txt");
    }

    [Fact]
    public void Preprocess_CsvWithoutTheColumn_FailsNamingFileColumnAndColumnsPresent()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("data.csv");
        File.WriteAllText(csv, "id,text\n1,hello\n");

        Tool.Result result = Tool.Run("preprocess", "--input", csv, "--csv-column", "tweet");

        AssertCleanError(result, "data.csv");
        result.StandardError.Should().Contain("'tweet'").And.Contain("'id'").And.Contain("'text'");
    }

    [Fact]
    public void Preprocess_BinaryFile_FailsNamingTheFile()
    {
        using var temp = new TempDirectory();
        string binary = temp.File("image.bin");
        File.WriteAllBytes(binary, [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0xFF, 0x00, 0x42]);

        AssertCleanError(Tool.Run("preprocess", "--input", binary), "image.bin");
    }

    [Fact]
    public void Preprocess_TruncatedGzip_FailsNamingTheFileAndLeavesNoOutput()
    {
        using var temp = new TempDirectory();
        string gzip = temp.File("corpus.txt.gz");
        using (var file = File.Create(gzip))
        using (var compressor = new GZipStream(file, CompressionLevel.Optimal))
        using (var writer = new StreamWriter(compressor))
        {
            for (int i = 0; i < 50_000; i++)
            {
                writer.WriteLine($"line {i} with some words to compress {i * 7919 % 10007}");
            }
        }

        byte[] bytes = File.ReadAllBytes(gzip);
        File.WriteAllBytes(gzip, bytes[..(bytes.Length / 2)]);
        string output = temp.File("out.txt");

        Tool.Result result = Tool.Run("preprocess", "--input", gzip, "--output", output);

        AssertCleanError(result, "corpus.txt.gz");
        result.StandardError.Should().Contain("truncated");
        Directory.GetFiles(temp.Path).Should().Equal(gzip); // no output, no temp file left behind
    }

    [Fact]
    public void Preprocess_Verbose_AddsTheStackTrace()
    {
        Tool.Result result = Tool.Run("preprocess", "--input", "/no/such/file.txt", "--verbose");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("   at ");
    }

    internal static void AssertCleanError(Tool.Result result, string fileName)
    {
        result.ExitCode.Should().NotBe(0);
        string[] lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Should().ContainSingle("one clear line, no stack trace, was expected: {0}", result.StandardError);
        lines[0].Should().StartWith("error: ").And.Contain(fileName);
    }
}
