using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization.Tests;

public class KMeansTests
{
    private static KMeans Build(int clusters, int threads = 1, int seed = 0) =>
        KMeans.CreateBuilder().Clusters(clusters).Seed(seed).Threads(threads).Build();

    [Fact]
    public void Fit_SeparatedBlobs_RecoversEachBlob()
    {
        (float[] points, int[] truth, _) = Blobs.Make(clusters: 6, perCluster: 50, dimensions: 8, seed: 1);

        KMeansResult result = Build(6).Train(points, 8);

        // Every blob maps to one cluster and no two blobs share one.
        var blobOfCluster = new Dictionary<int, int>();
        for (int i = 0; i < truth.Length; i++)
        {
            blobOfCluster.TryAdd(result.Labels[i], truth[i]);
            blobOfCluster[result.Labels[i]].Should().Be(truth[i], "point {0} is in blob {1}", i, truth[i]);
        }

        blobOfCluster.Should().HaveCount(6);
        result.ClusterSizes.ToArray().Should().AllBeEquivalentTo(50);
        result.Converged.Should().BeTrue();
        result.Inertia.Should().BeLessThan(300 * 8 * 0.3 * 0.3 * 1.3, "only the noise remains");
    }

    [Fact]
    public void Fit_LloydIterations_NeverIncreaseInertia()
    {
        float[] points = Blobs.Noise(2000, 5, seed: 2);

        KMeansResult result = KMeans.CreateBuilder().Clusters(40).Init(KMeansInit.Random).Tolerance(0).MaxIterations(60).Threads(2).Build().Train(points, 5);

        result.InertiaHistory.Count.Should().BeGreaterThan(5);
        for (int i = 1; i < result.InertiaHistory.Count; i++)
        {
            result.InertiaHistory[i].Should().BeLessThanOrEqualTo(result.InertiaHistory[i - 1] * (1 + 1e-6), "iteration {0}", i + 1);
        }

        result.Inertia.Should().BeApproximately(result.InertiaHistory[^1], result.Inertia * 1e-4);
        result.Inertia.Should().BeLessThan(result.InertiaHistory[0]);
    }

    [Fact]
    public void Fit_FinalInertia_EqualsSumOfSquaredDistancesToAssignedCentroids()
    {
        float[] points = Blobs.Noise(500, 4, seed: 3);

        KMeansResult result = Build(7).Train(points, 4);

        double expected = 0;
        for (int i = 0; i < 500; i++)
        {
            int label = result.Labels[i];
            for (int j = 0; j < 4; j++)
            {
                double diff = (double)points[(i * 4) + j] - result.Centroids[(label * 4) + j];
                expected += diff * diff;
            }
        }

        result.Inertia.Should().BeApproximately(expected, 1e-9 * expected);

        // The labels are those of the returned centroids (a final assignment ran).
        for (int i = 0; i < 500; i++)
        {
            double best = double.MaxValue;
            for (int c = 0; c < 7; c++)
            {
                double distance = 0;
                for (int j = 0; j < 4; j++)
                {
                    double diff = points[(i * 4) + j] - result.Centroids[(c * 4) + j];
                    distance += diff * diff;
                }

                best = Math.Min(best, distance);
            }

            double own = 0;
            for (int j = 0; j < 4; j++)
            {
                double diff = points[(i * 4) + j] - result.Centroids[(result.Labels[i] * 4) + j];
                own += diff * diff;
            }

            own.Should().BeApproximately(best, 1e-4);
        }
    }

    [Theory]
    [InlineData(false, null)]
    [InlineData(true, null)]
    [InlineData(false, 64)]
    public void Fit_SameSeed_SameResultForAnyThreadCount(bool spherical, int? batch)
    {
        float[] points = Blobs.Noise(3001, 13, seed: 4);
        KMeansResult Run(int threads) => KMeans.CreateBuilder().Clusters(37).Seed(5).Threads(threads).Spherical(spherical).MiniBatch(batch)
            .MaxIterations(20).Build().Train(points, 13);

        KMeansResult one = Run(1);
        foreach (int threads in new[] { 2, 3, 8 })
        {
            KMeansResult other = Run(threads);
            other.Centroids.ToArray().Should().Equal(one.Centroids.ToArray(), "threads = {0}", threads);
            other.Labels.ToArray().Should().Equal(one.Labels.ToArray());
            other.Inertia.Should().Be(one.Inertia);
            other.Iterations.Should().Be(one.Iterations);
        }
    }

