using Embeddings.Core.Numerics;
using System.Numerics.Tensors;

namespace Embeddings.Core.Sequences;

/// <summary>PyTorch's <c>nn.Linear</c>: <c>y = x·Wᵀ + b</c> with W <see cref="Outputs"/> × <see cref="Inputs"/>.</summary>
internal sealed class LinearLayer
{
    public LinearLayer(string name, int inputs, int outputs)
        : this(new Parameter($"{name}.weight", outputs, inputs).WithTransposedCopy(), new Parameter($"{name}.bias", 1, outputs))
    {
    }

    private LinearLayer(Parameter weights, Parameter bias)
    {
        Weights = weights;
        Bias = bias;
    }

    public int Inputs => Weights.Columns;

    public int Outputs => Weights.Rows;

    public Parameter Weights { get; }

    public Parameter Bias { get; }

    public LinearLayer Replicate() => new(Weights.Replica(), Bias.Replica());

    /// <summary><c>y = x·Wᵀ + b</c> for <paramref name="rows"/> rows.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, int rows)
    {
        int n = Outputs;
        MatrixProduct.Multiply(input, Weights.Transposed, output, rows, Inputs, n, 0, rows);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = output.Slice(r * n, n);
            TensorPrimitives.Add(row, Bias.Value, row);
        }
    }

    /// <summary>Adds ∂loss/∂W = dyᵀ·x and ∂loss/∂b = Σ dy; writes ∂loss/∂x = dy·W unless <paramref name="inputGradient"/> is empty.</summary>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int rows)
    {
        int n = Outputs, m = Inputs;
        MatrixProduct.MultiplyTransposedAAdd(outputGradient, input, Weights.Gradient, n, rows, m, 0, n);
        RecurrentLayer.AddColumnSums(outputGradient, rows, n, Bias.Gradient);
        if (!inputGradient.IsEmpty)
        {
            MatrixProduct.Multiply(outputGradient, Weights.Value, inputGradient, rows, n, m, 0, rows);
        }
    }
}
