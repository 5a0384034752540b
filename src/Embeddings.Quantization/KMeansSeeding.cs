using System.Runtime.CompilerServices;
using Embeddings.Core.Numerics;

namespace Embeddings.Quantization;

/// <summary>
/// Initial centroids: greedy k-means++ as scikit-learn's <c>_kmeans_plusplus</c>, and uniform random points.
/// </summary>
/// <remarks>
/// Each k-means++ step scores 2 + ⌊ln k⌋ candidates against every point with one matrix product per block of
/// <see cref="BlockPoints"/> points (the points transposed once, block by block); blocks are split over the workers and
/// their potentials summed in block order, so the choice does not depend on the number of workers.
/// </remarks>
internal sealed class KMeansSeeding
{
    private const int BlockPoints = 1024;

    private readonly KMeansEngine _engine;
    private readonly float[] _points;
    private readonly int _count;
    private readonly int _dimensions;
    private readonly float[] _norms;
    private readonly float[] _blocks;
    private readonly int _blockCount;
    private readonly Action<int> _scoreWork;
    private readonly float[][] _products;

    // Per step.
    private readonly float[] _candidates;
    private readonly float[] _candidateNorms;
    private readonly float[] _closest;
    private readonly float[] _trial;
    private readonly double[] _blockPotentials;
    private int _candidateCount;

    private KMeansSeeding(KMeansEngine engine, float[] points, int count, int dimensions, int maxCandidates)
    {
        _engine = engine;
        _points = points;
        _count = count;
        _dimensions = dimensions;
        _norms = new float[count];
        KMeansKernels.SquaredNorms(points, count, dimensions, _norms);
        _blockCount = (count + BlockPoints - 1) / BlockPoints;
        _blocks = new float[_blockCount * dimensions * BlockPoints];
        for (int b = 0; b < _blockCount; b++)
        {
            int rows = Math.Min(BlockPoints, count - (b * BlockPoints));
            Span<float> block = _blocks.AsSpan(b * dimensions * BlockPoints, dimensions * BlockPoints);
            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> x = points.AsSpan(((b * BlockPoints) + r) * dimensions, dimensions);
                for (int p = 0; p < dimensions; p++)
                {
                    block[(p * BlockPoints) + r] = x[p];
                }
            }
        }

        _products = new float[engine.Workers][];
        for (int t = 0; t < _products.Length; t++)
        {
            _products[t] = new float[maxCandidates * BlockPoints];
        }

