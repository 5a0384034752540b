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
                Vector256<float> gj = g[j];
                Vector256<float> mj = m[j] * beta1 + gj * (1 - beta1);
                Vector256<float> sj = s[j] * beta2 + gj * gj * (1 - beta2);
                Vector256<float> denominator = Vector256.Sqrt(sj) / correction2 + Vector256.Create(epsilon);
                p[j] = p[j] * decay - mj / denominator * stepSize;
                m[j] = mj;
                s[j] = sj;
            }

            i = p.Length * Vector256<float>.Count;
        }

        for (; i < parameters.Length; i++)
        {
            float gi = gradient[i];
            float mi = moment[i] * beta1 + gi * (1 - beta1);
            float si = squareMoment[i] * beta2 + gi * gi * (1 - beta2);
            float denominator = MathF.Sqrt(si) / correction2 + epsilon;
            parameters[i] = parameters[i] * decay - mi / denominator * stepSize;
            moment[i] = mi;
            squareMoment[i] = si;
        }
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
