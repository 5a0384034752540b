using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Builds the PPMI matrix of an encoded corpus, one word (row) at a time, without ever storing the raw counts.
/// </summary>
/// <remarks>
/// <para>
/// 1. One pass over the ids gives, for every word, its co-occurrence total #(w) = Σ_c #(w, c) in closed form
/// (the weights of the window positions that fit in its sentence), and an inverted index: the positions of every word.
/// The counts are symmetric (#(w, c) = #(c, w)), so #(w) is both the row and the column marginal.
/// </para>
/// <para>
/// 2. Row w is counted by visiting the windows of all its positions into a dense per-worker accumulator
/// (Gustavson's sparse accumulator), then turned in place into PPMI:
/// <c>PMI(w, c) = log #(w, c) − log #(w) − log P_α(c)</c> with <c>P_α(c) = #(c)^α / Σ_c' #(c')^α</c>
/// (Levy, Goldberg &amp; Dagan 2015; α = 1 gives the textbook <c>log(#(w,c)·D / (#(w)·#(c)))</c>). Only positive
/// values are kept. Because the counts are symmetric, the same row also gives row w of the transpose,
/// <c>PMI(c, w)</c>, so Aᵀ is built alongside A with no transposition; with α = 1 the matrix is symmetric and A
/// itself is returned as its transpose.
/// </para>
/// <para>
/// Every row is computed by one worker in a fixed order, so the matrix is bit-identical for any number of threads.
/// </para>
/// </remarks>
internal static class PpmiMatrixBuilder
{
    /// <summary>Rows whose distinct contexts exceed 1/16 of the vocabulary are emitted by a dense scan instead of a sort.</summary>
    private const int DenseScanDivisor = 16;

    /// <summary>Marks a sentence end in the ids the rows are counted from; a window never crosses it.</summary>
    internal const int Separator = -1;

    /// <summary>The inverted index is built in about this many parts, one held at a time.</summary>
    private const int IndexRounds = 8;

    /// <summary>The matrix, its transpose (the same object when symmetric), the distinct (word, context) pairs, the total
    /// co-occurrence weight, and the most positions the inverted index held at once (one round's).</summary>
    internal sealed record Result(CsrMatrix Ppmi, CsrMatrix Transposed, long CooccurrencePairs, double TotalWeight, int LargestIndexPart);

    /// <summary>Builds the PPMI matrix and its transpose of an encoded corpus (copied once into separated ids).</summary>
    public static Result Build(
        EncodedCorpus corpus,
        int windowSize,
        WindowWeighting weighting,
        double contextSmoothing,
        WorkerGang gang,
        Action<long>? tick,
        CancellationToken cancellationToken) =>
        Build(SeparatedIds(corpus), corpus.VocabularySize, windowSize, weighting, contextSmoothing, gang, tick, cancellationToken);

