using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed class TweetsClassifierTests
{
    /// <summary>fastText-style twice (random and skip-gram start), the MLP twice (frozen and fine-tuned), GRU and LSTM.</summary>
    private const int FamilyCount = 6;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    /// <summary>Each family's line of step 4: its name, then "F1 0.1234 …".</summary>
    private const string FamilyF1 = @"^\s{3}\S.*?\s+F1 ([\d.]+)\s";

    [Fact]
    public void Run_WithoutSharedData_ClassifiesTheEmbeddedTweetsWithEveryFamily()
    {
        using var empty = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("TweetsClassifier", ["--data", empty.Path, "--threads", "1"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1.").Should().Be("1. 240 tweets from the embedded sample: 180 labelled 0, 60 labelled 1");
        SampleOutput.Line(lines, "2. Split:").Should().Be("2. Split: 173 to train on, 19 to validate, 48 to test", "a stratified 80/20 split, then 10 % of the training part");
        SampleOutput.Line(lines, "3. Skip-gram vectors:").Should().EndWith("× 100 dimensions");

        // The invented tweets are easy: every family finds most of the twelve hateful test tweets.
        string[] families = [.. lines.SkipWhile(l => !l.StartsWith("4.", StringComparison.Ordinal)).Skip(1).TakeWhile(l => !l.StartsWith("5.", StringComparison.Ordinal))];
        families.Should().HaveCount(FamilyCount);
        SampleOutput.Capture(families, FamilyF1).Should().HaveCount(FamilyCount).And.OnlyContain(f1 => f1 >= 0.8 && f1 <= 1);

        // The best family's table ends with its confusion matrix: 36 tweets labelled 0 and 12 labelled 1 in the test part.
        string[] matrix = [.. lines.SkipWhile(l => !l.StartsWith("Confusion matrix", StringComparison.Ordinal)).Skip(2).Take(2)];
        matrix.Select(row => SampleOutput.Numbers(row).Skip(1).Sum()).Should().Equal(36, 12);
        lines[^1].Should().StartWith("Done in ");
    }

    [Fact]
    public void Run_FirstTweets_EveryFamilyBeatsAlwaysAnsweringHateful()
    {
        string data = SharedDataFolder.Require("tweets/train.csv.gz");

        SampleProcess.Result result = SampleProcess.Run("TweetsClassifier", ["--data", data, "--max-lines", "8000", "--threads", "1"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1.").Should().StartWith("1. 8,000 tweets from train.csv.gz: ");
        SampleOutput.Line(lines, "2. Split:").Should().EndWith("1,600 to test");

        // About 7 % of the tweets are labelled 1: always answering 1 would score an F1 near 0.13. Every family does better,
        // and the fastText-style model (first) finds about half of the hateful test tweets with few false alarms.
        IReadOnlyList<double> f1 = SampleOutput.Capture(lines, FamilyF1);
        f1.Should().HaveCount(FamilyCount).And.OnlyContain(f => f >= 0.2 && f <= 1);
        f1[0].Should().BeGreaterThan(0.5);
        SampleOutput.Line(lines, "ROC AUC (1):").Should().NotBeEmpty();
    }
}
