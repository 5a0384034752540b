using Embeddings.Core.Classification;
using Embeddings.Core.Corpus;
using Embeddings.Core.Options;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Classification;

/// <summary>The fastText-style text classifier: learning, losses, hashing, files, determinism and resume.</summary>
public class TextClassifierTests
{
    internal static readonly string[] Topics = ["sport", "food", "music"];

    /// <summary>
    /// A synthetic task: each example has two of its label's six keywords among four noise words shared by all labels,
    /// in a random order; a bag-of-words model can learn it almost perfectly.
    /// </summary>
    internal static List<LabelledExample> Synthetic(int count, int seed)
    {
        var random = new Random(seed);
        var examples = new List<LabelledExample>(count);
        for (int i = 0; i < count; i++)
        {
            int label = random.Next(Topics.Length);
            var tokens = new List<string>();
            for (int j = 0; j < 2; j++)
            {
                tokens.Add($"{Topics[label]}{random.Next(6)}");
            }

            for (int j = 0; j < 4; j++)
            {
                tokens.Insert(random.Next(tokens.Count + 1), $"noise{random.Next(40)}");
            }

            examples.Add(new LabelledExample([Topics[label]], tokens));
        }

        return examples;
    }

    private static TextClassifierBuilder Small() => TextClassifier.CreateBuilder().FastText()
        .Dimensions(16).LearningRate(0.5).Epochs(10).Threads(1).Seed(3);

    internal static double Accuracy(TextClassifier model, List<LabelledExample> examples) =>
        examples.Count(e => model.Predict(e.Tokens)[0].Label == e.Labels[0]) / (double)examples.Count;

    internal static byte[] Bytes(TextClassifier model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Theory]
    [InlineData(TextClassifierLoss.Softmax)]
    [InlineData(TextClassifierLoss.NegativeSampling)]
    [InlineData(TextClassifierLoss.HierarchicalSoftmax)]
    [InlineData(TextClassifierLoss.OneVsAll)]
    public void Each_loss_learns_the_synthetic_task(TextClassifierLoss loss)
    {
        TextClassifier model = Small().Loss(loss).Build().Train(Synthetic(600, 1));

        Accuracy(model, Synthetic(300, 2)).Should().BeGreaterThanOrEqualTo(0.95);
        model.Labels.Should().BeEquivalentTo(Topics);
        IReadOnlyList<LabelPrediction> all = model.Predict("sport1 noise3 sport4", k: 3);
        all.Should().HaveCount(3);
        all[0].Label.Should().Be("sport");
        all.Select(p => p.Probability).Should().BeInDescendingOrder();
        if (loss != TextClassifierLoss.OneVsAll)
        {
            all.Sum(p => p.Probability).Should().BeApproximately(1f, 1e-3f);
        }
    }

    [Fact]
    public void Word_bigrams_and_threads_learn_too()
    {
        TextClassifier model = Small().WordNgrams(2).Buckets(10_000).Threads(2).Build().Train(Synthetic(600, 1));

        Accuracy(model, Synthetic(300, 2)).Should().BeGreaterThanOrEqualTo(0.95);
        model.Dictionary.InputRows.Should().Be(model.Words.Count + 10_000);
    }

    [Fact]
    public void One_vs_all_predicts_several_labels_above_a_threshold()
    {
        // Each example carries one or two topics, with the keywords of each.
        var random = new Random(7);
        var examples = new List<LabelledExample>();
        for (int i = 0; i < 900; i++)
        {
            string[] labels = random.Next(2) == 0 ? [Topics[random.Next(3)]] : [.. Topics.OrderBy(_ => random.Next()).Take(2)];
            List<string> tokens = [.. labels.SelectMany(l => new[] { l + random.Next(6), l + random.Next(6) }), "noise" + random.Next(40)];
            examples.Add(new LabelledExample(labels, [.. tokens.OrderBy(_ => random.Next())]));
        }

        TextClassifier model = Small().Loss(TextClassifierLoss.OneVsAll).Build().Train(examples);

        model.Predict("food2 food5 music1 music3", k: 3, threshold: 0.5f).Select(p => p.Label).Should().BeEquivalentTo("food", "music");
        model.Predict("sport0 sport3 noise1", k: 3, threshold: 0.5f).Select(p => p.Label).Should().Equal("sport");
    }

