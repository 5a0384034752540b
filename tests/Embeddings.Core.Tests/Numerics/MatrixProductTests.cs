using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.Numerics;

public class MatrixProductTests
{
    // Odd shapes: below and across every tile width (4, 16, 48), and k across a cache block (128).
    public static TheoryData<int, int, int> Shapes() => new()
    {
        { 1, 1, 1 }, { 3, 5, 7 }, { 4, 16, 48 }, { 5, 100, 3 }, { 7, 129, 53 }, { 13, 31, 100 }, { 9, 260, 65 }, { 33, 2, 97 },
    };

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1))];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Multiply_OddShapes_EqualsTheScalarTwinBitForBit(int m, int k, int n)
    {
        float[] a = Random(m * k, 1), b = Random(k * n, 2);
        float[] simd = new float[m * n], scalar = new float[m * n];

        MatrixProduct.Multiply(a, b, simd, m, k, n);
        MatrixProduct.MultiplyScalar(a, b, scalar, m, k, n);

        simd.Should().Equal(scalar);
        double reference = Enumerable.Range(0, k).Sum(p => (double)a[(m - 1) * k + p] * b[p * n + n - 1]);
        ((double)simd[^1]).Should().BeApproximately(reference, 1e-4 * k, "the product is the product");
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposedA_OddShapes_EqualsTheScalarTwinBitForBit(int m, int k, int n)
    {
        float[] a = Random(k * m, 3), b = Random(k * n, 4);
        float[] simd = new float[m * n], scalar = new float[m * n], viaTranspose = new float[m * n], at = new float[m * k];

        MatrixProduct.MultiplyTransposedA(a, b, simd, m, k, n);
        MatrixProduct.MultiplyTransposedAScalar(a, b, scalar, m, k, n);
        MatrixProduct.Transpose(a, at, k, m);
        MatrixProduct.MultiplyScalar(at, b, viaTranspose, m, k, n);

        simd.Should().Equal(scalar);
        simd.Should().Equal(viaTranspose);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MultiplyTransposedB_OddShapes_EqualsTheScalarTwinBitForBit(int m, int k, int n)
    {
        float[] a = Random(m * k, 5), b = Random(n * k, 6);
        float[] simd = new float[m * n], scalar = new float[m * n];

        MatrixProduct.MultiplyTransposedB(a, b, simd, m, k, n);
        MatrixProduct.MultiplyTransposedBScalar(a, b, scalar, m, k, n);

        simd.Should().Equal(scalar);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void RowPartitions_AnyNumberOfParts_GiveTheSameBits(int parts)
    {
        const int m = 37, k = 150, n = 61;
        float[] a = Random(m * k, 7), b = Random(k * n, 8), at = new float[k * m];
        MatrixProduct.Transpose(a, at, m, k);
        float[] whole = new float[m * n], pieces = new float[m * n], piecesT = new float[m * n];
        MatrixProduct.Multiply(a, b, whole, m, k, n);

        int covered = 0;
        for (int part = 0; part < parts; part++)
        {
            (int start, int count) = MatrixProduct.Partition(m, parts, part);
            start.Should().Be(covered, "parts are contiguous and in order");
            covered += count;
            MatrixProduct.Multiply(a, b, pieces, m, k, n, start, count);
            MatrixProduct.MultiplyTransposedA(at, b, piecesT, m, k, n, start, count);
        }

        covered.Should().Be(m);
        pieces.Should().Equal(whole);
        piecesT.Should().Equal(whole);
    }

    [Fact]
    public void Transpose_SwapsRowsAndColumns()
    {
        float[] source = [1, 2, 3, 4, 5, 6]; // 2 × 3
        float[] destination = new float[6];

        MatrixProduct.Transpose(source, destination, 2, 3);

        destination.Should().Equal(1, 4, 2, 5, 3, 6);
    }

    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(7, 9, 0, 7)]
    [InlineData(1500, 128, 0, 1500)]
    [InlineData(1500, 128, 750, 750)]
    [InlineData(37, 45, 5, 19)]
    [InlineData(64, 8, 8, 48)]
    public void Transpose_AnyShapeAndRowRange_MovesEveryElementOfThoseRows(int rows, int columns, int rowStart, int rowCount)
    {
        var random = new Random(rows * 31 + columns);
        float[] source = [.. Enumerable.Range(0, rows * columns).Select(_ => (float)random.NextDouble())];
        float[] destination = [.. Enumerable.Repeat(-1f, rows * columns)];

        MatrixProduct.Transpose(source, destination, rows, columns, rowStart, rowCount);

        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                float expected = r >= rowStart && r < rowStart + rowCount ? source[(r * columns) + c] : -1f;
                destination[(c * rows) + r].Should().Be(expected, $"element ({r}, {c})");
            }
        }
    }
}
