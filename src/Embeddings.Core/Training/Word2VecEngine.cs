using System.Diagnostics;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.Training;

/// <summary>
/// The CPU word2vec engine: skip-gram and CBOW with negative sampling, word2vec.c/gensim semantics, Hogwild workers
/// over corpus chunks. Owns the two weight matrices; one instance trains one model.
/// </summary>
internal sealed class Word2VecEngine
{
    /// <summary>Sentences per chunk a worker takes at a time, in corpus words (gensim's <c>batch_words</c>).</summary>
    private const int ChunkWords = 10_000;

    private readonly Word2VecOptions _options;
    private readonly NoiseDistribution _noise;
    private readonly double[] _keep;
    private readonly Word2VecRandom[] _workerRandoms;
    private long _wordsDone;

    /// <summary>An engine that continues from a checkpoint's weights.</summary>
    public Word2VecEngine(Word2VecOptions options, Vocabulary vocabulary, float[] input, float[] output)
        : this(options, vocabulary, initialize: false)
    {
        Input = input;
        Output = output;
    }

    public Word2VecEngine(Word2VecOptions options, Vocabulary vocabulary)
        : this(options, vocabulary, initialize: true)
    {
    }

    private Word2VecEngine(Word2VecOptions options, Vocabulary vocabulary, bool initialize)
    {
        _options = options;
        _noise = NoiseDistribution.Create(vocabulary, options.NoiseExponent);
        _keep = vocabulary.SubsamplingKeepProbabilities(options.SubsamplingThreshold);
        int d = options.Dimensions;
        Input = initialize ? new float[(long)vocabulary.Count * d] : [];
        Output = initialize ? new float[(long)vocabulary.Count * d] : [];

        // word2vec.c's initialisation: uniform in [−0.5/d, 0.5/d) from one LCG stream; output vectors start at zero.
        var random = new Word2VecRandom(options.Seed);
        for (int i = 0; i < Input.Length; i++)
        {
            Input[i] = (float)(((random.Next() & 0xFFFF) / 65536.0 - 0.5) / d);
        }

        _workerRandoms = new Word2VecRandom[options.Threads];
        for (int t = 0; t < _workerRandoms.Length; t++)
        {
            _workerRandoms[t] = new Word2VecRandom(options.Seed * 0x9E3779B97F4A7C15UL + (ulong)t + 1);
        }
    }

    /// <summary>The state of a run that has not started: epoch 1, nothing done, the workers' seeded streams.</summary>
    public TrainingState InitialState() => new() { RandomStates = [.. _workerRandoms] };

    /// <summary>The input vectors (gensim <c>wv.vectors</c>, word2vec.c <c>syn0</c>).</summary>
    public float[] Input { get; private init; }

    /// <summary>The output vectors (gensim <c>syn1neg</c>).</summary>
    public float[] Output { get; private init; }

