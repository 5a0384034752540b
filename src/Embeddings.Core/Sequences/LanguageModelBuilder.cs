using Embeddings.Core.Numerics;
using Embeddings.Core.Options;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Configures a recurrent language model and its training. The PC3 notebook's model is
/// <c>LanguageModel.CreateBuilder().PretrainedEmbedding(clusters, centroids, 100).Cell(RecurrentCell.Rnn).HiddenSize(128)
/// .SequenceLength(5).Adam(1e-3).BatchSize(512).Epochs(20).Build()</c>. Defaults follow PyTorch; <see cref="Build"/>
/// validates every setting at once.
/// </summary>
public sealed class LanguageModelBuilder : TrainerBuilder<LanguageModelBuilder, LanguageModelOptions>
{
    private IReadOnlyList<string>? _tokens;
    private float[]? _embedding;
    private int _dimensions;
    private bool _randomEmbedding;
    private Action<LanguageModelEpoch>? _epochEnd;
    private string? _checkpointDirectory;
    private int _checkpointEvery;

    internal LanguageModelBuilder()
        : base(new LanguageModelOptions())
    {
    }

    /// <summary>
    /// The vocabulary and a pretrained embedding: row i of <paramref name="matrix"/> (tokens × <paramref name="dimensions"/>,
    /// row-major) is token i's input vector. Frozen by default (<see cref="FreezeEmbedding"/>).
    /// </summary>
    public LanguageModelBuilder PretrainedEmbedding(IReadOnlyList<string> tokens, ReadOnlySpan<float> matrix, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (matrix.Length != (long)tokens.Count * dimensions)
        {
            throw new ArgumentException($"The embedding has {matrix.Length} values; {tokens.Count} tokens × {dimensions} dimensions need {(long)tokens.Count * dimensions}.", nameof(matrix));
        }

        _tokens = [.. tokens];
        _embedding = matrix.ToArray();
        _dimensions = dimensions;
        _randomEmbedding = false;
        return this;
    }

    /// <summary>Word vectors as the vocabulary and the pretrained (frozen by default) embedding: a word-level model.</summary>
    public LanguageModelBuilder PretrainedEmbedding(WordVectors vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return PretrainedEmbedding([.. Enumerable.Range(0, vectors.Count).Select(i => vectors.Vocabulary[i])], vectors.Matrix, vectors.Dimensions);
    }

