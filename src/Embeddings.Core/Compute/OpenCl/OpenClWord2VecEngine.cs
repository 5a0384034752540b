using System.Diagnostics;
using System.Globalization;
using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;
using Embeddings.Core.Training;

namespace Embeddings.Core.Compute.OpenCl;

/// <summary>
/// The OpenCL word2vec engine: skip-gram (noise shared per window) and CBOW with negative sampling, the kernels of
/// <c>Kernels/word2vec.cl</c>. The host streams batches of corpus chunks: while the device trains one batch, the next
/// is read and queued behind it (two pinned host buffers), and the previous batch's losses come back.
/// </summary>
/// <remarks>
/// Subsampling, windows and noise words are drawn on the device from a counter-based generator keyed by the seed and
/// each sentence's position in the run, so the generator has no state: a checkpoint from any backend resumes here.
/// Work-groups update the weights Hogwild, so runs are not bit-reproducible.
/// </remarks>
internal sealed class OpenClWord2VecEngine : Word2VecEngine
{
    /// <summary>Buffers allocated per weight matrix beyond the two matrices: tables, tokens, scratch (bytes, rough).</summary>
    private const long Overhead = 64L << 20;

    private readonly OpenClSession _session;
    private readonly OpenClProgramHandle _program;
    private readonly OpenClKernelHandle _kernel;
    private readonly OpenClBufferHandle _input;
    private readonly OpenClBufferHandle _output;
    private readonly OpenClBufferHandle _keep;
    private readonly OpenClBufferHandle _acceptance;
    private readonly OpenClBufferHandle _alias;
    private readonly OpenClBufferHandle _tables;
    private readonly OpenClBufferHandle _negatives;
    private readonly ulong _seed;
    private readonly long _batchWords;
    private readonly Batch[] _batches = [new(), new()];
    private OpenClBufferHandle? _tokens;
    private OpenClBufferHandle? _starts;
    private OpenClBufferHandle? _kept;
    private OpenClBufferHandle? _loss;
    private OpenClBufferHandle? _predictions;
    private int _tokenCapacity;
    private int _sentenceCapacity;

    /// <summary>Opens the kernels on <paramref name="session"/>, which the engine then owns.</summary>
    /// <param name="session">The device's context and queue.</param>
    /// <param name="options">Validated options.</param>
    /// <param name="vocabulary">The words.</param>
    /// <param name="start">Weights to start from, or null for word2vec.c's initialisation.</param>
    /// <param name="fixedNegatives">The tests' deterministic mode: these noise words for every centre instead of draws.</param>
    /// <param name="rowUpdates">How work-groups add to shared rows; null: <see cref="ChooseRowUpdates"/>.</param>
    public OpenClWord2VecEngine(OpenClSession session, Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start, int[]? fixedNegatives = null, RowUpdates? rowUpdates = null)
        : base(options, vocabulary, start)
    {
        _session = session;
        try
        {
            CheckMemory(session.Info, vocabulary.Count, options.Dimensions);
            LocalSize = ChooseLocalSize(session, options);
            int targets = options.NegativeSamples + 1;
            int perItem = (options.Dimensions + LocalSize - 1) / LocalSize;
            if (targets * perItem > 4096)
            {
                throw new ArgumentException(
                    $"{options.Dimensions} dimensions × {targets} targets need {targets * perItem} registers per work-item on {session.Info.Name}; lower Dimensions or NegativeSamples, or train on ComputeDevice.Cpu().",
                    nameof(options));
            }

            string defines = string.Create(CultureInfo.InvariantCulture,
                $"-D DIMS={options.Dimensions} -D LOCAL={LocalSize} -D NEG={options.NegativeSamples} -D WINDOW={options.WindowSize} " +
                $"-D SHRINK={(options.ShrinkWindows ? 1 : 0)} -D CBOW_MEAN={(options.CbowMean ? 1 : 0)}{(fixedNegatives is null ? "" : " -D FIXED_NEGATIVES")}");
            RowUpdates = rowUpdates ?? ChooseRowUpdates(session.Info);
            try
            {
                _program = session.BuildProgram(KernelSource.Word2Vec, $"{defines} -D ROW_UPDATES={(int)RowUpdates}");
            }
            catch (InvalidOperationException) when (rowUpdates is null && RowUpdates == RowUpdates.Reduction)
            {
                // A driver whose compiler takes no inline PTX: the portable atomic instead.
                RowUpdates = RowUpdates.CompareAndSwap;
                _program = session.BuildProgram(KernelSource.Word2Vec, $"{defines} -D ROW_UPDATES={(int)RowUpdates}");
            }

            _kernel = OpenClSession.CreateKernel(_program, options.Architecture == Word2VecArchitecture.Cbow ? "cbow" : "skip_gram");

            int d = options.Dimensions;
            long values = (long)vocabulary.Count * d;
            _input = session.CreateBuffer(values * sizeof(float), readOnly: false);
            _output = session.CreateBuffer(values * sizeof(float), readOnly: false);
            session.Write<float>(_input, Input);
            session.Write<float>(_output, Output);

            var noise = NoiseDistribution.Create(vocabulary, options.NoiseExponent);
            float[] keep = [.. vocabulary.SubsamplingKeepProbabilities(options.SubsamplingThreshold).Select(p => (float)p)];
            _keep = Upload<float>(keep);
            _acceptance = Upload(noise.Acceptance);
            _alias = Upload(noise.Alias);
            _tables = Upload<float>(NegativeSamplingKernels.Tables());
            _negatives = Upload<int>(fixedNegatives ?? [0]);
            _seed = options.Seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL;
            _batchWords = BatchWordsOverride() ?? Math.Clamp(session.Info.ComputeUnits * 4096L, ChunkWords, 1_000_000);
        }
        catch
        {
            DisposeDevice();
            throw;
        }
    }

