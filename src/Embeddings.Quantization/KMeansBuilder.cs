using Embeddings.Core.Options;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>Configures a <see cref="KMeans"/> clusterer. Every method records a value; <see cref="Build"/> checks them all at once.</summary>
/// <example>
/// <code>
/// KMeans kmeans = KMeans.CreateBuilder().Clusters(1500).Seed(0).Threads(2).Build();
/// KMeansResult result = kmeans.Train(vectors.Matrix, vectors.Dimensions);
/// </code>
/// </example>
public sealed class KMeansBuilder : TrainerBuilder<KMeansBuilder, KMeansOptions>
{

    internal KMeansBuilder()
        : base(new KMeansOptions())
    {
    }

    /// <summary>Sets <see cref="KMeansOptions.Clusters"/> (default 8).</summary>
    /// <param name="clusters">k, at least 1.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Clusters(int clusters) => Set(Options with { Clusters = clusters });

    /// <summary>Sets <see cref="KMeansOptions.Init"/> (default <see cref="KMeansInit.KMeansPlusPlus"/>).</summary>
    /// <param name="init">The initialisation.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Init(KMeansInit init) => Set(Options with { Init = init });

    /// <summary>Sets <see cref="KMeansOptions.InitSampleSize"/> (default <see langword="null"/>: automatic).</summary>
    /// <param name="sampleSize">At least k, or <see langword="null"/>.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder InitSampleSize(int? sampleSize) => Set(Options with { InitSampleSize = sampleSize });

    /// <summary>Sets <see cref="KMeansOptions.MaxIterations"/> (default 300).</summary>
    /// <param name="maxIterations">At least 1.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder MaxIterations(int maxIterations) => Set(Options with { MaxIterations = maxIterations });

    /// <summary>Sets <see cref="KMeansOptions.Tolerance"/> (default 1e-4).</summary>
    /// <param name="tolerance">At least 0.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Tolerance(double tolerance) => Set(Options with { Tolerance = tolerance });

    /// <summary>Sets <see cref="KMeansOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Seed(int seed) => Set(Options with { Seed = seed });

    /// <summary>Sets <see cref="KMeansOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the result does not depend on it.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Threads(int threads) => Set(Options with { Threads = threads });

    /// <summary>Clusters by cosine: sets <see cref="KMeansOptions.Spherical"/>.</summary>
    /// <param name="spherical"><see langword="true"/> (the default of this method) for unit points and centroids.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder Spherical(bool spherical = true) => Set(Options with { Spherical = spherical });

    /// <summary>Uses mini-batch k-means: sets <see cref="KMeansOptions.BatchSize"/>.</summary>
    /// <param name="batchSize">Points per step (scikit-learn's default is 1024), or <see langword="null"/> for full-batch Lloyd.</param>
    /// <returns>This builder.</returns>
    public KMeansBuilder MiniBatch(int? batchSize = 1024) => Set(Options with { BatchSize = batchSize });

    /// <summary>Checks every setting and creates the clusterer. Has no side effects; may be called again.</summary>
    /// <returns>The clusterer.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range. The message lists every problem;
    /// <see cref="ArgumentException.ParamName"/> names the first (e.g. <c>Clusters</c>).</exception>
    public KMeans Build()
    {
        Options.Validate();
        return new(Options, LoggerFactory);
    }
}
