using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

public class RecurrentLayerTests(ITestOutputHelper log)
{
    // Odd sizes (not multiples of any vector width) so every elementwise and product tail runs.
    private const int Inputs = 5, Hidden = 7, Steps = 4, Batch = 3;

    // Float32 forward and backward; the loss Σ c·out summed in double; ε = 1e-2. The central difference's truncation
    // error is ε²/6·|f'''| ≈ 2e-5 here and float32 rounding of the loss contributes ≈ 1e-6 / 2ε ≈ 5e-5, so the
    // observed errors stay below 2e-4; 1e-3 + 1e-2·|numeric| leaves margin yet fails on any dropped term (those err by
    // 1e-2 and more).
    private const float Epsilon = 1e-2f;
    private const double Absolute = 1e-3, Relative = 1e-2;

    public static readonly TheoryData<RecurrentCell> Cells = [RecurrentCell.Rnn, RecurrentCell.Gru, RecurrentCell.Lstm];

    // ---- the equations, pinned on a tiny case ----

    // H = 2, I = 1, T = 2, B = 1. weight_ih (G·H × 1) = 0.3, −0.37, 0.44, −0.51, …; weight_hh (G·H × 2) row-major
    // 0.2, −0.25, −0.3, 0.35, 0.4, …; bias_ih 0.1, −0.13, 0.16, …; bias_hh −0.05, 0.03, −0.01, …; inputs 0.5, −1.
    // The expected states were computed in double, outside this code base, gate by gate from PyTorch's documented
    // equations (RNN: tanh; GRU: r, z, n with r scaling W_hn·h + b_hn; LSTM: i, f, g, o), with these gate orders.
    private static readonly float[] TinyInputs = [0.5f, -1f];

    public static readonly TheoryData<RecurrentCell, float[]> TinyCases = new()
    {
        { RecurrentCell.Rnn, [0.197375320f, -0.277526350f, -0.140213497f, 0.113166342f] },
        { RecurrentCell.Gru, [0.197201652f, -0.327038131f, -0.002000532f, -0.081843424f] },
        { RecurrentCell.Lstm, [0.177396411f, -0.072688532f, 0.020264484f, -0.019910004f] },
    };

    [Theory]
    [MemberData(nameof(TinyCases))]
    public void Forward_TinyCase_MatchesTheEquationsComputedByHand(RecurrentCell cell, float[] expected)
    {
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, 1, 2);
        int gates = layer.Gates;
        Fill(layer.InputWeights.Value, rows: gates * 2, columns: 1, start: 0.3, step: 0.07);
        Fill(layer.HiddenWeights.Value, rows: gates * 2, columns: 2, start: 0.2, step: 0.05);
        Fill(layer.InputBias.Value, rows: gates * 2, columns: 1, start: 0.1, step: 0.03, alternateByRow: true);
        Fill(layer.HiddenBias.Value, rows: gates * 2, columns: 1, start: -0.05, step: 0.02, alternateByRow: true);
        layer.InputWeights.TransposeRows(0, layer.InputWeights.Rows);
        layer.HiddenWeights.TransposeRows(0, layer.HiddenWeights.Rows);
        var output = new float[4];

        layer.Forward(TinyInputs, output, steps: 2, batch: 1);

