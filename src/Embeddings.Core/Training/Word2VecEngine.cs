using System.Diagnostics;
using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Training;

/// <summary>
/// What every word2vec engine shares, whatever it runs on: the weights' initialisation, the learning-rate schedule and
/// the epoch loop with its services (progress, checkpoints, epoch hooks, cancellation). A backend implements
/// <see cref="TrainSegment"/>: train corpus chunks from a feed until it runs dry or the segment's word budget is spent.
/// </summary>
/// <remarks>
/// Training runs in segments: a segment ends at the end of an epoch, when a checkpoint is due or when cancellation is
/// requested, and it always ends at a chunk boundary. That is what makes a checkpoint exact: the state between segments
/// (epoch, chunks done, words done, random streams, weights) is all a resumed run needs.
/// </remarks>
internal abstract class Word2VecEngine : IDisposable
{
    /// <summary>Corpus words per chunk a worker takes at a time (gensim's <c>batch_words</c>).</summary>
    protected const int ChunkWords = 10_000;

    private long _wordsDone;

    /// <summary>
    /// Starts from <paramref name="start"/>'s weights, or when it is null from word2vec.c's initialisation (fastText's
    /// with subwords).
    /// </summary>
    protected Word2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start)
    {
        Options = options;
        Vocabulary = vocabulary;
        int d = options.Dimensions;
        long values = (long)vocabulary.Count * d;
        int inputRows = InputRows(options, vocabulary.Count);
        long inputValues = (long)inputRows * d;
        if (start is not null && (start.Input.Length != inputValues || start.Output.Length != values))
        {
            throw new ArgumentException($"The starting weights hold {start.Input.Length} input values; {inputRows} rows × {d} dimensions need {inputValues}.", nameof(start));
        }

        Input = start?.Input ?? (options.HasSubwords ? InitialSubwordInput(options.Seed, inputRows, d) : InitialInput(options.Seed, vocabulary.Count, d));
        Output = start?.Output ?? new float[values];
    }

    /// <summary>The validated options.</summary>
    protected Word2VecOptions Options { get; }

    /// <summary>The words the ids refer to.</summary>
    protected Vocabulary Vocabulary { get; }

    /// <summary>The input vectors on the host (gensim <c>wv.vectors</c>, word2vec.c <c>syn0</c>); current after <see cref="SyncToHost"/>.</summary>
    public float[] Input { get; }

    /// <summary>The output vectors on the host (gensim <c>syn1neg</c>, or the softmax layer's weights).</summary>
    public float[] Output { get; }

    /// <summary>Further arrays a checkpoint must keep for an exact resume (a softmax bias, optimiser moments); empty for SGD.</summary>
    public virtual IReadOnlyList<float[]> ExtraState => [];

    /// <summary>Corpus words processed over all epochs so far; workers add to it as they go.</summary>
    protected ref long WordsDone => ref _wordsDone;

    /// <summary>Corpus words × epochs: the length of the learning-rate schedule.</summary>
    protected long PlannedWords { get; private set; }

    /// <summary>word2vec.c's initialisation: uniform in [−0.5/d, 0.5/d) from one LCG stream seeded with the run's seed.</summary>
    public static float[] InitialInput(ulong seed, int words, int dimensions)
    {
        var input = new float[(long)words * dimensions];
        var random = new Word2VecRandom(seed);
        for (int i = 0; i < input.Length; i++)
        {
            input[i] = (float)(((random.Next() & 0xFFFF) / 65536.0 - 0.5) / dimensions);
        }

        return input;
    }

    /// <summary>The rows of the input matrix: one per word, then with subwords one per n-gram bucket.</summary>
    /// <exception cref="ArgumentException">The input matrix would exceed the largest array .NET allows.</exception>
    public static int InputRows(Word2VecOptions options, int words)
    {
        long rows = (long)words + (options.HasSubwords ? options.Buckets : 0);
        return rows * options.Dimensions <= Array.MaxLength
            ? (int)rows
            : throw new ArgumentException(
                $"{words:N0} words and {(options.HasSubwords ? options.Buckets : 0):N0} n-gram buckets × {options.Dimensions} dimensions exceed the largest input matrix ({Array.MaxLength:N0} values); lower Buckets, Dimensions or the vocabulary.",
                nameof(options));
    }

    /// <summary>
    /// fastText's initialisation of the input matrix: every row, words' and n-gram buckets' alike, uniform in
    /// [−1/d, 1/d), from one SplitMix64 stream seeded with the run's seed (the LCG's low 16 bits repeat every 65,536
    /// draws, which would give millions of bucket rows identical starts).
    /// </summary>
    public static float[] InitialSubwordInput(ulong seed, int rows, int dimensions)
    {
        var input = new float[(long)rows * dimensions];
        var random = SplitMix64Random.For(seed, 0x5B_0A7D);
        float bound = 1f / dimensions;
        for (long i = 0; i < input.LongLength; i++)
        {
            input[i] = random.NextUniform(-bound, bound);
        }

        return input;
    }

    /// <summary>The state of a run that has not started: epoch 1, nothing done, the engine's seeded random streams.</summary>
    public abstract TrainingState InitialState();

    /// <summary>The learning rate after <paramref name="wordsDone"/> words: linear from LearningRate to MinLearningRate (word2vec.c, gensim).</summary>
    public double LearningRateAt(long wordsDone)
    {
        double fraction = PlannedWords == 0 ? 1 : Math.Min(1.0, (double)wordsDone / PlannedWords);
        return Options.LearningRate - (Options.LearningRate - Options.MinLearningRate) * fraction;
    }

    /// <summary>
    /// Trains from <paramref name="state"/> to the last epoch (or until an epoch hook says stop), reporting progress from
    /// the calling thread. Throws <see cref="OperationCanceledException"/> after a final checkpoint when cancelled.
    /// </summary>
    public void Train(EncodedCorpus corpus, TrainingState state, TrainingHooks hooks)
    {
        PlannedWords = corpus.TokenCount * Options.Epochs;
        _wordsDone = state.WordsDone;
        RestoreRandomStates(state.RandomStates);
        var clock = Stopwatch.StartNew();
        var reporter = new ProgressReporter(this, hooks.Progress, state, clock, state.WordsDone);
        while (state.Epoch <= Options.Epochs)
        {
            using IEnumerator<CorpusChunk> chunks = corpus.ReadChunks(ChunkWords, CancellationToken.None).Skip(state.ChunksDone).GetEnumerator();
            var feed = new ChunkFeed(chunks);
            while (!feed.Exhausted)
            {
                long stopAt = hooks.Checkpoint is null || hooks.CheckpointEveryWords <= 0 ? long.MaxValue : Volatile.Read(ref _wordsDone) + hooks.CheckpointEveryWords;
                feed.StartSegment(stopAt);
                (state.EpochLoss, state.EpochPredictions) = TrainSegment(feed, state, reporter, hooks.CancellationToken);
                state.ChunksDone += feed.TakenInSegment;
                state.WordsDone = Volatile.Read(ref _wordsDone);
                state.RandomStates = SaveRandomStates();
                if (hooks.CancellationToken.IsCancellationRequested)
                {
                    SaveCheckpoint(hooks, state);
                    hooks.CancellationToken.ThrowIfCancellationRequested();
                }

                if (!feed.Exhausted)
                {
                    SaveCheckpoint(hooks, state);
                }
            }

            state.EpochLosses.Add(state.EpochPredictions == 0 ? 0 : state.EpochLoss / state.EpochPredictions);
            reporter.Report(0, 0, inSegment: false);

            // The next epoch starts clean; that start is what an end-of-epoch checkpoint records.
            state.Epoch++;
            state.ChunksDone = 0;
            state.EpochLoss = 0;
            state.EpochPredictions = 0;
            SyncToHost();
            if (hooks.EpochEnd is { } epochEnd && !epochEnd(state))
            {
                state.StoppedEarly = true;
                break;
            }

            if (state.Epoch <= Options.Epochs)
            {
                SaveCheckpoint(hooks, state);
            }
        }

        SyncToHost();
    }

    /// <summary>
    /// Trains chunks from <paramref name="feed"/> until <see cref="ChunkFeed.TryTake"/> says no or cancellation is
    /// requested, adding each sentence's words to <see cref="WordsDone"/> as it starts. Returns the epoch's running loss
    /// and prediction count, starting from <paramref name="state"/>'s. Calls <paramref name="reporter"/> a few times a
    /// second from the calling thread.
    /// </summary>
    protected abstract (double Loss, long Predictions) TrainSegment(
        ChunkFeed feed, TrainingState state, ProgressReporter reporter, CancellationToken cancellationToken);

    /// <summary>Continues the random streams a checkpoint saved (streams of another backend's shape are ignored).</summary>
    protected abstract void RestoreRandomStates(Word2VecRandom[] states);

    /// <summary>The random streams to save in a checkpoint.</summary>
    protected abstract Word2VecRandom[] SaveRandomStates();

    /// <summary>Copies the device's weights into <see cref="Input"/> and <see cref="Output"/>; nothing to do on the CPU.</summary>
    protected virtual void SyncToHost()
    {
    }

    /// <summary>Releases device memory; nothing to do on the CPU.</summary>
    public virtual void Dispose()
    {
    }

    private void SaveCheckpoint(TrainingHooks hooks, TrainingState state)
    {
        if (hooks.Checkpoint is { } checkpoint)
        {
            SyncToHost();
            checkpoint(state);
        }
    }

    /// <summary>Hands chunks to workers, one at a time, until the corpus ends or the segment's word budget is spent.</summary>
    protected internal sealed class ChunkFeed(IEnumerator<CorpusChunk> chunks)
    {
        private long _stopAt;

        public bool Exhausted { get; private set; }

        public int TakenInSegment { get; private set; }

        public void StartSegment(long stopAt)
        {
            _stopAt = stopAt;
            TakenInSegment = 0;
        }

        public bool TryTake(long wordsDone, out CorpusChunk chunk)
        {
            lock (this)
            {
                if (!Exhausted && wordsDone < _stopAt)
                {
                    if (chunks.MoveNext())
                    {
                        chunk = chunks.Current;
                        TakenInSegment++;
                        return true;
                    }

                    Exhausted = true;
                }
            }

            chunk = default;
            return false;
        }
    }

    /// <summary>Turns the engine's counters into <see cref="Word2VecProgress"/> reports.</summary>
    protected internal sealed class ProgressReporter(
        Word2VecEngine engine, IProgress<Word2VecProgress>? progress, TrainingState state, Stopwatch clock, long wordsAtStart)
    {
        /// <summary>Whether anyone listens; engines may skip gathering figures when not.</summary>
        public bool Active => progress is not null;

        /// <summary>Reports the epoch's loss so far: <paramref name="loss"/> over <paramref name="predictions"/> (in a segment) or the state's totals.</summary>
        public void Report(double loss, long predictions, bool inSegment = true)
        {
            if (progress is null)
            {
                return;
            }

            if (!inSegment)
            {
                loss = state.EpochLoss;
                predictions = state.EpochPredictions;
            }

            long done = Volatile.Read(ref engine._wordsDone);
            double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
            progress.Report(new Word2VecProgress(
                state.Epoch, engine.Options.Epochs, done, engine.PlannedWords, engine.LearningRateAt(done),
                predictions == 0 ? 0 : loss / predictions, (done - wordsAtStart) / seconds, clock.Elapsed));
        }
    }
}

/// <summary>Weights to start an engine from: a checkpoint's, or a model's grown for continued training.</summary>
/// <param name="Input">Words × dimensions input vectors.</param>
/// <param name="Output">Words × dimensions output vectors.</param>
/// <param name="Extra">The engine's <see cref="Word2VecEngine.ExtraState"/>, or empty to start it fresh.</param>
internal sealed record TrainedWeights(float[] Input, float[] Output, IReadOnlyList<float[]> Extra);

/// <summary>The services a training run offers around the engine.</summary>
/// <param name="Progress">Receives reports a few times a second.</param>
/// <param name="CheckpointEveryWords">Corpus words between checkpoints within an epoch (0: none).</param>
/// <param name="Checkpoint">Saves the state (null: no checkpoints).</param>
/// <param name="EpochEnd">Called after each epoch with the weights on the host; false stops training.</param>
/// <param name="CancellationToken">Stops training at the next chunk boundary.</param>
internal sealed record TrainingHooks(
    IProgress<Word2VecProgress>? Progress,
    long CheckpointEveryWords,
    Action<TrainingState>? Checkpoint,
    Func<TrainingState, bool>? EpochEnd,
    CancellationToken CancellationToken);
