using Embeddings.Core.Corpus;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Quantization.Tests;

/// <summary>The PC3 model over clusters with a factorized word output.</summary>
public class QuantizedLanguageModelTests
{
    // Three clusters of words (blob i holds words i, i + 3, i + 6, …) and a text that cycles through the blobs
    // 0 → 1 → 2 → 0 …, each time with a random member: the next cluster is certain, the next word is not.
    private static (QuantizedVectors Quantization, string[] Text) Setup()
    {
        (float[] points, _, _) = Blobs.Make(clusters: 3, perCluster: 6, dimensions: 4, seed: 7);
        string[] words = [.. Enumerable.Range(0, 18).Select(i => "w" + i)];
        long[] counts = [.. Enumerable.Range(0, 18).Select(i => 100L - i)];
        using var vectors = new WordVectors(Vocabulary.FromWordsInOrder(words, counts), points, 4);
        QuantizedVectors quantization = QuantizedVectors.Quantize(vectors, KMeans.CreateBuilder().Clusters(3).Seed(0).Threads(1).Build());
        var random = new Random(5);
        var text = new List<string>();
        for (int i = 0; i < 3_000; i++)
        {
            int blob = i % 3;

            // Word frequencies within a blob differ: member k appears with weight k + 1.
            int k = (int)Math.Floor(Math.Sqrt(random.NextDouble() * 36));
            text.Add("w" + (blob + (3 * k)));
            if (i % 50 == 0)
            {
                text.Add("unknown-word"); // dropped, as PC3 drops words below the minimum count
            }
        }

        return (quantization, [.. text]);
    }

    private static LanguageModelBuilder Small(LanguageModelBuilder model) =>
        model.HiddenSize(16).SequenceLength(3).BatchSize(64).Adam(0.02).Epochs(8).Threads(1).Seed(3);

    private static QuantizedLanguageModelTrainer Trainer(QuantizedVectors quantization, Func<LanguageModelBuilder, LanguageModelBuilder> configure) =>
        QuantizedLanguageModel.CreateBuilder().Clusters(quantization).Configure(model => configure(Small(model))).Build();

    [Fact]
    public void Train_LearnsTheNextCluster_AndGeneratesRealWordsOfThatCluster()
    {
        (QuantizedVectors quantization, string[] text) = Setup();

        QuantizedLanguageModel model = Trainer(quantization, m => m).Train(text);

        model.ClusterModel.Tokens.Should().Equal("c0", "c1", "c2");
        model.ClusterModel.Report.FinalLoss.Should().BeLessThan(0.1, "the next cluster is certain");
        IReadOnlyList<string> generated = model.Generate(["w0", "w1", "w2"], new GenerationOptions { Length = 30, Seed = 4 });
        generated.Should().HaveCount(30).And.OnlyContain(w => w.StartsWith('w'), "words, not cluster names");
        for (int i = 0; i < generated.Count; i++)
        {
            // w0, w1, w2 are in blobs 0, 1, 2: the continuation keeps cycling through the blobs.
            quantization.ClusterOf(generated[i]).Should().Be(quantization.ClusterOf("w" + (i % 3)), $"word {i} ({generated[i]})");
        }

        generated.Distinct().Count().Should().BeGreaterThan(6, "words are drawn by frequency within the cluster, not one representative each");
    }

    [Fact]
    public void WordGivenCluster_IsTheWordsShareOfItsClustersOccurrences()
    {
        (QuantizedVectors quantization, string[] text) = Setup();
        QuantizedLanguageModel model = Trainer(quantization, m => m.Epochs(1)).Train(text);

        for (int cluster = 0; cluster < 3; cluster++)
        {
            quantization.Members(cluster).Sum(model.WordGivenCluster).Should().BeApproximately(1.0, 1e-12);
        }

        int occurrences = text.Count(w => w == "w3"), clusterTotal = text.Count(w => w != "unknown-word" && quantization.ClusterOf(w) == quantization.ClusterOf("w3"));
        model.WordGivenCluster("w3").Should().BeApproximately((double)occurrences / clusterTotal, 1e-12);
        model.WordGivenCluster("unknown-word").Should().Be(0);

        double p = model.NextWordProbability(["w0", "w1", "w2"], "w3");
        p.Should().BeApproximately(model.ClusterModel.NextTokenProbabilities(QuantizedLanguageModel.ToClusterIds(quantization, ["w0", "w1", "w2"]))[quantization.ClusterOf("w3")] * model.WordGivenCluster("w3"), 1e-6);
    }

    [Fact]
    public void Generate_IsReproducible_AndGreedyTakesTheMostFrequentMember()
    {
        (QuantizedVectors quantization, string[] text) = Setup();
        QuantizedLanguageModel model = Trainer(quantization, m => m).Train(text);
        var options = new GenerationOptions { Length = 12, Temperature = 0.7, Seed = 11 };

        model.Generate(["w0"], options).Should().Equal(model.Generate(["w0"], options));
        model.Generate(["w0", "w1", "w2"], new GenerationOptions { Length = 3, Temperature = 0 })
            .Should().Equal(quantization.Members(quantization.ClusterOf("w0"))[0], quantization.Members(quantization.ClusterOf("w1"))[0], quantization.Members(quantization.ClusterOf("w2"))[0]);
        FluentActions.Invoking(() => model.Generate(["nada", "de", "esto"]))
            .Should().Throw<ArgumentException>().WithMessage("*None of the prompt's 3 word(s) ('nada de esto')*");
    }

    [Fact]
    public void SaveAndLoad_GivesTheSameText_AndACorruptFileNamesItself()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "quantized.lm");
        (QuantizedVectors quantization, string[] text) = Setup();
        QuantizedLanguageModel model = Trainer(quantization, m => m.Epochs(2)).Train(text);
        var options = new GenerationOptions { Length = 10, Seed = 2 };

        model.Save(path);
        QuantizedLanguageModel loaded = QuantizedLanguageModel.Load(path);

        loaded.Generate(["w0", "w1"], options).Should().Equal(model.Generate(["w0", "w1"], options));
        loaded.WordGivenCluster("w4").Should().Be(model.WordGivenCluster("w4"));
        loaded.ClusterModel.Report.Epochs.Should().Equal(model.ClusterModel.Report.Epochs);

        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 1;
        File.WriteAllBytes(path, bytes);
        FluentActions.Invoking(() => QuantizedLanguageModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*");
    }

    [Fact]
    public void Resume_AfterCancellation_GivesTheUninterruptedModel()
    {
        using var folder = new TempDirectory();
        (QuantizedVectors quantization, string[] text) = Setup();
        QuantizedLanguageModel uninterrupted = Trainer(quantization, m => m.Epochs(4)).Train(text);

        using var cancellation = new CancellationTokenSource();
        FluentActions.Invoking(() => Trainer(
                quantization, m => m.Epochs(4).Checkpoints(folder.Path).OnEpochEnd(e => { if (e.Epoch == 2) { cancellation.Cancel(); } })).Train(text, cancellationToken: cancellation.Token))
            .Should().Throw<OperationCanceledException>();
        QuantizedLanguageModel resumed = Trainer(quantization, m => m.Epochs(4)).Resume(folder.Path, text);

        resumed.ClusterModel.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(uninterrupted.ClusterModel.Report.Epochs.Select(e => e.TrainingLoss));
        resumed.ClusterModel.NextTokenProbabilities([0, 1, 2]).Should().Equal(uninterrupted.ClusterModel.NextTokenProbabilities([0, 1, 2]));
    }
}
