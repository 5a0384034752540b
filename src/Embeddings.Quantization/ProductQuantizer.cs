using System.Globalization;
using Embeddings.Core.Numerics;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>
/// A product quantizer (Jégou, Douze &amp; Schmid 2011): the dimensions are split into m contiguous subspaces, each
/// with its own codebook of up to 256 centroids learnt by k-means, and a vector is stored as m one-byte codes.
/// Distances from an uncompressed query to coded vectors come from per-query lookup tables (asymmetric distance
/// computation). Immutable and thread-safe.
/// </summary>
/// <remarks>Subspace s covers dimensions [⌊s·d/m⌋, ⌊(s+1)·d/m⌋), so d need not be a multiple of m.</remarks>
public sealed class ProductQuantizer
{
    private readonly float[] _codebooks;
    private readonly int[] _offsets;

    internal ProductQuantizer(int dimensions, int subspaces, int centroids, float[] codebooks)
    {
        Dimensions = dimensions;
        Subspaces = subspaces;
        CentroidsPerSubspace = centroids;
        _codebooks = codebooks;
        _offsets = new int[subspaces + 1];
        for (int s = 0; s <= subspaces; s++)
        {
            _offsets[s] = (int)((long)s * dimensions / subspaces);
        }
    }

    /// <summary>The length of the vectors.</summary>
    /// <value>d.</value>
    public int Dimensions { get; }

    /// <summary>The number of subspaces m, which is also the code length in bytes.</summary>
    /// <value>m.</value>
    public int Subspaces { get; }

    /// <summary>Centroids per subspace (at most 256).</summary>
    /// <value>The codebook size K.</value>
    public int CentroidsPerSubspace { get; }

    /// <summary>
    /// The codebooks: for each subspace s, K centroids of its width, stored one after the other (subspace 0's K rows
    /// first). <see cref="SubspaceStart"/> gives each subspace's dimensions.
    /// </summary>
    /// <value>A read-only view.</value>
    public ReadOnlySpan<float> Codebooks => _codebooks;

    /// <summary>Bytes of the codebooks, as float32.</summary>
    /// <value>K × d × 4.</value>
    public long CodebookBytes => (long)_codebooks.Length * sizeof(float);

    /// <summary>The first dimension of subspace <paramref name="subspace"/>; subspace s covers [SubspaceStart(s), SubspaceStart(s + 1)).</summary>
    /// <param name="subspace">0 ≤ s ≤ m (s = m gives d).</param>
    /// <returns>The dimension index.</returns>
    public int SubspaceStart(int subspace) => _offsets[subspace];

    /// <summary>Starts configuring a trainer from the defaults of <see cref="ProductQuantizerOptions"/>.</summary>
    public static ProductQuantizerBuilder CreateBuilder() => new();

