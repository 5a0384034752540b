using System.Diagnostics;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Classification;

/// <summary>
/// Trains a <see cref="TextClassifier"/> on labelled examples; built by <see cref="TextClassifierBuilder"/>.
/// </summary>
/// <remarks>
/// The fastText-style model trains as <c>fasttext supervised</c> does: each thread takes a contiguous share of the
/// examples in their given order, the learning rate falls linearly from <see cref="TextClassifierOptions.LearningRate"/>
/// to 0 over all tokens of all epochs, and the threads update the shared weights without locks (Hogwild). The sampling
/// is keyed by (seed, epoch, example), so a checkpoint needs only the weights and each thread's position: with one
/// thread a resumed run ends with the same bytes as an uninterrupted one. The MLP and recurrent families train in
/// mini-batches of examples shuffled per epoch from the seed, each batch split over the threads, with a constant
/// learning rate for Adam, AdamW or SGD; their gradients are summed in worker order, so a seed gives the same bytes for a
/// given thread count, and a checkpoint holds the optimiser's state and the steps done, so a resumed run does too. With a validation set, every epoch is scored (the positive
/// label's F1, or accuracy) and the best epoch's weights are kept.
/// </remarks>
public sealed class TextClassifierTrainer
{
    /// <summary>The file name a trainer writes in its checkpoint folder.</summary>
    public const string CheckpointFileName = "text-classifier.checkpoint";

    private readonly WordVectors? _pretrained;
    private readonly string? _checkpointDirectory;
    private readonly ILogger _logger;

    internal TextClassifierTrainer(TextClassifierOptions options, WordVectors? pretrained, string? checkpointDirectory, ILogger logger)
    {
        Options = options;
        _pretrained = pretrained;
        _checkpointDirectory = checkpointDirectory;
        _logger = logger;
    }

    /// <summary>The validated settings.</summary>
    public TextClassifierOptions Options { get; }

    /// <summary>Called after each training example with the epoch (from 0) and the example's index (the MLP and recurrent families: after each optimiser step, with the count of examples done less 1); tests cancel runs at a chosen point with it.</summary>
    internal Action<int, int>? AfterExample { get; set; }

    /// <summary>Trains a new classifier.</summary>
    /// <param name="training">The training examples, each with at least one label; at least two labels in all.</param>
    /// <param name="validation">Optional held-out examples: scored after each epoch to keep the best one, and to tune the positive label's decision threshold.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end.</param>
    /// <param name="cancellationToken">Stops training between examples; with a checkpoint folder, a checkpoint is written first.</param>
    /// <returns>The trained classifier.</returns>
    /// <exception cref="ArgumentException">No examples, an example without a label, a single label in all, or a positive label the data lacks.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public TextClassifier Train(
        IReadOnlyList<LabelledExample> training,
        IReadOnlyList<LabelledExample>? validation = null,
        IProgress<TextClassifierProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        CheckTraining(training);
        CheckValidation(validation);
        FastTextDictionary dictionary = FastTextDictionary.Build(training, Options, _pretrained);
        if (dictionary.Labels.Length < 2)
        {
            throw new ArgumentException($"The training examples have a single label ('{dictionary.Labels[0]}'); a classifier needs at least two.", nameof(training));
        }

        if (Options.PositiveLabel is { } positive && dictionary.LabelId(positive) < 0)
        {
            throw new ArgumentException($"The positive label '{positive}' is not a label of the training examples.", nameof(training));
        }

        if (Options.ClassWeights?.Keys.FirstOrDefault(label => dictionary.LabelId(label) < 0) is { } unknown)
        {
            throw new ArgumentException($"The class weights name the label '{unknown}', which no training example has.", nameof(training));
        }

        if (Options.Family != TextClassifierFamily.FastText && training.Select((e, i) => (e, i)).FirstOrDefault(p => p.e.Labels.Count > 1) is { e: not null } multi)
        {
            throw new ArgumentException($"Training example {multi.i + 1} has {multi.e.Labels.Count} labels; the {Options.Family} family learns one label per example (the fastText family with loss OneVsAll learns several).", nameof(training));
        }

