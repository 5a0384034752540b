using Embeddings.Core.Compute;
using Embeddings.Core.Options;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Training;

/// <summary>
/// Configures a word2vec trainer: <c>Word2Vec.CreateBuilder().SkipGram().Dimensions(100).WindowSize(5).Build()</c>.
/// Every setting defaults to gensim's; <see cref="Build"/> validates them all at once.
/// </summary>
public sealed class Word2VecBuilder : TrainerBuilder<Word2VecBuilder, Word2VecOptions>
{
    private CheckpointPolicy? _checkpoints;
    private ComputeDevice _device = ComputeDevice.Cpu();
    private Action<EpochSummary>? _epochEnd;

    internal Word2VecBuilder()
        : base(new Word2VecOptions())
    {
    }

    /// <summary>Trains skip-gram (the default).</summary>
    public Word2VecBuilder SkipGram() => Set(Options with { Architecture = Word2VecArchitecture.SkipGram });

    /// <summary>Trains CBOW.</summary>
    public Word2VecBuilder Cbow() => Set(Options with { Architecture = Word2VecArchitecture.Cbow });

    /// <summary>Negative sampling with plain SGD (the default, word2vec.c/gensim/fastText).</summary>
    public Word2VecBuilder NegativeSampling() => Set(Options with { Objective = Word2VecObjective.NegativeSampling });

    /// <summary>
    /// Full softmax with cross-entropy, trained by AdamW on minibatches: the Embedding + Linear model of a PyTorch
    /// notebook, for small vocabularies. Pair it with <c>LearningRate(1e-3)</c>.
    /// </summary>
    /// <param name="batchSize">Pairs per optimiser step.</param>
    /// <param name="weightDecay">AdamW's decoupled weight decay (PyTorch's default 0.01).</param>
    public Word2VecBuilder FullSoftmax(int batchSize = 256, double weightDecay = 0.01) =>
        Set(Options with { Objective = Word2VecObjective.FullSoftmax, BatchSize = batchSize, WeightDecay = weightDecay });

    /// <summary>
    /// Trains fastText's subword model (skip-gram or CBOW with negative sampling): every word is wrapped as
    /// <c>&lt;word&gt;</c>, its character n-grams of <paramref name="minN"/> to <paramref name="maxN"/> code points are hashed
    /// into <paramref name="buckets"/> extra input rows, and a word's input vector is the mean of its own row and its
    /// n-grams' rows. The model then has vectors for unseen words (<see cref="Word2VecModel.Subwords"/>).
    /// <c>Subwords(0, 0)</c> turns them off (plain word2vec, the default). CPU only.
    /// </summary>
    /// <remarks>
    /// As fastText: skip-gram predicts each context word from the centre word's subword vector, CBOW predicts the centre
    /// from the mean over all the context words' rows, every row starts uniform in ±1/dimensions and receives the
    /// gradient undivided. Unlike fastText, skip-gram computes the centre's vector once per window and adds the window's
    /// summed gradient to its rows once (fastText does both for every pair): several times less row work, and the rows
    /// move by the same total. The rest keeps this trainer's word2vec semantics: noise drawn from
    /// count^<see cref="Word2VecOptions.NoiseExponent"/> (fastText: count^0.5), word2vec's subsampling formula (fastText
    /// keeps √(t/f) + t/f), the learning rate decaying to <see cref="Word2VecOptions.MinLearningRate"/> (fastText: to 0).
    /// <see cref="Word2VecOptions.CbowMean"/> and <see cref="Word2VecOptions.SharedNegatives"/> do not apply: CBOW always
    /// averages, and noise words are drawn per prediction.
    /// </remarks>
    /// <param name="minN">The shortest n-gram (fastText <c>-minn</c>, gensim <c>min_n</c>; default 3).</param>
    /// <param name="maxN">The longest n-gram (fastText <c>-maxn</c>, gensim <c>max_n</c>; default 6; at most 20).</param>
    /// <param name="buckets">The n-gram hash buckets (fastText <c>-bucket</c>, gensim <c>bucket</c>; default 2,000,000).</param>
    public Word2VecBuilder Subwords(int minN = 3, int maxN = 6, int buckets = 2_000_000) =>
        Set(Options with { MinN = minN, MaxN = maxN, Buckets = buckets });

