using System.Diagnostics;
using System.Globalization;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Quantization;

/// <summary>
/// The one entry to compress word vectors by any method (<see cref="CompressionMethod"/>) into a budget of bits a
/// word: <c>Compression.Compress(vectors, CompressionMethod.ProductQuantization, bits: 200)</c>, or the builder for
/// every setting. Every method gives a <see cref="CompressedVectors"/>: its size, its reconstruction error, the decoded
/// vectors, search over the codes, and one native file.
/// </summary>
public static class Compression
{
    /// <summary>Starts configuring a trainer from the defaults of <see cref="CompressionOptions"/>.</summary>
    /// <returns>A builder.</returns>
    public static CompressionBuilder CreateBuilder() => new();

    /// <summary>Compresses <paramref name="vectors"/> with <paramref name="method"/> into <paramref name="bits"/> bits a word.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="method">The method.</param>
    /// <param name="bits">The budget a word, 1 to 32 × dimensions.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="progress">Receives reports; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <returns>The compressed vectors.</returns>
    /// <exception cref="ArgumentException">An option is out of range, or the vectors are empty or hold NaN or infinity.</exception>
    public static CompressedVectors Compress(
        WordVectors vectors, CompressionMethod method, int bits, int seed = 0, IProgress<CompressionProgress>? progress = null, CancellationToken cancellationToken = default) =>
        CreateBuilder().Method(method).Bits(bits).Seed(seed).Build().Train(vectors, progress, cancellationToken);
}

/// <summary>Compresses word vectors by the method of its <see cref="CompressionOptions"/>; made by <see cref="CompressionBuilder.Build"/>. Thread-safe.</summary>
/// <remarks>
/// Every method codes the directions of the vectors: each is scaled to unit length first (a zero vector stays zero),
/// so the decoded vectors approximate unit vectors and <see cref="CompressedVectors.ReconstructionError"/> is measured
/// against those. With a seed the codes are the same for any number of threads.
/// </remarks>
public sealed class CompressionTrainer
{
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<CompressionTrainer> _logger;

    internal CompressionTrainer(CompressionOptions options, ILoggerFactory? loggerFactory)
    {
        Options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<CompressionTrainer>();
    }

    /// <summary>The settings.</summary>
    /// <value>The validated options.</value>
    public CompressionOptions Options { get; }

    /// <summary>Compresses every word of <paramref name="vectors"/>.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="progress">Receives a report after each step; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between steps.</param>
    /// <returns>The compressed vectors.</returns>
    /// <exception cref="ArgumentException">There are no vectors, or one holds NaN or infinity (the message names the word).</exception>
    /// <exception cref="Core.Options.InvalidOptionsException">The budget does not fit the method and the dimensions.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public CompressedVectors Train(WordVectors vectors, IProgress<CompressionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        CompressionOptions options = Options;
        int d = vectors.Dimensions;
        options.Validate(d);
        if (vectors.Count == 0)
        {
            throw new ArgumentException("There are no vectors to compress.", nameof(vectors));
        }

        ReadOnlySpan<float> matrix = vectors.Matrix;
        for (int i = 0; i < matrix.Length; i++)
        {
            if (!float.IsFinite(matrix[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The vector of '{vectors.Vocabulary[i / d]}' holds {matrix[i]} at dimension {i % d}; only finite values can be compressed."),
                    nameof(vectors));
            }
        }

        CompressionLog.CompressionStarted(_logger, options.Method, options.Bits, vectors.Count, d);
        var clock = Stopwatch.StartNew();
        float[] unit = matrix.ToArray();
        KMeans.NormalizeRows(unit, d);
        CompressedCodes codes = options.Method switch
        {
            CompressionMethod.KMeans => KMeansCodes.Train(unit, d, options, _loggerFactory, progress, clock, cancellationToken),
            CompressionMethod.ProductQuantization => ProductQuantizedCodes.Train(unit, d, options, _loggerFactory, progress, clock, cancellationToken),
            CompressionMethod.Scalar8 => Scalar8Codes.Train(unit, d),
            _ => AutoencoderCodes.Train(unit, d, options, _loggerFactory, progress, clock, cancellationToken),
        };
        progress?.Report(new CompressionProgress("encoded", 1, 1, clock.Elapsed));

        double error = codes.MeanSquaredError(unit);
        TimeSpan elapsed = clock.Elapsed;
        var result = new CompressedVectors(vectors.Vocabulary, options.Method, options.Bits, d, codes, error, elapsed.TotalSeconds);
        progress?.Report(new CompressionProgress("measured", 1, 1, elapsed));
        CompressionLog.CompressionFinished(_logger, result.BytesPerVector, error, elapsed.TotalSeconds);
        return result;
    }
}
