using Embeddings.Core.Training;

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

        Bits(output).Should().Equal(Bits(outputSequential));
        Bits(error).Should().Equal(Bits(errorSequential));
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

        Bits(input).Should().Equal(Bits(inputSequential));
        Bits(gradients).Should().Equal(Bits(gradientsSequential));
        output.Should().Equal(outputBefore);
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

    private static int[] Bits(float[] values) => [.. values.Select(BitConverter.SingleToInt32Bits)];
}
