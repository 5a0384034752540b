using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Vectors;

public class WordVectorsQueriesTests
{
    /// <summary>Eight words on the unit circle (lengths differ: cosine ignores them) at known angles.</summary>
    private static readonly (string Word, double Degrees, float Length)[] Circle =
    [
        ("a", 0, 1), ("b", 10, 2), ("c", 25, 0.5f), ("d", 47, 3), ("e", 95, 1), ("f", 181, 1), ("g", 268, 4), ("h", 300, 1),
    ];

    private static WordVectors CircleVectors() => TestVectors.FromRows(
        [.. Circle.Select(p => (p.Word, new[] { p.Length * (float)Math.Cos(p.Degrees * Math.PI / 180), p.Length * (float)Math.Sin(p.Degrees * Math.PI / 180) }))]);

    /// <summary>An analogy space: gender on axis 0/1, royalty on axis 2, plus distractors.</summary>
    private static WordVectors Royals() => TestVectors.FromRows(
        ("man", [1, 0, 0, 0]),
        ("woman", [0, 1, 0, 0]),
        ("king", [1, 0, 1, 0.1f]),
        ("queen", [0, 1, 1, 0.1f]),
        ("apple", [0, 0, -1, 1]),
        ("prince", [1, 0, 0.8f, -0.2f]),
        ("girl", [0.1f, 1, 0, 0.3f]));

    [Fact]
    public void Contains_KnownAndUnknownWords_AnswersLikeGensimsIn()
    {
        WordVectors vectors = Royals();

        vectors.Contains("king").Should().BeTrue();
        vectors.Contains("queen".AsSpan()).Should().BeTrue();
        vectors.Contains("King").Should().BeFalse("the match is exact, as in gensim");
        vectors.Contains("throne").Should().BeFalse();
        vectors.Contains("").Should().BeFalse();
        vectors.Contains("kingdom".AsSpan(0, 4)).Should().BeTrue("a slice of a longer string is looked up as itself");
    }

    [Fact]
    public void MostSimilar_Word_RanksByAngleAndExcludesTheWord()
    {
        WordVectors vectors = CircleVectors();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar("a", topN: 3);

        result.Select(r => r.Word).Should().Equal("b", "c", "d");
        result[0].Similarity.Should().BeApproximately((float)Math.Cos(10 * Math.PI / 180), 1e-6f);
        result[2].Similarity.Should().BeApproximately((float)Math.Cos(47 * Math.PI / 180), 1e-6f);
    }

    [Fact]
    public void MostSimilar_TopNLargerThanVocabulary_ReturnsEveryOtherWordBestFirst()
    {
        WordVectors vectors = CircleVectors();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar("a", topN: 100);

        // Angular distance from 0°: 10, 25, 47, 60 (h), 92 (g), 95, 179 (f).
        result.Select(r => r.Word).Should().Equal("b", "c", "d", "h", "g", "e", "f");
    }

    [Fact]
    public void MostSimilar_NegativeOnly_FindsTheOpposite()
    {
        WordVectors vectors = CircleVectors();

        vectors.MostSimilar(null, ["a"], topN: 2).Select(r => r.Word).Should().Equal("f", "e");
    }

    [Fact]
    public void MostSimilar_Analogy_KingMinusManPlusWomanIsQueen()
    {
        WordVectors vectors = Royals();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar(["king", "woman"], ["man"], topN: 3);

        result[0].Word.Should().Be("queen");
        result.Select(r => r.Word).Should().NotContain(["king", "woman", "man"]);
    }

    [Fact]
    public void MostSimilar_RestrictVocab_SearchesOnlyTheFirstWords()
    {
        WordVectors vectors = CircleVectors();

        vectors.MostSimilar("a", topN: 10, restrictVocab: 3).Select(r => r.Word).Should().Equal("b", "c");
        vectors.MostSimilar("h", topN: 10, restrictVocab: 2).Select(r => r.Word).Should().Equal("a", "b");
        vectors.MostSimilar("a", topN: 10, restrictVocab: 1000).Should().HaveCount(7);
    }

