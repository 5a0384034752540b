using System.Diagnostics;
using System.Globalization;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Quantization;

/// <summary>
/// k-means clustering of dense float vectors: Lloyd's algorithm (scikit-learn's <c>algorithm='lloyd'</c>) or the
/// mini-batch variant, with greedy k-means++, random or given initial centroids, Euclidean or spherical (cosine).
/// Thread-safe: one clusterer may fit several data sets at once.
/// </summary>
/// <remarks>
/// <para>
/// Each Lloyd iteration assigns every point to its nearest centroid with squared distances
/// <c>‖x‖² − 2x·c + ‖c‖²</c> (clamped at 0) from a blocked SIMD matrix product, recomputes each centroid as the mean
/// of its points (summed in double, in point order), moves the centroids of empty clusters to the points farthest from
/// their centroids (as scikit-learn), and stops when no label changed or the summed squared centroid shift is at most
/// <see cref="KMeansOptions.Tolerance"/> × the mean per-dimension variance. A final assignment then makes the labels
/// match the returned centroids, and the inertia is recomputed from them in double precision.
/// </para>
/// <para>
/// From 16 clusters on, an assignment computes a full row of distances only for the points whose distance bounds
/// (each point's nearest other centroids at its last full row, less how far they have moved since, in the manner of
/// Elkan's and Hamerly's accelerations) cannot show that their label stands; the others cost one distance. The bounds
/// allow for float rounding, so the result is bit-identical to assigning every point in full. On word vectors at
/// k = 256 about a quarter of the point-iterations of a 100-iteration run need a full row, most of them in the first
/// iterations.
/// </para>
/// <para>Reproducibility: with a seed, the result is bit-identical for any <see cref="KMeansOptions.Threads"/>.</para>
/// <para>Memory: a copy of the points (normalised when spherical) plus, for k-means++, a transposed copy of its sample.</para>
/// </remarks>
public sealed class KMeans
{
    private readonly ILogger<KMeans> _logger;

    /// <summary>Creates a trainer with validated options; see <see cref="KMeansBuilder.Build"/>.</summary>
    internal KMeans(KMeansOptions options, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KMeans>();
    }

    /// <summary>The settings.</summary>
    /// <value>The validated options.</value>
    public KMeansOptions Options { get; }

    /// <summary>
    /// Whether Lloyd's assignments skip the points that distance bounds settle (<see cref="KMeansBounds"/>; the result
    /// is the same bit for bit); <see langword="null"/>: from <see cref="MinClustersForBounds"/> clusters on. Tests set it.
    /// </summary>
    internal bool? BoundedAssignment { get; set; }

    /// <summary>Below this k, a full row of distances costs about as much as the bounds' own bookkeeping.</summary>
    internal const int MinClustersForBounds = 16;

    /// <summary>Starts configuring a clusterer from the defaults of <see cref="KMeansOptions"/>.</summary>
    /// <returns>A builder.</returns>
    public static KMeansBuilder CreateBuilder() => new();

