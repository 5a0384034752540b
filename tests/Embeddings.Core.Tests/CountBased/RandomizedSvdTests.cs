using Embeddings.Core.CountBased;
using Embeddings.Core.Numerics;
using MathNet.Numerics.LinearAlgebra;

namespace Embeddings.Core.Tests.CountBased;

public class RandomizedSvdTests
{
    [Fact]
    public void Compute_LowRankMatrix_RecoversSingularValuesAndVectors()
    {
        double[] singularValues = [10, 7, 5, 3, 1];
        (CsrMatrix matrix, Matrix<double> u) = LowRank(rows: 60, columns: 40, singularValues, seed: 3);

        using var gang = new WorkerGang(1);
        RandomizedSvd.Result result = RandomizedSvd.Compute(
            matrix, matrix.Transpose(), rank: 5, oversampling: 5, powerIterations: 2, seed: 1, gang, step: null, CancellationToken.None);

        for (int j = 0; j < 5; j++)
        {
            result.SingularValues[j].Should().BeApproximately(singularValues[j], 1e-4 * singularValues[0], $"σ{j + 1}");
            double overlap = 0;
            for (int i = 0; i < 60; i++)
            {
                overlap += result.U[(i * 5) + j] * u[i, j];
            }

            Math.Abs(overlap).Should().BeApproximately(1, 1e-5, $"column {j} spans the same direction as the true u{j + 1}");
        }
    }

    [Fact]
    public void Compute_RankBelowRequested_FillsTheRestWithZeros()
    {
        (CsrMatrix matrix, _) = LowRank(rows: 30, columns: 20, [4, 2], seed: 5);

        using var gang = new WorkerGang(2);
        RandomizedSvd.Result result = RandomizedSvd.Compute(
            matrix, matrix.Transpose(), rank: 4, oversampling: 3, powerIterations: 1, seed: 0, gang, step: null, CancellationToken.None);

        result.SingularValues[0].Should().BeApproximately(4, 1e-4);
        result.SingularValues[1].Should().BeApproximately(2, 1e-4);
        result.SingularValues[2].Should().BeLessThan(1e-4);
        result.SingularValues[3].Should().BeLessThan(1e-4);
    }

    [Fact]
    public void Compute_SameSeedAnyThreads_BitIdentical()
    {
        (CsrMatrix matrix, _) = LowRank(rows: 50, columns: 50, [9, 8, 7, 6, 5, 4, 3, 2, 1], seed: 11);
        CsrMatrix transposed = matrix.Transpose();

        using var oneWorker = new WorkerGang(1);
        using var fourWorkers = new WorkerGang(4);
        RandomizedSvd.Result one = RandomizedSvd.Compute(matrix, transposed, 4, 4, 2, seed: 42, oneWorker, null, CancellationToken.None);
        RandomizedSvd.Result four = RandomizedSvd.Compute(matrix, transposed, 4, 4, 2, seed: 42, fourWorkers, null, CancellationToken.None);

        four.U.Should().Equal(one.U);
        four.SingularValues.Should().Equal(one.SingularValues);
    }

    [Fact]
    public void Compute_ReportsEverySparseProduct()
    {
        (CsrMatrix matrix, _) = LowRank(rows: 20, columns: 20, [3, 2, 1], seed: 2);
        var steps = new List<(int Done, int Total)>();

        using var gang = new WorkerGang(1);
        RandomizedSvd.Compute(matrix, matrix.Transpose(), 2, 2, powerIterations: 3, 0, gang, (done, total) => steps.Add((done, total)), CancellationToken.None);

        RandomizedSvd.Steps(3).Should().Be(8);
        steps.Should().Equal((1, 8), (2, 8), (3, 8), (4, 8), (5, 8), (6, 8), (7, 8), (8, 8));
    }

    [Fact]
    public void FixSigns_MakesLargestEntryOfEachColumnPositive()
    {
        double[] block = [1, -3, -2, 1, 0.5, 1];

        DenseBlock.FixSigns(block, rows: 3, width: 2);

        block.Should().Equal(-1, 3, 2, -1, -0.5, -1);
    }

    [Fact]
    public void Transpose_SwapsRowsAndColumns()
    {
        CsrMatrix matrix = CsrMatrix.FromDense([1, 0, 2, 0, 3, 0], rows: 2, columns: 3);

        CsrMatrix transposed = matrix.Transpose();

        transposed.Rows.Should().Be(3);
        transposed[0, 0].Should().Be(1);
        transposed[2, 0].Should().Be(2);
        transposed[1, 1].Should().Be(3);
        transposed[1, 0].Should().Be(0);
        transposed.NonZeros.Should().Be(3);
    }

    /// <summary>U·diag(σ)·Vᵀ with random orthonormal U and V, stored as a sparse (here: fully stored) matrix.</summary>
    private static (CsrMatrix Matrix, Matrix<double> U) LowRank(int rows, int columns, double[] singularValues, int seed)
    {
        int rank = singularValues.Length;
        var random = new Random(seed);
        Matrix<double> u = Matrix<double>.Build.Dense(rows, rank, (_, _) => random.NextDouble() - 0.5).QR().Q.SubMatrix(0, rows, 0, rank);
        Matrix<double> v = Matrix<double>.Build.Dense(columns, rank, (_, _) => random.NextDouble() - 0.5).QR().Q.SubMatrix(0, columns, 0, rank);
        Matrix<double> product = u * Matrix<double>.Build.DiagonalOfDiagonalArray(singularValues) * v.Transpose();
        var dense = new double[rows * columns];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                dense[(i * columns) + j] = product[i, j];
            }
        }

        return (CsrMatrix.FromDense(dense, rows, columns), u);
    }
}
