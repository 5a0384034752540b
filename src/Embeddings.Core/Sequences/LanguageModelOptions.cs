using Embeddings.Core.Options;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The settings of a language model and of its training, validated by <see cref="LanguageModelBuilder.Build"/> and
/// recorded in every model and checkpoint file.
/// </summary>
public sealed record LanguageModelOptions
{
    /// <summary>The recurrent cell (default <see cref="RecurrentCell.Rnn"/>).</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Rnn;

    /// <summary>Units per recurrent layer (default 128).</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Stacked recurrent layers (default 1).</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Dropout probability between recurrent layers (PyTorch's <c>dropout</c>; default 0).</summary>
    public double Dropout { get; init; }

    /// <summary>Tokens per training sequence, T (default 5, as the PC3 notebook).</summary>
    public int SequenceLength { get; init; } = 5;

    /// <summary>Sequence to one or sequence to sequence (default <see cref="SequencePrediction.LastStep"/>).</summary>
    public SequencePrediction Prediction { get; init; } = SequencePrediction.LastStep;

    /// <summary>Ids between the starts of consecutive sequences (default 1: every position).</summary>
    public int Stride { get; init; } = 1;

    /// <summary>Sequences per optimiser step; 0 = the whole training set in one step (full batch). Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Passes over the training sequences (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>The optimiser (default Adam, lr 1e-3).</summary>
    public OptimizerOptions Optimizer { get; init; } = OptimizerOptions.Adam();

    /// <summary>The per-epoch learning-rate schedule (default constant).</summary>
    public LearningRateSchedule Schedule { get; init; } = LearningRateSchedule.Constant;

    /// <summary>Clip the gradient's global L2 norm to this value (<c>clip_grad_norm_</c>); 0 = no clipping.</summary>
    public double ClipGradientNorm { get; init; }

    /// <summary>Truncated back-propagation: the recurrent gradient flows back through at most this many steps; 0 = all <see cref="SequenceLength"/>.</summary>
    public int BackpropagationSteps { get; init; }

    /// <summary>Shuffle the training sequences every epoch (default true; a full batch is never shuffled).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The fraction of the sequences (the end of the stream) held out for validation; 0 = none.</summary>
    public double ValidationFraction { get; init; }

    /// <summary>Stop when the validation perplexity has not improved for this many epochs; 0 = never. Needs a validation split.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Whether the embedding is frozen (default true, as the PC3 notebook's centroids).</summary>
    public bool FreezeEmbedding { get; init; } = true;

    /// <summary>The seed of every random stream: initialisation, shuffling, dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>
    /// Worker threads (default: the processor count). With one thread a run is bit-for-bit reproducible and resumable;
    /// with several it is reproducible for the same count (workers' gradients are summed in a fixed order).
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("language-model")
            .InRange(nameof(HiddenSize), HiddenSize, 1, 65_536, "HiddenSize(int)")
            .InRange(nameof(Layers), Layers, 1, 64, "Layers(int)")
            .Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)", "Dropout(double)")
            .InRange(nameof(SequenceLength), SequenceLength, 1, 100_000, "SequenceLength(int)")
            .Defined(nameof(Cell), Cell, "Cell(RecurrentCell)")
            .Defined(nameof(Prediction), Prediction, "PredictLastStep() or PredictEveryStep()")
            .InRange(nameof(Stride), Stride, 1, int.MaxValue, "Stride(int)")
            .Require(BatchSize >= 0, nameof(BatchSize), BatchSize, "0 (full batch) or positive", "BatchSize(int) or FullBatch()")
            .InRange(nameof(Epochs), Epochs, 1, int.MaxValue, "Epochs(int)")
            .Require(Optimizer is not null, nameof(Optimizer), Optimizer, "an OptimizerOptions", "Adam(double, double), AdamW(double, double) or Sgd(double, double, double)")
            .Require(Schedule is not null, nameof(Schedule), Schedule, "a LearningRateSchedule", "Schedule(LearningRateSchedule)")
            .Require(ClipGradientNorm >= 0 && !double.IsInfinity(ClipGradientNorm), nameof(ClipGradientNorm), ClipGradientNorm, "0 (off) or a positive norm", "ClipGradientNorm(double)")
            .Require(BackpropagationSteps >= 0, nameof(BackpropagationSteps), BackpropagationSteps, "0 (all steps) or positive", "BackpropagationSteps(int)")
            .Require(ValidationFraction is >= 0 and < 1, nameof(ValidationFraction), ValidationFraction, "in [0, 1)", "ValidationFraction(double)")
            .Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "0 (off) or positive", "EarlyStopping(int)")
            .Require(
                EarlyStoppingPatience == 0 || ValidationFraction > 0,
                nameof(EarlyStoppingPatience),
                EarlyStoppingPatience,
                "0 (off) unless ValidationFraction > 0: early stopping needs a validation split",
                "ValidationFraction(double) first")
            .InRange(nameof(Threads), Threads, 1, 1024, "Threads(int)")
            .ThrowIfInvalid();

    internal int CarrySteps => BackpropagationSteps == 0 ? SequenceLength : BackpropagationSteps;

    /// <summary>The setting that differs from <paramref name="other"/>'s, or null when a run with either trains the same model.</summary>
    internal string? FirstDifference(LanguageModelOptions other)
    {
        (string Name, object Mine, object Theirs)[] settings =
        [
            (nameof(Cell), Cell, other.Cell), (nameof(HiddenSize), HiddenSize, other.HiddenSize), (nameof(Layers), Layers, other.Layers),
            (nameof(Dropout), Dropout, other.Dropout), (nameof(SequenceLength), SequenceLength, other.SequenceLength),
            (nameof(Prediction), Prediction, other.Prediction), (nameof(Stride), Stride, other.Stride), (nameof(BatchSize), BatchSize, other.BatchSize),
            (nameof(Optimizer), Optimizer, other.Optimizer), (nameof(Schedule), Schedule, other.Schedule),
            (nameof(ClipGradientNorm), ClipGradientNorm, other.ClipGradientNorm), (nameof(BackpropagationSteps), BackpropagationSteps, other.BackpropagationSteps),
            (nameof(Shuffle), Shuffle, other.Shuffle), (nameof(ValidationFraction), ValidationFraction, other.ValidationFraction),
            (nameof(FreezeEmbedding), FreezeEmbedding, other.FreezeEmbedding), (nameof(Seed), Seed, other.Seed),
        ];
        foreach ((string name, object mine, object theirs) in settings)
        {
            if (!mine.Equals(theirs))
            {
                return $"{name} ({mine} here, {theirs} in the checkpoint)";
            }
        }

        return null;
    }
}
