using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

public class SequenceNetworkGradientTests(ITestOutputHelper log)
{
    // Odd sizes; ids drawn from 6 tokens over B × T = 12 positions, so rows of the embedding repeat.
    private const int Tokens = 6, Dimensions = 5, Hidden = 7, Classes = 6, Steps = 4, Batch = 3;
    private const ulong DropoutKey = 0xD209;

    // The network's own summed cross-entropy (gradientScale 1), float32 throughout, summed in double; ε = 1e-2.
    // Observed errors stay below 2e-4 (truncation ε²/6·|f'''| and float32 rounding of a loss of ≈ 20, ≈ 1e-5 / 2ε);
    // 1e-3 + 1e-2·|numeric| leaves margin and still fails on any dropped or misplaced term.
    private const float Epsilon = 1e-2f;
    private const double Absolute = 1e-3, Relative = 1e-2;

    // Against the double-precision reference (ε = 1e-6 in double: its quotient is exact to ≈ 1e-8), only the analytic
    // gradient's float32 rounding remains (observed ≤ 4e-7): 2e-5 + 1e-4·|numeric|.
    private const double ReferenceEpsilon = 1e-6, ReferenceAbsolute = 2e-5, ReferenceRelative = 1e-4;

    public static TheoryData<RecurrentCell, int, SequencePrediction, bool, float> NetworkCases()
    {
        var cases = new TheoryData<RecurrentCell, int, SequencePrediction, bool, float>();
        foreach (RecurrentCell cell in Enum.GetValues<RecurrentCell>())
        {
            cases.Add(cell, 1, SequencePrediction.LastStep, true, 0f);
            cases.Add(cell, 1, SequencePrediction.EveryStep, true, 0f);
            cases.Add(cell, 2, SequencePrediction.LastStep, false, 0f);
            cases.Add(cell, 2, SequencePrediction.EveryStep, true, 0f);
            cases.Add(cell, 2, SequencePrediction.LastStep, true, 0.4f);
            cases.Add(cell, 3, SequencePrediction.EveryStep, true, 0.4f);
        }

        return cases;
    }

    public static TheoryData<RecurrentCell, int, SequencePrediction, int> TruncationCases()
    {
        var cases = new TheoryData<RecurrentCell, int, SequencePrediction, int>();
        foreach (RecurrentCell cell in Enum.GetValues<RecurrentCell>())
        {
            foreach (int layers in new[] { 1, 2 })
            {
                foreach (SequencePrediction prediction in Enum.GetValues<SequencePrediction>())
                {
                    foreach (int carry in new[] { 1, 2, Steps })
                    {
                        cases.Add(cell, layers, prediction, carry);
                    }
                }
            }
        }

        return cases;
    }

    private static SequenceNetwork Network(RecurrentCell cell, int layers, bool trainableEmbedding, float dropout, ulong seed)
    {
        var embedding = new Parameter("embedding.weight", Tokens, Dimensions, trainableEmbedding);
        var network = new SequenceNetwork(cell, embedding, Hidden, layers, Classes, dropout);
        GradientCheck.Initialise([embedding], 1, seed);
        GradientCheck.Initialise(network.Parameters.Skip(1), Hidden, seed + 1);
        return network;
    }

    private static int[] Targets(SequencePrediction prediction, ulong seed) =>
        GradientCheck.Ids(prediction == SequencePrediction.EveryStep ? Batch * Steps : Batch, Classes, seed);