    /// <summary>
    /// Trains from <paramref name="state"/> to the last epoch, reporting progress from the calling thread. Work is split
    /// into segments: workers stop taking chunks when a checkpoint is due or cancellation is requested, so the state is
    /// always at a chunk boundary when <paramref name="checkpoint"/> sees it or when this method throws.
    /// </summary>
    public void Train(
        EncodedCorpus corpus,
        TrainingState state,
        IProgress<TrainingProgress>? progress,
        long checkpointEveryWords,
        Action<TrainingState>? checkpoint,
        CancellationToken cancellationToken)
    {
        long plannedWords = corpus.TokenCount * _options.Epochs;
        _wordsDone = state.WordsDone;
        Array.Copy(state.RandomStates, _workerRandoms, Math.Min(state.RandomStates.Length, _workerRandoms.Length));
        var clock = Stopwatch.StartNew();
        long wordsAtStart = state.WordsDone;
        while (state.Epoch <= _options.Epochs)
        {
            using IEnumerator<CorpusChunk> chunks = corpus.ReadChunks(ChunkWords, CancellationToken.None).Skip(state.ChunksDone).GetEnumerator();
            var feed = new ChunkFeed(chunks);
            while (!feed.Exhausted)
            {
                long stopAt = checkpoint is null || checkpointEveryWords <= 0 ? long.MaxValue : Volatile.Read(ref _wordsDone) + checkpointEveryWords;
                Worker[] workers = RunSegment(feed, plannedWords, stopAt, state, progress, clock, wordsAtStart, cancellationToken);

                // Worker 0 carried the epoch's running totals through the segment (so that one thread adds its losses
                // in the same order however often it is checkpointed); the others started from zero.
                state.EpochLoss = workers.Sum(worker => worker.Loss);
                state.EpochPredictions = workers.Sum(worker => worker.Predictions);

                state.ChunksDone += feed.TakenInSegment;
                state.WordsDone = Volatile.Read(ref _wordsDone);
                state.RandomStates = [.. _workerRandoms];
                if (cancellationToken.IsCancellationRequested)
                {
                    checkpoint?.Invoke(state);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (!feed.Exhausted)
                {
                    checkpoint?.Invoke(state);
                }
            }

            state.EpochLosses.Add(state.EpochPredictions == 0 ? 0 : state.EpochLoss / state.EpochPredictions);
            Report(progress, state, plannedWords, [], clock, wordsAtStart);

            // The next epoch starts clean; that start is what an end-of-epoch checkpoint records.
            state.Epoch++;
            state.ChunksDone = 0;
            state.EpochLoss = 0;
            state.EpochPredictions = 0;
            if (state.Epoch <= _options.Epochs)
            {
                checkpoint?.Invoke(state);
            }
        }
    }

    private Worker[] RunSegment(
        ChunkFeed feed,
        long plannedWords,
        long stopAt,
        TrainingState state,
        IProgress<TrainingProgress>? progress,
        Stopwatch clock,
        long wordsAtStart,
        CancellationToken cancellationToken)
    {
        feed.StartSegment(stopAt);
        var workers = new Worker[_options.Threads];
        var threads = new Thread[workers.Length];
        for (int t = 0; t < workers.Length; t++)
        {
            workers[t] = new Worker(this, t, feed, plannedWords, cancellationToken);
            if (t == 0)
            {
                workers[t].Loss = state.EpochLoss;
                workers[t].Predictions = state.EpochPredictions;
            }

            threads[t] = new Thread(workers[t].Run) { IsBackground = true, Name = $"word2vec worker {t}" };
        }

        // Workers train; the calling thread reports progress until they finish.
        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        while (!threads.All(t => t.Join(progress is null ? 1000 : 250)))
        {
            Report(progress, state, plannedWords, workers, clock, wordsAtStart);
        }

        foreach (Worker worker in workers)
        {
            if (worker.Failure is { } failure)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }

        return workers;
    }

    public double LearningRateAt(long wordsDone, long plannedWords)
    {
        double fraction = Math.Min(1.0, (double)wordsDone / plannedWords);
        return _options.LearningRate - (_options.LearningRate - _options.MinLearningRate) * fraction;
    }

    private void Report(
        IProgress<TrainingProgress>? progress, TrainingState state, long plannedWords, Worker[] workers, Stopwatch clock, long wordsAtStart)
    {
        if (progress is null)
        {
            return;
        }

        bool inSegment = workers.Length > 0;
        double loss = inSegment ? 0 : state.EpochLoss;
        long predictions = inSegment ? 0 : state.EpochPredictions;
        foreach (Worker worker in workers)
        {
            loss += worker.Loss;
            predictions += worker.Predictions;
        }

        long done = Volatile.Read(ref _wordsDone);
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        progress.Report(new TrainingProgress(
            state.Epoch, _options.Epochs, done, plannedWords, LearningRateAt(done, plannedWords),
            predictions == 0 ? 0 : loss / predictions, (done - wordsAtStart) / seconds, clock.Elapsed));
    }

    /// <summary>Hands chunks to workers, one at a time, until the corpus ends or the segment's word budget is spent.</summary>
    private sealed class ChunkFeed(IEnumerator<CorpusChunk> chunks)
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

    /// <summary>One Hogwild worker: its random stream, scratch vectors and loss, allocated once per epoch.</summary>
    private sealed class Worker(Word2VecEngine engine, int index, ChunkFeed feed, long plannedWords, CancellationToken cancellationToken)
    {
        private readonly float[] _error = new float[engine._options.Dimensions];
        private readonly float[] _hidden = new float[engine._options.Dimensions];
        private readonly int[] _kept = new int[engine._options.MaxSentenceLength];
        private readonly int[] _targets = new int[engine._options.NegativeSamples + 1];
        private readonly float[] _gradients = new float[(engine._options.NegativeSamples + 1) * engine._options.Dimensions];

        public double Loss { get; set; }

        public long Predictions { get; set; }

        public Exception? Failure { get; private set; }

        public void Run()
        {
            Word2VecRandom random = engine._workerRandoms[index];
            try
            {
                // Cancellation is honoured between chunks (about 10,000 words, tens of milliseconds), so a stop always
                // leaves whole chunks trained and the state can be checkpointed and resumed exactly.
                while (!cancellationToken.IsCancellationRequested && feed.TryTake(Volatile.Read(ref engine._wordsDone), out CorpusChunk chunk))
                {
                    for (int s = 0; s < chunk.SentenceCount; s++)
                    {
                        ReadOnlySpan<int> sentence = chunk.Sentence(s);
                        long done = Interlocked.Add(ref engine._wordsDone, sentence.Length);
                        float alpha = (float)engine.LearningRateAt(done - sentence.Length, plannedWords);
                        int kept = Subsample(sentence, ref random);
                        if (engine._options.Architecture == Word2VecArchitecture.SkipGram && engine._options.SharedNegatives)
                        {
                            TrainSkipGramSharedNegatives(_kept.AsSpan(0, kept), alpha, ref random);
                        }
                        else if (engine._options.Architecture == Word2VecArchitecture.SkipGram)
                        {
                            TrainSkipGram(_kept.AsSpan(0, kept), alpha, ref random);
                        }
                        else
                        {
                            TrainCbow(_kept.AsSpan(0, kept), alpha, ref random);
                        }
                    }
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Failure = e;
            }
            finally
            {
                engine._workerRandoms[index] = random;
            }
        }

        /// <summary>word2vec.c's subsampling: keep an occurrence when its keep probability beats a 16-bit random fraction.</summary>
        private int Subsample(ReadOnlySpan<int> sentence, ref Word2VecRandom random)
        {
            int kept = 0;
            double[] keep = engine._keep;
            foreach (int id in sentence)
            {
                if (keep[id] >= 1.0 || keep[id] >= random.NextFraction16())
                {
                    _kept[kept++] = id;
                }
            }

            return kept;
        }

        private void TrainSkipGram(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            int d = engine._options.Dimensions;
            float[] input = engine.Input;
            for (int center = 0; center < sentence.Length; center++)
            {
                int reach = Windows.DrawReach(engine._options.WindowSize, engine._options.ShrinkWindows, ref random);
                int first = Math.Max(0, center - reach);
                int last = Math.Min(sentence.Length - 1, center + reach);
                for (int c = first; c <= last; c++)
                {
                    if (c == center)
                    {
                        continue;
                    }

                    // As word2vec.c: the context word's input vector predicts the centre word.
                    Span<float> contextVector = input.AsSpan(sentence[c] * d, d);
                    Array.Clear(_error);
                    PredictWithNegatives(contextVector, sentence[center], alpha, ref random);
                    NegativeSamplingKernels.Add(contextVector, _error);
                }
            }
        }

        /// <summary>
        /// Skip-gram with the noise words drawn once per centre and shared by its whole window (HogBatch, Ji et al. 2016):
        /// the window's contexts meet the same 1 + k output rows, which stay in cache, and those rows are updated once with
        /// the summed gradient. Random row loads fall from (1 + k) per pair to (1 + k) per centre.
        /// </summary>
        private void TrainSkipGramSharedNegatives(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            int d = engine._options.Dimensions;
            float[] input = engine.Input;
            float[] output = engine.Output;
            for (int center = 0; center < sentence.Length; center++)
            {
                int reach = Windows.DrawReach(engine._options.WindowSize, engine._options.ShrinkWindows, ref random);
                int first = Math.Max(0, center - reach);
                int last = Math.Min(sentence.Length - 1, center + reach);
                if (first == last)
                {
                    continue;
                }

                int target = sentence[center];
                int targets = DrawTargets(target, ref random);
                Span<float> gradients = _gradients.AsSpan(0, targets * d);
                gradients.Clear();
                double loss = 0;
                for (int c = first; c <= last; c++)
                {
                    if (c == center)
                    {
                        continue;
                    }

                    Span<float> contextVector = input.AsSpan(sentence[c] * d, d);
                    Array.Clear(_error);
                    for (int t = 0; t < targets; t++)
                    {
                        ReadOnlySpan<float> outputVector = output.AsSpan(_targets[t] * d, d);
                        float f = NegativeSamplingKernels.Dot(contextVector, outputVector);
                        float label = t == 0 ? 1f : 0f;
                        float g = (label - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                        loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                        NegativeSamplingKernels.AccumulatePair(_error, gradients.Slice(t * d, d), outputVector, contextVector, g);
                    }

                    NegativeSamplingKernels.Add(contextVector, _error);
                }

                for (int t = 0; t < targets; t++)
                {
                    NegativeSamplingKernels.Add(output.AsSpan(_targets[t] * d, d), gradients.Slice(t * d, d));
                }

                Loss += loss;
                Predictions += (long)targets * (last - first);
            }
        }

        /// <summary>Fills <c>_targets</c> with the positive word then the noise draws that differ from it; returns how many.</summary>
        private int DrawTargets(int positive, ref Word2VecRandom random)
        {
            _targets[0] = positive;
            int count = 1;
            for (int n = 0; n < engine._options.NegativeSamples; n++)
            {
                int word = engine._noise.Sample(Mix(random.Next()));
                if (word != positive)
                {
                    _targets[count++] = word;
                }
            }

            return count;
        }

        private void TrainCbow(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            int d = engine._options.Dimensions;
            float[] input = engine.Input;
            for (int center = 0; center < sentence.Length; center++)
            {
                int reach = Windows.DrawReach(engine._options.WindowSize, engine._options.ShrinkWindows, ref random);
                int first = Math.Max(0, center - reach);
                int last = Math.Min(sentence.Length - 1, center + reach);
                int count = last - first;
                if (count == 0)
                {
                    continue;
                }

                Array.Clear(_hidden);
                for (int c = first; c <= last; c++)
                {
                    if (c != center)
                    {
                        NegativeSamplingKernels.Add(_hidden, input.AsSpan(sentence[c] * d, d));
                    }
                }

                if (engine._options.CbowMean)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(_hidden, 1f / count, _hidden);
                }

                Array.Clear(_error);
                PredictWithNegatives(_hidden, sentence[center], alpha, ref random);
                if (!engine._options.CbowMean)
                {
                    // gensim: with summed contexts the error is shared out over them.
                    System.Numerics.Tensors.TensorPrimitives.Multiply(_error, 1f / count, _error);
                }

                for (int c = first; c <= last; c++)
                {
                    if (c != center)
                    {
                        NegativeSamplingKernels.Add(input.AsSpan(sentence[c] * d, d), _error);
                    }
                }
            }
        }

        /// <summary>The SplitMix64 finaliser: the LCG's low bits are weak, and the alias table reads all 64.</summary>
        private static ulong Mix(ulong x)
        {
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }

        /// <summary>One positive and <c>negative</c> noise predictions from <paramref name="hidden"/>; the input's error lands in <c>_error</c>.</summary>
        private void PredictWithNegatives(ReadOnlySpan<float> hidden, int target, float alpha, ref Word2VecRandom random)
        {
            int d = engine._options.Dimensions;
            float[] output = engine.Output;
            double loss = 0;
            int predictions = 0;
            for (int n = 0; n <= engine._options.NegativeSamples; n++)
            {
                int word;
                float label;
                if (n == 0)
                {
                    word = target;
                    label = 1f;
                }
                else
                {
                    word = engine._noise.Sample(Mix(random.Next()));
                    if (word == target)
                    {
                        continue; // word2vec.c skips a noise draw that hits the positive word
                    }

                    label = 0f;
                }

                Span<float> outputVector = output.AsSpan(word * d, d);
                float f = NegativeSamplingKernels.Dot(hidden, outputVector);
                float g = (label - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                loss -= NegativeSamplingKernels.LogSigmoid(label == 1f ? f : -f);
                predictions++;
                NegativeSamplingKernels.UpdatePair(_error, outputVector, hidden, g);
            }

            Loss += loss;
            Predictions += predictions;
        }
    }
}
