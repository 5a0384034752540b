using System.Diagnostics;
using Embeddings.Core.Compute;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.IO;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Training;

/// <summary>
/// Trains word2vec (skip-gram or CBOW; negative sampling or full softmax) on a <see cref="ComputeDevice"/>. Built by
/// <see cref="Word2VecBuilder"/>; each call trains a fresh model, resumes a checkpoint or continues a model on new text.
/// Synchronous: a call returns when training ends. The trainer holds no state between calls.
/// </summary>
public sealed class Word2VecTrainer
{
    private readonly ILogger _logger;

    internal Word2VecTrainer(Word2VecOptions options, ComputeDevice device, ILogger logger)
    {
        Options = options;
        Device = device;
        _logger = logger;
    }

    /// <summary>The validated settings.</summary>
    public Word2VecOptions Options { get; }

    /// <summary>Where training runs.</summary>
    public ComputeDevice Device { get; }

    /// <summary>Where and how often to write checkpoints; <see langword="null"/> for none.</summary>
    internal CheckpointPolicy? Checkpoints { get; init; }

    /// <summary>The hook called at the end of each epoch; <see langword="null"/> for none.</summary>
    internal Action<EpochSummary>? EpochEnd { get; init; }

    /// <summary>Builds the vocabulary, encodes the corpus in memory and trains.</summary>
    /// <param name="sentences">Token sequences (read twice: once to count, once to encode).</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training at the next chunk boundary (tens of milliseconds).</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">No word reaches the minimum count.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; a checkpoint was written first if a folder is set.</exception>
    public Word2VecModel Train(
        IEnumerable<IReadOnlyList<string>> sentences, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
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
    /// <param name="cancellationToken">Stops training at the next chunk boundary (tens of milliseconds).</param>
    /// <returns>The trained model.</returns>
    public Word2VecModel Train(
        Vocabulary vocabulary, EncodedCorpus corpus, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(vocabulary, corpus, TimeSpan.Zero, progress, cancellationToken);

    /// <summary>
    /// Continues an interrupted run from <paramref name="checkpoint"/> with the checkpoint's options (this trainer's
    /// device, thread count, checkpoint folder, epoch hook and logging apply). With one thread on the CPU the result is
    /// bit-identical to the run that was never interrupted.
    /// </summary>
    /// <param name="checkpoint">What <see cref="Word2VecCheckpoint.Load(string)"/> read.</param>
    /// <param name="corpus">The same corpus, encoded against <see cref="Word2VecCheckpoint.Vocabulary"/>.</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training at the next chunk boundary, writing a checkpoint if a folder is set.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">The corpus is not the one the checkpoint was training on.</exception>
    public Word2VecModel Resume(
        Word2VecCheckpoint checkpoint, EncodedCorpus corpus, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(corpus);
        if (corpus.TokenCount != checkpoint.CorpusTokens || corpus.VocabularySize != checkpoint.Vocabulary.Count)
        {
            throw new ArgumentException(
                $"The checkpoint was training on {checkpoint.CorpusTokens} ids over {checkpoint.Vocabulary.Count} words; this corpus has {corpus.TokenCount} over {corpus.VocabularySize}.",
                nameof(corpus));
        }

        Word2VecOptions options = Device.Adjust(checkpoint.Options with { Threads = Options.Threads });
        // The run trains copies: the checkpoint stays as it was loaded, so it can be resumed again or saved.
        var start = new TrainedWeights(
            (float[])checkpoint.Input.Clone(), (float[])checkpoint.Output.Clone(), [.. checkpoint.Extra.Select(extra => (float[])extra.Clone())]);
        return Run(options, checkpoint.Vocabulary, corpus, start, checkpoint.State.Copy(), TimeSpan.Zero, progress, cancellationToken);
    }

    /// <summary>
    /// Trains <paramref name="model"/> further on new sentences, growing its vocabulary first (gensim's
    /// <c>build_vocab(sentences, update=True)</c> then <c>train</c>): words already known keep their ids and vectors and
    /// add the new counts; new words seen at least <see cref="Word2VecOptions.MinCount"/> times in
    /// <paramref name="sentences"/> are appended with fresh vectors. Noise and subsampling use the merged counts. Then
    /// this trainer's epochs run over the new sentences with the learning rate decaying from LearningRate again.
    /// The model passed in is left unchanged.
    /// </summary>
    /// <param name="model">A trained model, e.g. from <see cref="Word2VecModel.Load(string)"/>; its options must match this trainer's shape
    /// (architecture, objective, dimensions).</param>
    /// <param name="sentences">The new token sequences (read twice).</param>
    /// <param name="progress">Receives progress a few times a second.</param>
    /// <param name="cancellationToken">Stops training at the next chunk boundary.</param>
    /// <returns>A new model over the grown vocabulary.</returns>
    /// <exception cref="ArgumentException">The model's architecture, objective or dimensions differ from this trainer's.</exception>
    public Word2VecModel ContinueTraining(
        Word2VecModel model, IEnumerable<IReadOnlyList<string>> sentences, IProgress<Word2VecProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(sentences);
        Word2VecOptions had = model.Options;
        if (had.Architecture != Options.Architecture || had.Objective != Options.Objective || had.Dimensions != Options.Dimensions)
        {
            throw new ArgumentException(
                $"The model is {had.Architecture}/{had.Objective} with {had.Dimensions} dimensions; this trainer is {Options.Architecture}/{Options.Objective} with {Options.Dimensions}. Build the trainer with WithOptions(model.Options).",
                nameof(model));
        }

        if (had.HasSubwords || Options.HasSubwords)
        {
            throw new ArgumentException("Continued training of a subword (n-gram) model is not supported; train it again on all the text.", nameof(model));
        }

        var clock = Stopwatch.StartNew();
        Vocabulary old = model.Vectors.Vocabulary;
        Vocabulary added = Vocabulary.Build(sentences, 1, null, Options.Threads, cancellationToken);
        Vocabulary merged = MergeVocabularies(old, added, Options.MinCount);
        EncodedCorpus corpus = EncodedCorpus.Encode(sentences, merged, Options.MaxSentenceLength, cancellationToken);

        int d = Options.Dimensions;
        int newWords = merged.Count - old.Count;
        float[] input = new float[(long)merged.Count * d];
        float[] output = new float[(long)merged.Count * d];
        model.Vectors.Matrix.CopyTo(input);
        model.OutputVectors.Span.CopyTo(output);

        // Fresh rows as word2vec.c initialises them, from a stream that depends on the seed and on how many words the
        // model already had, so that repeated updates do not reuse the same numbers.
        Word2VecEngine.InitialInput(Options.Seed ^ (ulong)old.Count * 0x9E3779B97F4A7C15UL, newWords, d).CopyTo(input.AsSpan(old.Count * d));
        IReadOnlyList<float[]> extra = newWords == 0 ? model.ExtraState : [];
        Log.VocabularyUpdated(_logger, old.Count, newWords, corpus.TokenCount);
        return Run(Options, merged, corpus, new TrainedWeights(input, output, extra), null, clock.Elapsed, progress, cancellationToken);
    }

    private Word2VecModel Train(
        Vocabulary vocabulary, EncodedCorpus corpus, TimeSpan vocabularyTime, IProgress<Word2VecProgress>? progress, CancellationToken cancellationToken)
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

        return Run(Options, vocabulary, corpus, null, null, vocabularyTime, progress, cancellationToken);
    }

    private Word2VecModel Run(
        Word2VecOptions options,
        Vocabulary vocabulary,
        EncodedCorpus corpus,
        TrainedWeights? start,
        TrainingState? state,
        TimeSpan vocabularyTime,
        IProgress<Word2VecProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (options.Objective == Word2VecObjective.FullSoftmax && vocabulary.Count > Word2VecOptions.MaxSoftmaxVocabulary)
        {
            throw new ArgumentException(
                $"Full softmax over {vocabulary.Count:N0} words would take O(vocabulary) work per prediction; it is limited to {Word2VecOptions.MaxSoftmaxVocabulary:N0}. Use negative sampling, or raise MinCount / set MaxVocabularySize.",
                nameof(vocabulary));
        }

        // Created and locked when the run starts, not by Build() (which has no side effects), so a bad path or a folder
        // another run is using fails before any work; released however the run ends.
        using CheckpointLock? folderLock = Checkpoints is null ? null : CheckpointLock.Acquire(Checkpoints.Directory, _logger);

        using Word2VecEngine engine = Device.CreateWord2VecEngine(options, vocabulary, start);
        state ??= engine.InitialState();
        Log.TrainingStarted(_logger, options.Architecture, options.Objective, Device.Name, vocabulary.Count, corpus.TokenCount, options.Epochs, options.Threads);
        var clock = Stopwatch.StartNew();
        long wordsAtStart = state.WordsDone;
        Action<TrainingState>? checkpoint = Checkpoints is null
            ? null
            : s => new Word2VecCheckpoint(options, vocabulary, corpus.TokenCount, s, engine.Input, engine.Output, engine.ExtraState)
                .Save(Path.Combine(Checkpoints.Directory, Word2VecCheckpoint.FileName));
        Func<TrainingState, bool>? epochEnd = EpochEnd is null
            ? null
            : s =>
            {
                var summary = new EpochSummary(ModelVectors(options, vocabulary, engine.Input).Vectors)
                {
                    Epoch = s.Epoch - 1,
                    Epochs = options.Epochs,
                    Loss = s.EpochLosses[^1],
                };
                EpochEnd(summary);
                return !summary.StopRequested;
            };
        var reports = new LoggingProgress(_logger, progress);
        var hooks = new TrainingHooks(reports, Checkpoints?.EveryWords ?? 0, checkpoint, epochEnd, cancellationToken);
        engine.Train(corpus, state, hooks);

        TimeSpan trainingTime = clock.Elapsed;
        var report = new TrainingReport(
            corpus.TokenCount, state.EpochLosses.Count, vocabularyTime, trainingTime,
            (state.WordsDone - wordsAtStart) / Math.Max(trainingTime.TotalSeconds, 1e-9), [.. state.EpochLosses])
        {
            WordsTrained = state.WordsDone - wordsAtStart,
            StoppedEarly = state.StoppedEarly,
            Device = Device.Name,
            ProgressHistory = reports.History,
        };
        Log.TrainingFinished(_logger, report.WordsPerSecond, trainingTime.TotalSeconds, report.EpochLosses[^1]);
        (WordVectors vectors, SubwordVectors? subwords) = ModelVectors(options, vocabulary, engine.Input);
        return new Word2VecModel(vectors, engine.Output, engine.ExtraState, options, report) { Subwords = subwords };
    }

    /// <summary>
    /// What users query from an input matrix: the word rows themselves, or with subwords the vocabulary's composed
    /// vectors and the <see cref="SubwordVectors"/> over the matrix (not copied).
    /// </summary>
    internal static (WordVectors Vectors, SubwordVectors? Subwords) ModelVectors(Word2VecOptions options, Vocabulary vocabulary, float[] input)
    {
        if (!options.HasSubwords)
        {
            return (new WordVectors(vocabulary, input, options.Dimensions), null);
        }

        int wordValues = vocabulary.Count * options.Dimensions;
        var subwords = new SubwordVectors(
            vocabulary, input.AsMemory(0, wordValues), input.AsMemory(wordValues), options.Dimensions, options.MinN, options.MaxN, owner: null);
        return (subwords.Words, subwords);
    }

    /// <summary>The old words in their order with the new counts added, then the new words that reach <paramref name="minCount"/>, by frequency.</summary>
    private static Vocabulary MergeVocabularies(Vocabulary old, Vocabulary added, int minCount)
    {
        var words = new List<string>(old.Words);
        var counts = new List<long>(old.Count + added.Count);
        for (int id = 0; id < old.Count; id++)
        {
            counts.Add(old.GetCount(id) + (added.TryGetId(old[id], out int newId) ? added.GetCount(newId) : 0));
        }

        for (int id = 0; id < added.Count; id++)
        {
            if (added.GetCount(id) >= minCount && !old.Contains(added[id]))
            {
                words.Add(added[id]);
                counts.Add(added.GetCount(id));
            }
        }

        return Vocabulary.FromWordsInOrder(words, counts);
    }

    /// <summary>
    /// Logs each epoch's end, keeps every report for <see cref="TrainingReport.ProgressHistory"/> and forwards it to
    /// the caller's progress. The engine reports from one thread, so the list needs no lock.
    /// </summary>
    private sealed class LoggingProgress(ILogger logger, IProgress<Word2VecProgress>? inner) : IProgress<Word2VecProgress>
    {
        private readonly List<Word2VecProgress> _history = [];
        private int _loggedEpoch;

        public IReadOnlyList<Word2VecProgress> History => _history;

        public void Report(Word2VecProgress value)
        {
            _history.Add(value);
            inner?.Report(value);
            if (value.WordsDone >= value.WordsTotal * value.Epoch / value.Epochs && value.Epoch > _loggedEpoch)
            {
                _loggedEpoch = value.Epoch;
                Log.EpochFinished(logger, value.Epoch, value.Epochs, value.Loss, value.LearningRate, value.WordsPerSecond);
            }
        }
    }
}

/// <summary>What an epoch hook sees at the end of each epoch (gensim's <c>CallbackAny2Vec.on_epoch_end</c>).</summary>
public sealed class EpochSummary
{
    internal EpochSummary(WordVectors vectors) => Vectors = vectors;

