using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests.Reliability;

/// <summary>
/// Issue 15, "silent garbage in": text that is not UTF-8 is an error naming the file, line and byte unless
/// <c>--encoding</c> says how to read it; gzip is decompressed and binary data rejected on every text path.
/// </summary>
public sealed class EncodingTests : IDisposable
{
    /// <summary>Spanish in Latin-1: á is 0xE1 and ñ is 0xF1, bytes that cannot stand alone in UTF-8.</summary>
    private const string Spanish = "nunca jamás\nhasta mañana\nmañana jamás\n";

    private const string Hint = "If it is Latin-1 or Windows-1252 text, pass --encoding latin1 or --encoding cp1252; --encoding replace reads each invalid byte as U+FFFD.";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Latin1Corpus_IsAnErrorNamingFileLineAndByte_WithTheEncodingsToPass()
    {
        string corpus = Write("spanish.txt", Encoding.Latin1.GetBytes(Spanish));

        Tool.Result result = Tool.Run("vocab", "--input", corpus, "--min-count", "1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: '{corpus}' is not valid UTF-8: line 1 has the byte 0xE1 at offset 9, which cannot stand there in UTF-8. {Hint}\n");
        result.StandardOutput.Should().BeEmpty();
    }

    [Theory]
    [InlineData("preprocess")]
    [InlineData("train")]
    [InlineData("ppmi")]
    [InlineData("lm-train")]
    public void Latin1Corpus_EveryCorpusReader_FailsTheSameWay(string command)
    {
        string corpus = Write("spanish.txt", Encoding.Latin1.GetBytes(Spanish));
        string vectors = Write("vectors.txt", "2 2\nnunca 1 0\nhasta 0 1\n");
        string[] arguments = command switch
        {
            "preprocess" => ["preprocess", "--input", corpus],
            "lm-train" => ["lm-train", "--input", corpus, "--vectors", vectors, "--output", _temp.File("lm")],
            _ => [command, "--input", corpus, "--output", _temp.File("v.bin"), "--min-count", "1", "--dim", "2"],
        };

        Tool.Result result = Tool.Run(arguments);

        result.ExitCode.Should().Be(1, command);
        result.StandardError.Should().StartWith($"error: '{corpus}' is not valid UTF-8: line 1 has the byte 0xE1 at offset 9,").And.EndWith($"{Hint}\n");
        result.StandardError.Split('\n').Should().HaveCount(2, "one line");
    }

    /// <summary>latin1 keeps the words whole; replace keeps the behaviour before issue 15 (U+FFFD, which the word tokenizer splits at).</summary>
    [Theory]
    [InlineData("latin1", "jamás 2\nmañana 2\nhasta 1\nnunca 1\nvocab_size 4\n", "nunca jamás\nhasta mañana\nmañana jamás\n")]
    [InlineData("replace", "jam\uFFFDs 2\nma\uFFFDana 2\nhasta 1\nnunca 1\nvocab_size 4\n", "nunca jam s\nhasta ma ana\nma ana jam s\n")]
    public void Latin1Corpus_WithAnEncoding_IsReadAsTold(string encoding, string expectedCounts, string expectedWords)
    {
        string corpus = Write("spanish.txt", Encoding.Latin1.GetBytes(Spanish));

        Tool.Result counts = Tool.Run("vocab", "--input", corpus, "--min-count", "1", "--encoding", encoding);
        Tool.Result words = Tool.Run("preprocess", "--input", corpus, "--tokenizer", "word", "--encoding", encoding);

        counts.ExitCode.Should().Be(0, counts.StandardError);
        counts.StandardOutput.Should().Be(expectedCounts);
        words.StandardOutput.Should().Be(expectedWords);
    }

    [Fact]
    public void Windows1252Text_WithEncodingCp1252_ReadsCurlyQuotesAndEuro()
    {
        // 0x93 “ 0x94 ” 0x80 € 0x96 – in Windows-1252.
        string text = Write("cp1252.txt", [0x93, .. "caf"u8, 0xE9, 0x94, .. " 5"u8, 0x80, .. " "u8, 0x96, .. " ok\n"u8]);

        Tool.Result strict = Tool.Run("preprocess", "--input", text);
        Tool.Result decoded = Tool.Run("preprocess", "--input", text, "--encoding", "cp1252");

        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().StartWith($"error: '{text}' is not valid UTF-8: line 1 has the byte 0x93 at offset 0,");
        decoded.ExitCode.Should().Be(0, decoded.StandardError);
        decoded.StandardOutput.Should().Be("“café” 5€ – ok\n");
    }