    [Fact]
    public void MostSimilar_SpanOverload_EqualsStringOverload()
    {
        WordVectors vectors = CircleVectors();

        vectors.MostSimilar("xxdxx".AsSpan(2, 1), 4).Should().Equal(vectors.MostSimilar("d", 4));
        vectors.SimilarByWord("d", 4).Should().Equal(vectors.MostSimilar("d", 4));
    }

    [Fact]
    public void MostSimilar_ExactTies_BreakByIdAscending()
    {
        WordVectors vectors = TestVectors.FromRows(
            ("q", [1, 0]), ("up", [0, 1]), ("down", [0, -1]), ("left", [-1, 0]), ("up2", [0, 2]));

        // "up", "down" and "up2" are all exactly orthogonal to "q".
        vectors.MostSimilar("q", 3).Select(r => r.Word).Should().Equal("up", "down", "up2");
    }

    [Fact]
    public void MostSimilar_ZeroVector_IsNeverReturned()
    {
        WordVectors vectors = TestVectors.FromRows(("a", [1, 0]), ("zero", [0, 0]), ("b", [-1, 0.1f]));

        vectors.MostSimilar("a", 5).Select(r => r.Word).Should().Equal("b");
    }

    [Fact]
    public void MostSimilar_MatchesBruteForceReference()
    {
        WordVectors vectors = TestVectors.Random(500, 21, seed: 5);
        string[] positive = ["w3", "w77"];
        string[] negative = ["w10"];

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilar(positive, negative, topN: 15);

        // gensim: mean of unit vectors (+1/−1), normalised; cosine with every word; inputs excluded.
        double[] mean = new double[21];
        foreach ((string word, int sign) in positive.Select(w => (w, 1)).Concat(negative.Select(w => (w, -1))))
        {
            double[] unit = Unit(vectors[word]);
            for (int k = 0; k < 21; k++)
            {
                mean[k] += sign * unit[k];
            }
        }

        mean = Unit(mean);
        var expected = Enumerable.Range(0, vectors.Count)
            .Select(id => (Word: vectors.Vocabulary[id], Similarity: Dot(Unit(vectors.GetVector(id)), mean)))
            .Where(p => !positive.Contains(p.Word) && !negative.Contains(p.Word))
            .OrderByDescending(p => p.Similarity)
            .Take(15)
            .ToList();
        result.Select(r => r.Word).Should().Equal(expected.Select(e => e.Word));
        for (int i = 0; i < 15; i++)
        {
            result[i].Similarity.Should().BeApproximately((float)expected[i].Similarity, 1e-5f);
        }
    }

