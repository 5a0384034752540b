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
