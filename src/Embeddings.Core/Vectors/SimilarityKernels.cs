using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embeddings.Core.Vectors;

/// <summary>
/// The hot loops of similarity queries: dot products of many rows against a few queries, and the top-k scan.
/// Every dot product here follows one fixed summation order (the canonical order: <see cref="Vector{T}"/> lanes
/// accumulated with fused multiply-adds over the full chunks, a masked last chunk, then the lane sum), so the
/// single-query path, the batched path and <see cref="Dot"/> give bit-identical scores within a process.
/// Each kernel has a scalar twin used by the tests.
/// </summary>
internal static class SimilarityKernels
{
    // [0 × W, -1 × W]: loading W ints from offset t gives a mask whose last t lanes are set.
    private static readonly int[] _tailMaskBits = CreateTailMaskBits();

    /// <summary>The dot product of <paramref name="x"/> and <paramref name="y"/> in the canonical order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Debug.Assert(x.Length == y.Length);
        int d = x.Length;
        return DotCore(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y), d, TailMask(d));
    }

    /// <summary>Scalar twin of <see cref="Dot"/>: a plain sequential sum (differs in rounding only).</summary>
    public static float DotScalar(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        Debug.Assert(x.Length == y.Length);
        float sum = 0;
        for (int k = 0; k < x.Length; k++)
        {
            sum += x[k] * y[k];
        }

        return sum;
    }

    /// <summary>
    /// Cosine-style scores of a block of rows against a block of queries, as gensim computes them
    /// (<c>dot(vectors, query) / norms</c>): <c>scores[q · scoreStride + r] = Dot(row r, query q) / norms[r]</c>,
    /// and NaN for a row whose norm is 0 (as in gensim, where 0 / 0 gives NaN), so that zero rows never enter a top-k.
    /// </summary>
    /// <param name="rows">Row-major, <c>norms.Length × dimensions</c> values.</param>
    /// <param name="norms">The Euclidean norm of each row.</param>
    /// <param name="queries">Row-major, a whole number of query vectors of <paramref name="dimensions"/> values.</param>
    /// <param name="dimensions">The vector length.</param>
    /// <param name="scores">Receives one row of <paramref name="scoreStride"/> values per query.</param>
    /// <param name="scoreStride">Distance between the score rows of consecutive queries (≥ row count).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScoreRows(
        ReadOnlySpan<float> rows, ReadOnlySpan<float> norms, ReadOnlySpan<float> queries, int dimensions, Span<float> scores, int scoreStride)
    {
        int d = dimensions;
        int rowCount = norms.Length;
        int queryCount = queries.Length / d;
        Debug.Assert(rows.Length == rowCount * d);
        Debug.Assert(queries.Length == queryCount * d);
        Debug.Assert(scoreStride >= rowCount);
        Debug.Assert(queryCount == 0 || scores.Length >= ((queryCount - 1) * scoreStride) + rowCount);

        ref float rowBase = ref MemoryMarshal.GetReference(rows);
        ref float queryBase = ref MemoryMarshal.GetReference(queries);
        ref float normBase = ref MemoryMarshal.GetReference(norms);
        ref float scoreBase = ref MemoryMarshal.GetReference(scores);
        Vector<float> mask = TailMask(d);

        if (d < Vector<float>.Count)
        {
            for (int q = 0; q < queryCount; q++)
            {
                ref float query = ref Unsafe.Add(ref queryBase, q * d);
                ref float scoreRow = ref Unsafe.Add(ref scoreBase, q * scoreStride);
                for (int r = 0; r < rowCount; r++)
                {
                    float dot = DotCore(ref Unsafe.Add(ref rowBase, r * d), ref query, d, mask);
                    Unsafe.Add(ref scoreRow, r) = Scale(dot, Unsafe.Add(ref normBase, r));
                }
            }

            return;
        }

        int q0 = 0;
        for (; q0 + 1 < queryCount; q0 += 2)
        {
            ScoreTwoQueries(ref rowBase, ref normBase, rowCount, ref Unsafe.Add(ref queryBase, q0 * d), d, mask,
                ref Unsafe.Add(ref scoreBase, q0 * scoreStride), scoreStride);
        }

        if (q0 < queryCount)
        {
            ScoreOneQuery(ref rowBase, ref normBase, rowCount, ref Unsafe.Add(ref queryBase, q0 * d), d, mask,
                ref Unsafe.Add(ref scoreBase, q0 * scoreStride));
        }
    }

    /// <summary>Scalar twin of <see cref="ScoreRows"/>.</summary>
    public static void ScoreRowsScalar(
        ReadOnlySpan<float> rows, ReadOnlySpan<float> norms, ReadOnlySpan<float> queries, int dimensions, Span<float> scores, int scoreStride)
    {
        int queryCount = queries.Length / dimensions;
        for (int q = 0; q < queryCount; q++)
        {
            ReadOnlySpan<float> query = queries.Slice(q * dimensions, dimensions);
            for (int r = 0; r < norms.Length; r++)
            {
                float dot = DotScalar(rows.Slice(r * dimensions, dimensions), query);
                scores[(q * scoreStride) + r] = norms[r] > 0 ? dot / norms[r] : float.NaN;
            }
        }
    }

    /// <summary>The score of one row as <see cref="ScoreRows"/> computes it, bit for bit.</summary>
    public static float ScoreRow(ReadOnlySpan<float> row, float norm, ReadOnlySpan<float> query)
    {
        Debug.Assert(row.Length == query.Length);
        int d = row.Length;
        return Scale(DotCore(ref MemoryMarshal.GetReference(row), ref MemoryMarshal.GetReference(query), d, TailMask(d)), norm);
    }

    /// <summary>
    /// Approximate scores from the 8-bit rows of a <see cref="QuantizedMatrix"/> block:
    /// <c>approximate[r] = scale[r] · Σₖ query[k] · values[r · stride + k]</c>. Requires <see cref="QuantizedMatrix.IsSupported"/>.
    /// </summary>
    /// <param name="values">The block's rows, <c>scale.Length × stride</c> bytes.</param>
    /// <param name="stride">Bytes per row, a multiple of 8.</param>
    /// <param name="scale">Per row: quantization step over norm.</param>
    /// <param name="query">The query, <paramref name="stride"/> values (zero-padded).</param>
    /// <param name="approximate">Receives one value per row.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void ApproximateScores(
        ReadOnlySpan<sbyte> values, int stride, ReadOnlySpan<float> scale, ReadOnlySpan<float> query, Span<float> approximate)
    {
        int rowCount = scale.Length;
        Debug.Assert(QuantizedMatrix.IsSupported);
        Debug.Assert(stride % 8 == 0 && query.Length == stride && values.Length == rowCount * stride && approximate.Length >= rowCount);
        fixed (sbyte* valueBase = values)
        fixed (float* queryBase = query)
        {
            int r = 0;
            for (; r + 3 < rowCount; r += 4)
            {
                sbyte* x0 = valueBase + (r * stride);
                sbyte* x1 = x0 + stride;
                sbyte* x2 = x1 + stride;
                sbyte* x3 = x2 + stride;
                Vector256<float> a0 = Vector256<float>.Zero, a1 = Vector256<float>.Zero, a2 = Vector256<float>.Zero, a3 = Vector256<float>.Zero;
                for (int k = 0; k < stride; k += 8)
                {
                    Vector256<float> y = Avx.LoadVector256(queryBase + k);
                    a0 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(x0 + k)), y, a0);
                    a1 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(x1 + k)), y, a1);
                    a2 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(x2 + k)), y, a2);
                    a3 = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(x3 + k)), y, a3);
                }

                approximate[r] = scale[r] * Vector256.Sum(a0);
                approximate[r + 1] = scale[r + 1] * Vector256.Sum(a1);
                approximate[r + 2] = scale[r + 2] * Vector256.Sum(a2);
                approximate[r + 3] = scale[r + 3] * Vector256.Sum(a3);
            }

            for (; r < rowCount; r++)
            {
                sbyte* x = valueBase + (r * stride);
                Vector256<float> acc = Vector256<float>.Zero;
                for (int k = 0; k < stride; k += 8)
                {
                    acc = Fma.MultiplyAdd(Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(x + k)), Avx.LoadVector256(queryBase + k), acc);
                }

                approximate[r] = scale[r] * Vector256.Sum(acc);
            }
        }
    }

    /// <summary>Scalar twin of <see cref="ApproximateScores"/>.</summary>
    public static void ApproximateScoresScalar(
        ReadOnlySpan<sbyte> values, int stride, ReadOnlySpan<float> scale, ReadOnlySpan<float> query, Span<float> approximate)
    {
        for (int r = 0; r < scale.Length; r++)
        {
            float sum = 0;
            for (int k = 0; k < stride; k++)
            {
                sum += query[k] * values[(r * stride) + k];
            }

            approximate[r] = scale[r] * sum;
        }
    }

    /// <summary>
    /// Offers the scores of a block (ids <paramref name="firstId"/> onwards) to a top-k heap. Whole vectors of
    /// scores below the heap's threshold are skipped with one SIMD compare, so only candidates reach the heap.
    /// NaN scores never enter.
    /// </summary>
    /// <returns>The heap's new threshold (see <see cref="TopK.Offer"/>).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float SelectTop(
        ReadOnlySpan<float> blockScores, int firstId, Span<float> heapScores, Span<int> heapIds, ref int count, float threshold)
    {
        int n = blockScores.Length;
        int w = Vector<float>.Count;
        ref float scoreBase = ref MemoryMarshal.GetReference(blockScores);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - w; i += w)
            {
                if (Vector.GreaterThanOrEqualAny(Vector.LoadUnsafe(ref scoreBase, (nuint)i), new Vector<float>(threshold)))
                {
                    for (int j = i; j < i + w; j++)
                    {
                        float score = Unsafe.Add(ref scoreBase, j);
                        if (score >= threshold)
                        {
                            threshold = TopK.Offer(heapScores, heapIds, ref count, score, firstId + j);
                        }
                    }
                }
            }
        }

        for (; i < n; i++)
        {
            float score = Unsafe.Add(ref scoreBase, i);
            if (score >= threshold)
            {
                threshold = TopK.Offer(heapScores, heapIds, ref count, score, firstId + i);
            }
        }

        return threshold;
    }

    /// <summary>Scalar twin of <see cref="SelectTop"/>: offers every score that is not NaN.</summary>
    public static float SelectTopScalar(
        ReadOnlySpan<float> blockScores, int firstId, Span<float> heapScores, Span<int> heapIds, ref int count, float threshold)
    {
        for (int i = 0; i < blockScores.Length; i++)
        {
            if (!float.IsNaN(blockScores[i]))
            {
                threshold = TopK.Offer(heapScores, heapIds, ref count, blockScores[i], firstId + i);
            }
        }

        return threshold;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Scale(float dot, float norm) => norm > 0 ? dot / norm : float.NaN;

    /// <summary>The canonical dot product; <paramref name="mask"/> is <see cref="TailMask"/> of <paramref name="d"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float DotCore(ref float x, ref float y, int d, Vector<float> mask)
    {
        int w = Vector<float>.Count;
        if (d < w)
        {
            float sum = 0;
            for (int k = 0; k < d; k++)
            {
                sum = MathF.FusedMultiplyAdd(Unsafe.Add(ref x, k), Unsafe.Add(ref y, k), sum);
            }

            return sum;
        }

        Vector<float> acc = Vector<float>.Zero;
        int full = d - (d % w);
        for (int k = 0; k < full; k += w)
        {
            acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, (nuint)k), Vector.LoadUnsafe(ref y, (nuint)k), acc);
        }

        if (full < d)
        {
            nuint last = (nuint)(d - w);
            acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x, last) & mask, Vector.LoadUnsafe(ref y, last), acc);
        }

        return Vector.Sum(acc);
    }

    /// <summary>Two queries × four rows per step; the remaining rows one at a time. Requires d ≥ W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreTwoQueries(
        ref float rowBase, ref float normBase, int rowCount, ref float query0, int d, Vector<float> mask, ref float scores0, int scoreStride)
    {
        int w = Vector<float>.Count;
        int full = d - (d % w);
        bool hasTail = full < d;
        nuint last = (nuint)(d - w);
        ref float query1 = ref Unsafe.Add(ref query0, d);
        ref float scores1 = ref Unsafe.Add(ref scores0, scoreStride);

        int r = 0;
        for (; r + 3 < rowCount; r += 4)
        {
            ref float x0 = ref Unsafe.Add(ref rowBase, r * d);
            ref float x1 = ref Unsafe.Add(ref x0, d);
            ref float x2 = ref Unsafe.Add(ref x1, d);
            ref float x3 = ref Unsafe.Add(ref x2, d);
            Vector<float> a00 = Vector<float>.Zero, a01 = Vector<float>.Zero, a02 = Vector<float>.Zero, a03 = Vector<float>.Zero;
            Vector<float> a10 = Vector<float>.Zero, a11 = Vector<float>.Zero, a12 = Vector<float>.Zero, a13 = Vector<float>.Zero;
            for (int k = 0; k < full; k += w)
            {
                Vector<float> y0 = Vector.LoadUnsafe(ref query0, (nuint)k);
                Vector<float> y1 = Vector.LoadUnsafe(ref query1, (nuint)k);
                Vector<float> v = Vector.LoadUnsafe(ref x0, (nuint)k);
                a00 = Vector.FusedMultiplyAdd(v, y0, a00);
                a10 = Vector.FusedMultiplyAdd(v, y1, a10);
                v = Vector.LoadUnsafe(ref x1, (nuint)k);
                a01 = Vector.FusedMultiplyAdd(v, y0, a01);
                a11 = Vector.FusedMultiplyAdd(v, y1, a11);
                v = Vector.LoadUnsafe(ref x2, (nuint)k);
                a02 = Vector.FusedMultiplyAdd(v, y0, a02);
                a12 = Vector.FusedMultiplyAdd(v, y1, a12);
                v = Vector.LoadUnsafe(ref x3, (nuint)k);
                a03 = Vector.FusedMultiplyAdd(v, y0, a03);
                a13 = Vector.FusedMultiplyAdd(v, y1, a13);
            }

            if (hasTail)
            {
                Vector<float> y0 = Vector.LoadUnsafe(ref query0, last);
                Vector<float> y1 = Vector.LoadUnsafe(ref query1, last);
                Vector<float> v = Vector.LoadUnsafe(ref x0, last) & mask;
                a00 = Vector.FusedMultiplyAdd(v, y0, a00);
                a10 = Vector.FusedMultiplyAdd(v, y1, a10);
                v = Vector.LoadUnsafe(ref x1, last) & mask;
                a01 = Vector.FusedMultiplyAdd(v, y0, a01);
                a11 = Vector.FusedMultiplyAdd(v, y1, a11);
                v = Vector.LoadUnsafe(ref x2, last) & mask;
                a02 = Vector.FusedMultiplyAdd(v, y0, a02);
                a12 = Vector.FusedMultiplyAdd(v, y1, a12);
                v = Vector.LoadUnsafe(ref x3, last) & mask;
                a03 = Vector.FusedMultiplyAdd(v, y0, a03);
                a13 = Vector.FusedMultiplyAdd(v, y1, a13);
            }

            float n0 = Unsafe.Add(ref normBase, r), n1 = Unsafe.Add(ref normBase, r + 1);
            float n2 = Unsafe.Add(ref normBase, r + 2), n3 = Unsafe.Add(ref normBase, r + 3);
            Unsafe.Add(ref scores0, r) = Scale(Vector.Sum(a00), n0);
            Unsafe.Add(ref scores0, r + 1) = Scale(Vector.Sum(a01), n1);
            Unsafe.Add(ref scores0, r + 2) = Scale(Vector.Sum(a02), n2);
            Unsafe.Add(ref scores0, r + 3) = Scale(Vector.Sum(a03), n3);
            Unsafe.Add(ref scores1, r) = Scale(Vector.Sum(a10), n0);
            Unsafe.Add(ref scores1, r + 1) = Scale(Vector.Sum(a11), n1);
            Unsafe.Add(ref scores1, r + 2) = Scale(Vector.Sum(a12), n2);
            Unsafe.Add(ref scores1, r + 3) = Scale(Vector.Sum(a13), n3);
        }

        for (; r < rowCount; r++)
        {
            ref float x = ref Unsafe.Add(ref rowBase, r * d);
            float norm = Unsafe.Add(ref normBase, r);
            Unsafe.Add(ref scores0, r) = Scale(DotCore(ref x, ref query0, d, mask), norm);
            Unsafe.Add(ref scores1, r) = Scale(DotCore(ref x, ref query1, d, mask), norm);
        }
    }

    /// <summary>One query × four rows per step; the remaining rows one at a time. Requires d ≥ W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ScoreOneQuery(
        ref float rowBase, ref float normBase, int rowCount, ref float query, int d, Vector<float> mask, ref float scores)
    {
        int w = Vector<float>.Count;
        int full = d - (d % w);
        bool hasTail = full < d;
        nuint last = (nuint)(d - w);

        int r = 0;
        for (; r + 3 < rowCount; r += 4)
        {
            ref float x0 = ref Unsafe.Add(ref rowBase, r * d);
            ref float x1 = ref Unsafe.Add(ref x0, d);
            ref float x2 = ref Unsafe.Add(ref x1, d);
            ref float x3 = ref Unsafe.Add(ref x2, d);
            Vector<float> a0 = Vector<float>.Zero, a1 = Vector<float>.Zero, a2 = Vector<float>.Zero, a3 = Vector<float>.Zero;
            for (int k = 0; k < full; k += w)
            {
                Vector<float> y = Vector.LoadUnsafe(ref query, (nuint)k);
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x0, (nuint)k), y, a0);
                a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x1, (nuint)k), y, a1);
                a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x2, (nuint)k), y, a2);
                a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x3, (nuint)k), y, a3);
            }

            if (hasTail)
            {
                Vector<float> y = Vector.LoadUnsafe(ref query, last);
                a0 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x0, last) & mask, y, a0);
                a1 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x1, last) & mask, y, a1);
                a2 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x2, last) & mask, y, a2);
                a3 = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref x3, last) & mask, y, a3);
            }

            Unsafe.Add(ref scores, r) = Scale(Vector.Sum(a0), Unsafe.Add(ref normBase, r));
            Unsafe.Add(ref scores, r + 1) = Scale(Vector.Sum(a1), Unsafe.Add(ref normBase, r + 1));
            Unsafe.Add(ref scores, r + 2) = Scale(Vector.Sum(a2), Unsafe.Add(ref normBase, r + 2));
            Unsafe.Add(ref scores, r + 3) = Scale(Vector.Sum(a3), Unsafe.Add(ref normBase, r + 3));
        }

        for (; r < rowCount; r++)
        {
            float dot = DotCore(ref Unsafe.Add(ref rowBase, r * d), ref query, d, mask);
            Unsafe.Add(ref scores, r) = Scale(dot, Unsafe.Add(ref normBase, r));
        }
    }

    /// <summary>A mask that keeps the last <c>d mod W</c> lanes of a vector (the lanes of the final, overlapping load
    /// that the full chunks have not covered yet).</summary>
    private static Vector<float> TailMask(int d)
    {
        int w = Vector<float>.Count;
        int tail = d % w;
        return Vector.AsVectorSingle(Vector.LoadUnsafe(ref _tailMaskBits[0], (nuint)tail));
    }

    private static int[] CreateTailMaskBits()
    {
        int w = Vector<int>.Count;
        var bits = new int[2 * w];
        bits.AsSpan(w).Fill(-1);
        return bits;
    }
}
