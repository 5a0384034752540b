using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Embeddings.Core.Numerics;

/// <summary>Small vector kernels whose arithmetic order is fixed, so that training runs are bit-identical.</summary>
internal static class VectorMath
{
    /// <summary>
    /// PyTorch's single-tensor AdamW on one slice: <c>p ← p·decay; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
    /// p ← p − stepSize · m / (√v / correction2 + ε)</c>. Lanes and the scalar tail do the same operations, unfused.
    /// </summary>
    public static void AdamW(Span<float> parameters, Span<float> moment, Span<float> squareMoment, ReadOnlySpan<float> gradient, float decay, float stepSize, float correction2, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<Vector256<float>> p = MemoryMarshal.Cast<float, Vector256<float>>(parameters);
            Span<Vector256<float>> m = MemoryMarshal.Cast<float, Vector256<float>>(moment);
            Span<Vector256<float>> s = MemoryMarshal.Cast<float, Vector256<float>>(squareMoment);
            ReadOnlySpan<Vector256<float>> g = MemoryMarshal.Cast<float, Vector256<float>>(gradient);
            for (int j = 0; j < p.Length; j++)
            {
                AdamWStep(ref p[j], ref m[j], ref s[j], g[j], decay, stepSize, correction2, beta1, beta2, epsilon);
            }

            i = p.Length * Vector256<float>.Count;
        }

        for (; i < parameters.Length; i++)
        {
            AdamWStep(ref parameters[i], ref moment[i], ref squareMoment[i], gradient[i], decay, stepSize, correction2, beta1, beta2, epsilon);
        }
    }

    /// <summary>
    /// <see cref="AdamW"/> with a zero gradient, once per step of <paramref name="steps"/> in order: the same operations
    /// on each element as those calls would do (so the same bits), with the element held in registers across the steps.
    /// </summary>
    public static void AdamWWithoutGradient(Span<float> parameters, Span<float> moment, Span<float> squareMoment, ReadOnlySpan<OptimizerStep> steps, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<Vector256<float>> p = MemoryMarshal.Cast<float, Vector256<float>>(parameters);
            Span<Vector256<float>> m = MemoryMarshal.Cast<float, Vector256<float>>(moment);
            Span<Vector256<float>> s = MemoryMarshal.Cast<float, Vector256<float>>(squareMoment);
            for (int j = 0; j < p.Length; j++)
            {
                // Only p, m and v carry from step to step; each step's square root and divisions overlap the next's.
                Vector256<float> pj = p[j], mj = m[j], sj = s[j];
                foreach (OptimizerStep step in steps)
                {
                    AdamWStep(ref pj, ref mj, ref sj, Vector256<float>.Zero, step.Decay, step.StepSize, step.Correction2, beta1, beta2, epsilon);
                }

                (p[j], m[j], s[j]) = (pj, mj, sj);
            }

            i = p.Length * Vector256<float>.Count;
        }

        for (; i < parameters.Length; i++)
        {
            float pi = parameters[i], mi = moment[i], si = squareMoment[i];
            foreach (OptimizerStep step in steps)
            {
                AdamWStep(ref pi, ref mi, ref si, 0f, step.Decay, step.StepSize, step.Correction2, beta1, beta2, epsilon);
            }

            (parameters[i], moment[i], squareMoment[i]) = (pi, mi, si);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamWStep(ref Vector256<float> p, ref Vector256<float> m, ref Vector256<float> s, Vector256<float> g, float decay, float stepSize, float correction2, float beta1, float beta2, float epsilon)
    {
        m = m * beta1 + g * (1 - beta1);
        s = s * beta2 + g * g * (1 - beta2);
        Vector256<float> denominator = Vector256.Sqrt(s) / correction2 + Vector256.Create(epsilon);
        p = p * decay - m / denominator * stepSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamWStep(ref float p, ref float m, ref float s, float g, float decay, float stepSize, float correction2, float beta1, float beta2, float epsilon)
    {
        m = m * beta1 + g * (1 - beta1);
        s = s * beta2 + g * g * (1 - beta2);
        float denominator = MathF.Sqrt(s) / correction2 + epsilon;
        p = p * decay - m / denominator * stepSize;
    }

    /// <summary>A sum in a fixed order (TensorPrimitives.Sum's order may follow the buffer's alignment, which would break bit-exact runs).</summary>
    public static float Sum(ReadOnlySpan<float> values)
    {
        int i = 0;
        float total = 0;
        if (Vector256.IsHardwareAccelerated && values.Length >= 4 * Vector256<float>.Count)
        {
            ReadOnlySpan<Vector256<float>> v = MemoryMarshal.Cast<float, Vector256<float>>(values);
            Vector256<float> s0 = v[0], s1 = v[1], s2 = v[2], s3 = v[3];
            int j = 4;
            for (; j <= v.Length - 4; j += 4)
            {
                s0 += v[j];
                s1 += v[j + 1];
                s2 += v[j + 2];
                s3 += v[j + 3];
            }

            for (; j < v.Length; j++)
            {
                s0 += v[j];
            }

            total = Vector256.Sum((s0 + s1) + (s2 + s3));
            i = v.Length * Vector256<float>.Count;
        }

        for (; i < values.Length; i++)
        {
            total += values[i];
        }

        return total;
    }
}

/// <summary>
/// The scalars of one optimiser step: its learning rate and, for Adam(W), the decoupled decay factor (1 for Adam and
/// SGD), lr / (1 − β1ᵗ) and √(1 − β2ᵗ).
/// </summary>
internal readonly record struct OptimizerStep(float LearningRate, float Decay, float StepSize, float Correction2);