    [Fact]
    public void Hashes_and_word_ngrams_are_fastTexts()
    {
        // FNV-1a 32 over UTF-8 bytes; fastText sign-extends bytes from 0x80 (é is C3 A9).
        FastTextDictionary.Hash("a").Should().Be(0xE40C292Cu);
        FastTextDictionary.Hash("é").Should().Be(0x3CFA68C1u);
        var dictionary = new FastTextDictionary(Vocabulary.FromWordsInOrder(["good", "day", "</s>"]), ["x", "y"], [1, 1], 2, 2_000_000);

        // Both hashes of "good day" are negative as int32, so fastText's widening with the sign matters:
        // ((uint64)(int64)h(good) · 116049371 + (uint64)(int64)h(day)) mod 2^64 mod 2,000,000 = 836,933; "day </s>" gives 102,984.
        dictionary.Encode(["good", "day"]).Should().Equal(0, 1, 2, 3 + 836_933, 3 + 102_984);
        dictionary.Encode(["unknown", "day"]).Should().HaveCount(2 + 2, "an unknown word has no row, but its n-grams do");
    }

    [Fact]
    public void One_thread_and_a_seed_give_byte_identical_models()
    {
        List<LabelledExample> data = Synthetic(300, 1);

        byte[] first = Bytes(Small().WordNgrams(2).Buckets(1000).Build().Train(data));
        byte[] second = Bytes(Small().WordNgrams(2).Buckets(1000).Build().Train(data));
        byte[] otherSeed = Bytes(Small().WordNgrams(2).Buckets(1000).Seed(4).Build().Train(data));

        second.Should().Equal(first);
        otherSeed.Should().NotEqual(first);
    }

    [Theory]
    [InlineData(TextClassifierLoss.Softmax)]
    [InlineData(TextClassifierLoss.NegativeSampling)]
    public void Cancel_and_resume_equals_the_uninterrupted_run(TextClassifierLoss loss)
    {
        using var folder = new TempDirectory();
        List<LabelledExample> data = Synthetic(300, 1);
        List<LabelledExample> validation = Synthetic(100, 5);
        byte[] uninterrupted = InterruptedRun(folder, loss, data, validation);

        TextClassifier resumed = ResumableRun(loss, folder).Build().Resume(folder.Path, data, validation);

        Bytes(resumed).Should().Equal(uninterrupted);
    }

    [Fact]
    public void A_checkpoint_read_once_gives_its_settings_then_resumes_once()
    {
        using var folder = new TempDirectory();
        List<LabelledExample> data = Synthetic(300, 1);
        List<LabelledExample> validation = Synthetic(100, 5);
        byte[] uninterrupted = InterruptedRun(folder, TextClassifierLoss.Softmax, data, validation);

        TextClassifierCheckpoint checkpoint = TextClassifierCheckpoint.Load(folder.Path);
        checkpoint.Path.Should().Be(folder.File(TextClassifierTrainer.CheckpointFileName));
        checkpoint.Epoch.Should().Be(3);
        checkpoint.Options.Should().BeEquivalentTo(ResumableRun(TextClassifierLoss.Softmax, folder).Build().Options);
        TextClassifierTrainer trainer = TextClassifier.CreateBuilder().WithOptions(checkpoint.Options).Build();
        TextClassifier resumed = trainer.Resume(checkpoint, data, validation);

        Bytes(resumed).Should().Equal(uninterrupted);
        FluentActions.Invoking(() => trainer.Resume(checkpoint, data, validation))
            .Should().Throw<InvalidOperationException>().WithMessage("*was resumed already*load it again*");
        string model = folder.File("finished.emtc");
        resumed.Save(model);
        FluentActions.Invoking(() => TextClassifierCheckpoint.Load(model))
            .Should().Throw<InvalidDataException>().WithMessage($"'{model}' is a finished model, not a checkpoint of a run.");
    }

    private static TextClassifierBuilder ResumableRun(TextClassifierLoss loss, TempDirectory folder) =>
        Small().Loss(loss).Epochs(4).PositiveLabel("food").Checkpoints(folder.Path);