    /// <summary>The vocabulary with an embedding learnt from scratch (N(0, 1) initialisation, as <c>nn.Embedding</c>; trainable).</summary>
    public LanguageModelBuilder Embedding(IReadOnlyList<string> tokens, int dimensions)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        _tokens = [.. tokens];
        _embedding = null;
        _dimensions = dimensions;
        _randomEmbedding = true;
        return Set(Options with { FreezeEmbedding = false });
    }

    /// <summary>Whether the embedding stays fixed (default true for a pretrained one).</summary>
    public LanguageModelBuilder FreezeEmbedding(bool value = true) => Set(Options with { FreezeEmbedding = value });

    /// <summary>The recurrent cell (default Elman RNN).</summary>
    public LanguageModelBuilder Cell(RecurrentCell value) => Set(Options with { Cell = value });

    /// <summary>Units per recurrent layer (default 128).</summary>
    public LanguageModelBuilder HiddenSize(int value) => Set(Options with { HiddenSize = value });

    /// <summary>Stacked recurrent layers (default 1).</summary>
    public LanguageModelBuilder Layers(int value) => Set(Options with { Layers = value });

    /// <summary>Dropout between recurrent layers (default 0).</summary>
    public LanguageModelBuilder Dropout(double probability) => Set(Options with { Dropout = probability });

    /// <summary>Tokens per sequence (default 5).</summary>
    public LanguageModelBuilder SequenceLength(int value) => Set(Options with { SequenceLength = value });

    /// <summary>Sequence to one or sequence to sequence.</summary>
    public LanguageModelBuilder Predict(SequencePrediction value) => Set(Options with { Prediction = value });

    /// <summary>Predict the token after each sequence from its last state (the default; PC3).</summary>
    public LanguageModelBuilder PredictLastStep() => Predict(SequencePrediction.LastStep);

    /// <summary>Predict the next token at every step (sequence to sequence).</summary>
    public LanguageModelBuilder PredictEveryStep() => Predict(SequencePrediction.EveryStep);

    /// <summary>Ids between consecutive sequence starts (default 1).</summary>
    public LanguageModelBuilder Stride(int value) => Set(Options with { Stride = value });

    /// <summary>Sequences per optimiser step (default 512).</summary>
    public LanguageModelBuilder BatchSize(int value) => Set(Options with { BatchSize = value });

    /// <summary>One optimiser step per epoch over every training sequence (batch size 0).</summary>
    public LanguageModelBuilder FullBatch() => BatchSize(0);

    /// <summary>Epochs (default 10).</summary>
    public LanguageModelBuilder Epochs(int value) => Set(Options with { Epochs = value });

    /// <summary>The optimiser (default <see cref="OptimizerOptions.Adam"/>).</summary>
    public LanguageModelBuilder Optimizer(OptimizerOptions value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Set(Options with { Optimizer = value });
    }

    /// <summary>SGD with momentum.</summary>
    public LanguageModelBuilder Sgd(double learningRate, double momentum = 0, double weightDecay = 0) => Optimizer(OptimizerOptions.Sgd(learningRate, momentum, weightDecay));

    /// <summary>Adam.</summary>
    public LanguageModelBuilder Adam(double learningRate = 1e-3, double weightDecay = 0) => Optimizer(OptimizerOptions.Adam(learningRate, weightDecay));

    /// <summary>AdamW.</summary>
    public LanguageModelBuilder AdamW(double learningRate = 1e-3, double weightDecay = 0.01) => Optimizer(OptimizerOptions.AdamW(learningRate, weightDecay));

    /// <summary>The per-epoch learning-rate schedule (default constant).</summary>
    public LanguageModelBuilder Schedule(LearningRateSchedule value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Set(Options with { Schedule = value });
    }

    /// <summary>Clips the gradient's global norm (0 = off, the default).</summary>
    public LanguageModelBuilder ClipGradientNorm(double maxNorm) => Set(Options with { ClipGradientNorm = maxNorm });

    /// <summary>Truncated back-propagation through time: carry the recurrent gradient back at most this many steps (0 = all).</summary>
    public LanguageModelBuilder BackpropagationSteps(int value) => Set(Options with { BackpropagationSteps = value });

    /// <summary>Shuffle the training sequences each epoch (default true).</summary>
    public LanguageModelBuilder Shuffle(bool value = true) => Set(Options with { Shuffle = value });

    /// <summary>Hold out the last <paramref name="fraction"/> of the sequences for validation (default 0).</summary>
    public LanguageModelBuilder ValidationFraction(double fraction) => Set(Options with { ValidationFraction = fraction });

    /// <summary>Stop after <paramref name="patience"/> epochs without a better validation perplexity and keep the best epoch's weights (0 = off).</summary>
    public LanguageModelBuilder EarlyStopping(int patience) => Set(Options with { EarlyStoppingPatience = patience });

    /// <summary>The seed of every random stream (default 1).</summary>
    public LanguageModelBuilder Seed(ulong value) => Set(Options with { Seed = value });

    /// <summary>Worker threads (default: the processor count).</summary>
    public LanguageModelBuilder Threads(int value) => Set(Options with { Threads = value });

    /// <summary>
    /// Writes a checkpoint to <paramref name="directory"/> every <paramref name="everyEpochs"/> epochs and when cancelled.
    /// The run holds the folder's <see cref="IO.CheckpointLock"/> while it trains, so a second run on the same folder fails
    /// at its start with an <see cref="IOException"/> naming the first.
    /// </summary>
    public LanguageModelBuilder Checkpoints(string directory, int everyEpochs = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentOutOfRangeException.ThrowIfLessThan(everyEpochs, 1);
        _checkpointDirectory = directory;
        _checkpointEvery = everyEpochs;
        return this;
    }

    /// <summary>Calls <paramref name="action"/> after every epoch (on the training thread).</summary>
    public LanguageModelBuilder OnEpochEnd(Action<LanguageModelEpoch> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        _epochEnd = action;
        return this;
    }

    /// <summary>Validates the settings and returns the trainer.</summary>
    /// <exception cref="InvalidOperationException">No vocabulary/embedding was given.</exception>
    /// <exception cref="Options.InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public LanguageModelTrainer Build()
    {
        LanguageModelOptions options = ValidatedOptions();
        if (_tokens is null)
        {
            throw new InvalidOperationException("Give the vocabulary and its embedding first: PretrainedEmbedding(...) or Embedding(tokens, dimensions).");
        }

        if (_tokens.Count < 2)
        {
            throw new ArgumentException($"A language model needs at least 2 tokens; the vocabulary has {_tokens.Count}.");
        }

        float[] embedding = _embedding ?? RandomEmbedding(_tokens.Count, _dimensions, options.Seed);
        if (_randomEmbedding && options.FreezeEmbedding)
        {
            throw new ArgumentException("An embedding learnt from scratch cannot be frozen: call FreezeEmbedding(false) or give a pretrained one.");
        }

        return new LanguageModelTrainer(
            options, _tokens, embedding, _dimensions, LoggerFactory.CreateLogger<LanguageModelTrainer>(), _epochEnd,
            _checkpointDirectory, _checkpointEvery);
    }

    /// <summary>The options, validated.</summary>
    internal LanguageModelOptions ValidatedOptions()
    {
        Options.Validate();
        return Options;
    }

    private static float[] RandomEmbedding(int tokens, int dimensions, ulong seed)
    {
        var values = new float[checked(tokens * dimensions)];
        SplitMix64Random random = SplitMix64Random.For(seed, 0x454D42);
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = random.NextGaussian();
        }

        return values;
    }
}
