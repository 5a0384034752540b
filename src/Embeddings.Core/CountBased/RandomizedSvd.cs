using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Truncated SVD of a sparse matrix by randomized subspace iteration (Halko, Martinsson &amp; Tropp 2011,
/// "Finding structure with randomness", Algorithm 4.4): a seeded Gaussian test matrix Ω with <c>rank + oversampling</c>
/// columns, <c>Y = A·Ω</c>, then <c>powerIterations</c> rounds of <c>Q ← orth(A · orth(Aᵀ·Q))</c>, and finally the SVD
/// of the small <c>B = Qᵀ·A</c> through the eigen-decomposition of <c>B·Bᵀ</c>.
/// </summary>
internal static class RandomizedSvd
{
    /// <summary>The result: <c>U</c> row-major <c>rows × rank</c>, singular values descending.</summary>
    internal sealed record Result(double[] U, double[] SingularValues, int Rank);

    /// <summary>Number of sparse products <see cref="Compute"/> performs (for progress).</summary>
    public static int Steps(int powerIterations) => (2 * powerIterations) + 2;

    /// <summary>Computes the leading <paramref name="rank"/> left singular vectors and values of <paramref name="matrix"/>.</summary>
    /// <param name="matrix">A (rows × columns).</param>
    /// <param name="transposed">Aᵀ, stored as its own CSR matrix so both products are row gathers.</param>
    /// <param name="rank">Number of singular triplets wanted; at most min(rows, columns).</param>
    /// <param name="oversampling">Extra test vectors (Halko et al. suggest 5–10).</param>
    /// <param name="powerIterations">Subspace iterations (0 = the plain range finder).</param>
    /// <param name="seed">Seed of the Gaussian test matrix.</param>
    /// <param name="gang">Workers for the products; the result does not depend on their number.</param>
    /// <param name="step">Called on the caller's thread after each sparse product with (done, total).</param>
    /// <param name="cancellationToken">Checked between work items.</param>
    /// <remarks>
    /// Signs are fixed so that the entry of largest magnitude in each column of U is positive (ties: the lowest row).
    /// When the matrix has numerical rank below <paramref name="rank"/> the missing columns of U and singular values are zero.
    /// </remarks>
    public static Result Compute(
        CsrMatrix matrix,
        CsrMatrix transposed,
        int rank,
        int oversampling,
        int powerIterations,
        int seed,
        WorkerGang gang,
        Action<int, int>? step,
        CancellationToken cancellationToken)
    {
        Debug.Assert(transposed.Rows == matrix.Columns && transposed.Columns == matrix.Rows);
        int rows = matrix.Rows;
        int columns = matrix.Columns;
        Debug.Assert(rank >= 1 && rank <= Math.Min(rows, columns));
        int width = Math.Min(rank + oversampling, Math.Min(rows, columns));
        int steps = Steps(powerIterations);
        int done = 0;

        // Four blocks, reused throughout: the sparse products read and write float (half the memory traffic of the
        // gathers), the orthonormalisation works in double.
        int tall = Math.Max(rows, columns) * width;
        var input = new float[tall];
        var output = new float[tall];
        var basis = new double[tall];
        var spare = new double[tall];

        Gaussian(input.AsSpan(0, columns * width), seed);
        matrix.Multiply(input, width, output, gang, cancellationToken);
        step?.Invoke(++done, steps);
        Widen(output, basis, rows * width);
        DenseBlock.Orthonormalize(ref basis, ref spare, rows, ref width, gang, cancellationToken);

        for (int iteration = 0; iteration < powerIterations && width > 0; iteration++)
        {
            // Z = orth(Aᵀ·Q), then Q = orth(A·Z).
            Narrow(basis, input, rows * width);
            transposed.Multiply(input, width, output, gang, cancellationToken);
            step?.Invoke(++done, steps);
            Widen(output, basis, columns * width);
            DenseBlock.Orthonormalize(ref basis, ref spare, columns, ref width, gang, cancellationToken);

            Narrow(basis, input, columns * width);
            matrix.Multiply(input, width, output, gang, cancellationToken);
            step?.Invoke(++done, steps);
            Widen(output, basis, rows * width);
            DenseBlock.Orthonormalize(ref basis, ref spare, rows, ref width, gang, cancellationToken);
        }

        var u = new double[rows * rank];
        var singularValues = new double[rank];
        if (width > 0)
        {
            // C = Aᵀ·Q = Bᵀ for B = Qᵀ·A; B·Bᵀ = Cᵀ·C = W Λ Wᵀ, so B = W Σ Vᵀ with Σ = Λ^½ and U = Q·W.
            Narrow(basis, input, rows * width);
            transposed.Multiply(input, width, output, gang, cancellationToken);
            Widen(output, spare, columns * width);
            double[] gram = DenseBlock.Gram(spare, columns, width, gang, cancellationToken);
            (double[] values, double[] vectors) = DenseBlock.SymmetricEigen(gram, width);
            int kept = Math.Min(rank, width);
            var leading = new double[width * rank];
            for (int a = 0; a < width; a++)
            {
                Array.Copy(vectors, a * width, leading, a * rank, kept);
            }

            DenseBlock.MultiplySmall(basis, rows, width, leading, rank, u, gang, cancellationToken);
            for (int j = 0; j < kept; j++)
            {
                singularValues[j] = Math.Sqrt(Math.Max(values[j], 0));
            }
        }

        step?.Invoke(steps, steps);
        DenseBlock.FixSigns(u, rows, rank);
        return new Result(u, singularValues, rank);
    }

    private static void Widen(float[] source, double[] destination, int length) =>
        TensorPrimitives.ConvertChecked<float, double>(source.AsSpan(0, length), destination.AsSpan(0, length));

    private static void Narrow(double[] source, float[] destination, int length) =>
        TensorPrimitives.ConvertTruncating<double, float>(source.AsSpan(0, length), destination.AsSpan(0, length));

    /// <summary>Fills <paramref name="values"/> with standard normal values from a seeded <see cref="Random"/> (Box–Muller, both outputs used).</summary>
    internal static void Gaussian(Span<float> values, int seed)
    {
#pragma warning disable CA5394 // Reproducible numerics, not security: a seeded generator is the point.
        var random = new Random(seed);
        int count = values.Length;
        for (int i = 0; i < count; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]
            double u2 = random.NextDouble();
#pragma warning restore CA5394
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
            values[i] = (float)(radius * cos);
            if (i + 1 < count)
            {
                values[i + 1] = (float)(radius * sin);
            }
        }
    }
}