    /// <summary>The epoch just finished, from 1.</summary>
    public int Epoch { get; internal init; }

    /// <summary>The planned number of epochs.</summary>
    public int Epochs { get; internal init; }

    /// <summary>The epoch's mean loss per prediction.</summary>
    public double Loss { get; internal init; }

    /// <summary>
    /// The word vectors as they are now, to evaluate. They share the trainer's memory: use them inside the hook only,
    /// and copy what you want to keep (<c>Vectors.Matrix.ToArray()</c>).
    /// </summary>
    public WordVectors Vectors { get; }

    internal bool StopRequested { get; private set; }

    /// <summary>Stops training after this epoch (early stopping); the model returned is the one at this epoch.</summary>
    public void StopTraining() => StopRequested = true;
}

/// <summary>What a training run did.</summary>
/// <param name="CorpusWords">Words of the vocabulary in the corpus, for one epoch, before subsampling (the kept words: those under
/// <see cref="Word2VecOptions.MinCount"/> are not in the encoded corpus, so a caller who wants every token of the text counts it itself).</param>
/// <param name="Epochs">Epochs trained (in this call, counting those a resumed checkpoint had done).</param>
/// <param name="VocabularyTime">Time spent counting and encoding.</param>
/// <param name="TrainingTime">Time spent training in this call; after <see cref="Word2VecTrainer.Resume"/>, the time of the run before
/// the checkpoint is not included.</param>
/// <param name="WordsPerSecond"><see cref="WordsTrained"/> ÷ <see cref="TrainingTime"/>: the words of this call only, as gensim counts them
/// (before subsampling), so that a resumed run is not credited with the epochs done before the checkpoint.</param>
/// <param name="EpochLosses">The mean loss per prediction of each epoch.</param>
public sealed record TrainingReport(
    long CorpusWords, int Epochs, TimeSpan VocabularyTime, TimeSpan TrainingTime, double WordsPerSecond, IReadOnlyList<double> EpochLosses)
{
    /// <summary>
    /// The kept words (see <see cref="CorpusWords"/>) trained in this call, over all its epochs: <see cref="CorpusWords"/> ×
    /// <see cref="Epochs"/> for a whole run, only those after the checkpoint for <see cref="Word2VecTrainer.Resume"/>.
    /// 0 in a report read from a file.
    /// </summary>
    public long WordsTrained { get; init; }

    /// <summary>An epoch hook stopped training before the planned epochs.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>The device that trained, e.g. <c>cpu</c>.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// Every progress report of this call, in order (a few a second, as <c>progress</c> received them): the loss history
    /// to plot against <see cref="Word2VecProgress.EpochsDone"/>. <see cref="Word2VecProgress.Loss"/> is the running
    /// mean since its epoch began, so it restarts at each epoch; the last report of each epoch is at its end (a whole
    /// <see cref="Word2VecProgress.EpochsDone"/>) and carries that epoch's mean, the value in <see cref="EpochLosses"/>.
    /// A resumed run starts its history where it resumed. Not saved: empty for a model or checkpoint read from a file.
    /// </summary>
    public IReadOnlyList<Word2VecProgress> ProgressHistory { get; init; } = [];
}

/// <summary>
/// A trained word2vec model: the word vectors, the output vectors and how they were made. <see cref="Save(string)"/> writes all
/// of it to one native file that <see cref="Load(string)"/> reads back, to query or to train further
/// (<see cref="Word2VecTrainer.ContinueTraining"/>); <c>model.Vectors.Save(…)</c> writes the vectors alone in any format.
/// </summary>
public sealed class Word2VecModel
{
    internal Word2VecModel(WordVectors vectors, float[] outputVectors, IReadOnlyList<float[]> extraState, Word2VecOptions options, TrainingReport report)
    {
        Vectors = vectors;
        OutputVectors = outputVectors;
        ExtraState = extraState;
        Options = options;
        Report = report;
    }

