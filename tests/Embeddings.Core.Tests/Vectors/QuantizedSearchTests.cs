using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Vectors;

/// <summary>The 8-bit pruning of single queries: it must never change a result.</summary>
public class QuantizedSearchTests
{
    [Fact]
    public void ApproximateScores_MatchScalarTwin()
    {
        if (!QuantizedMatrix.IsSupported)
        {
            VisibleSkip.Because("The 8-bit kernel needs AVX2 and FMA.");
        }

        var random = new Random(2);
        foreach (int dimensions in new[] { 1, 7, 8, 9, 20, 100 })
        {
            WordVectors vectors = TestVectors.Random(11, dimensions, seed: dimensions);
            var quantized = new QuantizedMatrix(vectors.Matrix, vectors.Norms, dimensions);
            float[] query = [.. TestVectors.RandomFloats(random, dimensions), .. new float[quantized.Stride - dimensions]];
            var simd = new float[11];
            var scalar = new float[11];

            SimilarityKernels.ApproximateScores(quantized.Values, quantized.Stride, quantized.Scale, query, simd);
            SimilarityKernels.ApproximateScoresScalar(quantized.Values, quantized.Stride, quantized.Scale, query, scalar);

            for (int r = 0; r < 11; r++)
            {
                simd[r].Should().BeApproximately(scalar[r], 1e-5f * (1 + Math.Abs(scalar[r])), $"row {r}, {dimensions} dimensions");
            }
        }
    }

    [Fact]
    public void ApproximateScores_StayWithinTheirErrorBound()
    {
        if (!QuantizedMatrix.IsSupported)
        {
            VisibleSkip.Because("The 8-bit kernel needs AVX2 and FMA.");
        }

        var random = new Random(3);
        foreach (int dimensions in new[] { 3, 16, 50, 300 })
        {
            WordVectors vectors = TestVectors.Random(200, dimensions, seed: 7);
            var quantized = new QuantizedMatrix(vectors.Matrix, vectors.Norms, dimensions);
            for (int trial = 0; trial < 20; trial++)
            {
                float[] query = TestVectors.RandomFloats(random, dimensions);
                WordVectors.NormalizeInPlace(query);
                float[] padded = [.. query, .. new float[quantized.Stride - dimensions]];
                var approximate = new float[200];
                SimilarityKernels.ApproximateScores(quantized.Values, quantized.Stride, quantized.Scale, padded, approximate);
                float l1 = query.Sum(Math.Abs);
                float slack = quantized.RoundingSlack(1f);

                for (int r = 0; r < 200; r++)
                {
                    float exact = SimilarityKernels.ScoreRow(vectors.GetVector(r), vectors.Norms[r], query);
                    Math.Abs(approximate[r] - exact).Should().BeLessThanOrEqualTo((quantized.Error[r] * l1) + slack);
                }
            }
        }
    }

    [Fact]
    public void MostSimilar_Pruned_EqualsFullScanExactly()
    {
        // 50,000 × 24 = 1.2 M values: above the pruning threshold. Some rows repeat (exact ties) and one is zero.
        (WordVectors pruned, WordVectors full) = Pair(50_000, 24);

        foreach (string word in new[] { "w0", "w1", "w777", "w49999", "w12345" })
        {
            foreach (int topN in new[] { 1, 10, 57 })
            {
                pruned.MostSimilar(word, topN).Should().Equal(full.MostSimilar(word, topN), $"{word}, top {topN}");
            }

            pruned.MostSimilar(word, 10, threads: 2).Should().Equal(full.MostSimilar(word, 10));
        }

        pruned.MostSimilar(["w3", "w4"], ["w5"], 10, restrictVocab: 45_000).Should().Equal(full.MostSimilar(["w3", "w4"], ["w5"], 10, restrictVocab: 45_000));
        pruned.SimilarByVector(full["w9"], 12).Should().Equal(full.SimilarByVector(full["w9"], 12));
    }

    [Fact]
    public void MostSimilar_PrunedWithTies_KeepsTheIdOrderOfTheFullScan()
    {
        (WordVectors pruned, WordVectors full) = Pair(50_000, 24);

        // w100 has three exact duplicates (w101, w102, w103): all tie at similarity 1.
        IReadOnlyList<WordSimilarity> result = pruned.MostSimilar("w100", 5);

        result.Select(r => r.Word).Take(3).Should().Equal("w101", "w102", "w103");
        result.Should().Equal(full.MostSimilar("w100", 5));
        result.Select(r => r.Word).Should().NotContain("zero");
    }

    [Fact]
    public void MostSimilar_PrunedConcurrentFirstQueries_AgreeWithFullScan()
    {
        (WordVectors pruned, WordVectors full) = Pair(50_000, 24);
        string[] words = [.. Enumerable.Range(0, 32).Select(i => "w" + (i * 1511))];
        var actual = new IReadOnlyList<WordSimilarity>[words.Length];

        // A fresh instance: the norms and the 8-bit copy are raced for by the first queries.
        Parallel.For(0, words.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = pruned.MostSimilar(words[i], 10));

        for (int i = 0; i < words.Length; i++)
        {
            actual[i].Should().Equal(full.MostSimilar(words[i], 10));
        }
    }

    private static (WordVectors Pruned, WordVectors Full) Pair(int count, int dimensions)
    {
        WordVectors random = TestVectors.Random(count, dimensions, seed: 21);
        float[] matrix = random.Matrix.ToArray();
        for (int copy = 101; copy <= 103; copy++)
        {
            Array.Copy(matrix, 100 * dimensions, matrix, copy * dimensions, dimensions);
        }

        Array.Clear(matrix, 200 * dimensions, dimensions);
        string[] words = [.. random.Vocabulary.Words];
        words[200] = "zero";
        Vocabulary vocabulary = Vocabulary.FromWordsInOrder(words);
        var pruned = new WordVectors(vocabulary, matrix, dimensions);
        var full = new WordVectors(vocabulary, matrix, dimensions) { PruneSingleQueries = false };
        return (pruned, full);
    }
}
