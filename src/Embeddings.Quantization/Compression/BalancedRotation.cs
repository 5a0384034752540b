using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Embeddings.Quantization;

/// <summary>
/// The orthogonal rotation that product quantization applies first (OPQ's non-parametric "eigenvalue allocation", Ge,
/// He, Ke &amp; Sun 2013): the principal directions of the data, dealt out to the subspaces in a serpentine order of
/// decreasing variance (0, 1, …, m−1, m−1, …, 0, 0, 1, …), so that every subspace gets a like share of the variance
/// instead of whatever the original axes carry.
/// </summary>
internal static class BalancedRotation
{
    /// <summary>The largest dimension rotated: the covariance costs O(n·d²) and its eigen-decomposition O(d³).</summary>
    public const int MaxDimensions = 512;

    /// <summary>
    /// The d × d rotation R (row-major; x' = R·x) for <paramref name="points"/> (n × d) and the subspace bounds
    /// <paramref name="offsets"/> (m + 1 entries).
    /// </summary>
    public static float[] Create(ReadOnlySpan<float> points, int d, ReadOnlySpan<int> offsets)
    {
        int n = points.Length / d;
        var mean = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                mean[j] += points[(i * d) + j];
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= Math.Max(1, n);
        }

        // The covariance, summed in point order (deterministic), upper triangle then mirrored.
        var covariance = new double[d * d];
        var row = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                row[j] = points[(i * d) + j] - mean[j];
            }

            for (int a = 0; a < d; a++)
            {
                double ra = row[a];
                for (int b = a; b < d; b++)
                {
                    covariance[(a * d) + b] += ra * row[b];
                }
            }
        }

        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < a; b++)
            {
                covariance[(a * d) + b] = covariance[(b * d) + a];
            }
        }

        (double[] values, double[] vectors) = SymmetricEigen(covariance, d);

        // Directions by decreasing variance, dealt to the subspaces in a serpentine order, skipping full ones.
        int m = offsets.Length - 1;
        int[] order = [.. Enumerable.Range(0, d).OrderByDescending(k => values[k]).ThenBy(k => k)];
        var filled = new int[m];
        var rotation = new float[d * d];
        int bucket = 0, step = 1;
        foreach (int direction in order)
        {
            while (filled[bucket] == offsets[bucket + 1] - offsets[bucket])
            {
                (bucket, step) = Next(bucket, step, m);
            }

            int target = offsets[bucket] + filled[bucket]++;
            for (int j = 0; j < d; j++)
            {
                rotation[(target * d) + j] = (float)vectors[(j * d) + direction];
            }

            (bucket, step) = Next(bucket, step, m);
        }

        return rotation;
    }

    private static (int Bucket, int Step) Next(int bucket, int step, int m)
    {
        int next = bucket + step;
        return next < 0 || next >= m ? (bucket, -step) : (next, step);
    }

    /// <summary>y = R·x.</summary>
    public static void Rotate(ReadOnlySpan<float> rotation, ReadOnlySpan<float> x, Span<float> y)
    {
        int d = x.Length;
        for (int r = 0; r < d; r++)
        {
            y[r] = System.Numerics.Tensors.TensorPrimitives.Dot(rotation.Slice(r * d, d), x);
        }
    }

    /// <summary>x = Rᵀ·y.</summary>
    public static void RotateBack(ReadOnlySpan<float> rotation, ReadOnlySpan<float> y, Span<float> x)
    {
        int d = y.Length;
        x.Clear();
        for (int r = 0; r < d; r++)
        {
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(rotation.Slice(r * d, d), y[r], x, x);
        }
    }

    /// <summary>
    /// Eigenvalues and eigenvectors (column k of the row-major d × d result for value k) of a symmetric matrix, by
    /// MathNet's symmetric eigen-decomposition (as the count-based SVD and the PCA projection of Embeddings.Core do).
    /// </summary>
    internal static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int d)
    {
        // Symmetric, so the row-major array is also its column-major storage.
        Evd<double> evd = Matrix<double>.Build.Dense(d, d, (double[])matrix.Clone()).Evd(Symmetricity.Symmetric);
        var values = new double[d];
        for (int k = 0; k < d; k++)
        {
            values[k] = evd.EigenValues[k].Real;
        }

        return (values, evd.EigenVectors.ToRowMajorArray());
    }
}
