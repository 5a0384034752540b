using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>The settings of <see cref="ProductQuantizerTrainer"/> (names after faiss's <c>ProductQuantizer</c> where they exist).</summary>
/// <remarks>Checked by <see cref="ProductQuantizerBuilder.Build"/>, which lists every problem at once, and again against the vectors' dimensions by <see cref="ProductQuantizerTrainer.Train(ReadOnlySpan{float}, int, IProgress{ProductQuantizerProgress}?, CancellationToken)"/>.</remarks>
public sealed record ProductQuantizerOptions
{
    /// <summary>The most centroids per subspace: codes are one byte.</summary>
    public const int MaxCentroids = 256;

    /// <summary>Subspaces m (faiss <c>M</c>): each vector becomes m one-byte codes; default 50, 1 ≤ m ≤ dimensions.</summary>
    /// <value>m.</value>
    public int Subspaces { get; init; } = 50;

    /// <summary>Centroids per subspace (faiss <c>2^nbits</c>); default 256, range 1–256 and at most the number of training points.</summary>
    /// <value>The codebook size.</value>
    public int Centroids { get; init; } = MaxCentroids;

    /// <summary>Lloyd iterations of each subspace's k-means (faiss <c>niter</c>, 25); default 25, at least 1.</summary>
    /// <value>The iteration limit.</value>
    public int MaxIterations { get; init; } = 25;

    /// <summary>Points drawn (seeded) to train the codebooks when there are more (faiss keeps 256 per centroid); default 65,536, at least <see cref="Centroids"/>.</summary>
    /// <value>The training sample size.</value>
    public int TrainingSampleSize { get; init; } = 65_536;

    /// <summary>Seed of the sample and of each subspace's k-means++ (subspace s uses Seed + s); default 0.</summary>
    /// <value>The seed.</value>
    public int Seed { get; init; }

    /// <summary>Worker threads; default <see cref="Environment.ProcessorCount"/>, 1–1024. The codebooks do not depend on it.</summary>
    /// <value>The number of threads.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() => Validate(int.MaxValue);

    /// <summary>As <see cref="Validate()"/>, and <see cref="Subspaces"/> must not exceed the vectors' <paramref name="dimensions"/>.</summary>
    internal void Validate(int dimensions) =>
        new OptionsValidator("product-quantizer")
            .Require(
                Subspaces >= 1 && Subspaces <= dimensions,
                nameof(Subspaces),
                Subspaces,
                dimensions == int.MaxValue ? "at least 1" : string.Create(CultureInfo.InvariantCulture, $"1–{dimensions} (the dimensions)"),
                "Subspaces(int)")
            .InRange(nameof(Centroids), Centroids, 1, MaxCentroids, "Centroids(int)")
            .InRange(nameof(MaxIterations), MaxIterations, 1, int.MaxValue, "MaxIterations(int)")
            .Require(
                TrainingSampleSize >= Centroids,
                nameof(TrainingSampleSize),
                TrainingSampleSize,
                string.Create(CultureInfo.InvariantCulture, $"at least Centroids = {Centroids}"),
                "TrainingSampleSize(int)")
            .InRange(nameof(Threads), Threads, 1, KMeansOptions.MaxThreads, "Threads(int)")
            .ThrowIfInvalid();
}
