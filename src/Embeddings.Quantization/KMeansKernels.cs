using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    /// <summary>
    /// The distance of rows [<paramref name="rowStart"/>, +<paramref name="rowCount"/>) to the centroid each is labelled
    /// with, computed with exactly the arithmetic of <see cref="Assign"/> (one fused multiply-add chain in increasing
    /// dimension), so that a row whose label stands gets the very distance a full assignment would give it.
    /// </summary>
    /// <param name="points">n × d points, row-major.</param>
    /// <param name="pointNorms">‖x‖² per point.</param>
    /// <param name="centroids">k × d centroids, row-major.</param>
    /// <param name="centroidNorms">‖c‖² per centroid.</param>
    /// <param name="dimensions">d.</param>
    /// <param name="labels">The centroid of each row (indexed by row).</param>
    /// <param name="rowStart">The first row.</param>
    /// <param name="rowCount">How many rows.</param>
    /// <param name="distances">Receives the clamped squared distance of each row (indexed by row).</param>
    public static unsafe void AssignedDistances(
        ReadOnlySpan<float> points, ReadOnlySpan<float> pointNorms, ReadOnlySpan<float> centroids, ReadOnlySpan<float> centroidNorms,
        int dimensions, ReadOnlySpan<int> labels, int rowStart, int rowCount, Span<float> distances)
    {
        int i = rowStart;
        int end = rowStart + rowCount;
        if (Fma.IsSupported)
        {
            // Four rows at a time, each its own scalar chain: the chains overlap their latencies, and scalar loads cost
            // a cycle where an AVX2 gather of eight scattered values costs tens.
            fixed (float* x = points, c = centroids)
            {
                for (; i <= end - 4; i += 4)
                {
                    float* x0 = x + ((long)i * dimensions);
                    float* x1 = x0 + dimensions;
                    float* x2 = x1 + dimensions;
                    float* x3 = x2 + dimensions;
                    float* c0 = c + ((long)labels[i] * dimensions);
                    float* c1 = c + ((long)labels[i + 1] * dimensions);
                    float* c2 = c + ((long)labels[i + 2] * dimensions);
                    float* c3 = c + ((long)labels[i + 3] * dimensions);
                    Vector128<float> dot0 = Vector128<float>.Zero, dot1 = dot0, dot2 = dot0, dot3 = dot0;
                    for (int p = 0; p < dimensions; p++)
                    {
                        dot0 = Fma.MultiplyAddScalar(Vector128.CreateScalarUnsafe(x0[p]), Vector128.CreateScalarUnsafe(c0[p]), dot0);
                        dot1 = Fma.MultiplyAddScalar(Vector128.CreateScalarUnsafe(x1[p]), Vector128.CreateScalarUnsafe(c1[p]), dot1);
                        dot2 = Fma.MultiplyAddScalar(Vector128.CreateScalarUnsafe(x2[p]), Vector128.CreateScalarUnsafe(c2[p]), dot2);
                        dot3 = Fma.MultiplyAddScalar(Vector128.CreateScalarUnsafe(x3[p]), Vector128.CreateScalarUnsafe(c3[p]), dot3);
                    }

                    distances[i] = Math.Max(0f, pointNorms[i] + ((dot0.ToScalar() * -2f) + centroidNorms[labels[i]]));
                    distances[i + 1] = Math.Max(0f, pointNorms[i + 1] + ((dot1.ToScalar() * -2f) + centroidNorms[labels[i + 1]]));
                    distances[i + 2] = Math.Max(0f, pointNorms[i + 2] + ((dot2.ToScalar() * -2f) + centroidNorms[labels[i + 2]]));
                    distances[i + 3] = Math.Max(0f, pointNorms[i + 3] + ((dot3.ToScalar() * -2f) + centroidNorms[labels[i + 3]]));
                }
            }
        }

        for (; i < end; i++)
        {
            ReadOnlySpan<float> row = points.Slice(i * dimensions, dimensions);
            ReadOnlySpan<float> centroid = centroids.Slice(labels[i] * dimensions, dimensions);
            float dot = 0;
            for (int p = 0; p < dimensions; p++)
            {
                dot = MathF.FusedMultiplyAdd(row[p], centroid[p], dot);
            }

            distances[i] = Math.Max(0f, pointNorms[i] + ((dot * -2f) + centroidNorms[labels[i]]));
        }
    }

    /// <summary>
    /// <see cref="Assign"/> for the listed <paramref name="rows"/> only (gathered into <paramref name="rowBuffer"/> for
    /// one product), which also refreshes each row's <paramref name="bounds"/>.
    /// </summary>
    /// <param name="points">n × d points, row-major.</param>
    /// <param name="pointNorms">‖x‖² per point.</param>
    /// <param name="centroidsTransposed">d × k: the centroids as columns.</param>
    /// <param name="centroidNorms">‖c‖² per centroid.</param>
    /// <param name="dimensions">d.</param>
    /// <param name="clusters">k.</param>
    /// <param name="rows">The rows to assign, any order.</param>
    /// <param name="labels">Receives the label of each listed row (indexed by row).</param>
    /// <param name="distances">Receives the clamped squared distance of each listed row (indexed by row).</param>
    /// <param name="bounds">Receives each listed row's bounds.</param>
    /// <param name="rowBuffer">At least <see cref="ChunkRows"/> × d floats.</param>
    /// <param name="scratch">At least <see cref="ScratchLength"/> floats.</param>
    public static void AssignListed(
        ReadOnlySpan<float> points, ReadOnlySpan<float> pointNorms, ReadOnlySpan<float> centroidsTransposed, ReadOnlySpan<float> centroidNorms,
        int dimensions, int clusters, ReadOnlySpan<int> rows, Span<int> labels, Span<float> distances, KMeansBounds bounds,
        Span<float> rowBuffer, Span<float> scratch)
    {
        int chunk = ChunkRows(clusters);
        for (int r0 = 0; r0 < rows.Length; r0 += chunk)
        {
            ReadOnlySpan<int> block = rows.Slice(r0, Math.Min(chunk, rows.Length - r0));
            for (int r = 0; r < block.Length; r++)
            {
                points.Slice(block[r] * dimensions, dimensions).CopyTo(rowBuffer.Slice(r * dimensions, dimensions));
            }

            MatrixProduct.Multiply(rowBuffer, centroidsTransposed, scratch, block.Length, dimensions, clusters);
            for (int r = 0; r < block.Length; r++)
            {
                int row = block[r];
                Span<float> scores = scratch.Slice(r * clusters, clusters);
                TensorPrimitives.MultiplyAdd(scores, -2f, centroidNorms, scores); // ‖c‖² − 2x·c, as Assign
                int best = TensorPrimitives.IndexOfMin(scores);
                labels[row] = best;
                distances[row] = Math.Max(0f, pointNorms[row] + scores[best]);
                bounds.Refresh(row, scores, pointNorms[row], best);
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
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                // Each column's sum still takes the points one by one in order: only columns are done side by side.
                for (; j <= width - Vector256<float>.Count; j += Vector256<float>.Count)
                {
                    (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.Create(x.Slice(j, Vector256<float>.Count)));
                    Span<double> target = sum.Slice(j, Vector256<float>.Count);
                    (Vector256.Create<double>(target) + lower).CopyTo(target);
                    (Vector256.Create<double>(target[Vector256<double>.Count..]) + upper).CopyTo(target[Vector256<double>.Count..]);
                }
            }

            for (; j < width; j++)
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
