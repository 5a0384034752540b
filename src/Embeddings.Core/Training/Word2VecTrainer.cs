using System.Diagnostics;
using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Training;

/// <summary>
/// Trains word2vec (skip-gram or CBOW with negative sampling) on the CPU. Built by <see cref="Word2VecBuilder"/>;
/// each <see cref="Train(IEnumerable{IReadOnlyList{string}}, IProgress{TrainingProgress}?, CancellationToken)"/> call
/// trains a fresh model. Synchronous: it returns when training ends.
/// </summary>
public sealed class Word2VecTrainer
{
    private readonly ILogger _logger;
    private readonly CheckpointPolicy? _checkpoints;

    internal Word2VecTrainer(Word2VecOptions options, ILogger logger, CheckpointPolicy? checkpoints)
    {
        Options = options;
        _logger = logger;
        _checkpoints = checkpoints;
    }

    /// <summary>The validated settings.</summary>
    public Word2VecOptions Options { get; }

    /// <summary>Builds the vocabulary, encodes the corpus in memory and trains.</summary>
    /// <param name="sentences">Token sequences (read twice: once to count, once to encode).</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training within a sentence or so.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">No word reaches the minimum count.</exception>
    public Word2VecModel Train(
        IEnumerable<IReadOnlyList<string>> sentences, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var clock = Stopwatch.StartNew();
        Vocabulary vocabulary = Vocabulary.Build(sentences, Options.MinCount, Options.MaxVocabularySize, Options.Threads, cancellationToken);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, vocabulary, Options.MaxSentenceLength, cancellationToken);
        return Train(vocabulary, corpus, clock.Elapsed, progress, cancellationToken);
    }

    /// <summary>Trains on a corpus already encoded against <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The words the ids refer to.</param>
    /// <param name="corpus">The encoded corpus, in memory or on disk.</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training within a sentence or so.</param>
    /// <returns>The trained model.</returns>
    public Word2VecModel Train(
        Vocabulary vocabulary, EncodedCorpus corpus, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(vocabulary, corpus, TimeSpan.Zero, progress, cancellationToken);

    /// <summary>
    /// Continues an interrupted run from <paramref name="checkpoint"/> with the checkpoint's options (this trainer's
    /// checkpoint folder, logging and thread count apply). With one thread the result is bit-identical to the run
    /// that was never interrupted.
    /// </summary>
    /// <param name="checkpoint">What <see cref="Word2VecCheckpoint.Load"/> read.</param>
    /// <param name="corpus">The same corpus, encoded against <see cref="Word2VecCheckpoint.Vocabulary"/>.</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training between chunks, writing a checkpoint if a folder is set.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">The corpus is not the one the checkpoint was training on.</exception>
    public Word2VecModel Resume(
        Word2VecCheckpoint checkpoint, EncodedCorpus corpus, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.TokenCount != checkpoint.CorpusTokens || corpus.VocabularySize != checkpoint.Vocabulary.Count)
        {
            throw new ArgumentException(
                $"The checkpoint was training on {checkpoint.CorpusTokens} ids over {checkpoint.Vocabulary.Count} words; this corpus has {corpus.TokenCount} over {corpus.VocabularySize}.",
                nameof(corpus));
        }

        Word2VecOptions options = checkpoint.Options with { Threads = Options.Threads };
        var engine = new Word2VecEngine(options, checkpoint.Vocabulary, checkpoint.Input, checkpoint.Output);
        return Run(engine, options, checkpoint.Vocabulary, corpus, checkpoint.State, TimeSpan.Zero, progress, cancellationToken);
    }

    private Word2VecModel Train(
        Vocabulary vocabulary, EncodedCorpus corpus, TimeSpan vocabularyTime, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(corpus);
        if (vocabulary.Count == 0)
        {
            throw new ArgumentException($"No word occurs at least MinCount = {Options.MinCount} times; lower MinCount or give more text.", nameof(vocabulary));
        }

        if (corpus.VocabularySize != vocabulary.Count)
        {
            throw new ArgumentException($"The corpus was encoded for {corpus.VocabularySize} words, the vocabulary has {vocabulary.Count}.", nameof(corpus));
        }

        var engine = new Word2VecEngine(Options, vocabulary);
        return Run(engine, Options, vocabulary, corpus, engine.InitialState(), vocabularyTime, progress, cancellationToken);
    }

    private Word2VecModel Run(
        Word2VecEngine engine,
        Word2VecOptions options,
        Vocabulary vocabulary,
        EncodedCorpus corpus,
        TrainingState state,
        TimeSpan vocabularyTime,
        IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        Log.TrainingStarted(_logger, options.Architecture, vocabulary.Count, corpus.TokenCount, options.Epochs, options.Threads);
        var clock = Stopwatch.StartNew();
        long wordsAtStart = state.WordsDone;
        IProgress<TrainingProgress> logged = new LoggingProgress(_logger, progress);
        Action<TrainingState>? checkpoint = _checkpoints is null
            ? null
            : s => new Word2VecCheckpoint(options, vocabulary, corpus.TokenCount, s, engine.Input, engine.Output)
                .Save(Path.Combine(_checkpoints.Directory, Word2VecCheckpoint.FileName));
        engine.Train(corpus, state, logged, _checkpoints?.EveryWords ?? 0, checkpoint, cancellationToken);
        IReadOnlyList<double> losses = state.EpochLosses;
        TimeSpan trainingTime = clock.Elapsed;
        var report = new TrainingReport(
            corpus.TokenCount, options.Epochs, vocabularyTime, trainingTime,
            (corpus.TokenCount * options.Epochs - wordsAtStart) / Math.Max(trainingTime.TotalSeconds, 1e-9), losses);
        Log.TrainingFinished(_logger, report.WordsPerSecond, trainingTime.TotalSeconds, losses[^1]);
        return new Word2VecModel(new WordVectors(vocabulary, engine.Input, options.Dimensions), engine.Output, options, report);
    }

    /// <summary>Logs each epoch's end and forwards every report to the caller's progress.</summary>
    private sealed class LoggingProgress(ILogger logger, IProgress<TrainingProgress>? inner) : IProgress<TrainingProgress>
    {
        private int _loggedEpoch;

        public void Report(TrainingProgress value)
        {
            inner?.Report(value);
            if (value.WordsDone >= value.WordsTotal * value.Epoch / value.Epochs && value.Epoch > _loggedEpoch)
            {
                _loggedEpoch = value.Epoch;
                Log.EpochFinished(logger, value.Epoch, value.Epochs, value.Loss, value.LearningRate, value.WordsPerSecond);
            }
        }
    }
}

