using Embeddings.Core.Numerics;
using Embeddings.Core.Tests.Sequences;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Numerics;

/// <summary>
/// <see cref="VectorMath.AdamWWithoutGradient"/> (the replay of an embedding row's missed steps) against
/// <see cref="VectorMath.AdamW"/> called once per step with a zero gradient: the same bits, including the long runs of
/// steps whose update rounds away and the values at the edges of that test.
/// </summary>
public class VectorMathTests
{
    private const float Beta1 = 0.9f, Beta2 = 0.999f;

    public static TheoryData<string, float, float> Cases => new()
    {
        { "adam", 0f, 1e-4f },
        { "adamw", 0.01f, 1e-4f },
        { "adamw, second moment 0: the denominator is ε, the bound of the test is tight", 0.01f, 0f },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void AdamWWithoutGradient_EqualsOneDenseStepAtATime_BitForBit(string name, float weightDecay, float secondMoment)
    {
        // 45 columns: a group of four vectors, one more vector and a 5-element tail; 700 steps: long enough for the first
        // moment to fall far below the weights, so that most steps' updates round away.
        const int Columns = 45, Steps = 700;
        (float[] weights, float[] moment, float[] square) = Row(Columns, secondMoment);
        OptimizerStep[] steps = Schedule(Steps, weightDecay, epsilon: 1e-8f);

        (float[] p, float[] m, float[] v) = DenseSteps(weights, moment, square, steps, Beta2, epsilon: 1e-8f);

        VectorMath.AdamWWithoutGradient(weights, moment, square, steps, Beta1, Beta2, 1e-8f);

        FloatBits.Of(weights).Should().Equal(FloatBits.Of(p), name);
        FloatBits.Of(moment).Should().Equal(FloatBits.Of(m));
        FloatBits.Of(square).Should().Equal(FloatBits.Of(v));
        weights.Should().NotEqual(Row(Columns, secondMoment).Weights, "the first steps still move the weights");
    }

    public static TheoryData<float, float, float> EdgeLanes => new()
    {
        { 0f, 1e-3f, 1e-6f },
        { -0f, -1e-3f, 1e-6f },
        { 1e-40f, 1e-3f, 1e-6f },              // a subnormal weight
        { 1e-7f, 1e-3f, 1e-6f },               // below the smallest weight the test trusts
        { float.PositiveInfinity, 1e-3f, 1e-6f },
        { float.PositiveInfinity, 1e31f, 0f },  // an infinite weight less an infinite update: NaN
        { float.NaN, 1e-3f, 1e-6f },
        { 0.5f, 1e-20f, float.NaN },           // negligible but for the second moment
        { -0.25f, 1e-20f, -1e-6f },            // a negative second moment (a damaged checkpoint): NaN steps
        { 0.75f, 1e30f, 1e-6f },
        { 0.5f, float.NaN, 1e-6f },
        { 0.5f, 1e-3f, float.PositiveInfinity },
        { 0.5f, 1e-20f, float.PositiveInfinity }, // with β2 = 0: v ← ∞·0 = NaN
        { 2f, 1e-41f, 0f },
    };

    [Theory]
    [MemberData(nameof(EdgeLanes))]
    public void AdamWWithoutGradient_EdgeValue_EqualsOneDenseStepAtATime_BitForBit(float weight, float firstMoment, float secondMoment)
    {
        // The edge value in one lane, beside lanes whose updates round away from the first step: the test must send the
        // lane's vector (or group of vectors) through the full step while that lane needs it.
        const int Columns = 45;
        foreach (int lane in new[] { 3, 11, 19, 27, 35, 43 }) // in each vector of the group of four, the vector after it, the tail
        {
            foreach ((float epsilon, float beta2) in new[] { (1e-8f, Beta2), (0f, Beta2), (1e-20f, Beta2), (1e-8f, 0f) })
            {
                float[] weights = [.. Enumerable.Repeat(0.5f, Columns)], moment = [.. Enumerable.Repeat(1e-20f, Columns)], square = [.. Enumerable.Repeat(1e-6f, Columns)];
                (weights[lane], moment[lane], square[lane]) = (weight, firstMoment, secondMoment);
                OptimizerStep[] steps = Schedule(300, weightDecay: 0.01f, epsilon, beta2);
                (float[] p, float[] m, float[] v) = DenseSteps(weights, moment, square, steps, beta2, epsilon);

                VectorMath.AdamWWithoutGradient(weights, moment, square, steps, Beta1, beta2, epsilon);

                FloatBits.Of(weights).Should().Equal(FloatBits.Of(p), $"lane {lane}, ε = {epsilon}, β2 = {beta2}");
                FloatBits.Of(moment).Should().Equal(FloatBits.Of(m));
                FloatBits.Of(square).Should().Equal(FloatBits.Of(v));
            }
        }
    }

    [Fact]
    public void NegligibleMoment_IsZeroWhereTheTestIsNotTrusted()
    {
        VectorMath.NegligibleMoment(1e-3f, 1e-8f).Should().BeInRange(1e-13f, 2e-13f); // 2⁻²⁶ · 1e-8 / 1e-3
        VectorMath.NegligibleMoment(1e-3f, 0f).Should().Be(0f);
        VectorMath.NegligibleMoment(1e-3f, 1e-20f).Should().Be(0f);
        VectorMath.NegligibleMoment(4096f, 1e-8f).Should().Be(0f);
        VectorMath.NegligibleMoment(float.NaN, 1e-8f).Should().Be(0f);
    }

    /// <summary>The reference: copies of the row updated by <see cref="VectorMath.AdamW"/> once per step with a zero gradient.</summary>
    private static (float[] Weights, float[] Moment, float[] Square) DenseSteps(float[] weights, float[] moment, float[] square, OptimizerStep[] steps, float beta2, float epsilon)
    {
        (float[] p, float[] m, float[] v) = (weights.ToArray(), moment.ToArray(), square.ToArray());
        float[] zero = new float[p.Length];
        foreach (OptimizerStep step in steps)
        {
            VectorMath.AdamW(p, m, v, zero, step.Decay, step.StepSize, step.Correction2, Beta1, beta2, epsilon);
        }

        return (p, m, v);
    }

    /// <summary>A row's weights and moments as after some training: weights near ±0.1, a first moment of gradients near 1e-2.</summary>
    private static (float[] Weights, float[] Moment, float[] Square) Row(int columns, float secondMoment)
    {
        float[] weights = GradientCheck.Uniform(columns, 0.1f, seed: 3);
        float[] moment = GradientCheck.Uniform(columns, 1e-2f, seed: 4);
        float[] square = [.. GradientCheck.Uniform(columns, secondMoment, seed: 5).Select(MathF.Abs)];
        return (weights, moment, square);
    }

    /// <summary>Steps 11, 12, … of a linearly decaying learning rate from 1e-3, with Adam's scalars as the optimiser computes them.</summary>
    private static OptimizerStep[] Schedule(int count, float weightDecay, float epsilon, float beta2 = Beta2) =>
    [
        .. Enumerable.Range(11, count).Select(t =>
        {
            double rate = 1e-3 * (1 - (t / (2.0 * (count + 11))));
            float stepSize = (float)(rate / (1 - Math.Pow(Beta1, t)));
            return new OptimizerStep((float)rate, 1f - ((float)rate * weightDecay), stepSize, (float)Math.Sqrt(1 - Math.Pow(beta2, t)), VectorMath.NegligibleMoment(stepSize, epsilon));
        }),
    ];
}
