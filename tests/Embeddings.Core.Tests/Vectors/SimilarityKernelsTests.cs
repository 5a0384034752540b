using System.Numerics;
using System.Numerics.Tensors;
using Embeddings.Core.Vectors;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Core.Tests.Vectors;

public class SimilarityKernelsTests
{
    private static readonly int Width = Vector<float>.Count;

    /// <summary>Lengths 0 to two vector widths + 3: empty, scalar-only, exact widths, and every tail.</summary>
    public static TheoryData<int> Lengths()
    {
        var data = new TheoryData<int>();
        for (int n = 0; n <= (2 * Width) + 3; n++)
        {
            data.Add(n);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Dot_EveryLength_MatchesScalarTwin(int length)
    {
        var random = new Random(length);
        float[] x = TestVectors.RandomFloats(random, length);
        float[] y = TestVectors.RandomFloats(random, length);

        float simd = SimilarityKernels.Dot(x, y);
        float scalar = SimilarityKernels.DotScalar(x, y);

        simd.Should().BeApproximately(scalar, Tolerance(x, y));
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ScoreRows_EveryDimension_MatchesScalarTwin(int dimensions)
    {
        if (dimensions == 0)
        {
            return; // no vectors have zero dimensions
        }

        var random = new Random(dimensions);
        foreach (int rowCount in new[] { 0, 1, 3, 4, 5, 8, 11 })
        {
            foreach (int queryCount in new[] { 1, 2, 3, 5 })
            {
                float[] rows = TestVectors.RandomFloats(random, rowCount * dimensions);
                float[] queries = TestVectors.RandomFloats(random, queryCount * dimensions);
                float[] norms = RowNorms(rows, dimensions);
                int stride = rowCount + 2;
                var simd = new float[queryCount * stride];
                var scalar = new float[queryCount * stride];

                SimilarityKernels.ScoreRows(rows, norms, queries, dimensions, simd, stride);
                SimilarityKernels.ScoreRowsScalar(rows, norms, queries, dimensions, scalar, stride);

                for (int q = 0; q < queryCount; q++)
                {
                    for (int r = 0; r < rowCount; r++)
                    {
                        ReadOnlySpan<float> row = rows.AsSpan(r * dimensions, dimensions);
                        ReadOnlySpan<float> query = queries.AsSpan(q * dimensions, dimensions);
                        simd[(q * stride) + r].Should().BeApproximately(
                            scalar[(q * stride) + r], Tolerance(row, query) / norms[r], $"row {r}, query {q}, {rowCount}×{queryCount}");

                        // The canonical order: every path gives the same bits as Dot.
                        simd[(q * stride) + r].Should().Be(SimilarityKernels.Dot(row, query) / norms[r]);
                    }
                }
            }
        }
    }

    [Fact]
    public void ScoreRows_ZeroRow_ScoresNaNAndNeverEntersTopK()
    {
        float[] rows = [1, 0, 0, 0, 0, 0];
        float[] norms = RowNorms(rows, 3);
        var scores = new float[2];

        SimilarityKernels.ScoreRows(rows, norms, [1f, 1f, 1f], 3, scores, 2);

        scores[1].Should().Be(float.NaN);
        var heapScores = new float[2];
        var heapIds = new int[2];
        int count = 0;
        SimilarityKernels.SelectTop(scores, 0, heapScores, heapIds, ref count, float.NegativeInfinity);
        count.Should().Be(1);
        heapIds[0].Should().Be(0);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void SelectTop_EveryLength_MatchesScalarTwin(int length)
    {
        var random = new Random(100 + length);
        foreach (int k in new[] { 1, 3, Width + 1 })
        {
            // Few distinct values, so ties (broken by id) are common; one NaN.
            float[] scores = [.. Enumerable.Range(0, length).Select(_ => (float)random.Next(-4, 5))];
            if (length > 2)
            {
                scores[length / 2] = float.NaN;
            }

            (float[] Scores, int[] Ids) simd = RunSelect(scores, k, firstId: 7, scalar: false);
            (float[] Scores, int[] Ids) scalar = RunSelect(scores, k, firstId: 7, scalar: true);

            simd.Ids.Should().Equal(scalar.Ids);
            simd.Scores.Should().Equal(scalar.Scores);
        }
    }

    [Fact]
    public void TopK_Property_EqualsSortByScoreDescendingThenId()
    {
        Arbitrary<(float[] Scores, int K)> input = Gen.Elements(-2f, -1f, 0f, 0.5f, 1f, 3f).ArrayOf()
            .SelectMany(scores => Gen.Choose(1, 12).Select(k => (scores, k)))
            .ToArbitrary();

        Prop.ForAll(input, value =>
        {
            (float[] scores, int k) = value;
            var heapScores = new float[k];
            var heapIds = new int[k];
            int count = 0;
            for (int i = 0; i < scores.Length; i++)
            {
                TopK.Offer(heapScores, heapIds, ref count, scores[i], i);
            }

            TopK.SortBestFirst(heapScores, heapIds, count);
            int[] expected = [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k)];
            return heapIds.Take(count).SequenceEqual(expected);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TopK_OffersInAnyOrder_GiveTheSameResult()
    {
        float[] scores = [1, 2, 2, 0, 2, 5, 1];
        int[] order = [6, 5, 4, 3, 2, 1, 0];
        var heapScores = new float[3];
        var heapIds = new int[3];
        int count = 0;
        foreach (int i in order)
        {
            TopK.Offer(heapScores, heapIds, ref count, scores[i], i);
        }

        TopK.SortBestFirst(heapScores, heapIds, count);

        heapIds.Should().Equal(5, 1, 2);
    }

    private static (float[] Scores, int[] Ids) RunSelect(float[] scores, int k, int firstId, bool scalar)
    {
        var heapScores = new float[k];
        var heapIds = new int[k];
        int count = 0;
        float threshold = float.NegativeInfinity;

        // Two blocks, as the search feeds them.
        int half = scores.Length / 2;
        foreach ((int start, int length) in new[] { (0, half), (half, scores.Length - half) })
        {
            ReadOnlySpan<float> block = scores.AsSpan(start, length);
            threshold = scalar
                ? SimilarityKernels.SelectTopScalar(block, firstId + start, heapScores, heapIds, ref count, threshold)
                : SimilarityKernels.SelectTop(block, firstId + start, heapScores, heapIds, ref count, threshold);
        }

        TopK.SortBestFirst(heapScores, heapIds, count);
        return (heapScores[..count], heapIds[..count]);
    }

    private static float[] RowNorms(float[] rows, int dimensions)
    {
        var norms = new float[rows.Length / dimensions];
        for (int r = 0; r < norms.Length; r++)
        {
            norms[r] = TensorPrimitives.Norm(rows.AsSpan(r * dimensions, dimensions));
        }

        return norms;
    }

    /// <summary>Relative tolerance on the sum of |products| (what rounding scales with), plus a tiny absolute floor.</summary>
    private static float Tolerance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double magnitude = 0;
        for (int i = 0; i < x.Length; i++)
        {
            magnitude += Math.Abs((double)x[i] * y[i]);
        }

        return (float)((magnitude * 1e-5) + 1e-7);
    }
}
