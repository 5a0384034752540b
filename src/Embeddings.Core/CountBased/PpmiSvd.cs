using System.Diagnostics;
using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Count-based word embeddings, the model of the course slides: co-occurrence counts within a symmetric window →
/// positive pointwise mutual information (PPMI, optionally with context-distribution smoothing) → truncated SVD by
/// randomized subspace iteration → word vectors <c>U_d · Σ_d^p</c>. Thread-safe: one trainer may train several corpora
/// at once.
/// </summary>
/// <remarks>
/// <para>
/// Memory: the corpus is held once as 32-bit word ids plus an eighth of an index of positions at a time (about 4.5
/// bytes a token), the PPMI
/// matrix as compressed sparse rows (8 bytes a positive entry, twice when <see cref="PpmiSvdOptions.ContextSmoothing"/>
/// ≠ 1 because its transpose is kept too), and the SVD a few dense <c>words × (Dimensions + Oversampling)</c> blocks of
/// doubles. Raw counts are never stored: each row is counted and turned into PPMI in a per-thread accumulator.
/// </para>
/// <para>
/// Reproducibility: for a given corpus, options and seed the vectors are bit-identical for any
/// <see cref="PpmiSvdOptions.Threads"/>.
/// </para>
/// </remarks>
public sealed class PpmiSvd
{
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);
    private readonly ILogger<PpmiSvd> _logger;

    /// <summary>Creates a trainer with validated options; see <see cref="PpmiSvdBuilder.Build"/>.</summary>
    internal PpmiSvd(PpmiSvdOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        _logger = loggerFactory.CreateLogger<PpmiSvd>();
    }

    /// <summary>The settings.</summary>
    public PpmiSvdOptions Options { get; }

    /// <summary>Starts configuring a trainer from the defaults of <see cref="PpmiSvdOptions"/>.</summary>
    public static PpmiSvdBuilder CreateBuilder() => new();

    /// <summary>Reads the sentences and computes the word vectors.</summary>
    /// <param name="sentences">Token sequences (for example a text pipeline's output); enumerated twice, once to count the
    /// words and once to encode them, so it must give the same sentences each time.</param>
    /// <param name="progress">Receives a few reports a second, from the calling thread; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked every few thousand sentences, between work items and between matrix products.</param>
    /// <returns>The vectors and a report of the run.</returns>
    /// <exception cref="ArgumentException">The corpus has fewer vocabulary words than <see cref="PpmiSvdOptions.Dimensions"/>,
    /// or too many tokens or matrix entries for one array.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public PpmiSvdResult Train(
        IEnumerable<IReadOnlyList<string>> sentences,
        IProgress<PpmiSvdProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        PpmiSvdOptions options = Options;
        PpmiLog.TrainingStarted(_logger, options);
        var reporter = new Reporter(progress);
        using var gang = new WorkerGang(options.Threads);

        // 1. Vocabulary and ids.
        var stage = Stopwatch.StartNew();
        (Vocabulary vocabulary, int[] ids, long keptTokens, long sentenceCount, long tokenCount) = ReadCorpus(sentences, options, reporter, cancellationToken);
        PpmiLog.CorpusRead(_logger, sentenceCount, tokenCount, vocabulary.Count, keptTokens, stage.Elapsed.TotalSeconds);
        int words = vocabulary.Count;
        if (words < options.Dimensions)
        {
            throw new ArgumentException(
                $"The corpus has {words} word(s) seen at least {options.MinCount} times, fewer than Dimensions ({options.Dimensions}); lower Dimensions or MinCount, or give more text.",
                nameof(sentences));
        }

        int width = Math.Min(options.Dimensions + options.Oversampling, words);
        if ((long)words * width > Array.MaxLength)
        {
            throw new ArgumentException(
                $"{words:N0} words × {width} SVD columns do not fit in one array; lower Dimensions, Oversampling or the vocabulary size.",
                nameof(sentences));
        }

        // 2. PPMI matrix (and its transpose).
        stage.Restart();
        PpmiMatrixBuilder.Result ppmi = PpmiMatrixBuilder.Build(
            ids,
            words,
            options.WindowSize,
            options.WindowWeighting,
            options.ContextSmoothing,
            gang,
            progress is null ? null : done => reporter.Report(PpmiSvdStage.Counting, done, keptTokens, force: false),
            cancellationToken);
        reporter.Report(PpmiSvdStage.Counting, keptTokens, keptTokens, force: true);
        PpmiLog.PpmiBuilt(_logger, ppmi.CooccurrencePairs, ppmi.Ppmi.NonZeros, stage.Elapsed.TotalSeconds);

        // 3. Randomized truncated SVD.
        stage.Restart();
        RandomizedSvd.Result svd = RandomizedSvd.Compute(
            ppmi.Ppmi,
            ppmi.Transposed,
            options.Dimensions,
            options.Oversampling,
            options.PowerIterations,
            options.Seed,
            gang,
            progress is null ? null : (done, total) => reporter.Report(PpmiSvdStage.Factorizing, done, total, force: done == total),
            cancellationToken);
        int products = RandomizedSvd.Steps(options.PowerIterations);
        PpmiLog.SvdDone(_logger, options.Dimensions, products, svd.SingularValues[0], stage.Elapsed.TotalSeconds);

        // 4. W = U_d · Σ_d^p.
        int dimensions = options.Dimensions;
        var scale = new double[dimensions];
        for (int j = 0; j < dimensions; j++)
        {
            scale[j] = options.EigenvalueWeighting == 0 ? 1.0 : Math.Pow(svd.SingularValues[j], options.EigenvalueWeighting);
        }

        var matrix = new float[words * dimensions];
        for (int i = 0; i < words; i++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                matrix[(i * dimensions) + j] = (float)(svd.U[(i * dimensions) + j] * scale[j]);
            }
        }

        var vectors = new WordVectors(vocabulary, matrix, dimensions);
        TimeSpan elapsed = reporter.Elapsed;
        PpmiLog.TrainingFinished(_logger, words, dimensions, elapsed.TotalSeconds);
        return new PpmiSvdResult(vectors, svd.SingularValues, options)
        {
            Sentences = sentenceCount,
            Tokens = tokenCount,
            KeptTokens = keptTokens,
            CooccurrencePairs = ppmi.CooccurrencePairs,
            PpmiEntries = ppmi.Ppmi.NonZeros,
            Elapsed = elapsed,
        };
    }

    /// <summary>
    /// Reads the sentences twice, as <see cref="Training.Word2VecTrainer"/> does: once to count the words into a
    /// <see cref="Vocabulary"/>, once to write their ids straight into the one array the PPMI matrix is counted from
    /// (see <see cref="PpmiMatrixBuilder.SeparatedIds"/>), sized from the counts so that the corpus is never held twice.
    /// Out-of-vocabulary tokens are dropped before any window is taken (as gensim and word2vec do), so a window spans
    /// <c>WindowSize</c> kept words; sentences are never split, and those left empty get no separator. Reading progress
    /// counts the tokens of both passes.
    /// </summary>
    private static (Vocabulary Vocabulary, int[] Ids, long KeptTokens, long Sentences, long Tokens) ReadCorpus(
        IEnumerable<IReadOnlyList<string>> sentences, PpmiSvdOptions options, Reporter reporter, CancellationToken cancellationToken)
    {
        var counter = new VocabularyCounter();
        long sentenceCount = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            ArgumentNullException.ThrowIfNull(sentence, nameof(sentences));
            if ((++sentenceCount & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter.Report(PpmiSvdStage.Reading, counter.Tokens, 0, force: false);
            }

            for (int i = 0; i < sentence.Count; i++)
            {
                counter.Add(sentence[i]);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        long tokenCount = counter.Tokens;
        Vocabulary vocabulary = counter.ToVocabulary(options.MinCount, options.MaxVocabularySize);
        long keptTokens = 0;
        for (int id = 0; id < vocabulary.Count; id++)
        {
            keptTokens += vocabulary.GetCount(id);
        }

        // At most one separator a sentence; the cells sentences left empty do not use stay separators at the end.
        int[] ids = PpmiMatrixBuilder.NewSeparatedIds(keptTokens, sentenceCount, nameof(sentences));
        int written = 0;
        long kept = 0;
        long read = 0;
        long seen = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            if ((++seen & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                reporter.Report(PpmiSvdStage.Reading, tokenCount + read, 2 * tokenCount, force: false);
            }

            int start = written;
            for (int i = 0; i < sentence.Count && written < ids.Length; i++) // bounded in case the second reading differs
            {
                if (vocabulary.TryGetId(sentence[i], out int id))
                {
                    ids[written++] = id;
                    kept++;
                }
            }

            if (written > start && written < ids.Length)
            {
                ids[written++] = PpmiMatrixBuilder.Separator;
            }

            read += sentence.Count;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (kept != keptTokens || seen != sentenceCount)
        {
            throw new ArgumentException("The sentences were not the same on the second reading; they must be enumerable twice with the same result.", nameof(sentences));
        }

        ids.AsSpan(written).Fill(PpmiMatrixBuilder.Separator);
        reporter.Report(PpmiSvdStage.Reading, 2 * tokenCount, 2 * tokenCount, force: true);
        return (vocabulary, ids, keptTokens, sentenceCount, tokenCount);
    }

    /// <summary>
    /// Sends progress at most every <see cref="ReportInterval"/>, and always the first report of a stage and the forced
    /// ones (a stage's end); used from the calling thread only.
    /// </summary>
    private sealed class Reporter(IProgress<PpmiSvdProgress>? progress)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _last = -ReportInterval;
        private PpmiSvdStage? _stage;

        public TimeSpan Elapsed => _clock.Elapsed;

        public void Report(PpmiSvdStage stage, long completed, long total, bool force)
        {
            if (progress is null)
            {
                return;
            }

            TimeSpan now = _clock.Elapsed;
            if (!force && stage == _stage && now - _last < ReportInterval)
            {
                return;
            }

            _last = now;
            _stage = stage;
            progress.Report(new PpmiSvdProgress { Stage = stage, Completed = completed, Total = total, Elapsed = now });
        }
    }
}
