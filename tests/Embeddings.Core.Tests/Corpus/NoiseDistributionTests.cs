using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.Corpus;

public class NoiseDistributionTests
{
    private static Vocabulary Counts(params long[] counts) =>
        Vocabulary.FromCounts(counts.Select((c, i) => new KeyValuePair<string, long>($"w{i:D3}", c)));

    [Fact]
    public void Create_ProbabilitiesFollowCountsToTheExponent()
    {
        NoiseDistribution noise = NoiseDistribution.Create(Counts(16, 1), exponent: 0.75);

        // 16^0.75 = 8, 1^0.75 = 1
        noise.Probability(0).Should().BeApproximately(8.0 / 9.0, 1e-12);
        noise.Probability(1).Should().BeApproximately(1.0 / 9.0, 1e-12);
    }

    [Fact]
    public void Sample_FrequenciesMatchProbabilities()
    {
        NoiseDistribution noise = NoiseDistribution.Create(Counts(1000, 300, 100, 30, 10, 3, 1));
        var random = new Word2VecRandom(42);
        var hits = new int[noise.Count];
        const int draws = 2_000_000;

        for (int i = 0; i < draws; i++)
        {
            hits[noise.Sample(random.Next() * 0x9E3779B97F4A7C15)]++;
        }

        for (int id = 0; id < noise.Count; id++)
        {
            double expected = noise.Probability(id) * draws;
            hits[id].Should().BeCloseTo((int)expected, (uint)(5 * Math.Sqrt(expected) + 5), $"word {id} has p = {noise.Probability(id):F5}");
        }
    }

    [Fact]
    public void Create_ExponentZero_IsUniform()
    {
        NoiseDistribution noise = NoiseDistribution.Create(Counts(1000, 1, 1, 1), exponent: 0);

        Enumerable.Range(0, 4).Select(noise.Probability).Should().AllSatisfy(p => p.Should().BeApproximately(0.25, 1e-12));
    }

    [Fact]
    public void Create_EmptyVocabulary_Throws()
    {
        Action create = () => NoiseDistribution.Create(Counts());

        create.Should().Throw<ArgumentException>().WithMessage("*at least one word*");
    }
}
