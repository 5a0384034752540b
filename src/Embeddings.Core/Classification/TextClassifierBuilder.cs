using Embeddings.Core.Options;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Classification;

/// <summary>
/// Configures a text classifier and its training (see <c>docs/conventions.md</c>). Starts from fastText 0.9.2's
/// supervised defaults; <see cref="Build"/> validates every setting at once.
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
    private WordVectors? _pretrained;
    private string? _checkpointDirectory;

    internal TextClassifierBuilder()
        : base(new TextClassifierOptions())
    {
    }

    /// <summary>fastText's supervised model: the mean of word and word n-gram embeddings, then a linear output (the default family).</summary>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder FastText() => Set(Options with { Family = TextClassifierFamily.FastText });

    /// <summary>Size of the word vectors (<c>-dim</c>; default 100).</summary>
    /// <param name="value">1–4096; must equal the pretrained vectors' dimensions when there are some.</param>
    /// <returns>This builder.</returns>
    public TextClassifierBuilder Dimensions(int value) => Set(Options with { Dimensions = value });

    /// <summary>Initial learning rate (<c>-lr</c>; default 0.1).</summary>
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
    /// every epoch and when training is cancelled; <see cref="TextClassifierTrainer.Resume"/> goes on from it. The run
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
