using System.Globalization;
using System.Text;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Classification;
using Embeddings.Core.IO;
using Embeddings.Core.Sequences;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests.Reliability;

/// <summary>
/// What schedulers and users do to long runs: SIGTERM (<c>timeout</c>, <c>docker stop</c>, job schedulers), SIGHUP (a
/// closed terminal), <c>kill -9</c>, two runs on one checkpoint folder. The real tool runs as a process with one thread
/// and a private temporary folder; the tests wait for a checkpoint to appear before they signal, not for a fixed time.
/// </summary>
public class SignalTests
{
    private const int Terminated = 143, HungUp = 129;

    /// <summary>A corpus that trains for a few seconds with one thread: long enough to be stopped in its first epoch.</summary>
    private static string WriteCorpus(TempDirectory temp)
    {
        var random = new Random(11);
        string[] words = [.. Enumerable.Range(0, 400).Select(i => string.Create(CultureInfo.InvariantCulture, $"w{i}"))];
        string path = temp.File("tokens.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 8_000).Select(_ =>
            string.Join(' ', Enumerable.Range(0, 25).Select(_ => words[(int)(words.Length * Math.Pow(random.NextDouble(), 2))]))));
        return path;
    }

    private static string[] TrainArguments(string corpus, string output) =>
        ["train", "--input", corpus, "--output", output, "--dim", "32", "--min-count", "1", "--epochs", "3", "--threads", "1", "--seed", "7"];

    /// <summary>The tool's environment: temporary files go to a private folder, so that the test sees any left behind.</summary>
    private static Dictionary<string, string> PrivateTemp(TempDirectory temp)
    {
        string folder = temp.File("tmp");
        Directory.CreateDirectory(folder);
        return new Dictionary<string, string> { ["TMPDIR"] = folder };
    }

    /// <summary>Starts training with checkpoints every few thousand words and waits for the first one.</summary>
    private static Tool.Running StartCheckpointedTraining(TempDirectory temp, string corpus, string checkpoints, params string[] more)
    {
        Tool.Running run = Tool.StartInBackground(PrivateTemp(temp),
            [.. TrainArguments(corpus, temp.File("stopped.bin")), "--checkpoint", checkpoints, "--checkpoint-words", "5000", .. more]);
        run.WaitUntil(() => File.Exists(Path.Combine(checkpoints, Word2VecCheckpoint.FileName)), "a checkpoint");
        return run;
    }

    private static void ShouldHoldOnlyTheCheckpoint(string checkpoints, string fileName) =>
        Directory.EnumerateFileSystemEntries(checkpoints).Select(Path.GetFileName).Should().Equal([fileName], "the lock and the encoded corpus are removed");

    /// <summary>
    /// Runs a command with checkpoints, sends SIGTERM once its first checkpoint exists, and checks the stop: exit 143,
    /// the line saying where the checkpoint is, only the checkpoint left in its folder and nothing in the temporary folder.
    /// </summary>
    private static void StopAtACheckpointWithSigterm(TempDirectory temp, string[] arguments, string checkpoints, string fileName)
    {
        Tool.Result stopped;
        using (Tool.Running run = Tool.StartInBackground(PrivateTemp(temp), arguments))
        {
            run.WaitUntil(() => File.Exists(Path.Combine(checkpoints, fileName)), "a checkpoint");
            run.Signal("TERM");
            stopped = run.WaitForExit();
        }

        stopped.ExitCode.Should().Be(Terminated, stopped.StandardError);
        stopped.StandardError.Should().EndWith($"checkpoint written to '{checkpoints}': continue with --resume {checkpoints}\ncancelled by SIGTERM\n");
        ShouldHoldOnlyTheCheckpoint(checkpoints, fileName);
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Fact]
    public void Train_Sigterm_MidEpoch_ExitsWithACheckpointThatResumesToTheUninterruptedVectors()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), checkpoints = temp.File("ck");
        Tool.Result full = Tool.Run(TrainArguments(corpus, temp.File("full.bin")));
        full.ExitCode.Should().Be(0, full.StandardError);

        Tool.Result stopped;
        using (Tool.Running run = StartCheckpointedTraining(temp, corpus, checkpoints))
        {
            run.Signal("TERM");
            stopped = run.WaitForExit();
        }

        stopped.ExitCode.Should().Be(Terminated, stopped.StandardError);
        stopped.StandardError.Should().Be($"checkpoint written to '{checkpoints}': continue with --resume {checkpoints}\ncancelled by SIGTERM\n");
        Word2VecCheckpoint atStop = Word2VecCheckpoint.Load(checkpoints);
        atStop.Fraction.Should().BeInRange(0, 1.0 / 3, "stopped within the first of three epochs");
        File.Exists(temp.File("stopped.bin")).Should().BeFalse();
        ShouldHoldOnlyTheCheckpoint(checkpoints, Word2VecCheckpoint.FileName);
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();

        // --resume alone: the run carries on where it stopped, and goes on checkpointing into the same folder.
        Tool.Result resumed = Tool.RunWithEnvironment(null, PrivateTemp(temp),
            "train", "--input", corpus, "--output", temp.File("resumed.bin"), "--threads", "1", "--resume", checkpoints);

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        File.ReadAllBytes(temp.File("resumed.bin")).Should().Equal(File.ReadAllBytes(temp.File("full.bin")));
        Word2VecCheckpoint.Load(checkpoints).WordsDone.Should().BeGreaterThan(atStop.WordsDone);
        ShouldHoldOnlyTheCheckpoint(checkpoints, Word2VecCheckpoint.FileName);
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Fact]
    public void Train_Sighup_ExitsWith129AndACheckpoint()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), checkpoints = temp.File("ck");

        Tool.Result stopped;
        using (Tool.Running run = StartCheckpointedTraining(temp, corpus, checkpoints))
        {
            run.Signal("HUP");
            stopped = run.WaitForExit();
        }

        stopped.ExitCode.Should().Be(HungUp, stopped.StandardError);
        stopped.StandardError.Should().EndWith("cancelled by SIGHUP\n");
        Word2VecCheckpoint.Load(checkpoints).Fraction.Should().BeInRange(0, 1.0 / 3);
        ShouldHoldOnlyTheCheckpoint(checkpoints, Word2VecCheckpoint.FileName);
    }

    [Fact]
    public void Train_WithoutCheckpoints_Sigterm_LeavesNoFileBehind()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), output = temp.File("out").TrimEnd('/');
        Directory.CreateDirectory(output);

        // No checkpoint to wait for: the encoded corpus beside the output is the sign that training is under way.
        using Tool.Running run = Tool.StartInBackground(PrivateTemp(temp), TrainArguments(corpus, Path.Combine(output, "v.bin")));
        run.WaitUntil(() => Directory.EnumerateFiles(output, ".v.bin.corpus.*.tmp").Any(), "the encoded corpus");
        run.Signal("TERM");
        Tool.Result stopped = run.WaitForExit();

        stopped.ExitCode.Should().Be(Terminated, stopped.StandardError);
        stopped.StandardError.Should().Be("cancelled by SIGTERM\n");
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Fact]
    public void Train_KilledWithSigkill_LeavesTheLastCheckpointIntact_AndTheNextRunTakesOverAndCleansUp()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), checkpoints = temp.File("ck");
        Tool.Run(TrainArguments(corpus, temp.File("full.bin"))).ExitCode.Should().Be(0);

        int killedProcess;
        using (Tool.Running run = StartCheckpointedTraining(temp, corpus, checkpoints))
        {
            killedProcess = run.ProcessId;
            run.Signal("KILL");
            run.WaitForExit().ExitCode.Should().Be(137);
        }

        // What a killed run leaves: its lock, its encoded corpus, perhaps a half-written checkpoint (made certain here).
        CheckpointLock.Holder(checkpoints)!.ProcessId.Should().Be(killedProcess);
        Directory.EnumerateFiles(checkpoints, ".*.tmp").Should().NotBeEmpty("the encoded corpus of the killed run");
        string halfWritten = Path.Combine(checkpoints, $".{Word2VecCheckpoint.FileName}.abcdefgh.{killedProcess}.tmp");
        File.WriteAllBytes(halfWritten, new byte[100]);

        Tool.Result resumed = Tool.Run("train", "--input", corpus, "--output", temp.File("resumed.bin"), "--threads", "1", "--resume", checkpoints);

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        resumed.StandardError.Should().StartWith($"note: '{checkpoints}' was locked by run ")
            .And.Contain($"(process {killedProcess} on {Environment.MachineName}, started ")
            .And.Contain("which no longer runs; taking it over");
        File.ReadAllBytes(temp.File("resumed.bin")).Should().Equal(File.ReadAllBytes(temp.File("full.bin")), "the checkpoint the kill left is complete");
        ShouldHoldOnlyTheCheckpoint(checkpoints, Word2VecCheckpoint.FileName);
    }

    [Fact]
    public void Train_SecondRunOnAFolderInUse_FailsNamingTheFirst()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), checkpoints = temp.File("ck");
        using Tool.Running first = StartCheckpointedTraining(temp, corpus, checkpoints);

        Tool.Result second = Tool.Run([.. TrainArguments(corpus, temp.File("second.bin")), "--checkpoint", checkpoints, "--overwrite"]);

        second.ExitCode.Should().Be(1);
        second.StandardError.Should().StartWith($"error: '{checkpoints}' is in use by run ")
            .And.Contain($"(process {first.ProcessId} on {Environment.MachineName}, started ")
            .And.Contain("train --input").And.EndWith("; wait for that run to end, stop it, or choose another checkpoint folder.\n");
        second.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).Should().ContainSingle();
        File.Exists(temp.File("second.bin")).Should().BeFalse();

        first.Signal("TERM");
        first.WaitForExit().ExitCode.Should().Be(Terminated, "the second run left the first one's folder alone");
        Word2VecCheckpoint.Load(checkpoints).Fraction.Should().BeGreaterThan(0).And.BeLessThan(1, "the first run was stopped part-way and checkpointed there");
    }

    [Fact]
    public void Train_NewRunOnAnotherRunsCheckpoint_RefusesUnlessOverwrite()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), checkpoints = temp.File("ck");
        string[] small = ["train", "--input", corpus, "--dim", "8", "--min-count", "1", "--epochs", "2", "--threads", "1", "--checkpoint", checkpoints];
        Tool.Run([.. small, "--output", temp.File("a.bin")]).ExitCode.Should().Be(0);
        byte[] before = File.ReadAllBytes(Path.Combine(checkpoints, Word2VecCheckpoint.FileName));

        Tool.Result refused = Tool.Run([.. small, "--output", temp.File("b.bin"), "--seed", "9"]);
        Tool.Result overwritten = Tool.Run([.. small, "--output", temp.File("c.bin"), "--seed", "9", "--overwrite"]);

        refused.ExitCode.Should().Be(1);
        refused.StandardError.Should().Be(
            $"error: '{checkpoints}' holds the checkpoint of another run ('{Path.Combine(checkpoints, Word2VecCheckpoint.FileName)}'): continue it with --resume {checkpoints}, pass --overwrite to start afresh there, or choose another folder\n");
        File.Exists(temp.File("b.bin")).Should().BeFalse();
        overwritten.ExitCode.Should().Be(0, overwritten.StandardError);
        File.ReadAllBytes(Path.Combine(checkpoints, Word2VecCheckpoint.FileName)).Should().NotEqual(before);
    }

    [Fact]
    public void LmTrain_Sigterm_MidRun_ExitsWithACheckpointThatResumesToTheUninterruptedModel()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteLanguageModelInputs(temp);
        string checkpoints = temp.File("ck");
        string[] common = ["lm-train", "--input", tokens, "--vectors", vectors, "--hidden", "32", "--seq-len", "6", "--batch", "16",
            "--epochs", "40", "--threads", "1", "--seed", "3"];
        Tool.Result full = Tool.Run([.. common, "--output", temp.File("full.lm")]);
        full.ExitCode.Should().Be(0, full.StandardError);

        StopAtACheckpointWithSigterm(temp, [.. common, "--checkpoints", checkpoints, "--output", temp.File("stopped.lm")], checkpoints, LanguageModelTrainer.CheckpointFileName);
        File.Exists(temp.File("stopped.lm")).Should().BeFalse();
        int stoppedAt = EpochsIn(Path.Combine(checkpoints, LanguageModelTrainer.CheckpointFileName));
        stoppedAt.Should().BeLessThan(40);

        Tool.Result resumed = Tool.RunWithEnvironment(null, PrivateTemp(temp), [.. common, "--resume", checkpoints, "--output", temp.File("resumed.lm")]);

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        LanguageModel expected = LanguageModel.Load(temp.File("full.lm")), actual = LanguageModel.Load(temp.File("resumed.lm"));
        actual.NextTokenProbabilities([0, 1, 2, 3, 4, 5]).Should().Equal(expected.NextTokenProbabilities([0, 1, 2, 3, 4, 5]));
        actual.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(expected.Report.Epochs.Select(e => e.TrainingLoss));
        EpochsIn(Path.Combine(checkpoints, LanguageModelTrainer.CheckpointFileName)).Should().BeGreaterThan(stoppedAt, "the resumed run checkpoints into the folder it resumed");
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Fact]
    public void ClassifyTrain_Sigterm_MidRun_ExitsWithACheckpointThatResumesToTheUninterruptedModel()
    {
        using var temp = new TempDirectory();
        string input = temp.File("labelled.txt"), checkpoints = temp.File("ck");
        var random = new Random(5);
        File.WriteAllLines(input, Enumerable.Range(0, 6_000).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"__label__l{i % 3} {string.Join(' ', Enumerable.Range(0, 20).Select(_ => $"w{random.Next(300) + (i % 3) * 100}"))}")));
        string[] common = ["classify", "train", "--input", input, "--dim", "50", "--epochs", "40", "--word-ngrams", "2", "--threads", "1", "--seed", "2"];
        Tool.Result full = Tool.Run([.. common, "--output", temp.File("full.emtc")]);
        full.ExitCode.Should().Be(0, full.StandardError);

        StopAtACheckpointWithSigterm(temp, [.. common, "--checkpoint", checkpoints, "--output", temp.File("stopped.emtc")], checkpoints, TextClassifierTrainer.CheckpointFileName);
        File.Exists(temp.File("stopped.emtc")).Should().BeFalse();

        Tool.Result resumed = Tool.RunWithEnvironment(null, PrivateTemp(temp), "classify", "train", "--input", input, "--resume", checkpoints, "--output", temp.File("resumed.emtc"));

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        File.ReadAllBytes(temp.File("resumed.emtc")).Should().Equal(File.ReadAllBytes(temp.File("full.emtc")));
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Theory]
    [InlineData("quantize")]
    [InlineData("ppmi")]
    public void CommandsWithoutCheckpoints_Sigterm_StopPromptly_LeavingNothing(string command)
    {
        using var temp = new TempDirectory();
        string output = temp.File("out");
        Directory.CreateDirectory(output);
        string[] arguments = command == "quantize"
            ? ["quantize", "--vectors", WriteRandomVectors(temp), "-k", "2500", "--max-iterations", "10000", "--threads", "1", "--output", Path.Combine(output, "q.embk")]
            : ["ppmi", "--input", WriteCorpus(temp), "--window", "40", "--dim", "300", "--min-count", "1", "--threads", "1", "--output", Path.Combine(output, "v.bin")];

        // These commands report no progress without a terminal: a second of their own CPU time means they are at work
        // (uninterrupted, each runs for several).
        using Tool.Running run = Tool.StartInBackground(PrivateTemp(temp), arguments);
        run.WaitUntil(() => run.ProcessorTime > TimeSpan.FromSeconds(1.2), "a second of work");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        run.Signal("TERM");
        Tool.Result stopped = run.WaitForExit();

        stopped.ExitCode.Should().Be(Terminated, stopped.StandardError);
        stopped.StandardError.Should().Be("cancelled by SIGTERM\n");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), "the work stops within a step");
        Directory.EnumerateFileSystemEntries(output).Should().BeEmpty();
        Directory.EnumerateFileSystemEntries(temp.File("tmp")).Should().BeEmpty();
    }

    [Fact]
    public void AtomicWrite_StaleTemporaryFileOfAKilledProcess_IsRemovedAtTheNextWrite_ALiveOneStays()
    {
        using var temp = new TempDirectory();
        string target = temp.File("v.txt");
        string stale = temp.File($".v.txt.abcdefgh.{ExitedProcessId()}.tmp");
        string live = temp.File($".v.txt.ijklmnop.{Environment.ProcessId}.tmp");
        string other = temp.File($".other.txt.abcdefgh.{ExitedProcessId()}.tmp");
        foreach (string path in new[] { stale, live, other })
        {
            File.WriteAllText(path, "half");
        }

        Tool.Result result = Tool.Run("train", "--input", WriteCorpus(temp), "--output", target, "--format", "text", "--dim", "4",
            "--min-count", "1", "--epochs", "1", "--threads", "1");

        result.ExitCode.Should().Be(0, result.StandardError);
        File.Exists(stale).Should().BeFalse("its process no longer exists");
        File.Exists(live).Should().BeTrue("its process (this test) is alive");
        File.Exists(other).Should().BeTrue("another target's temporary files are left to that target's next write");
        File.Exists(target).Should().BeTrue();
    }

    /// <summary>The id of a process that has ended (and not been reused since, as far as the test can tell).</summary>
    private static int ExitedProcessId()
    {
        using var process = System.Diagnostics.Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    private static int EpochsIn(string languageModelCheckpoint) => LanguageModel.Load(languageModelCheckpoint).Report.Epochs.Count;

    private static (string Vectors, string Tokens) WriteLanguageModelInputs(TempDirectory temp)
    {
        var random = new Random(5);
        var vectors = new StringBuilder("40 8\n");
        for (int i = 0; i < 40; i++)
        {
            vectors.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < 8; j++)
            {
                vectors.Append(' ').Append((random.NextDouble() - 0.5).ToString("R", CultureInfo.InvariantCulture));
            }

            vectors.Append('\n');
        }

        string vectorsPath = temp.File("vectors.txt"), tokensPath = temp.File("tokens.txt");
        File.WriteAllText(vectorsPath, vectors.ToString());
        File.WriteAllLines(tokensPath, Enumerable.Range(0, 300).Select(line =>
            string.Join(' ', Enumerable.Range(0, 10).Select(k => $"w{(line * 7 + (k * k) + random.Next(3)) % 40}"))));
        return (vectorsPath, tokensPath);
    }

    private static string WriteRandomVectors(TempDirectory temp)
    {
        // Enough work that k-means runs for several seconds even on a quiet, fast machine (8,000 × 48 could end within
        // the second the test waits for).
        const int Words = 16_000, Dimensions = 100;
        var random = new Random(8);
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{Words} {Dimensions}\n"));
        for (int i = 0; i < Words; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < Dimensions; j++)
            {
                text.Append(' ').Append(random.NextDouble().ToString("F4", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        string path = temp.File("random.txt");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