    [Theory]
    [InlineData(3001, 13, 37, false, 1)]
    [InlineData(3001, 13, 37, true, 3)]
    [InlineData(2000, 100, 256, false, 2)]
    [InlineData(1000, 4, 300, false, 1)]
    public void Fit_BoundedAssignment_SameResultAsFullRowsBitForBit(int count, int dimensions, int clusters, bool spherical, int threads)
    {
        // Noise has no clusters to find, so points sit near several centroids and change label for many iterations:
        // the hardest case for the bounds. With 300 clusters, ten start far from every point: empty clusters to relocate.
        float[] points = Blobs.Noise(count, dimensions, seed: clusters);
        float[] start = points[..(clusters * dimensions)];
        start.AsSpan((clusters - 10) * dimensions).Fill(1000f);
        (KMeansResult Result, FullRowsLog Log) Run(bool bounded)
        {
            var log = new FullRowsLog();
            KMeans kmeans = KMeans.CreateBuilder().Clusters(clusters).Seed(3).Threads(threads).Spherical(spherical).MaxIterations(60).Tolerance(0)
                .Init(clusters == 300 ? KMeansInit.Given(start) : KMeansInit.KMeansPlusPlus).WithLoggerFactory(log).Build();
            kmeans.BoundedAssignment = bounded;
            return (kmeans.Train(points, dimensions), log);
        }

        (KMeansResult full, _) = Run(bounded: false);
        (KMeansResult bounded, FullRowsLog log) = Run(bounded: true);

        full.Iterations.Should().BeGreaterThan(4, "the comparison needs iterations where the bounds skip points");
        log.FullRows.Skip(1).Should().Contain(rows => rows < count, "some assignments skipped points");
        if (clusters == 300)
        {
            log.Relocated.Should().BePositive("this case exercises the relocation of empty clusters");
        }

        bounded.Labels.ToArray().Should().Equal(full.Labels.ToArray());
        bounded.Centroids.ToArray().Should().Equal(full.Centroids.ToArray());
        bounded.InertiaHistory.ToArray().Should().Equal(full.InertiaHistory.ToArray());
        bounded.Inertia.Should().Be(full.Inertia);
        bounded.Iterations.Should().Be(full.Iterations);
    }

    [Fact]
    public void Fit_BoundedAssignment_SkipsMostPointsOnceCentroidsSettle()
    {
        float[] points = Blobs.Noise(3001, 13, seed: 8);
        using var log = new FullRowsLog();
        KMeans kmeans = KMeans.CreateBuilder().Clusters(37).Seed(1).Threads(2).MaxIterations(40).Tolerance(0).WithLoggerFactory(log).Build();
        kmeans.BoundedAssignment = true;

        kmeans.Train(points, 13);

        log.FullRows.Should().HaveCountGreaterThan(20);
        log.FullRows[^1].Should().BeLessThan(300, "once the centroids barely move, few points need a full row");
    }

    [Fact]
    public void Fit_DifferentSeeds_DifferentInitialisation()
    {
        float[] points = Blobs.Noise(400, 3, seed: 6);

        KMeansResult a = Build(10, seed: 1).Train(points, 3);
        KMeansResult b = Build(10, seed: 2).Train(points, 3);

        a.Centroids.ToArray().Should().NotEqual(b.Centroids.ToArray());
    }

    [Fact]
    public void Fit_Spherical_GivesUnitCentroids()
    {
        float[] points = Blobs.Noise(600, 6, seed: 7);

        KMeansResult result = KMeans.CreateBuilder().Clusters(9).Spherical().Threads(2).Build().Train(points, 6);

        for (int c = 0; c < 9; c++)
        {
            double norm = 0;
            foreach (float x in result.Centroids.Slice(c * 6, 6))
            {
                norm += x * x;
            }

            Math.Sqrt(norm).Should().BeApproximately(1, 1e-5);
        }
    }

    [Fact]
    public void Fit_MiniBatch_RecoversBlobs()
    {
        (float[] points, int[] truth, _) = Blobs.Make(clusters: 4, perCluster: 500, dimensions: 6, seed: 8);

        KMeansResult result = KMeans.CreateBuilder().Clusters(4).MiniBatch(256).Threads(2).Build().Train(points, 6);

        var pairs = new HashSet<(int, int)>();
        for (int i = 0; i < truth.Length; i++)
        {
            pairs.Add((result.Labels[i], truth[i]));
        }

        pairs.Should().HaveCount(4, "each blob is one cluster");
    }

