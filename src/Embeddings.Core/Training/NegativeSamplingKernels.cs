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
