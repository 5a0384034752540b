using System.Globalization;
using System.Text.RegularExpressions;
using Embeddings.Core.Sequences;
using Embeddings.Quantization;
using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed partial class QuantizedRnnTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public void Run_WholeNovel_TrainsTheChain_GeneratesRealWords_AndResumesFromItsWorkFolder()
    {
        string data = SharedDataFolder.Require("quijote/quijote.txt.gz");
        using var work = new TempDirectory();
        string[] settings = ["--data", data, "--clusters", "300", "--epochs", "2", "--threads", "2", "--work", work.Path];

        SampleProcess.Result first = SampleProcess.Run("QuantizedRnn", settings, Timeout);

        first.ExitCode.Should().Be(0, first.ToString());
        IReadOnlyList<string> lines = first.Lines;
        SampleOutput.Line(lines, "1.").Should().MatchRegex(@"^1\. Don Quijote: [\d,]+ sentences, [\d,]+ words$");
        SampleOutput.Line(lines, "3. k-means:").Should().EndWith($"→ 300 clusters → {Path.Combine(work.Path, "clusters.embk")}");
        double[] losses = [.. lines.Select(l => EpochLoss().Match(l)).Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
        losses.Should().HaveCount(2);
        losses[0].Should().BeLessThan(Math.Log(300), "better than a uniform guess over the clusters");
        losses[1].Should().BeLessThan(losses[0]);

        // Real words, from the novel's vocabulary, at both temperatures.
        QuantizedLanguageModel model = QuantizedLanguageModel.Load(Path.Combine(work.Path, "quijote.lm"));
        foreach (string temperature in new[] { "0.7", "1.0" })
        {
            string[] generated = SampleOutput.Line(lines, $"T = {temperature}:").Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            generated.Should().HaveCount(25).And.OnlyContain(w => model.Quantization.Vocabulary.Contains(w));
        }

        File.Exists(Path.Combine(work.Path, "checkpoints", LanguageModelTrainer.CheckpointFileName)).Should().BeTrue("a checkpoint after every epoch");

        // A second run finds every stage done: it loads them and writes the same text.
        SampleProcess.Result second = SampleProcess.Run("QuantizedRnn", settings, Timeout);
        second.ExitCode.Should().Be(0, second.ToString());
        SampleOutput.Line(second.Lines, "2. Skip-gram:").Should().Contain("loaded from");
        SampleOutput.Line(second.Lines, "4. Language model:").Should().Contain("loaded from");
        SampleOutput.Line(second.Lines, "T = 0.7:").Should().Be(SampleOutput.Line(lines, "T = 0.7:"));
    }

    [Fact]
    public void Run_WithoutSharedData_UsesTheEmbeddedChapters()
    {
        using var empty = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("QuantizedRnn", ["--data", empty.Path, "--clusters", "50", "--epochs", "2", "--threads", "2", "--work", empty.File("work")], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        SampleOutput.Line(result.Lines, "1.").Should().StartWith("1. Chapters I–VIII:");
        SampleOutput.Line(result.Lines, "T = 1.0:").Split(':')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Should().HaveCount(25);
    }

    [GeneratedRegex(@"^\s*epoch\s+\d+: loss ([\d.]+)")]
    private static partial Regex EpochLoss();
}
