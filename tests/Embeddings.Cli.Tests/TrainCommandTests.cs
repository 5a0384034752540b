using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class TrainCommandTests
{
    private static string WriteCorpus(TempDirectory temp)
    {
        var random = new Random(3);
        string[] animals = ["cat", "dog", "horse", "cow", "sheep"], numbers = ["one", "two", "three", "four", "five"];
        string path = temp.File("tokens.txt");
        File.WriteAllLines(path, Enumerable.Range(0, 4_000).Select(i =>
            string.Join(' ', Enumerable.Range(0, 8).Select(_ => (i % 2 == 0 ? animals : numbers)[random.Next(5)]))));
        return path;
    }

    [Fact]
    public void Train_Json_ReportsSpeedTimesAndLoss()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);

        Tool.Result result = Tool.Run("train", "--input", corpus, "--output", temp.File("v.bin"), "--dim", "16", "--min-count", "1",
            "--epochs", "2", "--threads", "2", "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("words_per_second").GetDouble().Should().BePositive();
        json.RootElement.GetProperty("train_seconds").GetDouble().Should().BePositive();
        json.RootElement.GetProperty("vocab_seconds").GetDouble().Should().BeGreaterThanOrEqualTo(0);
        json.RootElement.GetProperty("loss").GetDouble().Should().BeInRange(0.01, 5);
        json.RootElement.GetProperty("corpus_words").GetInt64().Should().Be(32_000);
        new FileInfo(temp.File("v.bin")).Length.Should().BeGreaterThan(10 * 16 * 4);
    }

    [Fact]
    public void Train_Plot_DrawsTheLossOfEveryReportWithEpochEndsMarked()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);

        Tool.Result result = Tool.Run("train", "--input", corpus, "--output", temp.File("v.bin"), "--dim", "16", "--min-count", "1",
            "--epochs", "3", "--threads", "1", "--json", "--plot", temp.File("loss.svg"));

        result.ExitCode.Should().Be(0, result.StandardError);
        double[] losses = [.. JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("epoch_losses").EnumerateArray().Select(e => e.GetDouble())];
        var picture = new SvgPicture(temp.File("loss.svg"));
        picture.Texts.Should().Contain(["Training loss", "epoch", "mean loss per prediction", "since the epoch began", "epoch mean"]);

        // Every report is a point of the running loss, the line broken at each epoch's end (at least one report each).
        picture.Lines(picture.LegendColour("since the epoch began")).SelectMany(line => line).Should().HaveCountGreaterThanOrEqualTo(3);

        // Each epoch's mean is marked at the epoch's end, under the x axis' label of that epoch, lower on the chart when lower.
        string meanColour = picture.LegendColour("epoch mean");
        List<(double X, double Y)> ends = picture.Lines(meanColour).Single();
        ends.Should().HaveCount(3);
        picture.Markers(meanColour).Should().Contain(ends);
        for (int i = 0; i < 3; i++)
        {
            ends[i].X.Should().BeApproximately(picture.Anchor((i + 1).ToString(CultureInfo.InvariantCulture)).X, 0.01);
            for (int j = 0; j < 3; j++)
            {
                if (losses[i] > losses[j])
                {
                    ends[i].Y.Should().BeLessThan(ends[j].Y);
                }
            }
        }

        // The x axis is in epochs from 0.
        picture.Anchor("0").X.Should().BeLessThan(ends[0].X);
    }

    [Fact]
    public void Train_PlotInMissingFolder_FailsBeforeTraining()
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("train", "--input", WriteCorpus(temp), "--output", temp.File("v.bin"), "--plot", temp.File("no/such/loss.svg"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("--plot");
        File.Exists(temp.File("v.bin")).Should().BeFalse();
    }

    [Fact]
    public void Train_OneThreadSameSeed_WritesIdenticalFiles()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);
        string[] common = ["train", "--input", corpus, "--dim", "16", "--min-count", "1", "--epochs", "2", "--threads", "1", "--seed", "5"];

        Tool.Run([.. common, "--output", temp.File("a.bin")]).ExitCode.Should().Be(0);
        Tool.Run([.. common, "--output", temp.File("b.bin"), "--model", "skipgram"]).ExitCode.Should().Be(0);

        File.ReadAllBytes(temp.File("a.bin")).Should().Equal(File.ReadAllBytes(temp.File("b.bin")));
    }

    [Fact]
    public void Train_Subwords_WritesComposedVectorsOrSubwordVectors()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);
        string[] common = ["train", "--input", corpus, "--dim", "8", "--min-count", "1", "--epochs", "1", "--threads", "1", "--subwords", "3-5", "--buckets", "1000"];

        Tool.Result text = Tool.Run([.. common, "--output", temp.File("v.txt"), "--format", "text"]);
        Tool.Result native = Tool.Run([.. common, "--output", temp.File("v.native"), "--format", "native"]);

        text.ExitCode.Should().Be(0, text.StandardError);
        native.ExitCode.Should().Be(0, native.StandardError);
        using var model = Embeddings.Core.Subwords.SubwordVectors.Load(temp.File("v.native"));
        (model.MinN, model.MaxN, model.Buckets).Should().Be((3, 5, 1000));
        model.GetVector("horses").Should().Contain(x => x != 0, "an unseen word gets a vector from its n-grams");
        string[] lines = File.ReadAllLines(temp.File("v.txt"));
        lines[0].Should().Be("10 8", "the text format holds the vocabulary's composed vectors");
        string catLine = lines.Single(line => line.StartsWith("cat ", StringComparison.Ordinal));
        float[] cat = [.. catLine.Split(' ')[1..].Select(v => float.Parse(v, CultureInfo.InvariantCulture))];
        cat.Should().Equal(model.GetVector("cat"), (a, b) => Math.Abs(a - b) < 1e-5);
    }

    [Fact]
    public void Train_SubwordsAsFastTextBin_TheFastTextProgramPrintsOurVectors()
    {
        FastTextCli.Require();
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp), bin = temp.File("v.bin");
        Tool.Result trained = Tool.Run("train", "--input", corpus, "--output", bin, "--format", "fasttext", "--dim", "8", "--min-count", "1",
            "--epochs", "1", "--threads", "1", "--subwords", "3-5", "--buckets", "1000");

        trained.ExitCode.Should().Be(0, trained.StandardError);
        using var ours = Embeddings.Core.Subwords.SubwordVectors.LoadFastText(bin);
        (ours.MinN, ours.MaxN, ours.Buckets).Should().Be((3, 5, 1000));
        foreach ((string word, float[] vector) in FastTextCli.PrintWordVectors(bin, ["cat", "horses"]))
        {
            float[] expected = ours.GetVector(word);
            vector.Should().HaveCount(8);
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i].Should().BeApproximately(expected[i], FastTextCli.PrintTolerance(vector[i]), $"'{word}' [{i}] (unseen 'horses' from its n-grams)");
            }
        }
    }

    [Theory]
    [InlineData("6-3")]
    [InlineData("3")]
    [InlineData("a-b")]
    [InlineData("3-21")]
    public void Train_BadSubwords_FailsWithOneLine(string value)
    {
        using var temp = new TempDirectory();

        Tool.Result result = Tool.Run("train", "--input", WriteCorpus(temp), "--output", temp.File("v.bin"), "--subwords", value);

        result.ExitCode.Should().Be(1);
        result.StandardError.Trim().Should().StartWith("error: ").And.Contain("--subwords");
        result.StandardError.Trim().Split('\n').Should().ContainSingle();
        File.Exists(temp.File("v.bin")).Should().BeFalse();
    }

    [Fact]
    public void Train_WithCheckpoints_ResumesFromTheFolder()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);
        string checkpoints = temp.File("ckpt");

        Tool.Result first = Tool.Run("train", "--input", corpus, "--output", temp.File("a.txt"), "--format", "text", "--dim", "8",
            "--min-count", "1", "--epochs", "2", "--threads", "1", "--checkpoint", checkpoints);
        Tool.Result resumed = Tool.Run("train", "--input", corpus, "--output", temp.File("b.txt"), "--format", "text", "--threads", "1",
            "--resume", checkpoints);

        first.ExitCode.Should().Be(0, first.StandardError);
        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        File.Exists(Path.Combine(checkpoints, "word2vec.checkpoint")).Should().BeTrue();
        // The last checkpoint is the start of epoch 2: resuming it replays epoch 2 exactly.
        File.ReadAllText(temp.File("b.txt")).Should().Be(File.ReadAllText(temp.File("a.txt")));
    }

    [Fact]
    public void Train_SaveModelThenContinue_AddsTheNewWords()
    {
        using var temp = new TempDirectory();
        string corpus = WriteCorpus(temp);
        string more = temp.File("more.txt");
        File.WriteAllLines(more, Enumerable.Range(0, 500).Select(i => i % 2 == 0 ? "red green blue red" : "one two three four"));

        Tool.Result first = Tool.Run("train", "--input", corpus, "--output", temp.File("a.txt"), "--format", "text", "--dim", "8",
            "--min-count", "1", "--epochs", "1", "--threads", "1", "--save-model", temp.File("m.w2v"));
        Tool.Result continued = Tool.Run("train", "--input", more, "--output", temp.File("b.txt"), "--format", "text", "--threads", "1",
            "--continue", temp.File("m.w2v"), "--save-model", temp.File("m2.w2v"));

        first.ExitCode.Should().Be(0, first.StandardError);
        continued.ExitCode.Should().Be(0, continued.StandardError);
        continued.StandardOutput.Should().Contain("10 → 13 words");
        File.ReadLines(temp.File("b.txt")).First().Should().Be("13 8");
        File.ReadLines(temp.File("b.txt")).Skip(11).Select(line => line.Split(' ')[0]).Should().BeEquivalentTo("red", "green", "blue");
        File.Exists(temp.File("m2.w2v")).Should().BeTrue();
    }

    [Fact]
    public void Train_UnknownDevice_FailsCleanly()
    {
        using var temp = new TempDirectory();
        Tool.Result result = Tool.Run("train", "--input", WriteCorpus(temp), "--output", temp.File("x.bin"), "--device", "abacus");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("abacus");
    }

    [Fact]
    public void Train_MissingInput_FailsCleanly()
    {
        Tool.Result result = Tool.Run("train", "--input", "/no/such/tokens.txt", "--output", "/tmp/x.bin");

        PreprocessCommandTests.AssertCleanError(result, "/no/such/tokens.txt");
    }
}
