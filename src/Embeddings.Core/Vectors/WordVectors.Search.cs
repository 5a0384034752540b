using System.Buffers;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Vectors;

// The blocked nearest-neighbour search behind every similarity query, and the query-vector arithmetic.
public sealed partial class WordVectors
{
    /// <summary>Queries scored together against one block of rows (their vectors stay in L1).</summary>
    private const int QueryBlock = 32;

    /// <summary>Bytes of matrix rows per block (kept in L2 while a query block runs over it).</summary>
    private const int RowBlockBytes = 256 * 1024;

    /// <summary>A row partition for a second thread is made only when each part keeps at least this many rows.</summary>
    private const int MinRowsPerPartition = 8192;

    private float[]? _norms;
    private readonly Lock _quantizedGate = new();
    private QuantizedMatrix? _quantized;

    /// <summary>The Euclidean norm of every row (gensim's <c>norms</c>), computed once (thread-safe) and cached.</summary>
    internal ReadOnlySpan<float> Norms
    {
        get
        {
            float[]? norms = Volatile.Read(ref _norms);
            if (norms is null)
            {
                ReadOnlySpan<float> matrix = Matrix;
                norms = new float[Count];
                for (int i = 0; i < norms.Length; i++)
                {
                    norms[i] = TensorPrimitives.Norm(matrix.Slice(i * Dimensions, Dimensions));
                }

                norms = Interlocked.CompareExchange(ref _norms, norms, null) ?? norms;
            }

            return norms;
        }
    }

    /// <summary>The 8-bit copy of the matrix that prunes single queries, built once on first use (under a lock, so
    /// racing first queries do not each allocate a copy).</summary>
    internal QuantizedMatrix Quantized
    {
        get
        {
            QuantizedMatrix? quantized = Volatile.Read(ref _quantized);
            if (quantized is null)
            {
                lock (_quantizedGate)
                {
                    quantized = _quantized ?? new QuantizedMatrix(Matrix, Norms, Dimensions);
                    Volatile.Write(ref _quantized, quantized);
                }
            }

            return quantized;
        }
    }

    /// <summary>Whether single queries over many rows may be pruned with <see cref="Quantized"/> (tests turn it off to
    /// compare with the plain scan; results are identical either way).</summary>
    internal bool PruneSingleQueries { get; set; } = true;

    /// <summary>The number of rows a query searches: all, or the first <paramref name="restrictVocab"/>.</summary>
    private int ResolveLimit(int? restrictVocab)
    {
        if (restrictVocab is not { } limit)
        {
            return Count;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(restrictVocab));
        return Math.Min(limit, Count);
    }

    /// <summary>Writes the unit vector of row <paramref name="id"/> as gensim's <c>get_vector(key, norm=True)</c> does:
    /// the row divided by its float32 norm (a zero row stays zero).</summary>
    internal void CopyUnitVector(int id, Span<float> destination)
    {
        ReadOnlySpan<float> vector = GetVector(id);
        float norm = Norms[id];
        if (norm > 0)
        {
            TensorPrimitives.Divide(vector, norm, destination);
        }
        else
        {
            destination.Slice(0, Dimensions).Clear();
        }
    }

    /// <summary>Scales <paramref name="vector"/> to unit length in place as gensim's <c>matutils.unitvec</c> does
    /// (norm and scaling in double precision, then rounded to float32); a zero vector stays zero.</summary>
    internal static void NormalizeInPlace(Span<float> vector)
    {
        double sum = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            sum += (double)vector[i] * vector[i];
        }

