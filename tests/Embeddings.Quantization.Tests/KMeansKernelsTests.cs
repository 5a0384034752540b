using Embeddings.Core.Numerics;

namespace Embeddings.Quantization.Tests;

public class KMeansKernelsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 13, 5)]
    [InlineData(301, 100, 256)]
    [InlineData(130, 7, 1500)]
    public void Assign_ThroughMatrixProduct_EqualsScalarReferenceBitForBit(int count, int dimensions, int clusters)
    {
        (float[] points, float[] pointNorms, float[] centroids, float[] centroidNorms) = Operands(count, dimensions, clusters);
        float[] transposed = Transpose(centroids, clusters, dimensions);
        var labels = new int[count];
        var distances = new float[count];
        var scratch = new float[KMeansKernels.ScratchLength(clusters)];
        KMeansKernels.Assign(points, pointNorms, transposed, centroidNorms, dimensions, clusters, 0, count, labels, distances, scratch);
        var expectedLabels = new int[count];
        var expectedDistances = new float[count];
        KMeansKernels.AssignScalar(points, pointNorms, centroids, centroidNorms, dimensions, clusters, expectedLabels, expectedDistances);

        labels.Should().Equal(expectedLabels);
        distances.Should().Equal(expectedDistances);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(37, 13, 5)]
    [InlineData(301, 100, 256)]
    public void AssignedDistances_EqualFullAssignmentsBitForBit(int count, int dimensions, int clusters)
    {
        (float[] points, float[] pointNorms, float[] centroids, float[] centroidNorms) = Operands(count, dimensions, clusters);
        var labels = new int[count];
        var expected = new float[count];
        KMeansKernels.AssignScalar(points, pointNorms, centroids, centroidNorms, dimensions, clusters, labels, expected);
        int[] otherLabels = labels.Select((label, i) => (label + i) % clusters).ToArray();
        var expectedOther = new float[count];
        for (int i = 0; i < count; i++)
        {
            // One centroid alone: the full assignment's distance to it.
            var one = new int[1];
            var distance = new float[1];
            KMeansKernels.AssignScalar(
                points.AsSpan(i * dimensions, dimensions), pointNorms.AsSpan(i, 1), centroids.AsSpan(otherLabels[i] * dimensions, dimensions),
                centroidNorms.AsSpan(otherLabels[i], 1), dimensions, 1, one, distance);
            expectedOther[i] = distance[0];
        }

        var distances = new float[count];
        KMeansKernels.AssignedDistances(points, pointNorms, centroids, centroidNorms, dimensions, labels, 0, count, distances);
        var distancesOther = new float[count];
        KMeansKernels.AssignedDistances(points, pointNorms, centroids, centroidNorms, dimensions, otherLabels, 0, count, distancesOther);

        distances.Should().Equal(expected);
        distancesOther.Should().Equal(expectedOther);
    }

    [Fact]
    public void AssignListed_EqualsAssignOnThoseRows_AndBoundsTheOtherCentroids()
    {
        const int Count = 300, Dimensions = 30, Clusters = 70;
        (float[] points, float[] pointNorms, float[] centroids, float[] centroidNorms) = Operands(Count, Dimensions, Clusters);
        float[] transposed = Transpose(centroids, Clusters, Dimensions);
        var expectedLabels = new int[Count];
        var expectedDistances = new float[Count];
        KMeansKernels.AssignScalar(points, pointNorms, centroids, centroidNorms, Dimensions, Clusters, expectedLabels, expectedDistances);
        int[] rows = Enumerable.Range(0, Count).Where(i => i % 3 != 1).Reverse().ToArray();
        var labels = Enumerable.Repeat(-1, Count).ToArray();
        var distances = new float[Count];
        var bounds = new KMeansBounds(Count, Clusters, Dimensions) { MaxCentroidNorm = centroidNorms.Max() };

        KMeansKernels.AssignListed(
            points, pointNorms, transposed, centroidNorms, Dimensions, Clusters, rows, labels, distances, bounds,
            new float[KMeansKernels.ChunkRows(Clusters) * Dimensions], new float[KMeansKernels.ScratchLength(Clusters)]);

        int slots = bounds.Listed;
        for (int i = 0; i < Count; i++)
        {
            if (i % 3 == 1)
            {
                labels[i].Should().Be(-1, "row {0} was not listed", i);
                bounds.RestBound[i].Should().Be(double.NegativeInfinity);
                continue;
            }

            labels[i].Should().Be(expectedLabels[i]);
            distances[i].Should().Be(expectedDistances[i]);
            int point = i;
            double Distance(int c) => Math.Sqrt(KMeansKernels.SquaredDistance(points.AsSpan(point * Dimensions, Dimensions), centroids.AsSpan(c * Dimensions, Dimensions)));
            var listed = new HashSet<int>();
            for (int j = 0; j < slots; j++)
            {
                double bound = bounds.NearestBound[(i * slots) + j];
                if (double.IsPositiveInfinity(bound))
                {
                    continue;
                }

                int c = bounds.Nearest[(i * slots) + j];
                c.Should().NotBe(labels[i]);
                listed.Add(c).Should().BeTrue("centroid {0} is listed once", c);
                bound.Should().BeLessThanOrEqualTo(Distance(c)).And.BeGreaterThan(Distance(c) * 0.999);
            }

            int[] others = Enumerable.Range(0, Clusters).Where(c => c != labels[point]).OrderBy(Distance).ToArray();
            listed.Should().Contain(others[0], "the nearest other centroid is always listed");
            listed.Count.Should().BeGreaterThanOrEqualTo(5, "at least six scores meet the cut, and the largest of them bounds the rest");
            double rest = others.Where(c => !listed.Contains(c)).Min(Distance);
            bounds.RestBound[i].Should().BeLessThanOrEqualTo(rest).And.BeGreaterThan(Distance(others[listed.Count - 1]) * 0.999);
        }
    }

    [Fact]
    public void Assign_Distances_MatchDirectSquaredDistance()
    {
        const int Count = 200, Dimensions = 20, Clusters = 17;
        float[] points = Blobs.Noise(Count, Dimensions, seed: 21);
        float[] centroids = Blobs.Noise(Clusters, Dimensions, seed: 22);
        var pointNorms = new float[Count];
        var centroidNorms = new float[Clusters];
        KMeansKernels.SquaredNorms(points, Count, Dimensions, pointNorms);
        KMeansKernels.SquaredNorms(centroids, Clusters, Dimensions, centroidNorms);
        var labels = new int[Count];
        var distances = new float[Count];
        KMeansKernels.AssignScalar(points, pointNorms, centroids, centroidNorms, Dimensions, Clusters, labels, distances);

        for (int i = 0; i < Count; i++)
        {
            double best = double.MaxValue;
            int bestLabel = -1;
            for (int c = 0; c < Clusters; c++)
            {
                double d = KMeansKernels.SquaredDistance(points.AsSpan(i * Dimensions, Dimensions), centroids.AsSpan(c * Dimensions, Dimensions));
                if (d < best)
                {
                    best = d;
                    bestLabel = c;
                }
            }

            labels[i].Should().Be(bestLabel);
            distances[i].Should().BeApproximately((float)best, 1e-4f * (float)best);
        }
    }

    [Fact]
    public void Assign_PointOnCentroid_ClampsDistanceAtZero()
    {
        float[] centroids = [1e3f, 1e-3f, 3.3f, -7.1f];
        float[] points = [.. centroids];
        var norms = new float[2];
        KMeansKernels.SquaredNorms(centroids, 2, 2, norms);
        var labels = new int[2];
        var distances = new float[2];

        KMeansKernels.AssignScalar(points, norms, centroids, norms, 2, 2, labels, distances);

        labels.Should().Equal(0, 1);
        distances.Should().OnlyContain(d => d >= 0 && d < 1, "cancellation error is clamped, never negative");
    }

    [Fact]
    public void AccumulateSums_ColumnsSplit_EqualsOnePass()
    {
        float[] points = Blobs.Noise(100, 9, seed: 23);
        int[] labels = [.. Enumerable.Range(0, 100).Select(i => (i * 7) % 5)];
        var whole = new double[5 * 9];
        var split = new double[5 * 9];

        KMeansKernels.AccumulateSums(points, labels, 9, 0, 9, whole);
        KMeansKernels.AccumulateSums(points, labels, 9, 0, 4, split);
        KMeansKernels.AccumulateSums(points, labels, 9, 4, 9, split);

        split.Should().Equal(whole);
        double expected = 0;
        for (int i = 0; i < 100; i++)
        {
            if (labels[i] == 3)
            {
                expected += points[(i * 9) + 2];
            }
        }

        whole[(3 * 9) + 2].Should().Be(expected);
    }

    [Fact]
    public void KMeansPlusPlus_PicksDistinctPoints()
    {
        float[] points = Blobs.Noise(500, 4, seed: 24);
        var centroids = new float[100 * 4];
        using var engine = new KMeansEngine(4, 100, 2);

        int[] chosen = KMeansSeeding.KMeansPlusPlus(engine, points, 500, 4, 100, new SubtractiveRandom(3), centroids, CancellationToken.None);

        chosen.Should().OnlyHaveUniqueItems();
        for (int c = 0; c < 100; c++)
        {
            centroids.AsSpan(c * 4, 4).ToArray().Should().Equal(points.AsSpan(chosen[c] * 4, 4).ToArray());
        }
    }

    [Fact]
    public void KMeansPlusPlus_SeparatedBlobs_OneSeedPerBlob()
    {
        (float[] points, int[] truth, _) = Blobs.Make(clusters: 8, perCluster: 40, dimensions: 8, seed: 25);
        var centroids = new float[8 * 8];
        using var engine = new KMeansEngine(8, 8, 1);

        int[] chosen = KMeansSeeding.KMeansPlusPlus(engine, points, 320, 8, 8, new SubtractiveRandom(0), centroids, CancellationToken.None);

        chosen.Select(i => truth[i]).Should().OnlyHaveUniqueItems("far points are drawn with overwhelming probability");
    }

    [Fact]
    public void KMeansPlusPlus_AnyWorkerCount_SameChoice()
    {
        float[] points = Blobs.Noise(5000, 10, seed: 26);
        int[] Run(int workers)
        {
            using var engine = new KMeansEngine(10, 50, workers);
            return KMeansSeeding.KMeansPlusPlus(engine, points, 5000, 10, 50, new SubtractiveRandom(9), new float[500], CancellationToken.None);
        }

        int[] one = Run(1);
        Run(2).Should().Equal(one);
        Run(5).Should().Equal(one);
    }

    private static (float[] Points, float[] PointNorms, float[] Centroids, float[] CentroidNorms) Operands(int count, int dimensions, int clusters)
    {
        float[] points = Blobs.Noise(count, dimensions, seed: count);
        float[] centroids = Blobs.Noise(clusters, dimensions, seed: clusters + 1);
        var pointNorms = new float[count];
        var centroidNorms = new float[clusters];
        KMeansKernels.SquaredNorms(points, count, dimensions, pointNorms);
        KMeansKernels.SquaredNorms(centroids, clusters, dimensions, centroidNorms);
        return (points, pointNorms, centroids, centroidNorms);
    }

    private static float[] Transpose(float[] matrix, int rows, int columns)
    {
        var transposed = new float[rows * columns];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = matrix[(r * columns) + c];
            }
        }

        return transposed;
    }
}
