using System.Runtime.Intrinsics.X86;

namespace Embeddings.Core.Vectors;

/// <summary>
/// An 8-bit copy of the matrix that lets a single query read a quarter of the bytes. It only prunes: each row's
/// approximate score comes with a bound on its error, rows that cannot reach the top k are dropped, and the rest are
/// rescored exactly, so results are bit-identical to the full float32 scan.
/// </summary>
/// <remarks>
/// Row r is stored as <c>q8 = round(x / s)</c> with <c>s = max|x| / 127</c>, padded with zeros to a multiple of 8 values.
/// Its approximate score is <c>Scale[r] · Σ query[k] · q8[k]</c> with <c>Scale[r] = s / ‖x‖</c>, and for every query
/// <c>|approximate − exact| ≤ Error[r] · ‖query‖₁ + RoundingSlack(‖query‖₂)</c>, where <c>Error[r]</c> is the largest
/// quantization error of the row over its norm.
/// </remarks>
internal sealed class QuantizedMatrix
{
    /// <summary>Below this many searched values (rows × dimensions) the float matrix stays in cache and is scanned directly.</summary>
    public const long MinimumValues = 1 << 20;

    public QuantizedMatrix(ReadOnlySpan<float> matrix, ReadOnlySpan<float> norms, int dimensions)
    {
        int count = norms.Length;
        Dimensions = dimensions;
        Stride = (dimensions + 7) & ~7;
        Values = new sbyte[checked(count * Stride)];
        Scale = new float[count];
        Error = new float[count];
        for (int r = 0; r < count; r++)
        {
            ReadOnlySpan<float> row = matrix.Slice(r * dimensions, dimensions);
            float norm = norms[r];
            double maxAbs = 0;
            foreach (float x in row)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs((double)x));
            }

            if (!(norm > 0) || maxAbs == 0)
            {
                // A zero row scores NaN in the exact scan and never enters a top k: NaN keeps it out here too.
                Scale[r] = float.NaN;
                continue;
            }

            double step = maxAbs / 127;
            double maxError = 0;
            Span<sbyte> values = Values.AsSpan(r * Stride, dimensions);
            for (int k = 0; k < dimensions; k++)
            {
                double q = Math.Clamp(Math.Round(row[k] / step), -127, 127);
                values[k] = (sbyte)q;
                maxError = Math.Max(maxError, Math.Abs(row[k] - (q * step)));
            }

            Scale[r] = (float)(step / norm);
            Error[r] = (float)(maxError / norm * (1 + 1e-6)); // rounded up past float's half-ulp
        }
    }

    /// <summary>Whether the pruning kernel has hardware support here (x64 with AVX2 and FMA); elsewhere queries scan the floats.</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    public int Dimensions { get; }

    /// <summary>Bytes per stored row: the dimensions rounded up to a multiple of 8.</summary>
    public int Stride { get; }

    public sbyte[] Values { get; }

    /// <summary>Per row: the quantization step over the row's norm (NaN for a zero row).</summary>
    public float[] Scale { get; }

    /// <summary>Per row: the largest |x − step · q8| over the row's norm, rounded up.</summary>
    public float[] Error { get; }

    /// <summary>
    /// A bound on the float rounding of both the approximate and the exact score for a query of Euclidean norm
    /// <paramref name="queryNorm"/>: each is within (d + 2)·u·‖query‖ of its real value (u = 2⁻²⁴); twice that again for margin.
    /// </summary>
    public float RoundingSlack(float queryNorm) => (float)(4.0 * (Dimensions + 4) * Math.ScaleB(1.0, -24) * queryNorm);
}