/// <summary>What a training run did.</summary>
/// <param name="CorpusWords">Words in the corpus (one epoch, before subsampling).</param>
/// <param name="Epochs">Epochs trained.</param>
/// <param name="VocabularyTime">Time spent counting and encoding.</param>
/// <param name="TrainingTime">Time spent training.</param>
/// <param name="WordsPerSecond">Corpus words × epochs ÷ training seconds, as gensim counts.</param>
/// <param name="EpochLosses">The mean loss per prediction of each epoch.</param>
public sealed record TrainingReport(
    long CorpusWords, int Epochs, TimeSpan VocabularyTime, TimeSpan TrainingTime, double WordsPerSecond, IReadOnlyList<double> EpochLosses);

/// <summary>A trained word2vec model: the word vectors, the output vectors and how they were made.</summary>
public sealed class Word2VecModel
{
    internal Word2VecModel(WordVectors vectors, float[] outputVectors, Word2VecOptions options, TrainingReport report)
    {
        Vectors = vectors;
        OutputVectors = outputVectors;
        Options = options;
        Report = report;
    }

    /// <summary>The input vectors, what users query (gensim <c>model.wv</c>).</summary>
    public WordVectors Vectors { get; }

    /// <summary>The output vectors, row-major like <see cref="Vectors"/> (gensim <c>syn1neg</c>); needed to continue training.</summary>
    public ReadOnlyMemory<float> OutputVectors { get; }

    /// <summary>The settings the model was trained with.</summary>
    public Word2VecOptions Options { get; }

    /// <summary>Timings, speed and losses.</summary>
    public TrainingReport Report { get; }
}
