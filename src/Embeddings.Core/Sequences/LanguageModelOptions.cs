namespace Embeddings.Core.Sequences;

/// <summary>
/// The settings of a language model and of its training, validated by <see cref="LanguageModelBuilder.Build"/> and
/// recorded in every model and checkpoint file.
/// </summary>
public sealed record LanguageModelOptions
{
    internal LanguageModelOptions()
    {
    }

    /// <summary>The recurrent cell (default <see cref="RecurrentCell.Rnn"/>).</summary>
    public RecurrentCell Cell { get; internal init; } = RecurrentCell.Rnn;

    /// <summary>Units per recurrent layer (default 128).</summary>
    public int HiddenSize { get; internal init; } = 128;

    /// <summary>Stacked recurrent layers (default 1).</summary>
    public int Layers { get; internal init; } = 1;

    /// <summary>Dropout probability between recurrent layers (PyTorch's <c>dropout</c>; default 0).</summary>
    public double Dropout { get; internal init; }

    /// <summary>Tokens per training sequence, T (default 5, as the PC3 notebook).</summary>
    public int SequenceLength { get; internal init; } = 5;

    /// <summary>Sequence to one or sequence to sequence (default <see cref="SequencePrediction.LastStep"/>).</summary>
    public SequencePrediction Prediction { get; internal init; } = SequencePrediction.LastStep;

    /// <summary>Ids between the starts of consecutive sequences (default 1: every position).</summary>
    public int Stride { get; internal init; } = 1;

    /// <summary>Sequences per optimiser step; 0 = the whole training set in one step (full batch). Default 512.</summary>
    public int BatchSize { get; internal init; } = 512;

    /// <summary>Passes over the training sequences (default 10).</summary>
    public int Epochs { get; internal init; } = 10;

    /// <summary>The optimiser (default Adam, lr 1e-3).</summary>
    public OptimizerOptions Optimizer { get; internal init; } = OptimizerOptions.Adam();

    /// <summary>The per-epoch learning-rate schedule (default constant).</summary>
    public LearningRateSchedule Schedule { get; internal init; } = LearningRateSchedule.Constant;

    /// <summary>Clip the gradient's global L2 norm to this value (<c>clip_grad_norm_</c>); 0 = no clipping.</summary>
    public double ClipGradientNorm { get; internal init; }

    /// <summary>Truncated back-propagation: the recurrent gradient flows back through at most this many steps; 0 = all <see cref="SequenceLength"/>.</summary>
    public int BackpropagationSteps { get; internal init; }

    /// <summary>Shuffle the training sequences every epoch (default true; a full batch is never shuffled).</summary>
    public bool Shuffle { get; internal init; } = true;

    /// <summary>The fraction of the sequences (the end of the stream) held out for validation; 0 = none.</summary>
    public double ValidationFraction { get; internal init; }

    /// <summary>Stop when the validation perplexity has not improved for this many epochs; 0 = never. Needs a validation split.</summary>
    public int EarlyStoppingPatience { get; internal init; }

    /// <summary>Whether the embedding is frozen (default true, as the PC3 notebook's centroids).</summary>
    public bool FreezeEmbedding { get; internal init; } = true;

    /// <summary>The seed of every random stream: initialisation, shuffling, dropout.</summary>
    public ulong Seed { get; internal init; } = 1;

    /// <summary>
    /// Worker threads (default: the processor count). With one thread a run is bit-for-bit reproducible and resumable;
    /// with several it is reproducible for the same count (workers' gradients are summed in a fixed order).
    /// </summary>
    public int Threads { get; internal init; } = Environment.ProcessorCount;

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
