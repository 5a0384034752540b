using System.Globalization;

namespace Embeddings.Quantization;

/// <summary>The settings of <see cref="ProductQuantizer.Train"/> (names after faiss's <c>ProductQuantizer</c> where they exist).</summary>
/// <remarks>Checked by <see cref="ProductQuantizer.Train"/>, which lists every problem at once.</remarks>
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

    internal void Validate(int dimensions)
    {
        var problems = new List<(string Name, string Message)>();
        if (Subspaces < 1 || Subspaces > dimensions)
        {
            problems.Add((nameof(Subspaces), Invariant($"Subspaces must be 1–{dimensions} (the dimensions) (was {Subspaces}).")));
        }

        if (Centroids is < 1 or > MaxCentroids)
        {
            problems.Add((nameof(Centroids), Invariant($"Centroids must be 1–{MaxCentroids} (was {Centroids}).")));
        }

        if (MaxIterations < 1)
        {
            problems.Add((nameof(MaxIterations), Invariant($"MaxIterations must be at least 1 (was {MaxIterations}).")));
        }

        if (TrainingSampleSize < Centroids)
        {
            problems.Add((nameof(TrainingSampleSize), Invariant($"TrainingSampleSize must be at least Centroids ({Centroids}) (was {TrainingSampleSize}).")));
        }

        if (Threads is < 1 or > KMeansOptions.MaxThreads)
        {
            problems.Add((nameof(Threads), Invariant($"Threads must be 1–{KMeansOptions.MaxThreads} (was {Threads}).")));
        }

        if (problems.Count > 0)
        {
            string message = problems.Count == 1
                ? problems[0].Message
                : Invariant($"{problems.Count} product-quantizer settings are invalid:") + string.Concat(problems.Select(p => Environment.NewLine + "- " + p.Message));
            throw new ArgumentOutOfRangeException(problems[0].Name, message);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
