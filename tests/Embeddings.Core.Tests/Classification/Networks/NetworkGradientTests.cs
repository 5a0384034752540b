using Embeddings.Core.Classification;
using ClassifierLayers = Embeddings.Core.Classification.Networks.ClassifierLayers;
using Embeddings.Core.Classification.Networks;
using Embeddings.Core.Sequences;
using Embeddings.Core.Tests.Sequences;

namespace Embeddings.Core.Tests.Classification.Networks;

public class NetworkGradientTests(ITestOutputHelper log)
{
    // Odd sizes; 7 tokens over examples of 0 to 5 ids, so embedding rows repeat and one example is empty.
    private const int Tokens = 7, Dimensions = 5, Classes = 3;

    // Float32 forward and backward, the loss summed in double. ε = 1e-3 (not the recurrent layers' 1e-2): ReLU and max
    // pooling have kinks, and a smaller step is less likely to cross one; the float32 rounding of a loss of ≈ 8 then
    // contributes ≈ 1e-6 / 2ε ≈ 5e-4 at worst, inside 1e-3 + 1e-2·|numeric|, which a dropped or misplaced term exceeds.
    // The linear layers keep PyTorch's default initialisation, whose biases are not zero: a zero bias would put the
    // empty example's hidden units exactly on ReLU's kink.
    private const float Epsilon = 1e-3f;
    private const double Absolute = 1e-3, Relative = 1e-2;

    private static readonly int[][] Examples = [[0, 3, 3, 6, 1], [2], [5, 4, 0], [], [1, 1, 2, 6], [4, 5, 2, 3, 0]];
    private static readonly int[] Labels = [0, 2, 1, 1, 0, 2];
    private static readonly float[] ClassWeights = [0.5f, 2f, 1.25f];

    // The options are internal types, so the theories take an index into these lists.
    private static readonly (RecurrentCell Cell, int Layers, bool Bidirectional, SequenceRepresentation Representation, float Dropout)[] RecurrentCases =
    [
        (RecurrentCell.Lstm, 1, true, SequenceRepresentation.LastStep, 0f),
        (RecurrentCell.Gru, 2, true, SequenceRepresentation.Mean, 0f),
        (RecurrentCell.Rnn, 2, true, SequenceRepresentation.Max, 0.3f),
        (RecurrentCell.Lstm, 2, false, SequenceRepresentation.Max, 0f),
        (RecurrentCell.Gru, 1, false, SequenceRepresentation.Mean, 0.3f),
        (RecurrentCell.Lstm, 2, true, SequenceRepresentation.LastStep, 0.3f),
    ];

    private static readonly (BagPooling Pooling, HiddenActivation Activation, float Dropout)[] MlpCases =
    [
        (BagPooling.Mean, HiddenActivation.Tanh, 0f),
        (BagPooling.MeanMax, HiddenActivation.Sigmoid, 0f),
        (BagPooling.MeanMax, HiddenActivation.LeakyRelu, 0.3f),
        (BagPooling.Mean, HiddenActivation.Relu, 0f),
    ];

    public static TheoryData<int> RecurrentCaseNumbers => [.. Enumerable.Range(0, RecurrentCases.Length)];

    public static TheoryData<int> MlpCaseNumbers => [.. Enumerable.Range(0, MlpCases.Length)];

    [Fact]
    public void Pooling_MeanAndMax_GradientsMatchFiniteDifferences()
    {
        const int steps = 4, batch = 3, width = 5;
        float[] input = GradientCheck.Uniform(steps * batch * width, 1f, 11);
        float[] weights = GradientCheck.Uniform(batch * 2 * width, 1f, 12);
        float[] pooled = new float[batch * 2 * width];
        int[] argmax = new int[batch * width];
        double Loss()
        {
            SequencePooling.Mean(input, pooled, steps, batch, width, 2 * width);
            SequencePooling.Max(input, pooled.AsSpan(width), argmax, steps, batch, width, 2 * width);
            return GradientCheck.Weighted(pooled, weights);
        }

        Loss();
        float[] analytic = new float[input.Length];
        SequencePooling.MeanBackward(weights, analytic, steps, batch, width, 2 * width);
        SequencePooling.MaxBackward(weights.AsSpan(width), argmax, analytic, steps, batch, width, 2 * width);

        double worst = GradientCheck.AssertClose(analytic, GradientCheck.Numeric(input, Loss, 1e-3f), Absolute, Relative, "pooling input");
        log.WriteLine($"largest |analytic − numeric|: {worst:E2}");
    }

