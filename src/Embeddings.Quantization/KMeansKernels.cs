using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Quantization;

/// <summary>
/// The hot loops of k-means: nearest-centroid assignment through the blocked matrix product, and the centroid sums.
/// Each has a scalar twin that the tests compare bit for bit.
/// </summary>
/// <remarks>
/// The squared distance is computed as <c>max(0, ‖x‖² + (‖c‖² − 2·x·c))</c>: the dot product is one chain of fused
/// multiply-adds (see <see cref="MatrixProduct"/>) and the product by −2 is exact, so the SIMD path and the scalar twin
/// round identically and a row's result never depends on which rows are computed with it.
/// </remarks>
internal static class KMeansKernels
{
    /// <summary>Scratch floats per worker for the dot products of one chunk of rows (about 256 KiB).</summary>
    private const int ScratchFloats = 1 << 16;

    /// <summary>Rows per chunk so that a chunk's dot products fit the scratch; a multiple of <see cref="MatrixProduct.TileRows"/>.</summary>
    public static int ChunkRows(int clusters) =>
        Math.Max(MatrixProduct.TileRows, Math.Min(256, ScratchFloats / clusters / MatrixProduct.TileRows * MatrixProduct.TileRows));

    /// <summary>Scratch floats that <see cref="Assign"/> needs for <paramref name="clusters"/> centroids.</summary>
    public static int ScratchLength(int clusters) => ChunkRows(clusters) * clusters;

    /// <summary>
    /// Labels rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>) of <paramref name="points"/> (n × d) with
    /// their nearest centroid (the first on ties) and writes the clamped squared distance.
    /// </summary>
    /// <param name="points">n × d points, row-major.</param>
    /// <param name="pointNorms">‖x‖² per point.</param>
    /// <param name="centroidsTransposed">d × k: the centroids as columns.</param>
    /// <param name="centroidNorms">‖c‖² per centroid.</param>
    /// <param name="dimensions">d.</param>
    /// <param name="clusters">k.</param>
    /// <param name="rowStart">The first row.</param>
    /// <param name="rowCount">How many rows.</param>
    /// <param name="labels">Receives the label of each row (indexed by row).</param>
    /// <param name="distances">Receives the squared distance of each row to its centroid (indexed by row).</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats.</param>
    public static void Assign(
        ReadOnlySpan<float> points, ReadOnlySpan<float> pointNorms, ReadOnlySpan<float> centroidsTransposed, ReadOnlySpan<float> centroidNorms,
        int dimensions, int clusters, int rowStart, int rowCount, Span<int> labels, Span<float> distances, Span<float> scratch)
    {
        Debug.Assert(scratch.Length >= ScratchLength(clusters));
        int chunk = ChunkRows(clusters);
        int end = rowStart + rowCount;
        for (int r0 = rowStart; r0 < end; r0 += chunk)
        {
            int rows = Math.Min(chunk, end - r0);
            MatrixProduct.Multiply(points.Slice(r0 * dimensions, rows * dimensions), centroidsTransposed, scratch, rows, dimensions, clusters);
            for (int r = 0; r < rows; r++)
            {
                Span<float> scores = scratch.Slice(r * clusters, clusters);
                TensorPrimitives.MultiplyAdd(scores, -2f, centroidNorms, scores); // ‖c‖² − 2x·c
                int best = TensorPrimitives.IndexOfMin(scores);
                labels[r0 + r] = best;
                distances[r0 + r] = Math.Max(0f, pointNorms[r0 + r] + scores[best]);
            }
        }
    }

    /// <summary>The scalar twin of <see cref="Assign"/> for every row, from row-major centroids (k × d).</summary>
    public static void AssignScalar(
        ReadOnlySpan<float> points, ReadOnlySpan<float> pointNorms, ReadOnlySpan<float> centroids, ReadOnlySpan<float> centroidNorms,
        int dimensions, int clusters, Span<int> labels, Span<float> distances)
    {
        int count = pointNorms.Length;
        for (int i = 0; i < count; i++)
        {
            int best = 0;
            float bestScore = float.PositiveInfinity;
            for (int j = 0; j < clusters; j++)
            {
                float dot = 0;
                for (int p = 0; p < dimensions; p++)
                {
                    dot = MathF.FusedMultiplyAdd(points[(i * dimensions) + p], centroids[(j * dimensions) + p], dot);
                }

                float score = (dot * -2f) + centroidNorms[j];
                if (j == 0 || score < bestScore || (score == bestScore && float.IsNegative(score) && !float.IsNegative(bestScore)))
                {
                    best = j;
                    bestScore = score;
                }
            }

            labels[i] = best;
            distances[i] = Math.Max(0f, pointNorms[i] + bestScore);
        }
    }

    /// <summary>Squared norms of <paramref name="count"/> rows, each a fixed-order dot product.</summary>
    public static void SquaredNorms(ReadOnlySpan<float> rows, int count, int dimensions, Span<float> destination)
    {
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> row = rows.Slice(i * dimensions, dimensions);
            destination[i] = TensorPrimitives.Dot(row, row);
        }
    }

    /// <summary>
    /// Adds columns [<paramref name="columnStart"/>, <paramref name="columnEnd"/>) of every point into its cluster's
    /// sum, in point order: workers that split the columns give the same sums as one worker.
    /// </summary>
    public static void AccumulateSums(
        ReadOnlySpan<float> points, ReadOnlySpan<int> labels, int dimensions, int columnStart, int columnEnd, Span<double> sums)
    {
        int count = labels.Length;
        int width = columnEnd - columnStart;
        for (int c = 0; c < sums.Length / dimensions; c++)
        {
            sums.Slice((c * dimensions) + columnStart, width).Clear();
        }

        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> x = points.Slice((i * dimensions) + columnStart, width);
            Span<double> sum = sums.Slice((labels[i] * dimensions) + columnStart, width);
            for (int j = 0; j < x.Length; j++)
            {
                sum[j] += x[j];
            }
        }
    }

    /// <summary>Squared Euclidean distance in double, for the reported inertia.</summary>
    public static double SquaredDistance(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int j = 0; j < x.Length; j++)
        {
            double diff = (double)x[j] - y[j];
            sum += diff * diff;
        }

        return sum;
    }
}
