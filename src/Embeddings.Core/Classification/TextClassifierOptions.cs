using System.Globalization;
using Embeddings.Core.Options;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification;

/// <summary>
/// The settings of a text classifier and of its training, validated by <see cref="TextClassifierBuilder.Build"/> and
/// recorded in every model and checkpoint file. The defaults are fastText 0.9.2's for <c>fasttext supervised</c>; each
/// property names the fastText option it mirrors. The settings under "MLP and recurrent families" apply to those
/// families only, and those marked "fastText family" to it only; the rest apply to every family.
/// </summary>
public sealed record TextClassifierOptions
{
    /// <summary>The network (default <see cref="TextClassifierFamily.FastText"/>).</summary>
    public TextClassifierFamily Family { get; init; } = TextClassifierFamily.FastText;

    /// <summary>Size of the word vectors (fastText's <c>-dim</c>; default 100).</summary>
    public int Dimensions { get; init; } = 100;

    /// <summary>
    /// Initial learning rate (fastText's <c>-lr</c>; default 0.1). The fastText family decays it linearly to 0 over all
    /// tokens of all epochs; the MLP and recurrent families keep it constant for their optimiser (<see cref="TextClassifierBuilder.Mlp"/>
    /// and <see cref="TextClassifierBuilder.Recurrent"/> set it to Adam's 0.001).
    /// </summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>Passes over the training examples (fastText's <c>-epoch</c>; default 5).</summary>
    public int Epochs { get; init; } = 5;

    /// <summary>The longest word n-gram embedded beside the words (fastText's <c>-wordNgrams</c>; default 1: words only).</summary>
    public int WordNgrams { get; init; } = 1;

    /// <summary>Hash buckets for the word n-grams, used only when <see cref="WordNgrams"/> &gt; 1 (fastText's <c>-bucket</c>; default 2,000,000). The MLP embeds them too (one row each).</summary>
    public int Buckets { get; init; } = 2_000_000;

    /// <summary>The output loss (fastText's <c>-loss</c>; default <see cref="TextClassifierLoss.Softmax"/>). The MLP and recurrent families train with softmax only.</summary>
    public TextClassifierLoss Loss { get; init; } = TextClassifierLoss.Softmax;

    /// <summary>fastText family: negative labels sampled per example with <see cref="TextClassifierLoss.NegativeSampling"/> (fastText's <c>-neg</c>; default 5).</summary>
    public int NegativeSamples { get; init; } = 5;

    /// <summary>Words seen fewer times in the training data are dropped (fastText's <c>-minCount</c>; default 1).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>fastText family: tokens a thread processes between updates of the shared learning rate (fastText's <c>-lrUpdateRate</c>; default 100).</summary>
    public int LearningRateUpdateRate { get; init; } = 100;

    /// <summary>Training threads (fastText's <c>-thread</c>; default <see cref="Environment.ProcessorCount"/>): Hogwild for the fastText family, each mini-batch split over them for the others.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Seeds the initial weights and the sampling (fastText's <c>-seed</c>; default 0). One thread and a seed give byte-identical models.</summary>
    public ulong Seed { get; init; }

    /// <summary>Whether the input embeddings (words and n-grams) stay as initialised, pretrained or random, so only the layers above them learn (default false).</summary>
    public bool FreezeEmbeddings { get; init; }

    /// <summary>Weight each label's loss by n / (labels · count), so rare labels count as much as common ones (default false).</summary>
    public bool BalancedClassWeights { get; init; }

    /// <summary>Explicit loss weights by label (labels not named weigh 1); null for none. Not together with <see cref="BalancedClassWeights"/>.</summary>
    public IReadOnlyDictionary<string, double>? ClassWeights { get; init; }

    /// <summary>
    /// The label whose F1 on the validation set picks the best epoch and tunes the decision threshold stored in the model;
    /// null (default) picks the best epoch by accuracy and tunes no threshold.
    /// </summary>
    public string? PositiveLabel { get; init; }

    /// <summary>With a validation set, stop when its score has not improved for this many epochs; 0 (default) trains every epoch. The best epoch's weights are kept either way.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>MLP and recurrent families: the optimiser (default <see cref="OptimizerKind.Adam"/>; <see cref="OptimizerKind.AdamW"/> decays the weights decoupled from the gradient).</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;

