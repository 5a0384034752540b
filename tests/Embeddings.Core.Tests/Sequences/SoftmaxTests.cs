using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

public class SoftmaxTests
{
    [Fact]
    public void Softmax_ScoresBeyondAFloatsExponent_GivesFiniteProbabilities()
    {
        // e^100 overflows a float: a softmax without the shift gave NaN for every label, and a fastText-style model
        // trained on 11 M tokens ended with loss NaN and predicted nothing right.
        float[] scores = [100f, 98f, -3f];

        SoftmaxCrossEntropy.Softmax(scores);

        double second = 1 / (1 + Math.Exp(2) + Math.Exp(-103));
        scores.Should().OnlyContain(p => float.IsFinite(p));
        scores[0].Should().BeApproximately((float)(Math.Exp(2) * second), 1e-6f);
        scores[1].Should().BeApproximately((float)second, 1e-6f);
        scores.Sum().Should().BeApproximately(1f, 1e-6f);
    }
}
