using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Operations on tall, thin row-major blocks (<c>rows × width</c>, width ≈ 100) of the randomized SVD: Gram matrices,
/// products with small square matrices and orthonormalisation. The small <c>width × width</c> problems go to MathNet;
/// the tall products are written here with <see cref="TensorPrimitives"/> and split over fixed row blocks, so that the
/// results are bit-identical whatever the number of threads.
/// </summary>
internal static class DenseBlock
{
    /// <summary>Rows per work item; fixed so that partial sums are always added in the same order.</summary>
    private const int RowsPerBlock = 1024;

    /// <summary>Eigenvalues of the Gram matrix below this fraction of the largest are numerically zero directions.</summary>
    private const double RelativeEigenvalueTolerance = 1e-12;

    /// <summary>The Gram matrix <c>Yᵀ·Y</c> (width × width, row-major) of a row-major <c>rows × width</c> block (a prefix of <paramref name="block"/>).</summary>
    public static double[] Gram(double[] block, int rows, int width, WorkerGang gang, CancellationToken cancellationToken)
    {
        int items = (rows + RowsPerBlock - 1) / RowsPerBlock;
        var partials = new double[items][];
        ParallelWork.For(
            gang,
            items,
            (item, _) =>
            {
                var partial = new double[width * width];
                int end = Math.Min(rows, (item + 1) * RowsPerBlock);
                for (int i = item * RowsPerBlock; i < end; i++)
                {
                    ReadOnlySpan<double> row = block.AsSpan(i * width, width);
                    for (int a = 0; a < width; a++)
                    {
                        // Upper triangle only: G[a, a..] += y[a] · y[a..].
                        Span<double> target = partial.AsSpan((a * width) + a, width - a);
                        TensorPrimitives.MultiplyAdd(row[a..], row[a], target, target);
                    }
                }

                partials[item] = partial;
            },
            tick: null,
            cancellationToken);

        var gram = new double[width * width];
        foreach (double[] partial in partials)
        {
            TensorPrimitives.Add(gram, partial, gram);
        }

        for (int a = 0; a < width; a++)
        {
            for (int b = 0; b < a; b++)
            {
                gram[(a * width) + b] = gram[(b * width) + a];
            }
        }

        return gram;
    }

    /// <summary>
    /// <c>destination = Y · T</c> for a row-major <c>rows × width</c> block Y and a row-major <c>width × newWidth</c>
    /// matrix T; <paramref name="destination"/> receives <c>rows × newWidth</c> values.
    /// </summary>
    public static void MultiplySmall(
        double[] block, int rows, int width, double[] small, int newWidth, double[] destination, WorkerGang gang, CancellationToken cancellationToken)
    {
        Debug.Assert(small.Length == width * newWidth && destination.Length >= rows * newWidth && !ReferenceEquals(block, destination));
        int items = (rows + RowsPerBlock - 1) / RowsPerBlock;
        ParallelWork.For(
            gang,
            items,
            (item, _) =>
            {
                int end = Math.Min(rows, (item + 1) * RowsPerBlock);
                for (int i = item * RowsPerBlock; i < end; i++)
                {
                    ReadOnlySpan<double> row = block.AsSpan(i * width, width);
                    Span<double> target = destination.AsSpan(i * newWidth, newWidth);
                    target.Clear();
                    for (int a = 0; a < width; a++)
                    {
                        TensorPrimitives.MultiplyAdd(small.AsSpan(a * newWidth, newWidth), row[a], target, target);
                    }
                }
            },
            tick: null,
            cancellationToken);
    }

    /// <summary>
    /// An orthonormal basis of the column space of a tall block, as a new row-major block: twice
    /// <c>Y ← Y · V · Λ^(−1/2)</c> from the eigen-decomposition <c>YᵀY = V Λ Vᵀ</c> (a Cholesky-QR2-style
    /// orthonormalisation whose small factorization is MathNet's). Directions whose eigenvalue is below
    /// 10⁻¹² of the largest are dropped, so the basis may be narrower than the input: <paramref name="width"/> returns
    /// the new width (0 for a zero block). The result is in <paramref name="block"/>; <paramref name="spare"/> is scratch
    /// of the same size (the two arrays may be swapped).
    /// </summary>
    public static void Orthonormalize(ref double[] block, ref double[] spare, int rows, ref int width, WorkerGang gang, CancellationToken cancellationToken)
    {
        for (int pass = 0; pass < 2 && width > 0; pass++)
        {
            double[] gram = Gram(block, rows, width, gang, cancellationToken);
            (double[] values, double[] vectors) = SymmetricEigen(gram, width);
            int kept = 0;
            while (kept < width && values[kept] > values[0] * RelativeEigenvalueTolerance && values[kept] > 0)
            {
                kept++;
            }

            // T = V[:, :kept] · diag(λ^(−1/2)), row-major width × kept.
            var transform = new double[width * kept];
            for (int a = 0; a < width; a++)
            {
                for (int j = 0; j < kept; j++)
                {
                    transform[(a * kept) + j] = vectors[(a * width) + j] / Math.Sqrt(values[j]);
                }
            }

            MultiplySmall(block, rows, width, transform, kept, spare, gang, cancellationToken);
            (block, spare) = (spare, block);
            width = kept;
        }
    }

    /// <summary>
    /// Eigenvalues (descending) and eigenvectors (row-major, column j for eigenvalue j) of a symmetric
    /// <c>size × size</c> row-major matrix, via MathNet.
    /// </summary>
    public static (double[] Values, double[] Vectors) SymmetricEigen(double[] symmetric, int size)
    {
        // Symmetric, so the row-major array is also its column-major storage.
        Matrix<double> matrix = Matrix<double>.Build.Dense(size, size, (double[])symmetric.Clone());
        Evd<double> evd = matrix.Evd(Symmetricity.Symmetric);
        var order = new int[size];
        var values = new double[size];
        for (int i = 0; i < size; i++)
        {
            order[i] = i;
            values[i] = evd.EigenValues[i].Real;
        }

        // Descending by value; stable on ties by original index.
        Array.Sort(order, (a, b) => values[a] != values[b] ? values[b].CompareTo(values[a]) : a.CompareTo(b));
        var sortedValues = new double[size];
        var vectors = new double[size * size];
        Matrix<double> eigenVectors = evd.EigenVectors;
        for (int j = 0; j < size; j++)
        {
            sortedValues[j] = values[order[j]];
            for (int a = 0; a < size; a++)
            {
                vectors[(a * size) + j] = eigenVectors[a, order[j]];
            }
        }

        return (sortedValues, vectors);
    }

    /// <summary>Makes the entry of largest magnitude of every column positive (the first such row on ties).</summary>
    internal static void FixSigns(double[] rowMajor, int rows, int width)
    {
        for (int j = 0; j < width; j++)
        {
            double largest = 0;
            double sign = 1;
            for (int i = 0; i < rows; i++)
            {
                double value = rowMajor[(i * width) + j];
                if (Math.Abs(value) > largest)
                {
                    largest = Math.Abs(value);
                    sign = Math.Sign(value);
                }
            }

            if (sign < 0)
            {
                for (int i = 0; i < rows; i++)
                {
                    rowMajor[(i * width) + j] = -rowMajor[(i * width) + j];
                }
            }
        }
    }
}
