using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>
/// Learns product-quantizer codebooks with validated settings. Built by <see cref="ProductQuantizer.CreateBuilder"/>;
/// holds no state between calls, so one trainer may train several sets of vectors at once.
/// </summary>
public sealed class ProductQuantizerTrainer
{
    private readonly ILoggerFactory _loggerFactory;

    internal ProductQuantizerTrainer(ProductQuantizerOptions options, ILoggerFactory loggerFactory)
    {
        Options = options;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The validated settings.</summary>
    public ProductQuantizerOptions Options { get; }

    /// <summary>Learns the codebooks from <paramref name="points"/> (n × <paramref name="dimensions"/>, row-major).</summary>
    /// <param name="points">Training vectors.</param>
    /// <param name="dimensions">Their length.</param>
    /// <param name="progress">Receives a report after each subspace; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between and inside the subspaces' k-means.</param>
    /// <returns>The trained quantizer.</returns>
    /// <exception cref="ArgumentException">The values are not finite, the length is not a multiple of the dimensions, or there are fewer points than centroids.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are more subspaces than dimensions.</exception>
    public ProductQuantizer Train(
        ReadOnlySpan<float> points, int dimensions, IProgress<ProductQuantizerProgress>? progress = null, CancellationToken cancellationToken = default) =>
        ProductQuantizer.Train(points, dimensions, Options, _loggerFactory, progress, cancellationToken);

    /// <summary>Trains a quantizer on the unit-length vectors of <paramref name="vectors"/> and encodes every word.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="progress">Receives a report after each subspace; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked during training.</param>
    /// <returns>The coded vectors.</returns>
    /// <exception cref="ArgumentException">A vector holds NaN or infinity, or there are fewer words than centroids.</exception>
    /// <exception cref="ArgumentOutOfRangeException">There are more subspaces than dimensions.</exception>
    public ProductQuantizedVectors Train(
        WordVectors vectors, IProgress<ProductQuantizerProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        KMeans.RequireFinite(vectors.Matrix, vectors.Dimensions, "vector", nameof(vectors));
        float[] unit = vectors.Matrix.ToArray();
        KMeans.NormalizeRows(unit, vectors.Dimensions);
        ProductQuantizer quantizer = Train(unit, vectors.Dimensions, progress, cancellationToken);
        return new ProductQuantizedVectors(vectors.Vocabulary, quantizer, quantizer.Encode(unit));
    }
}
