using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests.Reliability;

/// <summary>
/// Issue 15, "nothing lost": every output is checked before a command reads its input, the main output is written
/// before the secondary ones, a result that cannot be written is saved elsewhere, and a resumed run reports the words
/// and time of its own process.
/// </summary>
public class OutputChecksTests
{
    /// <summary>
    /// Each command that writes files, its input missing: an error about the output (not the input) shows that the
    /// output was checked before the input was even opened.
    /// </summary>
    public static TheoryData<string[]> CommandsWithAnOutput => new()
    {
        { new[] { "train", "--input", "{dir}/missing.txt", "--output", "{out}" } },
        { new[] { "lm-train", "--input", "{dir}/missing.txt", "--vectors", "{dir}/missing.vec", "--output", "{out}" } },
        { new[] { "quantize", "--vectors", "{dir}/missing.vec", "--output", "{out}" } },
        { new[] { "pq", "--vectors", "{dir}/missing.vec", "--output", "{out}" } },
        { new[] { "ppmi", "--input", "{dir}/missing.txt", "--output", "{out}" } },
        { new[] { "convert", "--input", "{dir}/missing.vec", "--output", "{out}", "--format", "text" } },
        { new[] { "map", "--vectors", "{dir}/missing.vec", "--output", "{out}" } },
        { new[] { "vocab", "--input", "{dir}/missing.txt", "--output", "{out}" } },
        { new[] { "preprocess", "--input", "{dir}/missing.txt", "--output", "{out}" } },
    };

    [Theory]
    [MemberData(nameof(CommandsWithAnOutput))]
    public void OutputInMissingFolder_FailsBeforeReadingTheInput(string[] arguments)
    {
        using var temp = new TempDirectory();
        string output = temp.File("no/such/out.bin");

        Tool.Result result = Tool.Run(Resolve(arguments, temp, output));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: cannot write --output '{output}': there is no folder '{temp.File("no/such")}'\n");
        result.StandardOutput.Should().BeEmpty();
    }

    [Theory]
    [MemberData(nameof(CommandsWithAnOutput))]
    public void OutputIsAFolder_FailsBeforeReadingTheInput(string[] arguments)
    {
        using var temp = new TempDirectory();
        string output = temp.File("folder");
        Directory.CreateDirectory(output);

        Tool.Result result = Tool.Run(Resolve(arguments, temp, output));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: cannot write --output '{output}': it is a folder; a file is expected here\n");
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty();
    }

    [Fact]
    public void OutputIsAFolder_OnALargeCorpus_FailsAtOnceWithoutTraining()
    {
        using var temp = new TempDirectory();
        string corpus = temp.File("tokens.txt");
        File.WriteAllText(corpus, LargeCorpus());
        Directory.CreateDirectory(temp.File("out"));

        var clock = Stopwatch.StartNew();
        Tool.Result result = Tool.Run("train", "--input", corpus, "--output", temp.File("out"), "--epochs", "50", "--threads", "1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith($"error: cannot write --output '{temp.File("out")}': it is a folder");
        result.StandardOutput.Should().BeEmpty("nothing was trained");
        // 50 epochs over 240,000 words take minutes on one thread; the refusal takes the time to start the tool.
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("--plot", "no/loss.svg", "cannot write --plot '{path}': there is no folder '{dir}/no'")]
    [InlineData("--save-model", "folder", "cannot write --save-model '{path}': it is a folder; a file is expected here")]
    [InlineData("--checkpoint", "file.txt", "cannot write --checkpoint '{path}': it is a file; a folder is expected here")]
    [InlineData("--checkpoint", "file.txt/ckpt", "cannot create --checkpoint '{path}': '{dir}/file.txt' is a file, not a folder")]
    public void SecondaryOutputThatCannotBeWritten_FailsBeforeTraining(string option, string relative, string expected)
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("folder"));
        File.WriteAllText(temp.File("file.txt"), "not a folder");
        string path = temp.File(relative);

