using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The gated recurrent unit (PyTorch <c>nn.GRU</c>), gates in PyTorch's order r, z, n:
/// <c>r = σ(W_ir·x + b_ir + W_hr·h + b_hr)</c>, <c>z = σ(W_iz·x + b_iz + W_hz·h + b_hz)</c>,
/// <c>n = tanh(W_in·x + b_in + r ⊙ (W_hn·h + b_hn))</c>, <c>h' = (1 − z) ⊙ n + z ⊙ h</c>.
/// </summary>
/// <remarks>
/// The reset gate scales the hidden side of the candidate, <c>b_hn</c> included, so the candidate's hidden-side
/// pre-activation gradient is the input-side one times r: the two sides keep separate gate gradients.
/// </remarks>
internal sealed class GruLayer : RecurrentLayer
{
    private const int GateCount = 3;

    private float[] _hiddenGates = [];  // T·B × 3H: h_(t−1)·W_hhᵀ + b_hh, the candidate's part needed backwards
    private float[] _activations = [];  // T·B × 3H: r, z, n after their nonlinearities
    private float[] _scratch = [];      // 2H

    public GruLayer(int layer, int inputSize, int hiddenSize, string suffix = "")
        : base(inputSize, hiddenSize, GateCount, CreateParameters("rnn", layer, inputSize, hiddenSize, GateCount, suffix))
    {
    }

    private GruLayer(GruLayer source)
        : base(source.InputSize, source.HiddenSize, GateCount, [.. source.Parameters.Select(p => p.Replica())])
    {
    }

    protected override bool SeparateHiddenGateGradient => true;

    public override RecurrentLayer Replicate() => new GruLayer(this);

    protected override void OnCapacity(int rows)
    {
        _hiddenGates = new float[rows * GateWidth];
        _activations = new float[rows * GateWidth];
    }

    protected override void ForwardSteps(Span<float> output)
    {
        int h = HiddenSize, g = GateWidth;
        for (int t = 0; t < Steps; t++)
        {
            int batch = Count(t);
            Span<float> hiddenGates = _hiddenGates.AsSpan(Offset(t) * g, batch * g);
            HiddenProduct(output, t, hiddenGates);

            for (int b = 0; b < batch; b++)
            {
                int row = Offset(t) + b;
                Span<float> hidden = hiddenGates.Slice(b * g, g);
                TensorPrimitives.Add(hidden, HiddenBias.Value, hidden);
                ReadOnlySpan<float> inputSide = InputGates.AsSpan(row * g, g);
                Span<float> gates = _activations.AsSpan(row * g, g);

                // r and z: σ of the sum of both sides (adjacent, so one call each).
                Span<float> rz = gates[..(2 * h)];
                TensorPrimitives.Add(inputSide[..(2 * h)], hidden[..(2 * h)], rz);
                TensorPrimitives.Sigmoid(rz, rz);

                // n = tanh(input side + r ⊙ hidden side).
                ReadOnlySpan<float> r = gates[..h], z = gates.Slice(h, h);
                Span<float> n = gates[(2 * h)..];
                TensorPrimitives.Multiply(r, hidden[(2 * h)..], n);
                TensorPrimitives.Add(n, inputSide[(2 * h)..], n);
                TensorPrimitives.Tanh(n, n);

                // h' = n + z ⊙ (h − n), h = 0 at the first step.
                Span<float> state = output.Slice(row * h, h);
                if (t == 0)
                {
                    TensorPrimitives.Multiply(z, n, state);
                    TensorPrimitives.Subtract(n, state, state);
                }
                else
                {
                    TensorPrimitives.Subtract(output.Slice((Offset(t - 1) + b) * h, h), n, state);
                    TensorPrimitives.Multiply(state, z, state);
                    TensorPrimitives.Add(state, n, state);
                }
            }
        }
    }

    protected override void BackwardSteps(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int carrySteps)
    {
        int h = HiddenSize, g = GateWidth, steps = Steps;
        if (_scratch.Length < 2 * h)
        {
            _scratch = new float[2 * h];
        }

        Span<float> carried = Carried();
        Span<float> scratch = _scratch.AsSpan(0, 2 * h);
        for (int t = steps - 1; t >= 0; t--)
        {
            int batch = Count(t);
            Span<float> arriving = ArrivingGradient(outputGradient, t, carrySteps);
            bool carry = t > 0 && Receives(t - 1, steps, carrySteps);
            for (int b = 0; b < batch; b++)
            {
                int row = Offset(t) + b;
                ReadOnlySpan<float> dh = arriving.Slice(b * h, h);
                ReadOnlySpan<float> gates = _activations.AsSpan(row * g, g);
                ReadOnlySpan<float> r = gates[..h], z = gates.Slice(h, h), n = gates[(2 * h)..];
                ReadOnlySpan<float> hiddenCandidate = _hiddenGates.AsSpan(row * g + 2 * h, h);
                Span<float> inputSide = InputGateGradient.AsSpan(row * g, g);
                Span<float> hiddenSide = HiddenGateGradient.AsSpan(row * g, g);
                Span<float> dr = inputSide[..h], dz = inputSide.Slice(h, h), dn = inputSide[(2 * h)..];

                // Through h' = n + z ⊙ (h − n): ∂/∂n = dh ⊙ (1 − z) = dh − dh ⊙ z; the direct path back is dh ⊙ z.
                Span<float> direct = scratch[..h];
                TensorPrimitives.Multiply(dh, z, direct);
                TensorPrimitives.Subtract(dh, direct, dn);
                if (carry)
                {
                    direct.CopyTo(carried.Slice(b * h, h));
                }

                // ∂/∂z = dh ⊙ (h − n).
                if (t == 0)
                {
                    TensorPrimitives.Multiply(dh, n, dz);
                    TensorPrimitives.Negate(dz, dz);
                }
                else
                {
                    TensorPrimitives.Subtract(output.Slice((Offset(t - 1) + b) * h, h), n, dz);
                    TensorPrimitives.Multiply(dz, dh, dz);
                }

                // Through tanh: the candidate's input-side pre-activation; its hidden side is scaled by r.
                MultiplyByTanhDerivative(n, dn, scratch[..h]);
                TensorPrimitives.Multiply(dn, r, hiddenSide[(2 * h)..]);

                // ∂/∂r = ∂/∂(candidate pre-activation) ⊙ (W_hn·h + b_hn); then r and z through σ, both sides alike.
                TensorPrimitives.Multiply(dn, hiddenCandidate, dr);
                MultiplyBySigmoidDerivative(gates[..(2 * h)], inputSide[..(2 * h)], scratch);
                inputSide[..(2 * h)].CopyTo(hiddenSide);
            }

            if (carry)
            {
                // ∂loss/∂h_(t−1) = dh ⊙ z + (hidden-side gate gradient)·W_hh.
                MatrixProduct.MultiplyAdd(HiddenGateGradient.AsSpan(Offset(t) * g, batch * g), HiddenWeights.Value, carried, batch, g, h, 0, batch);
            }
        }
    }
}
