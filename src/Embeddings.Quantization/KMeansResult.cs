namespace Embeddings.Quantization;

/// <summary>The outcome of <see cref="KMeans.Train(ReadOnlySpan{float}, int, IProgress{KMeansProgress}?, CancellationToken)"/>. Immutable: the
/// figures of the run are set once, by <see cref="KMeans"/>, when it creates the result.</summary>
public sealed class KMeansResult
{
    private readonly float[] _centroids;
    private readonly int[] _labels;
    private readonly int[] _sizes;
    private readonly double[] _inertiaHistory;

    internal KMeansResult(KMeansOptions options, int dimensions, float[] centroids, int[] labels, double[] inertiaHistory)
    {
        Options = options;
        Dimensions = dimensions;
        _centroids = centroids;
        _labels = labels;
        _inertiaHistory = inertiaHistory;
        _sizes = new int[options.Clusters];
        foreach (int label in labels)
        {
            _sizes[label]++;
        }
    }

    /// <summary>The settings of the run.</summary>
    /// <value>The options.</value>
    public KMeansOptions Options { get; }

    /// <summary>The number of clusters k.</summary>
    /// <value>k.</value>
    public int Clusters => Options.Clusters;

    /// <summary>The length of each point and centroid.</summary>
    /// <value>d.</value>
    public int Dimensions { get; }

    /// <summary>The final centroids, k × d row-major (unit length when <see cref="KMeansOptions.Spherical"/>).</summary>
    /// <value>A read-only view.</value>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>The cluster of each point, in input order, after a final assignment to <see cref="Centroids"/>.</summary>
    /// <value>A read-only view.</value>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>How many points each cluster holds.</summary>
    /// <value>A read-only view, one entry per cluster.</value>
    public ReadOnlySpan<int> ClusterSizes => _sizes;

    /// <summary>
    /// Sum of squared Euclidean distances from each point to its centroid, in double precision (scikit-learn
    /// <c>inertia_</c>); for spherical k-means, on the unit-length points.
    /// </summary>
    /// <value>The inertia.</value>
    public double Inertia { get; internal init; }

    /// <summary>The inertia at each iteration's assignment, from the expanded distances; never increases for Lloyd iterations (up to rounding).</summary>
    /// <value>One value per iteration (per mini-batch pass for the mini-batch variant: the batch inertia scaled to all points).</value>
    public IReadOnlyList<double> InertiaHistory => _inertiaHistory;

    /// <summary>The Lloyd iterations run (scikit-learn <c>n_iter_</c>), or passes over the data for the mini-batch variant.</summary>
    /// <value>At least 1, at most <see cref="KMeansOptions.MaxIterations"/>.</value>
    public int Iterations { get; internal init; }

    /// <summary>Whether the labels stopped changing or the centroid shift fell below the tolerance before <see cref="KMeansOptions.MaxIterations"/>.</summary>
    /// <value><see langword="true"/> if converged.</value>
    public bool Converged { get; internal init; }

    /// <summary>The wall time of the fit, initialisation included.</summary>
    /// <value>The duration.</value>
    public TimeSpan Elapsed { get; internal init; }

    /// <summary>Copies the centroids into a new array.</summary>
    /// <returns>k × d floats.</returns>
    public float[] CentroidsToArray() => (float[])_centroids.Clone();

    internal float[] CentroidArray => _centroids;

    internal int[] LabelArray => _labels;
}