    /// <summary>Builds the PPMI matrix and its transpose.</summary>
    /// <param name="ids">The corpus as separated ids (see <see cref="SeparatedIds"/>); trailing separators are allowed.
    /// It is the only copy of the corpus held: the inverted index is built a part at a time beside it.</param>
    /// <param name="words">The size of the vocabulary the ids index into.</param>
    /// <param name="windowSize">Maximum distance of a context word.</param>
    /// <param name="weighting">Weight of a context at distance d.</param>
    /// <param name="contextSmoothing">α of the smoothed context distribution (1 = none).</param>
    /// <param name="gang">Workers.</param>
    /// <param name="tick">Called on the caller's thread with the number of center tokens processed so far.</param>
    /// <param name="cancellationToken">Checked between work items.</param>
    public static Result Build(
        int[] ids,
        int words,
        int windowSize,
        WindowWeighting weighting,
        double contextSmoothing,
        WorkerGang gang,
        Action<long>? tick,
        CancellationToken cancellationToken)
    {
        double[] weights = Weights(windowSize, weighting);
        var prefix = new double[windowSize + 1];
        for (int d = 1; d <= windowSize; d++)
        {
            prefix[d] = prefix[d - 1] + weights[d];
        }

        // Pass 1: occurrences, marginals #(w) and the inverted index.
        var occurrences = new int[words + 1];
        var marginals = new double[words];
        int sentenceStart = 0;
        for (int p = 0; p <= ids.Length; p++)
        {
            if (p < ids.Length && ids[p] != Separator)
            {
                continue;
            }

            for (int i = sentenceStart; i < p; i++)
            {
                int id = ids[i];
                occurrences[id + 1]++;
                marginals[id] += prefix[Math.Min(windowSize, i - sentenceStart)] + prefix[Math.Min(windowSize, p - 1 - i)];
            }

            sentenceStart = p + 1;
        }

        cancellationToken.ThrowIfCancellationRequested();
        for (int w = 0; w < words; w++)
        {
            occurrences[w + 1] += occurrences[w];
        }

        int[] positionStarts = occurrences;

        // log #(w) and log P_α(c); zero marginals belong to words that never co-occur and are never looked up.
        double total = 0;
        double smoothedTotal = 0;
        var logMarginals = new double[words];
        var logContexts = new double[words];
        for (int w = 0; w < words; w++)
        {
            total += marginals[w];
            if (marginals[w] > 0)
            {
                logMarginals[w] = Math.Log(marginals[w]);
                smoothedTotal += Math.Pow(marginals[w], contextSmoothing);
            }
        }

        bool symmetric = contextSmoothing == 1.0;
        double logTotal = total > 0 ? Math.Log(total) : 0;
        double logSmoothedTotal = smoothedTotal > 0 ? Math.Log(smoothedTotal) : 0;
        for (int c = 0; c < words; c++)
        {
            logContexts[c] = (contextSmoothing * logMarginals[c]) - logSmoothedTotal;
        }

        // Pass 2: rows, in work items of about equal numbers of occurrences (ids are by frequency, so the first items
        // hold few rows and are claimed first).
        long occurrenceCount = positionStarts[words];
        long itemTarget = Math.Max(1, occurrenceCount / (gang.Workers * 32L));
        var bounds = new List<int> { 0 };
        for (int w = 0; w < words; w++)
        {
            if (positionStarts[w + 1] - positionStarts[bounds[^1]] >= itemTarget)
            {
                bounds.Add(w + 1);
            }
        }

        if (bounds[^1] != words)
        {
            bounds.Add(words);
        }

        // The rows are computed in rounds of work items holding about 1/IndexRounds of the occurrences, each round with
        // the inverted index of its rows only: the index costs an eighth of the ids instead of as much again. A row's
        // positions are the same ascending list either way, so the values do not depend on the rounds.
        var blocks = new RowBlock[bounds.Count - 1];
        var scratch = new RowScratch?[gang.Workers];
        long roundTarget = Math.Max(1, occurrenceCount / IndexRounds);
        var roundEnds = new List<int>();
        int largestIndexPart = 0;
        for (int roundStart = 0, roundEnd; roundStart < blocks.Length; roundStart = roundEnd)
        {
            roundEnd = roundStart + 1;
            while (roundEnd < blocks.Length && positionStarts[bounds[roundEnd + 1]] - positionStarts[bounds[roundStart]] <= roundTarget)
            {
                roundEnd++;
            }

            roundEnds.Add(roundEnd);
            largestIndexPart = Math.Max(largestIndexPart, positionStarts[bounds[roundEnd]] - positionStarts[bounds[roundStart]]);
        }

        var positions = new int[largestIndexPart]; // one buffer for every round: no large garbage left for the collector
        long processed = 0;
        int nextRound = 0;
        foreach (int roundEnd in roundEnds)
        {
            int roundStart = nextRound;
            nextRound = roundEnd;
            int firstRow = bounds[roundStart];
            FillPositions(ids, positionStarts, firstRow, bounds[roundEnd], positions);
            var rowKernel = new RowKernel(ids, positionStarts, positionStarts[firstRow], positions, weights, windowSize, logMarginals, logContexts, logTotal, symmetric);
            gang.For(
                roundEnd - roundStart,
                (index, worker) =>
                {
                    int item = roundStart + index;
                    RowScratch local = scratch[worker] ??= new RowScratch(words);
                    blocks[item] = rowKernel.ComputeRows(bounds[item], bounds[item + 1], local);
                    Interlocked.Add(ref processed, positionStarts[bounds[item + 1]] - positionStarts[bounds[item]]);
                },
                tick is null ? null : () => tick(Volatile.Read(ref processed)),
                cancellationToken);
        }

        long pairs = 0;
        var direct = new CsrBlock[blocks.Length];
        var transposed = new CsrBlock[blocks.Length];
        for (int i = 0; i < blocks.Length; i++)
        {
            pairs += blocks[i].Pairs;
            direct[i] = blocks[i].Direct;
            transposed[i] = blocks[i].Transposed;
        }

        var ppmi = new CsrMatrix(words, words, direct);
        return new Result(ppmi, symmetric ? ppmi : new CsrMatrix(words, words, transposed), pairs, total, largestIndexPart);
    }

