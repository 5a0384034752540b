using Embeddings.Core.Sequences;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>Training, resuming, generating and saving the recurrent language model.</summary>
public class LanguageModelTests
{
    private static readonly string[] Tokens = [.. Enumerable.Range(0, 12).Select(i => "t" + i)];

    /// <summary>A stream where the next token is fixed by the previous two (so a model with 2+ steps of context can learn it exactly).</summary>
    private static int[] PatternStream(int length, int seed = 3)
    {
        var random = new Random(seed);
        var ids = new int[length];
        ids[0] = random.Next(12);
        ids[1] = random.Next(12);
        for (int i = 2; i < length; i++)
        {
            // Mostly a deterministic rule, with 5 % noise so that the loss cannot reach zero.
            ids[i] = random.NextDouble() < 0.05 ? random.Next(12) : (ids[i - 1] + (2 * ids[i - 2]) + 1) % 12;
        }

        return ids;
    }

    private static float[] Embedding(int dimensions, int seed = 5)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, Tokens.Length * dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1))];
    }

    private static LanguageModelBuilder Small(RecurrentCell cell = RecurrentCell.Rnn) => LanguageModel.CreateBuilder()
        .PretrainedEmbedding(Tokens, Embedding(8), 8)
        .Cell(cell).HiddenSize(24).SequenceLength(4).BatchSize(32).Adam(0.01).Epochs(6).Threads(1).Seed(11);

    private static float[][] Weights(LanguageModel model) => [.. model.Network.Parameters.Select(p => p.Value.ToArray())];

    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void Train_LearnsADeterministicPattern(RecurrentCell cell)
    {
        int[] ids = PatternStream(4_000);

        LanguageModel model = Small(cell).Epochs(25).Build().Train(ids);

        model.Report.Epochs.Should().HaveCount(25);
        model.Report.Epochs[0].TrainingLoss.Should().BeGreaterThan(model.Report.FinalLoss + 0.3, "the loss falls from near ln 12 = 2.48");
        model.Report.FinalLoss.Should().BeLessThan(0.6, "the rule is learnable; only the 5 % noise remains");

        // Greedy continuation of a prompt from the stream follows the rule (the pattern's cycles are what the stream holds,
        // so the prompt is taken from it: the first window whose next tokens are noise-free).
        int start = Enumerable.Range(2, ids.Length - 20).First(i => Enumerable.Range(i, 10).All(j => ids[j] == (ids[j - 1] + (2 * ids[j - 2]) + 1) % 12));
        IReadOnlyList<int> generated = model.GenerateIds(ids[start..(start + 4)], new GenerationOptions { Length = 6, Temperature = 0 });

        generated.Should().Equal(ids[(start + 4)..(start + 10)]);
    }

    [Fact]
    public void Train_EveryStepPrediction_LearnsThePatternToo()
    {
        LanguageModel model = Small(RecurrentCell.Gru).PredictEveryStep().Stride(4).Epochs(25).Build().Train(PatternStream(4_000));

        model.Report.FinalLoss.Should().BeLessThan(1.0);
        model.Report.TrainingSequences.Should().Be((4_000 - 4 - 1) / 4 + 1);
    }

    [Fact]
    public void FullBatch_TakesOneOptimiserStepPerEpoch_AndItsFirstLossIsTheInitialModelsLoss()
    {
        int[] ids = PatternStream(3_000);
        LanguageModel once = Small().FullBatch().Epochs(1).Build().Train(ids);
        LanguageModel twice = Small().FullBatch().Epochs(2).Build().Train(ids);

        once.State!.Optimizer.Steps.Should().Be(1);
        twice.State!.Optimizer.Steps.Should().Be(2);
        twice.Report.Epochs[0].TrainingLoss.Should().Be(once.Report.Epochs[0].TrainingLoss);

        // The second epoch's loss (before its step) is the loss of the model after one step, over every sequence.
        twice.Report.Epochs[1].TrainingLoss.Should().BeApproximately(once.Evaluate(ids).Loss, 1e-5);
    }

    [Fact]
    public void Resume_FromACheckpointAfterCancellation_IsBitIdenticalToTheUninterruptedRun()
    {
        using var folder = new TempDirectory();
        int[] ids = PatternStream(3_000);
        LanguageModelBuilder Configure() => Small(RecurrentCell.Lstm).Layers(2).Dropout(0.2).ClipGradientNorm(1.0)
            .Schedule(LearningRateSchedule.Step(2, 0.5)).ValidationFraction(0.1).Epochs(5);

        LanguageModel uninterrupted = Configure().Build().Train(ids);

        using var cancellation = new CancellationTokenSource();
        LanguageModelTrainer interrupted = Configure()
            .Checkpoints(folder.Path, everyEpochs: 10)
            .OnEpochEnd(e => { if (e.Epoch == 2) { cancellation.Cancel(); } })
            .Build();
        FluentActions.Invoking(() => interrupted.Train(ids, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        string checkpoint = Path.Combine(folder.Path, LanguageModelTrainer.CheckpointFileName);
        File.Exists(checkpoint).Should().BeTrue("cancelling writes a checkpoint of the last finished step");

        LanguageModel resumed = Configure().Build().Resume(checkpoint, ids);

        resumed.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(uninterrupted.Report.Epochs.Select(e => e.TrainingLoss));
        resumed.Report.Epochs.Select(e => e.ValidationLoss).Should().Equal(uninterrupted.Report.Epochs.Select(e => e.ValidationLoss));
        Weights(resumed).Should().BeEquivalentTo(Weights(uninterrupted), o => o.WithStrictOrdering());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Resume_FromTheMiddleOfAnEpoch_IsBitIdenticalToTheUninterruptedRun(int threads)
    {
        using var folder = new TempDirectory();
        int[] ids = PatternStream(3_000);
        LanguageModelBuilder Configure() => Small(RecurrentCell.Gru).Dropout(0.1).Layers(2).Threads(threads).Epochs(3);

        LanguageModel uninterrupted = Configure().Build().Train(ids);

        using var cancellation = new CancellationTokenSource();
        LanguageModelTrainer interrupted = Configure().Checkpoints(folder.Path, everyEpochs: 5).Build();
        interrupted.AfterStep = (epoch, step) => { if (epoch == 1 && step == 17) { cancellation.Cancel(); } };
        FluentActions.Invoking(() => interrupted.Train(ids, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();

        LanguageModel resumed = Configure().Build().Resume(folder.Path, ids);

        resumed.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(uninterrupted.Report.Epochs.Select(e => e.TrainingLoss), "the epoch's loss so far is in the checkpoint");
        Weights(resumed).Should().BeEquivalentTo(Weights(uninterrupted), o => o.WithStrictOrdering());
    }

    [Fact]
    public void FullBatch_CancelledInsideItsStep_StopsSoon_AndResumesToTheUninterruptedModel()
    {
        using var folder = new TempDirectory();
        int[] ids = PatternStream(60_000);
        LanguageModelBuilder Configure() => Small().HiddenSize(64).FullBatch().Epochs(6);
        LanguageModel uninterrupted = Configure().Build().Train(ids);

        // Cancel as epoch 1 ends, before the second epoch's single step starts: that step sees the token between its
        // chunks and is abandoned, so the checkpoint holds the state after epoch 1. (A timer here raced the remaining
        // epochs on a loaded machine and sometimes fired after training had ended.)
        using var cancellation = new CancellationTokenSource();
        LanguageModelTrainer interrupted = Configure().Checkpoints(folder.Path, everyEpochs: 10)
            .OnEpochEnd(e => { if (e.Epoch == 1) { cancellation.Cancel(); } })
            .Build();
        FluentActions.Invoking(() => interrupted.Train(ids, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        LanguageModel resumed = Configure().Build().Resume(folder.Path, ids);

        resumed.Report.Epochs.Select(e => e.TrainingLoss).Should().Equal(uninterrupted.Report.Epochs.Select(e => e.TrainingLoss));
        Weights(resumed).Should().BeEquivalentTo(Weights(uninterrupted), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Resume_WithOtherSettings_SaysWhichSettingDiffers()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "model.lm");
        Small().Epochs(1).Build().Train(PatternStream(500)).Save(path);

        FluentActions.Invoking(() => Small().HiddenSize(16).Epochs(1).Build().Resume(path, PatternStream(500)))
            .Should().Throw<ArgumentException>().WithMessage("*HiddenSize (16 here, 24 in the checkpoint)*");
    }

    [Fact]
    public void Train_WithTwoThreads_IsReproducible()
    {
        int[] ids = PatternStream(2_000);
        LanguageModel a = Small(RecurrentCell.Gru).Threads(2).Epochs(3).Build().Train(ids);
        LanguageModel b = Small(RecurrentCell.Gru).Threads(2).Epochs(3).Build().Train(ids);

        Weights(a).Should().BeEquivalentTo(Weights(b), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Generate_WithASeed_IsReproducible_AndTemperatureZeroIsTheArgmax()
    {
        // Barely trained, so that sampling at temperature 1 has real choices to make.
        LanguageModel model = Small().Adam(0.001).Epochs(1).Build().Train(PatternStream(2_000));
        var sampled = new GenerationOptions { Length = 20, Temperature = 1.0, Seed = 42 };

        model.Generate(["t1", "t2"], sampled).Should().Equal(model.Generate(["t1", "t2"], sampled));
        model.Generate(["t1", "t2"], sampled with { Seed = 43 }).Should().NotEqual(model.Generate(["t1", "t2"], sampled));

        // Greedy: every token is the most probable continuation of the last SequenceLength tokens.
        IReadOnlyList<int> greedy = model.GenerateIds([1, 2], new GenerationOptions { Length = 10, Temperature = 0 });
        var context = new List<int> { 1, 2 };
        foreach (int id in greedy)
        {
            float[] p = model.NextTokenProbabilities(context);
            id.Should().Be(Array.IndexOf(p, p.Max()));
            context.Add(id);
        }

        model.GenerateIds([1, 2], new GenerationOptions { Length = 10, Temperature = 1e-6, Seed = 9 }).Should().Equal(greedy, "a vanishing temperature is the argmax");
        model.GenerateIds([1, 2], new GenerationOptions { Length = 10, TopK = 1, Seed = 9 }).Should().Equal(greedy, "top-1 sampling is the argmax");
    }

    [Fact]
    public void Generate_SkipsUnknownWords_AndRejectsAPromptWithNone()
    {
        LanguageModel model = Small().Epochs(1).Build().Train(PatternStream(500));

        model.Generate(["zzz", "t1", "qqq", "t2"], new GenerationOptions { Length = 5, Temperature = 0 })
            .Should().Equal(model.Generate(["t1", "t2"], new GenerationOptions { Length = 5, Temperature = 0 }));
        FluentActions.Invoking(() => model.Generate(["zzz", "qqq"]))
            .Should().Throw<ArgumentException>().WithMessage("*None of the prompt's 2 word(s) ('zzz qqq')*vocabulary*");
    }

    [Fact]
    public void NextTokenProbabilities_SumToOne()
    {
        LanguageModel model = Small().Epochs(1).Build().Train(PatternStream(500));
        float[] p = model.NextTokenProbabilities([0, 1, 2, 3, 4, 5]);

        p.Should().HaveCount(12);
        p.Sum().Should().BeApproximately(1f, 1e-5f);
        p.Should().OnlyContain(x => x > 0);
    }

    [Fact]
    public void SaveAndLoad_RoundTripsTheModel_AndItsTrainingState()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "model.lm");
        LanguageModel model = Small(RecurrentCell.Gru).ValidationFraction(0.1).Epochs(2).Build().Train(PatternStream(1_000));

        model.Save(path);
        LanguageModel loaded = LanguageModel.Load(path);

        loaded.Tokens.Should().Equal(Tokens);
        loaded.Options.Should().Be(model.Options);
        Weights(loaded).Should().BeEquivalentTo(Weights(model), o => o.WithStrictOrdering());
        loaded.Report.Epochs.Should().Equal(model.Report.Epochs);
        loaded.Report.TrainingSequences.Should().Be(model.Report.TrainingSequences);
        loaded.NextTokenProbabilities([1, 2, 3]).Should().Equal(model.NextTokenProbabilities([1, 2, 3]));
        loaded.State!.Optimizer.Steps.Should().Be(model.State!.Optimizer.Steps);
    }

    [Fact]
    public void Load_ACorruptOrTruncatedFile_NamesTheFile()
    {
        using var folder = new TempDirectory();
        string path = Path.Combine(folder.Path, "model.lm");
        Small().Epochs(1).Build().Train(PatternStream(500)).Save(path);
        byte[] bytes = File.ReadAllBytes(path);

        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);
        FluentActions.Invoking(() => LanguageModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*checksum*");

        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        FluentActions.Invoking(() => LanguageModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*");

        File.WriteAllText(path, "not a model");
        FluentActions.Invoking(() => LanguageModel.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"*{path}*not a language-model file*");
    }

    [Fact]
    public void EarlyStopping_StopsWhenValidationStopsImproving_AndKeepsTheBestEpoch()
    {
        // A learning rate far too high makes the validation loss wander: the run must stop and keep its best epoch.
        int[] ids = PatternStream(2_000);
        LanguageModel model = Small().Sgd(8.0).ValidationFraction(0.2).EarlyStopping(2).Epochs(30).Build().Train(ids);

        model.Report.StoppedEarly.Should().BeTrue();
        model.Report.Epochs.Count.Should().BeLessThan(30);
        LanguageModelEpoch best = model.Report.Epochs[model.Report.BestEpoch - 1];
        best.ValidationLoss.Should().Be(model.Report.Epochs.Min(e => e.ValidationLoss));
        model.Report.Epochs.Skip(model.Report.BestEpoch).Should().HaveCount(2, "patience 2: two epochs without improvement");

        // The returned weights are the best epoch's: its validation loss is reproduced.
        int validationStart = model.Report.TrainingSequences;
        model.Evaluate(ids[validationStart..]).Loss.Should().BeApproximately(best.ValidationLoss, 1e-6);
    }

    [Fact]
    public void Train_RejectsIdsOutsideTheVocabulary_AndStreamsTooShort()
    {
        FluentActions.Invoking(() => Small().Build().Train([1, 2, 12, 3, 4, 5]))
            .Should().Throw<ArgumentException>().WithMessage("*Id 12 at position 2*outside the vocabulary of 12 tokens*");
        FluentActions.Invoking(() => Small().Build().Train([1, 2, 3]))
            .Should().Throw<ArgumentException>().WithMessage("*stream of 3 ids gives no training sequence of 4 tokens*");
    }

    [Fact]
    public void Build_NamesTheInvalidSetting()
    {
        FluentActions.Invoking(() => Small().HiddenSize(0).Build()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*HiddenSize must be 1–65536 (was 0)*");
        FluentActions.Invoking(() => Small().Dropout(1.0).Build()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Dropout*");
        FluentActions.Invoking(() => Small().EarlyStopping(3).Build()).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*needs a validation split*");
        FluentActions.Invoking(() => LanguageModel.CreateBuilder().Build()).Should().Throw<InvalidOperationException>().WithMessage("*PretrainedEmbedding*");
        FluentActions.Invoking(() => LanguageModel.CreateBuilder().PretrainedEmbedding(Tokens, new float[5], 8))
            .Should().Throw<ArgumentException>().WithMessage("*5 values; 12 tokens × 8 dimensions need 96*");
    }

    [Fact]
    public void Optimisers_AndSchedules_FollowPyTorch()
    {
        LearningRateSchedule.Step(2, 0.5).Factor(3, 10).Should().Be(0.5);
        LearningRateSchedule.Exponential(0.9).Factor(2, 10).Should().BeApproximately(0.81, 1e-12);
        LearningRateSchedule.Cosine(0.1).Factor(0, 10).Should().Be(1);
        LearningRateSchedule.Cosine(0.1).Factor(5, 10).Should().BeApproximately(0.55, 1e-12);

        // One SGD-with-momentum step and one Adam step on a single weight, against the formulas.
        var p = new Parameter("w", 1, 1);
        p.Value[0] = 1f;
        var sgd = new Optimizer(OptimizerOptions.Sgd(0.1, momentum: 0.9, weightDecay: 0.5), [p]);
        for (int step = 0; step < 2; step++)
        {
            p.Gradient[0] = 2f;
            sgd.BeginStep(0.1);
            sgd.Update(0, 0, 1, 1f);
        }

        // b1 = 2 + 0.5·1 = 2.5, p1 = 1 − 0.25 = 0.75; b2 = 0.9·2.5 + 2 + 0.5·0.75 = 4.625, p2 = 0.75 − 0.4625.
        p.Value[0].Should().BeApproximately(0.2875f, 1e-6f);

        var q = new Parameter("w", 1, 1);
        q.Value[0] = 1f;
        var adam = new Optimizer(OptimizerOptions.Adam(0.1), [q]);
        q.Gradient[0] = 3f;
        adam.BeginStep(0.1);
        adam.Update(0, 0, 1, 1f);

        // The first bias-corrected Adam step moves by lr · g / (|g| + ε′) ≈ lr.
        q.Value[0].Should().BeApproximately(0.9f, 1e-6f);
    }
}