    /// <summary>Runs <see cref="ResumableRun"/>, cancelled in its third epoch; returns the model of the same run uninterrupted.</summary>
    private static byte[] InterruptedRun(TempDirectory folder, TextClassifierLoss loss, List<LabelledExample> data, List<LabelledExample> validation)
    {
        byte[] uninterrupted = Bytes(Small().Loss(loss).Epochs(4).PositiveLabel("food").Build().Train(data, validation));
        using var cancellation = new CancellationTokenSource();
        TextClassifierTrainer interrupted = ResumableRun(loss, folder).Build();
        interrupted.AfterExample = (epoch, example) =>
        {
            if (epoch == 2 && example == 123)
            {
                cancellation.Cancel();
            }
        };
        FluentActions.Invoking(() => interrupted.Train(data, validation, cancellationToken: cancellation.Token)).Should().Throw<OperationCanceledException>();
        File.Exists(folder.File(TextClassifierTrainer.CheckpointFileName)).Should().BeTrue();
        return uninterrupted;
    }

    [Fact]
    public void A_loaded_model_reads_its_rows_from_the_file_until_disposed()
    {
        using var folder = new TempDirectory();
        List<LabelledExample> examples = Synthetic(100, 5);
        TextClassifier model = Small().WordNgrams(2).Buckets(500).Build().Train(Synthetic(300, 1));
        string path = folder.File("model.emtc");
        model.Save(path);

        TextClassifier loaded = TextClassifier.Load(path);
        Bytes(loaded).Should().Equal(File.ReadAllBytes(path));
        loaded.PredictAll(examples.Select(e => e.Tokens), k: 3, threads: 2)
            .Should().BeEquivalentTo(examples.Select(e => model.Predict(e.Tokens, k: 3)), o => o.WithStrictOrdering());
        loaded.Dispose();

        FluentActions.Invoking(() => loaded.Predict(examples[0].Tokens)).Should().Throw<ObjectDisposedException>();
        loaded.Dispose();
        model.Dispose();
        model.Predict(examples[0].Tokens).Should().ContainSingle("a trained model holds no mapping to release");
    }

    [Fact]
    public void A_flipped_bit_in_the_mapped_rows_is_caught_by_the_checksum()
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.emtc");
        Small().WordNgrams(2).Buckets(500).Epochs(1).Build().Train(Synthetic(100, 1)).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;   // inside the 500 bucket rows, which Load maps instead of reading
        File.WriteAllBytes(path, bytes);