        ClassifierNetwork network = Options.Family == TextClassifierFamily.FastText
            ? FastTextNetwork.Create(Options, dictionary, _pretrained)
            : NeuralClassifierNetwork.Create(Options, dictionary, _pretrained, LabelWeights(dictionary, Options));
        var model = new TextClassifier(Options, dictionary, network, decisionThreshold: null, bestEpoch: 0);
        var run = new ClassifierRunState(new EpochPosition(Options.Threads));
        run.Position.Reset(0, Options.Threads, training.Count);
        return Run(model, run, training, validation, progress, cancellationToken);
    }

    /// <summary>
    /// Goes on with the run a checkpoint recorded, on the same examples. With one thread the result is the model the
    /// uninterrupted run would have given, byte for byte.
    /// </summary>
    /// <param name="checkpointPath">The checkpoint file, or the checkpoint folder holding <see cref="CheckpointFileName"/>.</param>
    /// <param name="training">The same training examples, in the same order.</param>
    /// <param name="validation">The same validation examples, if the run had some.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end.</param>
    /// <param name="cancellationToken">Stops training between examples; with a checkpoint folder, a checkpoint is written first.</param>
    /// <returns>The trained classifier.</returns>
    /// <exception cref="ArgumentException">The checkpoint was written with other settings or other examples.</exception>
    /// <exception cref="InvalidDataException">The file is not a text-classifier checkpoint, or is damaged.</exception>
    public TextClassifier Resume(
        string checkpointPath,
        IReadOnlyList<LabelledExample> training,
        IReadOnlyList<LabelledExample>? validation = null,
        IProgress<TextClassifierProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        CheckTraining(training);
        CheckValidation(validation);
        return Resume(TextClassifierCheckpoint.Load(checkpointPath), training, validation, progress, cancellationToken);
    }

    /// <summary>
    /// Goes on with the run of a checkpoint already read (to take its <see cref="TextClassifierCheckpoint.Options"/>
    /// first, for one), on the same examples. With one thread the result is the model the uninterrupted run would have
    /// given, byte for byte. The run trains the checkpoint's weights: a checkpoint is resumed once.
    /// </summary>
    /// <param name="checkpoint">The checkpoint, from <see cref="TextClassifierCheckpoint.Load(string)"/>.</param>
    /// <param name="training">The same training examples, in the same order.</param>
    /// <param name="validation">The same validation examples, if the run had some.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end.</param>
    /// <param name="cancellationToken">Stops training between examples; with a checkpoint folder, a checkpoint is written first.</param>
    /// <returns>The trained classifier.</returns>
    /// <exception cref="ArgumentException">The checkpoint was written with other settings or other examples.</exception>
    /// <exception cref="InvalidOperationException">The checkpoint was resumed already.</exception>
    public TextClassifier Resume(
        TextClassifierCheckpoint checkpoint,
        IReadOnlyList<LabelledExample> training,
        IReadOnlyList<LabelledExample>? validation = null,
        IProgress<TextClassifierProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        CheckTraining(training);
        CheckValidation(validation);
        string file = checkpoint.Path;
        if (Options.FirstDifference(checkpoint.Options) is { } difference)
        {
            throw new ArgumentException($"'{file}' was written by a run with other settings: {difference}.", nameof(checkpoint));
        }

        ClassifierRunState run = checkpoint.Run;
        if (run.Position.Next.Any(n => n > training.Count))
        {
            throw new ArgumentException($"'{file}' was written by a run on more than the {training.Count} examples given.", nameof(training));
        }

        TextClassifier model = checkpoint.TakeModel();
        ClassifierLog.Resuming(_logger, file, checkpoint.Epoch);
        return Run(model, run, training, validation, progress, cancellationToken);
    }

    private static void CheckTraining(IReadOnlyList<LabelledExample> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        if (training.Count == 0)
        {
            throw new ArgumentException("There are no training examples.", nameof(training));
        }

        for (int i = 0; i < training.Count; i++)
        {
            if (training[i] is null || training[i].Labels.Count == 0)
            {
                throw new ArgumentException($"Training example {i + 1} has no label.", nameof(training));
            }
        }
    }

    private static void CheckValidation(IReadOnlyList<LabelledExample>? validation)
    {
        for (int i = 0; i < (validation?.Count ?? 0); i++)
        {
            if (validation![i] is null || validation[i].Labels.Count == 0)
            {
                throw new ArgumentException($"Validation example {i + 1} has no label.", nameof(validation));
            }
        }
    }

    private TextClassifier Run(
        TextClassifier model, ClassifierRunState run, IReadOnlyList<LabelledExample> training, IReadOnlyList<LabelledExample>? validation,
        IProgress<TextClassifierProgress>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return TrainEpochs(model, run, training, validation, progress, cancellationToken);
        }
        finally
        {
            model.Network.EndTraining();
        }
    }

    private TextClassifier TrainEpochs(
        TextClassifier model, ClassifierRunState run, IReadOnlyList<LabelledExample> training, IReadOnlyList<LabelledExample>? validation,
        IProgress<TextClassifierProgress>? progress, CancellationToken cancellationToken)
    {
        TextClassifierOptions options = Options;
        FastTextDictionary dictionary = model.Dictionary;
        ClassifierNetwork network = model.Network;
        EncodedExample[] examples = [.. training.Select(e => Encode(dictionary, e))];
        EncodedExample[]? held = validation is { Count: > 0 } ? [.. validation.Select(e => Encode(dictionary, e))] : null;
        EpochPosition position = run.Position;
        var clock = Stopwatch.StartNew();
        long tokensAtStart = position.TokensDone;
        long lastReport = 0;
        ClassifierData data = null!;
        data = new ClassifierData(examples, LabelWeights(dictionary, options), options.Epochs)
        {
            AfterExample = AfterExample,
            Tick = progress is null ? null : () =>
            {
                if (clock.ElapsedMilliseconds - lastReport >= 1000)
                {
                    lastReport = clock.ElapsedMilliseconds;
                    progress.Report(Progress(position, data, tokensAtStart, clock, null));
                }
            },
        };

        ClassifierLog.Started(_logger, network.Family, options.Loss, examples.Length, dictionary.Words.Count, dictionary.Labels.Length, dictionary.InputRows, options.Dimensions, options.Epochs, options.Threads);
        if (_checkpointDirectory is not null)
        {
            Directory.CreateDirectory(_checkpointDirectory);
        }

        using CheckpointLock? folderLock = _checkpointDirectory is null ? null : CheckpointLock.Acquire(_checkpointDirectory, _logger);
        using var gang = new WorkerGang(options.Threads);
        while (position.Epoch < options.Epochs && !run.StoppedEarly)
        {
            if (cancellationToken.IsCancellationRequested || !network.TrainEpoch(data, position, gang, cancellationToken))
            {
                WriteCheckpoint(model, run);
                cancellationToken.ThrowIfCancellationRequested();
            }

            int epoch = position.Epoch + 1;
            double loss = position.MeanLoss;
            double? score = null;
            if (held is not null)
            {
                score = ValidationScore(model, held, validation!);
                if (score > run.BestScore)
                {
                    (run.BestScore, run.BestEpoch, run.EpochsSinceBest) = (score.Value, epoch, 0);
                    run.BestWeights = epoch < options.Epochs ? network.Snapshot() : null;
                }
                else if (options.EarlyStoppingPatience > 0 && ++run.EpochsSinceBest >= options.EarlyStoppingPatience)
                {
                    run.StoppedEarly = true;
                    ClassifierLog.StoppedEarly(_logger, epoch, run.BestEpoch);
                }
            }

            ClassifierLog.EpochFinished(_logger, epoch, options.Epochs, loss, score ?? double.NaN);
            progress?.Report(Progress(position, data, tokensAtStart, clock, score) with { Loss = loss });
            position.Reset(epoch, options.Threads, examples.Length);
            if (position.Epoch < options.Epochs && !run.StoppedEarly)
            {
                WriteCheckpoint(model, run);
            }
        }

        int bestEpoch = position.Epoch;
        if (held is not null && run.BestEpoch != position.Epoch)
        {
            network.Restore(run.BestWeights!);
            bestEpoch = run.BestEpoch;
        }

        float? threshold = held is not null && options.PositiveLabel is not null && !network.IndependentLabels
            ? TuneThreshold(model, held, validation!, options.PositiveLabel)
            : null;
        return new TextClassifier(options, dictionary, network, threshold, bestEpoch);
    }

    private static EncodedExample Encode(FastTextDictionary dictionary, LabelledExample example) =>
        new(dictionary.Encode(example.Tokens), [.. example.Labels.Select(dictionary.LabelId)], example.Tokens.Count + example.Labels.Count + 1);

    /// <summary>Each label's loss weight: 1, balanced (n / (labels · count)), or as given.</summary>
    internal static float[] LabelWeights(FastTextDictionary dictionary, TextClassifierOptions options)
    {
        int labels = dictionary.Labels.Length;
        long total = dictionary.LabelCounts.Sum();
        return [.. Enumerable.Range(0, labels).Select(i =>
            options.BalancedClassWeights ? (float)((double)total / ((double)labels * dictionary.LabelCounts[i]))
            : options.ClassWeights is { } weights && weights.TryGetValue(dictionary.Labels[i], out double weight) ? (float)weight
            : 1f)];
    }

    private TextClassifierProgress Progress(EpochPosition position, ClassifierData data, long tokensAtStart, Stopwatch clock, double? score)
    {
        long done = Interlocked.Read(ref position.TokensDone);
        double fraction = Math.Min(1.0, (double)done / data.TotalTokens);
        return new TextClassifierProgress(
            Math.Min(position.Epoch + 1, Options.Epochs),
            Options.Epochs,
            fraction,
            (done - tokensAtStart) / Math.Max(1e-9, clock.Elapsed.TotalSeconds),
            position.MeanLoss,
            Options.Family == TextClassifierFamily.FastText ? Options.LearningRate * (1 - fraction) : Options.LearningRate,
            score);
    }

    private void WriteCheckpoint(TextClassifier model, ClassifierRunState run)
    {
        if (_checkpointDirectory is null)
        {
            return;
        }

        string path = Path.Combine(_checkpointDirectory, CheckpointFileName);
        TextClassifierFile.Write(path, model, run);
        ClassifierLog.CheckpointWritten(_logger, path, run.Position.Epoch + 1);
    }

    /// <summary>Every validation example's labels, all of them ranked by probability.</summary>
    private static IReadOnlyList<LabelPrediction>[] RankAll(TextClassifier model, EncodedExample[] held)
    {
        var ranked = new IReadOnlyList<LabelPrediction>[held.Length];
        for (int i = 0; i < held.Length; i++)
        {
            var probabilities = new float[model.Network.LabelCount];
            model.Network.Probabilities(held[i].Input, probabilities);
            ranked[i] = model.Rank(probabilities, probabilities.Length, threshold: 0f);
        }

        return ranked;
    }

    /// <summary>The positive label's F1 when there is one, otherwise the accuracy of the most probable label.</summary>
    private static double ValidationScore(TextClassifier model, EncodedExample[] held, IReadOnlyList<LabelledExample> validation)
    {
        var report = ClassificationReport.Compute([.. validation.Select(e => e.Labels)], RankAll(model, held), k: 1, model.Options.PositiveLabel);
        return model.Options.PositiveLabel is { } positive ? report.Labels.First(l => l.Label == positive).F1 : report.Accuracy;
    }

    /// <summary>The probability of the positive label at which predicting it maximises its F1 on the validation set; null when no validation example has it.</summary>
    private static float? TuneThreshold(TextClassifier model, EncodedExample[] held, IReadOnlyList<LabelledExample> validation, string positive)
    {
        if (!validation.Any(e => e.Labels.Contains(positive)))
        {
            return null;
        }

        float[] scores = [.. RankAll(model, held).Select(ranked => ranked.First(p => p.Label == positive).Probability)];
        return ClassificationReport.TuneThreshold([.. validation.Select(e => e.Labels)], scores, positive).Threshold;
    }
}
