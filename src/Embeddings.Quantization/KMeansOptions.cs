using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>
/// The settings of <see cref="KMeans"/>. Build them with <see cref="KMeans.CreateBuilder"/>; names and defaults follow
/// scikit-learn's <c>KMeans</c> (and <c>MiniBatchKMeans</c> for <see cref="BatchSize"/>).
/// </summary>
/// <remarks>A record made with <c>with</c> skips the builder's checks; <see cref="KMeans"/> validates it again.</remarks>
public sealed record KMeansOptions
{
    /// <summary>The largest accepted <see cref="Threads"/>.</summary>
    public const int MaxThreads = 1024;

    /// <summary>The number of clusters k (scikit-learn <c>n_clusters</c>); default 8, at least 1 and at most the number of points.</summary>
    /// <value>k.</value>
    public int Clusters { get; init; } = 8;

    /// <summary>How the first centroids are chosen (scikit-learn <c>init</c>); default <see cref="KMeansInit.KMeansPlusPlus"/>.</summary>
    /// <value>The initialisation.</value>
    public KMeansInit Init { get; init; } = KMeansInit.KMeansPlusPlus;

    /// <summary>
    /// Points that k-means++ draws from (scikit-learn has no such option and uses all). Default <see langword="null"/>:
    /// all points while there are at most 64·k of them, else a seeded uniform sample of 64·k, which keeps the
    /// initialisation's cost, O(sample · k · ln k · dimensions), bounded when n ≫ k.
    /// </summary>
    /// <value>The sample size (at least <see cref="Clusters"/>), or <see langword="null"/> for the rule above.</value>
    public int? InitSampleSize { get; init; }

    /// <summary>The most Lloyd iterations, or passes over the data for the mini-batch variant (scikit-learn <c>max_iter</c>); default 300, at least 1.</summary>
    /// <value>The iteration limit.</value>
    public int MaxIterations { get; init; } = 300;

    /// <summary>
    /// Convergence tolerance (scikit-learn <c>tol</c>); default 1e-4. Iteration stops when the squared shift of all
    /// centroids, summed, is at most <c>Tolerance</c> times the mean per-dimension variance of the data, or when no
    /// label changed. 0 stops only on unchanged labels.
    /// </summary>
    /// <value>The relative tolerance, at least 0.</value>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Seed of the initialisation and of the mini-batches (scikit-learn <c>random_state</c>); default 0.</summary>
    /// <value>The seed.</value>
    public int Seed { get; init; }

    /// <summary>
    /// Worker threads; default <see cref="Environment.ProcessorCount"/>, range 1–1024. The result is bit-identical for
    /// any number of threads: every distance is one fixed chain of operations and every sum has a fixed order.
    /// </summary>
    /// <value>The number of threads.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Spherical k-means: points are scaled to unit length and centroids renormalised after each update, so clusters
    /// follow cosine similarity (the usual choice for word embeddings). Default <see langword="false"/> (Euclidean, as scikit-learn).
    /// </summary>
    /// <value>Whether to cluster by cosine.</value>
    public bool Spherical { get; init; }

    /// <summary>
    /// Mini-batch size (scikit-learn <c>MiniBatchKMeans(batch_size)</c>); default <see langword="null"/>, full-batch
    /// Lloyd iterations. With a size, each step assigns a seeded random batch and moves centroids by per-centroid
    /// learning rates 1/count; a final full assignment gives the labels and inertia.
    /// </summary>
    /// <value>The batch size (at least 1), or <see langword="null"/>.</value>
    public int? BatchSize { get; init; }

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("k-means")
            .InRange(nameof(Clusters), Clusters, 1, int.MaxValue, "Clusters(int)")
            .Require(Init is not null, nameof(Init), Init, "a KMeansInit", "Init(KMeansInit.KMeansPlusPlus)")
            .Require(
                InitSampleSize is not { } sample || sample >= Clusters,
                nameof(InitSampleSize),
                InitSampleSize,
                string.Create(CultureInfo.InvariantCulture, $"at least Clusters = {Clusters}, or null"),
                "InitSampleSize(int?)")
            .InRange(nameof(MaxIterations), MaxIterations, 1, int.MaxValue, "MaxIterations(int)")
            .InRange(nameof(Tolerance), Tolerance, 0, double.PositiveInfinity, "Tolerance(double), e.g. 1e-4")
            .InRange(nameof(Threads), Threads, 1, MaxThreads, "Threads(int)")
            .Require(BatchSize is null or >= 1, nameof(BatchSize), BatchSize, "at least 1 or null", "MiniBatch(int?)")
            .ThrowIfInvalid();
}
