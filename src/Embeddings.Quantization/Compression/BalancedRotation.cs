namespace Embeddings.Quantization;

/// <summary>
/// The orthogonal rotation that product quantization applies first (OPQ's non-parametric "eigenvalue allocation", Ge,
/// He, Ke &amp; Sun 2013): the principal directions of the data, dealt out to the subspaces in a serpentine order of
/// decreasing variance (0, 1, …, m−1, m−1, …, 0, 0, 1, …), so that every subspace gets a like share of the variance
/// instead of whatever the original axes carry.
/// </summary>
internal static class BalancedRotation
{
    /// <summary>The largest dimension rotated: Jacobi's eigen-decomposition costs O(d³) a sweep.</summary>
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
    /// Eigenvalues and eigenvectors (column k of the row-major d × d result for value k) of a symmetric matrix, by cyclic
    /// Jacobi rotations until the off-diagonal mass is negligible.
    /// </summary>
    internal static (double[] Values, double[] Vectors) SymmetricEigen(double[] matrix, int d)
    {
        double[] a = (double[])matrix.Clone();
        var v = new double[d * d];
        for (int i = 0; i < d; i++)
        {
            v[(i * d) + i] = 1;
        }

        double scale = 0;
        foreach (double x in a)
        {
            scale += x * x;
        }

        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < d; p++)
            {
                for (int q = p + 1; q < d; q++)
                {
                    off += a[(p * d) + q] * a[(p * d) + q];
                }
            }

            if (off <= 1e-26 * scale || off == 0)
            {
                break;
            }

            for (int p = 0; p < d; p++)
            {
                for (int q = p + 1; q < d; q++)
                {
                    double apq = a[(p * d) + q];
                    if (apq == 0)
                    {
                        continue;
                    }

                    double theta = (a[(q * d) + q] - a[(p * d) + p]) / (2 * apq);
                    double t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt((theta * theta) + 1));
                    double c = 1 / Math.Sqrt((t * t) + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double akp = a[(k * d) + p], akq = a[(k * d) + q];
                        a[(k * d) + p] = (c * akp) - (s * akq);
                        a[(k * d) + q] = (s * akp) + (c * akq);
                    }

                    for (int k = 0; k < d; k++)
                    {
                        double apk = a[(p * d) + k], aqk = a[(q * d) + k];
                        a[(p * d) + k] = (c * apk) - (s * aqk);
                        a[(q * d) + k] = (s * apk) + (c * aqk);
                    }

                    for (int k = 0; k < d; k++)
                    {
                        double vkp = v[(k * d) + p], vkq = v[(k * d) + q];
                        v[(k * d) + p] = (c * vkp) - (s * vkq);
                        v[(k * d) + q] = (s * vkp) + (c * vkq);
                    }
                }
            }
        }

        var values = new double[d];
        for (int i = 0; i < d; i++)
        {
            values[i] = a[(i * d) + i];
        }

        return (values, v);
    }
}