        Tool.Result result = Tool.Run("train", "--input", temp.File("missing.txt"), "--output", temp.File("v.bin"), option, path);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("error: " + expected.Replace("{path}", path, StringComparison.Ordinal).Replace("{dir}", temp.Path, StringComparison.Ordinal) + "\n");
        File.Exists(temp.File("v.bin")).Should().BeFalse();
    }

    [Fact]
    public void CheckpointFolderToCreate_Passes()
    {
        using var temp = new TempDirectory();
        string corpus = temp.File("tokens.txt");
        File.WriteAllText(corpus, "a b c a b\nc a b\n");

        Tool.Result result = Tool.Run("train", "--input", corpus, "--output", temp.File("v.txt"), "--format", "text", "--min-count", "1",
            "--dim", "4", "--epochs", "2", "--threads", "1", "--checkpoint", temp.File("new/ckpt"));

        result.ExitCode.Should().Be(0, result.StandardError);
        File.Exists(temp.File("new/ckpt/word2vec.checkpoint")).Should().BeTrue();
    }

    [Fact]
    public void PlotThatFailsAfterTraining_LeavesTheVectorsWritten()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(temp.File("plots"));

        // The plots' folder passes the check, then goes away while the tool reads its input: the plot cannot be
        // written, and the vectors, written first, are there.
        Tool.Result result = Tool.RunWhileReading(LargeCorpus(), () => Directory.Delete(temp.File("plots")),
            "train", "--input", "-", "--output", temp.File("v.bin"), "--plot", temp.File("plots/loss.svg"),
            "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: ").And.Contain("loss.svg");
        new FileInfo(temp.File("v.bin")).Length.Should().BeGreaterThan(10 * 8 * 4);
    }

    [Fact]
    public void OutputThatFailsAfterTraining_SavesTheModelBesideItAndSaysWhere()
    {
        using var temp = new TempDirectory();
        string output = temp.File("v.bin");

        // A folder appears at the output's path after the check: the write fails, the trained model is kept.
        Tool.Result result = Tool.RunWhileReading(LargeCorpus(), () => Directory.CreateDirectory(output),
            "train", "--input", "-", "--output", output, "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1");

        result.ExitCode.Should().Be(1);
        string[] rescued = Directory.GetFiles(temp.Path, "v.bin.rescued-*");
        rescued.Should().ContainSingle();
        result.StandardError.Should().StartWith($"error: cannot write --output: '{output}' is a folder")
            .And.Contain($"the result is saved in '{rescued[0]}' instead")
            .And.EndWith("\n").And.NotContain("\n   at ");
        result.StandardError.TrimEnd('\n').Should().NotContain("\n", "one line");

        // What the message says to run turns it into the vectors asked for.
        Tool.Result converted = Tool.Run("convert", "--input", rescued[0], "--output", temp.File("v2.bin"), "--format", "binary");
        converted.ExitCode.Should().Be(0, converted.StandardError);
        converted.StandardOutput.Should().StartWith("10 words × 8");
    }

    [Fact]
    public void OutputThatFailsAfterTraining_WithCheckpoints_SavesTheModelInTheCheckpointFolder()
    {
        using var temp = new TempDirectory();
        string output = temp.File("v.bin"), checkpoints = temp.File("ckpt");

        Tool.Result result = Tool.RunWhileReading(LargeCorpus(), () => Directory.CreateDirectory(output),
            "train", "--input", "-", "--output", output, "--checkpoint", checkpoints, "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1");

        result.ExitCode.Should().Be(1);
        string rescued = Directory.GetFiles(checkpoints, "v.bin.rescued-*").Should().ContainSingle().Subject;
        result.StandardError.Should().Contain($"the result is saved in '{rescued}' instead");
    }

    [Fact]
    public void LanguageModelThatCannotBeWritten_IsSavedBesideTheOutput()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("v.txt"), "2 3\ncat 1 0 0\ndog 0 1 0\n");
        // Over a megabyte of text (for the pipe), nearly all of it words the vectors do not have: a short stream of ids.
        string text = string.Concat(Enumerable.Repeat("cat dog cat cat dog\n", 200)) + string.Concat(Enumerable.Repeat("filler words nobody knows here\n", 40_000));
        string output = temp.File("lm");

        Tool.Result result = Tool.RunWhileReading(text, () => Directory.CreateDirectory(output),
            "lm-train", "--input", "-", "--vectors", temp.File("v.txt"), "--output", output, "--epochs", "1", "--hidden", "4", "--threads", "1");

        result.ExitCode.Should().Be(1);
        string rescued = Directory.GetFiles(temp.Path, "lm.rescued-*").Should().ContainSingle().Subject;
        result.StandardError.Should().Contain($"the result is saved in '{rescued}' instead: move it to '{output}'");
        Tool.Result generated = Tool.Run("generate", "--model", rescued, "--prompt", "cat", "--length", "3");
        generated.ExitCode.Should().Be(0, generated.StandardError);
    }

    [Fact]
    public void Resume_ReportsTheWordsAndTimeOfItsOwnProcess()
    {
        using var temp = new TempDirectory();
        string corpus = temp.File("tokens.txt");
        // 32,000 tokens, of which the 1,000 of "rare…" words fall under --min-count 2.
        File.WriteAllLines(corpus, Enumerable.Range(0, 4_000).Select(i => i % 4 == 0
            ? $"cat dog horse cow sheep one two rare{i}"
            : "cat dog horse cow one two three four"));
        string checkpoints = temp.File("ckpt");

        Tool.Result first = Tool.Run("train", "--input", corpus, "--output", temp.File("a.bin"), "--dim", "16", "--min-count", "2",
            "--epochs", "3", "--threads", "1", "--checkpoint", checkpoints, "--json");
        Tool.Result resumed = Tool.Run("train", "--input", corpus, "--output", temp.File("b.bin"), "--threads", "1", "--resume", checkpoints, "--json");

        first.ExitCode.Should().Be(0, first.StandardError);
        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        using JsonDocument whole = JsonDocument.Parse(first.StandardOutput), rest = JsonDocument.Parse(resumed.StandardOutput);

        // Both count every token of the text, and the kept ones apart.
        foreach (JsonElement run in new[] { whole.RootElement, rest.RootElement })
        {
            run.GetProperty("corpus_words").GetInt64().Should().Be(32_000);
            run.GetProperty("trained_words").GetInt64().Should().Be(31_000);
            run.GetProperty("epochs").GetInt32().Should().Be(3);
        }

        // The checkpoint is the start of the last epoch: the resumed process trained one epoch, and its speed is that
        // epoch's words over its own time, not three epochs' worth.
        whole.RootElement.GetProperty("epochs_this_run").GetDouble().Should().BeApproximately(3, 1e-9);
        rest.RootElement.GetProperty("epochs_this_run").GetDouble().Should().BeApproximately(1, 1e-9);
        rest.RootElement.GetProperty("resumed").GetBoolean().Should().BeTrue();
        foreach ((JsonElement run, int epochs) in new[] { (whole.RootElement, 3), (rest.RootElement, 1) })
        {
            double words = run.GetProperty("words_per_second").GetDouble() * run.GetProperty("train_seconds").GetDouble();
            words.Should().BeApproximately(32_000.0 * epochs, 32_000.0 * epochs * 1e-6);
        }
    }

    [Fact]
    public void Resume_TextReport_SaysHowManyEpochsThisProcessTrained()
    {
        using var temp = new TempDirectory();
        string corpus = temp.File("tokens.txt");
        File.WriteAllLines(corpus, Enumerable.Range(0, 1_000).Select(_ => "cat dog horse cow one two three four"));
        string checkpoints = temp.File("ckpt");

        Tool.Run("train", "--input", corpus, "--output", temp.File("a.bin"), "--dim", "8", "--min-count", "1", "--epochs", "2",
            "--threads", "1", "--checkpoint", checkpoints).ExitCode.Should().Be(0);
        Tool.Result resumed = Tool.Run("train", "--input", corpus, "--output", temp.File("b.bin"), "--threads", "1", "--resume", checkpoints);

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        resumed.StandardOutput.Should().StartWith("trained 8 words × 8 on 8,000 words (8,000 kept) × 1 of 2 epochs in ");
    }

    [Fact]
    public void StopwordsFolder_SaysItIsAFolder()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("text.txt"), "the cat\n");
        Directory.CreateDirectory(temp.File("lists"));

        Tool.Result result = Tool.Run("preprocess", "--input", temp.File("text.txt"), "--stopwords", temp.File("lists"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: --stopwords '{temp.File("lists")}' is a folder; give english, spanish or a file of words, one a line\n");
    }

    private static string[] Resolve(string[] arguments, TempDirectory temp, string output) =>
        [.. arguments.Select(a => a.Replace("{out}", output, StringComparison.Ordinal).Replace("{dir}", temp.Path, StringComparison.Ordinal))];

    /// <summary>About 1.2 MB of tokens over ten words (more than a pipe holds), one sentence of eight a line.</summary>
    private static string LargeCorpus()
    {
        string[] words = ["cat", "dog", "horse", "cow", "sheep", "one", "two", "three", "four", "five"];
        var text = new StringBuilder();
        for (int i = 0; i < 30_000; i++)
        {
            for (int j = 0; j < 8; j++)
            {
                text.Append(words[((i * 7) + (j * 3) + (i / 10)) % words.Length]).Append(j < 7 ? ' ' : '\n');
            }
        }

        return text.ToString();
    }
}