    /// <summary>MLP and recurrent families: L2 penalty (Adam, SGD) or decoupled weight decay (AdamW) (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>
    /// MLP and recurrent families: whether the optimiser updates only the rows of the embedding table that a batch read
    /// (the "lazy" or sparse Adam of PyTorch's <c>torch.optim.SparseAdam</c> and TensorFlow Addons' <c>LazyAdam</c>)
    /// instead of every row every step (default false: every row, as <c>torch.optim.Adam</c>/<c>AdamW</c> do with a
    /// dense gradient).
    /// </summary>
    /// <remarks>
    /// <para>
    /// With a dense gradient, Adam moves a row even in steps that do not use it (its moments decay and keep pushing it,
    /// and AdamW's decoupled decay shrinks it); the lazy update leaves such a row and its moments as they were until a
    /// batch reads it again, then applies Adam's update with the shared step count. A touched row's update is the
    /// dense one's, so the two differ only through rows a step did not read. Plain SGD without momentum or weight decay
    /// gives the same weights either way (a zero gradient changes nothing) and always skips the untouched rows.
    /// </para>
    /// <para>
    /// The lazy update costs a step in proportion to the rows it read rather than to the vocabulary, which is most of
    /// the training time of an MLP over a large table. It applies to the embedding table only (the layers above it are
    /// dense), has no effect on a frozen table (<see cref="FreezeEmbeddings"/>) or on the fastText family, and is
    /// stored in the model file so that a checkpoint resumes the same way.
    /// </para>
    /// </remarks>
    public bool LazyEmbeddingUpdates { get; init; }

    /// <summary>MLP and recurrent families: examples per optimiser step, in an order shuffled each epoch from the seed (default 32).</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>MLP and recurrent families: dropout probability after each hidden layer (MLP) or between layers and on the sequence's vector (recurrent) (default 0).</summary>
    public double Dropout { get; init; }

    /// <summary>MLP: the hidden layers' widths, input side first (default one layer of 128); empty for a linear classifier over the pooled vector.</summary>
    public IReadOnlyList<int> HiddenSizes { get; init; } = [128];

    /// <summary>MLP: the nonlinearity after each hidden layer (default <see cref="HiddenActivation.Relu"/>).</summary>
    public HiddenActivation Activation { get; init; } = HiddenActivation.Relu;

    /// <summary>MLP: how the token vectors are pooled into one (default <see cref="BagPooling.Mean"/>).</summary>
    public BagPooling Pooling { get; init; } = BagPooling.Mean;

    /// <summary>MLP: how the linear layers' weights are drawn (default <see cref="WeightInitialization.Uniform"/>, PyTorch's).</summary>
    public WeightInitialization Initialization { get; init; } = WeightInitialization.Uniform;

    /// <summary>Recurrent: the cell (default <see cref="RecurrentCell.Lstm"/>).</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Recurrent: units per direction of each layer (PyTorch's <c>hidden_size</c>; default 128).</summary>
    public int HiddenSize { get; init; } = 128;

    /// <summary>Recurrent: stacked layers (default 1).</summary>
    public int Layers { get; init; } = 1;

    /// <summary>Recurrent: whether each layer also reads the sequence backwards (default false).</summary>
    public bool Bidirectional { get; init; }

    /// <summary>Recurrent: the vector a sequence is classified by (default <see cref="Classification.SequenceRepresentation.LastStep"/>).</summary>
    public SequenceRepresentation SequenceRepresentation { get; init; } = SequenceRepresentation.LastStep;

    /// <summary>Recurrent: longer examples keep their first this many known words; 0 (default) keeps all.</summary>
    public int MaxLength { get; init; }

    /// <summary>Checks every setting at once.</summary>
    /// <exception cref="InvalidOptionsException">One or more settings are out of range; the message lists each with the setter to call.</exception>
    public void Validate()
    {
        var validator = new OptionsValidator("text classifier")
            .Defined(nameof(Family), Family, "FastText(), Mlp(…) or Recurrent(…)")
            .InRange(nameof(Dimensions), Dimensions, 1, 4096, "Dimensions(int)")
            .Require(double.IsFinite(LearningRate) && LearningRate > 0 && LearningRate <= 100, nameof(LearningRate), LearningRate, "above 0 and at most 100", "LearningRate(double)")
            .InRange(nameof(Epochs), Epochs, 1, 100_000, "Epochs(int)")
            .InRange(nameof(WordNgrams), WordNgrams, 1, 64, "WordNgrams(int)")
            .InRange(nameof(Buckets), Buckets, WordNgrams > 1 ? 1 : 0, 100_000_000, "Buckets(int)")
            .Defined(nameof(Loss), Loss, "Loss(TextClassifierLoss)")
            .InRange(nameof(NegativeSamples), NegativeSamples, 1, 1000, "NegativeSamples(int)")
            .InRange(nameof(MinCount), MinCount, 1, int.MaxValue, "MinCount(int)")
            .InRange(nameof(LearningRateUpdateRate), LearningRateUpdateRate, 1, int.MaxValue, "LearningRateUpdateRate(int)")
            .InRange(nameof(Threads), Threads, 1, 1024, "Threads(int)")
            .Require(EarlyStoppingPatience >= 0, nameof(EarlyStoppingPatience), EarlyStoppingPatience, "0 (off) or positive", "EarlyStoppingPatience(int)")
            .Require(PositiveLabel is null || PositiveLabel.Length > 0, nameof(PositiveLabel), "\"\"", "a label or null", "PositiveLabel(string)");
        if (BalancedClassWeights && ClassWeights is not null)
        {
            validator.Add(nameof(ClassWeights), "ClassWeights and BalancedClassWeights cannot both be set; call either ClassWeights(…) or BalancedClassWeights().");
        }

        if (Family != TextClassifierFamily.FastText)
        {
            ValidateNetwork(validator);
        }

        foreach ((string label, double weight) in ClassWeights ?? new Dictionary<string, double>())
        {
            validator.Require(double.IsFinite(weight) && weight > 0, nameof(ClassWeights), weight, string.Create(CultureInfo.InvariantCulture, $"positive and finite for label '{label}'"), "ClassWeights(IReadOnlyDictionary<string, double>)");
        }

        validator.ThrowIfInvalid();
    }