    [Fact]
    public void StandardInput_Latin1_IsCheckedAndDecodedLikeAFile()
    {
        byte[] latin1 = Encoding.Latin1.GetBytes(Spanish);

        Tool.Result strict = Tool.RunWithBytes(latin1, "vocab", "--input", "-", "--min-count", "1");
        Tool.Result decoded = Tool.RunWithBytes(latin1, "vocab", "--input", "-", "--min-count", "2", "--encoding", "latin1");
        Tool.Result stems = Tool.RunWithBytes(Encoding.Latin1.GetBytes("canciones\n"), "stem", "--language", "spanish", "--encoding", "latin1");
        Tool.Result strictStems = Tool.RunWithBytes(Encoding.Latin1.GetBytes("canciones\nmañanas\n"), "stem", "--language", "spanish");

        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().StartWith("error: 'standard input' is not valid UTF-8: line 1 has the byte 0xE1 at offset 9,");
        decoded.StandardOutput.Should().Be("jamás 2\nmañana 2\nvocab_size 2\n");
        stems.StandardOutput.Should().Be("cancion\n");
        strictStems.ExitCode.Should().Be(1);
        strictStems.StandardError.Should().StartWith("error: 'standard input' is not valid UTF-8: line 2 has the byte 0xF1 at offset 12,");
    }

    [Fact]
    public void Utf8WithByteOrderMark_IsStillRead_AndUtf16IsDecoded()
    {
        string bom = Write("bom.txt", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("mañana mañana\n")]);
        string utf16 = Write("utf16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("mañana mañana\n")]);

        Tool.Run("vocab", "--input", bom, "--min-count", "1").StandardOutput.Should().Be("mañana 2\nvocab_size 1\n");
        Tool.Run("vocab", "--input", utf16, "--min-count", "1").StandardOutput.Should().Be("mañana 2\nvocab_size 1\n");
    }

    [Fact]
    public void GzipCorpus_ToLmTrain_IsDecompressed()
    {
        string tokens = string.Concat(Enumerable.Repeat("el rey la reina el rey la reina\n", 20));
        string gzip = Write("tokens.txt.gz", GzipBytes.Of(Encoding.UTF8.GetBytes(tokens)));
        string vectors = Write("vectors.txt", "4 2\nel 1 0\nrey 0 1\nla 1 1\nreina 0.5 1\n");

        Tool.Result result = Tool.Run("lm-train", "--input", gzip, "--vectors", vectors, "--hidden", "4", "--seq-len", "3",
            "--epochs", "1", "--threads", "1", "--json", "--output", _temp.File("lm"));

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("words").GetInt32().Should().Be(160, "the decompressed words, not the compressed bytes");
        json.RootElement.GetProperty("ids").GetInt32().Should().Be(160);
    }

    [Fact]
    public void EvaluationSets_AreStrictByDefault_DecodedWhenTold_AndMayBeGzip()
    {
        string vectors = Write("vectors.txt", "3 2\nniño 1 0\nniña 0.9 0.1\nmañana 0 1\n");
        byte[] pairs = Encoding.Latin1.GetBytes("niño\tniña\t9.0\nniño\tmañana\t1.0\nniña\tmañana\t2.0\n");
        string latin1 = Write("pairs.txt", pairs);
        string gzip = Write("pairs.tsv", GzipBytes.Of(Encoding.UTF8.GetBytes("niño\tniña\t9.0\nniño\tmañana\t1.0\nniña\tmañana\t2.0\n")));

        Tool.Result strict = Tool.Run("evaluate", "--vectors", vectors, "--similarity", latin1);
        Tool.Result decoded = Tool.Run("evaluate", "--vectors", vectors, "--similarity", latin1, "--encoding", "latin1", "--json");
        Tool.Result unzipped = Tool.Run("evaluate", "--vectors", vectors, "--similarity", gzip, "--json");

        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().Be($"error: '{latin1}' is not valid UTF-8: line 1 has the byte 0xF1 at offset 2, which cannot stand there in UTF-8. {Hint}\n");
        decoded.ExitCode.Should().Be(0, decoded.StandardError);
        unzipped.ExitCode.Should().Be(0, unzipped.StandardError);
        JsonDocument.Parse(decoded.StandardOutput).RootElement.GetProperty("oov_ratio").GetDouble().Should().Be(0);
        unzipped.StandardOutput.Should().Be(decoded.StandardOutput);
    }

