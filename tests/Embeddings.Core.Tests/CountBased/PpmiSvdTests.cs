using System.Collections.Concurrent;
using Embeddings.Core.CountBased;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Tests.CountBased;

public class PpmiSvdTests
{
    private static readonly string[][] Corpus = PpmiMatrixBuilderTests.RandomCorpus(seed: 1, sentences: 400, words: 60);

    [Fact]
    public void Train_SmallCorpus_GivesOneVectorPerWord()
    {
        PpmiSvdResult result = Trainer().Train(Corpus);

        result.Vectors.Dimensions.Should().Be(8);
        result.Vectors.Count.Should().Be(result.Vectors.Vocabulary.Count).And.BeGreaterThan(8);
        result.SingularValues.Should().HaveCount(8).And.BeInDescendingOrder();
        result.SingularValues[^1].Should().BePositive();
        result.Sentences.Should().Be(400);
        result.KeptTokens.Should().Be(result.Tokens, "MinCount 1 keeps every token");
        result.PpmiEntries.Should().BePositive().And.BeLessThanOrEqualTo(result.CooccurrencePairs);
    }

    [Fact]
    public void Train_RareWords_AreReadButNotKept()
    {
        string[][] corpus = [["a", "rare", "b"], ["once"], ["b", "a"]];

        PpmiSvdResult result = Trainer(b => b.Dimensions(1).MinCount(2)).Train(corpus);

        result.Vectors.Vocabulary.Words.Should().Equal("a", "b");
        result.Sentences.Should().Be(3);
        result.Tokens.Should().Be(6);
        result.KeptTokens.Should().Be(4);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void Train_EigenvalueWeighting_ScalesColumnsBySigmaToThePower(double p)
    {
        PpmiSvdResult result = Trainer(b => b.EigenvalueWeighting(p)).Train(Corpus);

        // U has orthonormal columns, so column j of U·Σ^p has norm σ_j^p.
        ReadOnlySpan<float> matrix = result.Vectors.Matrix;
        for (int j = 0; j < 8; j++)
        {
            double squares = 0;
            for (int i = 0; i < result.Vectors.Count; i++)
            {
                squares += (double)matrix[(i * 8) + j] * matrix[(i * 8) + j];
            }

            Math.Sqrt(squares).Should().BeApproximately(Math.Pow(result.SingularValues[j], p), 1e-4 * Math.Pow(result.SingularValues[0], p));
        }
    }

    [Fact]
    public void Train_SameSeed_BitIdenticalWhateverTheThreads()
    {
        PpmiSvdResult one = Trainer(b => b.Threads(1)).Train(Corpus);
        PpmiSvdResult again = Trainer(b => b.Threads(1)).Train(Corpus);
        PpmiSvdResult three = Trainer(b => b.Threads(3)).Train(Corpus);

        again.Vectors.Matrix.ToArray().Should().Equal(one.Vectors.Matrix.ToArray());
        three.Vectors.Matrix.ToArray().Should().Equal(one.Vectors.Matrix.ToArray());
    }

    [Fact]
    public void Train_FewerWordsThanDimensions_ThrowsNamingTheFix()
    {
        Action train = () => Trainer(b => b.Dimensions(100)).Train([["a", "b", "c"]]);

        train.Should().Throw<ArgumentException>()
            .WithParameterName("sentences")
            .WithMessage("The corpus has 3 word(s) seen at least 1 times, fewer than Dimensions (100); lower Dimensions or MinCount*");
    }

    [Fact]
    public void Train_NoWordEverSharesAWindow_GivesZeroVectors()
    {
        string[][] corpus = [.. Enumerable.Range(0, 12).Select(i => new[] { $"w{i % 4}" })];

        PpmiSvdResult result = Trainer(b => b.Dimensions(2)).Train(corpus);

        result.PpmiEntries.Should().Be(0);
        result.SingularValues.Should().Equal(0.0, 0.0);
        result.Vectors.Matrix.ToArray().Should().OnlyContain(value => value == 0);
    }

    [Fact]
    public void Train_CancelledBeforehand_Throws()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action train = () => Trainer().Train(Corpus, cancellationToken: cancellation.Token);

        train.Should().Throw<OperationCanceledException>();
    }

    [Theory]
    [InlineData(PpmiSvdStage.Counting)]
    [InlineData(PpmiSvdStage.Factorizing)]
    public void Train_CancelledDuringStage_StopsWithOperationCanceled(PpmiSvdStage stage)
    {
        using var cancellation = new CancellationTokenSource();
        var progress = new SynchronousProgress(report =>
        {
            if (report.Stage == stage)
            {
                cancellation.Cancel();
            }
        });

        Action train = () => Trainer(b => b.Threads(2)).Train(Corpus, progress, cancellation.Token);

        train.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Train_Progress_GoesThroughTheStagesInOrderOnTheCallingThread()
    {
        var reports = new List<PpmiSvdProgress>();
        int callingThread = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var progress = new SynchronousProgress(report =>
        {
            reports.Add(report);
            threads.Add(Environment.CurrentManagedThreadId);
        });

        Trainer(b => b.Threads(2)).Train(Corpus, progress);

        threads.Should().Equal(callingThread);
        reports.Select(r => r.Stage).Should().BeInAscendingOrder();
        reports.Select(r => r.Stage).Should().Contain([PpmiSvdStage.Reading, PpmiSvdStage.Counting, PpmiSvdStage.Factorizing]);
        reports[^1].Completed.Should().Be(reports[^1].Total);
        reports.Select(r => r.Elapsed).Should().BeInAscendingOrder();
    }

    [Fact]
    public void Train_Logging_InformationAtStartAndEnd()
    {
        using var loggers = new ListLoggerFactory();

        PpmiSvd.CreateBuilder().Dimensions(8).MinCount(1).WithLoggerFactory(loggers).Build().Train(Corpus);

        loggers.Entries.Where(e => e.Level == LogLevel.Information).Select(e => e.EventId).Should().Equal(2600, 2604);
        loggers.Entries.Select(e => e.EventId).Should().Contain([2601, 2602, 2603]);
        loggers.Entries[^1].Message.Should().StartWith("PPMI-SVD training finished:");
    }

    private static PpmiSvd Trainer(Func<PpmiSvdBuilder, PpmiSvdBuilder>? configure = null)
    {
        PpmiSvdBuilder builder = PpmiSvd.CreateBuilder().Dimensions(8).MinCount(1).WindowSize(2).Threads(1).Seed(0);
        return (configure?.Invoke(builder) ?? builder).Build();
    }

    /// <summary>Calls back on the reporting thread (unlike <see cref="Progress{T}"/>, which posts).</summary>
    private sealed class SynchronousProgress(Action<PpmiSvdProgress> report) : IProgress<PpmiSvdProgress>
    {
        public void Report(PpmiSvdProgress value) => report(value);
    }

    private sealed class ListLoggerFactory : ILoggerFactory, ILogger
    {
        private readonly ConcurrentQueue<(LogLevel Level, int EventId, string Message)> _entries = new();

        public List<(LogLevel Level, int EventId, string Message)> Entries => [.. _entries];

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _entries.Enqueue((logLevel, eventId.Id, formatter(state, exception)));

        public void Dispose()
        {
        }
    }
}
