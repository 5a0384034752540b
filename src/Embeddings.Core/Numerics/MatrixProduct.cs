using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embeddings.Core.Numerics;

/// <summary>
/// Dense single-precision matrix products on row-major arrays: <c>C = A·B</c>, <c>C = Aᵀ·B</c> and <c>C = A·Bᵀ</c>,
/// blocked for the caches with SIMD register tiles (4 rows × 3 Vector512 or Vector256 columns), each with a scalar
/// twin for tests.
/// </summary>
/// <remarks>
/// <para>
/// Every element of C is one chain of fused multiply-adds in increasing k, started from zero: tiles, cache blocks
/// (which store and reload the partial sum exactly) and vector widths only change which elements are computed together,
/// never the arithmetic of one element. So the SIMD products equal their scalar twins bit for bit, and a caller that
/// splits C's rows over threads (the <c>rowStart, rowCount</c> overloads and <see cref="Partition"/>) gets the same bits
/// for any thread count.
/// </para>
/// <para>
/// Shapes are checked with <see cref="Debug.Assert(bool)"/> only: these are kernels for validated callers (the trainers
/// of this library and of Embeddings.Quantization), public so that both packages share them.
/// </para>
/// </remarks>
public static class MatrixProduct
{
    /// <summary>Rows of a register tile; <see cref="Partition"/> aligns thread ranges to it.</summary>
    public const int TileRows = 4;

    /// <summary>Depth of a cache block: a 3-vector panel of B (≤ 48 columns) over this many k fits in L1 with room for A.</summary>
    private const int BlockDepth = 128;

