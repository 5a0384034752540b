using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Training;

public class NegativeSamplingKernelsTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 2 * 16 + 4)];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UpdatePair_AnyLength_MatchesTheScalarTwin(int length)
    {
        var random = new Random(length);
        float[] input = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] output = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] error = [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] outputScalar = [.. output], errorScalar = [.. error];

        NegativeSamplingKernels.UpdatePair(error, output, input, 0.0375f);
        NegativeSamplingKernels.UpdatePairScalar(errorScalar, outputScalar, input, 0.0375f);

        output.Should().Equal(outputScalar, (a, b) => Math.Abs(a - b) <= 1e-6f * (1 + Math.Abs(b)));
        error.Should().Equal(errorScalar, (a, b) => Math.Abs(a - b) <= 1e-6f * (1 + Math.Abs(b)));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AccumulatePair_AnyLength_MatchesTheScalarTwin(int length)
    {
        var random = new Random(100 + length);
        float[] Next() => [.. Enumerable.Range(0, length).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] input = Next(), output = Next(), error = Next(), gradient = Next();
        float[] errorScalar = [.. error], gradientScalar = [.. gradient];

        NegativeSamplingKernels.AccumulatePair(error, gradient, output, input, -0.02f);
        NegativeSamplingKernels.AccumulatePairScalar(errorScalar, gradientScalar, output, input, -0.02f);

        error.Should().Equal(errorScalar, (a, b) => Math.Abs(a - b) <= 1e-6f * (1 + Math.Abs(b)));
        gradient.Should().Equal(gradientScalar, (a, b) => Math.Abs(a - b) <= 1e-6f * (1 + Math.Abs(b)));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void UpdateTargets_AnyLength_GivesTheBitsOfUpdatePairOncePerTarget(int length)
    {
        var random = new Random(200 + length);
        float[] Next(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f)];
        int[] rows = [4, 0, 6, 2, 5, 1];
        float[] scales = [0.03f, -0.011f, -0.02f, -0.0007f, -0.019f, -0.004f];
        float[] input = Next(length), output = Next(7 * length), error = Next(length);
        float[] outputSequential = [.. output], errorSequential = [.. error];

        NegativeSamplingKernels.UpdateTargets(error, output, rows, scales, input);
        for (int t = 0; t < rows.Length; t++)
        {
            NegativeSamplingKernels.UpdatePairScalar(errorSequential, outputSequential.AsSpan(rows[t] * length, length), input, scales[t]);
        }

        FloatBits.Of(output).Should().Equal(FloatBits.Of(outputSequential));
        FloatBits.Of(error).Should().Equal(FloatBits.Of(errorSequential));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AccumulateTargets_AnyLength_GivesTheBitsOfAccumulatePairThenAdd(int length)
    {
        var random = new Random(300 + length);
        float[] Next(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f)];
        int[] rows = [3, 0, 3, 1]; // a repeated noise word is allowed here: the output rows are only read
        float[] scales = [0.025f, -0.013f, -0.002f, -0.021f];
        float[] input = Next(length), output = Next(4 * length), gradients = Next(rows.Length * length);
        float[] inputSequential = [.. input], gradientsSequential = [.. gradients], error = new float[length];
        float[] outputBefore = [.. output];

        NegativeSamplingKernels.AccumulateTargets(input, gradients, output, rows, scales);
        for (int t = 0; t < rows.Length; t++)
        {
            NegativeSamplingKernels.AccumulatePairScalar(
                error, gradientsSequential.AsSpan(t * length, length), output.AsSpan(rows[t] * length, length), inputSequential, scales[t]);
        }

        for (int i = 0; i < length; i++)
        {
            inputSequential[i] += error[i];
        }

        FloatBits.Of(input).Should().Equal(FloatBits.Of(inputSequential));
        FloatBits.Of(gradients).Should().Equal(FloatBits.Of(gradientsSequential));
        output.Should().Equal(outputBefore);
    }

    /// <summary>A window of <see cref="Contexts"/> distinct context rows against <see cref="Targets"/> target rows.</summary>
    public sealed record WindowCase(int Length, int Contexts, int[] Targets)
    {
        public override string ToString() => $"d={Length}, contexts={Contexts}, targets=[{string.Join(',', Targets)}]";
    }

    public static TheoryData<WindowCase> WindowCases()
    {
        var cases = new TheoryData<WindowCase>();
        foreach (int length in (int[])[0, 1, 7, 8, 9, 16, 17, 31, 100])
        {
            cases.Add(new WindowCase(length, 1, [2]));
            cases.Add(new WindowCase(length, 4, [5, 0, 3]));
            cases.Add(new WindowCase(length, 10, [4, 0, 6, 2, 5, 1]));             // the default: 1 + 5 targets, window 5
            cases.Add(new WindowCase(length, 3, [4, 0, 4, 2]));                   // a noise word drawn twice, in one block
            cases.Add(new WindowCase(length, 6, [7, 0, 6, 2, 5, 1, 3, 8, 9, 10, 11])); // two blocks of targets
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(WindowCases))]
    public void UpdateWindow_AnyShape_GivesTheBitsOfAccumulateTargetsThenAdd(WindowCase window)
    {
        (int d, int contexts, int[] rows) = (window.Length, window.Contexts, window.Targets);
        var random = new Random((d * 100) + contexts);
        float[] Next(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f)];
        int[] contextRows = [.. Enumerable.Range(0, contexts).Select(c => (3 * c) + 1)]; // distinct, not in order
        Array.Reverse(contextRows);
        int stride = NegativeSamplingKernels.PaddedTargets(rows.Length);
        float[] scales = new float[contexts * stride];
        for (int c = 0; c < contexts; c++)
        {
            for (int t = 0; t < rows.Length; t++)
            {
                scales[(c * stride) + t] = ((float)random.NextDouble() - 0.6f) * 0.05f;
            }
        }

        float[] input = Next(31 * d), output = Next(12 * d);
        float[] inputSequential = [.. input], outputSequential = [.. output], inputScalar = [.. input], outputScalar = [.. output];

        NegativeSamplingKernels.UpdateWindow(input, contextRows, output, rows, scales, new float[contexts * d], d);

        // The pair-by-pair path it replaces: each context against every target, then each target's summed gradient.
        float[] gradients = new float[rows.Length * d];
        for (int c = 0; c < contexts; c++)
        {
            NegativeSamplingKernels.AccumulateTargets(
                inputSequential.AsSpan(contextRows[c] * d, d), gradients, outputSequential, rows, scales.AsSpan(c * stride, rows.Length));
        }

        for (int t = 0; t < rows.Length; t++)
        {
            NegativeSamplingKernels.Add(outputSequential.AsSpan(rows[t] * d, d), gradients.AsSpan(t * d, d));
        }

        NegativeSamplingKernels.UpdateWindowScalar(inputScalar, contextRows, outputScalar, rows, scales, d);

        FloatBits.Of(input).Should().Equal(FloatBits.Of(inputSequential));
        FloatBits.Of(output).Should().Equal(FloatBits.Of(outputSequential));
        FloatBits.Of(input).Should().Equal(FloatBits.Of(inputScalar));
        FloatBits.Of(output).Should().Equal(FloatBits.Of(outputScalar));
    }

    public static TheoryData<int> DotLengths() => [.. Enumerable.Range(0, 2 * 16 + 4), 56, 63, 64, 65, 71, 72, 73, 100, 128, 136, 137, 200, 300];

    [Theory]
    [MemberData(nameof(DotLengths))]
    public void WindowDots_AnyLength_GivesTheBitsOfDot(int length)
    {
        var random = new Random(400 + length);
        float[] Next(int n) => [.. Enumerable.Range(0, n).Select(_ => (float)random.NextDouble() - 0.5f)];
        float[] input = Next(5 * length), output = Next(13 * length);
        int[] contextRows = [3, 0, 4];
        int[] targetRows = [7, 0, 12, 7, 5, 1, 2, 9]; // two blocks, one short; a repeat
        int stride = NegativeSamplingKernels.PaddedTargets(targetRows.Length);
        float[] dots = new float[contextRows.Length * stride];

        NegativeSamplingKernels.WindowDots(input, contextRows, output, targetRows, dots, stride, length);

        for (int c = 0; c < contextRows.Length; c++)
        {
            for (int t = 0; t < targetRows.Length; t++)
            {
                float expected = NegativeSamplingKernels.Dot(input.AsSpan(contextRows[c] * length, length), output.AsSpan(targetRows[t] * length, length));
                BitConverter.SingleToInt32Bits(dots[(c * stride) + t]).Should().Be(BitConverter.SingleToInt32Bits(expected), $"context {c}, target {t}");
            }
        }
    }

    [Fact]
    public void UpdatePair_UsesTheOldOutputForTheError()
    {
        float[] input = [1f, 2f], output = [3f, 4f], error = [0f, 0f];

        NegativeSamplingKernels.UpdatePair(error, output, input, 0.5f);

        error.Should().Equal(1.5f, 2f);   // 0.5 · old output
        output.Should().Equal(3.5f, 5f);  // old output + 0.5 · input
    }

    [Theory]
    [InlineData(0f, 0.5f)]
    [InlineData(2f, 0.880797f)]
    [InlineData(-2f, 0.119203f)]
    [InlineData(7f, 1f)]
    [InlineData(-7f, 0f)]
    public void Sigmoid_TableIsCloseToTheFunction(float x, float expected)
    {
        NegativeSamplingKernels.Sigmoid(x).Should().BeApproximately(expected, 0.01f);
    }

    [Fact]
    public void LogSigmoid_IsNegativeAndSaturatesNearMinusSix()
    {
        NegativeSamplingKernels.LogSigmoid(0f).Should().BeApproximately(-0.693f, 0.01f);
        NegativeSamplingKernels.LogSigmoid(-20f).Should().BeApproximately(-6f, 0.01f);
        NegativeSamplingKernels.LogSigmoid(20f).Should().Be(0f);
    }
}