    /// <summary>Vector length (gensim <c>vector_size</c>, fastText <c>-dim</c>; default 100).</summary>
    public Word2VecBuilder Dimensions(int value) => Set(Options with { Dimensions = value });

    /// <summary>Largest centre–context distance (gensim <c>window</c>, fastText <c>-ws</c>; default 5).</summary>
    public Word2VecBuilder WindowSize(int value) => Set(Options with { WindowSize = value });

    /// <summary>Noise words per positive (gensim <c>negative</c>, fastText <c>-neg</c>; default 5).</summary>
    public Word2VecBuilder NegativeSamples(int value) => Set(Options with { NegativeSamples = value });

    /// <summary>Exponent α of the noise distribution (gensim <c>ns_exponent</c>; default 0.75).</summary>
    public Word2VecBuilder NoiseExponent(double value) => Set(Options with { NoiseExponent = value });

    /// <summary>Minimum word count (gensim <c>min_count</c>, fastText <c>-minCount</c>; default 5).</summary>
    public Word2VecBuilder MinCount(int value) => Set(Options with { MinCount = value });

    /// <summary>Largest vocabulary (gensim <c>max_final_vocab</c>; default none).</summary>
    public Word2VecBuilder MaxVocabularySize(int? value) => Set(Options with { MaxVocabularySize = value });

    /// <summary>Subsampling threshold (gensim <c>sample</c>, fastText <c>-t</c>; default 1e-3, 0 = off).</summary>
    public Word2VecBuilder SubsamplingThreshold(double value) => Set(Options with { SubsamplingThreshold = value });

    /// <summary>Passes over the corpus (gensim <c>epochs</c>, fastText <c>-epoch</c>; default 5).</summary>
    public Word2VecBuilder Epochs(int value) => Set(Options with { Epochs = value });

    /// <summary>Starting learning rate (gensim <c>alpha</c>, fastText <c>-lr</c>; default 0.025).</summary>
    public Word2VecBuilder LearningRate(double value) => Set(Options with { LearningRate = value });

    /// <summary>Final learning rate (gensim <c>min_alpha</c>; default 1e-4).</summary>
    public Word2VecBuilder MinLearningRate(double value) => Set(Options with { MinLearningRate = value });

    /// <summary>CBOW averages (true, default) or sums the context vectors (gensim <c>cbow_mean</c>).</summary>
    public Word2VecBuilder CbowMean(bool value) => Set(Options with { CbowMean = value });

    /// <summary>Share skip-gram's noise words across each window (default true); false follows word2vec.c exactly.</summary>
    public Word2VecBuilder SharedNegatives(bool value) => Set(Options with { SharedNegatives = value });

    /// <summary>Draw reduced windows (default true, gensim <c>shrink_windows</c>).</summary>
    public Word2VecBuilder ShrinkWindows(bool value) => Set(Options with { ShrinkWindows = value });

    /// <summary>Worker threads (gensim <c>workers</c>, fastText <c>-thread</c>). One thread with a seed is bit-exact.</summary>
    public Word2VecBuilder Threads(int value) => Set(Options with { Threads = value });

    /// <summary>Seed of the initial vectors and of the workers' random streams (gensim <c>seed</c>; default 1).</summary>
    public Word2VecBuilder Seed(ulong value) => Set(Options with { Seed = value });

    /// <summary>
    /// Trains on <paramref name="device"/>: <c>ComputeDevice.Cpu()</c> (the default) or another backend. The options,
    /// vocabulary, subsampling, windows and noise are the same everywhere, and so are progress, checkpoints and the result.
    /// </summary>
    /// <param name="device">Where to train.</param>
    public Word2VecBuilder OnDevice(ComputeDevice device)
    {
        ArgumentNullException.ThrowIfNull(device);
        _device = device;
        return this;
    }

