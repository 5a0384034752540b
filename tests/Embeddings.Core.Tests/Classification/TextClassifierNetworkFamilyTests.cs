using Embeddings.Core.Classification;
using Embeddings.Core.Corpus;
using Embeddings.Core.Options;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;
using static Embeddings.Core.Tests.Classification.TextClassifierTests;

namespace Embeddings.Core.Tests.Classification;

/// <summary>The MLP and recurrent families through the public <see cref="TextClassifier"/> API.</summary>
public class TextClassifierNetworkFamilyTests
{
    public static TheoryData<string> Families => ["mlp", "rnn", "gru", "lstm"];

    /// <summary>A small network of the named family: 16-dimensional vectors, 16 hidden units, Adam 0.01, one thread.</summary>
    private static TextClassifierBuilder Small(string family)
    {
        TextClassifierBuilder builder = TextClassifier.CreateBuilder();
        builder = family switch
        {
            "mlp" => builder.Mlp(16),
            "rnn" => builder.Recurrent(RecurrentCell.Rnn).HiddenSize(16),
            "gru" => builder.Recurrent(RecurrentCell.Gru).HiddenSize(16).Bidirectional().SequenceRepresentation(SequenceRepresentation.Max),
            _ => builder.Recurrent(RecurrentCell.Lstm).HiddenSize(16).SequenceRepresentation(SequenceRepresentation.Mean),
        };
        return builder.Dimensions(16).LearningRate(0.01).BatchSize(16).Epochs(6).Threads(1).Seed(3);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Each_family_learns_the_synthetic_task_and_reports_progress(string family)
    {
        var reports = new List<TextClassifierProgress>();

        TextClassifier model = Small(family).Build().Train(Synthetic(600, 1), Synthetic(100, 4), new SynchronousProgress(reports.Add));

        model.Options.Family.Should().Be(family == "mlp" ? TextClassifierFamily.Mlp : TextClassifierFamily.Recurrent);
        Accuracy(model, Synthetic(300, 2)).Should().BeGreaterThanOrEqualTo(0.9);
        IReadOnlyList<LabelPrediction> all = model.Predict("food1 noise3 food4", k: 3);
        all.Select(p => p.Label).Should().BeEquivalentTo(Topics);
        all[0].Label.Should().Be("food");
        all.Sum(p => p.Probability).Should().BeApproximately(1f, 1e-4f);
        model.Predict("never seen words").Should().ContainSingle("an example without known words is classified by the biases");
        List<TextClassifierProgress> epochEnds = [.. reports.Where(r => r.ValidationScore is not null)];
        epochEnds.Select(r => r.Epoch).Should().Equal(1, 2, 3, 4, 5, 6);
        epochEnds.Should().OnlyContain(r => r.Loss > 0 && r.LearningRate == 0.01 && r.Fraction > 0 && r.Fraction <= 1);
        epochEnds[^1].Fraction.Should().Be(1);
        model.BestEpoch.Should().BeInRange(1, 6);
    }

    [Fact]
    public void Choosing_a_family_sets_its_learning_rate_and_the_setters_reach_the_options()
    {
        TextClassifierOptions mlp = TextClassifier.CreateBuilder().Mlp(64, 32).Activation(HiddenActivation.Tanh).Pooling(BagPooling.MeanMax)
            .Initialization(WeightInitialization.Xavier).Dropout(0.25).WeightDecay(0.01).Optimizer(OptimizerKind.AdamW).BatchSize(8).Build().Options;
        TextClassifierOptions recurrent = TextClassifier.CreateBuilder().LearningRate(0.5).Recurrent(RecurrentCell.Gru).Layers(2).Bidirectional()
            .MaxLength(40).HiddenSize(64).Build().Options;

        mlp.Should().BeEquivalentTo(new TextClassifierOptions
        {
            Family = TextClassifierFamily.Mlp, LearningRate = 0.001, HiddenSizes = [64, 32], Activation = HiddenActivation.Tanh, Pooling = BagPooling.MeanMax,
            Initialization = WeightInitialization.Xavier, Dropout = 0.25, WeightDecay = 0.01, Optimizer = OptimizerKind.AdamW, BatchSize = 8,
        });
        recurrent.Should().BeEquivalentTo(new TextClassifierOptions
        {
            Family = TextClassifierFamily.Recurrent, LearningRate = 0.001, Cell = RecurrentCell.Gru, Layers = 2, Bidirectional = true, MaxLength = 40, HiddenSize = 64,
        });
        TextClassifier.CreateBuilder().Mlp().LearningRate(0.02).Build().Options.LearningRate.Should().Be(0.02);
        TextClassifier.CreateBuilder().Mlp().FastText().Build().Options.LearningRate.Should().Be(0.1);
        TextClassifier.CreateBuilder().Mlp().HiddenSizes().Build().Options.HiddenSizes.Should().BeEmpty("no hidden layer is a linear classifier");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    public void Save_and_load_round_trip_predicts_the_same(string family)
    {
        using var folder = new TempDirectory();
        List<LabelledExample> validation = Synthetic(200, 5);
        TextClassifier model = Small(family).Dropout(0.1).BalancedClassWeights().PositiveLabel("music").Build().Train(Synthetic(400, 1), validation);
        string path = folder.File("model.emtc");

        model.Save(path);
        TextClassifier loaded = TextClassifier.Load(path);

        loaded.Options.Should().BeEquivalentTo(model.Options);
        loaded.Labels.Should().Equal(model.Labels);
        loaded.DecisionThreshold.Should().NotBeNull().And.Be(model.DecisionThreshold);
        loaded.BestEpoch.Should().Be(model.BestEpoch);
        foreach (LabelledExample example in validation)
        {
            loaded.Predict(example.Tokens, k: 3, threshold: 0f).Should().Equal(model.Predict(example.Tokens, k: 3, threshold: 0f));
        }

        loaded.PredictAll(validation.Select(e => e.Tokens), k: 2, threads: 2)
            .Should().BeEquivalentTo(validation.Select(e => model.Predict(e.Tokens, k: 2)), o => o.WithStrictOrdering(), "prediction is thread-safe");
        Bytes(loaded).Should().Equal(Bytes(model));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("lstm")]
    public void One_thread_and_a_seed_give_byte_identical_models(string family)
    {
        List<LabelledExample> data = Synthetic(300, 1);

        byte[] first = Bytes(Small(family).Epochs(2).Dropout(0.2).Build().Train(data));
        byte[] second = Bytes(Small(family).Epochs(2).Dropout(0.2).Build().Train(data));
        byte[] otherSeed = Bytes(Small(family).Epochs(2).Dropout(0.2).Seed(4).Build().Train(data));

        second.Should().Equal(first);
        otherSeed.Should().NotEqual(first);
        Bytes(Small(family).Epochs(2).Dropout(0.2).Threads(2).Build().Train(data))
            .Should().Equal(Bytes(Small(family).Epochs(2).Dropout(0.2).Threads(2).Build().Train(data)), "the batches' gradients are summed in worker order");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    public void Lazy_embedding_updates_are_kept_by_the_file_resume_exactly_and_differ_from_dense(string family)
    {
        using var folder = new TempDirectory();
        List<LabelledExample> data = Synthetic(300, 1);
        List<LabelledExample> validation = Synthetic(100, 5);
        TextClassifierBuilder Lazy() => Small(family).Epochs(3).Optimizer(OptimizerKind.AdamW).WeightDecay(0.01).PositiveLabel("food").LazyEmbeddingUpdates();
        TextClassifier lazy = Lazy().Build().Train(data, validation);
        TextClassifier dense = Lazy().LazyEmbeddingUpdates(false).Build().Train(data, validation);

        lazy.Options.LazyEmbeddingUpdates.Should().BeTrue();
        Bytes(lazy).Should().NotEqual(Bytes(dense), "AdamW moves the rows a step did not read only in the dense update");
        Accuracy(lazy, Synthetic(300, 2)).Should().BeGreaterThanOrEqualTo(0.9);
        string path = folder.File("lazy.emtc");
        lazy.Save(path);
        TextClassifier loaded = TextClassifier.Load(path);
        loaded.Options.Should().BeEquivalentTo(lazy.Options);
        Bytes(loaded).Should().Equal(Bytes(lazy));
        File.ReadAllBytes(path)[6].Should().Be(2, "flag 2 marks the lazy update");
        dense.Save(path);
        File.ReadAllBytes(path)[6].Should().Be(0, "a dense model's file is laid out as before the option existed");
        TextClassifier.Load(path).Options.LazyEmbeddingUpdates.Should().BeFalse();

        string checkpoints = folder.File("checkpoints");
        using var cancellation = new CancellationTokenSource();
        TextClassifierTrainer interrupted = Lazy().Checkpoints(checkpoints).Build();
        interrupted.AfterExample = (epoch, example) =>
        {
            if (epoch == 1 && example >= 120)
            {
                cancellation.Cancel();
            }
        };
        FluentActions.Invoking(() => interrupted.Train(data, validation, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        Bytes(Lazy().Checkpoints(checkpoints).Build().Resume(checkpoints, data, validation)).Should().Equal(Bytes(lazy));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("gru")]
    public void Cancel_and_resume_equals_the_uninterrupted_run(string family)
    {
        using var folder = new TempDirectory();
        List<LabelledExample> data = Synthetic(300, 1);
        List<LabelledExample> validation = Synthetic(100, 5);
        TextClassifierBuilder builder = Small(family).Epochs(4).Dropout(0.2).PositiveLabel("food").Checkpoints(folder.Path);
        byte[] uninterrupted = Bytes(Small(family).Epochs(4).Dropout(0.2).PositiveLabel("food").Build().Train(data, validation));

        using var cancellation = new CancellationTokenSource();
        TextClassifierTrainer interrupted = builder.Build();
        interrupted.AfterExample = (epoch, example) =>
        {
            if (epoch == 2 && example >= 120)
            {
                cancellation.Cancel();
            }
        };
        FluentActions.Invoking(() => interrupted.Train(data, validation, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        File.Exists(folder.File(TextClassifierTrainer.CheckpointFileName)).Should().BeTrue();

        TextClassifier resumed = builder.Build().Resume(folder.Path, data, validation);

        Bytes(resumed).Should().Equal(uninterrupted);
        FluentActions.Invoking(() => Small(family).Epochs(4).Dropout(0.3).PositiveLabel("food").Build().Resume(folder.Path, data, validation))
            .Should().Throw<ArgumentException>().WithMessage("*other settings*dropout 0.3*");
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("rnn")]
    public void Frozen_pretrained_vectors_stay_and_fine_tuned_ones_move(string family)
    {
        string[] known = ["sport1", "food2", "music3"];
        float[] matrix = [.. Enumerable.Range(0, known.Length * 16).Select(i => (i % 7) * 0.1f)];
        using var vectors = new WordVectors(Vocabulary.FromWordsInOrder(known), matrix, 16);
        List<LabelledExample> data = Synthetic(200, 1);

        TextClassifier frozen = Small(family).Epochs(2).PretrainedVectors(vectors).FreezeEmbeddings().Build().Train(data);
        TextClassifier tuned = Small(family).Epochs(2).PretrainedVectors(vectors).Build().Train(data);

        float[] Row(TextClassifier model, string word)
        {
            model.Words.TryGetId(word, out int id).Should().BeTrue();
            return ((NeuralClassifierNetwork)model.Network).Engine.Network.Embedding.Table.Value.AsSpan(id * 16, 16).ToArray();
        }

        using var stream = new MemoryStream(Bytes(frozen));
        TextClassifier reloaded = TextClassifier.Load(stream);
        for (int i = 0; i < known.Length; i++)
        {
            Row(frozen, known[i]).Should().Equal(matrix[(i * 16)..((i + 1) * 16)]);
            Row(reloaded, known[i]).Should().Equal(matrix[(i * 16)..((i + 1) * 16)]);
            Row(tuned, known[i]).Should().NotEqual(matrix[(i * 16)..((i + 1) * 16)]);
        }
    }

    [Fact]
    public void Invalid_network_settings_and_multi_label_data_are_refused()
    {
        FluentActions.Invoking(() => TextClassifier.CreateBuilder().Recurrent(RecurrentCell.Lstm).WordNgrams(2).Loss(TextClassifierLoss.OneVsAll).Dropout(1).BatchSize(0).Layers(0).Build())
            .Should().Throw<InvalidOptionsException>()
            .WithMessage("5 text classifier settings are invalid:*Loss must be Softmax*WordNgrams must be 1 for the recurrent family*BatchSize must be 1–1048576 (was 0); call BatchSize(int).*Dropout must be in [0, 1) (was 1); call Dropout(double).*Layers must be 1–16 (was 0); call Layers(int).");
        FluentActions.Invoking(() => TextClassifier.CreateBuilder().Mlp(16, 0).Build())
            .Should().Throw<InvalidOptionsException>().WithMessage("HiddenSizes must be widths of 1–65536 (was 16, 0); call HiddenSizes(params int[]).");
        FluentActions.Invoking(() => Small("mlp").Build().Train([new(["a"], ["x"]), new(["a", "b"], ["y"])]))
            .Should().Throw<ArgumentException>().WithMessage("Training example 2 has 2 labels; the Mlp family learns one label per example*");
    }
}
