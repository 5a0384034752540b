using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embeddings.Core.Training;

/// <summary>
/// The hot loops of negative sampling: one dot product and one fused double update per (input, output) pair.
/// Each kernel has a scalar twin that the tests compare against.
/// </summary>
internal static class NegativeSamplingKernels
{
    /// <summary>Sigmoid and log-sigmoid are tabulated on [−<see cref="MaxExp"/>, <see cref="MaxExp"/>], as word2vec.c does.</summary>
    public const float MaxExp = 6f;

    private const int TableSize = 1000;
    private static readonly float[] SigmoidTable = BuildTable(x => 1 / (1 + Math.Exp(-x)));
    private static readonly float[] LogSigmoidTable = BuildTable(x => -Math.Log(1 + Math.Exp(-x)));

    /// <summary>The dot product of two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => TensorPrimitives.Dot(x, y);

    /// <summary>σ(f) from the table; clamps beyond ±<see cref="MaxExp"/> to 0 or 1 as word2vec does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sigmoid(float f) =>
        f >= MaxExp ? 1f : f <= -MaxExp ? 0f : SigmoidTable[(int)((f + MaxExp) * (TableSize / MaxExp / 2))];

    /// <summary>log σ(f) from the table, clamped at the table's ends (the loss of a very wrong prediction saturates at about −6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float LogSigmoid(float f) =>
        f >= MaxExp ? 0f : f <= -MaxExp ? LogSigmoidTable[0] : LogSigmoidTable[(int)((f + MaxExp) * (TableSize / MaxExp / 2))];

    /// <summary>
    /// The fused update of one pair: <c>error += g · output</c>, then <c>output += g · input</c>
    /// (the output row moves by the input vector; the input's accumulated error by the old output row).
    /// </summary>
    /// <remarks>The same arithmetic as <see cref="AccumulatePair"/> with the output row as its own gradient: each lane
    /// reads the old output for the error before it stores the new output.</remarks>
    public static void UpdatePair(Span<float> error, Span<float> output, ReadOnlySpan<float> input, float g) =>
        AccumulatePair(error, output, output, input, g);

    /// <summary>The scalar twin of <see cref="UpdatePair"/>.</summary>
    public static void UpdatePairScalar(Span<float> error, Span<float> output, ReadOnlySpan<float> input, float g)
    {
        for (int i = 0; i < input.Length; i++)
        {
            float oldOutput = output[i];
            error[i] = MathF.FusedMultiplyAdd(g, oldOutput, error[i]);
            output[i] = MathF.FusedMultiplyAdd(g, input[i], oldOutput);
        }
    }