    private void ValidateNetwork(OptionsValidator validator)
    {
        bool recurrent = Family == TextClassifierFamily.Recurrent;
        validator
            .Require(Loss == TextClassifierLoss.Softmax, nameof(Loss), Loss, "Softmax for the MLP and recurrent families", "Loss(TextClassifierLoss)")
            .Require(!recurrent || WordNgrams == 1, nameof(WordNgrams), WordNgrams, "1 for the recurrent family (it reads the words in order)", "WordNgrams(int)")
            .Defined(nameof(Optimizer), Optimizer, "Optimizer(OptimizerKind)")
            .Require(double.IsFinite(WeightDecay) && WeightDecay >= 0, nameof(WeightDecay), WeightDecay, "0 or positive", "WeightDecay(double)")
            .InRange(nameof(BatchSize), BatchSize, 1, 1 << 20, "BatchSize(int)")
            .Require(Dropout is >= 0 and < 1, nameof(Dropout), Dropout, "in [0, 1)", "Dropout(double)");
        if (recurrent)
        {
            validator
                .Defined(nameof(Cell), Cell, "Recurrent(RecurrentCell)")
                .InRange(nameof(HiddenSize), HiddenSize, 1, 1 << 14, "HiddenSize(int)")
                .InRange(nameof(Layers), Layers, 1, 16, "Layers(int)")
                .Defined(nameof(SequenceRepresentation), SequenceRepresentation, "SequenceRepresentation(SequenceRepresentation)")
                .InRange(nameof(MaxLength), MaxLength, 0, int.MaxValue, "MaxLength(int)");
        }
        else
        {
            validator
                .Require(HiddenSizes is not null && HiddenSizes.All(h => h is >= 1 and <= 1 << 16), nameof(HiddenSizes), HiddenSizes is null ? "null" : string.Join(", ", HiddenSizes), "widths of 1–65536", "HiddenSizes(params int[])")
                .Defined(nameof(Activation), Activation, "Activation(HiddenActivation)")
                .Defined(nameof(Pooling), Pooling, "Pooling(BagPooling)")
                .Defined(nameof(Initialization), Initialization, "Initialization(WeightInitialization)");
        }
    }

    /// <summary>The buckets actually allocated: fastText keeps none when only words are embedded.</summary>
    internal int UsedBuckets => WordNgrams > 1 ? Buckets : 0;

    /// <summary>The network families' settings, for <see cref="FirstDifference"/>; empty for the fastText family.</summary>
    private string NetworkDescription() => Family switch
    {
        TextClassifierFamily.Mlp => string.Create(CultureInfo.InvariantCulture,
            $"optimizer {Optimizer} weightDecay {WeightDecay:R} lazyEmbeddingUpdates {LazyEmbeddingUpdates} batch {BatchSize} dropout {Dropout:R} hidden [{string.Join(',', HiddenSizes)}] {Activation} {Pooling} {Initialization}"),
        TextClassifierFamily.Recurrent => string.Create(CultureInfo.InvariantCulture,
            $"optimizer {Optimizer} weightDecay {WeightDecay:R} lazyEmbeddingUpdates {LazyEmbeddingUpdates} batch {BatchSize} dropout {Dropout:R} {Cell} hidden {HiddenSize} layers {Layers} bidirectional {Bidirectional} {SequenceRepresentation} maxLength {MaxLength}"),
        _ => string.Empty,
    };

    /// <summary>The setting that differs from <paramref name="other"/>'s in a way that changes training, or null.</summary>
    internal string? FirstDifference(TextClassifierOptions other)
    {
        string Describe(TextClassifierOptions o) => string.Create(CultureInfo.InvariantCulture,
            $"{o.Family} dim {o.Dimensions} lr {o.LearningRate} epochs {o.Epochs} wordNgrams {o.WordNgrams} buckets {o.UsedBuckets} loss {o.Loss} neg {o.NegativeSamples} minCount {o.MinCount} lrUpdateRate {o.LearningRateUpdateRate} threads {o.Threads} seed {o.Seed} freeze {o.FreezeEmbeddings} balanced {o.BalancedClassWeights} positive {o.PositiveLabel} patience {o.EarlyStoppingPatience} {o.NetworkDescription()} weights {(o.ClassWeights is null ? "none" : string.Join(',', o.ClassWeights.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + "=" + p.Value.ToString("R", CultureInfo.InvariantCulture))))}");
        string mine = Describe(this);
        string theirs = Describe(other);
        return mine == theirs ? null : $"this trainer has {mine}; the checkpoint has {theirs}";
    }
}