    /// <summary>The environment variable that sets the words of one launch (tuning; default 4,096 per compute unit).</summary>
    public const string BatchWordsVariable = "EMBEDDINGS_OPENCL_BATCH_WORDS";

    private static long? BatchWordsOverride() =>
        long.TryParse(Environment.GetEnvironmentVariable(BatchWordsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out long words)
            ? Math.Clamp(words, 1_000, 10_000_000)
            : null;

    /// <summary>How the kernels add to rows other work-groups may be updating at the same time.</summary>
    public RowUpdates RowUpdates { get; }

    /// <summary>
    /// Read-modify-write on a CPU device (a few work-groups at once: the CPU backend's Hogwild, and bit-for-bit the
    /// scalar reference); atomic additions on GPUs, where thousands of work-groups in flight would otherwise lose most
    /// updates to the frequent words' rows: NVIDIA's PTX reduction, else compare-and-swap.
    /// <see cref="RowUpdatesVariable"/> (plain, cas, reduction) overrides the choice, for measurements.
    /// </summary>
    public static RowUpdates ChooseRowUpdates(OpenClDeviceInfo device) =>
        Environment.GetEnvironmentVariable(RowUpdatesVariable)?.ToLowerInvariant() switch
        {
            "plain" => RowUpdates.ReadModifyWrite,
            "cas" => RowUpdates.CompareAndSwap,
            "reduction" => RowUpdates.Reduction,
            _ when device.Type == OpenClDeviceType.Cpu => RowUpdates.ReadModifyWrite,
            _ when device.PlatformName.Contains("NVIDIA", StringComparison.OrdinalIgnoreCase) => RowUpdates.Reduction,
            _ => RowUpdates.CompareAndSwap,
        };

    /// <summary>The environment variable that overrides <see cref="ChooseRowUpdates"/>: plain, cas or reduction.</summary>
    public const string RowUpdatesVariable = "EMBEDDINGS_OPENCL_ROW_UPDATES";

    /// <summary>Work-items per work-group.</summary>
    public int LocalSize { get; }

    public override TrainingState InitialState() => new() { RandomStates = SaveRandomStates() };

    /// <summary>Nothing to restore: every draw is a function of the seed and the sentence's position in the run.</summary>
    protected override void RestoreRandomStates(Word2VecRandom[] states)
    {
    }

    /// <summary>One stream that records the generator's key, for the record; restoring ignores it.</summary>
    protected override Word2VecRandom[] SaveRandomStates() => [new Word2VecRandom(_seed)];

    protected override (double Loss, long Predictions) TrainSegment(
        ChunkFeed feed, TrainingState state, ProgressReporter reporter, CancellationToken cancellationToken)
    {
        double loss = state.EpochLoss;
        long predictions = state.EpochPredictions;
        var clock = Stopwatch.StartNew();
        Batch? pending = null;
        for (int index = 0; !cancellationToken.IsCancellationRequested; index++)
        {
            // Reading batch i + 1 overlaps the device's work on batch i: its host buffer was last used by batch i − 1,
            // whose losses were read back (so its commands finished) at the end of the previous iteration.
            Batch batch = _batches[index & 1];
            if (!batch.Fill(feed, ref WordsDone, _batchWords))
            {
                break;
            }

            Enqueue(batch);
            if (pending is not null)
            {
                (loss, predictions) = pending.Collect(loss, predictions);
            }

            pending = batch;
            if (reporter.Active && clock.ElapsedMilliseconds >= 250)
            {
                reporter.Report(loss, predictions);
                clock.Restart();
            }
        }

        if (pending is not null)
        {
            (loss, predictions) = pending.Collect(loss, predictions);
        }

        return (loss, predictions);
    }

    /// <summary>
    /// The tests' entry point: trains the sentences of <paramref name="chunk"/> as one batch (one work-group per
    /// sentence) outside any run, then copies the weights back to the host. No run means no schedule, so a test fixes
    /// the learning rate by setting MinLearningRate to LearningRate.
    /// </summary>
    internal (double Loss, long Predictions) TrainChunk(CorpusChunk chunk)
    {
        Batch batch = _batches[0];
        long done = 0;
        batch.Add(chunk, ref done);
        Enqueue(batch);
        (double loss, long predictions) = batch.Collect(0, 0);
        SyncToHost();
        return (loss, predictions);
    }

    protected override void SyncToHost()
    {
        _session.Read<float>(_output, Output);
        _session.Read<float>(_input, Input);
    }

    public override void Dispose()
    {
        DisposeDevice();
        base.Dispose();
    }

    /// <summary>word2vec's matrices must each fit in one buffer, and both in device memory.</summary>
    /// <exception cref="ArgumentException">They do not fit.</exception>
    internal static void CheckMemory(OpenClDeviceInfo info, int words, int dimensions)
    {
        long matrix = (long)words * dimensions * sizeof(float);
        if (matrix > info.MaxAllocationBytes || 2 * matrix + Overhead > info.GlobalMemoryBytes)
        {
            throw new ArgumentException(
                $"{words:N0} words × {dimensions} dimensions need two matrices of {matrix / (1 << 20):N0} MiB; {info.Name} allows {info.MaxAllocationBytes / (1 << 20):N0} MiB per buffer and has {info.GlobalMemoryBytes / (1 << 20):N0} MiB in all. Lower Dimensions, raise MinCount or set MaxVocabularySize, or train on ComputeDevice.Cpu().",
                nameof(words));
        }
    }

    private static int ChooseLocalSize(OpenClSession session, Word2VecOptions options)
    {
        // GPUs: a work-item per dimension up to 256. CPU devices run a work-group as loops over its work-items, where
        // fewer, wider work-items mean fewer trips per barrier.
        // Every work-item owns at least one dimension (the largest power of two not above Dimensions): PoCL 3.1 was
        // seen to miscompile skip-gram's guarded write-back for work-items that own none.
        int wanted = session.Info.Type == OpenClDeviceType.Gpu ? 256 : 32;
        int local = (int)Math.Min((uint)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)options.Dimensions + 1) / 2, (uint)wanted);
        local = Math.Min(local, (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)session.MaxWorkGroupSize + 1) / 2);

        // The reduction array (1 + k) × LOCAL floats must fit in local memory with room to spare.
        while (local > 1 && (long)(options.NegativeSamples + 1) * local * sizeof(float) > session.LocalMemory / 2)
        {
            local /= 2;
        }

        return Math.Max(local, 1);
    }

    private void Enqueue(Batch batch)
    {
        EnsureCapacity(batch.TokenCount, batch.SentenceCount);
        _session.WriteAsync(_tokens!, batch.Tokens, batch.TokenCount);
        _session.WriteAsync(_starts!, batch.Starts, batch.SentenceCount + 1);
        uint a = 0;
        OpenClSession.SetArgument(_kernel, a++, _input);
        OpenClSession.SetArgument(_kernel, a++, _output);
        OpenClSession.SetArgument(_kernel, a++, _tokens!);
        OpenClSession.SetArgument(_kernel, a++, _starts!);
        OpenClSession.SetArgument(_kernel, a++, _kept!);
        OpenClSession.SetArgument(_kernel, a++, _keep);
        OpenClSession.SetArgument(_kernel, a++, _acceptance);
        OpenClSession.SetArgument(_kernel, a++, _alias);
        OpenClSession.SetArgument(_kernel, a++, _tables);
        OpenClSession.SetArgument(_kernel, a++, _negatives);
        OpenClSession.SetArgument(_kernel, a++, _loss!);
        OpenClSession.SetArgument(_kernel, a++, _predictions!);
        OpenClSession.SetArgument(_kernel, a++, _seed);
        OpenClSession.SetArgument(_kernel, a++, batch.WordsBefore);
        OpenClSession.SetArgument(_kernel, a++, PlannedWords);
        OpenClSession.SetArgument(_kernel, a++, (float)Options.LearningRate);
        OpenClSession.SetArgument(_kernel, a++, (float)Options.MinLearningRate);
        OpenClSession.SetArgument(_kernel, a, Vocabulary.Count);
        _session.Launch(_kernel, batch.SentenceCount, LocalSize);
        batch.LossRead?.Dispose();
        batch.PredictionsRead?.Dispose();
        batch.PredictionsRead = _session.ReadAsync(_predictions!, batch.Predictions, batch.SentenceCount);
        batch.LossRead = _session.ReadAsync(_loss!, batch.Losses, batch.SentenceCount);
        _session.Flush();
    }

    private void EnsureCapacity(int tokens, int sentences)
    {
        if (tokens > _tokenCapacity)
        {
            // The queue is in order: the old buffers are released only after the commands queued on them ran.
            _session.Finish();
            _tokens?.Dispose();
            _kept?.Dispose();
            _tokenCapacity = Math.Max(tokens, (int)Math.Min(_batchWords * 2, int.MaxValue / 2));
            _tokens = _session.CreateBuffer((long)_tokenCapacity * sizeof(int), readOnly: true);
            _kept = _session.CreateBuffer((long)_tokenCapacity * sizeof(int), readOnly: false);
        }

        if (sentences + 1 > _sentenceCapacity)
        {
            _session.Finish();
            _starts?.Dispose();
            _loss?.Dispose();
            _predictions?.Dispose();
            _sentenceCapacity = Math.Max(sentences + 1, 4096);
            _starts = _session.CreateBuffer((long)_sentenceCapacity * sizeof(int), readOnly: true);
            _loss = _session.CreateBuffer((long)_sentenceCapacity * sizeof(float), readOnly: false);
            _predictions = _session.CreateBuffer((long)_sentenceCapacity * sizeof(int), readOnly: false);
        }
    }

    private OpenClBufferHandle Upload<T>(ReadOnlySpan<T> values)
        where T : unmanaged
    {
        OpenClBufferHandle buffer = _session.CreateBuffer((long)values.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>(), readOnly: true);
        _session.Write(buffer, values);
        return buffer;
    }

    private void DisposeDevice()
    {
        foreach (Batch batch in _batches)
        {
            batch.LossRead?.Dispose();
            batch.PredictionsRead?.Dispose();
        }

        _kernel?.Dispose();
        _program?.Dispose();
        foreach (OpenClBufferHandle? buffer in (OpenClBufferHandle?[])[_input, _output, _keep, _acceptance, _alias, _tables, _negatives, _tokens, _starts, _kept, _loss, _predictions])
        {
            buffer?.Dispose();
        }

        _session.Dispose();
    }

    /// <summary>The sentences of a few chunks, back to back, in pinned arrays the device reads without waiting.</summary>
    private sealed class Batch
    {
        public int[] Tokens { get; private set; } = GC.AllocateUninitializedArray<int>(1 << 16, pinned: true);

        public int[] Starts { get; private set; } = GC.AllocateUninitializedArray<int>(4096, pinned: true);

        public float[] Losses { get; private set; } = GC.AllocateUninitializedArray<float>(4096, pinned: true);

        public int[] Predictions { get; private set; } = GC.AllocateUninitializedArray<int>(4096, pinned: true);

        public int TokenCount { get; private set; }

        public int SentenceCount { get; private set; }

        /// <summary>Corpus words processed before the batch's first sentence: the start of its learning-rate schedule.</summary>
        public long WordsBefore { get; set; }

        public OpenClEventHandle? LossRead { get; set; }

        public OpenClEventHandle? PredictionsRead { get; set; }

        /// <summary>Takes chunks from <paramref name="feed"/> until about <paramref name="words"/> words; false when none came.</summary>
        public bool Fill(ChunkFeed feed, ref long wordsDone, long words)
        {
            TokenCount = 0;
            SentenceCount = 0;
            WordsBefore = wordsDone;
            while (TokenCount < words && feed.TryTake(wordsDone, out CorpusChunk chunk))
            {
                Add(chunk, ref wordsDone);
            }

            return SentenceCount > 0;
        }

        /// <summary>Appends a chunk's sentences; adds their words to <paramref name="wordsDone"/>.</summary>
        public void Add(CorpusChunk chunk, ref long wordsDone)
        {
            if (chunk.SentenceCount == 0)
            {
                return;
            }

            Tokens = Grow(Tokens, TokenCount + chunk.Tokens.Length);
            Starts = Grow(Starts, SentenceCount + chunk.SentenceCount + 1);
            Losses = Grow(Losses, SentenceCount + chunk.SentenceCount);
            Predictions = Grow(Predictions, SentenceCount + chunk.SentenceCount);
            chunk.Tokens.Span.CopyTo(Tokens.AsSpan(TokenCount));
            ReadOnlySpan<int> ends = chunk.SentenceEnds.Span;
            Starts[0] = 0;
            for (int s = 0; s < ends.Length; s++)
            {
                Starts[SentenceCount + s + 1] = TokenCount + ends[s];
            }

            TokenCount += chunk.Tokens.Length;
            SentenceCount += ends.Length;
            wordsDone += chunk.Tokens.Length;
        }

        /// <summary>Waits for the batch's losses and adds them, sentence by sentence, to the running totals.</summary>
        public (double Loss, long Predictions) Collect(double loss, long predictions)
        {
            OpenClSession.Wait(LossRead!);
            OpenClSession.Wait(PredictionsRead!);
            for (int s = 0; s < SentenceCount; s++)
            {
                loss += Losses[s];
                predictions += Predictions[s];
            }

            return (loss, predictions);
        }

        /// <summary>The array, or a larger pinned copy of it when it cannot hold <paramref name="needed"/> items.</summary>
        private static T[] Grow<T>(T[] array, int needed)
        {
            if (array.Length >= needed)
            {
                return array;
            }

            T[] larger = GC.AllocateUninitializedArray<T>((int)Math.Min(Math.Max(needed, (long)array.Length * 2), Array.MaxLength), pinned: true);
            array.CopyTo(larger, 0);
            return larger;
        }
    }
}

/// <summary>The OpenCL C sources embedded in the assembly.</summary>
internal static class KernelSource
{
    /// <summary><c>Kernels/word2vec.cl</c>.</summary>
    public static string Word2Vec { get; } = Read("word2vec.cl");

    private static string Read(string name)
    {
        using Stream stream = typeof(KernelSource).Assembly.GetManifestResourceStream($"Embeddings.Core.Compute.OpenCl.Kernels.{name}")
            ?? throw new InvalidOperationException($"The kernel source {name} is not embedded in {typeof(KernelSource).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>How the OpenCL kernels add to shared rows (the kernel's <c>ROW_UPDATES</c>).</summary>
internal enum RowUpdates
{
    /// <summary>Read, add, write: Hogwild as on the CPU; updates that collide are lost.</summary>
    ReadModifyWrite = 0,

    /// <summary>A compare-and-swap loop (OpenCL 1.1 <c>atomic_cmpxchg</c>): portable, loses no update.</summary>
    CompareAndSwap = 1,

    /// <summary>NVIDIA's <c>red.add.f32</c> through inline PTX: an atomic addition the device need not answer.</summary>
    Reduction = 2,
}