    /// <summary>Learns the codebooks from <paramref name="points"/> (n × <paramref name="dimensions"/>, row-major); see <see cref="ProductQuantizerTrainer"/>.</summary>
    internal static ProductQuantizer Train(
        ReadOnlySpan<float> points,
        int dimensions,
        ProductQuantizerOptions options,
        ILoggerFactory loggerFactory,
        IProgress<ProductQuantizerProgress>? progress,
        CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        options.Validate(dimensions);
        if (points.Length % dimensions != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The points hold {points.Length} values, not a multiple of dimensions ({dimensions})."), nameof(points));
        }

        int count = points.Length / dimensions;
        if (count < options.Centroids)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"There are {count} training points, fewer than the {options.Centroids} centroids per subspace; give more points or lower Centroids."), nameof(points));
        }

        KMeans.RequireFinite(points, dimensions, "point", nameof(points));

        // A seeded sample, kept in input order.
        int sampleSize = Math.Min(count, options.TrainingSampleSize);
        var chosen = new int[count];
        for (int i = 0; i < count; i++)
        {
            chosen[i] = i;
        }

        var random = new SubtractiveRandom(options.Seed);
        if (sampleSize < count)
        {
            for (int i = 0; i < sampleSize; i++)
            {
                int j = random.Next(i, count);
                (chosen[i], chosen[j]) = (chosen[j], chosen[i]);
            }

            Array.Sort(chosen, 0, sampleSize);
        }

        int subspaces = options.Subspaces;
        int k = options.Centroids;
        var codebooks = new float[k * dimensions];
        var quantizer = new ProductQuantizer(dimensions, subspaces, k, codebooks);
        for (int s = 0; s < subspaces; s++)
        {
            int start = quantizer._offsets[s];
            int width = quantizer._offsets[s + 1] - start;
            var sub = new float[sampleSize * width];
            for (int i = 0; i < sampleSize; i++)
            {
                points.Slice((chosen[i] * dimensions) + start, width).CopyTo(sub.AsSpan(i * width, width));
            }

            var kmeans = new KMeans(
                new KMeansOptions { Clusters = k, MaxIterations = options.MaxIterations, Seed = options.Seed + s, Threads = options.Threads },
                loggerFactory);
            KMeansResult result = kmeans.Train(sub, width, cancellationToken: cancellationToken);
            result.Centroids.CopyTo(codebooks.AsSpan(start * k, k * width));
            progress?.Report(new ProductQuantizerProgress(s + 1, subspaces, clock.Elapsed));
        }

        return quantizer;
    }

    /// <summary>The codes of one vector: the nearest centroid of each subspace.</summary>
    /// <param name="vector"><see cref="Dimensions"/> values.</param>
    /// <param name="code">Receives <see cref="Subspaces"/> bytes.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void Encode(ReadOnlySpan<float> vector, Span<byte> code)
    {
        RequireLength(vector.Length, Dimensions, nameof(vector));
        RequireLength(code.Length, Subspaces, nameof(code));
        Span<float> distances = stackalloc float[CentroidsPerSubspace];
        for (int s = 0; s < Subspaces; s++)
        {
            SubspaceDistances(vector, s, distances);
            int best = 0;
            float bestDistance = float.PositiveInfinity;
            for (int c = 0; c < distances.Length; c++)
            {
                // Strictly less: the first of equally near centroids wins (and a NaN distance never does).
                if (distances[c] < bestDistance)
                {
                    best = c;
                    bestDistance = distances[c];
                }
            }

            code[s] = (byte)best;
        }
    }

    /// <summary>Encodes n vectors (n × <see cref="Dimensions"/>) into n × <see cref="Subspaces"/> bytes.</summary>
    /// <param name="vectors">The vectors, row-major.</param>
    /// <returns>The codes, row-major.</returns>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="Dimensions"/>.</exception>
    public byte[] Encode(ReadOnlySpan<float> vectors)
    {
        if (vectors.Length % Dimensions != 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{vectors.Length} values are not a multiple of the dimensions ({Dimensions})."), nameof(vectors));
        }

        int count = vectors.Length / Dimensions;
        var codes = new byte[count * Subspaces];
        for (int i = 0; i < count; i++)
        {
            Encode(vectors.Slice(i * Dimensions, Dimensions), codes.AsSpan(i * Subspaces, Subspaces));
        }

        return codes;
    }

    /// <summary>The vector a code stands for: the chosen centroid of each subspace, side by side.</summary>
    /// <param name="code"><see cref="Subspaces"/> bytes.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match, or a code is not below <see cref="CentroidsPerSubspace"/>.</exception>
    public void Decode(ReadOnlySpan<byte> code, Span<float> destination)
    {
        RequireLength(code.Length, Subspaces, nameof(code));
        RequireLength(destination.Length, Dimensions, nameof(destination));
        int k = CentroidsPerSubspace;
        for (int s = 0; s < Subspaces; s++)
        {
            if (code[s] >= k)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Code {code[s]} of subspace {s} is not below {k}."), nameof(code));
            }

            int start = _offsets[s];
            int width = _offsets[s + 1] - start;
            _codebooks.AsSpan((start * k) + (code[s] * width), width).CopyTo(destination.Slice(start, width));
        }
    }

    /// <summary>
    /// The asymmetric distance table of a query: entry s·K + c is the squared distance from the query's part in
    /// subspace s to centroid c. The squared distance from the query to a coded vector is then the sum of m entries
    /// (<see cref="AsymmetricDistance"/>), which equals its squared distance to the decoded vector.
    /// </summary>
    /// <param name="query"><see cref="Dimensions"/> values.</param>
    /// <param name="table">Receives <see cref="Subspaces"/> × <see cref="CentroidsPerSubspace"/> values.</param>
    /// <exception cref="ArgumentException">A length does not match.</exception>
    public void ComputeDistanceTable(ReadOnlySpan<float> query, Span<float> table)
    {
        RequireLength(query.Length, Dimensions, nameof(query));
        RequireLength(table.Length, Subspaces * CentroidsPerSubspace, nameof(table));
        int k = CentroidsPerSubspace;
        for (int s = 0; s < Subspaces; s++)
        {
            SubspaceDistances(query, s, table.Slice(s * k, k));
        }
    }

    /// <summary>The squared distance from the part of <paramref name="vector"/> in subspace <paramref name="s"/> to each centroid of that subspace.</summary>
    private void SubspaceDistances(ReadOnlySpan<float> vector, int s, Span<float> distances)
    {
        int k = CentroidsPerSubspace;
        int start = _offsets[s];
        int width = _offsets[s + 1] - start;
        ReadOnlySpan<float> x = vector.Slice(start, width);
        ReadOnlySpan<float> book = _codebooks.AsSpan(start * k, k * width);
        for (int c = 0; c < k; c++)
        {
            distances[c] = SquaredDistance(x, book.Slice(c * width, width));
        }
    }

    /// <summary>The squared distance from a query to a coded vector, from the query's table.</summary>
    /// <param name="table">From <see cref="ComputeDistanceTable"/>.</param>
    /// <param name="code"><see cref="Subspaces"/> bytes.</param>
    /// <returns>Σ_s table[s·K + code[s]].</returns>
    public float AsymmetricDistance(ReadOnlySpan<float> table, ReadOnlySpan<byte> code)
    {
        int k = CentroidsPerSubspace;
        float sum = 0;
        for (int s = 0; s < code.Length; s++)
        {
            sum += table[(s * k) + code[s]];
        }

        return sum;
    }

    internal static float SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        float sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            float diff = x[j] - y[j];
            sum = MathF.FusedMultiplyAdd(diff, diff, sum);
        }

        return sum;
    }

    private static void RequireLength(int actual, int expected, string parameter)
    {
        if (actual != expected)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Expected {expected} values, got {actual}."), parameter);
        }
    }
}
