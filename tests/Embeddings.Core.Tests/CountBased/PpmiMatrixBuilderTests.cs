using Embeddings.Core.Corpus;
using Embeddings.Core.CountBased;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.CountBased;

/// <summary>
/// The PPMI matrix of a corpus small enough to count by hand: sentences <c>a b a c</c> and <c>b c</c>, window 2.
/// Word ids (counts tie at 2, so ordinal order): a = 0, b = 1, c = 2.
/// <code>
/// counts #(w, c)      a  b  c   #(w)
///                 a   2  2  1    5     a–a: positions 0 and 2 (distance 2), counted from both ends
///                 b   2  0  2    4     b–c: distance 2 in sentence 1, distance 1 in sentence 2
///                 c   1  2  0    3     the window never crosses from sentence 1 into sentence 2
/// D = 12
/// </code>
/// </summary>
public class PpmiMatrixBuilderTests
{
    private static readonly string[][] Sentences = [["a", "b", "a", "c"], ["b", "c"]];

    [Fact]
    public void Build_NoSmoothing_GivesTextbookPpmi()
    {
        PpmiMatrixBuilder.Result result = Build(Sentences, window: 2, contextSmoothing: 1.0);

        // PMI(w, c) = log(#(w,c) · D / (#(w) · #(c))), clipped at 0.
        double[,] expected =
        {
            { 0 /* log(24/25) < 0 */, Math.Log(2.0 * 12 / (5 * 4)), 0 /* log(12/15) < 0 */ },
            { Math.Log(2.0 * 12 / (4 * 5)), 0, Math.Log(2.0 * 12 / (4 * 3)) },
            { 0 /* log(12/15) */, Math.Log(2.0 * 12 / (3 * 4)), 0 },
        };
        ShouldEqual(result.Ppmi, expected);
        result.Transposed.Should().BeSameAs(result.Ppmi, "with α = 1 the PPMI matrix is symmetric");
        result.CooccurrencePairs.Should().Be(7);
        result.TotalWeight.Should().Be(12);
        result.Ppmi.NonZeros.Should().Be(4);
    }

