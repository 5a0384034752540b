using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Sequences;
using Embeddings.Quantization;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary><c>lm-train</c> and <c>generate</c>, word-level and quantized.</summary>
public class LanguageModelCommandsTests
{
    /// <summary>Vectors for 12 words in 4 groups, and a token file that cycles through the groups.</summary>
    private static (string Vectors, string Tokens) WriteInputs(TempDirectory temp)
    {
        var vectors = new StringBuilder("12 6\n");
        var random = new Random(2);
        for (int i = 0; i < 12; i++)
        {
            vectors.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < 6; j++)
            {
                vectors.Append(' ').Append(((j == i % 4 ? 3 : 0) + (random.NextDouble() * 0.1)).ToString("R", CultureInfo.InvariantCulture));
            }

            vectors.Append('\n');
        }

        var tokens = new StringBuilder();
        for (int line = 0; line < 200; line++)
        {
            for (int i = 0; i < 8; i++)
            {
                tokens.Append(CultureInfo.InvariantCulture, $"w{((line + i) % 4) + (4 * random.Next(3))} ");
            }

            tokens.Append('\n');
        }

        string vectorsPath = temp.File("vectors.txt"), tokensPath = temp.File("tokens.txt");
        File.WriteAllText(vectorsPath, vectors.ToString());
        File.WriteAllText(tokensPath, tokens.ToString());
        return (vectorsPath, tokensPath);
    }

    /// <summary>Four clusters of <paramref name="vectors"/>, written by <c>quantize</c>.</summary>
    private static string Quantize(TempDirectory temp, string vectors)
    {
        string quantized = temp.File("q.embk");
        Tool.Run("quantize", "--vectors", vectors, "-k", "4", "--seed", "0", "--output", quantized).ExitCode.Should().Be(0);
        return quantized;
    }

    [Theory]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void LmTrain_Json_ReportsSequencesSecondsAndLoss_AndWritesALoadableModel(string cell)
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string output = temp.File("model.lm");

        Tool.Result result = Tool.Run("lm-train", "--input", tokens, "--vectors", vectors, "--cell", cell, "--hidden", "16", "--seq-len", "4",
            "--epochs", "3", "--batch", "64", "--threads", "1", "--validation", "0.1", "--output", output, "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        root.GetProperty("ids").GetInt32().Should().Be(1_600);
        root.GetProperty("sequences").GetInt32().Should().Be(1_596 - 160, "1,596 windows of 4 + 1, the last 10 % held out");
        root.GetProperty("seconds_per_epoch").GetDouble().Should().BeGreaterThan(0);
        double[] losses = [.. root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble())];
        losses.Should().HaveCount(3);
        root.GetProperty("loss").GetDouble().Should().Be(losses[^1]).And.BeLessThan(losses[0]);
        LanguageModel model = LanguageModel.Load(output);
        model.Options.Cell.ToString().Should().BeEquivalentTo(cell);
        model.Tokens.Should().HaveCount(12);
    }

    [Fact]
    public void LmTrain_Plot_DrawsTrainingAndValidationLossPerEpoch()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);

        Tool.Result result = Tool.Run("lm-train", "--input", tokens, "--vectors", vectors, "--hidden", "8", "--seq-len", "4", "--epochs", "3",
            "--batch", "64", "--threads", "1", "--validation", "0.1", "--output", temp.File("model.lm"), "--json", "--plot", temp.File("loss.svg"));

        result.ExitCode.Should().Be(0, result.StandardError);
        var picture = new SvgPicture(temp.File("loss.svg"));
        picture.Texts.Should().Contain(["Language model loss", "epoch", "cross-entropy per prediction", "training", "validation"]);
        foreach (string series in new[] { "training", "validation" })
        {
            string colour = picture.LegendColour(series);
            List<(double X, double Y)> line = picture.Lines(colour).Single();
            line.Should().HaveCount(3, $"one {series} loss per epoch");
            picture.Markers(colour).Should().Contain(line);
        }
    }

    [Fact]
    public void LmTrain_Quantized_ThenGenerate_PrintsThePromptAndRealWords_Reproducibly()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string quantized = temp.File("q.embk"), output = temp.File("q.lm");
        Tool.Run("quantize", "--vectors", vectors, "-k", "4", "--seed", "0", "--output", quantized).ExitCode.Should().Be(0);

        Tool.Result trained = Tool.Run("lm-train", "--input", tokens, "--quantized", quantized, "--hidden", "16", "--seq-len", "3",
            "--epochs", "6", "--batch", "32", "--lr", "0.02", "--threads", "2", "--output", output);
        trained.ExitCode.Should().Be(0, trained.StandardError);
        trained.StandardError.Should().Contain("epoch 6: loss");

        Tool.Result first = Tool.Run("generate", "--model", output, "--prompt", "W0 w1 zzz w2", "--length", "15", "--temperature", "0.7", "--seed", "5");
        Tool.Result second = Tool.Run("generate", "--model", output, "--prompt", "W0 w1 zzz w2", "--length", "15", "--temperature", "0.7", "--seed", "5");

        first.ExitCode.Should().Be(0, first.StandardError);
        first.StandardOutput.Should().Be(second.StandardOutput);
        string[] words = first.StandardOutput.Trim().Split(' ');
        words[..4].Should().Equal("w0", "w1", "zzz", "w2");
        words[4..].Should().HaveCount(15).And.OnlyContain(w => w.StartsWith('w') && w.Length <= 3);
        QuantizedLanguageModel.Load(output).Quantization.Clusters.Should().Be(4);
    }

    [Fact]
    public void Generate_PromptWithNoKnownWord_FailsWithOneLine()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string output = temp.File("model.lm");
        Tool.Run("lm-train", "--input", tokens, "--vectors", vectors, "--hidden", "8", "--epochs", "1", "--threads", "1", "--output", output).ExitCode.Should().Be(0);

        Tool.Result result = Tool.Run("generate", "--model", output, "--prompt", "en un lugar");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: None of the prompt's 3 word(s) ('en un lugar') is in the model's vocabulary of 12 tokens.");
    }

    [Fact]
    public void LmTrain_NeedsAnEmbeddingSource()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);

        Tool.Result result = Tool.Run("lm-train", "--input", tokens, "--output", temp.File("x"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain("Give --vectors").And.Contain("--quantized");
        _ = vectors;
    }

    [Fact]
    public void LmTrain_VectorsWithQuantized_TrainsTheQuantizedModel_AndSaysWhichFileDoesWhat()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string quantized = Quantize(temp, vectors), alone = temp.File("alone.lm"), both = temp.File("both.lm");
        string[] common = ["lm-train", "--input", tokens, "--quantized", quantized, "--hidden", "8", "--seq-len", "3", "--epochs", "2", "--threads", "1"];

        Tool.Run([.. common, "--output", alone]).ExitCode.Should().Be(0);
        Tool.Result result = Tool.Run([.. common, "--vectors", vectors, "--output", both]);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().Contain($"'{quantized}' gives the clusters").And.Contain($"'{vectors}' has the same words");
        QuantizedLanguageModel withVectors = QuantizedLanguageModel.Load(both), without = QuantizedLanguageModel.Load(alone);
        withVectors.ClusterModel.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(without.ClusterModel.Report.Epochs.Select(e => e.TrainingLoss));
    }

    [Fact]
    public void LmTrain_VectorsWithQuantized_OtherWords_FailsNamingTheFirstDifference()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string quantized = Quantize(temp, vectors), other = temp.File("other.txt");
        File.WriteAllText(other, File.ReadAllText(vectors).Replace("\nw3 ", "\nx3 ", StringComparison.Ordinal));

        Tool.Result result = Tool.Run("lm-train", "--input", tokens, "--quantized", quantized, "--vectors", other, "--epochs", "1", "--output", temp.File("x.lm"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith($"error: '{quantized}' and '{other}' differ at word");
        result.StandardError.Should().Contain("'w3' against 'x3'");
    }

    [Fact]
    public void LmTrain_ResumesFromItsCheckpoint_ToTheSameModel()
    {
        using var temp = new TempDirectory();
        (string vectors, string tokens) = WriteInputs(temp);
        string[] common = ["lm-train", "--input", tokens, "--vectors", vectors, "--hidden", "8", "--epochs", "4", "--threads", "1", "--seed", "3"];
        Tool.Run([.. common, "--output", temp.File("full.lm")]).ExitCode.Should().Be(0);

        // A checkpoint after every epoch; resuming from it (here: after the last one) reproduces the run's weights.
        Tool.Run([.. common, "--checkpoints", temp.File("ck"), "--output", temp.File("first.lm")]).ExitCode.Should().Be(0);
        Tool.Result resumed = Tool.Run([.. common, "--resume", temp.File("ck"), "--output", temp.File("resumed.lm")]);

        resumed.ExitCode.Should().Be(0, resumed.StandardError);
        LanguageModel full = LanguageModel.Load(temp.File("full.lm")), again = LanguageModel.Load(temp.File("resumed.lm"));
        again.NextTokenProbabilities([0, 1, 2]).Should().Equal(full.NextTokenProbabilities([0, 1, 2]));
        again.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(full.Report.Epochs.Select(e => e.TrainingLoss));
    }
}