    [Fact]
    public void Fit_GivenCentroidsWithEmptyCluster_RelocatesToFarthestPoint()
    {
        // Points at 0, 1, 2 and one outlier at 100 on a line; centroid 1 starts far away where no point is nearest.
        float[] points = [0, 1, 2, 100];
        KMeans kmeans = KMeans.CreateBuilder().Clusters(2).Init(KMeansInit.Given([1, -1000])).MaxIterations(10).Threads(1).Build();

        KMeansResult result = kmeans.Train(points, 1);

        result.Centroids.ToArray().Should().BeEquivalentTo(new[] { 1f, 100f });
        result.Labels.ToArray().Should().Equal(0, 0, 0, 1);
        result.Inertia.Should().BeApproximately(2, 1e-9);
    }

    [Fact]
    public void Fit_Progress_ReportsInitialisationIterationsAndEnd()
    {
        float[] points = Blobs.Noise(300, 3, seed: 9);
        var reports = new List<KMeansProgress>();

        KMeansResult result = Build(5).Train(points, 3, new SynchronousProgress(reports.Add));

        reports[0].Stage.Should().Be(KMeansStage.Initializing);
        reports[^1].Stage.Should().Be(KMeansStage.Finished);
        reports.Count(r => r.Stage == KMeansStage.Iterating).Should().Be(result.Iterations);
    }

    [Fact]
    public void Fit_Cancelled_Throws()
    {
        float[] points = Blobs.Noise(300, 3, seed: 10);
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action fit = () => Build(5).Train(points, 3, cancellationToken: cancellation.Token);

        fit.Should().Throw<OperationCanceledException>();
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Fit_NonFiniteValue_ThrowsNamingThePoint(float bad)
    {
        float[] points = Blobs.Noise(20, 3, seed: 11);
        points[(7 * 3) + 2] = bad;

        Action fit = () => Build(2).Train(points, 3);

        fit.Should().Throw<ArgumentException>().WithMessage("*point 7*dimension 2*");
    }

    [Fact]
    public void Fit_MoreClustersThanPoints_Throws()
    {
        Action fit = () => Build(11).Train(Blobs.Noise(10, 2, seed: 12), 2);

        fit.Should().Throw<ArgumentException>().WithMessage("Clusters (11) must not exceed the number of points (10)*");
    }

    [Fact]
    public void Fit_LengthNotMultipleOfDimensions_Throws()
    {
        Action fit = () => Build(2).Train(new float[10], 3);

        fit.Should().Throw<ArgumentException>().WithMessage("*10 values, not a multiple of dimensions (3)*");
    }

    [Fact]
    public void Fit_GivenCentroidsOfWrongDimension_Throws()
    {
        KMeans kmeans = KMeans.CreateBuilder().Clusters(2).Init(KMeansInit.Given([0, 0, 1, 1])).Build();

        Action fit = () => kmeans.Train(Blobs.Noise(10, 3, seed: 13), 3);

        fit.Should().Throw<ArgumentException>().WithMessage("*hold 4 values*2*3*6*");
    }

    [Fact]
    public void Build_InvalidSettings_ListsEveryProblem()
    {
        Action build = () => KMeans.CreateBuilder().Clusters(0).MaxIterations(0).Threads(0).Tolerance(-1).Build();

        build.Should().Throw<ArgumentOutOfRangeException>()
            .Where(e => e.ParamName == "Clusters")
            .WithMessage("4 k-means settings are invalid:*Clusters must be at least 1 (was 0)*MaxIterations*Tolerance*Threads*");
    }

    /// <summary>Reports on the calling thread at once (<see cref="Progress{T}"/> posts to the thread pool).</summary>
    private sealed class SynchronousProgress(Action<KMeansProgress> report) : IProgress<KMeansProgress>
    {
        public void Report(KMeansProgress value) => report(value);
    }

    /// <summary>Collects the full-row counts that k-means logs at trace level (event 3004), in order, and the relocated clusters (event 3002).</summary>
    private sealed class FullRowsLog : ILoggerFactory, ILogger
    {
        public List<int> FullRows { get; } = [];

        public int Relocated { get; private set; }

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                if (eventId.Id == 3004)
                {
                    FullRows.Add((int)values.First(v => v.Key == "FullRows").Value!);
                }
                else if (eventId.Id == 3002)
                {
                    Relocated += (int)values.First(v => v.Key == "Relocated").Value!;
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
