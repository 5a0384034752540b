using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Long short-term memory (PyTorch <c>nn.LSTM</c>), gates in PyTorch's order i, f, g, o, each of
/// <c>W_i·x + b_i· + W_h·h + b_h·</c>: <c>i = σ(·)</c>, <c>f = σ(·)</c>, <c>g = tanh(·)</c>, <c>o = σ(·)</c>;
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>. The initial h and c are zero; the layer's output is h.
/// </summary>
/// <remarks>Truncated back-propagation cuts the cell state's gradient where it cuts the hidden state's.</remarks>
internal sealed class LstmLayer : RecurrentLayer
{
    private const int GateCount = 4;

    private float[] _activations = [];  // T·B × 4H: the pre-activations, then i, f, g, o after their nonlinearities
    private float[] _cells = [];        // T·B × H: c_t
    private float[] _cellTanh = [];     // T·B × H: tanh(c_t)
    private float[] _carriedCell = [];  // B × H: ∂loss/∂c_t, then what step t sends back to c_(t−1)
    private float[] _scratch = [];      // 2H

    public LstmLayer(int layer, int inputSize, int hiddenSize, string suffix = "")
        : base(inputSize, hiddenSize, GateCount, CreateParameters("rnn", layer, inputSize, hiddenSize, GateCount, suffix))
    {
    }

    private LstmLayer(LstmLayer source)
        : base(source.InputSize, source.HiddenSize, GateCount, [.. source.Parameters.Select(p => p.Replica())])
    {
    }

    public override RecurrentLayer Replicate() => new LstmLayer(this);

    protected override void OnCapacity(int rows)
    {
        _activations = new float[rows * GateWidth];
        _cells = new float[rows * HiddenSize];
        _cellTanh = new float[rows * HiddenSize];
    }

    protected override void ForwardSteps(Span<float> output)
    {
        int h = HiddenSize, g = GateWidth;
        for (int t = 0; t < Steps; t++)
        {
            int batch = Count(t);
            Span<float> gateRows = _activations.AsSpan(Offset(t) * g, batch * g);
            HiddenProduct(output, t, gateRows);

            for (int b = 0; b < batch; b++)
            {
                int row = Offset(t) + b;
                Span<float> gates = gateRows.Slice(b * g, g);
                TensorPrimitives.Add(gates, InputGates.AsSpan(row * g, g), gates);
                TensorPrimitives.Add(gates, HiddenBias.Value, gates);

                // i and f (adjacent), g, o.
                Span<float> inputForget = gates[..(2 * h)];
                TensorPrimitives.Sigmoid(inputForget, inputForget);
                Span<float> candidate = gates.Slice(2 * h, h), outputGate = gates[(3 * h)..];
                TensorPrimitives.Tanh(candidate, candidate);
                TensorPrimitives.Sigmoid(outputGate, outputGate);

                // c' = f ⊙ c + i ⊙ g (c = 0 at the first step); h' = o ⊙ tanh(c').
                Span<float> cell = _cells.AsSpan(row * h, h);
                TensorPrimitives.Multiply(gates[..h], candidate, cell);
                if (t > 0)
                {
                    TensorPrimitives.MultiplyAdd(gates.Slice(h, h), _cells.AsSpan((Offset(t - 1) + b) * h, h), cell, cell);
                }

                Span<float> cellTanh = _cellTanh.AsSpan(row * h, h);
                TensorPrimitives.Tanh(cell, cellTanh);
                TensorPrimitives.Multiply(outputGate, cellTanh, output.Slice(row * h, h));
            }
        }
    }

    protected override void BackwardSteps(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int carrySteps)
    {
        int h = HiddenSize, g = GateWidth, steps = Steps, block = Count(0) * h;
        if (_carriedCell.Length < block)
        {
            _carriedCell = new float[block];
        }

        if (_scratch.Length < 2 * h)
        {
            _scratch = new float[2 * h];
        }

        Span<float> carried = Carried();
        Span<float> carriedCell = _carriedCell.AsSpan(0, block);
        Span<float> scratch = _scratch.AsSpan(0, 2 * h);
        for (int t = steps - 1; t >= 0; t--)
        {
            // ∂loss/∂h_t; ∂loss/∂c_t is received under the same rule.
            int batch = Count(t), continuing = Receives(t, steps, carrySteps) ? Count(t + 1) : 0;
            Span<float> arriving = ArrivingGradient(outputGradient, t, carrySteps);
            bool carry = t > 0 && Receives(t - 1, steps, carrySteps);
            for (int b = 0; b < batch; b++)
            {
                // Only the sequences that run on to step t + 1 receive its cell gradient.
                int row = Offset(t) + b;
                bool received = b < continuing;
                ReadOnlySpan<float> dh = arriving.Slice(b * h, h);
                ReadOnlySpan<float> gates = _activations.AsSpan(row * g, g);
                ReadOnlySpan<float> i = gates[..h], f = gates.Slice(h, h), candidate = gates.Slice(2 * h, h), o = gates[(3 * h)..];
                ReadOnlySpan<float> cellTanh = _cellTanh.AsSpan(row * h, h);
                Span<float> gradient = InputGateGradient.AsSpan(row * g, g);
                Span<float> di = gradient[..h], df = gradient.Slice(h, h), dg = gradient.Slice(2 * h, h), dOut = gradient[(3 * h)..];

                // Through h' = o ⊙ tanh(c'): ∂/∂o = dh ⊙ tanh(c'); ∂/∂c' = dh ⊙ o ⊙ (1 − tanh²(c')) (+ what c' carries on).
                TensorPrimitives.Multiply(dh, cellTanh, dOut);
                Span<float> dc = carriedCell.Slice(b * h, h);
                Span<float> viaState = received ? scratch[h..] : dc;
                TensorPrimitives.Multiply(dh, o, viaState);
                MultiplyByTanhDerivative(cellTanh, viaState, scratch[..h]);
                if (received)
                {
                    TensorPrimitives.Add(dc, viaState, dc);
                }

                // Through c' = f ⊙ c + i ⊙ g: ∂/∂i = dc ⊙ g, ∂/∂f = dc ⊙ c (zero at the first step), ∂/∂g = dc ⊙ i.
                TensorPrimitives.Multiply(dc, candidate, di);
                if (t == 0)
                {
                    df.Clear();
                }
                else
                {
                    TensorPrimitives.Multiply(dc, _cells.AsSpan((Offset(t - 1) + b) * h, h), df);
                }

                TensorPrimitives.Multiply(dc, i, dg);

                // Through the nonlinearities: σ for i and f (adjacent) and o, tanh for g.
                MultiplyBySigmoidDerivative(gates[..(2 * h)], gradient[..(2 * h)], scratch);
                MultiplyByTanhDerivative(candidate, dg, scratch);
                MultiplyBySigmoidDerivative(o, dOut, scratch);

                // What c_(t−1) receives: dc ⊙ f.
                if (carry)
                {
                    TensorPrimitives.Multiply(dc, f, dc);
                }
            }

            if (carry)
            {
                // ∂loss/∂h_(t−1) = (gate gradient)·W_hh.
                MatrixProduct.Multiply(InputGateGradient.AsSpan(Offset(t) * g, batch * g), HiddenWeights.Value, carried, batch, g, h, 0, batch);
            }
        }
    }
}