    [Fact]
    public void Build_ContextSmoothing_UsesSmoothedContextDistribution()
    {
        PpmiMatrixBuilder.Result result = Build(Sentences, window: 2, contextSmoothing: 0.75);

        // PMI_α(w, c) = log(#(w,c) / (#(w) · P_α(c))), P_α(c) = #(c)^0.75 / (5^0.75 + 4^0.75 + 3^0.75).
        double sum = Math.Pow(5, 0.75) + Math.Pow(4, 0.75) + Math.Pow(3, 0.75);
        double P(double count) => Math.Pow(count, 0.75) / sum;
        double[,] expected =
        {
            { Math.Log(2 / (5 * P(5))) /* 0.011: positive once smoothed */, Math.Log(2 / (5 * P(4))), 0 /* log 0.74 */ },
            { Math.Log(2 / (4 * P(5))), 0, Math.Log(2 / (4 * P(3))) },
            { 0 /* log 0.84 */, Math.Log(2 / (3 * P(4))), 0 },
        };
        ShouldEqual(result.Ppmi, expected);
        result.Ppmi[0, 0].Should().BeApproximately(0.0109908f, 1e-6f, "log(2 · 8.45163 / (5 · 3.34370)), worked out by hand");
        for (int i = 0; i < 3; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                result.Transposed[i, j].Should().Be(result.Ppmi[j, i], $"Aᵀ[{i}, {j}] is A[{j}, {i}]");
            }
        }
    }

    [Fact]
    public void Build_InverseDistance_WeightsContextsByOneOverDistance()
    {
        PpmiMatrixBuilder.Result result = Build(Sentences, window: 2, contextSmoothing: 1.0, WindowWeighting.InverseDistance);

        // Four adjacent pairs (weight 1) and two at distance 2 (weight ½), each counted in both directions: D = 10.
        // #(b,c) = ½ + 1, #(b) = (1 + 1 + ½) + 1, #(c) = (1 + ½) + 1.
        result.TotalWeight.Should().Be(10);
        result.Ppmi[1, 2].Should().BeApproximately((float)Math.Log(1.5 * 10 / (3.5 * 2.5)), 1e-6f);
    }

    [Theory]
    [InlineData(WindowWeighting.Uniform, new[] { 1.0, 1.0, 1.0 })]
    [InlineData(WindowWeighting.InverseDistance, new[] { 1.0, 1.0 / 2, 1.0 / 3 })]
    [InlineData(WindowWeighting.Linear, new[] { 1.0, 2.0 / 3, 1.0 / 3 })]
    public void Weights_WindowOfThree_MatchTheDefinition(WindowWeighting weighting, double[] expected)
    {
        PpmiMatrixBuilder.Weights(3, weighting).AsSpan(1).ToArray().Should().Equal(expected);
    }

    [Fact]
    public void Build_AnyNumberOfThreads_GivesTheSameMatrix()
    {
        string[][] corpus = RandomCorpus(seed: 7, sentences: 300, words: 40);

        PpmiMatrixBuilder.Result one = Build(corpus, window: 3, contextSmoothing: 0.75, threads: 1);
        PpmiMatrixBuilder.Result three = Build(corpus, window: 3, contextSmoothing: 0.75, threads: 3);

        Flatten(three.Ppmi).Should().Equal(Flatten(one.Ppmi));
        Flatten(three.Transposed).Should().Equal(Flatten(one.Transposed));
        three.CooccurrencePairs.Should().Be(one.CooccurrencePairs);
    }

    [Fact]
    public void Encode_DropsRareWordsBeforeWindowsAndSeparatesSentences()
    {
        string[][] corpus = [["a", "rare", "b"], ["once"], ["b", "a"]];

        Vocabulary vocabulary = Vocabulary.Build(corpus, minCount: 2);
        EncodedCorpus encoded = EncodedCorpus.Encode(corpus, vocabulary);

        vocabulary.Words.Should().Equal("a", "b");
        PpmiMatrixBuilder.SeparatedIds(encoded).Should().Equal(0, 1, PpmiMatrixBuilder.Separator, 1, 0, PpmiMatrixBuilder.Separator);
        encoded.TokenCount.Should().Be(4);
    }

    [Fact]
    public void Build_LargeCorpus_HoldsTheInvertedIndexAnEighthAtATime()
    {
        // 5 M tokens, Zipf-like over 2,000 words: the index of all positions would be as long as the corpus.
        const int tokens = 5_000_000;
        var ids = new int[tokens + (tokens / 1000)];
        var state = 12345UL;
        int written = 0;
        for (int s = 0; s < tokens / 1000; s++)
        {
            for (int t = 0; t < 1000; t++)
            {
                state = (state * 6364136223846793005UL) + 1442695040888963407UL;
                ids[written++] = (int)(2000 * Math.Pow((state >> 11) / (double)(1UL << 53), 3));
            }

            ids[written++] = PpmiMatrixBuilder.Separator;
        }

        int mostFrequent = ids.Where(id => id >= 0).GroupBy(id => id).Max(g => g.Count());
        using var gang = new WorkerGang(2);

        PpmiMatrixBuilder.Result result = PpmiMatrixBuilder.Build(ids, 2000, 2, WindowWeighting.Uniform, 1.0, gang, tick: null, CancellationToken.None);

        result.LargestIndexPart.Should().BeLessThanOrEqualTo(Math.Max(tokens / 8, mostFrequent) + mostFrequent);
        result.LargestIndexPart.Should().BeLessThan(tokens / 4);
        result.Ppmi.NonZeros.Should().BeGreaterThan(0);
    }

    [Fact]
    public void Build_FromIds_SameMatrixAsFromTheEncodedCorpus()
    {
        string[][] corpus = RandomCorpus(seed: 3, sentences: 300, words: 40);
        EncodedCorpus encoded = EncodedCorpus.Encode(corpus, Vocabulary.Build(corpus, minCount: 1));
        using var gang = new WorkerGang(1);
        PpmiMatrixBuilder.Result fromCorpus = PpmiMatrixBuilder.Build(encoded, 3, WindowWeighting.Uniform, 0.75, gang, tick: null, CancellationToken.None);
        int[] ids = [.. PpmiMatrixBuilder.SeparatedIds(encoded), PpmiMatrixBuilder.Separator, PpmiMatrixBuilder.Separator];

        PpmiMatrixBuilder.Result fromIds = PpmiMatrixBuilder.Build(ids, encoded.VocabularySize, 3, WindowWeighting.Uniform, 0.75, gang, tick: null, CancellationToken.None);

        Flatten(fromIds.Ppmi).Should().Equal(Flatten(fromCorpus.Ppmi));
        Flatten(fromIds.Transposed).Should().Equal(Flatten(fromCorpus.Transposed));
    }

    internal static string[][] RandomCorpus(int seed, int sentences, int words)
    {
        var random = new Random(seed);
        var corpus = new string[sentences][];
        for (int s = 0; s < sentences; s++)
        {
            corpus[s] = new string[random.Next(1, 15)];
            for (int t = 0; t < corpus[s].Length; t++)
            {
                // Zipf-like: low numbers are frequent.
                corpus[s][t] = "w" + ((int)(words * Math.Pow(random.NextDouble(), 2))).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return corpus;
    }

    private static PpmiMatrixBuilder.Result Build(
        string[][] sentences, int window, double contextSmoothing, WindowWeighting weighting = WindowWeighting.Uniform, int threads = 1)
    {
        EncodedCorpus encoded = EncodedCorpus.Encode(sentences, Vocabulary.Build(sentences, minCount: 1));
        using var gang = new WorkerGang(threads);
        return PpmiMatrixBuilder.Build(encoded, window, weighting, contextSmoothing, gang, tick: null, CancellationToken.None);
    }

    private static void ShouldEqual(CsrMatrix matrix, double[,] expected)
    {
        for (int i = 0; i < expected.GetLength(0); i++)
        {
            for (int j = 0; j < expected.GetLength(1); j++)
            {
                matrix[i, j].Should().BeApproximately((float)expected[i, j], 1e-6f, $"entry ({i}, {j})");
            }
        }
    }

    private static List<(int Row, int Column, float Value)> Flatten(CsrMatrix matrix)
    {
        var entries = new List<(int, int, float)>();
        foreach (CsrBlock block in matrix.Blocks)
        {
            for (int i = 0; i < block.RowCount; i++)
            {
                for (int k = block.RowPointers[i]; k < block.RowPointers[i + 1]; k++)
                {
                    entries.Add((block.FirstRow + i, block.ColumnIndices[k], block.Values[k]));
                }
            }
        }

        return entries;
    }
}
