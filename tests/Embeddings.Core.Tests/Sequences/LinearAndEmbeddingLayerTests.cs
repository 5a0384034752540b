using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

public class LinearAndEmbeddingLayerTests
{
    // Both layers are linear in their parameters and inputs, so the central difference is exact but for float32
    // rounding of the loss (≈ 1e-6 / 2ε): 1e-3 + 1e-2·|numeric| as for the recurrent layers.
    private const float Epsilon = 1e-2f;
    private const double Absolute = 1e-3, Relative = 1e-2;

    [Fact]
    public void LinearBackward_EveryParameterAndInput_MatchesCentralDifferences()
    {
        const int rows = 5, inputs = 7, outputs = 9;
        var layer = new LinearLayer("fc", inputs, outputs);
        GradientCheck.Initialise([layer.Weights, layer.Bias], inputs, seed: 1);
        float[] input = GradientCheck.Uniform(rows * inputs, 1f, seed: 2);
        float[] weights = GradientCheck.Uniform(rows * outputs, 1f, seed: 3);
        var output = new float[rows * outputs];
        var inputGradient = new float[input.Length];
        double Loss()
        {
            layer.Forward(input, output, rows);
            return GradientCheck.Weighted(output, weights);
        }

        Loss();
        layer.Backward(input, weights, inputGradient, rows);

        GradientCheck.AssertClose(layer.Weights.Gradient, GradientCheck.Numeric(layer.Weights, Loss, Epsilon), Absolute, Relative, "fc.weight");
        GradientCheck.AssertClose(layer.Bias.Gradient, GradientCheck.Numeric(layer.Bias, Loss, Epsilon), Absolute, Relative, "fc.bias");
        GradientCheck.AssertClose(inputGradient, GradientCheck.Numeric(input, Loss, Epsilon), Absolute, Relative, "input");
    }

    [Fact]
    public void EmbeddingBackward_Trainable_MatchesCentralDifferencesAndAddsRepeatedIds()
    {
        const int tokens = 6, dimensions = 5, steps = 4, batch = 3;
        var layer = new EmbeddingLayer(new Parameter("embedding.weight", tokens, dimensions));
        GradientCheck.Initialise([layer.Table], 1, seed: 4);
        int[] ids = [0, 2, 2, 5, 1, 0, 3, 2, 5, 5, 5, 0];   // token 4 never appears; 2 and 5 repeat
        float[] weights = GradientCheck.Uniform(steps * batch * dimensions, 1f, seed: 5);
        var output = new float[steps * batch * dimensions];
        double Loss()
        {
            layer.Forward(ids, output, steps, batch);
            return GradientCheck.Weighted(output, weights);
        }

        Loss();
        layer.Backward(ids, weights, steps, batch);

        GradientCheck.AssertClose(layer.Table.Gradient, GradientCheck.Numeric(layer.Table, Loss, Epsilon), Absolute, Relative, "embedding.weight");
        layer.Table.Gradient.AsSpan(4 * dimensions, dimensions).ToArray().Should().OnlyContain(g => g == 0f, "an unused token gets no gradient");

        // Time-major output: sequence 1, step 2 (id 3) is row 2·B + 1.
        output.AsSpan((2 * batch + 1) * dimensions, dimensions).ToArray().Should().Equal(layer.Table.Value.AsSpan(3 * dimensions, dimensions).ToArray());
    }

    [Fact]
    public void EmbeddingBackward_Frozen_HasNoGradient()
    {
        var layer = new EmbeddingLayer(new Parameter("embedding.weight", 3, 2, trainable: false));

        layer.Backward([0, 1], new float[4], steps: 2, batch: 1);

        layer.Table.Gradient.Should().BeEmpty();
        layer.Replicate().Table.Value.Should().BeSameAs(layer.Table.Value);
    }

    [Fact]
    public void LinearReplicate_SharesWeights_KeepsItsOwnGradients()
    {
        var layer = new LinearLayer("fc", 3, 2);
        LinearLayer replica = layer.Replicate();

        replica.Weights.Value.Should().BeSameAs(layer.Weights.Value);
        replica.Bias.Value.Should().BeSameAs(layer.Bias.Value);
        replica.Backward(new float[] { 1, 2, 3 }, new float[] { 1, -1 }, [], 1);

        replica.Weights.Gradient.Should().Equal(1, 2, 3, -1, -2, -3);
        layer.Weights.Gradient.Should().OnlyContain(g => g == 0f);
        layer.Bias.Gradient.Should().OnlyContain(g => g == 0f);
    }
}