    /// <summary>
    /// Writes the inverted index of rows [<paramref name="firstRow"/>, <paramref name="endRow"/>) to the start of
    /// <paramref name="positions"/>: the positions of each row's occurrences in ascending order, row after row; row r's
    /// start at <c>positionStarts[r] − positionStarts[firstRow]</c>.
    /// </summary>
    private static void FillPositions(int[] ids, int[] positionStarts, int firstRow, int endRow, int[] positions)
    {
        int offset = positionStarts[firstRow];
        var next = new int[endRow - firstRow];
        for (int row = firstRow; row < endRow; row++)
        {
            next[row - firstRow] = positionStarts[row] - offset;
        }

        for (int p = 0; p < ids.Length; p++)
        {
            int id = ids[p];
            if (id >= firstRow && id < endRow)
            {
                positions[next[id - firstRow]++] = p;
            }
        }
    }

    /// <summary>
    /// The corpus as one array: each sentence's ids followed by <see cref="Separator"/>, so that a window stops at a
    /// sentence end with one comparison.
    /// </summary>
    /// <exception cref="ArgumentException">The ids and separators do not fit in one array.</exception>
    internal static int[] SeparatedIds(EncodedCorpus corpus)
    {
        int[] ids = NewSeparatedIds(corpus.TokenCount, corpus.SentenceCount, nameof(corpus));
        int written = 0;
        foreach (CorpusChunk chunk in corpus.ReadChunks(int.MaxValue))
        {
            for (int s = 0; s < chunk.SentenceCount; s++)
            {
                ReadOnlySpan<int> sentence = chunk.Sentence(s);
                sentence.CopyTo(ids.AsSpan(written));
                written += sentence.Length;
                ids[written++] = Separator;
            }
        }

        return ids;
    }

    /// <summary>An array for <paramref name="tokens"/> ids and at most <paramref name="sentences"/> separators.</summary>
    /// <exception cref="ArgumentException">They do not fit in one array (named after <paramref name="parameter"/>).</exception>
    internal static int[] NewSeparatedIds(long tokens, long sentences, string parameter)
    {
        long length = tokens + sentences;
        return length <= Array.MaxLength
            ? new int[length]
            : throw new ArgumentException(
                $"The corpus holds {tokens:N0} tokens of vocabulary words, more than one array of ids can hold; raise MinCount or train on part of it.",
                parameter);
    }

    /// <summary>Weight of a context at distance d = 1..windowSize (index 0 unused).</summary>
    internal static double[] Weights(int windowSize, WindowWeighting weighting)
    {
        var weights = new double[windowSize + 1];
        for (int d = 1; d <= windowSize; d++)
        {
            weights[d] = weighting switch
            {
                WindowWeighting.InverseDistance => 1.0 / d,
                WindowWeighting.Linear => (windowSize - d + 1) / (double)windowSize,
                _ => 1.0,
            };
        }

        return weights;
    }

    /// <summary>The rows of one work item: A's rows and Aᵀ's rows over the same row range.</summary>
    private sealed record RowBlock(CsrBlock Direct, CsrBlock Transposed, long Pairs);

    /// <summary>A worker's scratch, allocated once per worker: the dense accumulator and growable outputs.</summary>
    private sealed class RowScratch(int words)
    {
        public double[] Accumulator { get; } = new double[words];

        public int[] Touched { get; } = new int[words];

        public GrowableRows Direct { get; } = new();

        public GrowableRows Transposed { get; } = new();
    }

    private sealed class GrowableRows
    {
        private int[] _columns = new int[1 << 16];
        private float[] _values = new float[1 << 16];
        private int _count;

        public void Clear() => _count = 0;

        public int Count => _count;

        public void Add(int column, float value)
        {
            if (_count == _columns.Length)
            {
                Array.Resize(ref _columns, _columns.Length * 2);
                Array.Resize(ref _values, _values.Length * 2);
            }

            _columns[_count] = column;
            _values[_count] = value;
            _count++;
        }

        /// <summary>An exact-size copy of the rows gathered since <see cref="Clear"/>.</summary>
        public CsrBlock ToBlock(int firstRow, int[] rowPointers) =>
            new(firstRow, rowPointers, _columns.AsSpan(0, _count).ToArray(), _values.AsSpan(0, _count).ToArray());
    }