    /// <summary>
    /// The input vectors, what users query (gensim <c>model.wv</c>); with subwords, the vocabulary words' composed vectors
    /// (<see cref="SubwordVectors.Words"/> of <see cref="Subwords"/>).
    /// </summary>
    public WordVectors Vectors { get; }

    /// <summary>
    /// The subword model (own rows, n-gram rows and settings) when trained with <see cref="Word2VecBuilder.Subwords"/>,
    /// which also gives vectors for unseen words; <see langword="null"/> for plain word2vec.
    /// </summary>
    public SubwordVectors? Subwords { get; internal init; }

    /// <summary>The output vectors, row-major like <see cref="Vectors"/> (gensim <c>syn1neg</c>, or the softmax layer's weights).</summary>
    public ReadOnlyMemory<float> OutputVectors { get; }

    /// <summary>The settings the model was trained with.</summary>
    public Word2VecOptions Options { get; }

    /// <summary>Timings, speed and losses.</summary>
    public TrainingReport Report { get; }

    /// <summary>The engine's further state (the softmax bias and optimiser moments), kept for continued training.</summary>
    internal IReadOnlyList<float[]> ExtraState { get; }

    /// <summary>
    /// Writes the model (options, vocabulary with counts, input and output vectors, the report) to one checksummed
    /// native file, atomically: a temporary file, then a rename.
    /// </summary>
    /// <param name="path">The file to write.</param>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Word2VecCheckpoint.FromModel(this).Save(path);
    }

