using Embeddings.Core.Options;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification.Networks;

/// <summary>
/// The embedding table a network reads its tokens through: <paramref name="Tokens"/> × <paramref name="Dimensions"/>,
/// from <paramref name="Pretrained"/> rows (copied) or drawn from N(0, 1) as PyTorch's <c>nn.Embedding</c>; frozen
/// tables get no gradient and are never changed.
/// </summary>
internal sealed record NetworkEmbedding(int Tokens, int Dimensions, float[]? Pretrained = null, bool Frozen = false)
{
    /// <summary>Throws if the sizes are out of range or the pretrained rows do not fill the table.</summary>
    public void Validate() =>
        new OptionsValidator("embedding")
            .InRange(nameof(Tokens), Tokens, 1, int.MaxValue, "NetworkEmbedding(tokens, …)")
            .InRange(nameof(Dimensions), Dimensions, 1, 100_000, "NetworkEmbedding(…, dimensions, …)")
            .Require(Pretrained is null || Pretrained.Length == (long)Tokens * Dimensions, nameof(Pretrained), Pretrained?.Length, $"null or Tokens × Dimensions = {(long)Tokens * Dimensions} values", "NetworkEmbedding(…, pretrained)")
            .ThrowIfInvalid();
}

/// <summary>How a network trains, whatever its layers: PyTorch-like defaults (Adam 1e-3, batches of 32).</summary>
internal sealed record NetworkTraining
{
    /// <summary>The optimiser (Adam, AdamW or SGD) and its learning rate and weight decay (L2).</summary>
    public OptimizerOptions Optimizer { get; init; } = OptimizerOptions.Adam();

    /// <summary>Examples per optimiser step.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Seeds the initial weights, the shuffling and dropout.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Worker threads per batch; 1 gives bit-identical runs for a seed.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>
    /// Whether the embedding table's gradient is cleared and summed over the rows a batch touched only (the results are
    /// the dense work's, bit for bit); off only to test that.
    /// </summary>
    public bool SparseEmbeddingGradients { get; init; } = true;

    /// <summary>
    /// Whether the optimiser updates only the embedding rows a batch touched (<see cref="Sequences.Optimizer.LazyTouchedRows"/>:
    /// Adam's "lazy" update, as PyTorch's <c>SparseAdam</c>); off: every row every step.
    /// </summary>
    public bool LazyEmbeddingUpdates { get; init; }

    /// <summary>One weight per class for the cross-entropy (PyTorch's <c>weight</c>), or null for 1 each.</summary>
    public IReadOnlyList<float>? ClassWeights { get; init; }

    /// <summary>Throws if a setting is out of range, listing every problem.</summary>
    public void Validate(int classes) =>
        new OptionsValidator("network training")
            .Require(Optimizer is not null, nameof(Optimizer), Optimizer, "an OptimizerOptions", "Optimizer")
            .InRange(nameof(BatchSize), BatchSize, 1, 1 << 20, "BatchSize")
            .InRange(nameof(Threads), Threads, 1, 1024, "Threads")
            .Require(
                ClassWeights is null || (ClassWeights.Count == classes && ClassWeights.All(w => w > 0 && float.IsFinite(w))),
                nameof(ClassWeights), ClassWeights?.Count, $"null or {classes} finite weights greater than 0", "ClassWeights")
            .ThrowIfInvalid();
}

/// <summary>The bag-of-embeddings MLP: pooled token vectors → hidden layers → softmax over the labels.</summary>
internal sealed record MlpNetworkOptions
{
    /// <summary>The hidden layers' widths, input side first; empty for a linear classifier over the pooled vector.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public HiddenActivation Activation { get; init; } = HiddenActivation.Relu;

    /// <summary>LeakyReLU's slope for negative inputs.</summary>
    public float LeakySlope { get; init; } = 0.01f;

    /// <summary>How the token vectors are pooled.</summary>
    public BagPooling Pooling { get; init; } = BagPooling.Mean;

    /// <summary>How the linear layers' weights are drawn.</summary>
    public WeightInitialization Initialization { get; init; } = WeightInitialization.Uniform;

    /// <summary>Dropout probability after each hidden layer.</summary>
    public float Dropout { get; init; }

    /// <summary>Optimiser, batches, seed, threads and class weights.</summary>
    public NetworkTraining Training { get; init; } = new();

    /// <summary>Throws if a setting is out of range, listing every problem.</summary>
    public void Validate(int classes)
    {
        new OptionsValidator("MLP")
            .Require(HiddenSizes is not null && HiddenSizes.All(h => h is >= 1 and <= 1 << 16), nameof(HiddenSizes), HiddenSizes?.Count, "widths in [1, 65536]", "HiddenSizes")
            .Defined(nameof(Activation), Activation, "Activation")
            .Require(LeakySlope is >= 0 and < 1, nameof(LeakySlope), LeakySlope, "in [0, 1)", "LeakySlope")
            .Defined(nameof(Pooling), Pooling, "Pooling")
            .Defined(nameof(Initialization), Initialization, "Initialization")
            .Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)", "Dropout")
            .InRange("classes", classes, 2, int.MaxValue, "the label set")
            .ThrowIfInvalid();
        Training.Validate(classes);
    }
}

/// <summary>The recurrent classifier: token vectors → recurrent layers → one vector per sequence → linear → softmax.</summary>
internal sealed record RecurrentNetworkOptions
{
    /// <summary>The recurrent cell.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Units per direction of each layer.</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Stacked recurrent layers.</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Whether each layer also runs over the reversed sequence (its states concatenated with the forward ones).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>The vector the sequence is classified by.</summary>
    public SequenceRepresentation Representation { get; init; } = SequenceRepresentation.LastStep;

    /// <summary>Sequences longer than this keep their first tokens only; 0 keeps every token.</summary>
    public int MaxLength { get; init; }

    /// <summary>Dropout probability between layers and on the representation.</summary>
    public float Dropout { get; init; }

    /// <summary>Optimiser, batches, seed, threads and class weights.</summary>
    public NetworkTraining Training { get; init; } = new();

    /// <summary>Throws if a setting is out of range, listing every problem.</summary>
    public void Validate(int classes)
    {
        new OptionsValidator("recurrent network")
            .Defined(nameof(Cell), Cell, "Cell")
            .InRange(nameof(HiddenSize), HiddenSize, 1, 1 << 14, "HiddenSize")
            .InRange(nameof(Layers), Layers, 1, 16, "Layers")
            .Defined(nameof(Representation), Representation, "Representation")
            .InRange(nameof(MaxLength), MaxLength, 0, int.MaxValue, "MaxLength")
            .Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)", "Dropout")
            .InRange("classes", classes, 2, int.MaxValue, "the label set")
            .ThrowIfInvalid();
        Training.Validate(classes);
    }
}