    /// <summary>Clusters the vectors of <paramref name="vectors"/> (every word, in id order).</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="progress">Receives a report after the initialisation and after each iteration; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between k-means++ steps and between iterations.</param>
    /// <returns>The centroids, labels and inertia.</returns>
    /// <exception cref="ArgumentException">See <see cref="Train(ReadOnlySpan{float}, int, IProgress{KMeansProgress}?, CancellationToken)"/>.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public KMeansResult Train(WordVectors vectors, IProgress<KMeansProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return Train(vectors.Matrix, vectors.Dimensions, progress, cancellationToken);
    }

    /// <summary>Clusters <paramref name="points"/>, n × <paramref name="dimensions"/> floats in row-major order.</summary>
    /// <param name="points">The points; not modified.</param>
    /// <param name="dimensions">The length of each point.</param>
    /// <param name="progress">Receives a report after the initialisation and after each iteration; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between k-means++ steps and between iterations.</param>
    /// <returns>The centroids, labels and inertia.</returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the length is not a multiple of
    /// <paramref name="dimensions"/>; there are fewer points than <see cref="KMeansOptions.Clusters"/>; or the given
    /// initial centroids do not have k × <paramref name="dimensions"/> finite values.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimensions"/> is less than 1.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public KMeansResult Train(ReadOnlySpan<float> points, int dimensions, IProgress<KMeansProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        KMeansOptions options = Options;
        int count = ValidateData(points, dimensions, options);
        int clusters = options.Clusters;
        KMeansLog.Started(_logger, count, dimensions, options);
        var clock = Stopwatch.StartNew();

        float[] data = points.ToArray();
        if (options.Spherical)
        {
            NormalizeRows(data, dimensions);
        }

        var norms = new float[count];
        KMeansKernels.SquaredNorms(data, count, dimensions, norms);
        using var engine = new KMeansEngine(dimensions, clusters, options.Threads);
        var random = new SubtractiveRandom(options.Seed);
        var centroids = new float[clusters * dimensions];
        int samplePoints = Initialize(engine, data, count, dimensions, random, centroids, cancellationToken);
        KMeansLog.Initialized(_logger, options.Init.Method, samplePoints, clock.Elapsed.TotalSeconds);
        progress?.Report(new KMeansProgress { Stage = KMeansStage.Initializing, MaxIterations = options.MaxIterations, Inertia = double.NaN, Elapsed = clock.Elapsed });

        var labels = new int[count];
        var history = new List<double>();
        (int iterations, bool converged) = options.BatchSize is { } batchSize
            ? MiniBatch(engine, data, norms, count, dimensions, batchSize, random, centroids, labels, history, progress, clock, cancellationToken)
            : Lloyd(engine, data, norms, count, dimensions, centroids, labels, history, progress, clock, cancellationToken);

        double inertia = 0;
        for (int i = 0; i < count; i++)
        {
            inertia += KMeansKernels.SquaredDistance(data.AsSpan(i * dimensions, dimensions), centroids.AsSpan(labels[i] * dimensions, dimensions));
        }

        TimeSpan elapsed = clock.Elapsed;
        KMeansLog.Finished(_logger, iterations, converged, inertia, elapsed.TotalSeconds);
        progress?.Report(new KMeansProgress { Stage = KMeansStage.Finished, Iteration = iterations, MaxIterations = options.MaxIterations, Inertia = inertia, Elapsed = elapsed });
        return new KMeansResult(options, dimensions, centroids, labels, [.. history])
        {
            Inertia = inertia,
            Iterations = iterations,
            Converged = converged,
            Elapsed = elapsed,
        };
    }

    private int Initialize(KMeansEngine engine, float[] data, int count, int dimensions, SubtractiveRandom random, float[] centroids, CancellationToken cancellationToken)
    {
        KMeansOptions options = Options;
        int clusters = options.Clusters;
        switch (options.Init.Method)
        {
            case KMeansInitMethod.Given:
                options.Init.Centroids.CopyTo(centroids);
                if (options.Spherical)
                {
                    NormalizeRows(centroids, dimensions);
                }

                return 0;
            case KMeansInitMethod.Random:
                KMeansSeeding.RandomPoints(data, count, dimensions, clusters, random, centroids);
                return count;
            default:
                int sampleSize = Math.Min(count, options.InitSampleSize ?? (64L * clusters >= count ? count : 64 * clusters));
                float[] sample = sampleSize == count ? data : Sample(data, count, dimensions, sampleSize, random);
                KMeansSeeding.KMeansPlusPlus(engine, sample, sampleSize, dimensions, clusters, random, centroids, cancellationToken);
                return sampleSize;
        }
    }

    private (int Iterations, bool Converged) Lloyd(
        KMeansEngine engine, float[] data, float[] norms, int count, int dimensions, float[] centroids, int[] labels, List<double> history,
        IProgress<KMeansProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        KMeansOptions options = Options;
        int clusters = options.Clusters;
        var previous = new int[count];
        var distances = new float[count];
        var sums = new double[clusters * dimensions];
        var counts = new int[clusters];
        var next = new float[clusters * dimensions];
        double tolerance = options.Tolerance * MeanVariance(data, count, dimensions);
        KMeansBounds? bounds = (BoundedAssignment ?? clusters >= MinClustersForBounds) ? new KMeansBounds(count, clusters, dimensions) : null;
        bool strict = false;
        bool converged = false;
        int iterations = 0;
        for (int iteration = 1; iteration <= options.MaxIterations; iteration++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Assign(iteration);
            double inertia = SumInOrder(distances);
            history.Add(inertia);
            iterations = iteration;
            if (iteration > 1 && labels.AsSpan().SequenceEqual(previous))
            {
                // The centroids are already the means of these labels.
                strict = converged = true;
                KMeansLog.Iteration(_logger, iteration, inertia, 0, 0);
                Report(progress, iteration, inertia, clock);
                break;
            }

            Array.Clear(counts);
            foreach (int label in labels)
            {
                counts[label]++;
            }

            engine.Sum(data, labels, sums);
            int relocated = RelocateEmptyClusters(data, dimensions, labels, distances, sums, counts);
            double shift = 0;
            for (int c = 0; c < clusters; c++)
            {
                Span<float> centroid = next.AsSpan(c * dimensions, dimensions);
                ReadOnlySpan<double> sum = sums.AsSpan(c * dimensions, dimensions);
                double scale = 1.0 / counts[c];
                if (options.Spherical)
                {
                    double squared = 0;
                    foreach (double s in sum)
                    {
                        squared += s * s;
                    }

                    scale = squared > 0 ? 1.0 / Math.Sqrt(squared) : 0;
                }

                for (int j = 0; j < dimensions; j++)
                {
                    centroid[j] = (float)(sum[j] * scale);
                    double diff = (double)centroid[j] - centroids[(c * dimensions) + j];
                    shift += diff * diff;
                }
            }

            bounds?.AddMoves(centroids, next, dimensions);
            next.AsSpan().CopyTo(centroids);
            labels.AsSpan().CopyTo(previous);
            KMeansLog.Iteration(_logger, iteration, inertia, shift, relocated);
            Report(progress, iteration, inertia, clock);
            if (shift <= tolerance)
            {
                converged = true;
                break;
            }
        }

        if (!strict)
        {
            // Final E-step, as scikit-learn: the labels must match the returned centroids.
            Assign(iterations + 1);
        }

        return (iterations, converged);

        void Assign(int iteration)
        {
            engine.SetCentroids(centroids);
            if (bounds is null)
            {
                engine.Assign(data, norms, count, labels, distances);
                return;
            }

            engine.AssignBounded(data, norms, count, centroids, labels, distances, bounds);
            KMeansLog.FullRows(_logger, iteration, bounds.FullRows, count);
        }
    }

    private (int Iterations, bool Converged) MiniBatch(
        KMeansEngine engine, float[] data, float[] norms, int count, int dimensions, int batchSize, SubtractiveRandom random, float[] centroids, int[] labels,
        List<double> history, IProgress<KMeansProgress>? progress, Stopwatch clock, CancellationToken cancellationToken)
    {
        KMeansOptions options = Options;
        int clusters = options.Clusters;
        int size = Math.Min(batchSize, count);
        int stepsPerPass = (count + size - 1) / size;
        var batch = new float[size * dimensions];
        var batchNorms = new float[size];
        var batchLabels = new int[size];
        var batchDistances = new float[size];
        var weights = new double[clusters];
        var batchCounts = new int[clusters];
        var sums = new double[clusters * dimensions];
        double tolerance = options.Tolerance * MeanVariance(data, count, dimensions);
        double alpha = Math.Min(1.0, size * 2.0 / (count + 1));
        double average = double.NaN;
        double best = double.PositiveInfinity;
        int sinceImprovement = 0;
        int passes = 0;
        bool converged = false;
        for (int pass = 1; pass <= options.MaxIterations && !converged; pass++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (int step = 0; step < stepsPerPass && !converged; step++)
            {
                for (int i = 0; i < size; i++)
                {
                    int p = random.Next(count);
                    data.AsSpan(p * dimensions, dimensions).CopyTo(batch.AsSpan(i * dimensions, dimensions));
                    batchNorms[i] = norms[p];
                }

                engine.SetCentroids(centroids);
                engine.Assign(batch, batchNorms, size, batchLabels, batchDistances);
                double batchInertia = SumInOrder(batchDistances) / size;

                // Each centroid becomes the running mean of every point it was given so far (learning rate 1/count).
                Array.Clear(batchCounts);
                Array.Clear(sums);
                for (int i = 0; i < size; i++)
                {
                    int c = batchLabels[i];
                    batchCounts[c]++;
                    Span<double> sum = sums.AsSpan(c * dimensions, dimensions);
                    ReadOnlySpan<float> x = batch.AsSpan(i * dimensions, dimensions);
                    for (int j = 0; j < dimensions; j++)
                    {
                        sum[j] += x[j];
                    }
                }

                double shift = 0;
                for (int c = 0; c < clusters; c++)
                {
                    if (batchCounts[c] == 0)
                    {
                        continue;
                    }

                    Span<float> centroid = centroids.AsSpan(c * dimensions, dimensions);
                    double total = weights[c] + batchCounts[c];
                    double squared = 0;
                    for (int j = 0; j < dimensions; j++)
                    {
                        double value = ((centroid[j] * weights[c]) + sums[(c * dimensions) + j]) / total;
                        sums[(c * dimensions) + j] = value;
                        squared += value * value;
                    }

                    double scale = options.Spherical && squared > 0 ? 1.0 / Math.Sqrt(squared) : 1.0;
                    for (int j = 0; j < dimensions; j++)
                    {
                        float value = (float)(sums[(c * dimensions) + j] * scale);
                        double diff = (double)value - centroid[j];
                        shift += diff * diff;
                        centroid[j] = value;
                    }

                    weights[c] = total;
                }

                // scikit-learn's early stopping: an exponentially weighted average of the batch inertia that has not
                // improved for 10 steps, or a centroid shift within the tolerance.
                average = double.IsNaN(average) ? batchInertia : (average * (1 - alpha)) + (batchInertia * alpha);
                if (average < best)
                {
                    best = average;
                    sinceImprovement = 0;
                }
                else if (++sinceImprovement >= 10)
                {
                    converged = true;
                }

                if (options.Tolerance > 0 && shift <= tolerance)
                {
                    converged = true;
                }
            }

            passes = pass;
            history.Add(average * count);
            KMeansLog.Iteration(_logger, pass, average * count, double.NaN, 0);
            Report(progress, pass, average * count, clock);
        }

        engine.SetCentroids(centroids);
        engine.Assign(data, norms, count, labels, new float[count]);
        return (passes, converged);
    }

    /// <summary>
    /// Moves each empty cluster's centroid to one of the points farthest from their own centroid, taken in decreasing
    /// distance (scikit-learn's <c>_relocate_empty_clusters</c>); the point's old cluster gives it up.
    /// </summary>
    /// <returns>How many clusters were empty.</returns>
    private static int RelocateEmptyClusters(float[] data, int dimensions, int[] labels, float[] distances, double[] sums, int[] counts)
    {
        int empty = 0;
        foreach (int size in counts)
        {
            empty += size == 0 ? 1 : 0;
        }

        if (empty == 0)
        {
            return 0;
        }

        var keys = new float[distances.Length];
        var order = new int[distances.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = -distances[i];
            order[i] = i;
        }

        Array.Sort(keys, order);
        int next = 0;
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] != 0)
            {
                continue;
            }

            // k ≤ n, so clusters with more than one point always hold enough points to give away.
            while (counts[labels[order[next]]] < 2)
            {
                next++;
            }

            int point = order[next++];
            int old = labels[point];
            ReadOnlySpan<float> x = data.AsSpan(point * dimensions, dimensions);
            Span<double> from = sums.AsSpan(old * dimensions, dimensions);
            Span<double> to = sums.AsSpan(c * dimensions, dimensions);
            for (int j = 0; j < dimensions; j++)
            {
                from[j] -= x[j];
                to[j] = x[j];
            }

            counts[old]--;
            counts[c] = 1;
        }

        return empty;
    }

    private void Report(IProgress<KMeansProgress>? progress, int iteration, double inertia, Stopwatch clock) =>
        progress?.Report(new KMeansProgress { Stage = KMeansStage.Iterating, Iteration = iteration, MaxIterations = Options.MaxIterations, Inertia = inertia, Elapsed = clock.Elapsed });

    private static double SumInOrder(float[] values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += value;
        }

        return sum;
    }

    /// <summary>The mean over dimensions of each dimension's variance (scikit-learn's <c>np.mean(np.var(X, axis=0))</c>).</summary>
    private static double MeanVariance(float[] data, int count, int dimensions)
    {
        var mean = new double[dimensions];
        var squares = new double[dimensions];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> x = data.AsSpan(i * dimensions, dimensions);
            for (int j = 0; j < dimensions; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < dimensions; j++)
        {
            mean[j] /= count;
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> x = data.AsSpan(i * dimensions, dimensions);
            for (int j = 0; j < dimensions; j++)
            {
                double diff = x[j] - mean[j];
                squares[j] += diff * diff;
            }
        }

        double total = 0;
        foreach (double s in squares)
        {
            total += s / count;
        }

        return total / dimensions;
    }

    private static float[] Sample(float[] data, int count, int dimensions, int sampleSize, SubtractiveRandom random)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        for (int i = 0; i < sampleSize; i++)
        {
            int j = random.Next(i, count);
            (order[i], order[j]) = (order[j], order[i]);
        }

        Array.Sort(order, 0, sampleSize); // keep the input order, which keeps memory access sequential
        var sample = new float[sampleSize * dimensions];
        for (int i = 0; i < sampleSize; i++)
        {
            data.AsSpan(order[i] * dimensions, dimensions).CopyTo(sample.AsSpan(i * dimensions, dimensions));
        }

        return sample;
    }

    internal static void NormalizeRows(Span<float> rows, int dimensions)
    {
        for (int start = 0; start < rows.Length; start += dimensions)
        {
            Span<float> row = rows.Slice(start, dimensions);
            double squared = 0;
            foreach (float x in row)
            {
                squared += (double)x * x;
            }

            if (squared > 0)
            {
                double scale = 1.0 / Math.Sqrt(squared);
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = (float)(row[j] * scale);
                }
            }
        }
    }

    private static int ValidateData(ReadOnlySpan<float> points, int dimensions, KMeansOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (points.Length % dimensions != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The points hold {points.Length} values, not a multiple of dimensions ({dimensions}); pass n × dimensions values."),
                nameof(points));
        }

        int count = points.Length / dimensions;
        if (count < options.Clusters)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Clusters ({options.Clusters}) must not exceed the number of points ({count}); lower Clusters(…) or give more points."),
                nameof(points));
        }

        RequireFinite(points, dimensions, "point", nameof(points));
        if (options.Init.Method == KMeansInitMethod.Given)
        {
            ReadOnlySpan<float> given = options.Init.Centroids;
            if (given.Length != options.Clusters * dimensions)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The given initial centroids hold {given.Length} values; Clusters ({options.Clusters}) × dimensions ({dimensions}) = {options.Clusters * dimensions} were expected."),
                    nameof(options));
            }

            RequireFinite(given, dimensions, "initial centroid", nameof(options));
        }

        return count;
    }

    internal static void RequireFinite(ReadOnlySpan<float> values, int dimensions, string what, string parameter)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The {what} {i / dimensions} has a non-finite value ({values[i]}) in dimension {i % dimensions}; k-means needs finite values."),
                    parameter);
            }
        }
    }
}