    [Fact]
    public void SimilarByVector_WordsOwnVector_ReturnsTheWordFirst()
    {
        WordVectors vectors = CircleVectors();

        IReadOnlyList<WordSimilarity> result = vectors.SimilarByVector(vectors["d"], topN: 2);

        result.Select(r => r.Word).Should().Equal("d", "c");
        result[0].Similarity.Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void MostSimilarCosMul_MatchesGensimFormula()
    {
        WordVectors vectors = Royals();

        IReadOnlyList<WordSimilarity> result = vectors.MostSimilarCosMul(["king", "woman"], ["man"], topN: 4);

        var expected = Enumerable.Range(0, vectors.Count)
            .Where(id => vectors.Vocabulary[id] is not ("king" or "woman" or "man"))
            .Select(id => (Word: vectors.Vocabulary[id], Score:
                Shifted(vectors, id, "king") * Shifted(vectors, id, "woman") / (Shifted(vectors, id, "man") + 1e-6)))
            .OrderByDescending(p => p.Score)
            .ToList();
        result.Select(r => r.Word).Should().Equal(expected.Select(e => e.Word));
        result[0].Word.Should().Be("queen");
        for (int i = 0; i < result.Count; i++)
        {
            result[i].Similarity.Should().BeApproximately((float)expected[i].Score, 1e-5f);
        }
    }

    [Fact]
    public void MostSimilarCosMul_SinglePositive_RanksLikeMostSimilar()
    {
        WordVectors vectors = TestVectors.Random(300, 10, seed: 9);

        vectors.MostSimilarCosMul(["w5"], topN: 10).Select(r => r.Word)
            .Should().Equal(vectors.MostSimilar("w5", 10).Select(r => r.Word));
    }

    [Fact]
    public void Similarity_IsCosine()
    {
        WordVectors vectors = CircleVectors();

        vectors.Similarity("a", "d").Should().BeApproximately((float)Math.Cos(47 * Math.PI / 180), 1e-6f);
        vectors.Similarity("a".AsSpan(), "f".AsSpan()).Should().BeApproximately((float)Math.Cos(181 * Math.PI / 180), 1e-6f);
        vectors.Similarity("g", "g").Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void NSimilarity_ComparesMeansOfRawVectors()
    {
        WordVectors vectors = TestVectors.FromRows(("x", [1, 0]), ("y", [0, 3]), ("z", [1, 1]));

        // mean(x, y) = (0.5, 1.5): raw vectors, so y's length counts.
        float expected = (float)((0.5 + 1.5) / (Math.Sqrt(0.25 + 2.25) * Math.Sqrt(2)));
        vectors.NSimilarity(["x", "y"], ["z"]).Should().BeApproximately(expected, 1e-6f);
        vectors.NSimilarity(["x"], ["x"]).Should().BeApproximately(1f, 1e-6f);
    }

    [Fact]
    public void DoesntMatch_FindsTheOddOneOutAndIgnoresUnknownWords()
    {
        WordVectors vectors = CircleVectors();

        vectors.DoesntMatch(["a", "b", "c", "f"]).Should().Be("f");
        vectors.DoesntMatch(["a", "b", "nonsense", "g"]).Should().Be("g");
    }

    [Fact]
    public void DoesntMatch_NoKnownWord_ThrowsArgumentException()
    {
        Action act = () => CircleVectors().DoesntMatch(["x", "y"]);

        act.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("words");
    }

    [Fact]
    public void MostSimilarBatch_EqualsSingleQueriesExactly_AcrossThreadsAndRowPartitions()
    {
        // 20,000 rows so that a batch of few queries on several threads is split into row partitions and merged.
        WordVectors vectors = TestVectors.Random(20_000, 12, seed: 3);
        string[] words = ["w0", "w19999", "w4242"];

        foreach (int threads in new[] { 1, 2, 4 })
        {
            IReadOnlyList<IReadOnlyList<WordSimilarity>> batch = vectors.MostSimilarBatch(words, topN: 7, threads: threads);

            for (int i = 0; i < words.Length; i++)
            {
                batch[i].Should().Equal(vectors.MostSimilar(words[i], 7), $"word {words[i]} on {threads} threads");
            }
        }
    }

    [Fact]
    public void MostSimilar_Threads_SplitRowsAndGiveTheSameResult()
    {
        WordVectors vectors = TestVectors.Random(20_000, 12, seed: 6);

        foreach (int threads in new[] { 2, 3, 8 })
        {
            vectors.MostSimilar("w17", 9, threads: threads).Should().Equal(vectors.MostSimilar("w17", 9));
            vectors.MostSimilar(["w1", "w2"], ["w3"], 9, restrictVocab: 19_000, threads: threads)
                .Should().Equal(vectors.MostSimilar(["w1", "w2"], ["w3"], 9, restrictVocab: 19_000));
            vectors.SimilarByVector(vectors["w5"], 4, threads: threads).Should().Equal(vectors.SimilarByVector(vectors["w5"], 4));
        }
    }

    [Fact]
    public void MostSimilarBatch_ManyQueries_EqualsSingleQueries()
    {
        WordVectors vectors = TestVectors.Random(3_000, 37, seed: 4);
        string[] words = [.. Enumerable.Range(0, 70).Select(i => "w" + (i * 41))];

        IReadOnlyList<IReadOnlyList<WordSimilarity>> batch = vectors.MostSimilarBatch(words, topN: 5, restrictVocab: 2_000, threads: 2);

        for (int i = 0; i < words.Length; i++)
        {
            batch[i].Should().Equal(vectors.MostSimilar(words[i], 5, restrictVocab: 2_000));
        }
    }

    [Fact]
    public void Queries_ConcurrentReaders_AgreeWithSequentialResults()
    {
        WordVectors reference = TestVectors.Random(4_000, 24, seed: 8);
        string[] words = [.. Enumerable.Range(0, 64).Select(i => "w" + (i * 53))];
        var expected = words.Select(w => reference.MostSimilar(w, 10)).ToList();

        // A fresh instance, so the lazily computed norms are raced for too.
        WordVectors vectors = TestVectors.Random(4_000, 24, seed: 8);
        var actual = new IReadOnlyList<WordSimilarity>[words.Length];
        Parallel.For(0, words.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            actual[i] = i % 2 == 0 ? vectors.MostSimilar(words[i], 10) : vectors.MostSimilarBatch([words[i]], 10)[0];
        });

        for (int i = 0; i < words.Length; i++)
        {
            actual[i].Should().Equal(expected[i]);
        }
    }

    [Fact]
    public void MostSimilar_UnknownWord_ThrowsKeyNotFoundNamingIt()
    {
        WordVectors vectors = CircleVectors();

        vectors.Invoking(v => v.MostSimilar(["a", "zebra"], ["b"])).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.MostSimilar("zebra")).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.MostSimilar("zebra".AsSpan())).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.MostSimilarCosMul(["a"], ["zebra"])).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.Similarity("a", "zebra")).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.NSimilarity(["a"], ["zebra"])).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
        vectors.Invoking(v => v.MostSimilarBatch(["a", "zebra"])).Should().Throw<KeyNotFoundException>().WithMessage("*'zebra'*");
    }

    [Fact]
    public void MostSimilar_NoWords_ThrowsArgumentException()
    {
        WordVectors vectors = CircleVectors();

        vectors.Invoking(v => v.MostSimilar([], null)).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "positive" && e.Message.Contains("at least one", StringComparison.Ordinal));
        vectors.Invoking(v => v.MostSimilarCosMul([], ["a"])).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("positive");
        vectors.Invoking(v => v.NSimilarity([], ["a"])).Should().Throw<ArgumentException>().Which.ParamName.Should().Be("words1");
    }

    [Fact]
    public void Queries_BadCounts_ThrowArgumentOutOfRange()
    {
        WordVectors vectors = CircleVectors();

        vectors.Invoking(v => v.MostSimilar("a", topN: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("topN");
        vectors.Invoking(v => v.MostSimilar(["a"], null, topN: -1)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("topN");
        vectors.Invoking(v => v.MostSimilar("a", restrictVocab: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("restrictVocab");
        vectors.Invoking(v => v.MostSimilarCosMul(["a"], topN: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("topN");
        vectors.Invoking(v => v.MostSimilarBatch(["a"], threads: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threads");
        vectors.Invoking(v => v.MostSimilar("a", threads: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("threads");
        vectors.Invoking(v => v.SimilarByVector(new float[2], topN: 0)).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("topN");
    }

    [Fact]
    public void SimilarByVector_BadVector_ThrowsArgumentException()
    {
        WordVectors vectors = CircleVectors();

        vectors.Invoking(v => v.SimilarByVector(new float[3])).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "vector" && e.Message.Contains("2 dimensions", StringComparison.Ordinal));
        vectors.Invoking(v => v.SimilarByVector(new[] { 1f, float.NaN })).Should().Throw<ArgumentException>()
            .Where(e => e.ParamName == "vector" && e.Message.Contains("finite", StringComparison.Ordinal));
    }

    private static double Shifted(WordVectors vectors, int id, string word) => (1 + Dot(Unit(vectors.GetVector(id)), Unit(vectors[word]))) / 2;

    private static double[] Unit(ReadOnlySpan<float> vector)
    {
        var values = new double[vector.Length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = vector[i];
        }

        return Unit(values);
    }

    private static double[] Unit(double[] vector)
    {
        double norm = Math.Sqrt(vector.Sum(v => v * v));
        return [.. vector.Select(v => v / norm)];
    }

    private static double Dot(double[] x, double[] y) => x.Zip(y, (a, b) => a * b).Sum();
}
