using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Training;

/// <summary>
/// The CPU word2vec engine: skip-gram and CBOW with negative sampling, word2vec.c/gensim semantics, Hogwild worker
/// threads over corpus chunks, SIMD kernels (<see cref="NegativeSamplingKernels"/>). One instance trains one model.
/// </summary>
internal sealed class CpuWord2VecEngine : Word2VecEngine
{
    private readonly NoiseDistribution _noise;
    private readonly double[] _keep;
    private readonly Word2VecRandom[] _workerRandoms;
    private readonly SubwordRows? _subwordRows;

    public CpuWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start = null)
        : base(options, vocabulary, start)
    {
        _subwordRows = options.HasSubwords ? SubwordRows.Build(vocabulary, options) : null;
        _noise = NoiseDistribution.Create(vocabulary, options.NoiseExponent);
        _keep = vocabulary.SubsamplingKeepProbabilities(options.SubsamplingThreshold);
        _workerRandoms = new Word2VecRandom[options.Threads];
        for (int t = 0; t < _workerRandoms.Length; t++)
        {
            _workerRandoms[t] = new Word2VecRandom(options.Seed * 0x9E3779B97F4A7C15UL + (ulong)t + 1);
        }
    }

    public override TrainingState InitialState() => new() { RandomStates = [.. _workerRandoms] };

    protected override void RestoreRandomStates(Word2VecRandom[] states) =>
        Array.Copy(states, _workerRandoms, Math.Min(states.Length, _workerRandoms.Length));

    protected override Word2VecRandom[] SaveRandomStates() => [.. _workerRandoms];

    protected override (double Loss, long Predictions) TrainSegment(
        ChunkFeed feed, TrainingState state, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        var workers = new Worker[Options.Threads];
        for (int t = 0; t < workers.Length; t++)
        {
            workers[t] = new Worker(this, t, feed, cancellationToken);
        }

        // Worker 0 carries the epoch's running totals through the segment, so that one thread adds its losses in the
        // same order however often the run is checkpointed; the others start from zero.
        workers[0].Loss = state.EpochLoss;
        workers[0].Predictions = state.EpochPredictions;

        // Workers train; the calling thread reports progress until they finish.
        using (var gang = new WorkerGang(workers.Length))
        {
            gang.Run(
                t => workers[t].Run(),
                () => reporter.Report(workers.Sum(w => w.Loss), workers.Sum(w => w.Predictions)),
                TimeSpan.FromMilliseconds(reporter.Active ? 250 : 1000));
        }

        return (workers.Sum(worker => worker.Loss), workers.Sum(worker => worker.Predictions));
    }

    /// <summary>One Hogwild worker: its random stream, scratch vectors and loss, allocated once per epoch.</summary>
    private sealed class Worker(CpuWord2VecEngine engine, int index, ChunkFeed feed, CancellationToken cancellationToken)
    {
        private readonly float[] _error = new float[engine.Options.Dimensions];
        private readonly float[] _hidden = new float[engine.Options.Dimensions];
        private readonly int[] _kept = new int[engine.Options.MaxSentenceLength];
        // The current centre's targets, and the next centre's, drawn one centre ahead (swapped as training moves on).
        private int[] _targets = new int[engine.Options.NegativeSamples + 1];
        private int[] _aheadTargets = new int[engine.Options.NegativeSamples + 1];
        private readonly float[] _scales = new float[engine.Options.NegativeSamples + 1];
        private readonly float[] _gradients = new float[(engine.Options.NegativeSamples + 1) * engine.Options.Dimensions];
        // A whole window's context rows, their scales against every target and their errors (TrainWindowAtOnce).
        private readonly int[] _contextRows = new int[2 * engine.Options.WindowSize];
        private readonly float[] _windowScales = new float[2 * engine.Options.WindowSize * NegativeSamplingKernels.PaddedTargets(engine.Options.NegativeSamples + 1)];
        private readonly float[] _windowErrors = new float[2 * engine.Options.WindowSize * engine.Options.Dimensions];

        // The settings and arrays the inner loops read, copied once: reading them through the engine and its options
        // record on every centre word left the JIT's code at the mercy of its profile-guided choices.
        private readonly int _dimensions = engine.Options.Dimensions;
        private readonly int _windowSize = engine.Options.WindowSize;
        private readonly bool _shrinkWindows = engine.Options.ShrinkWindows;
        private readonly int _negativeSamples = engine.Options.NegativeSamples;
        private readonly float[] _input = engine.Input;
        private readonly float[] _output = engine.Output;
        private readonly NoiseDistribution _noise = engine._noise;
        private readonly SubwordRows? _subwordRows = engine._subwordRows;

        public double Loss { get; set; }

        public long Predictions { get; set; }

        public void Run()
        {
            Word2VecRandom random = engine._workerRandoms[index];
            try
            {
                // Cancellation is honoured between chunks (about 10,000 words, tens of milliseconds), so a stop always
                // leaves whole chunks trained and the state can be checkpointed and resumed exactly.
                while (!cancellationToken.IsCancellationRequested && feed.TryTake(Volatile.Read(ref engine.WordsDone), out CorpusChunk chunk))
                {
                    for (int s = 0; s < chunk.SentenceCount; s++)
                    {
                        ReadOnlySpan<int> sentence = chunk.Sentence(s);
                        long done = Interlocked.Add(ref engine.WordsDone, sentence.Length);
                        float alpha = (float)engine.LearningRateAt(done - sentence.Length);
                        int kept = Subsample(sentence, ref random);
                        if (_subwordRows is not null)
                        {
                            TrainSubwords(_kept.AsSpan(0, kept), alpha, ref random);
                        }
                        else if (engine.Options.Architecture == Word2VecArchitecture.SkipGram && engine.Options.SharedNegatives)
                        {
                            TrainSkipGramSharedNegatives(_kept.AsSpan(0, kept), alpha, ref random);
                        }
                        else if (engine.Options.Architecture == Word2VecArchitecture.SkipGram)
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
            finally
            {
                engine._workerRandoms[index] = random;
            }
        }

        /// <summary>word2vec.c's subsampling: keep an occurrence when its keep probability beats a 16-bit random fraction.</summary>
        private int Subsample(ReadOnlySpan<int> sentence, ref Word2VecRandom random) =>
            Windows.Subsample(sentence, engine._keep, _kept, ref random);

        private void TrainSkipGram(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            int d = _dimensions;
            float[] input = _input;
            for (int center = 0; center < sentence.Length; center++)
            {
                (int first, int last) = Windows.DrawWindow(center, sentence.Length, _windowSize, _shrinkWindows, ref random);
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
            int d = _dimensions;
            float[] input = _input;
            float[] output = _output;
            if (sentence.IsEmpty)
            {
                return; // subsampling may keep no word: then nothing is drawn, as before
            }

            CentreDraw next = DrawCentre(sentence, 0, ref random);
            for (int center = 0; center < sentence.Length; center++)
            {
                CentreDraw draw = TakeDrawAndLookAhead(sentence, center, ref next, ref random);
                (int first, int last, int targets) = (draw.First, draw.Last, draw.Targets);
                if (first == last)
                {
                    continue;
                }

                if (TrainWindowAtOnce(sentence, center, first, last, targets, alpha))
                {
                    continue;
                }

                Span<float> gradients = _gradients.AsSpan(0, targets * d);
                gradients.Clear();
                double loss = 0;
                for (int c = first; c <= last; c++)
                {
                    if (c == center)
                    {
                        continue;
                    }

                    // All dot products first (the output rows do not change within the window), then one pass that
                    // accumulates the targets' gradients and moves the context row.
                    Span<float> contextVector = input.AsSpan(sentence[c] * d, d);
                    for (int t = 0; t < targets; t++)
                    {
                        float f = NegativeSamplingKernels.Dot(contextVector, output.AsSpan(_targets[t] * d, d));
                        _scales[t] = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                        loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                    }

                    NegativeSamplingKernels.AccumulateTargets(contextVector, gradients, output, _targets.AsSpan(0, targets), _scales.AsSpan(0, targets));
                }

                for (int t = 0; t < targets; t++)
                {
                    NegativeSamplingKernels.Add(output.AsSpan(_targets[t] * d, d), gradients.Slice(t * d, d));
                }

                Loss += loss;
                Predictions += (long)targets * (last - first);
            }
        }

        /// <summary>
        /// <see cref="TrainSkipGramSharedNegatives"/>' window as one small matrix step: every (context, target) dot product
        /// first (<see cref="NegativeSamplingKernels.WindowDots"/>), then <see cref="NegativeSamplingKernels.UpdateWindow"/>
        /// moves every row once. Same arithmetic, same bits as the pair-by-pair loop, which still trains the windows where
        /// that would not hold: a context word twice in the window (its second occurrence must see the first's update), or
        /// a noise word repeated across blocks of targets. Returns whether it trained the window.
        /// </summary>
        private bool TrainWindowAtOnce(ReadOnlySpan<int> sentence, int center, int first, int last, int targets, float alpha)
        {
            int d = _dimensions;
            float[] input = _input;
            float[] output = _output;
            int contexts = 0;
            for (int c = first; c <= last; c++)
            {
                if (c != center)
                {
                    _contextRows[contexts++] = sentence[c];
                }
            }

            ReadOnlySpan<int> contextRows = _contextRows.AsSpan(0, contexts);
            ReadOnlySpan<int> targetRows = _targets.AsSpan(0, targets);
            if (HasRepeats(contextRows) || (targets > NegativeSamplingKernels.WindowTargetBlock && HasRepeats(targetRows)))
            {
                return false;
            }

            int stride = NegativeSamplingKernels.PaddedTargets(targets);
            Span<float> scales = _windowScales.AsSpan(0, contexts * stride);
            NegativeSamplingKernels.WindowDots(input, contextRows, output, targetRows, scales, stride, d);
            double loss = 0;
            for (int k = 0; k < contexts; k++)
            {
                Span<float> row = scales.Slice(k * stride, stride);
                for (int t = 0; t < targets; t++)
                {
                    float f = row[t];
                    row[t] = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                    loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                }

                row[targets..].Clear();
            }

            NegativeSamplingKernels.UpdateWindow(input, contextRows, output, targetRows, scales, _windowErrors, d);
            Loss += loss;
            Predictions += (long)targets * contexts;
            return true;
        }

        /// <summary>A centre's window and how many targets were drawn for it (none when the window is empty).</summary>
        private readonly record struct CentreDraw(int First, int Last, int Targets);

        /// <summary>
        /// Draws what <paramref name="center"/> trains on, as the loops always drew it: its window, then, when the window
        /// is not empty, its targets (into <c>_aheadTargets</c>).
        /// </summary>
        private CentreDraw DrawCentre(ReadOnlySpan<int> sentence, int center, ref Word2VecRandom random)
        {
            (int first, int last) = Windows.DrawWindow(center, sentence.Length, _windowSize, _shrinkWindows, ref random);
            return new CentreDraw(first, last, first == last ? 0 : DrawTargets(sentence[center], _aheadTargets, ref random));
        }

        /// <summary>
        /// Makes <paramref name="next"/> the current centre's draw (its targets into <c>_targets</c>), then draws the
        /// following centre and prefetches its output rows and the input row entering its window, so that those loads
        /// overlap this centre's work. Drawing one centre ahead keeps the order of the draws, so the random stream and
        /// the results are those of drawing each centre as it comes.
        /// </summary>
        private CentreDraw TakeDrawAndLookAhead(ReadOnlySpan<int> sentence, int center, ref CentreDraw next, ref Word2VecRandom random)
        {
            CentreDraw current = next;
            (_targets, _aheadTargets) = (_aheadTargets, _targets);
            if (center + 1 < sentence.Length)
            {
                next = DrawCentre(sentence, center + 1, ref random);
                for (int t = 0; t < next.Targets; t++)
                {
                    Prefetch(_output, _aheadTargets[t]);
                }

                Prefetch(_input, sentence[next.Last]);
            }

            return current;
        }

        /// <summary>Asks the processor to bring row <paramref name="row"/> of <paramref name="matrix"/> into its caches (a hint: no effect on results).</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private unsafe void Prefetch(float[] matrix, int row)
        {
            if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            {
                // The address is only a hint: were the array moved meanwhile, the prefetch would merely be wasted.
                byte* start = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref matrix[row * _dimensions]);
                for (int offset = 0; offset < _dimensions * sizeof(float); offset += 64)
                {
                    System.Runtime.Intrinsics.X86.Sse.Prefetch0(start + offset);
                }
            }
        }

        /// <summary>Fills <paramref name="targets"/> with the positive word then the noise draws that differ from it; returns how many.</summary>
        private int DrawTargets(int positive, int[] targets, ref Word2VecRandom random)
        {
            targets[0] = positive;
            int count = 1;
            for (int n = 0; n < _negativeSamples; n++)
            {
                int word = _noise.Sample(Mix(random.Next()));
                if (word != positive)
                {
                    targets[count++] = word;
                }
            }

            return count;
        }

        private void TrainCbow(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            int d = _dimensions;
            float[] input = _input;
            if (sentence.IsEmpty)
            {
                return; // subsampling may keep no word: then nothing is drawn, as before
            }

            CentreDraw next = DrawCentre(sentence, 0, ref random);
            for (int center = 0; center < sentence.Length; center++)
            {
                CentreDraw draw = TakeDrawAndLookAhead(sentence, center, ref next, ref random);
                (int first, int last) = (draw.First, draw.Last);
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

                if (engine.Options.CbowMean)
                {
                    System.Numerics.Tensors.TensorPrimitives.Multiply(_hidden, 1f / count, _hidden);
                }

                Array.Clear(_error);
                PredictTargets(_hidden, draw.Targets, alpha);
                if (!engine.Options.CbowMean)
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

        /// <summary>
        /// fastText's subword model, one centre word at a time: skip-gram (<see cref="SubwordSkipGramCentre"/>) or CBOW
        /// (<see cref="SubwordCbowCentre"/>), the window drawn as for word2vec.
        /// </summary>
        private void TrainSubwords(ReadOnlySpan<int> sentence, float alpha, ref Word2VecRandom random)
        {
            bool skipGram = engine.Options.Architecture == Word2VecArchitecture.SkipGram;
            for (int center = 0; center < sentence.Length; center++)
            {
                (int first, int last) = Windows.DrawWindow(center, sentence.Length, _windowSize, _shrinkWindows, ref random);
                if (first == last)
                {
                    continue;
                }

                if (skipGram)
                {
                    SubwordSkipGramCentre(sentence, center, first, last, alpha, ref random);
                }
                else
                {
                    SubwordCbowCentre(sentence, center, first, last, alpha, ref random);
                }
            }
        }

        /// <summary>
        /// fastText's subword skip-gram: the centre word's input vector (the mean of its own row and its n-gram rows)
        /// predicts each context word. fastText recomputes that mean and writes the gradient back to every row for each
        /// (centre, context) pair; here the mean is computed once per centre, the window's input gradient is summed in
        /// <c>_error</c> and added to the rows once, as fastText adds it: undivided, to each row. That cuts the row work
        /// from two passes over the rows per pair to two per centre.
        /// </summary>
        private void SubwordSkipGramCentre(ReadOnlySpan<int> sentence, int center, int first, int last, float alpha, ref Word2VecRandom random)
        {
            ReadOnlySpan<int> centerRows = _subwordRows!.Of(sentence[center]);
            Array.Clear(_hidden);
            AddRows(_hidden, centerRows);
            System.Numerics.Tensors.TensorPrimitives.Multiply(_hidden, 1f / centerRows.Length, _hidden);
            Array.Clear(_error);
            for (int c = first; c <= last; c++)
            {
                if (c != center)
                {
                    PredictWithNegatives(_hidden, sentence[c], alpha, ref random);
                }
            }

            ScatterError(centerRows);
        }

        /// <summary>
        /// fastText's subword CBOW: the mean over every row of every context word (own rows and n-gram rows together)
        /// predicts the centre word; the gradient is added, undivided, to each of those rows.
        /// </summary>
        private void SubwordCbowCentre(ReadOnlySpan<int> sentence, int center, int first, int last, float alpha, ref Word2VecRandom random)
        {
            SubwordRows rows = _subwordRows!;
            Array.Clear(_hidden);
            int count = 0;
            for (int c = first; c <= last; c++)
            {
                if (c != center)
                {
                    ReadOnlySpan<int> contextRows = rows.Of(sentence[c]);
                    AddRows(_hidden, contextRows);
                    count += contextRows.Length;
                }
            }

            System.Numerics.Tensors.TensorPrimitives.Multiply(_hidden, 1f / count, _hidden);
            Array.Clear(_error);
            PredictWithNegatives(_hidden, sentence[center], alpha, ref random);
            for (int c = first; c <= last; c++)
            {
                if (c != center)
                {
                    ScatterError(rows.Of(sentence[c]));
                }
            }
        }

        /// <summary><c>destination += input[row]</c> for each of <paramref name="rowIds"/>.</summary>
        private void AddRows(Span<float> destination, ReadOnlySpan<int> rowIds)
        {
            int d = _dimensions;
            float[] input = _input;
            foreach (int row in rowIds)
            {
                NegativeSamplingKernels.Add(destination, input.AsSpan(row * d, d));
            }
        }

        /// <summary><c>input[row] += _error</c> for each of <paramref name="rowIds"/>.</summary>
        private void ScatterError(ReadOnlySpan<int> rowIds)
        {
            int d = _dimensions;
            float[] input = _input;
            foreach (int row in rowIds)
            {
                NegativeSamplingKernels.Add(input.AsSpan(row * d, d), _error);
            }
        }

        /// <summary>The SplitMix64 finaliser: the LCG's low bits are weak, and the alias table reads all 64.</summary>
        private static ulong Mix(ulong x)
        {
            x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
            x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
            return x ^ (x >> 31);
        }

        /// <summary>One positive and <c>negative</c> noise predictions from <paramref name="hidden"/>, the targets drawn now; the input's error lands in <c>_error</c>.</summary>
        private void PredictWithNegatives(ReadOnlySpan<float> hidden, int target, float alpha, ref Word2VecRandom random) =>
            PredictTargets(hidden, DrawTargets(target, _targets, ref random), alpha);

        /// <summary>
        /// The predictions of the first <paramref name="targets"/> words of <c>_targets</c> (the positive word first) from
        /// <paramref name="hidden"/>; the input's error lands in <c>_error</c>. When the noise words are all different,
        /// their dot products are taken together and every row is updated in one pass
        /// (<see cref="NegativeSamplingKernels.UpdateTargets"/>), which gives word2vec.c's sequential result bit for bit.
        /// A noise word drawn twice must see its own first update, so such a draw takes the sequential path.
        /// </summary>
        private void PredictTargets(ReadOnlySpan<float> hidden, int targets, float alpha)
        {
            int d = _dimensions;
            float[] output = _output;
            double loss = 0;
            if (HasRepeats(_targets.AsSpan(1, targets - 1)))
            {
                for (int t = 0; t < targets; t++)
                {
                    Span<float> outputVector = output.AsSpan(_targets[t] * d, d);
                    float f = NegativeSamplingKernels.Dot(hidden, outputVector);
                    float g = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                    loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                    NegativeSamplingKernels.UpdatePair(_error, outputVector, hidden, g);
                }
            }
            else
            {
                for (int t = 0; t < targets; t++)
                {
                    float f = NegativeSamplingKernels.Dot(hidden, output.AsSpan(_targets[t] * d, d));
                    _scales[t] = ((t == 0 ? 1f : 0f) - NegativeSamplingKernels.Sigmoid(f)) * alpha;
                    loss -= NegativeSamplingKernels.LogSigmoid(t == 0 ? f : -f);
                }

                NegativeSamplingKernels.UpdateTargets(_error, output, _targets.AsSpan(0, targets), _scales.AsSpan(0, targets), hidden);
            }

            Loss += loss;
            Predictions += targets;
        }

        /// <summary>Whether a noise word was drawn more than once (k is small: a quadratic scan).</summary>
        private static bool HasRepeats(ReadOnlySpan<int> words)
        {
            for (int i = 1; i < words.Length; i++)
            {
                if (words[..i].Contains(words[i]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>
/// The input rows of every vocabulary word under fastText's subword model, computed once: the word's own row, then its
/// n-grams' bucket rows (after the vocabulary's), in fastText's order, all words' lists in one array.
/// </summary>
internal sealed class SubwordRows
{
    private readonly int[] _offsets;
    private readonly int[] _rows;

    private SubwordRows(int[] offsets, int[] rows) => (_offsets, _rows) = (offsets, rows);

    /// <summary>The rows of each word of <paramref name="vocabulary"/> under <paramref name="options"/>' n-gram settings.</summary>
    public static SubwordRows Build(Vocabulary vocabulary, Word2VecOptions options)
    {
        var offsets = new int[vocabulary.Count + 1];
        var rows = new List<int>(vocabulary.Count * 8);
        var buckets = new List<int>();
        for (int id = 0; id < vocabulary.Count; id++)
        {
            offsets[id] = rows.Count;
            rows.Add(id);
            buckets.Clear();
            Subwords.FastTextSubwords.AddNgramBuckets(vocabulary[id], options.MinN, options.MaxN, options.Buckets, buckets);
            foreach (int bucket in buckets)
            {
                rows.Add(vocabulary.Count + bucket);
            }
        }

        offsets[vocabulary.Count] = rows.Count;
        return new SubwordRows(offsets, [.. rows]);
    }

    /// <summary>The input rows of word <paramref name="id"/>: its own first, then its n-grams'.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<int> Of(int id) => _rows.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);
}
