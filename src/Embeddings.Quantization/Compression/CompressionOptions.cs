using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>The settings of <see cref="CompressionTrainer"/>: the method, the budget of bits a word, and the seed.</summary>
/// <remarks>Checked by <see cref="CompressionBuilder.Build"/>, and again against the vectors' dimensions by <see cref="CompressionTrainer.Train"/>.</remarks>
public sealed record CompressionOptions
{
    /// <summary>The largest accepted <see cref="Threads"/>.</summary>
    public const int MaxThreads = 1024;

    /// <summary>The largest budget for any vectors: 32 bits a dimension of 4,096 dimensions.</summary>
    public const int MaxBits = 32 * 4096;

    /// <summary>The method. Default <see cref="CompressionMethod.ProductQuantization"/>.</summary>
    /// <value>The method.</value>
    public CompressionMethod Method { get; init; } = CompressionMethod.ProductQuantization;

    /// <summary>
    /// The budget of bits a word; each method fits its code into it (see <see cref="CompressionMethod"/>). Default 200
    /// (25 bytes: 16× for 100 dimensions of float32).
    /// </summary>
    /// <value>1 to 32 × dimensions.</value>
    public int Bits { get; init; } = 200;

    /// <summary>The most k-means clusters (<see cref="CompressionMethod.KMeans"/>), which bounds its cost. Default 1,024.</summary>
    /// <value>At least 1.</value>
    public int MaxClusters { get; init; } = 1024;

    /// <summary>
    /// Whether <see cref="CompressionMethod.ProductQuantization"/> first rotates the vectors onto their principal
    /// directions, dealt out so that every subspace gets a like share of the variance (OPQ's eigenvalue allocation, Ge et
    /// al. 2013); the d × d rotation is stored with the codebooks. Up to 512 dimensions. Default <see langword="true"/>.
    /// </summary>
    /// <value><see langword="true"/> to rotate.</value>
    public bool BalancedRotation { get; init; } = true;

    /// <summary>
    /// The autoencoder settings for <see cref="CompressionMethod.Autoencoder"/> and <see cref="CompressionMethod.Binary"/>;
    /// their <see cref="EmbeddingAutoencoderOptions.CodeDimensions"/>, <see cref="EmbeddingAutoencoderOptions.BinaryCode"/>,
    /// <see cref="EmbeddingAutoencoderOptions.Seed"/> and <see cref="EmbeddingAutoencoderOptions.Threads"/> come from
    /// this record. Default <see langword="null"/>: a one-layer cosine autoencoder (tanh code for
    /// <see cref="CompressionMethod.Autoencoder"/>, a linear decoder from the bits for <see cref="CompressionMethod.Binary"/>).
    /// </summary>
    /// <value>The settings, or <see langword="null"/> for the defaults.</value>
    public EmbeddingAutoencoderOptions? Autoencoder { get; init; }

    /// <summary>Seed of every random choice. Default 0.</summary>
    /// <value>Any value.</value>
    public int Seed { get; init; }

    /// <summary>Worker threads; default <see cref="Environment.ProcessorCount"/>, 1–1024. The codes do not depend on it.</summary>
    /// <value>The number of threads.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate()
    {
        new OptionsValidator("compression")
            .Defined(nameof(Method), Method, "Method(CompressionMethod)")
            .InRange(nameof(Bits), Bits, 1, MaxBits, "Bits(int)")
            .InRange(nameof(MaxClusters), MaxClusters, 1, int.MaxValue, "MaxClusters(int)")
            .InRange(nameof(Threads), Threads, 1, MaxThreads, "Threads(int)")
            .ThrowIfInvalid();
        Autoencoder?.Validate();
    }

    /// <summary>Checks the budget against the vectors' dimensions.</summary>
    /// <exception cref="InvalidOptionsException">The budget does not fit the method and the dimensions.</exception>
    internal void Validate(int dimensions)
    {
        Validate();
        string? problem = Bits > 32 * dimensions
            ? $"Bits must be 1–{32 * dimensions} for {dimensions}-dimensional vectors, at most the 32 bits a dimension of float32 (was {Bits}); call Bits(int)."
            : Method == CompressionMethod.Scalar8 && Bits < 8 * dimensions
            ? $"Bits must be at least {8 * dimensions} for scalar8, 8 bits for each of the {dimensions} dimensions (was {Bits}); call Bits(int) or choose another method."
            : Method == CompressionMethod.Autoencoder && Bits < 8
            ? $"Bits must be at least 8 for the autoencoder, one 8-bit code value (was {Bits}); call Bits(int)."
            : null;
        if (problem is not null)
        {
            throw new InvalidOptionsException(nameof(Bits), problem, [problem]);
        }
    }

    /// <summary>The k-means clusters for <paramref name="count"/> words: min(2^bits, <see cref="MaxClusters"/>, count).</summary>
    internal int ClustersFor(int count) => (int)Math.Min(Math.Min(1L << Math.Min(Bits, 30), MaxClusters), count);

    /// <summary>The float code's dimensions of the autoencoder: bits / 8, at most the vectors' dimensions.</summary>
    internal int CodeDimensionsFor(int dimensions) => Math.Min(Bits / 8, dimensions);

    /// <summary>(subspaces, centroids) of product quantization for the budget.</summary>
    internal (int Subspaces, int Centroids) ProductQuantizationFor(int dimensions, int count) =>
        Bits < 8 ? (1, Math.Min(1 << Bits, count)) : (Math.Min(Bits / 8, dimensions), Math.Min(256, count));

    /// <summary>The autoencoder's settings for the method.</summary>
    internal EmbeddingAutoencoderOptions AutoencoderFor(int dimensions)
    {
        bool binary = Method == CompressionMethod.Binary;
        EmbeddingAutoencoderOptions baseline = Autoencoder ?? new EmbeddingAutoencoderOptions
        {
            Loss = AutoencoderLoss.Cosine,
            CodeActivation = AutoencoderActivation.Tanh,
            Epochs = binary ? 20 : 40,
        };
        return baseline with
        {
            BinaryCode = binary,
            CodeDimensions = binary ? Bits : CodeDimensionsFor(dimensions),
            Seed = Seed,
            Threads = Threads,
        };
    }

    /// <summary>The budget in words, for messages.</summary>
    internal string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Method}, {Bits} bits");
}
