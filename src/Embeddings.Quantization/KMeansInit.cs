namespace Embeddings.Quantization;

/// <summary>How <see cref="KMeans"/> chooses its first centroids.</summary>
public enum KMeansInitMethod
{
    /// <summary>Greedy k-means++ (scikit-learn's default): each new centroid is the best of 2 + ln k candidates drawn in proportion to the squared distance to the nearest centroid so far.</summary>
    KMeansPlusPlus = 0,

    /// <summary>k distinct points drawn uniformly at random.</summary>
    Random = 1,

    /// <summary>Centroids given by the caller.</summary>
    Given = 2,
}

/// <summary>The initialisation of <see cref="KMeans"/>: <see cref="KMeansPlusPlus"/>, <see cref="Random"/>, or <see cref="Given(float[])"/>.</summary>
public sealed class KMeansInit
{
    private readonly float[]? _centroids;

    private KMeansInit(KMeansInitMethod method, float[]? centroids)
    {
        Method = method;
        _centroids = centroids;
    }

    /// <summary>Greedy k-means++ with 2 + ⌊ln k⌋ candidates per step (scikit-learn <c>init='k-means++'</c>).</summary>
    public static KMeansInit KMeansPlusPlus { get; } = new(KMeansInitMethod.KMeansPlusPlus, null);

    /// <summary>k distinct data points drawn uniformly (scikit-learn <c>init='random'</c>).</summary>
    public static KMeansInit Random { get; } = new(KMeansInitMethod.Random, null);

    /// <summary>Which method this is.</summary>
    /// <value>The method.</value>
    public KMeansInitMethod Method { get; }

    /// <summary>The given centroids, k × dimensions row-major; empty unless <see cref="Method"/> is <see cref="KMeansInitMethod.Given"/>.</summary>
    /// <value>A read-only view of the centroids.</value>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>Starts from these centroids (k × dimensions, row-major); they are copied.</summary>
    /// <param name="centroids">The starting centroids; their count must equal <see cref="KMeansOptions.Clusters"/> times the data's dimensions.</param>
    /// <returns>The initialisation.</returns>
    public static KMeansInit Given(float[] centroids)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        return new(KMeansInitMethod.Given, (float[])centroids.Clone());
    }

    /// <inheritdoc />
    public override string ToString() => Method == KMeansInitMethod.Given ? $"Given({_centroids!.Length} values)" : Method.ToString();
}
