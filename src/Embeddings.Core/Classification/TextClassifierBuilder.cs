using Embeddings.Core.Options;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Classification;

/// <summary>
/// Configures a text classifier and its training (see <c>docs/conventions.md</c>). Starts from fastText 0.9.2's
/// supervised defaults; <see cref="Build"/> validates every setting at once. Choose the family first
/// (<see cref="FastText"/>, <see cref="Mlp"/> or <see cref="Recurrent"/>): switching family sets its default learning rate.
/// </summary>
/// <example>
/// <code>
/// TextClassifier model = TextClassifier.CreateBuilder().FastText().WordNgrams(2).Epochs(10).Seed(1).Threads(1)
///     .Build().Train(training, validation);
/// IReadOnlyList&lt;LabelPrediction&gt; best = model.Predict("what a lovely day", k: 2);
/// </code>
/// </example>
public sealed class TextClassifierBuilder : TrainerBuilder<TextClassifierBuilder, TextClassifierOptions>
{
    private const double FastTextLearningRate = 0.1;
    private const double NetworkLearningRate = 0.001;

    private WordVectors? _pretrained;
    private string? _checkpointDirectory;

    internal TextClassifierBuilder()
        : base(new TextClassifierOptions())
    {
    }

    /// <summary>fastText's supervised model: the mean of word and word n-gram embeddings, then a linear output (the default family).</summary>
    /// <remarks>Coming from another family, this sets <see cref="TextClassifierOptions.LearningRate"/> to fastText's 0.1.</remarks>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder FastText() => SwitchFamily(TextClassifierFamily.FastText);

