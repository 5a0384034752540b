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
/// <para>Shapes are checked with <see cref="Debug.Assert(bool)"/> only: these are internal kernels behind validated callers.</para>
/// </remarks>
internal static class MatrixProduct
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
    public static void MultiplyScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[i * k + p], b[p * n + j], sum);
                }

                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>The scalar twin of <see cref="MultiplyTransposedA(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.</summary>
    public static void MultiplyTransposedAScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[p * m + i], b[p * n + j], sum);
                }

                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>The scalar twin of <see cref="MultiplyTransposedB"/>.</summary>
    public static void MultiplyTransposedBScalar(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int k, int n)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum = MathF.FusedMultiplyAdd(a[i * k + p], b[j * k + p], sum);
                }

                c[i * n + j] = sum;
            }
        }
    }

    /// <summary>
    /// C (rows × n, row stride ldc) = A·B where A's element (i, p) is at <c>a[i·rowStride + p·depthStride]</c> and B is
    /// k × n with row stride ldb. Blocks of <see cref="BlockDepth"/> k; panels of columns; tiles of <see cref="TileRows"/> rows.
    /// </summary>
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
            bool accumulate = addToC || p0 > 0;
            float* ab = a + p0 * depthStride;
            float* bb = b + p0 * ldb;
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j <= n - 3 * Vector512<float>.Count; j += 3 * Vector512<float>.Count)
                {
                    if (pack)
                    {
                        Pack(bb + j, ldb, depth, 3 * Vector512<float>.Count, panel);
                    }

                    ForEachTile(ab, rowStride, depthStride, pack ? panel : bb + j, pack ? 3 * Vector512<float>.Count : ldb, c + j, ldc, rows, depth, accumulate, Width.Three512);
                }

                for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                {
                    ForEachTile(ab, rowStride, depthStride, bb + j, ldb, c + j, ldc, rows, depth, accumulate, Width.One512);
                }
            }
            else if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= n - 3 * Vector256<float>.Count; j += 3 * Vector256<float>.Count)
                {
                    if (pack)
                    {
                        Pack(bb + j, ldb, depth, 3 * Vector256<float>.Count, panel);
                    }

                    ForEachTile(ab, rowStride, depthStride, pack ? panel : bb + j, pack ? 3 * Vector256<float>.Count : ldb, c + j, ldc, rows, depth, accumulate, Width.Three256);
                }

                for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                {
                    ForEachTile(ab, rowStride, depthStride, bb + j, ldb, c + j, ldc, rows, depth, accumulate, Width.One256);
                }
            }

            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                ForEachTile(ab, rowStride, depthStride, bb + j, ldb, c + j, ldc, rows, depth, accumulate, Width.One128);
            }

            for (; j < n; j++)
            {
                ForEachTile(ab, rowStride, depthStride, bb + j, ldb, c + j, ldc, rows, depth, accumulate, Width.Scalar);
            }
        }
    }

    /// <summary>Copies <paramref name="depth"/> rows × <paramref name="width"/> columns of B (row stride <paramref name="ldb"/>) into <paramref name="panel"/>, rows adjacent.</summary>
    private static unsafe void Pack(float* b, nint ldb, int depth, int width, float* panel)
    {
        for (int p = 0; p < depth; p++)
        {
            Buffer.MemoryCopy(b + p * ldb, panel + p * width, width * sizeof(float), width * sizeof(float));
        }
    }

    private enum Width
    {
        Three512,
        One512,
        Three256,
        One256,
        One128,
        Scalar,
    }

    private static unsafe void ForEachTile(
        float* a, nint rowStride, nint depthStride, float* b, nint ldb, float* c, nint ldc, int rows, int depth, bool accumulate, Width width)
    {
        for (int i = 0; i < rows; i += TileRows)
        {
            // A tile past the last row repeats that row and stores nothing for it, so one kernel serves every tile.
            int valid = Math.Min(TileRows, rows - i);
            float* a0 = a + i * rowStride;
            float* a1 = a0 + (valid > 1 ? rowStride : 0);
            float* a2 = a0 + (valid > 2 ? 2 * rowStride : 0);
            float* a3 = a0 + (valid > 3 ? 3 * rowStride : 0);
            float* ci = c + i * ldc;
            switch (width)
            {
                case Width.Three512: Tile3x512(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
                case Width.One512: Tile1x512(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
                case Width.Three256: Tile3x256(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
                case Width.One256: Tile1x256(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
                case Width.One128: Tile1x128(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
                default: TileScalar(a0, a1, a2, a3, depthStride, b, ldb, ci, ldc, valid, depth, accumulate); break;
            }
        }
    }

    private static unsafe void Tile3x512(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        const int W = 16;

        // No branch touches an accumulator between the loads and the stores, and none is address-taken: the JIT then
        // keeps all twelve in registers (with per-row conditions it spilled nine of them to the stack in the loop).
        // Rows past the last valid one write to a scratch row instead.
        float* spare = stackalloc float[3 * W];
        float* r0 = c;
        float* r1 = valid > 1 ? c + ldc : spare;
        float* r2 = valid > 2 ? c + 2 * ldc : spare;
        float* r3 = valid > 3 ? c + 3 * ldc : spare;
        Vector512<float> zero = Vector512<float>.Zero;
        Vector512<float> c00 = accumulate ? Vector512.Load(r0) : zero, c01 = accumulate ? Vector512.Load(r0 + W) : zero, c02 = accumulate ? Vector512.Load(r0 + 2 * W) : zero;
        Vector512<float> c10 = accumulate ? Vector512.Load(r1) : zero, c11 = accumulate ? Vector512.Load(r1 + W) : zero, c12 = accumulate ? Vector512.Load(r1 + 2 * W) : zero;
        Vector512<float> c20 = accumulate ? Vector512.Load(r2) : zero, c21 = accumulate ? Vector512.Load(r2 + W) : zero, c22 = accumulate ? Vector512.Load(r2 + 2 * W) : zero;
        Vector512<float> c30 = accumulate ? Vector512.Load(r3) : zero, c31 = accumulate ? Vector512.Load(r3 + W) : zero, c32 = accumulate ? Vector512.Load(r3 + 2 * W) : zero;
        for (int p = 0; p < depth; p++)
        {
            float* bp = b + p * ldb;
            Vector512<float> b0 = Vector512.Load(bp), b1 = Vector512.Load(bp + W), b2 = Vector512.Load(bp + 2 * W);
            nint o = p * ds;
            var x = Vector512.Create(a0[o]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00); c01 = Vector512.FusedMultiplyAdd(x, b1, c01); c02 = Vector512.FusedMultiplyAdd(x, b2, c02);
            x = Vector512.Create(a1[o]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10); c11 = Vector512.FusedMultiplyAdd(x, b1, c11); c12 = Vector512.FusedMultiplyAdd(x, b2, c12);
            x = Vector512.Create(a2[o]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20); c21 = Vector512.FusedMultiplyAdd(x, b1, c21); c22 = Vector512.FusedMultiplyAdd(x, b2, c22);
            x = Vector512.Create(a3[o]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30); c31 = Vector512.FusedMultiplyAdd(x, b1, c31); c32 = Vector512.FusedMultiplyAdd(x, b2, c32);
        }

        c00.Store(r0); c01.Store(r0 + W); c02.Store(r0 + 2 * W);
        c10.Store(r1); c11.Store(r1 + W); c12.Store(r1 + 2 * W);
        c20.Store(r2); c21.Store(r2 + W); c22.Store(r2 + 2 * W);
        c30.Store(r3); c31.Store(r3 + W); c32.Store(r3 + 2 * W);
    }

    private static unsafe void Tile3x256(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        const int W = 8;

        // No branch touches an accumulator between the loads and the stores, and none is address-taken: the JIT then
        // keeps all twelve in registers (with per-row conditions it spilled nine of them to the stack in the loop).
        // Rows past the last valid one write to a scratch row instead.
        float* spare = stackalloc float[3 * W];
        float* r0 = c;
        float* r1 = valid > 1 ? c + ldc : spare;
        float* r2 = valid > 2 ? c + 2 * ldc : spare;
        float* r3 = valid > 3 ? c + 3 * ldc : spare;
        Vector256<float> zero = Vector256<float>.Zero;
        Vector256<float> c00 = accumulate ? Vector256.Load(r0) : zero, c01 = accumulate ? Vector256.Load(r0 + W) : zero, c02 = accumulate ? Vector256.Load(r0 + 2 * W) : zero;
        Vector256<float> c10 = accumulate ? Vector256.Load(r1) : zero, c11 = accumulate ? Vector256.Load(r1 + W) : zero, c12 = accumulate ? Vector256.Load(r1 + 2 * W) : zero;
        Vector256<float> c20 = accumulate ? Vector256.Load(r2) : zero, c21 = accumulate ? Vector256.Load(r2 + W) : zero, c22 = accumulate ? Vector256.Load(r2 + 2 * W) : zero;
        Vector256<float> c30 = accumulate ? Vector256.Load(r3) : zero, c31 = accumulate ? Vector256.Load(r3 + W) : zero, c32 = accumulate ? Vector256.Load(r3 + 2 * W) : zero;
        for (int p = 0; p < depth; p++)
        {
            float* bp = b + p * ldb;
            Vector256<float> b0 = Vector256.Load(bp), b1 = Vector256.Load(bp + W), b2 = Vector256.Load(bp + 2 * W);
            nint o = p * ds;
            var x = Vector256.Create(a0[o]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00); c01 = Vector256.FusedMultiplyAdd(x, b1, c01); c02 = Vector256.FusedMultiplyAdd(x, b2, c02);
            x = Vector256.Create(a1[o]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10); c11 = Vector256.FusedMultiplyAdd(x, b1, c11); c12 = Vector256.FusedMultiplyAdd(x, b2, c12);
            x = Vector256.Create(a2[o]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20); c21 = Vector256.FusedMultiplyAdd(x, b1, c21); c22 = Vector256.FusedMultiplyAdd(x, b2, c22);
            x = Vector256.Create(a3[o]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30); c31 = Vector256.FusedMultiplyAdd(x, b1, c31); c32 = Vector256.FusedMultiplyAdd(x, b2, c32);
        }

        c00.Store(r0); c01.Store(r0 + W); c02.Store(r0 + 2 * W);
        c10.Store(r1); c11.Store(r1 + W); c12.Store(r1 + 2 * W);
        c20.Store(r2); c21.Store(r2 + W); c22.Store(r2 + 2 * W);
        c30.Store(r3); c31.Store(r3 + W); c32.Store(r3 + 2 * W);
    }

    private static unsafe void Tile1x512(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        if (accumulate)
        {
            c0 = Vector512.Load(c);
            c1 = valid > 1 ? Vector512.Load(c + ldc) : default;
            c2 = valid > 2 ? Vector512.Load(c + 2 * ldc) : default;
            c3 = valid > 3 ? Vector512.Load(c + 3 * ldc) : default;
        }

        for (int p = 0; p < depth; p++)
        {
            Vector512<float> bp = Vector512.Load(b + p * ldb);
            nint o = p * ds;
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[o]), bp, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[o]), bp, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[o]), bp, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[o]), bp, c3);
        }

        c0.Store(c);
        if (valid > 1) { c1.Store(c + ldc); }
        if (valid > 2) { c2.Store(c + 2 * ldc); }
        if (valid > 3) { c3.Store(c + 3 * ldc); }
    }

    private static unsafe void Tile1x256(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        if (accumulate)
        {
            c0 = Vector256.Load(c);
            c1 = valid > 1 ? Vector256.Load(c + ldc) : default;
            c2 = valid > 2 ? Vector256.Load(c + 2 * ldc) : default;
            c3 = valid > 3 ? Vector256.Load(c + 3 * ldc) : default;
        }

        for (int p = 0; p < depth; p++)
        {
            Vector256<float> bp = Vector256.Load(b + p * ldb);
            nint o = p * ds;
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a0[o]), bp, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a1[o]), bp, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a2[o]), bp, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a3[o]), bp, c3);
        }

        c0.Store(c);
        if (valid > 1) { c1.Store(c + ldc); }
        if (valid > 2) { c2.Store(c + 2 * ldc); }
        if (valid > 3) { c3.Store(c + 3 * ldc); }
    }

    private static unsafe void Tile1x128(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default;
        if (accumulate)
        {
            c0 = Vector128.Load(c);
            c1 = valid > 1 ? Vector128.Load(c + ldc) : default;
            c2 = valid > 2 ? Vector128.Load(c + 2 * ldc) : default;
            c3 = valid > 3 ? Vector128.Load(c + 3 * ldc) : default;
        }

        for (int p = 0; p < depth; p++)
        {
            Vector128<float> bp = Vector128.Load(b + p * ldb);
            nint o = p * ds;
            c0 = Vector128.FusedMultiplyAdd(Vector128.Create(a0[o]), bp, c0);
            c1 = Vector128.FusedMultiplyAdd(Vector128.Create(a1[o]), bp, c1);
            c2 = Vector128.FusedMultiplyAdd(Vector128.Create(a2[o]), bp, c2);
            c3 = Vector128.FusedMultiplyAdd(Vector128.Create(a3[o]), bp, c3);
        }

        c0.Store(c);
        if (valid > 1) { c1.Store(c + ldc); }
        if (valid > 2) { c2.Store(c + 2 * ldc); }
        if (valid > 3) { c3.Store(c + 3 * ldc); }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static unsafe void TileScalar(float* a0, float* a1, float* a2, float* a3, nint ds, float* b, nint ldb, float* c, nint ldc, int valid, int depth, bool accumulate)
    {
        float c0 = accumulate ? c[0] : 0, c1 = accumulate && valid > 1 ? c[ldc] : 0;
        float c2 = accumulate && valid > 2 ? c[2 * ldc] : 0, c3 = accumulate && valid > 3 ? c[3 * ldc] : 0;
        for (int p = 0; p < depth; p++)
        {
            float bp = b[p * ldb];
            nint o = p * ds;
            c0 = MathF.FusedMultiplyAdd(a0[o], bp, c0);
            c1 = MathF.FusedMultiplyAdd(a1[o], bp, c1);
            c2 = MathF.FusedMultiplyAdd(a2[o], bp, c2);
            c3 = MathF.FusedMultiplyAdd(a3[o], bp, c3);
        }

        c[0] = c0;
        if (valid > 1) { c[ldc] = c1; }
        if (valid > 2) { c[2 * ldc] = c2; }
        if (valid > 3) { c[3 * ldc] = c3; }
    }
}
