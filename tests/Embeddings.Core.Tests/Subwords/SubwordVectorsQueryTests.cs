using Embeddings.Core.Corpus;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Subwords;

public class SubwordVectorsQueryTests
{
    /// <summary>
    /// Four words in 4 dimensions, trigrams only, n-gram rows zero except the buckets of "gatito" (a word the vectors
    /// never saw), which point along the first axis, as "gato"'s own row does: "gatito"'s nearest word must be "gato".
    /// </summary>
    internal static SubwordVectors Kittens()
    {
        const int Dimensions = 4, Buckets = 4096;
        Vocabulary vocabulary = Vocabulary.FromWordsInOrder(["gato", "perro", "casa", "gata"], [40, 30, 20, 10]);
        float[] wordRows =
        [
            1.0f, 0.1f, 0.0f, 0.0f, // gato
            0.0f, 1.0f, 0.2f, 0.0f, // perro
            0.0f, 0.1f, 1.0f, 0.3f, // casa
            0.7f, 0.0f, 0.0f, 0.7f, // gata
        ];
        var ngramRows = new float[Buckets * Dimensions];
        var buckets = new List<int>();
        FastTextSubwords.AddNgramBuckets("gatito", 3, 3, Buckets, buckets);
        foreach (int bucket in buckets)
        {
            ngramRows[bucket * Dimensions] = 1f;
            ngramRows[(bucket * Dimensions) + 3] = 0.05f * (bucket % 3);
        }

        return new SubwordVectors(vocabulary, wordRows, ngramRows, Dimensions, minN: 3, maxN: 3);
    }

    [Fact]
    public void MostSimilar_UnseenWord_RanksEveryVocabularyWordByCosineWithItsNgramVector()
    {
        using SubwordVectors vectors = Kittens();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar("gatito");

        vectors.Contains("gatito").Should().BeFalse();
        result.Select(r => r.Word).Should().Equal(BruteForce(vectors, vectors.GetVector("gatito"), excluded: []).Select(r => r.Word));
        result[0].Word.Should().Be("gato");
        result.Should().HaveCount(4, "an unseen query excludes no word");
        result[0].Similarity.Should().BeApproximately(Cosine(vectors.GetVector("gatito"), vectors.Words["gato"].ToArray()), 1e-6f);
    }

    [Fact]
    public void MostSimilar_VocabularyWord_IsWordsAnswer_WithoutTheWordItself()
    {
        using SubwordVectors vectors = Kittens();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar("gato", topN: 3);

        result.Should().Equal(vectors.Words.MostSimilar("gato", topN: 3));
        result.Select(r => r.Word).Should().NotContain("gato").And.HaveCount(3);
    }

    [Fact]
    public void MostSimilar_AnalogyOfVocabularyWords_EqualsWordsAnswer()
    {
        using SubwordVectors vectors = Kittens();

        vectors.MostSimilar(["gata", "perro"], ["gato"]).Should().Equal(vectors.Words.MostSimilar(["gata", "perro"], ["gato"]));
    }

    [Fact]
    public void MostSimilar_AnalogyWithAnUnseenWord_UsesItsNgramVector_AndExcludesOnlyTheVocabularyWords()
    {
        using SubwordVectors vectors = Kittens();
        float[] query = Unit(vectors.GetVector("gatito"));
        float[] gato = Unit(vectors.Words["gato"].ToArray());
        float[] casa = Unit(vectors.Words["casa"].ToArray());
        for (int i = 0; i < query.Length; i++)
        {
            query[i] = (query[i] + casa[i] - gato[i]) / 3;
        }

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar(["gatito", "casa"], ["gato"]);

        result.Select(r => r.Word).Should().Equal(BruteForce(vectors, query, excluded: ["gato", "casa"]).Select(r => r.Word));
        result.Select(r => r.Word).Should().BeEquivalentTo(["perro", "gata"]);
    }

    [Fact]
    public void Similarity_AnyTwoWords_IsTheCosineOfTheirVectors()
    {
        using SubwordVectors vectors = Kittens();

        vectors.Similarity("gatito", "gato").Should().BeApproximately(Cosine(vectors.GetVector("gatito"), vectors.GetVector("gato")), 1e-6f);
        vectors.Similarity("gatito", "gato").Should().BeGreaterThan(0.9f);
        vectors.Similarity("perro", "casa").Should().Be(vectors.Words.Similarity("perro", "casa"));
        vectors.Similarity("gatito", "gatito").Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void Queries_UnseenWordOfAModelWithoutNgrams_ThrowKeyNotFoundNamingTheWord()
    {
        using var vectors = new SubwordVectors(Vocabulary.FromWordsInOrder(["gato", "perro"]), [1, 0, 0, 1], [], 2, minN: 0, maxN: 0);

        Action similar = () => vectors.MostSimilar("gatito");
        Action analogy = () => vectors.MostSimilar(["gato", "gatito"]);
        Action similarity = () => vectors.Similarity("gato", "gatito");

        similar.Should().Throw<KeyNotFoundException>().WithMessage("Word 'gatito' is not in the vocabulary of 2 words and has no character n-grams to build a vector from.");
        analogy.Should().Throw<KeyNotFoundException>().WithMessage("*'gatito'*");
        similarity.Should().Throw<KeyNotFoundException>().WithMessage("*'gatito'*");
    }

    [Fact]
    public void MostSimilar_NoWords_ThrowsArgumentException()
    {
        using SubwordVectors vectors = Kittens();

        Action query = () => vectors.MostSimilar([], []);

        query.Should().Throw<ArgumentException>().WithMessage("MostSimilar needs at least one positive or negative word*");
    }

    [Fact]
    public void EvaluateAnalogies_SkipsQuestionsWithUnseenWords_AsGensimsFastTextDoes()
    {
        using SubwordVectors vectors = Kittens();
        using var folder = new TempDirectory();
        string path = folder.File("questions.txt");
        File.WriteAllText(path, ": animals\ngato gata perro casa\ngatito gata perro casa\n");

        var result = vectors.EvaluateAnalogies(path);

        result.QuestionCount.Should().Be(2);
        result.OovQuestionCount.Should().Be(1);
        (result.Total.Correct.Count + result.Total.Incorrect.Count).Should().Be(1);
        result.Accuracy.Should().Be(vectors.Words.EvaluateAnalogies(path).Accuracy);
    }

    private static List<WordSimilarity> BruteForce(SubwordVectors vectors, float[] query, string[] excluded) =>
        [.. vectors.Vocabulary.Words
            .Where(word => !excluded.Contains(word))
            .Select(word => new WordSimilarity(word, Cosine(query, vectors.Words[word].ToArray())))
            .OrderByDescending(r => r.Similarity)];

    private static float[] Unit(float[] v)
    {
        double norm = Math.Sqrt(v.Sum(x => (double)x * x));
        return [.. v.Select(x => (float)(x / norm))];
    }

    private static float Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return (float)(dot / Math.Sqrt(na * nb));
    }
}