        _candidates = new float[maxCandidates * dimensions];
        _candidateNorms = new float[maxCandidates];
        _closest = new float[count];
        _trial = new float[maxCandidates * count];
        _blockPotentials = new double[_blockCount * maxCandidates];
        _scoreWork = ScorePart;
    }

    /// <summary>Greedy k-means++ on <paramref name="count"/> points; writes k rows into <paramref name="centroids"/>.</summary>
    /// <returns>The indices of the chosen points.</returns>
    public static int[] KMeansPlusPlus(
        KMeansEngine engine, float[] points, int count, int dimensions, int clusters, SubtractiveRandom random, Span<float> centroids, CancellationToken cancellationToken)
    {
        int trials = 2 + (int)Math.Log(clusters);
        var seeding = new KMeansSeeding(engine, points, count, dimensions, trials);
        return seeding.Run(clusters, trials, random, centroids, cancellationToken);
    }

    /// <summary>k distinct points drawn uniformly (a partial Fisher–Yates shuffle).</summary>
    public static int[] RandomPoints(ReadOnlySpan<float> points, int count, int dimensions, int clusters, SubtractiveRandom random, Span<float> centroids)
    {
        var order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var chosen = new int[clusters];
        for (int c = 0; c < clusters; c++)
        {
            int j = random.Next(c, count);
            (order[c], order[j]) = (order[j], order[c]);
            chosen[c] = order[c];
            points.Slice(order[c] * dimensions, dimensions).CopyTo(centroids.Slice(c * dimensions, dimensions));
        }

        return chosen;
    }

    // Run and ScorePart are jitted fully optimised at once: they run once per fit, a few hundred steps long, and left to
    // tiering they spend much of a short fit in tier-0 and on-stack-replaced code (docs/performance.md, k-means).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int[] Run(int clusters, int trials, SubtractiveRandom random, Span<float> centroids, CancellationToken cancellationToken)
    {
        var chosen = new int[clusters];
        var cumulative = new double[_count];
        var candidateIds = new int[trials];

        int first = random.Next(_count);
        chosen[0] = first;
        _points.AsSpan(first * _dimensions, _dimensions).CopyTo(centroids);
        _closest.AsSpan().Fill(float.PositiveInfinity);
        candidateIds[0] = first;
        double potential = Score(candidateIds.AsSpan(0, 1))[0];
        _trial.AsSpan(0, _count).CopyTo(_closest);

        Span<double> potentials = stackalloc double[trials];
        for (int c = 1; c < clusters; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Draw candidates in proportion to the squared distance to the nearest centroid so far.
            double running = 0;
            for (int i = 0; i < _count; i++)
            {
                running += _closest[i];
                cumulative[i] = running;
            }

            for (int t = 0; t < trials; t++)
            {
                double target = random.NextDouble() * potential;
                int index = LowerBound(cumulative, target);
                candidateIds[t] = Math.Min(index, _count - 1);
            }

            Score(candidateIds).CopyTo(potentials);
            int best = 0;
            for (int t = 1; t < trials; t++)
            {
                if (potentials[t] < potentials[best])
                {
                    best = t;
                }
            }

            potential = potentials[best];
            _trial.AsSpan(best * _count, _count).CopyTo(_closest);
            chosen[c] = candidateIds[best];
            _points.AsSpan(chosen[c] * _dimensions, _dimensions).CopyTo(centroids.Slice(c * _dimensions, _dimensions));
        }

        return chosen;
    }

    /// <summary>For each candidate: min(closest, distance to the candidate) per point into <see cref="_trial"/>, and the summed potential.</summary>
    private double[] Score(ReadOnlySpan<int> candidateIds)
    {
        _candidateCount = candidateIds.Length;
        for (int t = 0; t < candidateIds.Length; t++)
        {
            _points.AsSpan(candidateIds[t] * _dimensions, _dimensions).CopyTo(_candidates.AsSpan(t * _dimensions, _dimensions));
        }

        KMeansKernels.SquaredNorms(_candidates, _candidateCount, _dimensions, _candidateNorms);
        _engine.Run(_scoreWork);
        var potentials = new double[_candidateCount];
        for (int b = 0; b < _blockCount; b++)
        {
            for (int t = 0; t < _candidateCount; t++)
            {
                potentials[t] += _blockPotentials[(b * _candidateCount) + t];
            }
        }

        return potentials;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScorePart(int worker)
    {
        int blockStart = (int)((long)_blockCount * worker / _engine.Workers);
        int blockEnd = (int)((long)_blockCount * (worker + 1) / _engine.Workers);
        float[] product = _products[worker];
        int candidates = _candidateCount;
        for (int b = blockStart; b < blockEnd; b++)
        {
            int offset = b * BlockPoints;
            int rows = Math.Min(BlockPoints, _count - offset);
            MatrixProduct.Multiply(_candidates, _blocks.AsSpan(b * _dimensions * BlockPoints), product, candidates, _dimensions, BlockPoints);
            for (int t = 0; t < candidates; t++)
            {
                ReadOnlySpan<float> dots = product.AsSpan(t * BlockPoints, rows);
                Span<float> trial = _trial.AsSpan((t * _count) + offset, rows);
                ReadOnlySpan<float> closest = _closest.AsSpan(offset, rows);
                ReadOnlySpan<float> norms = _norms.AsSpan(offset, rows);
                float candidateNorm = _candidateNorms[t];
                double sum = 0;
                for (int r = 0; r < rows; r++)
                {
                    float distance = Math.Max(0f, norms[r] + ((dots[r] * -2f) + candidateNorm));
                    float value = Math.Min(closest[r], distance);
                    trial[r] = value;
                    sum += value;
                }

                _blockPotentials[(b * candidates) + t] = sum;
            }
        }
    }

    /// <summary>The first index whose value is at least <paramref name="target"/> (numpy's <c>searchsorted</c>, side left).</summary>
    private static int LowerBound(double[] sorted, double target)
    {
        int low = 0;
        int high = sorted.Length;
        while (low < high)
        {
            int mid = (int)((uint)(low + high) >> 1);
            if (sorted[mid] < target)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