    /// <summary>
    /// Calls <paramref name="callback"/> after every epoch with the epoch's loss and the current vectors, e.g. to evaluate
    /// them or to stop early (<see cref="EpochSummary.StopTraining"/>). Runs on the training thread, between epochs.
    /// Several calls add several callbacks, run in order.
    /// </summary>
    /// <param name="callback">The hook.</param>
    public Word2VecBuilder OnEpochEnd(Action<EpochSummary> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _epochEnd += callback;
        return this;
    }

    /// <summary>
    /// Stops training when <paramref name="score"/> (higher is better: an analogy accuracy, a Spearman correlation) has
    /// not improved for <paramref name="patience"/> epochs in a row. The returned model is the one of the last epoch
    /// trained, not the best one; checkpoints per epoch keep the others.
    /// </summary>
    /// <param name="score">Scores the vectors after each epoch.</param>
    /// <param name="patience">Epochs without improvement allowed before stopping (at least 1).</param>
    /// <param name="minImprovement">The smallest rise that counts as an improvement.</param>
    public Word2VecBuilder EarlyStopping(Func<Vectors.WordVectors, double> score, int patience = 1, double minImprovement = 0)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentOutOfRangeException.ThrowIfLessThan(patience, 1);
        double best = double.NegativeInfinity;
        int epochsWithout = 0;
        return OnEpochEnd(epoch =>
        {
            double value = score(epoch.Vectors);
            if (value > best + minImprovement)
            {
                best = value;
                epochsWithout = 0;
            }
            else if (++epochsWithout >= patience)
            {
                epoch.StopTraining();
            }
        });
    }

    /// <summary>
    /// Writes a checkpoint (<see cref="Word2VecCheckpoint.FileName"/>) into <paramref name="directory"/> at the end of every
    /// epoch, every <paramref name="everyWords"/> corpus words if given, and when training is cancelled.
    /// </summary>
    /// <param name="directory">The folder, created when training starts if it does not exist yet; the checkpoint file is
    /// replaced atomically each time. The run holds the folder's <see cref="IO.CheckpointLock"/> while it trains, so a second
    /// run on the same folder fails at its start with an <see cref="IOException"/> naming the first.</param>
    /// <param name="everyWords">Also checkpoint every this many corpus words (0: only per epoch and on cancellation).</param>
    public Word2VecBuilder Checkpoints(string directory, long everyWords = 0)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegative(everyWords);
        _checkpoints = new CheckpointPolicy(directory, everyWords);
        return this;
    }

    /// <summary>Validates the options and creates the trainer.</summary>
    /// <exception cref="ArgumentException">A setting is out of range; the message lists every problem.</exception>
    public Word2VecTrainer Build()
    {
        Options.Validate();
        Word2VecOptions options = _device.Adjust(Options);
        options.Validate();
        if (_device.Unsupported(options) is { } reason)
        {
            throw new ArgumentException($"{_device.Name} cannot train these options: {reason}", "device");
        }

        return new Word2VecTrainer(options, _device, LoggerFactory.CreateLogger<Word2VecTrainer>())
        {
            Checkpoints = _checkpoints,
            EpochEnd = _epochEnd,
        };
    }
}

/// <summary>Where and how often a trainer writes checkpoints.</summary>
/// <param name="Directory">The folder of the checkpoint file.</param>
/// <param name="EveryWords">Corpus words between checkpoints within an epoch (0: none).</param>
internal sealed record CheckpointPolicy(string Directory, long EveryWords);

/// <summary>Entry point of the word2vec trainers.</summary>
public static class Word2Vec
{
    /// <summary>Starts configuring a trainer with gensim's defaults.</summary>
    public static Word2VecBuilder CreateBuilder() => new();
}
