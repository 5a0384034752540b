using System.Diagnostics;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.Training;

/// <summary>
/// The full-softmax engine (<see cref="Word2VecObjective.FullSoftmax"/>): the hand-written PyTorch word2vec of the
/// users' lab, <c>Embedding(V, d)</c> → <c>Linear(d, V)</c> → cross-entropy with <c>AdamW</c> over shuffled minibatches
/// of (input, target) examples. Skip-gram: the centre's embedding predicts each context word within the window; CBOW:
/// the mean (or sum) of the context embeddings predicts the centre. Subsampling and window shrinking follow the options
/// exactly as <see cref="CpuWord2VecEngine"/> does (the lab turns both off).
/// </summary>
/// <remarks>
/// <para>
/// Each corpus chunk (about 10,000 words) becomes one buffer of examples, shuffled with the engine's seeded stream and
/// cut into batches of <see cref="Word2VecOptions.BatchSize"/>; the chunk's last batch may be smaller. PyTorch's
/// DataLoader shuffles the whole epoch instead; shuffling per chunk keeps memory flat and makes every chunk
/// independent, which is what lets a checkpoint resume exactly.
/// </para>
/// <para>
/// Initialisation is PyTorch's for a fresh run: E ~ N(0, 1) (<c>nn.Embedding</c>), W and b ~ U(±1/√d)
/// (<c>nn.Linear</c>), from a stream seeded with the run's seed. Weights given to the constructor (a checkpoint, a model
/// grown for continued training) are kept; new words' bias and Adam moments start at zero.
/// </para>
/// <para>
/// The learning rate of a batch is <see cref="Word2VecEngine.LearningRateAt"/> at its position in the chunk (linear
/// decay from LearningRate to MinLearningRate; the lab keeps it constant by setting both to 1e-3). The loss is the mean
/// cross-entropy per example, accumulated in double. Threads split each batch's products (see
/// <see cref="SoftmaxModel"/>), not the corpus: results are bit-identical for any thread count with the same seed.
/// Cancellation is honoured between batches; the unfinished rest of a chunk's buffer is part of
/// <see cref="ExtraState"/>, so a checkpoint taken then resumes bit for bit.
/// </para>
/// </remarks>
internal sealed class SoftmaxWord2VecEngine : Word2VecEngine
{
    private const int ExtraArrays = 9;

    private readonly SoftmaxModel _model;
    private readonly double[] _keep;
    private readonly int[] _kept;
    private Word2VecRandom _random;

    // The chunk being trained: examples (target, input words) in buffer order, a shuffled order over them, and the
    // batch reached. Batch g (global index in the chunk) holds order[(g − _firstBatch)·B …].
    private int[] _targets = new int[1024];
    private int[] _inputOffsets = new int[1025];
    private int[] _inputs = new int[1024];
    private int[] _order = new int[1024];
    private int _examples;
    private int _inputCount;
    private long _chunkStartWords;
    private int _chunkWords;
    private int _batchCount;
    private int _firstBatch;
    private int _nextBatch;

    // One batch, gathered from the buffer.
    private readonly int[] _batchTargets;
    private readonly int[] _batchOffsets;
    private int[] _batchInputs;

