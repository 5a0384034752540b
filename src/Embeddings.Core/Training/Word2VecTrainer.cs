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

    internal Word2VecTrainer(Word2VecOptions options, ILogger logger)
    {
        Options = options;
        _logger = logger;
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

        Log.TrainingStarted(_logger, Options.Architecture, vocabulary.Count, corpus.TokenCount, Options.Epochs, Options.Threads);
        var clock = Stopwatch.StartNew();
        var engine = new Word2VecEngine(Options, vocabulary);
        IProgress<TrainingProgress> logged = new LoggingProgress(_logger, progress);
        TrainingState state = engine.InitialState();
        engine.Train(corpus, state, logged, checkpointEveryWords: 0, checkpoint: null, cancellationToken);
        IReadOnlyList<double> losses = state.EpochLosses;
        TimeSpan trainingTime = clock.Elapsed;
        var report = new TrainingReport(
            corpus.TokenCount, Options.Epochs, vocabularyTime, trainingTime, corpus.TokenCount * Options.Epochs / Math.Max(trainingTime.TotalSeconds, 1e-9), losses);
        Log.TrainingFinished(_logger, report.WordsPerSecond, trainingTime.TotalSeconds, losses[^1]);
        return new Word2VecModel(new WordVectors(vocabulary, engine.Input, Options.Dimensions), engine.Output, Options, report);
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