    [Fact]
    public void Pooling_NoStep_GivesZeros()
    {
        float[] pooled = [1f, 2f];
        SequencePooling.Mean([], pooled, 0, 1, 2, 2);
        pooled.Should().Equal(0f, 0f);
        pooled = [1f, 2f];
        SequencePooling.Max([], pooled, new int[2], 0, 1, 2, 2);
        pooled.Should().Equal(0f, 0f);
    }

    [Fact]
    public void SoftmaxCrossEntropy_ClassWeights_ScaleEachRowsLossAndGradientByItsTargetsWeight()
    {
        float[] logits = GradientCheck.Uniform(2 * Classes, 2f, 5), weighted = (float[])logits.Clone();
        float[] firstRow = logits[..Classes], secondRow = logits[Classes..];
        double firstLoss = SoftmaxCrossEntropy.LossAndGradient(firstRow, [1], Classes, 0.5f);
        double secondLoss = SoftmaxCrossEntropy.LossAndGradient(secondRow, [2], Classes, 0.5f);

        double loss = SoftmaxCrossEntropy.LossAndGradient(weighted, [1, 2], Classes, 0.5f, ClassWeights);

        loss.Should().BeApproximately((2 * firstLoss) + (1.25 * secondLoss), 1e-5);
        for (int c = 0; c < Classes; c++)
        {
            weighted[c].Should().BeApproximately(firstRow[c] * 2f, 1e-6f);
            weighted[Classes + c].Should().BeApproximately(secondRow[c] * 1.25f, 1e-6f);
        }
    }

    [Theory]
    [MemberData(nameof(MlpCaseNumbers))]
    public void Mlp_Gradients_MatchFiniteDifferences(int number)
    {
        (BagPooling pooling, HiddenActivation activation, float dropout) = MlpCases[number];
        var options = new MlpNetworkOptions
        {
            HiddenSizes = [6, 4], Pooling = pooling, Activation = activation, Dropout = dropout,
            Training = new NetworkTraining { Seed = 3 },
        };
        var network = new MlpNetwork(options, Classes, new NetworkEmbedding(Tokens, Dimensions));
        Check(network, $"MLP {pooling} {activation} dropout {dropout}");
    }

    [Theory]
    [MemberData(nameof(RecurrentCaseNumbers))]
    public void Recurrent_Gradients_MatchFiniteDifferences(int number)
    {
        (RecurrentCell cell, int layers, bool bidirectional, SequenceRepresentation representation, float dropout) = RecurrentCases[number];
        var options = new RecurrentNetworkOptions
        {
            Cell = cell, HiddenSize = 4, Layers = layers, Bidirectional = bidirectional, Representation = representation,
            Dropout = dropout, Training = new NetworkTraining { Seed = 4 },
        };
        var network = new RecurrentClassifierNetwork(options, Classes, new NetworkEmbedding(Tokens, Dimensions));
        network.Parameters.Select(p => p.Name).Should().Contain(bidirectional ? "rnn.weight_hh_l0_reverse" : "rnn.weight_hh_l0");
        Check(network, $"{cell} ×{layers} bidirectional {bidirectional} {representation} dropout {dropout}");
    }

