using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Quantization;

/// <summary>
/// The parallel phases of one k-means run over a fixed set of points: assignment (rows split over the gang with
/// <see cref="MatrixProduct.Partition"/>) and centroid sums (columns split). Every phase writes disjoint parts in a
/// fixed order, so results do not depend on the number of workers.
/// </summary>
internal sealed class KMeansEngine : IDisposable
{
    private readonly WorkerGang _gang;
    private readonly float[][] _scratch;
    private readonly Action<int> _assignWork;
    private readonly Action<int> _sumWork;
    private readonly Action<int> _boundedWork;
    private readonly float[][] _rowBuffers;
    private readonly int[][] _fullRows;

    // The operands of the phase in flight; set before each gang run.
    private float[] _points = [];
    private float[] _pointNorms = [];
    private int _pointCount;
    private int[] _labels = [];
    private float[] _distances = [];
    private double[] _sums = [];
    private float[] _centroids = [];
    private KMeansBounds? _bounds;
    private int _nextChunk;

    /// <summary>Points a worker of <see cref="AssignBounded"/> takes at a time.</summary>
    private const int BoundedChunk = 512;

    public KMeansEngine(int dimensions, int clusters, int threads)
    {
        Dimensions = dimensions;
        Clusters = clusters;
        _gang = new WorkerGang(threads);
        _scratch = new float[threads][];
        for (int t = 0; t < threads; t++)
        {
            _scratch[t] = new float[KMeansKernels.ScratchLength(clusters)];
        }

        CentroidsTransposed = new float[dimensions * clusters];
        CentroidNorms = new float[clusters];
        _rowBuffers = new float[threads][];
        _fullRows = new int[threads][];
        _assignWork = AssignPart;
        _sumWork = SumPart;
        _boundedWork = AssignBoundedPart;
    }

    public int Dimensions { get; }

    public int Clusters { get; }

    public int Workers => _gang.Workers;

    public float[] CentroidsTransposed { get; }

    public float[] CentroidNorms { get; }

    /// <summary>Prepares the transposed centroids and their norms for the next assignments.</summary>
    public void SetCentroids(ReadOnlySpan<float> centroids)
    {
        MatrixProduct.Transpose(centroids, CentroidsTransposed, Clusters, Dimensions);
        KMeansKernels.SquaredNorms(centroids, Clusters, Dimensions, CentroidNorms);
    }

    /// <summary>Labels the first <paramref name="count"/> points with the centroids of the last <see cref="SetCentroids"/>.</summary>
    public void Assign(float[] points, float[] pointNorms, int count, int[] labels, float[] distances)
    {
        _points = points;
        _pointNorms = pointNorms;
        _pointCount = count;
        _labels = labels;
        _distances = distances;
        _gang.Run(_assignWork);
    }

    /// <summary>
    /// Labels the first <paramref name="count"/> points like <see cref="Assign"/>, bit for bit, but computes a full row
    /// of distances only for the points that <paramref name="bounds"/> cannot settle; updates the bounds and
    /// <see cref="KMeansBounds.FullRows"/>. The centroids are those of the last <see cref="SetCentroids"/>, given again
    /// row-major; <see cref="KMeansBounds.AddMoves"/> must have recorded their moves since the previous assignment.
    /// </summary>
    public void AssignBounded(float[] points, float[] pointNorms, int count, float[] centroids, int[] labels, float[] distances, KMeansBounds bounds)
    {
        _points = points;
        _pointNorms = pointNorms;
        _pointCount = count;
        _centroids = centroids;
        _labels = labels;
        _distances = distances;
        _bounds = bounds;
        bounds.MaxCentroidNorm = TensorPrimitives.Max<float>(CentroidNorms);
        bounds.FullRows = 0;
        _nextChunk = 0;
        _gang.Run(_boundedWork);
    }

    /// <summary>Sums the points of each cluster into <paramref name="sums"/> (k × d, double).</summary>
    public void Sum(float[] points, int[] labels, double[] sums)
    {
        _points = points;
        _labels = labels;
        _sums = sums;
        _gang.Run(_sumWork);
    }

    /// <summary>Runs <paramref name="work"/>(worker) on every worker of the gang.</summary>
    public void Run(Action<int> work) => _gang.Run(work);

    public void Dispose() => _gang.Dispose();

    private void AssignPart(int worker)
    {
        (int start, int count) = MatrixProduct.Partition(_pointCount, _gang.Workers, worker);
        if (count == 0)
        {
            return;
        }

        KMeansKernels.Assign(
            _points, _pointNorms, CentroidsTransposed, CentroidNorms, Dimensions, Clusters, start, count, _labels, _distances, _scratch[worker]);
    }

    private void AssignBoundedPart(int worker)
    {
        // Workers take chunks of points as they finish the last one: how many points need a full row varies along the
        // data (word vectors come in frequency order), and fixed halves left one worker 20 % more rows. Each point's
        // result depends on nothing but the point, so any division gives the same bits.
        KMeansBounds bounds = _bounds!;
        int[] fullRows = _fullRows[worker] ??= new int[BoundedChunk];
        float[] buffer = _rowBuffers[worker] ??= new float[KMeansKernels.ChunkRows(Clusters) * Dimensions];
        int total = 0;
        for (int start = (Interlocked.Increment(ref _nextChunk) - 1) * BoundedChunk; start < _pointCount;
             start = (Interlocked.Increment(ref _nextChunk) - 1) * BoundedChunk)
        {
            int end = Math.Min(_pointCount, start + BoundedChunk);
            KMeansKernels.AssignedDistances(_points, _pointNorms, _centroids, CentroidNorms, Dimensions, _labels, start, end - start, _distances);
            int full = 0;
            for (int i = start; i < end; i++)
            {
                if (!bounds.Settles(i, _distances[i], _pointNorms[i]))
                {
                    fullRows[full++] = i;
                }
            }

            KMeansKernels.AssignListed(
                _points, _pointNorms, CentroidsTransposed, CentroidNorms, Dimensions, Clusters, fullRows.AsSpan(0, full), _labels, _distances, bounds,
                buffer, _scratch[worker]);
            total += full;
        }

        Interlocked.Add(ref bounds.FullRows, total);
    }

    private void SumPart(int worker)
    {
        int columnStart = Dimensions * worker / _gang.Workers;
        int columnEnd = Dimensions * (worker + 1) / _gang.Workers;
        Debug.Assert(columnEnd <= Dimensions);
        if (columnEnd > columnStart)
        {
            KMeansKernels.AccumulateSums(_points, _labels, Dimensions, columnStart, columnEnd, _sums);
        }
    }
}