    [Theory]
    [MemberData(nameof(NetworkCases))]
    public void TrainChunk_EveryTrainableParameter_MatchesCentralDifferencesOfTheLoss(RecurrentCell cell, int layers, SequencePrediction prediction, bool trainableEmbedding, float dropout)
    {
        SequenceNetwork network = Network(cell, layers, trainableEmbedding, dropout, seed: 100);
        SequenceNetwork probe = network.Replicate();
        int[] inputs = GradientCheck.Ids(Batch * Steps, Tokens, seed: 102);
        int[] targets = Targets(prediction, seed: 103);

        // With dropout the loss is evaluated in training mode with the same key, so the same masks apply.
        double Loss() => dropout > 0
            ? probe.TrainChunk(inputs, targets, Steps, Batch, 0f, Steps, DropoutKey, 0)
            : network.Loss(inputs, targets, Steps, Batch);

        double loss = network.TrainChunk(inputs, targets, Steps, Batch, 1f, Steps, DropoutKey, 0);
        loss.Should().Be(Loss(), "the training pass and the loss see the same network (and the same masks)");
        if (dropout > 0)
        {
            loss.Should().NotBe(network.Loss(inputs, targets, Steps, Batch), "dropout changes the training loss");
        }

        int checkedValues = 0;
        foreach (Parameter p in network.Parameters.Where(p => p.Trainable))
        {
            double worst = GradientCheck.AssertClose(p.Gradient, GradientCheck.Numeric(p, Loss, Epsilon), Absolute, Relative, p.Name);
            log.WriteLine($"{p.Name}: largest |analytic − numeric| {worst:E2}");
            checkedValues += p.Length;
        }

        network.Parameters[0].Gradient.Should().HaveCount(trainableEmbedding ? Tokens * Dimensions : 0);
        checkedValues.Should().BeGreaterThan(150, "every element of every trainable parameter is checked");
    }