    [Fact]
    public void StopwordFile_FollowsTheEncodingOption()
    {
        string corpus = Write("spanish.txt", Encoding.Latin1.GetBytes(Spanish));
        string stopwords = Write("stop.txt", Encoding.Latin1.GetBytes("jamás\n"));
        string utf8Corpus = Write("utf8.txt", Spanish);

        Tool.Result decoded = Tool.Run("preprocess", "--input", corpus, "--stopwords", stopwords, "--encoding", "latin1");
        Tool.Result strict = Tool.Run("preprocess", "--input", utf8Corpus, "--stopwords", stopwords);

        decoded.StandardOutput.Should().Be("nunca\nhasta mañana\nmañana\n");
        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().StartWith($"error: '{stopwords}' is not valid UTF-8: line 1 has the byte 0xE1 at offset 3,");
    }

    [Theory]
    [InlineData("ppmi")]
    [InlineData("evaluate")]
    [InlineData("stopwords")]
    [InlineData("lm-train")]
    public void BinaryData_OnEveryTextPath_IsOneLineNamingTheFile(string path)
    {
        string binary = Write("data.bin", [.. "word\n"u8, 0, 1, 2, 0xE1]);
        string vectors = Write("vectors.txt", "2 2\nword 1 0\nother 0 1\n");
        string tokens = Write("tokens.txt", "word other\n");
        string[] arguments = path switch
        {
            "ppmi" => ["ppmi", "--input", binary, "--output", _temp.File("v.bin")],
            "evaluate" => ["evaluate", "--vectors", vectors, "--analogies", binary],
            "stopwords" => ["preprocess", "--input", tokens, "--stopwords", binary],
            _ => ["lm-train", "--input", binary, "--vectors", vectors, "--output", _temp.File("lm"), "--encoding", "latin1"],
        };

        Tool.Result result = Tool.Run(arguments);

        result.ExitCode.Should().Be(1, path);
        result.StandardError.Should().Be($"error: '{binary}' looks like a binary file (NUL byte at offset 5); expected UTF-8 text or gzip.\n", path);
    }

    /// <summary>
    /// Latin-1 vectors: the header is 4 bytes, so the ñ of "mañana" on line 2 is at offset 6. The commands that read
    /// another text input besides take <c>--vectors-encoding</c> for the vectors, leaving <c>--encoding</c> to that input.
    /// </summary>
    private const string Latin1Vectors = "3 2\nmañana 1 0\njamás 0.9 0.1\nnunca 0 1\n";

    [Theory]
    [InlineData("similar")]
    [InlineData("analogy")]
    [InlineData("similarity")]
    [InlineData("print-vectors")]
    [InlineData("query")]
    [InlineData("convert")]
    [InlineData("map")]
    [InlineData("evaluate")]
    [InlineData("quantize")]
    [InlineData("pq")]
    [InlineData("lm-train")]
    public void Latin1Vectors_EveryVectorReader_FailsWithOneLineNamingFileLineAndByte(string command)
    {
        string vectors = Write("latin1.vec", Encoding.Latin1.GetBytes(Latin1Vectors));
        string pairs = Write("pairs.tsv", "nunca\tjamás\t1\n");
        string corpus = Write("corpus.txt", "nunca jamás\n");
        string[] arguments = command switch
        {
            "similar" => ["similar", "--vectors", vectors, "--word", "nunca"],
            "analogy" => ["analogy", "--vectors", vectors, "nunca", "nunca", "nunca"],
            "similarity" => ["similarity", "--vectors", vectors, "nunca", "nunca"],
            "convert" => ["convert", "--input", vectors, "--output", _temp.File("out.txt"), "--format", "text"],
            "map" => ["map", "--vectors", vectors, "--output", _temp.File("map.svg")],
            "evaluate" => ["evaluate", "--vectors", vectors, "--similarity", pairs],
            "quantize" => ["quantize", "--vectors", vectors, "--clusters", "2", "--output", _temp.File("q")],
            "pq" => ["pq", "--vectors", vectors, "--subspaces", "1", "--output", _temp.File("pq")],
            "lm-train" => ["lm-train", "--input", corpus, "--vectors", vectors, "--output", _temp.File("lm")],
            _ => [command, "--vectors", vectors],
        };

        Tool.Result result = Tool.RunWithBytes("nunca\n"u8.ToArray(), arguments);

        result.ExitCode.Should().Be(1, command);
        string option = command is "evaluate" or "pq" or "lm-train" or "query" or "print-vectors" ? "--vectors-encoding" : "--encoding";
        string hint = $"If it is Latin-1 or Windows-1252 text, pass {option} latin1 or {option} cp1252; {option} replace reads each invalid byte as U+FFFD.";
        result.StandardError.Should().Be($"error: '{vectors}' is not valid UTF-8: line 2 has the byte 0xF1 at offset 6, which cannot stand there in UTF-8. {hint}\n", command);
    }

