using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary>
/// The mistakes users make, each answered by one line <c>error: …</c> on standard error and exit code 1, in plain
/// words: the file as typed and what is wrong with it, never .NET's wording. <c>{dir}</c> in a row is the folder
/// holding the files the row can use (see <see cref="Prepare"/>).
/// </summary>
public partial class ErrorMessageTests
{
    /// <summary>Mistake → arguments (standard input: none, "gzip" or "nul") → the exact line on standard error.</summary>
    public static TheoryData<string, string?, string[], string> Mistakes => new()
    {
        { "wrong path", null, ["similar", "--vectors", "{dir}/missing.vec", "--word", "madrid"], "error: '{dir}/missing.vec' does not exist." },
        { "wrong path, opened by the runtime", null, ["evaluate", "--vectors", "{dir}/vectors.txt", "--analogies", "{dir}/questions.txt"], "error: '{dir}/questions.txt' does not exist" },
        { "wrong input path", null, ["preprocess", "--input", "{dir}/missing.txt"], "error: '{dir}/missing.txt' does not exist." },
        { "missing output folder", null, ["vocab", "--input", "{dir}/tokens.txt", "--output", "{dir}/no/counts.txt"], "error: cannot write --output '{dir}/no/counts.txt': there is no folder '{dir}/no'" },
        { "missing folder to read from", null, ["evaluate", "--vectors", "{dir}/vectors.txt", "--analogies", "{dir}/no/questions.txt"], "error: '{dir}/no/questions.txt': there is no folder '{dir}/no'" },
        { "a folder given as an output file", null, ["vocab", "--input", "{dir}/tokens.txt", "--output", "{dir}/folder"], "error: cannot write --output '{dir}/folder': it is a folder; a file is expected here" },
        { "a folder given as a file", null, ["evaluate", "--vectors", "{dir}/vectors.txt", "--similarity", "{dir}/folder"], "error: '{dir}/folder' is a folder; a file is expected here" },
        { "not a whole number", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--dim", "abc"], "error: --dim: 'abc' is not a whole number" },
        { "a fraction for a count", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--epochs", "2.5"], "error: --epochs: '2.5' is not a whole number" },
        { "too large a number", null, ["similar", "--vectors", "{dir}/vectors.txt", "--word", "madrid", "--top", "99999999999"], "error: --top: '99999999999' is too large (the most is 2147483647)" },
        { "not a whole number where a validator also looks", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--threads", "two"], "error: --threads: 'two' is not a whole number" },
        { "unknown option without a close one", null, ["similar", "--vectors", "{dir}/vectors.txt", "--word", "madrid", "--threads", "2"], "error: unknown option '--threads' for 'similar'; run 'embeddings similar --help' to list the options" },
        { "count below one", null, ["similar", "--vectors", "{dir}/vectors.txt", "--word", "madrid", "--top", "0"], "error: --top must be at least 1 (was 0)" },
        { "negative seed", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--seed", "-1"], "error: --seed: '-1' is negative; give 0 or more" },
        { "not a number", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--sample", "often"], "error: --sample: 'often' is not a number" },
        { "misspelt model", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--model", "skipgrm"], "error: unknown model 'skipgrm'; did you mean 'skipgram'?" },
        { "unknown model", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--model", "glove"], "error: unknown model 'glove'; use cbow or skipgram" },
        { "misspelt format", null, ["convert", "--input", "{dir}/vectors.txt", "--output", "{dir}/v.vec", "--format", "Vec"], "error: unknown format 'Vec'; did you mean 'vec'?" },
        { "misspelt tokenizer", null, ["preprocess", "--input", "{dir}/tokens.txt", "--tokenizer", "wrd"], "error: unknown tokenizer 'wrd'; did you mean 'word'?" },
        { "misspelt cell", null, ["lm-train", "--input", "{dir}/tokens.txt", "--vectors", "{dir}/vectors.txt", "--output", "{dir}/lm", "--cell", "lstn"], "error: unknown cell 'lstn'; did you mean 'lstm'?" },
        { "misspelt language", null, ["stem", "--language", "englsh"], "error: unknown language 'englsh'; did you mean 'english'?" },
        { "misspelt stopword list", null, ["preprocess", "--input", "{dir}/tokens.txt", "--stopwords", "spanich"], "error: unknown stopwords 'spanich'; did you mean 'spanish'? (or a file of words that exists)" },
        { "unknown option", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--dimm", "50"], "error: unknown option '--dimm' for 'train'; did you mean '--dim'?" },
        { "misspelt command", null, ["trian", "--input", "{dir}/tokens.txt"], "error: unknown command 'trian'; did you mean 'train'?" },
        { "missing required options", null, ["train", "--dim", "50"], "error: missing --input and --output (required by 'train')" },
        { "option without its value", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--dim"], "error: --dim needs a value" },
        { "too few analogy words", null, ["analogy", "--vectors", "{dir}/vectors.txt", "madrid", "spain"], "error: 'analogy' needs 3 words (got 2)" },
        { "no command", null, [], "error: no command given; run 'embeddings --help' to list them" },
        { "gzip on standard input", "gzip", ["stem", "--language", "spanish"], "error: standard input is gzip-compressed: decompress it first (gunzip -c FILE | …)" },
        { "gzip on standard input, file option", "gzip", ["vocab", "--input", "-"], "error: standard input is gzip-compressed: decompress it first or pass the file with --input" },
        { "NUL bytes on standard input", "nul", ["stem", "--language", "english"], "error: standard input holds binary data (a NUL byte at byte 5); expected UTF-8 text" },
        { "NUL bytes in a file", null, ["lm-train", "--input", "{dir}/binary.dat", "--vectors", "{dir}/vectors.txt", "--output", "{dir}/lm"], "error: '{dir}/binary.dat' looks like a binary file (NUL byte at offset 5); expected UTF-8 text or gzip." },
        { "empty file to count", null, ["vocab", "--input", "{dir}/empty.txt"], "error: '{dir}/empty.txt' holds no words to count" },
        { "empty file to train on", null, ["train", "--input", "{dir}/blank.txt", "--output", "{dir}/v.bin"], "error: '{dir}/blank.txt' holds no words: train reads tokens separated by spaces, e.g. the output of preprocess" },
        { "unknown word", null, ["similar", "--vectors", "{dir}/vectors.txt", "--word", "dragon"], "error: 'dragon' is not in the vocabulary of 6 words." },
        { "upper-case word on lower-case vectors", null, ["similar", "--vectors", "{dir}/vectors.txt", "--word", "Madrid"], "error: 'Madrid' is not in the vocabulary of 6 words; did you mean 'madrid'?" },
        { "unknown device", null, ["train", "--input", "{dir}/tokens.txt", "--output", "{dir}/v.bin", "--device", "tpu"], "error: Unknown device 'tpu'; use cpu, cpu:THREADS, opencl, opencl:gpu, opencl:cpu, opencl:PLATFORM:DEVICE or best (see 'embeddings devices')." },
        { "misspelt classifier family", null, ["classify", "train", "--input", "{dir}/labelled.txt", "--output", "{dir}/m.emtc", "--model", "fastext"], "error: unknown model 'fastext'; did you mean 'fasttext'?" },
        { "misspelt classifier loss", null, ["classify", "train", "--input", "{dir}/labelled.txt", "--output", "{dir}/m.emtc", "--loss", "hss"], "error: unknown loss 'hss'; did you mean 'hs'?" },
        { "labelled line without a label", null, ["classify", "train", "--input", "{dir}/tokens.txt", "--output", "{dir}/m.emtc"], "error: '{dir}/tokens.txt' line 1: the example has no label (labels are tokens starting with '__label__', as in '__label__positive great film')." },
        { "vectors given as a classifier", null, ["classify", "test", "--model", "{dir}/vectors.txt", "--input", "{dir}/labelled.txt"], "error: '{dir}/vectors.txt' is not a text classifier; `classify test` needs a model written by `embeddings classify train`" },
        { "clusters below one", null, ["quantize", "--vectors", "{dir}/vectors.txt", "--clusters", "-1", "--output", "{dir}/q.embk"], "error: --clusters must be at least 1 (was -1)" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void Mistake_PrintsOnePlainLineAndExitsWithOne(string mistake, string? standardInput, string[] arguments, string expected)
    {
        using var temp = new TempDirectory();
        Prepare(temp.Path);
        string[] resolved = [.. arguments.Select(a => a.Replace("{dir}", temp.Path, StringComparison.Ordinal))];

        Tool.Result result = standardInput switch
        {
            "gzip" => Tool.RunWithBytes(Gzip("caballero\nmolinos\n"), resolved),
            "nul" => Tool.RunWithBytes([.. "word\n"u8, 0, .. "\n"u8], resolved),
            _ => Tool.Run(resolved),
        };

        result.ExitCode.Should().Be(1, mistake);
        result.StandardError.Should().Be(expected.Replace("{dir}", temp.Path, StringComparison.Ordinal) + "\n", mistake);
        result.StandardOutput.Should().BeEmpty("the help text is for --help: {0}", mistake);
        DotNetWording().IsMatch(result.StandardError).Should().BeFalse(mistake);
    }

    [Fact]
    public void ParseError_Verbose_StillOneLine_AndHelpStaysAvailable()
    {
        Tool.Result error = Tool.Run("train", "--input", "tokens.txt", "--output", "v.bin", "--dim", "abc", "--verbose");
        Tool.Result help = Tool.Run("train", "--help");

        error.ExitCode.Should().Be(1);
        error.StandardError.Should().Be("error: --dim: 'abc' is not a whole number\n", "a command line has no stack to show");
        help.ExitCode.Should().Be(0);
        help.StandardOutput.Should().Contain("--dim").And.Contain("--model");
        help.StandardError.Should().BeEmpty();
    }

    [Fact]
    public void FileError_Verbose_AddsTheTrace()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("folder"));

        Tool.Result result = Tool.Run("similar", "--vectors", temp.File("folder"), "--word", "x", "--verbose");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith($"error: '{temp.File("folder")}' is a folder").And.Contain("   at ");
    }

    [Fact]
    public void StandardInput_PlainText_IsReadByEveryCommandThatTakesIt()
    {
        using var temp = new TempDirectory();
        Tool.Result trained = Tool.RunWithInput("a b c a b\nc a b\n", "train", "--input", "-", "--output", temp.File("v.txt"), "--format", "text", "--min-count", "1", "--dim", "4", "--epochs", "1", "--threads", "1");
        Tool.Result stems = Tool.RunWithInput("caballeros\n", "stem", "--language", "spanish");
        Tool.Result counts = Tool.RunWithInput("a b a\n", "vocab", "--input", "-", "--min-count", "1");
        Tool.Result tokens = Tool.RunWithInput("Hola, Mundo\n", "preprocess", "--input", "-", "--lowercase", "--tokenizer", "word");
        Tool.Result column = Tool.RunWithInput("id,text\n1,\"uno, dos\"\n", "preprocess", "--input", "-", "--csv-column", "text", "--tokenizer", "word");

        stems.StandardOutput.Should().Be("caballer\n");
        counts.StandardOutput.Should().Be("a 2\nb 1\nvocab_size 2\n");
        tokens.StandardOutput.Should().Be("hola mundo\n");
        column.StandardOutput.Should().Be("uno dos\n");
        trained.ExitCode.Should().Be(0, trained.StandardError);
        File.ReadAllLines(temp.File("v.txt"))[0].Should().Be("3 4", "train read standard input twice: counting, then encoding");
    }

    [Fact]
    public void StandardInput_ReadTwice_IsCopiedBesideTheOutputAndGivesTheFilesResult()
    {
        using var temp = new TempDirectory();
        string text = string.Concat(Enumerable.Range(0, 60).Select(i => $"w{i % 7} w{(i * 3) % 5} w{i % 4} w{(i + 1) % 6}\n"));
        File.WriteAllText(temp.File("tokens.txt"), text);
        File.WriteAllText(temp.File("vectors.txt"), "7 2\n" + string.Concat(Enumerable.Range(0, 7).Select(i => $"w{i} 0.{i} 0.{9 - i}\n")));
        string[] ppmi = ["ppmi", "--dim", "2", "--min-count", "1", "--threads", "1"];
        string[] lm = ["lm-train", "--vectors", temp.File("vectors.txt"), "--hidden", "4", "--seq-len", "3", "--epochs", "1", "--threads", "1", "--json"];

        Tool.Result ppmiFile = Tool.Run([.. ppmi, "--input", temp.File("tokens.txt"), "--output", temp.File("file.bin")]);
        Tool.Result ppmiInput = Tool.RunWithInput(text, [.. ppmi, "--input", "-", "--output", temp.File("stdin.bin")]);
        Tool.Result lmFile = Tool.Run([.. lm, "--input", temp.File("tokens.txt"), "--output", temp.File("file.lm")]);
        Tool.Result lmInput = Tool.RunWithInput(text, [.. lm, "--input", "-", "--output", temp.File("stdin.lm")]);

        new[] { ppmiFile, ppmiInput, lmFile, lmInput }.Should().OnlyContain(r => r.ExitCode == 0);
        File.ReadAllBytes(temp.File("stdin.bin")).Should().Equal(File.ReadAllBytes(temp.File("file.bin")));
        foreach (string field in new[] { "words", "ids", "loss" })
        {
            Json(lmInput, field).Should().Be(Json(lmFile, field), field);
        }

        Directory.GetFiles(temp.Path).Select(Path.GetFileName).Should().BeEquivalentTo(
            ["tokens.txt", "vectors.txt", "file.bin", "stdin.bin", "file.lm", "stdin.lm"], "the copy of standard input is deleted");
    }

    private static string Json(Tool.Result result, string field) =>
        System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty(field).GetRawText();

    /// <summary>The files rows name: lower-case vectors, a token file, empty and binary files, a folder.</summary>
    private static void Prepare(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "vectors.txt"), "6 3\nmadrid 1 0 0\nspain 1 1 0\nparis 0 1 0\nfrance 0 1 1\nking 0 0 1\nqueen 0.1 0 1\n");
        File.WriteAllText(Path.Combine(folder, "tokens.txt"), "madrid spain paris france\nking queen madrid paris\n");
        File.WriteAllText(Path.Combine(folder, "empty.txt"), string.Empty);
        File.WriteAllText(Path.Combine(folder, "labelled.txt"), "__label__city madrid paris\n__label__royal king queen\n");
        File.WriteAllText(Path.Combine(folder, "blank.txt"), "\n  \n\n");
        File.WriteAllBytes(Path.Combine(folder, "binary.dat"), [.. "word\n"u8, 0, 1, 2]);
        Directory.CreateDirectory(Path.Combine(folder, "folder"));
    }

    private static byte[] Gzip(string text)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return compressed.ToArray();
    }

    /// <summary>What a user must not see: .NET type names, argument-exception suffixes, the runtime's file messages.</summary>
    [GeneratedRegex(@"System\.|\(Parameter '|Actual value was|Exception|Could not find|Access to the path|Unhandled")]
    private static partial Regex DotNetWording();
}