    /// <summary><c>C = A·B</c> with A m×k, B k×n and C m×n, all dense and row-major.</summary>
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        Multiply(a, b, c, m, k, n, 0, m);

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowStart"/> + <paramref name="rowCount"/>) of <c>C = A·B</c>; the other rows of <paramref name="c"/> are left alone.</summary>
    public static unsafe void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int rowStart, int rowCount)
    {
        Debug.Assert(a.Length >= (long)m * k && b.Length >= (long)k * n && c.Length >= (long)m * n);
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && rowStart + rowCount <= m);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Product(pa + (long)rowStart * k, k, 1, pb, n, pc + (long)rowStart * n, n, rowCount, k, n);
        }
    }

    /// <summary><c>C = Aᵀ·B</c> with A k×m (so Aᵀ is m×k), B k×n and C m×n, all dense and row-major.</summary>
    public static void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        MultiplyTransposedA(a, b, c, m, k, n, 0, m);

    /// <summary>Rows [<paramref name="rowStart"/>, <paramref name="rowStart"/> + <paramref name="rowCount"/>) of <c>C = Aᵀ·B</c>; the other rows of <paramref name="c"/> are left alone.</summary>
    public static unsafe void MultiplyTransposedA(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int rowStart, int rowCount)
    {
        Debug.Assert(a.Length >= (long)m * k && b.Length >= (long)k * n && c.Length >= (long)m * n);
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && rowStart + rowCount <= m);
        fixed (float* pa = a, pb = b, pc = c)
        {
            // Aᵀ's row i is A's column i: consecutive rows are adjacent floats, consecutive k are m apart.
            Product(pa + rowStart, 1, m, pb, n, pc + (long)rowStart * n, n, rowCount, k, n);
        }
    }

    /// <summary><c>C += A·B</c> for rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>): each element's chain of fused multiply-adds starts from its current value (to accumulate gradients over chunks).</summary>
    public static unsafe void MultiplyAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int rowStart, int rowCount)
    {
        Debug.Assert(a.Length >= (long)m * k && b.Length >= (long)k * n && c.Length >= (long)m * n);
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && rowStart + rowCount <= m);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Product(pa + (long)rowStart * k, k, 1, pb, n, pc + (long)rowStart * n, n, rowCount, k, n, addToC: true);
        }
    }

    /// <summary><c>C += Aᵀ·B</c> (A k×m, B k×n, C m×n) for rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>) of C: a weight gradient summed over the k rows of a batch.</summary>
    public static unsafe void MultiplyTransposedAAdd(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n, int rowStart, int rowCount)
    {
        Debug.Assert(a.Length >= (long)m * k && b.Length >= (long)k * n && c.Length >= (long)m * n);
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && rowStart + rowCount <= m);
        fixed (float* pa = a, pb = b, pc = c)
        {
            Product(pa + rowStart, 1, m, pb, n, pc + (long)rowStart * n, n, rowCount, k, n, addToC: true);
        }
    }

    /// <summary>
    /// <c>C = A·Bᵀ</c> with A m×k, B n×k and C m×n. B is transposed once into a pooled buffer; a caller that splits
    /// the rows over threads should <see cref="Transpose(ReadOnlySpan{float}, Span{float}, int, int)"/> B itself once and call <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, int, int)"/>.
    /// </summary>
    public static void MultiplyTransposedB(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        float[] transposed = ArrayPool<float>.Shared.Rent(k * n);
        try
        {
            Transpose(b, transposed, n, k);
            Multiply(a, transposed, c, m, k, n);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(transposed);
        }
    }

    /// <summary>Writes the transpose of the <paramref name="rows"/>×<paramref name="columns"/> matrix <paramref name="source"/> (columns×rows).</summary>
    public static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns) =>
        Transpose(source, destination, rows, columns, 0, rows);

    /// <summary>Source rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>) of <see cref="Transpose(ReadOnlySpan{float}, Span{float}, int, int)"/> (destination columns), to split over threads.</summary>
    public static unsafe void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int columns, int rowStart, int rowCount)
    {
        Debug.Assert(source.Length >= (long)rows * columns && destination.Length >= (long)rows * columns);
        Debug.Assert(rowStart >= 0 && rowCount >= 0 && rowStart + rowCount <= rows);
        const int Block = 32; // 32×32 floats: both sides' lines stay in L1 while the block is copied
        int rowEnd = rowStart + rowCount;
        fixed (float* from = source, to = destination)
        {
            for (int r0 = rowStart; r0 < rowEnd; r0 += Block)
            {
                int r1 = Math.Min(r0 + Block, rowEnd);
                for (int c0 = 0; c0 < columns; c0 += Block)
                {
                    int c1 = Math.Min(c0 + Block, columns);
                    int r = r0;
                    if (Avx.IsSupported)
                    {
                        // 8 × 8 squares in registers (the weights of a layer are transposed once per optimiser step).
                        for (; r <= r1 - 8; r += 8)
                        {
                            int c = c0;
                            for (; c <= c1 - 8; c += 8)
                            {
                                Transpose8x8(from + ((nint)r * columns) + c, columns, to + ((nint)c * rows) + r, rows);
                            }

                            for (; c < c1; c++)
                            {
                                for (int i = r; i < r + 8; i++)
                                {
                                    to[((nint)c * rows) + i] = from[((nint)i * columns) + c];
                                }
                            }
                        }
                    }

                    for (; r < r1; r++)
                    {
                        for (int c = c0; c < c1; c++)
                        {
                            to[((nint)c * rows) + r] = from[((nint)r * columns) + c];
                        }
                    }
                }
            }
        }
    }

    /// <summary>Transposes the 8 × 8 square at <paramref name="from"/> (row stride <paramref name="fromStride"/>) into <paramref name="to"/>.</summary>
    private static unsafe void Transpose8x8(float* from, nint fromStride, float* to, nint toStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(from), r1 = Avx.LoadVector256(from + fromStride);
        Vector256<float> r2 = Avx.LoadVector256(from + (2 * fromStride)), r3 = Avx.LoadVector256(from + (3 * fromStride));
        Vector256<float> r4 = Avx.LoadVector256(from + (4 * fromStride)), r5 = Avx.LoadVector256(from + (5 * fromStride));
        Vector256<float> r6 = Avx.LoadVector256(from + (6 * fromStride)), r7 = Avx.LoadVector256(from + (7 * fromStride));

        // Interleave pairs of rows, then pairs of pairs, then swap the 128-bit halves.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(to, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(to + toStride, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(to + (2 * toStride), Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(to + (3 * toStride), Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(to + (4 * toStride), Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(to + (5 * toStride), Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(to + (6 * toStride), Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(to + (7 * toStride), Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>The part of <paramref name="rows"/> rows that worker <paramref name="part"/> of <paramref name="parts"/> computes: contiguous, in order, aligned to <see cref="TileRows"/>.</summary>
    public static (int Start, int Count) Partition(int rows, int parts, int part)
    {
        int tiles = (rows + TileRows - 1) / TileRows;
        int start = Math.Min(rows, (int)((long)tiles * part / parts) * TileRows);
        int end = Math.Min(rows, (int)((long)tiles * (part + 1) / parts) * TileRows);
        return (start, end - start);
    }

    /// <summary>The scalar twin of <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        ScalarProduct(a, k, 1, b, n, 1, c, m, k, n);

    /// <summary>The scalar twin of <see cref="MultiplyTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyTransposedAScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        ScalarProduct(a, 1, m, b, n, 1, c, m, k, n);

    /// <summary>The scalar twin of <see cref="MultiplyTransposedB"/>.</summary>
    public static void MultiplyTransposedBScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n) =>
        ScalarProduct(a, k, 1, b, 1, k, c, m, k, n);

    /// <summary>
    /// C (m × n) = A·B one element at a time, A's element (i, p) at <c>a[i·aRow + p·aDepth]</c> and B's (p, j) at
    /// <c>b[p·bDepth + j·bColumn]</c>: each element one chain of fused multiply-adds in increasing k, as in the tiles.
    /// </summary>
    private static void ScalarProduct(
        ReadOnlySpan<float> a, int aRow, int aDepth, ReadOnlySpan<float> b, int bDepth, int bColumn, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[i * aRow + p * aDepth], b[p * bDepth + j * bColumn], sum);
                }

                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>
    /// C (rows × n, row stride ldc) = A·B where A's element (i, p) is at <c>a[i·rowStride + p·depthStride]</c> and B is
    /// k × n with row stride ldb. Blocks of <see cref="BlockDepth"/> k; panels of columns; tiles of <see cref="TileRows"/> rows.
    /// </summary>
    // The product and its tiles are jitted fully optimised at once (AggressiveOptimization), not tiered: a short job (k-means++
    // seeding, the first epoch of a classifier) otherwise runs its first seconds in tier-0 or on-stack-replaced loops.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Product(float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, int rows, int k, int n, bool addToC = false)
    {
        if (k == 0)
        {
            if (addToC)
            {
                return;
            }

            for (int i = 0; i < rows; i++)
            {
                new Span<float>(c + i * ldc, n).Clear();
            }

            return;
        }

        // Rows of B a multiple of 128 bytes apart (n = 256, 512, …) map to a few L1 sets and evict each other, so their
        // panels are copied contiguous first (≤ 128 × 48 floats, in L1 for every tile of the run). Other strides spread
        // over the sets but still touch 3–4 lines per k; from 64 rows on, the copy pays for itself (a 256 × 128 × 1,500
        // product ran ~1.6× faster packed); with few rows it would cost more than it saves.
        bool pack = ldb % 32 == 0 || rows >= 64;
        float* panel = stackalloc float[BlockDepth * 3 * 16];
        for (int p0 = 0; p0 < k; p0 += BlockDepth)
        {
            int depth = Math.Min(BlockDepth, k - p0);
            var block = new Block(a + p0 * depthStride, rowStride, depthStride, c, ldc, rows, depth, addToC || p0 > 0);
            float* bb = b + p0 * ldb;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                j = Columns<Lanes512, Vector512<float>>(block, bb, ldb, j, n, tripled: true, pack, panel);
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                j = Columns<Lanes256, Vector256<float>>(block, bb, ldb, j, n, tripled: true, pack, panel);
            }

            j = Columns<Lanes128, Vector128<float>>(block, bb, ldb, j, n, tripled: false, pack, panel);
            Columns<Lane1, float>(block, bb, ldb, j, n, tripled: false, pack, panel);
        }
    }

    /// <summary>
    /// Columns [<paramref name="j"/>, …) of one cache block of C in panels of three vectors (when
    /// <paramref name="tripled"/>) and then of one, as far as whole vectors of <typeparamref name="TLane"/> reach;
    /// returns the first column left for a narrower width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe int Columns<TLane, TVector>(in Block block, float* b, nint ldb, int j, int n, bool tripled, bool pack, float* panel)
        where TLane : struct, ILane<TVector>
        where TVector : struct
    {
        int width = TLane.Count;
        if (tripled)
        {
            for (; j <= n - 3 * width; j += 3 * width)
            {
                if (pack)
                {
                    Pack(b + j, ldb, block.Depth, 3 * width, panel);
                }

                ForEachTile<TLane, TVector>(block, pack ? panel : b + j, pack ? 3 * width : ldb, j, tripled: true);
            }
        }

        for (; j <= n - width; j += width)
        {
            ForEachTile<TLane, TVector>(block, b + j, ldb, j, tripled: false);
        }

        return j;
    }

    /// <summary>Copies <paramref name="depth"/> rows × <paramref name="width"/> columns of B (row stride <paramref name="ldb"/>) into <paramref name="panel"/>, rows adjacent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Pack(float* b, nint ldb, int depth, int width, float* panel)
    {
        for (int p = 0; p < depth; p++)
        {
            Buffer.MemoryCopy(b + p * ldb, panel + p * width, width * sizeof(float), width * sizeof(float));
        }
    }

    /// <summary>One cache block of a product: A's rows (from its first block column), C, and how many rows and k.</summary>
    private readonly unsafe struct Block(float* a, nint rowStride, nint depthStride, float* c, nint ldc, int rows, int depth, bool accumulate)
    {
        public readonly float* A = a;
        public readonly nint RowStride = rowStride;
        public readonly nint DepthStride = depthStride;
        public readonly float* C = c;
        public readonly nint Ldc = ldc;
        public readonly int Rows = rows;
        public readonly int Depth = depth;

        /// <summary>Whether C's current values start the chains (a later k block, or C += …) rather than zero.</summary>
        public readonly bool Accumulate = accumulate;
    }

    /// <summary>Runs the register tile over every <see cref="TileRows"/> rows of C's columns [<paramref name="column"/>, +one or three vectors).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ForEachTile<TLane, TVector>(in Block block, float* b, nint ldb, int column, bool tripled)
        where TLane : struct, ILane<TVector>
        where TVector : struct
    {
        nint rowStride = block.RowStride;
        for (int i = 0; i < block.Rows; i += TileRows)
        {
            // A tile past the last row repeats that row and stores nothing for it, so one kernel serves every tile.
            int valid = Math.Min(TileRows, block.Rows - i);
            float* a0 = block.A + i * rowStride;
            float* a1 = a0 + (valid > 1 ? rowStride : 0);
            float* a2 = a0 + (valid > 2 ? 2 * rowStride : 0);
            float* a3 = a0 + (valid > 3 ? 3 * rowStride : 0);
            float* ci = block.C + i * block.Ldc + column;
            if (tripled)
            {
                Tile3<TLane, TVector>(a0, a1, a2, a3, block.DepthStride, b, ldb, ci, block.Ldc, valid, block.Depth, block.Accumulate);
            }
            else
            {
                Tile1<TLane, TVector>(a0, a1, a2, a3, block.DepthStride, b, ldb, ci, block.Ldc, valid, block.Depth, block.Accumulate);
            }
        }
    }

    /// <summary>A 4-row × 3-vector tile: twelve accumulators, each one element's chain of fused multiply-adds per lane.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile3<TLane, TVector>(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
        where TLane : struct, ILane<TVector>
        where TVector : struct
    {
        int w = TLane.Count;

        // No branch touches an accumulator between the loads and the stores, and none is address-taken: the JIT then
        // keeps all twelve in registers (with per-row conditions it spilled nine of them to the stack in the loop).
        // Rows past the last valid one write to a scratch row instead.
        float* spare = stackalloc float[3 * 16];
        float* r0 = c;
        float* r1 = valid > 1 ? c + ldc : spare;
        float* r2 = valid > 2 ? c + 2 * ldc : spare;
        float* r3 = valid > 3 ? c + 3 * ldc : spare;
        TVector zero = TLane.Broadcast(0);
        TVector c00 = accumulate ? TLane.Load(r0) : zero, c01 = accumulate ? TLane.Load(r0 + w) : zero, c02 = accumulate ? TLane.Load(r0 + 2 * w) : zero;
        TVector c10 = accumulate ? TLane.Load(r1) : zero, c11 = accumulate ? TLane.Load(r1 + w) : zero, c12 = accumulate ? TLane.Load(r1 + 2 * w) : zero;
        TVector c20 = accumulate ? TLane.Load(r2) : zero, c21 = accumulate ? TLane.Load(r2 + w) : zero, c22 = accumulate ? TLane.Load(r2 + 2 * w) : zero;
        TVector c30 = accumulate ? TLane.Load(r3) : zero, c31 = accumulate ? TLane.Load(r3 + w) : zero, c32 = accumulate ? TLane.Load(r3 + 2 * w) : zero;
        for (int p = 0; p < depth; p++)
        {
            float* bp = b + p * ldb;
            TVector b0 = TLane.Load(bp), b1 = TLane.Load(bp + w), b2 = TLane.Load(bp + 2 * w);
            nint o = p * ds;
            TVector x = TLane.Broadcast(a0[o]);
            c00 = TLane.FusedMultiplyAdd(x, b0, c00); c01 = TLane.FusedMultiplyAdd(x, b1, c01); c02 = TLane.FusedMultiplyAdd(x, b2, c02);
            x = TLane.Broadcast(a1[o]);
            c10 = TLane.FusedMultiplyAdd(x, b0, c10); c11 = TLane.FusedMultiplyAdd(x, b1, c11); c12 = TLane.FusedMultiplyAdd(x, b2, c12);
            x = TLane.Broadcast(a2[o]);
            c20 = TLane.FusedMultiplyAdd(x, b0, c20); c21 = TLane.FusedMultiplyAdd(x, b1, c21); c22 = TLane.FusedMultiplyAdd(x, b2, c22);
            x = TLane.Broadcast(a3[o]);
            c30 = TLane.FusedMultiplyAdd(x, b0, c30); c31 = TLane.FusedMultiplyAdd(x, b1, c31); c32 = TLane.FusedMultiplyAdd(x, b2, c32);
        }

        TLane.Store(c00, r0); TLane.Store(c01, r0 + w); TLane.Store(c02, r0 + 2 * w);
        TLane.Store(c10, r1); TLane.Store(c11, r1 + w); TLane.Store(c12, r1 + 2 * w);
        TLane.Store(c20, r2); TLane.Store(c21, r2 + w); TLane.Store(c22, r2 + 2 * w);
        TLane.Store(c30, r3); TLane.Store(c31, r3 + w); TLane.Store(c32, r3 + 2 * w);
    }

    /// <summary>A 4-row × 1-vector tile (one float wide for the last columns).</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Tile1<TLane, TVector>(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
        where TLane : struct, ILane<TVector>
        where TVector : struct
    {
        TVector c0 = default, c1 = default, c2 = default, c3 = default;
        if (accumulate)
        {
            c0 = TLane.Load(c);
            c1 = valid > 1 ? TLane.Load(c + ldc) : default;
            c2 = valid > 2 ? TLane.Load(c + 2 * ldc) : default;
            c3 = valid > 3 ? TLane.Load(c + 3 * ldc) : default;
        }

        for (int p = 0; p < depth; p++)
        {
            TVector bp = TLane.Load(b + p * ldb);
            nint o = p * ds;
            c0 = TLane.FusedMultiplyAdd(TLane.Broadcast(a0[o]), bp, c0);
            c1 = TLane.FusedMultiplyAdd(TLane.Broadcast(a1[o]), bp, c1);
            c2 = TLane.FusedMultiplyAdd(TLane.Broadcast(a2[o]), bp, c2);
            c3 = TLane.FusedMultiplyAdd(TLane.Broadcast(a3[o]), bp, c3);
        }

        TLane.Store(c0, c);
        if (valid > 1) { TLane.Store(c1, c + ldc); }
        if (valid > 2) { TLane.Store(c2, c + 2 * ldc); }
        if (valid > 3) { TLane.Store(c3, c + 3 * ldc); }
    }

    /// <summary>
    /// One register width as the tiles see it. The tiles are generic over a struct implementing this, so the JIT
    /// compiles one copy per width with the calls inlined: the same code as a tile written out for that width.
    /// </summary>
    private unsafe interface ILane<TVector>
        where TVector : struct
    {
        /// <summary>Floats per register.</summary>
        static abstract int Count { get; }

        static abstract TVector Load(float* source);

        static abstract void Store(TVector value, float* destination);

        static abstract TVector Broadcast(float value);

        /// <summary><c>a·b + c</c> per lane, rounded once.</summary>
        static abstract TVector FusedMultiplyAdd(TVector a, TVector b, TVector c);
    }

    private readonly unsafe struct Lanes512 : ILane<Vector512<float>>
    {
        public static int Count => Vector512<float>.Count;

        public static Vector512<float> Load(float* source) => Vector512.Load(source);

        public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

        public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

        public static Vector512<float> FusedMultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);
    }

    private readonly unsafe struct Lanes256 : ILane<Vector256<float>>
    {
        public static int Count => Vector256<float>.Count;

        public static Vector256<float> Load(float* source) => Vector256.Load(source);

        public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

        public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

        public static Vector256<float> FusedMultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Vector256.FusedMultiplyAdd(a, b, c);
    }

    private readonly unsafe struct Lanes128 : ILane<Vector128<float>>
    {
        public static int Count => Vector128<float>.Count;

        public static Vector128<float> Load(float* source) => Vector128.Load(source);

        public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

        public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

        public static Vector128<float> FusedMultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.FusedMultiplyAdd(a, b, c);
    }

    /// <summary>One float: the last columns, and the whole product where no SIMD is accelerated.</summary>
    private readonly unsafe struct Lane1 : ILane<float>
    {
        public static int Count => 1;

        public static float Load(float* source) => *source;

        public static void Store(float value, float* destination) => *destination = value;

        public static float Broadcast(float value) => value;

        public static float FusedMultiplyAdd(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
    }
}
