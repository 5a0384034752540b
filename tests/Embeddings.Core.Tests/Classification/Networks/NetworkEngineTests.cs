using Embeddings.Core.Classification;
using Embeddings.Core.Classification.Networks;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Classification.Networks;

public class NetworkEngineTests(ITestOutputHelper log)
{
    // Synthetic vocabulary: ids 0–9 are "positive" words, 10–19 "negative", 20–49 neutral filler.
    private const int Vocabulary = 50;

    /// <summary>Sentiment-like: 4 to 9 filler tokens and one or two words of one set; the label is the set.</summary>
    private static (int[][] Examples, int[] Labels) Sentiment(int count, ulong seed)
    {
        var random = new SplitMix64Random(seed);
        var examples = new int[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = random.NextInt(2);
            var tokens = new List<int>();
            int filler = 4 + random.NextInt(6);
            for (int k = 0; k < filler; k++)
            {
                tokens.Add(20 + random.NextInt(30));
            }

            for (int k = 0, words = 1 + random.NextInt(2); k < words; k++)
            {
                tokens.Insert(random.NextInt(tokens.Count + 1), (labels[i] * 10) + random.NextInt(10));
            }

            examples[i] = [.. tokens];
        }

        return (examples, labels);
    }

    /// <summary>Order matters: both marker 0 and marker 1 appear among 2 to 6 filler tokens; the label is whether 0 comes first. A bag of words cannot tell.</summary>
    private static (int[][] Examples, int[] Labels) Order(int count, ulong seed)
    {
        var random = new SplitMix64Random(seed);
        var examples = new int[count][];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            var tokens = new List<int>();
            for (int k = 0, filler = 2 + random.NextInt(5); k < filler; k++)
            {
                tokens.Add(20 + random.NextInt(30));
            }

            int first = random.NextInt(tokens.Count + 1);
            int second = first + 1 + random.NextInt(tokens.Count - first + 1);
            labels[i] = random.NextInt(2);
            tokens.Insert(first, labels[i] == 1 ? 0 : 1);
            tokens.Insert(second, labels[i] == 1 ? 1 : 0);
            examples[i] = [.. tokens];
        }

