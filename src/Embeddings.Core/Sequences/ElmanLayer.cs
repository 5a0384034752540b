using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The Elman recurrent layer (PyTorch <c>nn.RNN</c> with tanh): <c>h_t = tanh(W_ih·x_t + b_ih + W_hh·h_(t−1) + b_hh)</c>.
/// </summary>
internal sealed class ElmanLayer : RecurrentLayer
{
    public ElmanLayer(int layer, int inputSize, int hiddenSize, string suffix = "")
        : base(inputSize, hiddenSize, 1, CreateParameters("rnn", layer, inputSize, hiddenSize, 1, suffix))
    {
    }

    private ElmanLayer(ElmanLayer source)
        : base(source.InputSize, source.HiddenSize, 1, [.. source.Parameters.Select(p => p.Replica())])
    {
    }

    public override RecurrentLayer Replicate() => new ElmanLayer(this);

    protected override void ForwardSteps(Span<float> output)
    {
        int h = HiddenSize;
        for (int t = 0; t < Steps; t++)
        {
            int batch = Count(t), block = batch * h;
            Span<float> current = output.Slice(Offset(t) * h, block);
            HiddenProduct(output, t, current);

            ReadOnlySpan<float> inputSide = InputGates.AsSpan(Offset(t) * h, block);
            for (int b = 0; b < batch; b++)
            {
                Span<float> row = current.Slice(b * h, h);
                TensorPrimitives.Add(row, inputSide.Slice(b * h, h), row);
                TensorPrimitives.Add(row, HiddenBias.Value, row);
            }

            TensorPrimitives.Tanh(current, current);
        }
    }

    protected override void BackwardSteps(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int carrySteps)
    {
        int h = HiddenSize;
        Span<float> carried = Carried();
        for (int t = Steps - 1; t >= 0; t--)
        {
            int batch = Count(t), block = batch * h;
            Span<float> arriving = ArrivingGradient(outputGradient, t, carrySteps);

            // Through tanh: ∂/∂pre = ∂/∂h · (1 − h²).
            ReadOnlySpan<float> hidden = output.Slice(Offset(t) * h, block);
            Span<float> gradient = InputGateGradient.AsSpan(Offset(t) * h, block);
            TensorPrimitives.Multiply(hidden, hidden, gradient);
            TensorPrimitives.Subtract(1f, gradient, gradient);
            TensorPrimitives.Multiply(arriving, gradient, gradient);

            if (t > 0 && Receives(t - 1, Steps, carrySteps))
            {
                MatrixProduct.Multiply(gradient, HiddenWeights.Value, carried, batch, h, h, 0, batch);
            }
        }
    }
}
