using System.Numerics.Tensors;

namespace Embeddings.Core.Formats.FastText;

/// <summary>An input or output matrix of a fastText model: dense, or product-quantized in a <c>.ftz</c> file.</summary>
internal abstract class FastTextMatrix
{
    protected FastTextMatrix(int rows, int columns)
    {
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The length of each row.</summary>
    public int Columns { get; }

    /// <summary>Adds <paramref name="scale"/> × row <paramref name="row"/> to <paramref name="destination"/> (fastText's <c>addRowToVector</c>).</summary>
    public abstract void AddRowTo(int row, Span<float> destination, float scale = 1f);

    /// <summary>The dot product of row <paramref name="row"/> with <paramref name="vector"/> (fastText's <c>dotRow</c>).</summary>
    public abstract float DotRow(int row, ReadOnlySpan<float> vector);

    /// <summary>Writes the rows <paramref name="first"/>…<paramref name="first"/> + count − 1 into <paramref name="destination"/>, row-major.</summary>
    public void CopyRowsTo(int first, int count, Span<float> destination)
    {
        for (int i = 0; i < count; i++)
        {
            Span<float> row = destination.Slice(i * Columns, Columns);
            row.Clear();
            AddRowTo(first + i, row);
        }
    }
}

/// <summary>A dense fastText matrix (fastText's <c>DenseMatrix</c>): float32 values, row-major.</summary>
internal sealed class DenseFastTextMatrix : FastTextMatrix
{
    public DenseFastTextMatrix(float[] values, int rows, int columns)
        : base(rows, columns)
    {
        if ((long)rows * columns != values.Length)
        {
            throw new ArgumentException($"{rows} × {columns} values expected, {values.Length} given.", nameof(values));
        }

        Values = values;
    }

    /// <summary>The values, row-major.</summary>
    public float[] Values { get; }

    /// <summary>Row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan((int)((long)row * Columns), Columns);

    public override void AddRowTo(int row, Span<float> destination, float scale = 1f)
    {
        Span<float> target = destination[..Columns];
        if (scale == 1f)
        {
            TensorPrimitives.Add(target, Row(row), target);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(Row(row), scale, target, target);
        }
    }

    public override float DotRow(int row, ReadOnlySpan<float> vector) => TensorPrimitives.Dot(Row(row), vector[..Columns]);
}

/// <summary>
/// The product quantizer of a <c>.ftz</c> matrix (fastText's <c>ProductQuantizer</c>): a row of <see cref="Dimensions"/>
/// values is cut into <see cref="Subquantizers"/> slices of <see cref="SubDimensions"/> values (the last one
/// <see cref="LastSubDimensions"/>), each stored as the index of one of 256 centroids of its slice.
/// </summary>
internal sealed class FastTextProductQuantizer
{
    /// <summary>The number of centroids of each slice: a code is one byte.</summary>
    public const int Centroids = 256;

    public FastTextProductQuantizer(int dimensions, int subquantizers, int subDimensions, int lastSubDimensions, float[] centroidValues)
    {
        Dimensions = dimensions;
        Subquantizers = subquantizers;
        SubDimensions = subDimensions;
        LastSubDimensions = lastSubDimensions;
        CentroidValues = centroidValues;
    }

    /// <summary>The length of a row.</summary>
    public int Dimensions { get; }

    /// <summary>The number of slices (codes per row).</summary>
    public int Subquantizers { get; }

    /// <summary>The length of each slice but the last.</summary>
    public int SubDimensions { get; }

    /// <summary>The length of the last slice.</summary>
    public int LastSubDimensions { get; }

    /// <summary><c>Dimensions × 256</c> values: slice m's centroids at <c>m × 256 × SubDimensions</c>, 256 × its length each.</summary>
    public float[] CentroidValues { get; }

    /// <summary>The slice shape fastText derives from a row length and a slice length: (slices, last slice length).</summary>
    public static (int Subquantizers, int LastSubDimensions) Shape(int dimensions, int subDimensions)
    {
        int remainder = dimensions % subDimensions;
        return remainder == 0 ? (dimensions / subDimensions, subDimensions) : (dimensions / subDimensions + 1, remainder);
    }

    /// <summary>Centroid <paramref name="code"/> of slice <paramref name="slice"/>.</summary>
    public ReadOnlySpan<float> Centroid(int slice, byte code)
    {
        int length = slice == Subquantizers - 1 ? LastSubDimensions : SubDimensions;
        return CentroidValues.AsSpan((slice * Centroids * SubDimensions) + (code * length), length);
    }

    /// <summary>Adds <paramref name="scale"/> × the row that <paramref name="codes"/> encode to <paramref name="destination"/>.</summary>
    public void AddCodesTo(ReadOnlySpan<byte> codes, Span<float> destination, float scale)
    {
        for (int m = 0; m < Subquantizers; m++)
        {
            ReadOnlySpan<float> centroid = Centroid(m, codes[m]);
            Span<float> target = destination.Slice(m * SubDimensions, centroid.Length);
            TensorPrimitives.MultiplyAdd(centroid, scale, target, target);
        }
    }

    /// <summary>The dot product of the row that <paramref name="codes"/> encode with <paramref name="vector"/>.</summary>
    public float Dot(ReadOnlySpan<byte> codes, ReadOnlySpan<float> vector)
    {
        float sum = 0f;
        for (int m = 0; m < Subquantizers; m++)
        {
            ReadOnlySpan<float> centroid = Centroid(m, codes[m]);
            sum += TensorPrimitives.Dot(centroid, vector.Slice(m * SubDimensions, centroid.Length));
        }

        return sum;
    }
}

/// <summary>
/// A product-quantized fastText matrix (fastText's <c>QMatrix</c>): each row is its codes under <see cref="Quantizer"/>,
/// times its norm when the norms are quantized separately (<c>-qnorm</c>: a one-value quantizer over the row norms).
/// </summary>
internal sealed class QuantizedFastTextMatrix : FastTextMatrix
{
    public QuantizedFastTextMatrix(int rows, int columns, byte[] codes, FastTextProductQuantizer quantizer, byte[]? normCodes, FastTextProductQuantizer? normQuantizer)
        : base(rows, columns)
    {
        Codes = codes;
        Quantizer = quantizer;
        NormCodes = normCodes;
        NormQuantizer = normQuantizer;
    }

    /// <summary>The codes, <see cref="FastTextProductQuantizer.Subquantizers"/> per row.</summary>
    public byte[] Codes { get; }

    /// <summary>The quantizer of the (normalised, when <see cref="NormCodes"/> is set) rows.</summary>
    public FastTextProductQuantizer Quantizer { get; }

    /// <summary>One code per row for its norm, or <see langword="null"/> when the norms are not quantized apart.</summary>
    public byte[]? NormCodes { get; }

    /// <summary>The one-dimensional quantizer of the norms, or <see langword="null"/>.</summary>
    public FastTextProductQuantizer? NormQuantizer { get; }

    public override void AddRowTo(int row, Span<float> destination, float scale = 1f) =>
        Quantizer.AddCodesTo(RowCodes(row), destination, scale * Norm(row));

    public override float DotRow(int row, ReadOnlySpan<float> vector) => Quantizer.Dot(RowCodes(row), vector) * Norm(row);

    private ReadOnlySpan<byte> RowCodes(int row) =>
        Codes.AsSpan((int)((long)row * Quantizer.Subquantizers), Quantizer.Subquantizers);

    private float Norm(int row) => NormCodes is null ? 1f : NormQuantizer!.Centroid(0, NormCodes[row])[0];
}