        FluentActions.Invoking(() => TextClassifier.Load(path)).Should().Throw<InvalidDataException>().WithMessage($"'{path}' is corrupt: it stores the checksum*");
    }

    [Fact]
    public void Save_and_load_round_trip_predicts_the_same()
    {
        using var folder = new TempDirectory();
        List<LabelledExample> validation = Synthetic(200, 5);
        TextClassifier model = Small().Loss(TextClassifierLoss.HierarchicalSoftmax).WordNgrams(2).Buckets(500).PositiveLabel("music")
            .Build().Train(Synthetic(400, 1), validation);
        model.Preprocessing = "{\"lowercase\":true}";
        string path = folder.File("model.emtc");

        model.Save(path);
        TextClassifier loaded = TextClassifier.Load(path);

        loaded.Labels.Should().Equal(model.Labels);
        loaded.Options.Should().BeEquivalentTo(model.Options);
        loaded.Preprocessing.Should().Be(model.Preprocessing);
        loaded.DecisionThreshold.Should().NotBeNull().And.Be(model.DecisionThreshold);
        loaded.BestEpoch.Should().Be(model.BestEpoch);
        foreach (LabelledExample example in validation)
        {
            loaded.Predict(example.Tokens, k: 3).Should().Equal(model.Predict(example.Tokens, k: 3));
        }

        loaded.PredictAll(validation.Select(e => e.Tokens), k: 2, threads: 2)
            .Should().BeEquivalentTo(validation.Select(e => model.Predict(e.Tokens, k: 2)), o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_damaged_or_foreign_file_is_refused_naming_the_file()
    {
        using var folder = new TempDirectory();
        string path = folder.File("model.emtc");
        Small().Epochs(1).Build().Train(Synthetic(100, 1)).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^10] ^= 0x40;
        string damaged = folder.File("damaged.emtc");
        File.WriteAllBytes(damaged, bytes);
        string foreign = folder.File("vocab.txt");
        Vocabulary.FromWordsInOrder(["a", "b"]).Save(foreign);
        string corpus = folder.File("corpus.bin");
        File.WriteAllBytes(corpus, [.. "EMBC"u8, 2, 0, 0, 0, .. new byte[16]]);

        FluentActions.Invoking(() => TextClassifier.Load(damaged)).Should().Throw<InvalidDataException>().WithMessage($"*'{damaged}'*checksum*");
        FluentActions.Invoking(() => TextClassifier.Load(foreign)).Should().Throw<InvalidDataException>().WithMessage($"*'{foreign}' is not a text classifier file*");
        FluentActions.Invoking(() => TextClassifier.Load(corpus)).Should().Throw<InvalidDataException>().WithMessage($"*'{corpus}' is an encoded corpus file (EMBC), not a text classifier file*");
    }

    [Fact]
    public void Invalid_options_are_reported_together()
    {
        FluentActions.Invoking(() => TextClassifier.CreateBuilder().Dimensions(0).LearningRate(-1).WordNgrams(2).Buckets(0).Build())
            .Should().Throw<InvalidOptionsException>()
            .WithMessage("3 text classifier settings are invalid:*Dimensions must be 1–4096 (was 0); call Dimensions(int).*LearningRate must be above 0 and at most 100 (was -1); call LearningRate(double).*Buckets must be 1–100000000 (was 0); call Buckets(int).");
        FluentActions.Invoking(() => TextClassifier.CreateBuilder().BalancedClassWeights().WithOptions(new TextClassifierOptions { BalancedClassWeights = true, ClassWeights = new Dictionary<string, double> { ["a"] = 2 } }).Build())
            .Should().Throw<InvalidOptionsException>().WithMessage("ClassWeights and BalancedClassWeights cannot both be set*");
    }

    [Fact]
    public void Bad_training_data_is_refused()
    {
        TextClassifierTrainer trainer = Small().Build();

        FluentActions.Invoking(() => trainer.Train([])).Should().Throw<ArgumentException>().WithMessage("There are no training examples.*");
        FluentActions.Invoking(() => trainer.Train([new(["a"], ["x"]), new([], ["y"])])).Should().Throw<ArgumentException>().WithMessage("Training example 2 has no label.*");
        FluentActions.Invoking(() => trainer.Train([new(["a"], ["x"]), new(["a"], ["y"])])).Should().Throw<ArgumentException>().WithMessage("*single label ('a')*");
        FluentActions.Invoking(() => Small().PositiveLabel("zzz").Build().Train(Synthetic(50, 1))).Should().Throw<ArgumentException>().WithMessage("The positive label 'zzz'*");
        FluentActions.Invoking(() => Small().ClassWeights(new Dictionary<string, double> { ["sport"] = 2, ["zzz"] = 3 }).Build().Train(Synthetic(50, 1)))
            .Should().Throw<ArgumentException>().WithMessage("The class weights name the label 'zzz', which no training example has.*");
    }

    [Fact]
    public void Balanced_weights_and_a_tuned_threshold_raise_the_rare_labels_recall()
    {
        // 10 % positives; 70 % of them have a keyword that 20 % of the negatives have too, so a keyword alone leaves the
        // positive label below even odds: an unweighted model rarely predicts it.
        var random = new Random(11);
        List<LabelledExample> Make(int count) => [.. Enumerable.Range(0, count).Select(_ =>
        {
            bool positive = random.NextDouble() < 0.1;
            List<string> tokens = [.. Enumerable.Range(0, 5).Select(_ => "w" + random.Next(30))];
            if (random.NextDouble() < (positive ? 0.7 : 0.2))
            {
                tokens.Add("hate" + random.Next(3));
            }

            return new LabelledExample([positive ? "1" : "0"], tokens);
        })];
        List<LabelledExample> training = Make(1500), validation = Make(500), test = Make(1000);
        double Recall(TextClassifier model) =>
            test.Where(e => e.Labels[0] == "1").Count(e => model.Predict(e.Tokens)[0].Label == "1") / (double)test.Count(e => e.Labels[0] == "1");

        TextClassifier plain = Small().Epochs(5).LearningRate(0.1).Build().Train(training);
        TextClassifier tuned = Small().Epochs(5).LearningRate(0.1).BalancedClassWeights().PositiveLabel("1").Build().Train(training, validation);

        tuned.DecisionThreshold!.Value.Should().BeGreaterThan(0f).And.BeLessThan(1f, "a probability that splits the validation examples");
        Recall(tuned).Should().BeGreaterThan(Recall(plain));
        foreach (LabelledExample example in test.Take(50))
        {
            float positive = tuned.Predict(example.Tokens, k: 2, threshold: 0f).Single(p => p.Label == "1").Probability;
            tuned.Predict(example.Tokens, k: 2).Should().Equal(positive >= tuned.DecisionThreshold
                ? [new LabelPrediction("1", positive)]
                : [new LabelPrediction("0", tuned.Predict(example.Tokens, k: 2, threshold: 0f).Single(p => p.Label == "0").Probability)]);
        }

        tuned.Predict(test[0].Tokens, threshold: 0f)[0].Probability.Should().BeGreaterThanOrEqualTo(0.5f, "an explicit threshold ranks by probability alone");
    }

    [Fact]
    public void Pretrained_vectors_start_the_inputs_and_frozen_inputs_stay()
    {
        var words = Vocabulary.FromWordsInOrder(["sport1", "elsewhere"]);
        float[] matrix = [.. Enumerable.Range(0, 2 * 16).Select(i => i * 0.01f)];
        using var vectors = new Embeddings.Core.Vectors.WordVectors(words, matrix, 16);

        TextClassifier model = Small().Epochs(2).PretrainedVectors(vectors).FreezeEmbeddings().Build().Train(Synthetic(200, 1));

        model.Words.Contains("elsewhere").Should().BeTrue("fastText adds the pretrained words to the vocabulary");
        model.Words.TryGetId("sport1", out int id).Should().BeTrue();
        ((FastTextNetwork)model.Network).Weights[0].AsSpan(id * 16, 16).ToArray().Should().Equal(matrix[..16]);
        FluentActions.Invoking(() => Small().Dimensions(8).PretrainedVectors(vectors).Build())
            .Should().Throw<InvalidOptionsException>().WithMessage("Dimensions must be the pretrained vectors' 16 (was 8)*");
    }

    [Fact]
    public void Early_stopping_keeps_the_best_epoch_and_progress_reports_each_epoch()
    {
        // The validation set swaps two labels, so every epoch that learns the training data scores worse on it.
        List<LabelledExample> training = Synthetic(600, 1);
        List<LabelledExample> swapped = [.. Synthetic(200, 5).Select(e => e with { Labels = [e.Labels[0] switch { "sport" => "food", "food" => "sport", _ => "music" }] })];
        var reports = new List<TextClassifierProgress>();

        TextClassifier model = Small().EarlyStoppingPatience(1).Build().Train(training, swapped, new SynchronousProgress(reports.Add));

        List<TextClassifierProgress> epochEnds = [.. reports.Where(r => r.ValidationScore is not null)];
        epochEnds.Should().HaveCount(2, "the second epoch is no better than the first, and patience is 1");
        epochEnds.Select(r => r.Epoch).Should().Equal(1, 2);
        epochEnds[1].ValidationScore.Should().BeLessThanOrEqualTo(epochEnds[0].ValidationScore!.Value);
        epochEnds.Should().OnlyContain(r => r.Epochs == 10 && r.Loss > 0 && r.LearningRate < 0.5 && r.Fraction > 0 && r.Fraction <= 1);
        model.BestEpoch.Should().Be(1);
    }

    /// <summary>Reports on the calling thread, so a test sees every report before Train returns.</summary>
    internal sealed class SynchronousProgress(Action<TextClassifierProgress> report) : IProgress<TextClassifierProgress>
    {
        public void Report(TextClassifierProgress value) => report(value);
    }
}