    /// <summary>The per-row computation of one round (<c>positions</c> holds its rows' index, from <c>positionOffset</c>); immutable, shared by all workers.</summary>
    private sealed class RowKernel(
        int[] ids,
        int[] positionStarts,
        int positionOffset,
        int[] positions,
        double[] weights,
        int windowSize,
        double[] logMarginals,
        double[] logContexts,
        double logTotal,
        bool symmetric)
    {
        public RowBlock ComputeRows(int firstRow, int endRow, RowScratch scratch)
        {
            double[] accumulator = scratch.Accumulator;
            int[] touched = scratch.Touched;
            GrowableRows direct = scratch.Direct;
            GrowableRows transposed = scratch.Transposed;
            direct.Clear();
            transposed.Clear();
            var directPointers = new int[endRow - firstRow + 1];
            int[] transposedPointers = symmetric ? [] : new int[endRow - firstRow + 1];
            long pairs = 0;

            for (int row = firstRow; row < endRow; row++)
            {
                int touchedCount = CountRow(row, accumulator, touched);
                pairs += touchedCount;
                double logRow = logMarginals[row];
                double logContextOfRow = logContexts[row];

                if (touchedCount > accumulator.Length / DenseScanDivisor)
                {
                    for (int c = 0; c < accumulator.Length; c++)
                    {
                        if (accumulator[c] != 0)
                        {
                            Emit(row, c, accumulator[c], logRow, logContextOfRow, direct, transposed);
                            accumulator[c] = 0;
                        }
                    }
                }
                else
                {
                    Span<int> columns = touched.AsSpan(0, touchedCount);
                    columns.Sort();
                    foreach (int c in columns)
                    {
                        Emit(row, c, accumulator[c], logRow, logContextOfRow, direct, transposed);
                        accumulator[c] = 0;
                    }
                }

                directPointers[row - firstRow + 1] = direct.Count;
                if (!symmetric)
                {
                    transposedPointers[row - firstRow + 1] = transposed.Count;
                }
            }

            CsrBlock directBlock = direct.ToBlock(firstRow, directPointers);
            CsrBlock transposedBlock = symmetric ? directBlock : transposed.ToBlock(firstRow, transposedPointers);
            return new RowBlock(directBlock, transposedBlock, pairs);
        }

        /// <summary>Adds the windows of every occurrence of <paramref name="row"/> into the accumulator; returns the distinct contexts.</summary>
        private int CountRow(int row, double[] accumulator, int[] touched)
        {
            int touchedCount = 0;
            for (int k = positionStarts[row] - positionOffset; k < positionStarts[row + 1] - positionOffset; k++)
            {
                int p = positions[k];
                touchedCount = AddContexts(p, -1, accumulator, touched, touchedCount);
                touchedCount = AddContexts(p, +1, accumulator, touched, touchedCount);
            }

            return touchedCount;
        }

        /// <summary>
        /// Adds the contexts on one side (<paramref name="step"/> −1: left, +1: right) of position <paramref name="p"/>,
        /// nearest first, up to the window or the sentence end; returns the new count of distinct contexts.
        /// </summary>
        private int AddContexts(int p, int step, double[] accumulator, int[] touched, int touchedCount)
        {
            int[] corpus = ids;
            for (int distance = 1; distance <= windowSize; distance++)
            {
                int j = p + (step * distance);
                if ((uint)j >= (uint)corpus.Length)
                {
                    break;
                }

                int c = corpus[j];
                if (c < 0)
                {
                    break;
                }

                if (accumulator[c] == 0)
                {
                    touched[touchedCount++] = c;
                }

                accumulator[c] += weights[distance];
            }

            return touchedCount;
        }

        private void Emit(
            int row, int column, double count, double logRow, double logContextOfRow, GrowableRows direct, GrowableRows transposed)
        {
            double logCount = Math.Log(count);
            if (symmetric)
            {
                // log(#(w,c)·D / (#(w)·#(c))), written so that PMI(w, c) and PMI(c, w) are the same double.
                double pmi = (logCount + logTotal) - (logRow + logMarginals[column]);
                if (pmi > 0)
                {
                    direct.Add(column, (float)pmi);
                }

                return;
            }

            double value = logCount - logRow - logContexts[column];
            if (value > 0)
            {
                direct.Add(column, (float)value);
            }

            double transposedValue = logCount - logMarginals[column] - logContextOfRow;
            if (transposedValue > 0)
            {
                transposed.Add(column, (float)transposedValue);
            }
        }
    }
}
