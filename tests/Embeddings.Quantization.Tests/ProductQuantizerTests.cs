using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Quantization.Tests;

public class ProductQuantizerTests
{
    /// <summary>Points near a few hundred prototypes: structured data a product quantizer should code well.</summary>
    private static float[] Structured(int count, int dimensions, int seed)
    {
        (float[] points, _, _) = Blobs.Make(clusters: 16, perCluster: count / 16, dimensions: dimensions, seed: seed);
        return points;
    }

    private static ProductQuantizerOptions Options(int subspaces, int centroids = 32) =>
        new() { Subspaces = subspaces, Centroids = centroids, Threads = 2, MaxIterations = 15 };

    [Fact]
    public void DecodeEncode_StructuredData_SmallError()
    {
        float[] points = Structured(1600, 16, seed: 41);
        ProductQuantizer quantizer = ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 4)).Build().Train(points, 16);

        byte[] codes = quantizer.Encode(points);
        var decoded = new float[16];
        double error = 0, energy = 0;
        for (int i = 0; i < 1600; i++)
        {
            quantizer.Decode(codes.AsSpan(i * 4, 4), decoded);
            error += KMeansKernels.SquaredDistance(points.AsSpan(i * 16, 16), decoded);
            energy += KMeansKernels.SquaredDistance(points.AsSpan(i * 16, 16), new float[16]);
        }

        codes.Length.Should().Be(1600 * 4);
        (error / energy).Should().BeLessThan(0.01, "16 blobs are coded nearly exactly by 32 centroids per subspace");
    }

    [Fact]
    public void AsymmetricDistance_EqualsDistanceToDecodedVector()
    {
        float[] points = Blobs.Noise(800, 10, seed: 42);
        ProductQuantizer quantizer = ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 3)).Build().Train(points, 10); // uneven: 3, 3, 4 dimensions
        float[] query = Blobs.Noise(1, 10, seed: 43);
        var table = new float[3 * 32];
        quantizer.ComputeDistanceTable(query, table);
        byte[] codes = quantizer.Encode(points);
        var decoded = new float[10];

        for (int i = 0; i < 800; i += 7)
        {
            quantizer.Decode(codes.AsSpan(i * 3, 3), decoded);
            double direct = KMeansKernels.SquaredDistance(query, decoded);
            quantizer.AsymmetricDistance(table, codes.AsSpan(i * 3, 3)).Should().BeApproximately((float)direct, 1e-4f * (float)(1 + direct));
        }

        quantizer.SubspaceStart(1).Should().Be(3);
        quantizer.SubspaceStart(3).Should().Be(10);
    }

    [Fact]
    public void Encode_PicksNearestCentroidPerSubspace()
    {
        float[] points = Blobs.Noise(300, 4, seed: 44);
        ProductQuantizer quantizer = ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 2, centroids: 8)).Build().Train(points, 4);
        var code = new byte[2];
        quantizer.Encode(points.AsSpan(0, 4), code);
        var table = new float[2 * 8];
        quantizer.ComputeDistanceTable(points.AsSpan(0, 4), table);

        for (int s = 0; s < 2; s++)
        {
            float chosen = table[(s * 8) + code[s]];
            table.AsSpan(s * 8, 8).ToArray().Should().OnlyContain(d => d >= chosen);
        }
    }

    [Fact]
    public void Vectors_MostSimilarOverCodes_FindsExactNeighbours()
    {
        float[] points = Structured(1600, 16, seed: 45);
        string[] words = [.. Enumerable.Range(0, 1600).Select(i => "w" + i)];
        using var exact = new WordVectors(Vocabulary.FromWordsInOrder(words), points, 16);

        ProductQuantizedVectors pq = ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 8)).Build().Train(exact);

        // Neighbours within a blob are near-ties, so judge the blob: all 10 hits share the query's blob.
        IReadOnlyList<WordSimilarity> hits = pq.MostSimilar(exact, "w5");
        hits.Should().HaveCount(10);
        hits.Select(h => int.Parse(h.Word.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) % 16).Should().OnlyContain(blob => blob == 5);
        hits.Select(h => h.Word).Should().NotContain("w5");
        pq.MeasureRecall(exact, queries: 50).Should().BeGreaterThan(0.0);
        pq.CodeCompressionRatio.Should().Be(16.0 * 4 / 8);
    }

    [Fact]
    public void Vectors_SaveLoad_RoundTrips_AndCorruptionIsDetected()
    {
        using var temp = new TempDirectory();
        float[] points = Blobs.Noise(400, 6, seed: 46);
        using var exact = new WordVectors(Vocabulary.FromWordsInOrder([.. Enumerable.Range(0, 400).Select(i => "w" + i)]), points, 6);
        ProductQuantizedVectors pq = ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 3, centroids: 16)).Build().Train(exact);
        string path = temp.File("v.embp");

        pq.Save(path);
        ProductQuantizedVectors loaded = ProductQuantizedVectors.Load(path);

        loaded.Codes.ToArray().Should().Equal(pq.Codes.ToArray());
        loaded.Quantizer.Codebooks.ToArray().Should().Equal(pq.Quantizer.Codebooks.ToArray());
        loaded.Vocabulary.Words.Should().Equal(pq.Vocabulary.Words);
        loaded.MostSimilar("w3").Should().Equal(pq.MostSimilar("w3"));

        byte[] bytes = File.ReadAllBytes(path);
        bytes[^20] ^= 1;
        File.WriteAllBytes(path, bytes);
        Action load = () => ProductQuantizedVectors.Load(path);
        load.Should().Throw<InvalidDataException>().WithMessage("*checksum*");
    }

    [Fact]
    public void Train_InvalidInput_ThrowsClearly()
    {
        float[] points = Blobs.Noise(100, 4, seed: 47);

        FluentActions.Invoking(() => ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 5)).Build().Train(points, 4))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("Subspaces must be 1–4*");
        FluentActions.Invoking(() => ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 2, centroids: 256)).Build().Train(points, 4))
            .Should().Throw<ArgumentException>().WithMessage("*100 training points, fewer than the 256 centroids*");
        points[9] = float.NaN;
        FluentActions.Invoking(() => ProductQuantizer.CreateBuilder().WithOptions(Options(subspaces: 2, centroids: 8)).Build().Train(points, 4))
            .Should().Throw<ArgumentException>().WithMessage("*point 2*dimension 1*");
    }
}
