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

    public Word2VecEngine(Word2VecOptions options, Vocabulary vocabulary)
    {
        _options = options;
        _noise = NoiseDistribution.Create(vocabulary, options.NoiseExponent);
        _keep = vocabulary.SubsamplingKeepProbabilities(options.SubsamplingThreshold);
        int d = options.Dimensions;
        Input = new float[(long)vocabulary.Count * d];
        Output = new float[(long)vocabulary.Count * d];

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

    /// <summary>The input vectors (gensim <c>wv.vectors</c>, word2vec.c <c>syn0</c>).</summary>
    public float[] Input { get; }

    /// <summary>The output vectors (gensim <c>syn1neg</c>).</summary>
    public float[] Output { get; }

    /// <summary>Trains every epoch, reporting progress from the calling thread.</summary>
    public IReadOnlyList<double> Train(EncodedCorpus corpus, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        long plannedWords = corpus.TokenCount * _options.Epochs;
        var losses = new List<double>(_options.Epochs);
        var clock = Stopwatch.StartNew();
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            var workers = new Worker[_options.Threads];
            using IEnumerator<CorpusChunk> chunks = corpus.ReadChunks(ChunkWords, cancellationToken).GetEnumerator();
            var threads = new Thread[workers.Length];
            for (int t = 0; t < workers.Length; t++)
            {
                workers[t] = new Worker(this, t, chunks, plannedWords, cancellationToken);
                threads[t] = new Thread(workers[t].Run) { IsBackground = true, Name = $"word2vec worker {t}" };
            }

            // Workers train; the calling thread reports progress until they finish.
            foreach (Thread thread in threads)
            {
                thread.Start();
            }

            while (!threads.All(t => t.Join(progress is null ? 1000 : 250)))
            {
                Report(progress, epoch, plannedWords, workers, clock);
            }

            foreach (Worker worker in workers)
            {
                if (worker.Failure is { } failure)
                {
                    System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            losses.Add(MeanLoss(workers));
            Report(progress, epoch, plannedWords, workers, clock);
        }

        return losses;
    }

    public double LearningRateAt(long wordsDone, long plannedWords)
    {
        double fraction = Math.Min(1.0, (double)wordsDone / plannedWords);
        return _options.LearningRate - (_options.LearningRate - _options.MinLearningRate) * fraction;
    }

    private void Report(IProgress<TrainingProgress>? progress, int epoch, long plannedWords, Worker[] workers, Stopwatch clock)
    {
        if (progress is null)
        {
            return;
        }

        long done = Volatile.Read(ref _wordsDone);
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        progress.Report(new TrainingProgress(
            epoch, _options.Epochs, done, plannedWords, LearningRateAt(done, plannedWords), MeanLoss(workers), done / seconds, clock.Elapsed));
    }

    private static double MeanLoss(Worker[] workers)
    {
        double loss = 0;
        long predictions = 0;
        foreach (Worker worker in workers)
        {
            loss += worker.Loss;
            predictions += worker.Predictions;
        }

        return predictions == 0 ? 0 : loss / predictions;
    }

    /// <summary>One Hogwild worker: its random stream, scratch vectors and loss, allocated once per epoch.</summary>
    private sealed class Worker(Word2VecEngine engine, int index, IEnumerator<CorpusChunk> chunks, long plannedWords, CancellationToken cancellationToken)
    {
        private readonly float[] _error = new float[engine._options.Dimensions];
        private readonly float[] _hidden = new float[engine._options.Dimensions];
        private readonly int[] _kept = new int[engine._options.MaxSentenceLength];

        public double Loss { get; private set; }

        public long Predictions { get; private set; }

        public Exception? Failure { get; private set; }

        public void Run()
        {
            Word2VecRandom random = engine._workerRandoms[index];
            try
            {
                while (!cancellationToken.IsCancellationRequested && TryTake(out CorpusChunk chunk))
                {
                    for (int s = 0; s < chunk.SentenceCount && !cancellationToken.IsCancellationRequested; s++)
                    {
                        ReadOnlySpan<int> sentence = chunk.Sentence(s);
                        long done = Interlocked.Add(ref engine._wordsDone, sentence.Length);
                        float alpha = (float)engine.LearningRateAt(done - sentence.Length, plannedWords);
                        int kept = Subsample(sentence, ref random);
                        if (engine._options.Architecture == Word2VecArchitecture.SkipGram)
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

        private bool TryTake(out CorpusChunk chunk)
        {
            lock (chunks)
            {
                if (chunks.MoveNext())
                {
                    chunk = chunks.Current;
                    return true;
                }
            }

            chunk = default;
            return false;
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
