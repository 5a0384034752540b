namespace Embeddings.Quantization.Tests;

/// <summary>Synthetic clustered data with a known answer.</summary>
internal static class Blobs
{
    /// <summary>
    /// <paramref name="clusters"/> well-separated Gaussian blobs of <paramref name="perCluster"/> points: centres 10 apart
    /// on the axes (then shifted), noise σ = 0.3. Points are interleaved (point i belongs to blob i mod clusters).
    /// </summary>
    public static (float[] Points, int[] Truth, float[] Centres) Make(int clusters, int perCluster, int dimensions, int seed)
    {
        var random = new Random(seed);
        var centres = new float[clusters * dimensions];
        for (int c = 0; c < clusters; c++)
        {
            for (int j = 0; j < dimensions; j++)
            {
                centres[(c * dimensions) + j] = (j == c % dimensions ? 10f * (1 + (c / dimensions)) : 0f) + (float)random.NextDouble();
            }
        }

        int count = clusters * perCluster;
        var points = new float[count * dimensions];
        var truth = new int[count];
        for (int i = 0; i < count; i++)
        {
            int c = i % clusters;
            truth[i] = c;
            for (int j = 0; j < dimensions; j++)
            {
                points[(i * dimensions) + j] = centres[(c * dimensions) + j] + (0.3f * Gaussian(random));
            }
        }

        return (points, truth, centres);
    }

    /// <summary>Unstructured Gaussian points, for tests that need many iterations.</summary>
    public static float[] Noise(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var points = new float[count * dimensions];
        for (int i = 0; i < points.Length; i++)
        {
            points[i] = Gaussian(random);
        }

        return points;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