    /// <summary>Writes the model's native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Word2VecCheckpoint.FromModel(this).Save(stream);
    }

    /// <summary>
    /// Writes the model as a fastText <c>.bin</c> (format version 12), atomically: the settings as fastText's arguments,
    /// the vocabulary, the input rows (with the n-gram buckets of a subword model) and the output rows, so that
    /// <c>fasttext print-word-vectors</c>, <c>nn</c> and gensim's <c>load_facebook_model</c> read it. A model without
    /// subwords is written with <c>-maxn 0</c>.
    /// </summary>
    /// <param name="path">The file to write.</param>
    public void SaveFastText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.Write(path, this, static (stream, model) => model.WriteFastText(stream));
    }

    private void WriteFastText(Stream stream)
    {
        Word2VecOptions o = Options;
        int dimensions = Vectors.Dimensions;
        SubwordVectors subwords = Subwords ?? new SubwordVectors(Vectors.Vocabulary, Vectors.Matrix.ToArray(), [], dimensions, 0, 0);
        var args = new FastTextArgs(
            dimensions, o.WindowSize, o.Epochs, o.MinCount, o.NegativeSamples, WordNgrams: 1,
            o.Objective == Word2VecObjective.NegativeSampling ? FastTextLossName.NegativeSampling : FastTextLossName.Softmax,
            o.Architecture == Word2VecArchitecture.SkipGram ? FastTextModelName.SkipGram : FastTextModelName.Cbow,
            subwords.MaxN == 0 ? 0 : subwords.Buckets, subwords.MinN, subwords.MaxN, LearningRateUpdateRate: 100, o.SubsamplingThreshold);
        var output = new DenseFastTextMatrix(OutputVectors.ToArray(), Vectors.Count, dimensions);
        FastTextVectors.Write(stream, subwords, args, output);
    }

    /// <summary>Reads a model written by <see cref="Save(string)"/> (a checkpoint file also loads: the model as it was then).</summary>
    /// <param name="path">The model file.</param>
    /// <exception cref="FileNotFoundException">No file there.</exception>
    /// <exception cref="InvalidDataException">Not a model file, a newer version, truncated or corrupt.</exception>
    public static Word2VecModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return Word2VecCheckpoint.Load(path).ToModel();
    }

    /// <summary>Reads a model written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <exception cref="InvalidDataException">Not a model, a newer version, truncated or corrupt.</exception>
    public static Word2VecModel Load(Stream stream) => Word2VecCheckpoint.Load(stream).ToModel();
}