        return (examples, labels);
    }

    private static double Accuracy(NetworkClassifierEngine engine, int[][] examples, int[] labels)
    {
        int right = 0;
        for (int i = 0; i < examples.Length; i++)
        {
            float[] p = engine.Predict(examples[i]);
            right += (p[1] > p[0] ? 1 : 0) == labels[i] ? 1 : 0;
        }

        return (double)right / examples.Length;
    }

    private static MlpClassifierEngine Mlp(ulong seed = 1, float[]? pretrained = null, bool frozen = false, int threads = 1) =>
        new(new MlpNetworkOptions
        {
            HiddenSizes = [16], Pooling = BagPooling.MeanMax, Dropout = 0.1f, Initialization = WeightInitialization.He,
            Training = new NetworkTraining { Optimizer = OptimizerOptions.AdamW(1e-2), Seed = seed, Threads = threads, ClassWeights = [1f, 1.5f] },
        }, 2, new NetworkEmbedding(Vocabulary, 8, pretrained, frozen));

    private static RecurrentClassifierEngine Recurrent(RecurrentCell cell, bool bidirectional, ulong seed = 1) =>
        new(new RecurrentNetworkOptions
        {
            Cell = cell, HiddenSize = 16, Bidirectional = bidirectional, MaxLength = 12,
            Training = new NetworkTraining { Optimizer = OptimizerOptions.Adam(1e-2), Seed = seed, BatchSize = 16 },
        }, 2, new NetworkEmbedding(Vocabulary, 8));

    [Fact]
    public void TrainEpoch_StepLosses_AverageToTheEpochsMeanLoss()
    {
        // Progress reports show the running mean of the steps' losses; it must end at the epoch's own mean.
        (int[][] train, int[] labels) = Sentiment(96, 1); // six batches of 16 without class weights: the steps weigh alike
        using var engine = new MlpClassifierEngine(
            new MlpNetworkOptions { HiddenSizes = [16], Training = new NetworkTraining { Seed = 1, BatchSize = 16 } }, 2, new NetworkEmbedding(Vocabulary, 8));
        var stepLosses = new List<double>();
        engine.AfterStep = _ => stepLosses.Add(engine.StepLoss);

        double epochLoss = engine.TrainEpoch(train, labels, 0);

        stepLosses.Should().HaveCount(6).And.OnlyContain(loss => loss > 0);
        stepLosses.Average().Should().BeApproximately(epochLoss, 1e-9);
    }

    [Fact]
    public void Mlp_SentimentLikeTask_LearnsToAtLeast95Percent()
    {
        (int[][] train, int[] labels) = Sentiment(600, 1);
        (int[][] test, int[] testLabels) = Sentiment(300, 2);
        using MlpClassifierEngine engine = Mlp();
        double first = engine.TrainEpoch(train, labels, 0), loss = first;
        for (int epoch = 1; epoch < 8; epoch++)
        {
            loss = engine.TrainEpoch(train, labels, epoch);
        }

        double accuracy = Accuracy(engine, test, testLabels);
        log.WriteLine($"loss {first:F4} → {loss:F4}; held-out accuracy {accuracy:P1}");
        loss.Should().BeLessThan(first);
        accuracy.Should().BeGreaterThanOrEqualTo(0.95);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm, false)]
    [InlineData(RecurrentCell.Gru, true)]
    public void Recurrent_TaskWhereOrderMatters_LearnsToAtLeast95Percent(RecurrentCell cell, bool bidirectional)
    {
        (int[][] train, int[] labels) = Order(800, 3);
        (int[][] test, int[] testLabels) = Order(300, 4);
        using RecurrentClassifierEngine engine = Recurrent(cell, bidirectional);
        double loss = 0;
        for (int epoch = 0; epoch < 12; epoch++)
        {
            loss = engine.TrainEpoch(train, labels, epoch);
        }

        double accuracy = Accuracy(engine, test, testLabels);
        log.WriteLine($"{cell} bidirectional {bidirectional}: last loss {loss:F4}; held-out accuracy {accuracy:P1}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.95);
    }

    [Fact]
    public void FrozenPretrainedEmbedding_StaysUnchanged_WhileTheRestLearns()
    {
        float[] pretrained = GradientCheckValues(Vocabulary * 8, 9);
        (int[][] train, int[] labels) = Sentiment(200, 5);
        using MlpClassifierEngine engine = Mlp(pretrained: pretrained, frozen: true);
        float[] output = (float[])engine.Network.Output.Weights.Value.Clone();

        engine.TrainEpoch(train, labels, 0);

        engine.Network.Embedding.Table.Value.Should().Equal(pretrained);
        engine.Network.Output.Weights.Value.Should().NotEqual(output);
    }

    [Fact]
    public void TrainableEmbedding_StartsFromThePretrainedRows_AndChanges()
    {
        float[] pretrained = GradientCheckValues(Vocabulary * 8, 9);
        (int[][] train, int[] labels) = Sentiment(200, 5);
        using MlpClassifierEngine engine = Mlp(pretrained: pretrained);
        engine.Network.Embedding.Table.Value.Should().Equal(pretrained);

        engine.TrainEpoch(train, labels, 0);

        engine.Network.Embedding.Table.Value.Should().NotEqual(pretrained);
    }

    [Fact]
    public void OneThreadAndASeed_GiveIdenticalWeights_AndAnotherSeedDoesNot()
    {
        (int[][] train, int[] labels) = Order(120, 6);
        byte[] Run(ulong seed)
        {
            using RecurrentClassifierEngine engine = new(new RecurrentNetworkOptions
            {
                Cell = RecurrentCell.Lstm, HiddenSize = 8, Layers = 2, Bidirectional = true, Dropout = 0.2f,
                Training = new NetworkTraining { Seed = seed, BatchSize = 8 },
            }, 2, new NetworkEmbedding(Vocabulary, 6));
            engine.TrainEpoch(train, labels, 0);
            engine.TrainEpoch(train, labels, 1);
            return Weights(engine);
        }

        Run(7).Should().Equal(Run(7));
        Run(7).Should().NotEqual(Run(8));

        using MlpClassifierEngine a = Mlp(seed: 7), b = Mlp(seed: 7);
        a.TrainEpoch(train, labels, 0);
        b.TrainEpoch(train, labels, 0);
        Weights(a).Should().Equal(Weights(b));
    }

    /// <summary>A setting of the sparse-versus-dense comparison: the family, the optimiser, threads and frozen or not.</summary>
    public sealed record SparseCase(string Family, string Optimizer, int Threads)
    {
        public OptimizerOptions Options => Optimizer switch
        {
            "adam+l2" => OptimizerOptions.Adam(1e-2, weightDecay: 1e-3),
            "sgd" => OptimizerOptions.Sgd(0.5),
            "sgd+momentum" => OptimizerOptions.Sgd(0.5, momentum: 0.9),
            _ => OptimizerOptions.AdamW(1e-2, weightDecay: 0.01),
        };

        public override string ToString() => $"{Family}, {Optimizer}, {Threads} thread(s)";
    }

    public static TheoryData<SparseCase> SparseCases => new(
        from family in new[] { "mlp", "gru" }
        from optimizer in new[] { "adamw", "adam+l2", "sgd", "sgd+momentum" }
        from threads in new[] { 1, 2, 3 }
        select new SparseCase(family, optimizer, threads));

    [Theory]
    [MemberData(nameof(SparseCases))]
    public void SparseEmbeddingGradients_GiveTheDenseRunsWeightsBitForBit(SparseCase setting)
    {
        (int[][] train, int[] labels) = Sentiment(150, 4);
        byte[] Run(bool sparse)
        {
            var training = new NetworkTraining
            {
                Optimizer = setting.Options, Seed = 3, Threads = setting.Threads, BatchSize = 12, ClassWeights = [1f, 1.5f],
                SparseEmbeddingGradients = sparse,
            };
            using NetworkClassifierEngine engine = setting.Family == "mlp"
                ? new MlpClassifierEngine(new MlpNetworkOptions { HiddenSizes = [8], Pooling = BagPooling.MeanMax, Dropout = 0.1f, Training = training }, 2, new NetworkEmbedding(Vocabulary, 6))
                : new RecurrentClassifierEngine(new RecurrentNetworkOptions { Cell = RecurrentCell.Gru, HiddenSize = 6, Bidirectional = true, Representation = SequenceRepresentation.Max, Training = training }, 2, new NetworkEmbedding(Vocabulary, 6));
            engine.Network.Embedding.Table.Touched.Should().Match(t => (t != null) == sparse);
            engine.TrainEpoch(train, labels, 0);
            engine.TrainEpoch(train, labels, 1);
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream))
            {
                engine.Write(writer);
                engine.WriteOptimizerState(writer);
            }

            return stream.ToArray();
        }

        Run(sparse: true).Should().Equal(Run(sparse: false));
    }

    [Fact]
    public void LazyEmbeddingUpdates_LeaveUnusedRowsAsTheyWere_AndStillLearn()
    {
        (int[][] train, int[] labels) = Sentiment(400, 1);
        (int[][] test, int[] testLabels) = Sentiment(200, 2);

        // Ids 45–49 never occur in the training examples.
        int[][] used = [.. train.Select(e => e.Where(id => id < 45).ToArray())];
        using MlpClassifierEngine engine = new(new MlpNetworkOptions
        {
            HiddenSizes = [16], Pooling = BagPooling.MeanMax,
            Training = new NetworkTraining { Optimizer = OptimizerOptions.AdamW(1e-2, weightDecay: 0.01), Seed = 2, Threads = 2, LazyEmbeddingUpdates = true },
        }, 2, new NetworkEmbedding(Vocabulary, 8));
        float[] table = engine.Network.Embedding.Table.Value;
        float[] before = [.. table];
        for (int epoch = 0; epoch < 6; epoch++)
        {
            engine.TrainEpoch(used, labels, epoch);
        }

        table.AsSpan(45 * 8).ToArray().Should().Equal(before.AsSpan(45 * 8).ToArray(), "AdamW's decay is not applied to rows no batch read");
        table.AsSpan(0, 8).ToArray().Should().NotEqual(before.AsSpan(0, 8).ToArray());
        double accuracy = Accuracy(engine, test, testLabels);
        log.WriteLine($"lazy AdamW: accuracy {accuracy:F3}");
        accuracy.Should().BeGreaterThan(0.95);
    }

    [Fact]
    public void TwoThreads_TrainToTheSameQuality()
    {
        (int[][] train, int[] labels) = Sentiment(600, 1);
        (int[][] test, int[] testLabels) = Sentiment(300, 2);
        using MlpClassifierEngine engine = Mlp(threads: 2);
        for (int epoch = 0; epoch < 8; epoch++)
        {
            engine.TrainEpoch(train, labels, epoch);
        }

        Accuracy(engine, test, testLabels).Should().BeGreaterThanOrEqualTo(0.95);
    }

    [Fact]
    public void WriteThenRead_RestoresThePredictions_AndTheOptimiserState()
    {
        (int[][] train, int[] labels) = Order(100, 7);
        using RecurrentClassifierEngine trained = Recurrent(RecurrentCell.Gru, bidirectional: true, seed: 1);
        trained.TrainEpoch(train, labels, 0);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            trained.Write(writer);
            trained.WriteOptimizerState(writer);
        }

        // The same settings (the seed keys the next epoch's shuffle), but other weights and optimiser moments: trained on other data.
        (int[][] other, int[] otherLabels) = Order(60, 8);
        using RecurrentClassifierEngine loaded = Recurrent(RecurrentCell.Gru, bidirectional: true, seed: 1);
        loaded.TrainEpoch(other, otherLabels, 0);
        loaded.TrainEpoch(other, otherLabels, 1);
        loaded.Predict(train[0]).Should().NotEqual(trained.Predict(train[0]));
        stream.Position = 0;
        using (var reader = new BinaryReader(stream))
        {
            loaded.Read(reader);
            loaded.ReadOptimizerState(reader);
        }

        foreach (int[] example in train.Take(20))
        {
            loaded.Predict(example).Should().Equal(trained.Predict(example));
        }

        // Both continue identically: same weights, same optimiser moments and step count.
        trained.TrainEpoch(train, labels, 1);
        loaded.TrainEpoch(train, labels, 1);
        Weights(loaded).Should().Equal(Weights(trained));
    }

    [Fact]
    public void CancelledMidEpoch_SavedAndResumedAtStepsDone_MatchesTheUninterruptedRun()
    {
        (int[][] train, int[] labels) = Order(100, 9);
        static RecurrentClassifierEngine Create() => new(new RecurrentNetworkOptions
        {
            Cell = RecurrentCell.Lstm, HiddenSize = 8, Dropout = 0.2f, Layers = 2, Training = new NetworkTraining { Seed = 5, BatchSize = 8 },
        }, 2, new NetworkEmbedding(Vocabulary, 6));
        using RecurrentClassifierEngine whole = Create();
        whole.TrainEpoch(train, labels, 0);
        whole.TrainEpoch(train, labels, 1);

        using RecurrentClassifierEngine interrupted = Create();
        interrupted.TrainEpoch(train, labels, 0);
        using var cancellation = new CancellationTokenSource();
        interrupted.AfterStep = steps =>
        {
            if (steps == 5)
            {
                cancellation.Cancel();
            }
        };
        FluentActions.Invoking(() => interrupted.TrainEpoch(train, labels, 1, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        interrupted.StepsDone.Should().Be(5);
        using var saved = new MemoryStream();
        using (var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            interrupted.Write(writer);
            interrupted.WriteOptimizerState(writer);
        }

        using RecurrentClassifierEngine resumed = Create();
        saved.Position = 0;
        using (var reader = new BinaryReader(saved))
        {
            resumed.Read(reader);
            resumed.ReadOptimizerState(reader);
        }

        resumed.TrainEpoch(train, labels, 1, firstStep: interrupted.StepsDone);

        Weights(resumed).Should().Equal(Weights(whole));
    }

    [Fact]
    public void Read_WeightsOfAnotherShape_ThrowsInvalidData()
    {
        using RecurrentClassifierEngine gru = Recurrent(RecurrentCell.Gru, bidirectional: false);
        using RecurrentClassifierEngine lstm = Recurrent(RecurrentCell.Lstm, bidirectional: false);
        using var stream = new MemoryStream(Weights(gru));

        Action read = () => lstm.Read(new BinaryReader(stream));

        read.Should().Throw<InvalidDataException>().WithMessage("*rnn.weight_ih_l0*");
        Action truncated = () => gru.Read(new BinaryReader(new MemoryStream(Weights(gru)[..40])));
        truncated.Should().Throw<InvalidDataException>().WithMessage("*end early*");
    }

    [Fact]
    public void TrainEpoch_Cancelled_ThrowsBeforeChangingTheWeights()
    {
        (int[][] train, int[] labels) = Sentiment(50, 8);
        using MlpClassifierEngine engine = Mlp();
        byte[] before = Weights(engine);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Action epoch = () => engine.TrainEpoch(train, labels, 0, cancellationToken: cancelled.Token);

        epoch.Should().Throw<OperationCanceledException>();
        Weights(engine).Should().Equal(before);
    }

    [Fact]
    public void TrainEpoch_BadData_ThrowsNamingTheExample()
    {
        using MlpClassifierEngine engine = Mlp();
        FluentActions.Invoking(() => engine.TrainEpoch([[1, 2], [Vocabulary]], [0, 1], 0)).Should().Throw<ArgumentException>().WithMessage("Example 1 has token id 50*");
        FluentActions.Invoking(() => engine.TrainEpoch([[1, 2]], [2], 0)).Should().Throw<ArgumentException>().WithMessage("Example 0 has label 2*");
        FluentActions.Invoking(() => new MlpClassifierEngine(new MlpNetworkOptions { Dropout = 1f }, 2, new NetworkEmbedding(5, 3)))
            .Should().Throw<Options.InvalidOptionsException>().WithMessage("*Dropout*");
    }

    [Fact]
    public void Predict_EmptyExample_IsClassifiedByTheBiases()
    {
        using RecurrentClassifierEngine engine = Recurrent(RecurrentCell.Rnn, bidirectional: true);
        float[] p = engine.Predict([]);
        p.Sum().Should().BeApproximately(1f, 1e-6f);
    }

    private static byte[] Weights(NetworkClassifierEngine engine)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            engine.Write(writer);
        }

        return stream.ToArray();
    }

    private static float[] GradientCheckValues(int length, ulong seed) => Sequences.GradientCheck.Uniform(length, 0.5f, seed);
}
