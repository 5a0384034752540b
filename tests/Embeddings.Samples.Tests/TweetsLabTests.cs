using Embeddings.Samples.Tests.Infrastructure;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Samples.Tests;

public sealed class TweetsLabTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    [Fact]
    public void Run_FirstTweets_PrintsLabVocabularyFallingLossesAndNeighbours()
    {
        string data = SharedDataFolder.Require("tweets/train.csv.gz");

        // One thread: the negative-sampling run is then reproducible too (the softmax one is for any thread count).
        SampleProcess.Result result = SampleProcess.Run("TweetsLab", ["--data", data, "--max-lines", "4000", "--epochs", "2", "--threads", "1"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        IReadOnlyList<string> lines = result.Lines;
        SampleOutput.Line(lines, "1.").Should().StartWith("1. 4,000 tweets from ").And.EndWith(", 33,693 tokens");
        SampleOutput.Line(lines, "2. Vocabulary:").Should().StartWith("2. Vocabulary: 497 words seen at least 11 times; 59,394 (centre, context) pairs");

        IReadOnlyList<double> losses = SampleOutput.Capture(lines, @"^\s+epoch \d+: loss ([\d.]+)");
        losses.Should().HaveCount(2 + 10, "2 softmax epochs, then 5 × as many negative-sampling epochs");
        losses.Take(2).Should().BeInDescendingOrder().And.OnlyContain(loss => loss < Math.Log(497), "below the loss of a uniform guess");
        losses.Skip(2).Should().BeInDescendingOrder();
        SampleOutput.Capture(lines, @"trained in ([\d.]+) s").Should().HaveCount(2);

        // Each word gets a line of six neighbours per model; those of "day" have to do with days (fathers' day, weekends).
        string[] neighbours = [.. lines.SkipWhile(l => !l.StartsWith("5.", StringComparison.Ordinal)).Skip(1).Take(8)];
        neighbours.Where((_, i) => i % 2 == 0).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0])
            .Should().Equal("good", "bad", "school", "day");
        neighbours.Should().OnlyContain(l => l.Split(',').Length == 6);
        string[] dayWords = ["dad", "father", "#fathersday", "saturday", "sunday", "weekend", "#weekend", "today", "morn", "happi", "bless", "#day"];
        neighbours[7].Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Should().IntersectWith(dayWords, "the negative-sampling neighbours of day");
    }

    [Fact]
    public void Run_WithoutSharedData_TrainsOnTheEmbeddedTweets()
    {
        using var empty = new TempDirectory();

        SampleProcess.Result result = SampleProcess.Run("TweetsLab", ["--data", empty.Path, "--epochs", "2", "--threads", "1"], Timeout);

        result.ExitCode.Should().Be(0, result.ToString());
        SampleOutput.Line(result.Lines, "1.").Should().Be("1. 56 tweets from the embedded sample, 343 tokens");
        SampleOutput.Line(result.Lines, "2. Vocabulary:").Should().Contain("words seen at least 2 times");
        SampleOutput.Line(result.Lines, "school").Should().NotBeEmpty();
    }
}