    /// <summary>
    /// The deferred update of one pair for shared negatives: <c>error += g · output</c> and <c>gradient += g · input</c>;
    /// the output row itself is updated once, after every context of the window has used it.
    /// </summary>
    public static void AccumulatePair(Span<float> error, Span<float> gradient, ReadOnlySpan<float> output, ReadOnlySpan<float> input, float g)
    {
        int length = input.Length;
        ref float e = ref MemoryMarshal.GetReference(error);
        ref float gr = ref MemoryMarshal.GetReference(gradient);
        ref float o = ref MemoryMarshal.GetReference(output);
        ref float h = ref MemoryMarshal.GetReference(input);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && length >= Vector256<float>.Count)
        {
            var gv = Vector256.Create(g);
            for (; i <= length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref o, (nuint)i), Vector256.LoadUnsafe(ref e, (nuint)i)).StoreUnsafe(ref e, (nuint)i);
                Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref h, (nuint)i), Vector256.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref gr, (nuint)i);
            }
        }
        else if (Vector128.IsHardwareAccelerated && length >= Vector128<float>.Count)
        {
            var gv = Vector128.Create(g);
            for (; i <= length - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                Vector128.FusedMultiplyAdd(gv, Vector128.LoadUnsafe(ref o, (nuint)i), Vector128.LoadUnsafe(ref e, (nuint)i)).StoreUnsafe(ref e, (nuint)i);
                Vector128.FusedMultiplyAdd(gv, Vector128.LoadUnsafe(ref h, (nuint)i), Vector128.LoadUnsafe(ref gr, (nuint)i)).StoreUnsafe(ref gr, (nuint)i);
            }
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref e, i) = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref o, i), Unsafe.Add(ref e, i));
            Unsafe.Add(ref gr, i) = MathF.FusedMultiplyAdd(g, Unsafe.Add(ref h, i), Unsafe.Add(ref gr, i));
        }
    }

    /// <summary>The scalar twin of <see cref="AccumulatePair"/>.</summary>
    public static void AccumulatePairScalar(Span<float> error, Span<float> gradient, ReadOnlySpan<float> output, ReadOnlySpan<float> input, float g)
    {
        for (int i = 0; i < input.Length; i++)
        {
            error[i] = MathF.FusedMultiplyAdd(g, output[i], error[i]);
            gradient[i] = MathF.FusedMultiplyAdd(g, input[i], gradient[i]);
        }
    }

    /// <summary>
    /// The updates of one input against several distinct output rows in one pass: for each target <c>t</c> in order,
    /// <c>error += g[t] · output[row t]</c> (the old row), then <c>output[row t] += g[t] · input</c>. Element by element
    /// this is the arithmetic of <see cref="UpdatePair"/> called once per target, so the results are the same bits;
    /// the error and the input are loaded once per pass instead of once per target.
    /// </summary>
    /// <param name="error">The input's accumulated error (length d).</param>
    /// <param name="output">The output matrix, rows of d floats.</param>
    /// <param name="rows">The target rows, all different (a repeated row would see its own update in the sequential form).</param>
    /// <param name="g">The gradient scale of each target.</param>
    /// <param name="input">The input vector (length d), not inside <paramref name="output"/>.</param>
    public static void UpdateTargets(Span<float> error, Span<float> output, ReadOnlySpan<int> rows, ReadOnlySpan<float> g, ReadOnlySpan<float> input)
    {
        int d = input.Length;
        int targets = rows.Length;
        ref float e = ref MemoryMarshal.GetReference(error);
        ref float h = ref MemoryMarshal.GetReference(input);
        ref float o = ref MemoryMarshal.GetReference(output);
        ref int r = ref MemoryMarshal.GetReference(rows);
        ref float gs = ref MemoryMarshal.GetReference(g);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> hv = Vector512.LoadUnsafe(ref h, (nuint)i), ev = Vector512.LoadUnsafe(ref e, (nuint)i);
                for (int t = 0; t < targets; t++)
                {
                    ref float row = ref Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i);
                    Vector512<float> ov = Vector512.LoadUnsafe(ref row), gv = Vector512.Create(Unsafe.Add(ref gs, t));
                    ev = Vector512.FusedMultiplyAdd(gv, ov, ev);
                    Vector512.FusedMultiplyAdd(gv, hv, ov).StoreUnsafe(ref row);
                }

                ev.StoreUnsafe(ref e, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= d - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> hv = Vector256.LoadUnsafe(ref h, (nuint)i), ev = Vector256.LoadUnsafe(ref e, (nuint)i);
                for (int t = 0; t < targets; t++)
                {
                    ref float row = ref Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i);
                    Vector256<float> ov = Vector256.LoadUnsafe(ref row), gv = Vector256.Create(Unsafe.Add(ref gs, t));
                    ev = Vector256.FusedMultiplyAdd(gv, ov, ev);
                    Vector256.FusedMultiplyAdd(gv, hv, ov).StoreUnsafe(ref row);
                }

                ev.StoreUnsafe(ref e, (nuint)i);
            }
        }

        for (; i < d; i++)
        {
            float hi = Unsafe.Add(ref h, i), ei = Unsafe.Add(ref e, i);
            for (int t = 0; t < targets; t++)
            {
                ref float oi = ref Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i);
                float gt = Unsafe.Add(ref gs, t), old = oi;
                ei = MathF.FusedMultiplyAdd(gt, old, ei);
                oi = MathF.FusedMultiplyAdd(gt, hi, old);
            }

            Unsafe.Add(ref e, i) = ei;
        }
    }

    /// <summary>
    /// Shared negatives' deferred updates of one context row against several target rows in one pass: for each target
    /// <c>t</c> in order, <c>error += g[t] · output[row t]</c> and <c>gradient[t] += g[t] · input</c>; then
    /// <c>input += error</c>, with the error starting from zero. Element by element this is the arithmetic of
    /// <see cref="AccumulatePair"/> once per target followed by <see cref="Add"/>, so the results are the same bits.
    /// </summary>
    /// <param name="input">The context row (length d), updated.</param>
    /// <param name="gradients">One accumulated gradient of d floats per target, consecutive.</param>
    /// <param name="output">The output matrix, rows of d floats; only read.</param>
    /// <param name="rows">The target rows (repeats allowed: the output is not written here).</param>
    /// <param name="g">The gradient scale of each target.</param>
    public static void AccumulateTargets(Span<float> input, Span<float> gradients, ReadOnlySpan<float> output, ReadOnlySpan<int> rows, ReadOnlySpan<float> g)
    {
        int d = input.Length;
        int targets = rows.Length;
        ref float h = ref MemoryMarshal.GetReference(input);
        ref float gr = ref MemoryMarshal.GetReference(gradients);
        ref float o = ref MemoryMarshal.GetReference(output);
        ref int r = ref MemoryMarshal.GetReference(rows);
        ref float gs = ref MemoryMarshal.GetReference(g);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= d - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> hv = Vector512.LoadUnsafe(ref h, (nuint)i), ev = Vector512<float>.Zero;
                for (int t = 0; t < targets; t++)
                {
                    Vector512<float> gv = Vector512.Create(Unsafe.Add(ref gs, t));
                    ev = Vector512.FusedMultiplyAdd(gv, Vector512.LoadUnsafe(ref Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i)), ev);
                    ref float gradient = ref Unsafe.Add(ref gr, ((nint)t * d) + i);
                    Vector512.FusedMultiplyAdd(gv, hv, Vector512.LoadUnsafe(ref gradient)).StoreUnsafe(ref gradient);
                }

                (hv + ev).StoreUnsafe(ref h, (nuint)i);
            }
        }

        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= d - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> hv = Vector256.LoadUnsafe(ref h, (nuint)i), ev = Vector256<float>.Zero;
                for (int t = 0; t < targets; t++)
                {
                    Vector256<float> gv = Vector256.Create(Unsafe.Add(ref gs, t));
                    ev = Vector256.FusedMultiplyAdd(gv, Vector256.LoadUnsafe(ref Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i)), ev);
                    ref float gradient = ref Unsafe.Add(ref gr, ((nint)t * d) + i);
                    Vector256.FusedMultiplyAdd(gv, hv, Vector256.LoadUnsafe(ref gradient)).StoreUnsafe(ref gradient);
                }

                (hv + ev).StoreUnsafe(ref h, (nuint)i);
            }
        }

        for (; i < d; i++)
        {
            float hi = Unsafe.Add(ref h, i), ei = 0f;
            for (int t = 0; t < targets; t++)
            {
                float gt = Unsafe.Add(ref gs, t);
                ei = MathF.FusedMultiplyAdd(gt, Unsafe.Add(ref o, ((nint)Unsafe.Add(ref r, t) * d) + i), ei);
                ref float gradient = ref Unsafe.Add(ref gr, ((nint)t * d) + i);
                gradient = MathF.FusedMultiplyAdd(gt, hi, gradient);
            }

            Unsafe.Add(ref h, i) = hi + ei;
        }
    }

    /// <summary>
    /// Every dot product of a window: <c>dots[c · stride + t] = Dot(input[contextRows[c]], output[targetRows[t]])</c>, each
    /// the same bits as <see cref="Dot"/>. With AVX2 (and not AVX-512, whose path TensorPrimitives takes then) each context
    /// chunk is loaded once for up to <see cref="WindowTargetBlock"/> targets and the products are summed in
    /// TensorPrimitives.Dot's order (<see cref="DotChunk"/>), without its per-call set-up; elsewhere this calls <see cref="Dot"/>.
    /// </summary>
    public static void WindowDots(
        ReadOnlySpan<float> input, ReadOnlySpan<int> contextRows, ReadOnlySpan<float> output, ReadOnlySpan<int> targetRows, Span<float> dots, int stride, int d)
    {
        if (!Vector256.IsHardwareAccelerated || Vector512.IsHardwareAccelerated || d < Vector256<float>.Count)
        {
            for (int c = 0; c < contextRows.Length; c++)
            {
                ReadOnlySpan<float> x = input.Slice(contextRows[c] * d, d);
                for (int t = 0; t < targetRows.Length; t++)
                {
                    dots[(c * stride) + t] = Dot(x, output.Slice(targetRows[t] * d, d));
                }
            }

            return;
        }

        for (int c = 0; c < contextRows.Length; c++)
        {
            for (int t0 = 0; t0 < targetRows.Length; t0 += WindowTargetBlock)
            {
                DotBlock(input.Slice(contextRows[c] * d, d), output, targetRows.Slice(t0, Math.Min(WindowTargetBlock, targetRows.Length - t0)), dots.Slice((c * stride) + t0), d);
            }
        }
    }

    /// <summary>
    /// Which 8-float chunk TensorPrimitives.Dot (AVX2, float) adds <paramref name="k"/>-th: from 65 floats on, its
    /// unrolled loop first sums chunks 1 to 8m (m = (d − 8) / 64 rounds of eight), then the first chunk, then the rest in
    /// order; up to 64 floats simply in order. The partial last chunk comes after all of them (<see cref="DotBlock"/>).
    /// </summary>
    internal static int DotChunk(int k, int d)
    {
        int unrolled = d > 8 * Vector256<float>.Count ? (d - Vector256<float>.Count) / (8 * Vector256<float>.Count) * 8 : 0;
        return k < unrolled ? k + 1 : k == unrolled ? 0 : k;
    }

    /// <summary>The dots of one context row <paramref name="x"/> with up to six target rows, in TensorPrimitives.Dot's order.</summary>
    private static void DotBlock(ReadOnlySpan<float> x, ReadOnlySpan<float> output, ReadOnlySpan<int> rows, Span<float> dots, int d)
    {
        const int W = 8; // Vector256<float>.Count
        int n = rows.Length;
        ref float xr = ref MemoryMarshal.GetReference(x);
        ref float o = ref MemoryMarshal.GetReference(output);

        // Absent targets repeat the first row; their sums are computed and dropped.
        ref float y0 = ref Unsafe.Add(ref o, (nint)rows[0] * d);
        ref float y1 = ref Unsafe.Add(ref o, (nint)rows[n > 1 ? 1 : 0] * d), y2 = ref Unsafe.Add(ref o, (nint)rows[n > 2 ? 2 : 0] * d);
        ref float y3 = ref Unsafe.Add(ref o, (nint)rows[n > 3 ? 3 : 0] * d), y4 = ref Unsafe.Add(ref o, (nint)rows[n > 4 ? 4 : 0] * d);
        ref float y5 = ref Unsafe.Add(ref o, (nint)rows[n > 5 ? 5 : 0] * d);
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default;
        int chunks = d / W;
        for (int k = 0; k < chunks; k++)
        {
            // Multiply, then add: TensorPrimitives rounds the product before the sum (no FMA), and so must we.
            nuint i = (nuint)(DotChunk(k, d) * W);
            Vector256<float> xv = Vector256.LoadUnsafe(ref xr, i);
            a0 += xv * Vector256.LoadUnsafe(ref y0, i);
            a1 += xv * Vector256.LoadUnsafe(ref y1, i);
            a2 += xv * Vector256.LoadUnsafe(ref y2, i);
            a3 += xv * Vector256.LoadUnsafe(ref y3, i);
            a4 += xv * Vector256.LoadUnsafe(ref y4, i);
            a5 += xv * Vector256.LoadUnsafe(ref y5, i);
        }

        // The last 8 floats, only the lanes past the whole chunks kept (none when d is a multiple of 8: zeros are added).
        Vector256<float> keep = Vector256.GreaterThanOrEqual(Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7), Vector256.Create(W - (d % W))).AsSingle();
        nuint last = (nuint)(d - W);
        Vector256<float> xe = Vector256.LoadUnsafe(ref xr, last);
        a0 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y0, last), default);
        a1 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y1, last), default);
        a2 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y2, last), default);
        a3 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y3, last), default);
        a4 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y4, last), default);
        a5 += Vector256.ConditionalSelect(keep, xe * Vector256.LoadUnsafe(ref y5, last), default);

        dots[0] = Vector256.Sum(a0);
        if (n > 1) { dots[1] = Vector256.Sum(a1); }
        if (n > 2) { dots[2] = Vector256.Sum(a2); }
        if (n > 3) { dots[3] = Vector256.Sum(a3); }
        if (n > 4) { dots[4] = Vector256.Sum(a4); }
        if (n > 5) { dots[5] = Vector256.Sum(a5); }
    }

    /// <summary>
    /// How many targets <see cref="UpdateWindow"/> holds in registers at once: six target rows and their six gradients,
    /// with the context row, its error and the broadcast scale, fill AVX2's sixteen vector registers.
    /// </summary>
    public const int WindowTargetBlock = 6;

    /// <summary>The row stride of the scales that <see cref="UpdateWindow"/> reads: the targets rounded up to whole blocks.</summary>
    public static int PaddedTargets(int targets) => (targets + WindowTargetBlock - 1) / WindowTargetBlock * WindowTargetBlock;

    /// <summary>
    /// Shared negatives' update of a whole window in one pass (the minibatch of HogBatch, Ji et al. 2016). With
    /// <c>g[c, t] = g[c · PaddedTargets(targets) + t]</c>, every context row gets <c>input[c] += Σ_t g[c, t] · output[t]</c>
    /// and every target row <c>output[t] += Σ_c g[c, t] · input[c]</c>, both from the rows as they were before the call,
    /// each sum an FMA chain from zero in index order. Element by element that is <see cref="AccumulateTargets"/> once per
    /// context in order, then <see cref="Add"/> of each target's gradient, so the results are the same bits; but each row is
    /// loaded and stored once per block of <see cref="WindowTargetBlock"/> targets instead of once per pair, and the
    /// gradients stay in registers instead of a buffer.
    /// </summary>
    /// <param name="input">The input matrix, rows of <paramref name="d"/> floats.</param>
    /// <param name="contextRows">The window's context rows, all different (a repeat would have to see its own update).</param>
    /// <param name="output">The output matrix, rows of <paramref name="d"/> floats; not the same memory as <paramref name="input"/>.</param>
    /// <param name="targetRows">The target rows. A repeated row gets its gradients added in order, but both copies must
    /// fall in the same block of <see cref="WindowTargetBlock"/> (a later block would read the updated row).</param>
    /// <param name="g">The scales, contexts × <see cref="PaddedTargets"/>; the padding columns must be zero.</param>
    /// <param name="errors">Scratch of contexts × <paramref name="d"/> floats: the contexts' errors between blocks.</param>
    /// <param name="d">The row length.</param>
    public static void UpdateWindow(
        Span<float> input, ReadOnlySpan<int> contextRows, Span<float> output, ReadOnlySpan<int> targetRows, ReadOnlySpan<float> g, Span<float> errors, int d)
    {
        int stride = PaddedTargets(targetRows.Length);
        Debug.Assert(g.Length >= contextRows.Length * stride && errors.Length >= contextRows.Length * d);
        for (int t0 = 0; t0 < targetRows.Length; t0 += WindowTargetBlock)
        {
            int n = Math.Min(WindowTargetBlock, targetRows.Length - t0);
            UpdateWindowBlock(
                ref MemoryMarshal.GetReference(input), contextRows, ref MemoryMarshal.GetReference(output), targetRows.Slice(t0, n),
                ref Unsafe.Add(ref MemoryMarshal.GetReference(g), t0), stride, ref MemoryMarshal.GetReference(errors), d,
                firstBlock: t0 == 0, lastBlock: t0 + n == targetRows.Length);
        }
    }

    /// <summary>One block of at most <see cref="WindowTargetBlock"/> targets of <see cref="UpdateWindow"/>; the contexts' errors
    /// continue from <paramref name="errors"/> after the first block and are added to the contexts after the last.</summary>
    private static void UpdateWindowBlock(
        ref float input, ReadOnlySpan<int> contextRows, ref float output, ReadOnlySpan<int> targetRows, ref float g, int stride,
        ref float errors, int d, bool firstBlock, bool lastBlock)
    {
        int n = targetRows.Length, contexts = contextRows.Length;
        nint r0 = Row(targetRows, 0, d), r1 = Row(targetRows, 1, d), r2 = Row(targetRows, 2, d);
        nint r3 = Row(targetRows, 3, d), r4 = Row(targetRows, 4, d), r5 = Row(targetRows, 5, d);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= d - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                // The block's target rows as they were (absent ones read as zero, their scales are zero too).
                Vector256<float> o0 = Load(ref output, r0, i, n > 0), o1 = Load(ref output, r1, i, n > 1), o2 = Load(ref output, r2, i, n > 2);
                Vector256<float> o3 = Load(ref output, r3, i, n > 3), o4 = Load(ref output, r4, i, n > 4), o5 = Load(ref output, r5, i, n > 5);
                Vector256<float> gr0 = default, gr1 = default, gr2 = default, gr3 = default, gr4 = default, gr5 = default;
                for (int c = 0; c < contexts; c++)
                {
                    ref float h = ref Unsafe.Add(ref input, ((nint)contextRows[c] * d) + i);
                    ref float ec = ref Unsafe.Add(ref errors, ((nint)c * d) + i);
                    ref float gc = ref Unsafe.Add(ref g, (nint)c * stride);
                    Vector256<float> hv = Vector256.LoadUnsafe(ref h), e = firstBlock ? default : Vector256.LoadUnsafe(ref ec);

                    // One broadcast scale serves both products of the pair: the context's error and the target's gradient.
                    Vector256<float> gv = Vector256.Create(gc);
                    (e, gr0) = (Vector256.FusedMultiplyAdd(gv, o0, e), Vector256.FusedMultiplyAdd(gv, hv, gr0));
                    gv = Vector256.Create(Unsafe.Add(ref gc, 1));
                    (e, gr1) = (Vector256.FusedMultiplyAdd(gv, o1, e), Vector256.FusedMultiplyAdd(gv, hv, gr1));
                    gv = Vector256.Create(Unsafe.Add(ref gc, 2));
                    (e, gr2) = (Vector256.FusedMultiplyAdd(gv, o2, e), Vector256.FusedMultiplyAdd(gv, hv, gr2));
                    gv = Vector256.Create(Unsafe.Add(ref gc, 3));
                    (e, gr3) = (Vector256.FusedMultiplyAdd(gv, o3, e), Vector256.FusedMultiplyAdd(gv, hv, gr3));
                    gv = Vector256.Create(Unsafe.Add(ref gc, 4));
                    (e, gr4) = (Vector256.FusedMultiplyAdd(gv, o4, e), Vector256.FusedMultiplyAdd(gv, hv, gr4));
                    gv = Vector256.Create(Unsafe.Add(ref gc, 5));
                    (e, gr5) = (Vector256.FusedMultiplyAdd(gv, o5, e), Vector256.FusedMultiplyAdd(gv, hv, gr5));
                    if (lastBlock)
                    {
                        (hv + e).StoreUnsafe(ref h); // contexts are all different: no later pair reads this row
                    }
                    else
                    {
                        e.StoreUnsafe(ref ec);
                    }
                }

                // Reloading each target row before adding makes a repeated row take both gradients, in order.
                AddTo(ref output, r0, i, gr0, n > 0);
                AddTo(ref output, r1, i, gr1, n > 1);
                AddTo(ref output, r2, i, gr2, n > 2);
                AddTo(ref output, r3, i, gr3, n > 3);
                AddTo(ref output, r4, i, gr4, n > 4);
                AddTo(ref output, r5, i, gr5, n > 5);
            }
        }

        for (; i < d; i++)
        {
            // The same chains element by element: every error from the old target rows first, then every gradient from
            // the old context rows, then the contexts move.
            for (int c = 0; c < contexts; c++)
            {
                ref float gc = ref Unsafe.Add(ref g, (nint)c * stride);
                ref float ec = ref Unsafe.Add(ref errors, ((nint)c * d) + i);
                float e = firstBlock ? 0f : ec;
                for (int t = 0; t < n; t++)
                {
                    e = MathF.FusedMultiplyAdd(Unsafe.Add(ref gc, t), Unsafe.Add(ref output, ((nint)targetRows[t] * d) + i), e);
                }

                ec = e;
            }

            for (int t = 0; t < n; t++)
            {
                float gradient = 0f;
                for (int c = 0; c < contexts; c++)
                {
                    gradient = MathF.FusedMultiplyAdd(Unsafe.Add(ref g, ((nint)c * stride) + t), Unsafe.Add(ref input, ((nint)contextRows[c] * d) + i), gradient);
                }

                Unsafe.Add(ref output, ((nint)targetRows[t] * d) + i) += gradient;
            }

            if (lastBlock)
            {
                for (int c = 0; c < contexts; c++)
                {
                    Unsafe.Add(ref input, ((nint)contextRows[c] * d) + i) += Unsafe.Add(ref errors, ((nint)c * d) + i);
                }
            }
        }

        static nint Row(ReadOnlySpan<int> rows, int t, int d) => t < rows.Length ? (nint)rows[t] * d : 0;

        static Vector256<float> Load(ref float matrix, nint row, int i, bool present) =>
            present ? Vector256.LoadUnsafe(ref Unsafe.Add(ref matrix, row + i)) : default;

        static void AddTo(ref float matrix, nint row, int i, Vector256<float> gradient, bool present)
        {
            if (present)
            {
                ref float o = ref Unsafe.Add(ref matrix, row + i);
                (Vector256.LoadUnsafe(ref o) + gradient).StoreUnsafe(ref o);
            }
        }
    }

    /// <summary>The scalar twin of <see cref="UpdateWindow"/>, written from its definition (no blocks).</summary>
    public static void UpdateWindowScalar(
        Span<float> input, ReadOnlySpan<int> contextRows, Span<float> output, ReadOnlySpan<int> targetRows, ReadOnlySpan<float> g, int d)
    {
        int stride = PaddedTargets(targetRows.Length);
        var errors = new float[contextRows.Length];
        for (int i = 0; i < d; i++)
        {
            for (int c = 0; c < contextRows.Length; c++)
            {
                float e = 0f;
                for (int t = 0; t < targetRows.Length; t++)
                {
                    e = MathF.FusedMultiplyAdd(g[(c * stride) + t], output[(targetRows[t] * d) + i], e);
                }

                errors[c] = e;
            }

            for (int t = 0; t < targetRows.Length; t++)
            {
                float gradient = 0f;
                for (int c = 0; c < contextRows.Length; c++)
                {
                    gradient = MathF.FusedMultiplyAdd(g[(c * stride) + t], input[(contextRows[c] * d) + i], gradient);
                }

                output[(targetRows[t] * d) + i] += gradient;
            }

            for (int c = 0; c < contextRows.Length; c++)
            {
                input[(contextRows[c] * d) + i] += errors[c];
            }
        }
    }

    /// <summary><c>destination += source</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(Span<float> destination, ReadOnlySpan<float> source) => TensorPrimitives.Add(destination, source, destination);

    /// <summary>The sigmoid table then the log-sigmoid table (<c>TableSize + 1</c> entries each), for devices that look them up alike.</summary>
    internal static float[] Tables() => [.. SigmoidTable, .. LogSigmoidTable];

    private static float[] BuildTable(Func<double, double> function)
    {
        var table = new float[TableSize + 1];
        for (int i = 0; i <= TableSize; i++)
        {
            double x = (i / (double)TableSize * 2 - 1) * MaxExp;
            table[i] = (float)function(x);
        }

        return table;
    }
}