    /// <summary>
    /// The multi-layer network over a bag of embeddings: the example's word vectors pooled (<see cref="Pooling"/>), then
    /// hidden layers (<see cref="Activation"/>, <see cref="Dropout"/>, <see cref="Initialization"/>), then softmax; trained
    /// in mini-batches with Adam or AdamW (<see cref="Optimizer"/>, <see cref="WeightDecay"/>, <see cref="BatchSize"/>).
    /// </summary>
    /// <remarks>Coming from another family, this sets <see cref="TextClassifierOptions.LearningRate"/> to Adam's 0.001.</remarks>
    /// <param name="hiddenSizes">The hidden layers' widths, input side first; none keeps <see cref="TextClassifierOptions.HiddenSizes"/> (default one layer of 128).</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Mlp(params int[] hiddenSizes)
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        SwitchFamily(TextClassifierFamily.Mlp);
        return hiddenSizes.Length == 0 ? this : HiddenSizes(hiddenSizes);
    }

    /// <summary>
    /// The sequence-to-vector recurrent network: the example's word vectors in order → <see cref="Layers"/> layers of
    /// <paramref name="cell"/> (<see cref="HiddenSize"/> units, <see cref="Bidirectional"/>) → one vector
    /// (<see cref="SequenceRepresentation"/>) → softmax; trained in mini-batches with Adam or AdamW.
    /// </summary>
    /// <remarks>Coming from another family, this sets <see cref="TextClassifierOptions.LearningRate"/> to Adam's 0.001.</remarks>
    /// <param name="cell">The recurrent cell.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Recurrent(RecurrentCell cell)
    {
        SwitchFamily(TextClassifierFamily.Recurrent);
        return Set(Options with { Cell = cell });
    }

    /// <summary>MLP and recurrent: the optimiser (default Adam).</summary>
    /// <param name="value">Adam, AdamW or SGD.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Optimizer(OptimizerKind value) => Set(Options with { Optimizer = value });

    /// <summary>MLP and recurrent: L2 penalty (Adam, SGD) or decoupled weight decay (AdamW) (default 0).</summary>
    /// <param name="value">0 or more.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder WeightDecay(double value) => Set(Options with { WeightDecay = value });

    /// <summary>
    /// MLP and recurrent: update only the embedding rows each batch read (lazy Adam, as PyTorch's <c>SparseAdam</c>)
    /// instead of every row every step; see <see cref="TextClassifierOptions.LazyEmbeddingUpdates"/> for how the two differ (default false).
    /// </summary>
    /// <param name="value">Whether to update lazily (default true when called).</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder LazyEmbeddingUpdates(bool value = true) => Set(Options with { LazyEmbeddingUpdates = value });

    /// <summary>MLP and recurrent: examples per optimiser step (default 32).</summary>
    /// <param name="value">At least 1.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder BatchSize(int value) => Set(Options with { BatchSize = value });

    /// <summary>MLP and recurrent: dropout probability (default 0).</summary>
    /// <param name="value">In [0, 1).</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Dropout(double value) => Set(Options with { Dropout = value });

    /// <summary>MLP: the hidden layers' widths, input side first (default one layer of 128); none for a linear classifier over the pooled vector.</summary>
    /// <param name="sizes">Widths of 1–65536.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder HiddenSizes(params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        return Set(Options with { HiddenSizes = [.. sizes] });
    }

    /// <summary>MLP: the nonlinearity after each hidden layer (default ReLU).</summary>
    /// <param name="value">The activation.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Activation(HiddenActivation value) => Set(Options with { Activation = value });

    /// <summary>MLP: how the word vectors are pooled (default mean).</summary>
    /// <param name="value">Mean, or mean ‖ max.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Pooling(BagPooling value) => Set(Options with { Pooling = value });

    /// <summary>MLP: how the linear layers' weights are drawn (default PyTorch's uniform; Xavier for tanh and sigmoid, He for ReLU).</summary>
    /// <param name="value">The initialisation.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Initialization(WeightInitialization value) => Set(Options with { Initialization = value });

    /// <summary>Recurrent: units per direction of each layer (default 128).</summary>
    /// <param name="value">1–16384.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder HiddenSize(int value) => Set(Options with { HiddenSize = value });

    /// <summary>Recurrent: stacked layers (default 1).</summary>
    /// <param name="value">1–16.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Layers(int value) => Set(Options with { Layers = value });

    /// <summary>Recurrent: each layer also reads the sequence backwards.</summary>
    /// <param name="value">Whether to (default true when called).</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Bidirectional(bool value = true) => Set(Options with { Bidirectional = value });

    /// <summary>Recurrent: the vector a sequence is classified by (default the last step's state).</summary>
    /// <param name="value">Last step, mean or max over the steps.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder SequenceRepresentation(SequenceRepresentation value) => Set(Options with { SequenceRepresentation = value });

    /// <summary>Recurrent: longer examples keep their first this many known words (default 0: all).</summary>
    /// <param name="value">0 or more.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder MaxLength(int value) => Set(Options with { MaxLength = value });

    /// <summary>Size of the word vectors (<c>-dim</c>; default 100).</summary>
    /// <param name="value">1–4096; must equal the pretrained vectors' dimensions when there are some.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Dimensions(int value) => Set(Options with { Dimensions = value });

    /// <summary>Initial learning rate (<c>-lr</c>; default 0.1 for the fastText family, 0.001 for the others).</summary>
    /// <param name="value">Above 0, at most 100.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder LearningRate(double value) => Set(Options with { LearningRate = value });

    /// <summary>Passes over the training examples (<c>-epoch</c>; default 5).</summary>
    /// <param name="value">At least 1.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Epochs(int value) => Set(Options with { Epochs = value });

    /// <summary>The longest word n-gram embedded (<c>-wordNgrams</c>; default 1).</summary>
    /// <param name="value">1–64.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder WordNgrams(int value) => Set(Options with { WordNgrams = value });

    /// <summary>Hash buckets of the word n-grams (<c>-bucket</c>; default 2,000,000).</summary>
    /// <param name="value">At least 1 when <see cref="TextClassifierOptions.WordNgrams"/> &gt; 1.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Buckets(int value) => Set(Options with { Buckets = value });

    /// <summary>The output loss (<c>-loss</c>; default softmax).</summary>
    /// <param name="value">The loss.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Loss(TextClassifierLoss value) => Set(Options with { Loss = value });

    /// <summary>Negative labels per example with negative sampling (<c>-neg</c>; default 5).</summary>
    /// <param name="value">1–1000.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder NegativeSamples(int value) => Set(Options with { NegativeSamples = value });

    /// <summary>The fewest occurrences a word needs to be kept (<c>-minCount</c>; default 1).</summary>
    /// <param name="value">At least 1.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder MinCount(int value) => Set(Options with { MinCount = value });

    /// <summary>Tokens between updates of the shared learning rate (<c>-lrUpdateRate</c>; default 100).</summary>
    /// <param name="value">At least 1.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder LearningRateUpdateRate(int value) => Set(Options with { LearningRateUpdateRate = value });

    /// <summary>Training threads (<c>-thread</c>; default the processor count).</summary>
    /// <param name="value">1–1024; 1 with a seed gives byte-identical models.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Threads(int value) => Set(Options with { Threads = value });

    /// <summary>The seed of the initial weights and the sampling (<c>-seed</c>; default 0).</summary>
    /// <param name="value">Any value.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Seed(ulong value) => Set(Options with { Seed = value });

    /// <summary>Keeps the input embeddings as initialised (pretrained or random), so only the output layer learns.</summary>
    /// <param name="value">Whether to freeze them (default true when called).</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder FreezeEmbeddings(bool value = true) => Set(Options with { FreezeEmbeddings = value });

    /// <summary>Weights each label's loss by n / (labels · count) (scikit-learn's <c>class_weight="balanced"</c>).</summary>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder BalancedClassWeights() => Set(Options with { BalancedClassWeights = true, ClassWeights = null });

    /// <summary>Explicit loss weights by label; labels not named weigh 1.</summary>
    /// <param name="weights">Positive weights by label.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder ClassWeights(IReadOnlyDictionary<string, double> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return Set(Options with { ClassWeights = new Dictionary<string, double>(weights, StringComparer.Ordinal), BalancedClassWeights = false });
    }

    /// <summary>
    /// The label whose F1 on the validation set picks the best epoch and tunes the decision threshold that
    /// <see cref="TextClassifier.Predict(IReadOnlyList{string}, int, float?)"/> applies when given none.
    /// </summary>
    /// <param name="label">A label of the training data.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder PositiveLabel(string label) => Set(Options with { PositiveLabel = label });

    /// <summary>With a validation set, stops after this many epochs without a better score (default 0: every epoch; the best epoch is kept either way).</summary>
    /// <param name="epochs">0 or more.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder EarlyStoppingPatience(int epochs) => Set(Options with { EarlyStoppingPatience = epochs });

    /// <summary>
    /// Starts the input embeddings from <paramref name="vectors"/> (fastText's <c>-pretrainedVectors</c>): their words
    /// join the vocabulary and their rows start as their vectors. Their dimensions must equal
    /// <see cref="TextClassifierOptions.Dimensions"/>.
    /// </summary>
    /// <param name="vectors">The pretrained vectors; read while training starts, not kept.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder PretrainedVectors(WordVectors vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        _pretrained = vectors;
        return this;
    }

    /// <summary>
    /// Writes a checkpoint (<see cref="TextClassifierTrainer.CheckpointFileName"/>) into <paramref name="directory"/> after
    /// every epoch and when training is cancelled; <see cref="TextClassifierTrainer.Resume(string, IReadOnlyList{LabelledExample}, IReadOnlyList{LabelledExample}?, IProgress{TextClassifierProgress}?, CancellationToken)"/> goes on from it. The run
    /// holds the folder's <see cref="IO.CheckpointLock"/> while it trains.
    /// </summary>
    /// <param name="directory">The folder; created if missing.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Checkpoints(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _checkpointDirectory = directory;
        return this;
    }

    private TextClassifierBuilder SwitchFamily(TextClassifierFamily family) =>
        Options.Family == family ? this
        : Set(Options with { Family = family, LearningRate = family == TextClassifierFamily.FastText ? FastTextLearningRate : NetworkLearningRate });

    /// <summary>Validates every setting at once and returns the trainer.</summary>
    /// <returns>The trainer.</returns>
    /// <exception cref="InvalidOptionsException">A setting is out of range, or the pretrained vectors' dimensions differ.</exception>
    public TextClassifierTrainer Build()
    {
        TextClassifierOptions options = Options;
        options.Validate();
        if (_pretrained is not null && _pretrained.Dimensions != options.Dimensions)
        {
            new OptionsValidator("text classifier")
                .Require(false, nameof(TextClassifierOptions.Dimensions), options.Dimensions, $"the pretrained vectors' {_pretrained.Dimensions}", "Dimensions(int)")
                .ThrowIfInvalid();
        }

        return new TextClassifierTrainer(options, _pretrained, _checkpointDirectory, LoggerFactory.CreateLogger<TextClassifierTrainer>());
    }
}