        for (int i = 0; i < 4; i++)
        {
            output[i].Should().BeApproximately(expected[i], 1e-6f, $"state {i} (step {i / 2}, unit {i % 2})");
        }
    }

    /// <summary>The tiny case's weights: value k (row-major) is ±(start + step·k), negative where row + column is odd (or, for biases, row odd).</summary>
    private static void Fill(float[] values, int rows, int columns, double start, double step, bool alternateByRow = false)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int k = r * columns + c;
                double magnitude = Math.Round(start + step * k, 4);
                bool negative = alternateByRow ? r % 2 == 1 : (r + c) % 2 == 1;
                values[k] = (float)(negative ? -magnitude : magnitude);
            }
        }
    }

    [Fact]
    public void Create_EachCell_HasPyTorchsGateCountAndParameterShapes()
    {
        foreach ((RecurrentCell cell, int gates) in new[] { (RecurrentCell.Rnn, 1), (RecurrentCell.Gru, 3), (RecurrentCell.Lstm, 4) })
        {
            RecurrentLayer layer = RecurrentLayer.Create(cell, 1, Inputs, Hidden);
            layer.Gates.Should().Be(gates);
            layer.Parameters.Select(p => p.Name).Should().Equal("rnn.weight_ih_l1", "rnn.weight_hh_l1", "rnn.bias_ih_l1", "rnn.bias_hh_l1");
            layer.Parameters.Select(p => (p.Rows, p.Columns)).Should().Equal((gates * Hidden, Inputs), (gates * Hidden, Hidden), (1, gates * Hidden), (1, gates * Hidden));
        }
    }

    // ---- gradients ----

    [Theory]
    [MemberData(nameof(Cells))]
    public void Backward_EveryParameterAndInput_MatchesCentralDifferences(RecurrentCell cell)
    {
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, Inputs, Hidden);
        GradientCheck.Initialise(layer.Parameters, Hidden, seed: 11);
        float[] input = GradientCheck.Uniform(Steps * Batch * Inputs, 1f, seed: 12);
        float[] weights = GradientCheck.Uniform(Steps * Batch * Hidden, 1f, seed: 13);
        var output = new float[Steps * Batch * Hidden];
        var inputGradient = new float[input.Length];
        double Loss()
        {
            layer.Forward(input, output, Steps, Batch);
            return GradientCheck.Weighted(output, weights);
        }

        Loss();
        layer.Backward(input, output, weights, inputGradient, Steps, Batch, carrySteps: Steps);

        foreach (Parameter p in layer.Parameters)
        {
            double worst = GradientCheck.AssertClose(p.Gradient, GradientCheck.Numeric(p, Loss, Epsilon), Absolute, Relative, p.Name);
            log.WriteLine($"{cell} {p.Name}: largest |analytic − numeric| {worst:E2}");
        }

        double worstInput = GradientCheck.AssertClose(inputGradient, GradientCheck.Numeric(input, Loss, Epsilon), Absolute, Relative, "input");
        log.WriteLine($"{cell} input: largest |analytic − numeric| {worstInput:E2}");
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void Backward_CarryingAtLeastTheSteps_IsTheFullGradientBitForBit(RecurrentCell cell)
    {
        float[][] full = Gradients(cell, carrySteps: Steps);

        Gradients(cell, carrySteps: Steps + 5).Should().BeEquivalentTo(full, o => o.WithStrictOrdering());
        Gradients(cell, carrySteps: int.MaxValue).Should().BeEquivalentTo(full, o => o.WithStrictOrdering());
        Gradients(cell, carrySteps: Steps - 1).Should().NotBeEquivalentTo(full, "fewer carried steps cut some of the gradient");
    }

    private static float[][] Gradients(RecurrentCell cell, int carrySteps)
    {
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, Inputs, Hidden);
        GradientCheck.Initialise(layer.Parameters, Hidden, seed: 21);
        float[] input = GradientCheck.Uniform(Steps * Batch * Inputs, 1f, seed: 22);
        float[] outputGradient = GradientCheck.Uniform(Steps * Batch * Hidden, 1f, seed: 23);
        var output = new float[Steps * Batch * Hidden];
        var inputGradient = new float[input.Length];
        layer.Forward(input, output, Steps, Batch);
        layer.Backward(input, output, outputGradient, inputGradient, Steps, Batch, carrySteps);
        return [.. layer.Parameters.Select(p => p.Gradient), inputGradient];
    }

    // ---- replicas, workspaces, allocation ----

    [Theory]
    [MemberData(nameof(Cells))]
    public void Replicate_SharesTheWeights_KeepsItsOwnGradientsAndWorkspaces(RecurrentCell cell)
    {
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, Inputs, Hidden);
        GradientCheck.Initialise(layer.Parameters, Hidden, seed: 31);
        RecurrentLayer replica = layer.Replicate();
        RecurrentLayer reference = layer.Replicate();
        float[] a = GradientCheck.Uniform(Steps * Batch * Inputs, 1f, seed: 32), b = GradientCheck.Uniform(2 * Steps * Batch * Inputs, 1f, seed: 33);
        float[] gradientA = GradientCheck.Uniform(Steps * Batch * Hidden, 1f, seed: 34), gradientB = GradientCheck.Uniform(2 * Steps * Batch * Hidden, 1f, seed: 35);
        float[] outputA = new float[gradientA.Length], outputB = new float[gradientB.Length], expectedOutput = new float[gradientA.Length];
        float[] inputGradientA = new float[a.Length], inputGradientB = new float[b.Length], expectedInputGradient = new float[a.Length];

        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            replica.Parameters[i].Value.Should().BeSameAs(layer.Parameters[i].Value);
            replica.Parameters[i].Gradient.Should().NotBeSameAs(layer.Parameters[i].Gradient);
        }

        // Interleaved: the replica's pass (twice the sequences) between the layer's forward and backward.
        layer.Forward(a, outputA, Steps, Batch);
        replica.Forward(b, outputB, Steps, 2 * Batch);
        replica.Backward(b, outputB, gradientB, inputGradientB, Steps, 2 * Batch, Steps);
        layer.Backward(a, outputA, gradientA, inputGradientA, Steps, Batch, Steps);

        // Alone: the same pass on a third replica.
        reference.Forward(a, expectedOutput, Steps, Batch);
        reference.Backward(a, expectedOutput, gradientA, expectedInputGradient, Steps, Batch, Steps);

        outputA.Should().Equal(expectedOutput);
        inputGradientA.Should().Equal(expectedInputGradient);
        for (int i = 0; i < layer.Parameters.Count; i++)
        {
            layer.Parameters[i].Gradient.Should().Equal(reference.Parameters[i].Gradient, "the replica's pass leaves the layer's gradients and workspaces alone");
            replica.Parameters[i].Gradient.Should().NotEqual(layer.Parameters[i].Gradient);
        }

        // The weights are shared: a change shows in every replica's next pass.
        layer.HiddenWeights.Value[0] += 0.5f;
        layer.HiddenWeights.TransposeRows(0, 1);
        replica.Forward(a, outputB, Steps, Batch);
        outputB.AsSpan(0, outputA.Length).ToArray().Should().NotEqual(outputA);
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public void ForwardBackward_OnceWarmedUp_AllocatesNothing(RecurrentCell cell)
    {
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, Inputs, Hidden);
        GradientCheck.Initialise(layer.Parameters, Hidden, seed: 41);
        float[] input = GradientCheck.Uniform(Steps * Batch * Inputs, 1f, seed: 42);
        float[] outputGradient = GradientCheck.Uniform(Steps * Batch * Hidden, 1f, seed: 43);
        var output = new float[outputGradient.Length];
        var inputGradient = new float[input.Length];
        layer.Forward(input, output, Steps, Batch);
        layer.Backward(input, output, outputGradient, inputGradient, Steps, Batch, 2);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            layer.Forward(input, output, Steps - 1, Batch - 1);
            layer.Backward(input, output, outputGradient, inputGradient, Steps - 1, Batch - 1, 1);
            layer.Forward(input, output, Steps, Batch);
            layer.Backward(input, output, outputGradient, inputGradient, Steps, Batch, Steps);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    /// <summary>
    /// A packed batch (lengths 5, 3, 3, 1: step t over the first n_t = 4, 3, 3, 1, 1 rows) gives each sequence the
    /// states, input gradients and weight gradients of that sequence run alone (batch 1), up to float rounding.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cells))]
    public void PackedBatch_EqualsEachSequenceAlone(RecurrentCell cell)
    {
        int[] lengths = [5, 3, 3, 1], batchSizes = [4, 3, 3, 1, 1], offsets = [0, 4, 7, 10, 11, 12];
        int rows = offsets[^1];
        RecurrentLayer layer = RecurrentLayer.Create(cell, 0, Inputs, Hidden);
        GradientCheck.Initialise(layer.Parameters, Hidden, seed: 51);
        float[] input = GradientCheck.Uniform(rows * Inputs, 1f, seed: 52);
        float[] outputGradient = GradientCheck.Uniform(rows * Hidden, 1f, seed: 53);
        var output = new float[rows * Hidden];
        var inputGradient = new float[rows * Inputs];
        layer.Forward(input, output, batchSizes);
        layer.Backward(input, output, outputGradient, inputGradient, batchSizes);
        float[][] packedGradients = [.. layer.Parameters.Select(p => (float[])p.Gradient.Clone())];

        foreach (Parameter parameter in layer.Parameters)
        {
            parameter.ClearGradient();
        }

        for (int b = 0; b < lengths.Length; b++)
        {
            // Sequence b alone: its rows offset[t] + b, one per step.
            int steps = lengths[b];
            float[] aloneInput = new float[steps * Inputs], aloneGradient = new float[steps * Hidden];
            for (int t = 0; t < steps; t++)
            {
                input.AsSpan((offsets[t] + b) * Inputs, Inputs).CopyTo(aloneInput.AsSpan(t * Inputs));
                outputGradient.AsSpan((offsets[t] + b) * Hidden, Hidden).CopyTo(aloneGradient.AsSpan(t * Hidden));
            }

            var aloneOutput = new float[steps * Hidden];
            var aloneInputGradient = new float[steps * Inputs];
            layer.Forward(aloneInput, aloneOutput, steps, 1);
            layer.Backward(aloneInput, aloneOutput, aloneGradient, aloneInputGradient, steps, 1, steps);
            for (int t = 0; t < steps; t++)
            {
                int row = offsets[t] + b;
                for (int i = 0; i < Hidden; i++)
                {
                    output[(row * Hidden) + i].Should().BeApproximately(aloneOutput[(t * Hidden) + i], 1e-6f, $"state of sequence {b}, step {t}");
                }

                for (int i = 0; i < Inputs; i++)
                {
                    inputGradient[(row * Inputs) + i].Should().BeApproximately(aloneInputGradient[(t * Inputs) + i], 1e-5f, $"input gradient of sequence {b}, step {t}");
                }
            }
        }

        for (int p = 0; p < packedGradients.Length; p++)
        {
            float[] alone = layer.Parameters[p].Gradient;
            for (int i = 0; i < alone.Length; i++)
            {
                packedGradients[p][i].Should().BeApproximately(alone[i], 1e-5f * Math.Max(1f, Math.Abs(alone[i])), $"{layer.Parameters[p].Name}[{i}]");
            }
        }

        log.WriteLine($"{cell}: packed and alone agree");
    }
}
