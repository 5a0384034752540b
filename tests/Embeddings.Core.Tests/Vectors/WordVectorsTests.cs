using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Vectors;

public class WordVectorsTests
{
    private static WordVectors ThreeWords() =>
        new(Vocabulary.FromWordsInOrder(["de", "la", "mancha"], [30, 20, 10]), [1, 2, 3, 4, 5, 6], 2);

    [Fact]
    public void Take_FewerThanCount_CopiesTheFirstWordsWithTheirCountsAndVectors()
    {
        using WordVectors vectors = ThreeWords();

        using WordVectors first = vectors.Take(2);

        first.Vocabulary.Words.Should().Equal("de", "la");
        first.Vocabulary.GetCount(1).Should().Be(20);
        first.Matrix.ToArray().Should().Equal(1, 2, 3, 4);
        first.MostSimilar("de", 1).Single().Word.Should().Be("la");
    }

    [Fact]
    public void Take_MoreThanCount_TakesThemAll()
    {
        using WordVectors vectors = ThreeWords();

        using WordVectors all = vectors.Take(10);

        all.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words);
        all.Matrix.ToArray().Should().Equal(vectors.Matrix.ToArray());
    }

    [Fact]
    public void Take_Zero_ThrowsNamingTheCount()
    {
        using WordVectors vectors = ThreeWords();

        Action take = () => vectors.Take(0);

        take.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("count");
    }
}
