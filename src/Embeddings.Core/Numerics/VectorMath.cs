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
    /// <remarks>
    /// A step whose update provably rounds away, <c>p·decay − stepSize·m/(…) = p·decay</c> in float for all eight lanes
    /// (<see cref="OptimizerStep.NegligibleMoment"/>), skips the square root and the two divisions: the moments still
    /// decay step by step as in <see cref="AdamW"/>. A row that waits hundreds of steps between reads spends most of
    /// them there, since its first moment shrinks by β1 every step.
    /// </remarks>
    public static void AdamWWithoutGradient(Span<float> parameters, Span<float> moment, Span<float> squareMoment, ReadOnlySpan<OptimizerStep> steps, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Span<Vector256<float>> p = MemoryMarshal.Cast<float, Vector256<float>>(parameters);
            Span<Vector256<float>> m = MemoryMarshal.Cast<float, Vector256<float>>(moment);
            Span<Vector256<float>> s = MemoryMarshal.Cast<float, Vector256<float>>(squareMoment);
            int j = 0;
            for (; j <= p.Length - 4; j += 4)
            {
                AdamWWithoutGradient4(p.Slice(j, 4), m.Slice(j, 4), s.Slice(j, 4), steps, beta1, beta2, epsilon);
            }

            for (; j < p.Length; j++)
            {
                AdamWWithoutGradient(ref p[j], ref m[j], ref s[j], steps, beta1, beta2, epsilon);
            }

            i = p.Length * Vector256<float>.Count;
            if (i < parameters.Length)
            {
                // The last elements as one more vector; its spare lanes hold p = 1, m = v = 0, whose update is negligible.
                int rest = parameters.Length - i;
                Span<float> last = stackalloc float[3 * Vector256<float>.Count];
                last.Clear();
                Span<float> lastP = last[..8], lastM = last[8..16], lastS = last[16..];
                lastP.Fill(1f);
                parameters[i..].CopyTo(lastP);
                moment[i..].CopyTo(lastM);
                squareMoment[i..].CopyTo(lastS);
                Span<Vector256<float>> vectors = MemoryMarshal.Cast<float, Vector256<float>>(last);
                AdamWWithoutGradient(ref vectors[0], ref vectors[1], ref vectors[2], steps, beta1, beta2, epsilon);
                lastP[..rest].CopyTo(parameters[i..]);
                lastM[..rest].CopyTo(moment[i..]);
                lastS[..rest].CopyTo(squareMoment[i..]);
                i = parameters.Length;
            }
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

    /// <summary>
    /// The ratio <c>|m| / |p·decay|</c> below which a step's update <c>stepSize·m/(√v/correction2 + ε)</c> is less than
    /// half a unit in the last place of <c>p·decay</c>, so that subtracting it in float leaves <c>p·decay</c> as it is:
    /// 2⁻²⁶·ε/|stepSize|, less a margin for the roundings of the test and of the update. Why: the denominator is at
    /// least ε when v ≥ 0, so the update is at most |m|·|stepSize|/ε; and half the spacing of the floats next to a
    /// normal q exceeds |q|·2⁻²⁶. The test is trusted only where every rounding in it is relative (|p·decay| ≥ 2⁻²⁰,
    /// |stepSize| &lt; 2¹⁰, ε ≥ 2⁻⁴⁰); otherwise 0, never negligible.
    /// </summary>
    public static float NegligibleMoment(float stepSize, float epsilon) =>
        epsilon >= 9.094947e-13f && Math.Abs(stepSize) < 1024f // 2⁻⁴⁰, 2¹⁰
            ? (float)(Math.ScaleB(epsilon, -26) / Math.Abs((double)stepSize) / (1 + Math.ScaleB(1.0, -20)))
            : 0f;

    /// <summary>One vector's <see cref="AdamWWithoutGradient(Span{float}, Span{float}, Span{float}, ReadOnlySpan{OptimizerStep}, float, float, float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamWWithoutGradient(ref Vector256<float> p, ref Vector256<float> m, ref Vector256<float> s, ReadOnlySpan<OptimizerStep> steps, float beta1, float beta2, float epsilon)
    {
        Vector256<float> pj = p, mj = m, sj = s;
        var moments = new ZeroGradientMoments(beta1, beta2);
        bool mayRoundAway = MayRoundAway(sj, beta2);
        foreach (OptimizerStep step in steps)
        {
            moments.Step(ref mj, ref sj);
            Vector256<float> decayed = pj * step.Decay;
            pj = mayRoundAway && NegligibleLanes(decayed, mj, step.NegligibleMoment).ExtractMostSignificantBits() == 0xFF
                ? decayed
                : AdamWParameter(decayed, mj, sj, step.StepSize, step.Correction2, epsilon);
        }

        (p, m, s) = (pj, mj, sj);
    }

    /// <summary>
    /// Four vectors' <see cref="AdamWWithoutGradient(Span{float}, Span{float}, Span{float}, ReadOnlySpan{OptimizerStep}, float, float, float)"/>
    /// at once: the chains that carry p, m and v from step to step are a multiply and an add each, so a single vector's
    /// steps would wait on them; four fill the time, and take the full step together when any lane needs it.
    /// </summary>
    private static void AdamWWithoutGradient4(Span<Vector256<float>> p, Span<Vector256<float>> m, Span<Vector256<float>> s, ReadOnlySpan<OptimizerStep> steps, float beta1, float beta2, float epsilon)
    {
        Vector256<float> p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3];
        Vector256<float> m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3];
        Vector256<float> s0 = s[0], s1 = s[1], s2 = s[2], s3 = s[3];
        var moments = new ZeroGradientMoments(beta1, beta2);
        bool mayRoundAway = MayRoundAway(s0, beta2) && MayRoundAway(s1, beta2) && MayRoundAway(s2, beta2) && MayRoundAway(s3, beta2);
        foreach (OptimizerStep step in steps)
        {
            moments.Step(ref m0, ref s0);
            moments.Step(ref m1, ref s1);
            moments.Step(ref m2, ref s2);
            moments.Step(ref m3, ref s3);
            Vector256<float> d0 = p0 * step.Decay, d1 = p1 * step.Decay, d2 = p2 * step.Decay, d3 = p3 * step.Decay;
            if (mayRoundAway
                && (NegligibleLanes(d0, m0, step.NegligibleMoment) & NegligibleLanes(d1, m1, step.NegligibleMoment)
                    & NegligibleLanes(d2, m2, step.NegligibleMoment) & NegligibleLanes(d3, m3, step.NegligibleMoment)).ExtractMostSignificantBits() == 0xFF)
            {
                (p0, p1, p2, p3) = (d0, d1, d2, d3);
            }
            else
            {
                p0 = AdamWParameter(d0, m0, s0, step.StepSize, step.Correction2, epsilon);
                p1 = AdamWParameter(d1, m1, s1, step.StepSize, step.Correction2, epsilon);
                p2 = AdamWParameter(d2, m2, s2, step.StepSize, step.Correction2, epsilon);
                p3 = AdamWParameter(d3, m3, s3, step.StepSize, step.Correction2, epsilon);
            }
        }

        (p[0], p[1], p[2], p[3]) = (p0, p1, p2, p3);
        (m[0], m[1], m[2], m[3]) = (m0, m1, m2, m3);
        (s[0], s[1], s[2], s[3]) = (s0, s1, s2, s3);
    }

    /// <summary>
    /// Whether the negligible-update test may hold on these lanes during a replay: it needs v ≥ 0 (then the denominator
    /// is at least ε), and a finite v ≥ 0 stays so under <c>v ← β2·v + 0</c> when β2 ≥ 0, so one look before the steps
    /// covers them all.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool MayRoundAway(Vector256<float> s, float beta2) =>
        beta2 >= 0
        && (Vector256.GreaterThanOrEqual(s, Vector256<float>.Zero) & Vector256.LessThan(s, Vector256.Create(float.PositiveInfinity))).ExtractMostSignificantBits() == 0xFF;

    /// <summary>The lanes whose update provably rounds away (<see cref="NegligibleMoment"/>), given v ≥ 0: all bits set there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> NegligibleLanes(Vector256<float> decayed, Vector256<float> m, float negligibleMoment)
    {
        Vector256<float> size = Vector256.Abs(decayed);
        return Vector256.LessThan(Vector256.Abs(m), size * negligibleMoment)
            & Vector256.GreaterThanOrEqual(size, Vector256.Create(SmallestTestedParameter))
            & Vector256.LessThan(size, Vector256.Create(float.PositiveInfinity));
    }

    /// <summary>
    /// <see cref="AdamWMoments"/> with a zero gradient, its gradient terms (<c>0·(1−β1)</c> and <c>0·0·(1−β2)</c>)
    /// computed once: the same values, so the same bits.
    /// </summary>
    private readonly struct ZeroGradientMoments(float beta1, float beta2)
    {
        private readonly Vector256<float> _firstTerm = Vector256<float>.Zero * (1 - beta1);
        private readonly Vector256<float> _secondTerm = Vector256<float>.Zero * Vector256<float>.Zero * (1 - beta2);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Step(ref Vector256<float> m, ref Vector256<float> s)
        {
            m = m * beta1 + _firstTerm;
            s = s * beta2 + _secondTerm;
        }
    }

    /// <summary>Below this |p·decay| the negligible-update test is not trusted (see <see cref="NegligibleMoment"/>).</summary>
    private const float SmallestTestedParameter = 9.536743e-07f; // 2⁻²⁰

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamWMoments(ref Vector256<float> m, ref Vector256<float> s, Vector256<float> g, float beta1, float beta2)
    {
        m = m * beta1 + g * (1 - beta1);
        s = s * beta2 + g * g * (1 - beta2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> AdamWParameter(Vector256<float> decayed, Vector256<float> m, Vector256<float> s, float stepSize, float correction2, float epsilon)
    {
        Vector256<float> denominator = Vector256.Sqrt(s) / correction2 + Vector256.Create(epsilon);
        return decayed - m / denominator * stepSize;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AdamWStep(ref Vector256<float> p, ref Vector256<float> m, ref Vector256<float> s, Vector256<float> g, float decay, float stepSize, float correction2, float beta1, float beta2, float epsilon)
    {
        AdamWMoments(ref m, ref s, g, beta1, beta2);
        p = AdamWParameter(p * decay, m, s, stepSize, correction2, epsilon);
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
/// SGD), lr / (1 − β1ᵗ), √(1 − β2ᵗ), and the <see cref="VectorMath.NegligibleMoment"/> of that step size.
/// </summary>
internal readonly record struct OptimizerStep(float LearningRate, float Decay, float StepSize, float Correction2, float NegligibleMoment);