    public SoftmaxWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start = null)
        : base(options, vocabulary, start)
    {
        int words = vocabulary.Count, d = options.Dimensions;
        if (words > Word2VecOptions.MaxSoftmaxVocabulary)
        {
            throw new ArgumentException(
                $"Full softmax over {words:N0} words would take O(vocabulary) work per prediction; it is limited to {Word2VecOptions.MaxSoftmaxVocabulary:N0}. Use negative sampling, or raise MinCount / set MaxVocabularySize.",
                nameof(vocabulary));
        }

        _keep = vocabulary.SubsamplingKeepProbabilities(options.SubsamplingThreshold);
        _kept = new int[options.MaxSentenceLength];
        _random = new Word2VecRandom(options.Seed * 0x9E3779B97F4A7C15UL + 1);
        int batch = options.BatchSize;
        _batchTargets = new int[batch];
        _batchOffsets = new int[batch + 1];
        _batchInputs = new int[batch];

        float[] bias = new float[words];
        if (start is null)
        {
            InitialiseAsPyTorch(options.Seed, Input, Output, bias, d);
        }

        _model = new SoftmaxModel(words, d, batch, options.Threads, options.CbowMean, (float)options.WeightDecay, Input, Output, bias);
        if (start is { Extra.Count: > 0 })
        {
            Restore(start.Extra, words, d);
        }
    }

    /// <summary>
    /// The bias, the six Adam moments (E, E², W, W², b, b²), the step count (three exact 24-bit float pieces) and the
    /// untrained rest of the current chunk (empty between chunks), in that order.
    /// </summary>
    public override IReadOnlyList<float[]> ExtraState =>
    [
        _model.Bias, .. _model.Moments, PackLong(_model.Steps), SavePending(),
    ];

    /// <summary>PyTorch's defaults: E ~ N(0, 1) as <c>nn.Embedding</c>; W, b ~ U(−1/√d, 1/√d) as <c>nn.Linear</c>.</summary>
    internal static void InitialiseAsPyTorch(ulong seed, Span<float> input, Span<float> output, Span<float> bias, int dimensions)
    {
        var random = new Word2VecRandom(seed ^ 0x5DEECE66DUL);
        for (int i = 0; i < input.Length; i += 2)
        {
            // Box–Muller: two independent normals from two uniforms in (0, 1].
            double u1 = 1 - Uniform(ref random), u2 = Uniform(ref random);
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            input[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < input.Length)
            {
                input[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
            }
        }

        double bound = 1 / Math.Sqrt(dimensions);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = (float)((2 * Uniform(ref random) - 1) * bound);
        }

        for (int i = 0; i < bias.Length; i++)
        {
            bias[i] = (float)((2 * Uniform(ref random) - 1) * bound);
        }
    }

    public override TrainingState InitialState() => new() { RandomStates = [_random] };

    protected override void RestoreRandomStates(Word2VecRandom[] states)
    {
        if (states.Length == 1)
        {
            _random = states[0];
        }
    }

    protected override Word2VecRandom[] SaveRandomStates() => [_random];

    public override void Dispose()
    {
        _model.Dispose();
        base.Dispose();
    }

    protected override (double Loss, long Predictions) TrainSegment(
        ChunkFeed feed, TrainingState state, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        double loss = state.EpochLoss;
        long predictions = state.EpochPredictions;
        var clock = Stopwatch.StartNew();
        long nextReport = 250;

        // A checkpoint taken mid-chunk left the rest of that chunk's batches; they come first.
        if (_nextBatch < _batchCount && !TrainBatches(ref loss, ref predictions, reporter, clock, ref nextReport, cancellationToken))
        {
            return (loss, predictions);
        }

        while (!cancellationToken.IsCancellationRequested && feed.TryTake(Volatile.Read(ref WordsDone), out CorpusChunk chunk))
        {
            CollectExamples(chunk);
            Shuffle();
            if (!TrainBatches(ref loss, ref predictions, reporter, clock, ref nextReport, cancellationToken))
            {
                break;
            }
        }

        return (loss, predictions);
    }

    /// <summary>Trains the current chunk's batches from <c>_nextBatch</c>; false when cancellation stopped it part-way.</summary>
    private bool TrainBatches(ref double loss, ref long predictions, ProgressReporter reporter, Stopwatch clock, ref long nextReport, CancellationToken cancellationToken)
    {
        int size = _batchTargets.Length;
        while (_nextBatch < _batchCount)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            int first = (_nextBatch - _firstBatch) * size;
            int count = Math.Min(size, _examples - first);
            int inputs = 0;
            for (int e = 0; e < count; e++)
            {
                int example = _order[first + e];
                _batchTargets[e] = _targets[example];
                _batchOffsets[e] = inputs;
                int from = _inputOffsets[example], to = _inputOffsets[example + 1];
                if (inputs + (to - from) > _batchInputs.Length)
                {
                    Array.Resize(ref _batchInputs, Math.Max(2 * _batchInputs.Length, inputs + (to - from)));
                }

                Array.Copy(_inputs, from, _batchInputs, inputs, to - from);
                inputs += to - from;
            }

            _batchOffsets[count] = inputs;
            long position = _chunkStartWords + (long)_chunkWords * _nextBatch / _batchCount;
            float learningRate = (float)LearningRateAt(position);
            loss += _model.TrainBatch(_batchOffsets.AsSpan(0, count + 1), _batchInputs.AsSpan(0, inputs), _batchTargets.AsMemory(0, count), learningRate);
            predictions += count;
            _nextBatch++;
            if (reporter.Active && clock.ElapsedMilliseconds >= nextReport)
            {
                reporter.Report(loss, predictions);
                nextReport = clock.ElapsedMilliseconds + 250;
            }
        }

        return true;
    }

    /// <summary>Turns a chunk into examples, adding its words to <see cref="Word2VecEngine.WordsDone"/> as each sentence starts.</summary>
    private void CollectExamples(CorpusChunk chunk)
    {
        _chunkStartWords = Volatile.Read(ref WordsDone);
        _examples = 0;
        _inputCount = 0;
        _inputOffsets[0] = 0;
        int words = 0;
        bool skipGram = Options.Architecture == Word2VecArchitecture.SkipGram;
        for (int s = 0; s < chunk.SentenceCount; s++)
        {
            ReadOnlySpan<int> sentence = chunk.Sentence(s);
            Interlocked.Add(ref WordsDone, sentence.Length);
            words += sentence.Length;
            int kept = Subsample(sentence);
            for (int center = 0; center < kept; center++)
            {
                (int first, int last) = Windows.DrawWindow(center, kept, Options.WindowSize, Options.ShrinkWindows, ref _random);
                if (first == last)
                {
                    continue;
                }

                if (skipGram)
                {
                    // As the lab: the centre's embedding predicts each context word.
                    for (int c = first; c <= last; c++)
                    {
                        if (c != center)
                        {
                            AddExample(_kept[c], _kept.AsSpan(center, 1));
                        }
                    }
                }
                else
                {
                    AddExample(_kept[center], _kept.AsSpan(first, center - first));
                    AppendInputs(_kept.AsSpan(center + 1, last - center));
                }
            }
        }

        _chunkWords = words;
        _batchCount = (_examples + _batchTargets.Length - 1) / _batchTargets.Length;
        _firstBatch = 0;
        _nextBatch = 0;
    }

    /// <summary>word2vec.c's subsampling into <c>_kept</c>, drawing from the engine's stream as <see cref="CpuWord2VecEngine"/> does.</summary>
    private int Subsample(ReadOnlySpan<int> sentence) => Windows.Subsample(sentence, _keep, _kept, ref _random);

    private void AddExample(int target, ReadOnlySpan<int> inputs)
    {
        if (_examples + 1 >= _targets.Length)
        {
            Array.Resize(ref _targets, 2 * _targets.Length);
            Array.Resize(ref _inputOffsets, _targets.Length + 1);
        }

        _targets[_examples++] = target;
        _inputOffsets[_examples] = _inputCount;
        AppendInputs(inputs);
    }

    /// <summary>Adds input words to the last example.</summary>
    private void AppendInputs(ReadOnlySpan<int> inputs)
    {
        if (_inputCount + inputs.Length > _inputs.Length)
        {
            Array.Resize(ref _inputs, Math.Max(2 * _inputs.Length, _inputCount + inputs.Length));
        }

        inputs.CopyTo(_inputs.AsSpan(_inputCount));
        _inputCount += inputs.Length;
        _inputOffsets[_examples] = _inputCount;
    }

    /// <summary>Fisher–Yates over the chunk's examples with the engine's stream.</summary>
    private void Shuffle()
    {
        if (_order.Length < _examples)
        {
            _order = new int[Math.Max(_examples, 2 * _order.Length)];
        }

        for (int i = 0; i < _examples; i++)
        {
            _order[i] = i;
        }

        for (int i = _examples - 1; i > 0; i--)
        {
            // The LCG's low bits are weak: take the high half of a mixed draw, scaled to [0, i].
            int j = (int)((Mix(_random.Next()) >> 32) * (ulong)(i + 1) >> 32);
            (_order[i], _order[j]) = (_order[j], _order[i]);
        }
    }

    /// <summary>The untrained batches of the current chunk: its position, then each example as target, input count, inputs (exact in float below 2^24).</summary>
    private float[] SavePending()
    {
        if (_nextBatch >= _batchCount)
        {
            return [];
        }

        var pending = new List<float>();
        pending.AddRange(PackLong(_chunkStartWords));
        pending.AddRange(PackLong(_chunkWords));
        pending.AddRange(PackLong(_batchCount));
        pending.AddRange(PackLong(_nextBatch));
        for (int e = (_nextBatch - _firstBatch) * _batchTargets.Length; e < _examples; e++)
        {
            int example = _order[e];
            int from = _inputOffsets[example], to = _inputOffsets[example + 1];
            pending.Add(_targets[example]);
            pending.Add(to - from);
            for (int i = from; i < to; i++)
            {
                pending.Add(_inputs[i]);
            }
        }

        return [.. pending];
    }

    private void Restore(IReadOnlyList<float[]> extra, int words, int d)
    {
        long values = (long)words * d;
        if (extra.Count != ExtraArrays || extra[0].Length != words || extra[1].Length != values || extra[2].Length != values
            || extra[3].Length != values || extra[4].Length != values || extra[5].Length != words || extra[6].Length != words || extra[7].Length != 3)
        {
            throw new ArgumentException($"The saved softmax state does not fit {words} words × {d} dimensions.", nameof(extra));
        }

        extra[0].CopyTo(_model.Bias, 0);
        for (int i = 0; i < _model.Moments.Count; i++)
        {
            extra[1 + i].CopyTo(_model.Moments[i], 0);
        }

        _model.Steps = UnpackLong(extra[7], 0);

        float[] pending = extra[8];
        if (pending.Length == 0)
        {
            return;
        }

        _chunkStartWords = UnpackLong(pending, 0);
        _chunkWords = (int)UnpackLong(pending, 3);
        _batchCount = (int)UnpackLong(pending, 6);
        _nextBatch = (int)UnpackLong(pending, 9);
        _firstBatch = _nextBatch;
        _examples = 0;
        _inputCount = 0;
        _inputOffsets[0] = 0;
        int[] inputs = new int[2 * Options.WindowSize];
        for (int i = 12; i < pending.Length;)
        {
            int target = (int)pending[i];
            int count = (int)pending[i + 1];
            if (count < 1 || count > inputs.Length || i + 2 + count > pending.Length)
            {
                throw new ArgumentException("The saved softmax state holds a corrupt example buffer.", nameof(extra));
            }

            for (int k = 0; k < count; k++)
            {
                inputs[k] = (int)pending[i + 2 + k];
            }

            AddExample(target, inputs.AsSpan(0, count));
            i += 2 + count;
        }

        _order = new int[Math.Max(_examples, 1)];
        for (int e = 0; e < _examples; e++)
        {
            _order[e] = e;
        }
    }

    /// <summary>A non-negative long as three 24-bit pieces, each exact in a float.</summary>
    private static float[] PackLong(long value) => [value & 0xFFFFFF, (value >> 24) & 0xFFFFFF, value >> 48];

    private static long UnpackLong(float[] values, int at) =>
        (long)values[at] | ((long)values[at + 1] << 24) | ((long)values[at + 2] << 48);

    private static double Uniform(ref Word2VecRandom random) => (Mix(random.Next()) >> 11) * (1.0 / (1UL << 53));

    /// <summary>The SplitMix64 finaliser, to spread the LCG's state over all 64 bits.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