    // Every cell, both directions, every representation (the options are internal, so the theory takes an index).
    private static readonly (RecurrentCell Cell, bool Bidirectional, SequenceRepresentation Representation)[] PackedCases =
    [
        .. from cell in new[] { RecurrentCell.Rnn, RecurrentCell.Gru, RecurrentCell.Lstm }
           from bidirectional in new[] { false, true }
           from representation in new[] { SequenceRepresentation.LastStep, SequenceRepresentation.Mean, SequenceRepresentation.Max }
           select (cell, bidirectional, representation),
    ];

    public static TheoryData<int> PackedCaseNumbers => [.. Enumerable.Range(0, PackedCases.Length)];

    /// <summary>
    /// A chunk runs as one packed batch (longest first, each step over the sequences still running); each example's
    /// loss and gradients must be those of the example run alone, whatever the others' lengths: the same sum, up to
    /// the float rounding of a different order of additions. Two layers with dropout, so the masks (keyed by each
    /// example's position) and the packed inter-layer path count too; one example is empty, two share a length.
    /// </summary>
    [Theory]
    [MemberData(nameof(PackedCaseNumbers))]
    public void Recurrent_PackedChunk_EqualsEachExampleAlone(int number)
    {
        (RecurrentCell cell, bool bidirectional, SequenceRepresentation representation) = PackedCases[number];
        var options = new RecurrentNetworkOptions
        {
            Cell = cell, HiddenSize = 6, Layers = 2, Bidirectional = bidirectional, Representation = representation,
            Dropout = 0.25f, Training = new NetworkTraining { Seed = 5 },
        };
        var network = new RecurrentClassifierNetwork(options, Classes, new NetworkEmbedding(Tokens, Dimensions));
        const int first = 2;
        const ulong key = 0xBEEF;
        int[] all = [.. Enumerable.Range(0, Examples.Length)];
        network.ClearGradients();
        double packedLoss = network.Train(new TrainingChunk(Examples, Labels, all, first, 0.5f, ClassWeights, key));
        float[][] packed = [.. network.Parameters.Select(p => (float[])p.Gradient.Clone())];

        network.ClearGradients();
        double aloneLoss = 0;
        foreach (int example in all)
        {
            // Alone, the example keeps its position in the chunk, so its dropout masks are the same.
            aloneLoss += network.Train(new TrainingChunk(Examples, Labels, new[] { example }, first + example, 0.5f, ClassWeights, key));
        }

        packedLoss.Should().BeApproximately(aloneLoss, 1e-5 * Math.Abs(aloneLoss));
        for (int i = 0; i < packed.Length; i++)
        {
            float[] alone = network.Parameters[i].Gradient;
            float scale = Math.Max(1e-3f, alone.Max(Math.Abs));
            for (int j = 0; j < alone.Length; j++)
            {
                Math.Abs(packed[i][j] - alone[j]).Should().BeLessThanOrEqualTo(1e-5f * scale, $"{cell} bidirectional {bidirectional} {representation}: {network.Parameters[i].Name}[{j}]");
            }
        }
    }

    /// <summary>Every parameter's gradient of the chunk's weighted loss (with dropout masks fixed by the key) against central differences.</summary>
    private void Check(ClassifierLayers network, string what)
    {
        int[] all = [.. Enumerable.Range(0, Examples.Length)];
        var chunk = new TrainingChunk(Examples, Labels, all, 2, 1f, ClassWeights, 0xC0FFEE);
        network.ClearGradients();
        network.Train(chunk);
        // Copied before any finite difference: each of those passes adds to the gradients again.
        float[][] gradients = [.. network.Parameters.Select(p => (float[])p.Gradient.Clone())];
        double worst = 0;
        for (int i = 0; i < gradients.Length; i++)
        {
            Parameter parameter = network.Parameters[i];
            float[] analytic = gradients[i];
            double[] numeric = GradientCheck.Numeric(parameter, () => network.Train(chunk), Epsilon);
            worst = Math.Max(worst, GradientCheck.AssertClose(analytic, numeric, Absolute, Relative, $"{what}: {parameter.Name}"));
        }

        log.WriteLine($"{what}: largest |analytic − numeric| {worst:E2}");
    }
}
