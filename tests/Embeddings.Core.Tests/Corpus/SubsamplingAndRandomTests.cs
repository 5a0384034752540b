using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.Corpus;

public class SubsamplingAndRandomTests
{
    [Fact]
    public void SubsamplingKeepProbabilities_UseGensimsFormula()
    {
        // 1,000,000 tokens; sample 1e-3 → threshold count 1,000.
        Vocabulary vocabulary = Vocabulary.FromCounts(
        [
            new("the", 900_000), new("cat", 99_000), new("rare", 1_000),
        ]);

        double[] keep = vocabulary.SubsamplingKeepProbabilities(1e-3);

        keep[0].Should().BeApproximately((Math.Sqrt(900_000 / 1_000.0) + 1) * 1_000 / 900_000, 1e-12);
        keep[1].Should().BeApproximately((Math.Sqrt(99.0) + 1) / 99.0, 1e-12);
        keep[2].Should().Be(1.0); // (√1 + 1) · 1 = 2, capped at 1
    }

    [Fact]
    public void SubsamplingKeepProbabilities_ZeroThreshold_KeepsEverything()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([new("a", 10), new("b", 1)]);

        vocabulary.SubsamplingKeepProbabilities(0).Should().Equal(1.0, 1.0);
    }

    [Fact]
    public void SubsamplingKeepProbabilities_NegativeThreshold_Throws()
    {
        Vocabulary vocabulary = Vocabulary.FromCounts([new("a", 10)]);

        Action keep = () => vocabulary.SubsamplingKeepProbabilities(-1);

        keep.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threshold");
    }

    [Fact]
    public void Word2VecRandom_ReproducesWord2VecCsSequence()
    {
        var random = new Word2VecRandom(1);

        random.Next().Should().Be(25214903917UL + 11);
        random.Next().Should().Be(unchecked((25214903917UL + 11) * 25214903917UL + 11));
    }

    [Fact]
    public void Word2VecRandom_StateRestoresTheStream()
    {
        var random = new Word2VecRandom(7);
        random.Next();
        var copy = new Word2VecRandom(random.State);

        copy.Next().Should().Be(random.Next());
    }
}
