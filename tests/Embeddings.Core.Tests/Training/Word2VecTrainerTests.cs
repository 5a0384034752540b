using Embeddings.Core.Corpus;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Training;

[Trait("Category", "Conformance")]
public class Word2VecTrainerTests
{
    private static Word2VecBuilder Small() => Word2Vec.CreateBuilder()
        .Dimensions(16).WindowSize(3).NegativeSamples(5).MinCount(1).SubsamplingThreshold(0).Epochs(3).Threads(1).Seed(7);

    private static double MeanCosine(WordVectors vectors, string[] a, string[] b) =>
        a.SelectMany(x => b.Where(y => y != x).Select(y => (double)System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(vectors[x], vectors[y]))).Average();

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_TwoTopics_SeparatesThemAndLossFalls(Word2VecArchitecture architecture)
    {
        Word2VecBuilder builder = architecture == Word2VecArchitecture.Cbow ? Small().Cbow().LearningRate(0.05) : Small().SkipGram();

        Word2VecModel model = builder.Build().Train(TopicCorpus.TwoTopics());

        string[] animals = ["cat", "dog", "horse", "cow"], numbers = ["one", "two", "three", "four"];
        double within = MeanCosine(model.Vectors, animals, animals);
        double across = MeanCosine(model.Vectors, animals, numbers);
        within.Should().BeGreaterThan(across + 0.3, $"{architecture}: within-topic {within:F3}, across {across:F3}");
        model.Report.EpochLosses.Should().HaveCount(3);
        model.Report.EpochLosses[^1].Should().BeLessThan(model.Report.EpochLosses[0]);
    }

    [Theory]
    [InlineData(Word2VecArchitecture.SkipGram)]
    [InlineData(Word2VecArchitecture.Cbow)]
    public void Train_OneThreadSameSeed_IsBitIdentical(Word2VecArchitecture architecture)
    {
        Word2VecBuilder builder = Small().WithOptions(Small().Build().Options with { Architecture = architecture, SubsamplingThreshold = 1e-2 });

        Word2VecModel first = builder.Build().Train(TopicCorpus.TwoTopics(500));
        Word2VecModel second = builder.Build().Train(TopicCorpus.TwoTopics(500));
        Word2VecModel otherSeed = builder.Seed(8).Build().Train(TopicCorpus.TwoTopics(500));

        first.Vectors.Matrix.ToArray().Should().Equal(second.Vectors.Matrix.ToArray());
        first.OutputVectors.ToArray().Should().Equal(second.OutputVectors.ToArray());
        first.Vectors.Matrix.ToArray().Should().NotEqual(otherSeed.Vectors.Matrix.ToArray());
    }

    [Fact]
    public void Train_TwoThreads_StillLearns()
    {
        Word2VecModel model = Small().Threads(2).Build().Train(TopicCorpus.TwoTopics());

        MeanCosine(model.Vectors, ["cat", "dog"], ["horse", "cow"]).Should().BeGreaterThan(MeanCosine(model.Vectors, ["cat", "dog"], ["one", "two"]));
    }

    [Fact]
    public void Train_ReportsProgressWithFallingLearningRate()
    {
        var reports = new List<Word2VecProgress>();

        Small().Build().Train(TopicCorpus.TwoTopics(), new SynchronousProgress(reports.Add));

        reports.Should().NotBeEmpty();
        reports[^1].WordsDone.Should().Be(reports[^1].WordsTotal);
        reports[^1].Epoch.Should().Be(3);
        reports[^1].LearningRate.Should().BeApproximately(1e-4, 1e-9);
    }

    [Fact]
    public void Train_Cancelled_ThrowsQuickly()
    {
        using var cancellation = new CancellationTokenSource();
        List<IReadOnlyList<string>> corpus = TopicCorpus.TwoTopics(200_000);
        var progress = new SynchronousProgress(p =>
        {
            if (p.WordsDone > 0)
            {
                cancellation.Cancel();
            }
        });

        Action train = () => Small().Threads(2).Epochs(50).Build().Train(corpus, progress, cancellation.Token);

        train.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Build_BadOptions_ListsEveryProblem()
    {
        Action build = () => Word2Vec.CreateBuilder().Dimensions(0).WindowSize(0).LearningRate(0.01).MinLearningRate(0.1).Build();

        build.Should().Throw<ArgumentException>()
            .WithMessage("*Dimensions must be 1–4096 (was 0); call Dimensions(int).*")
            .WithMessage("*WindowSize must be 1–1000 (was 0)*")
            .WithMessage("*MinLearningRate must be between 0 and LearningRate*");
    }

    [Fact]
    public void Report_ProgressHistory_HoldsEveryReportWithEachEpochEndingOnItsMean()
    {
        var received = new List<Word2VecProgress>();

        Word2VecModel model = Small().Build().Train(
            TopicCorpus.Of(1_000, 1, TopicCorpus.Animals, TopicCorpus.Numbers), new SynchronousProgress(received.Add));

        IReadOnlyList<Word2VecProgress> history = model.Report.ProgressHistory;
        history.Should().Equal(received, "the history is what the caller's progress received, in order");
        history.Select(p => p.EpochsDone).Should().BeInAscendingOrder();
        for (int epoch = 1; epoch <= 3; epoch++)
        {
            Word2VecProgress end = history.Last(p => p.Epoch == epoch);
            end.EpochsDone.Should().Be(epoch);
            end.Loss.Should().Be(model.Report.EpochLosses[epoch - 1]);
        }
    }

    [Fact]
    public void Train_NoWordReachesMinCount_ThrowsArgumentException()
    {
        Action train = () => Small().MinCount(100).Build().Train([["a", "b"]]);

        train.Should().Throw<ArgumentException>().WithMessage("*MinCount = 100*");
    }

    private sealed class SynchronousProgress(Action<Word2VecProgress> report) : IProgress<Word2VecProgress>
    {
        public void Report(Word2VecProgress value) => report(value);
    }
}