        if (sum > 0)
        {
            double scale = 1.0 / Math.Sqrt(sum);
            for (int i = 0; i < vector.Length; i++)
            {
                vector[i] = (float)(vector[i] * scale);
            }
        }
    }

    /// <summary>
    /// gensim's <c>get_mean_vector(keys, weights, pre_normalize, post_normalize=True)</c>: Σ wᵢ·vᵢ / Σ|wᵢ|, scaled to unit
    /// length, where vᵢ is the unit vector (<paramref name="preNormalize"/>) or the raw vector of word <c>ids[i]</c>.
    /// </summary>
    internal void BuildMeanQuery(ReadOnlySpan<int> ids, ReadOnlySpan<float> weights, bool preNormalize, Span<float> destination)
    {
        Debug.Assert(ids.Length == weights.Length && ids.Length > 0);
        int d = Dimensions;
        float[] scratch = ArrayPool<float>.Shared.Rent(d);
        try
        {
            Span<float> term = scratch.AsSpan(0, d);
            Span<float> mean = destination.Slice(0, d);
            mean.Clear();
            double totalWeight = 0;
            for (int i = 0; i < ids.Length; i++)
            {
                if (preNormalize)
                {
                    CopyUnitVector(ids[i], term);
                }
                else
                {
                    GetVector(ids[i]).CopyTo(term);
                }

                TensorPrimitives.MultiplyAdd(term, weights[i], mean, mean);
                totalWeight += Math.Abs(weights[i]);
            }

            TensorPrimitives.Divide(mean, (float)totalWeight, mean);
            NormalizeInPlace(mean);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The <paramref name="topN"/> rows among the first <paramref name="limit"/> with the highest score
    /// <c>dot(row, query) / norm(row)</c> for each query, best first (score descending, then id ascending). Rows listed
    /// in a query's slice of <paramref name="excluded"/> are skipped. Missing results (fewer eligible rows than
    /// <paramref name="topN"/>) have id −1.
    /// </summary>
    /// <param name="queries">Row-major, <paramref name="queryCount"/> × <see cref="Dimensions"/>.</param>
    /// <param name="queryCount">The number of queries.</param>
    /// <param name="excluded">Ids to skip, <paramref name="excludedStride"/> per query (−1 = none); may be empty when the stride is 0.</param>
    /// <param name="excludedStride">Exclusions per query.</param>
    /// <param name="topN">Results per query.</param>
    /// <param name="limit">Rows searched: ids 0 to limit − 1.</param>
    /// <param name="resultIds">Receives <paramref name="queryCount"/> × <paramref name="topN"/> ids.</param>
    /// <param name="resultScores">Receives the matching scores.</param>
    /// <param name="threads">Worker threads (1 = the calling thread only).</param>
    /// <param name="cancellationToken">Checked once per block of rows.</param>
    internal void SearchNearest(
        float[] queries, int queryCount, int[] excluded, int excludedStride, int topN, int limit,
        int[] resultIds, float[] resultScores, int threads, CancellationToken cancellationToken)
    {
        Debug.Assert(queries.Length >= queryCount * Dimensions);
        Debug.Assert(excluded.Length >= queryCount * excludedStride);
        Debug.Assert(resultIds.Length >= queryCount * topN && resultScores.Length >= queryCount * topN);
        Debug.Assert(topN >= 1 && limit >= 0 && limit <= Count && threads >= 1);
        if (queryCount == 0)
        {
            return;
        }

        _ = Norms; // computed once, before any worker starts
        bool prune = queryCount == 1 && PruneSingleQueries && QuantizedMatrix.IsSupported && (long)limit * Dimensions >= QuantizedMatrix.MinimumValues;
        if (prune)
        {
            _ = Quantized;
        }

        int queryBlocks = (queryCount + QueryBlock - 1) / QueryBlock;
        int partitions = 1;
        if (threads > queryBlocks)
        {
            partitions = Math.Max(1, Math.Min((threads + queryBlocks - 1) / queryBlocks, limit / MinRowsPerPartition));
        }

        int workItems = queryBlocks * partitions;
        int heapLength = partitions * queryCount * topN;
        float[] partialScores = ArrayPool<float>.Shared.Rent(heapLength);
        int[] partialIds = ArrayPool<int>.Shared.Rent(heapLength);
        int[] partialCounts = ArrayPool<int>.Shared.Rent(partitions * queryCount);
        try
        {
            var work = new SearchWork(this, queries, queryCount, excluded, excludedStride, topN, limit, partitions, prune,
                partialScores, partialIds, partialCounts, cancellationToken);
            if (threads == 1 || workItems == 1)
            {
                for (int item = 0; item < workItems; item++)
                {
                    work.Run(item);
                }
            }
            else
            {
                using var gang = new WorkerGang(Math.Min(threads, workItems));
                gang.For(workItems, (item, _) => work.Run(item), cancellationToken: cancellationToken);
            }

            MergePartitions(queryCount, topN, partitions, partialScores, partialIds, partialCounts, resultIds, resultScores);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partialScores);
            ArrayPool<int>.Shared.Return(partialIds);
            ArrayPool<int>.Shared.Return(partialCounts);
        }
    }

    /// <summary>The rows per block for the current dimensions: a multiple of 8, at least 64.</summary>
    internal int RowBlockRows => Math.Max(64, RowBlockBytes / (sizeof(float) * Dimensions) / 8 * 8);

    private static void MergePartitions(
        int queryCount, int topN, int partitions, float[] partialScores, int[] partialIds, int[] partialCounts,
        int[] resultIds, float[] resultScores)
    {
        for (int q = 0; q < queryCount; q++)
        {
            Span<float> scores = resultScores.AsSpan(q * topN, topN);
            Span<int> ids = resultIds.AsSpan(q * topN, topN);
            int count;
            if (partitions == 1)
            {
                count = partialCounts[q];
                partialScores.AsSpan(q * topN, count).CopyTo(scores);
                partialIds.AsSpan(q * topN, count).CopyTo(ids);
            }
            else
            {
                count = 0;
                for (int p = 0; p < partitions; p++)
                {
                    int offset = ((p * queryCount) + q) * topN;
                    for (int j = 0; j < partialCounts[(p * queryCount) + q]; j++)
                    {
                        TopK.Offer(scores, ids, ref count, partialScores[offset + j], partialIds[offset + j]);
                    }
                }
            }

            TopK.SortBestFirst(scores, ids, count);

            // Excluded rows enter a heap only as −∞ fillers while it is not full; they sort last.
            for (int j = 0; j < topN; j++)
            {
                if (j >= count || float.IsNegativeInfinity(scores[j]))
                {
                    ids[j] = -1;
                    scores[j] = float.NaN;
                }
            }
        }
    }

    /// <summary>One search: work item i covers query block i / partitions and row partition i % partitions.</summary>
    private sealed class SearchWork(
        WordVectors vectors, float[] queries, int queryCount, int[] excluded, int excludedStride, int topN, int limit, int partitions, bool prune,
        float[] partialScores, int[] partialIds, int[] partialCounts, CancellationToken cancellationToken)
    {
        public void Run(int item)
        {
            if (prune)
            {
                RunPruned(item);
                return;
            }

            int d = vectors.Dimensions;
            int queryBlock = item / partitions;
            int partition = item % partitions;
            int firstQuery = queryBlock * QueryBlock;
            int blockQueries = Math.Min(QueryBlock, queryCount - firstQuery);
            int rowStart = (int)((long)limit * partition / partitions);
            int rowEnd = (int)((long)limit * (partition + 1) / partitions);
            int rowBlock = vectors.RowBlockRows;

            float[] blockScores = ArrayPool<float>.Shared.Rent(blockQueries * rowBlock);
            Span<float> thresholds = stackalloc float[QueryBlock];
            thresholds.Fill(float.NegativeInfinity);
            int heapOffset = ((partition * queryCount) + firstQuery) * topN;
            int countOffset = (partition * queryCount) + firstQuery;
            partialCounts.AsSpan(countOffset, blockQueries).Clear();
            try
            {
                ReadOnlySpan<float> matrix = vectors.Matrix;
                ReadOnlySpan<float> norms = vectors.Norms;
                ReadOnlySpan<float> blockQueryVectors = queries.AsSpan(firstQuery * d, blockQueries * d);
                for (int start = rowStart; start < rowEnd; start += rowBlock)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int rows = Math.Min(rowBlock, rowEnd - start);
                    SimilarityKernels.ScoreRows(
                        matrix.Slice(start * d, rows * d), norms.Slice(start, rows), blockQueryVectors, d, blockScores, rowBlock);
                    for (int q = 0; q < blockQueries; q++)
                    {
                        Span<float> scores = blockScores.AsSpan(q * rowBlock, rows);
                        int query = firstQuery + q;
                        for (int e = query * excludedStride; e < (query + 1) * excludedStride; e++)
                        {
                            int id = excluded[e];
                            if (id >= start && id < start + rows)
                            {
                                scores[id - start] = float.NegativeInfinity;
                            }
                        }

                        thresholds[q] = SimilarityKernels.SelectTop(
                            scores, start, partialScores.AsSpan(heapOffset + (q * topN), topN), partialIds.AsSpan(heapOffset + (q * topN), topN),
                            ref partialCounts[countOffset + q], thresholds[q]);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(blockScores);
            }
        }

        /// <summary>
        /// The single-query scan over the 8-bit rows: each row's score lies in [approximate − e, approximate + e]. A heap
        /// of the k best lower bounds gives a threshold τ; only rows whose upper bound reaches τ stay candidates, and they
        /// are rescored exactly. A row outside the candidates has k rows certainly better, so the result is exact.
        /// </summary>
        private void RunPruned(int partition)
        {
            Debug.Assert(queryCount == 1);
            QuantizedMatrix quantized = vectors.Quantized;
            int d = vectors.Dimensions;
            int stride = quantized.Stride;
            int rowStart = (int)((long)limit * partition / partitions);
            int rowEnd = (int)((long)limit * (partition + 1) / partitions);
            int rowBlock = 4 * vectors.RowBlockRows;

            float[] padded = ArrayPool<float>.Shared.Rent(stride);
            float[] approximate = ArrayPool<float>.Shared.Rent(rowBlock);
            float[] errors = ArrayPool<float>.Shared.Rent(rowBlock);
            float[] upper = ArrayPool<float>.Shared.Rent(rowBlock);
            float[] lowScores = ArrayPool<float>.Shared.Rent(topN);
            int[] lowIds = ArrayPool<int>.Shared.Rent(topN);
            int[] candidateIds = ArrayPool<int>.Shared.Rent(256);
            float[] candidateUpper = ArrayPool<float>.Shared.Rent(256);
            int heapOffset = partition * topN;
            int countOffset = partition;
            partialCounts[countOffset] = 0;
            try
            {
                ReadOnlySpan<float> query = queries.AsSpan(0, d);
                query.CopyTo(padded);
                padded.AsSpan(d, stride - d).Clear();
                float l1 = TensorPrimitives.SumOfMagnitudes(query);
                float slack = quantized.RoundingSlack(TensorPrimitives.Norm(query));
                Span<float> lowScoreSpan = lowScores.AsSpan(0, topN);
                Span<int> lowIdSpan = lowIds.AsSpan(0, topN);
                int lowCount = 0;
                float tau = float.NegativeInfinity;
                int candidates = 0;

                for (int start = rowStart; start < rowEnd; start += rowBlock)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int rows = Math.Min(rowBlock, rowEnd - start);
                    Span<float> a = approximate.AsSpan(0, rows);
                    Span<float> e = errors.AsSpan(0, rows);
                    Span<float> hi = upper.AsSpan(0, rows);
                    SimilarityKernels.ApproximateScores(
                        quantized.Values.AsSpan(start * stride, rows * stride), stride, quantized.Scale.AsSpan(start, rows), padded.AsSpan(0, stride), a);
                    for (int x = 0; x < excludedStride; x++)
                    {
                        int id = excluded[x];
                        if (id >= start && id < start + rows)
                        {
                            a[id - start] = float.NaN; // never a candidate
                        }
                    }

                    TensorPrimitives.Multiply(quantized.Error.AsSpan(start, rows), l1, e);
                    TensorPrimitives.Add(e, slack, e);
                    TensorPrimitives.Add(a, e, hi);

                    int w = Vector<float>.Count;
                    int i = 0;
                    while (i < rows)
                    {
                        if (i + w <= rows && !Vector.GreaterThanOrEqualAny(new Vector<float>(hi.Slice(i, w)), new Vector<float>(tau)))
                        {
                            i += w;
                            continue;
                        }

                        int end = Math.Min(i + w, rows);
                        for (; i < end; i++)
                        {
                            if (!(hi[i] >= tau))
                            {
                                continue; // also NaN: zero and excluded rows
                            }

                            int id = start + i;
                            tau = TopK.Offer(lowScoreSpan, lowIdSpan, ref lowCount, a[i] - e[i], id);
                            if (hi[i] >= tau)
                            {
                                if (candidates == candidateIds.Length)
                                {
                                    candidates = Compact(ref candidateIds, ref candidateUpper, candidates, tau);
                                }

                                candidateIds[candidates] = id;
                                candidateUpper[candidates++] = hi[i];
                            }
                        }
                    }
                }

                // Rescore the candidates exactly, in id order, with the scan's own arithmetic.
                ReadOnlySpan<float> matrix = vectors.Matrix;
                ReadOnlySpan<float> norms = vectors.Norms;
                Span<float> heapScores = partialScores.AsSpan(heapOffset, topN);
                Span<int> heapIds = partialIds.AsSpan(heapOffset, topN);
                for (int c = 0; c < candidates; c++)
                {
                    if (candidateUpper[c] >= tau)
                    {
                        int id = candidateIds[c];
                        float score = SimilarityKernels.ScoreRow(matrix.Slice(id * d, d), norms[id], query);
                        TopK.Offer(heapScores, heapIds, ref partialCounts[countOffset], score, id);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(padded);
                ArrayPool<float>.Shared.Return(approximate);
                ArrayPool<float>.Shared.Return(errors);
                ArrayPool<float>.Shared.Return(upper);
                ArrayPool<float>.Shared.Return(lowScores);
                ArrayPool<int>.Shared.Return(lowIds);
                ArrayPool<int>.Shared.Return(candidateIds);
                ArrayPool<float>.Shared.Return(candidateUpper);
            }
        }

        /// <summary>Drops candidates whose upper bound fell below τ; doubles the buffers if they stay over half full.</summary>
        private static int Compact(ref int[] ids, ref float[] upper, int count, float tau)
        {
            int kept = 0;
            for (int c = 0; c < count; c++)
            {
                if (upper[c] >= tau)
                {
                    ids[kept] = ids[c];
                    upper[kept++] = upper[c];
                }
            }

            if (kept > ids.Length / 2)
            {
                int[] largerIds = ArrayPool<int>.Shared.Rent(2 * ids.Length);
                float[] largerUpper = ArrayPool<float>.Shared.Rent(2 * ids.Length);
                ids.AsSpan(0, kept).CopyTo(largerIds);
                upper.AsSpan(0, kept).CopyTo(largerUpper);
                ArrayPool<int>.Shared.Return(ids);
                ArrayPool<float>.Shared.Return(upper);
                ids = largerIds;
                upper = largerUpper;
            }

            return kept;
        }
    }
}