    [Theory]
    [MemberData(nameof(TruncationCases))]
    public void TrainChunk_Truncated_IsTheGradientOfTheTruncatedObjective(RecurrentCell cell, int layers, SequencePrediction prediction, int carrySteps)
    {
        SequenceNetwork network = Network(cell, layers, trainableEmbedding: true, dropout: 0f, seed: 200);
        int[] inputs = GradientCheck.Ids(Batch * Steps, Tokens, seed: 202);
        int[] targets = Targets(prediction, seed: 203);
        var reference = new ReferenceNetwork(network);

        double loss = network.TrainChunk(inputs, targets, Steps, Batch, 1f, carrySteps, DropoutKey, 0);

        // The forward pass is the equations' (double reference, other code, other order of sums).
        loss.Should().BeApproximately(reference.Loss(inputs, targets, Steps, Batch), 1e-5 * Math.Abs(loss));

        // The gradient: finite differences of the loss in which the states before the carried steps are constants.
        reference.Freeze(inputs, Steps, Batch, carrySteps);
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            double[] numeric = GradientCheck.Numeric(reference.Values[i], () => reference.Loss(inputs, targets, Steps, Batch), ReferenceEpsilon);
            double worst = GradientCheck.AssertClose(network.Parameters[i].Gradient, numeric, ReferenceAbsolute, ReferenceRelative, network.Parameters[i].Name);
            log.WriteLine($"{network.Parameters[i].Name}: largest |analytic − numeric| {worst:E2}");
        }
    }

    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void TrainChunk_CarryingOneStepWithLastStepPrediction_SendsNothingToEarlierInputs(RecurrentCell cell)
    {
        SequenceNetwork network = Network(cell, 1, trainableEmbedding: true, dropout: 0f, seed: 300);

        // Token 0 appears only before the last step, token 1 only at it.
        int[] inputs = [0, 2, 0, 1, 3, 0, 4, 1, 0, 0, 0, 1];
        network.TrainChunk(inputs, [5, 4, 3], Steps, Batch, 1f, carrySteps: 1, DropoutKey, 0);

        float[] embedding = network.Parameters[0].Gradient;
        embedding.AsSpan(0, Dimensions).ToArray().Should().OnlyContain(g => g == 0f, "truncated to one step, only the last step's input gets a gradient");
        embedding.AsSpan(Dimensions, Dimensions).ToArray().Should().Contain(g => g != 0f);

        // weight_hh still gets ∂loss/∂(last pre-activation) · h_(T−2)ᵀ, with h_(T−2) a constant: not zero.
        network.Layers[0].HiddenWeights.Gradient.Should().Contain(g => g != 0f);
    }

    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void TrainChunk_CarryingAtLeastTheSequence_IsTheFullGradientBitForBit(RecurrentCell cell)
    {
        float[][] Gradients(int carry)
        {
            SequenceNetwork network = Network(cell, 2, trainableEmbedding: true, dropout: 0f, seed: 400);
            network.TrainChunk(GradientCheck.Ids(Batch * Steps, Tokens, 401), Targets(SequencePrediction.EveryStep, 402), Steps, Batch, 1f, carry, DropoutKey, 0);
            return [.. network.Parameters.Select(p => p.Gradient)];
        }

        float[][] full = Gradients(Steps);

        Gradients(int.MaxValue).Should().BeEquivalentTo(full, o => o.WithStrictOrdering());
        Gradients(Steps - 1).Should().NotBeEquivalentTo(full);
    }

    [Theory]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void Replicas_ShareWeights_AndTheirChunkGradientsAddUpToTheBatchGradient(RecurrentCell cell)
    {
        SequenceNetwork network = Network(cell, 2, trainableEmbedding: true, dropout: 0f, seed: 500);
        SequenceNetwork first = network.Replicate(), second = network.Replicate();
        int[] inputs = GradientCheck.Ids(Batch * Steps, Tokens, seed: 501);
        int[] targets = Targets(SequencePrediction.EveryStep, seed: 502);

        for (int i = 0; i < network.Parameters.Count; i++)
        {
            first.Parameters[i].Value.Should().BeSameAs(network.Parameters[i].Value, network.Parameters[i].Name);
            first.Parameters[i].Gradient.Should().NotBeSameAs(network.Parameters[i].Gradient);
        }

        // Sequences 0..1 on one replica, sequence 2 on the other; the whole batch on the network.
        double lossFirst = first.TrainChunk(inputs.AsSpan(0, 2 * Steps), targets.AsSpan(0, 2 * Steps), Steps, 2, 1f, Steps, DropoutKey, 0);
        double lossSecond = second.TrainChunk(inputs.AsSpan(2 * Steps), targets.AsSpan(2 * Steps), Steps, 1, 1f, Steps, DropoutKey, 2);
        network.Parameters.Should().OnlyContain(p => p.Gradient.All(g => g == 0f), "replicas keep their gradients to themselves");
        double loss = network.TrainChunk(inputs, targets, Steps, Batch, 1f, Steps, DropoutKey, 0);

        (lossFirst + lossSecond).Should().BeApproximately(loss, 1e-5 * loss);
        for (int i = 0; i < network.Parameters.Count; i++)
        {
            float[] whole = network.Parameters[i].Gradient, a = first.Parameters[i].Gradient, b = second.Parameters[i].Gradient;
            for (int j = 0; j < whole.Length; j++)
            {
                (a[j] + b[j]).Should().BeApproximately(whole[j], 1e-5f + 1e-4f * Math.Abs(whole[j]), $"{network.Parameters[i].Name}[{j}]");
            }
        }
    }

    [Fact]
    public void TrainChunk_SameInputsTwice_GivesTheSameBits()
    {
        foreach (RecurrentCell cell in Enum.GetValues<RecurrentCell>())
        {
            float[][] Run()
            {
                SequenceNetwork network = Network(cell, 2, trainableEmbedding: true, dropout: 0.3f, seed: 600);
                network.TrainChunk(GradientCheck.Ids(Batch * Steps, Tokens, 601), Targets(SequencePrediction.LastStep, 602), Steps, Batch, 0.25f, 2, DropoutKey, 5);
                return [.. network.Parameters.Select(p => p.Gradient)];
            }

            Run().Should().BeEquivalentTo(Run(), o => o.WithStrictOrdering(), cell.ToString());
        }
    }

    [Theory]
    [InlineData(RecurrentCell.Rnn)]
    [InlineData(RecurrentCell.Gru)]
    [InlineData(RecurrentCell.Lstm)]
    public void TrainChunk_OnceWarmedUp_AllocatesNothing(RecurrentCell cell)
    {
        SequenceNetwork network = Network(cell, 2, trainableEmbedding: true, dropout: 0.3f, seed: 700);
        int[] inputs = GradientCheck.Ids(Batch * Steps, Tokens, 701);
        int[] targets = Targets(SequencePrediction.EveryStep, 702);
        network.TrainChunk(inputs, targets, Steps, Batch, 1f, Steps, DropoutKey, 0);

        long before = GC.GetAllocatedBytesForCurrentThread();
        network.TrainChunk(inputs, targets, Steps, Batch, 1f, 2, DropoutKey, 0);
        network.TrainChunk(inputs.AsSpan(0, 2 * Steps), targets.AsSpan(0, 2 * Steps), Steps, 2, 1f, Steps, DropoutKey, 0);
        network.Loss(inputs, targets, Steps, Batch);

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }
}
