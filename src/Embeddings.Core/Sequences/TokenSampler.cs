using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>Draws a token from logits with a temperature and an optional top-k cut (shared by every generator).</summary>
internal static class TokenSampler
{
    /// <summary>The sampled id; with temperature 0, the first most probable id.</summary>
    public static int Sample(ReadOnlySpan<float> logits, double temperature, int topK, ref SplitMix64Random random)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }

        if (temperature == 0)
        {
            return best;
        }

        // p_i ∝ exp((z_i − z_max) / T) over the candidates, in double: exact enough for tiny temperatures, where every
        // candidate but the maximum underflows to 0 and the draw is the argmax.
        double threshold = double.NegativeInfinity;
        if (topK > 0 && topK < logits.Length)
        {
            float[] sorted = logits.ToArray();
            Array.Sort(sorted);
            threshold = sorted[^topK];
        }

        double max = logits[best];
        double[] weights = new double[logits.Length];
        double total = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            weights[i] = logits[i] >= threshold ? Math.Exp((logits[i] - max) / temperature) : 0;
            total += weights[i];
        }

        double draw = random.NextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            cumulative += weights[i];
            if (weights[i] > 0 && draw < cumulative)
            {
                return i;
            }
        }

        return best;
    }
}