    [Fact]
    public void Latin1Vectors_WithEncodingLatin1_ReadTheAccentedWords()
    {
        string vectors = Write("latin1.vec", Encoding.Latin1.GetBytes(Latin1Vectors));

        Tool.Result similar = Tool.Run("similar", "--vectors", vectors, "--word", "mañana", "--top", "1", "--encoding", "latin1");
        Tool.Result printed = Tool.RunWithBytes(Encoding.Latin1.GetBytes("jamás\n"), "print-vectors", "--vectors", vectors, "--encoding", "latin1", "--vectors-encoding", "latin1");

        similar.ExitCode.Should().Be(0, similar.StandardError);
        similar.StandardOutput.Should().StartWith("jamás\t");
        printed.ExitCode.Should().Be(0, printed.StandardError);
        printed.StandardOutput.Should().Be("jamás 0.9 0.1\n");
    }

    [Fact]
    public void Latin1Word2VecBinary_IsAnErrorNamingTheEntry_AndReadWithLatin1()
    {
        byte[] one = BitConverter.GetBytes(1f), zero = BitConverter.GetBytes(0f);
        string vectors = Write("latin1.bin", [.. "2 2\nnunca "u8, .. one, .. zero, (byte)'\n', .. Encoding.Latin1.GetBytes("jamás "), .. zero, .. one, (byte)'\n']);

        Tool.Result strict = Tool.Run("similarity", "--vectors", vectors, "nunca", "jamás");
        Tool.Result decoded = Tool.Run("similarity", "--vectors", vectors, "nunca", "jamás", "--encoding", "latin1");

        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().Be($"error: '{vectors}' is not valid UTF-8: the word of vector 2 of 2 has the byte 0xE1 at offset 22, which cannot stand there in UTF-8. {Hint}\n");
        decoded.ExitCode.Should().Be(0, decoded.StandardError);
        decoded.StandardOutput.Should().Be("0\n");
    }

    [Fact]
    public void Latin1Vectors_WithEncodingReplace_KeepTheReplacementCharacter()
    {
        string vectors = Write("latin1.vec", Encoding.Latin1.GetBytes(Latin1Vectors));
        string output = _temp.File("out.txt");

        Tool.Result result = Tool.Run("convert", "--input", vectors, "--output", output, "--format", "text", "--encoding", "replace");

        result.ExitCode.Should().Be(0, result.StandardError);
        File.ReadAllText(output).Should().StartWith("3 2\nma\uFFFDana ").And.Contain("\njam\uFFFDs ");
    }

    [Theory]
    [InlineData("query")]
    [InlineData("print-vectors")]
    public void StandardInputOfQueryAndPrintVectors_IsStrictUtf8_RefusesGzipAndBinary_AndFollowsTheEncoding(string command)
    {
        string vectors = Write("vectors.vec", Latin1Vectors);

        Tool.Result strict = Tool.RunWithBytes(Encoding.Latin1.GetBytes("nunca\nmañana\n"), command, "--vectors", vectors);
        Tool.Result gzip = Tool.RunWithBytes(GzipBytes.Of("nunca\n"u8.ToArray()), command, "--vectors", vectors);
        Tool.Result binary = Tool.RunWithBytes([.. "nunca\n"u8, 0, 1], command, "--vectors", vectors);
        Tool.Result decoded = Tool.RunWithBytes(Encoding.Latin1.GetBytes("mañana\n"), command, "--vectors", vectors, "--encoding", "latin1");

        strict.ExitCode.Should().Be(1);
        strict.StandardError.Should().EndWith($"error: 'standard input' is not valid UTF-8: line 2 has the byte 0xF1 at offset 8, which cannot stand there in UTF-8. {Hint}\n");
        gzip.ExitCode.Should().Be(1);
        gzip.StandardError.Should().Be("error: standard input is gzip-compressed: decompress it first (gunzip -c FILE | …)\n");
        binary.ExitCode.Should().Be(1);
        binary.StandardError.Should().Be("error: standard input holds binary data (a NUL byte at byte 6); expected UTF-8 text\n");
        decoded.ExitCode.Should().Be(0, decoded.StandardError);
        decoded.StandardOutput.Should().StartWith(command == "query" ? "jamás\t" : "mañana 1 0\n");
    }

    [Fact]
    public void UnknownEncoding_IsAParseErrorListingTheChoices()
    {
        Tool.Result result = Tool.Run("vocab", "--input", "x.txt", "--encoding", "latin-1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: unknown encoding 'latin-1'; did you mean 'latin1'?");
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
