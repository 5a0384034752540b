using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Quantization.Tests;

public class QuantizedVectorsTests
{
    /// <summary>Three blobs of words: w0..w59, word i in blob i mod 3, counts descending with the id.</summary>
    private static WordVectors MakeVectors()
    {
        (float[] points, _, _) = Blobs.Make(clusters: 3, perCluster: 20, dimensions: 4, seed: 31);
        string[] words = [.. Enumerable.Range(0, 60).Select(i => "w" + i)];
        long[] counts = [.. Enumerable.Range(0, 60).Select(i => 1000L - i)];
        return new WordVectors(Vocabulary.FromWordsInOrder(words, counts), points, 4);
    }

    private static QuantizedVectors Quantize(WordVectors vectors) =>
        QuantizedVectors.Quantize(vectors, KMeans.CreateBuilder().Clusters(3).Seed(0).Threads(1).Build());

    [Fact]
    public void Quantize_KeepsEveryWordInItsBlob_MembersByFrequency()
    {
        using WordVectors vectors = MakeVectors();

        QuantizedVectors quantized = Quantize(vectors);

        quantized.Count.Should().Be(60);
        int cluster = quantized.ClusterOf("w4");
        quantized.Members(cluster).Should().Equal(Enumerable.Range(0, 20).Select(i => "w" + (1 + (3 * i))), "blob 1 holds w1, w4, w7, … most frequent first");
        Enumerable.Range(0, 3).Sum(c => quantized.Members(c).Count).Should().Be(60);
        quantized.GetStatistics(cluster).Should().Match<ClusterStatistics>(s => s.Size == 20 && s.MostFrequentWord == "w1");
    }

    [Fact]
    public void Reconstruct_IsTheClusterCentroid_AndInertiaAddsUp()
    {
        using WordVectors vectors = MakeVectors();

        QuantizedVectors quantized = Quantize(vectors);

        int cluster = quantized.ClusterOf("w2");
        quantized.Reconstruct("w2").ToArray().Should().Equal(quantized.Centroids.Slice(cluster * 4, 4).ToArray());
        double manual = 0;
        for (int id = 0; id < 60; id++)
        {
            manual += KMeansKernels.SquaredDistance(vectors.GetVector(id), quantized.Centroids.Slice(quantized.ClusterOf(id) * 4, 4));
        }

        quantized.Inertia.Should().BeApproximately(manual, 1e-9 * manual);
        Enumerable.Range(0, 3).Sum(c => quantized.GetStatistics(c).Inertia).Should().BeApproximately(manual, 1e-9 * manual);
        quantized.CompressionRatio.Should().BeApproximately(60.0 * 16 / ((3 * 16) + (60 * 2)), 1e-12);
    }

    [Fact]
    public void MostSimilar_ClusterMatesFirst_WithoutTheWord()
    {
        using WordVectors vectors = MakeVectors();
        QuantizedVectors quantized = Quantize(vectors);

        IReadOnlyList<WordSimilarity> nearest = quantized.MostSimilar("w0", topN: 22);

        nearest.Take(19).Select(s => s.Word).Should().Equal(Enumerable.Range(1, 19).Select(i => "w" + (3 * i)));
        nearest.Take(19).Should().OnlyContain(s => Math.Abs(s.Similarity - 1) < 1e-5);
        nearest.Skip(19).Should().OnlyContain(s => s.Similarity < 0.9f);
        nearest.Select(s => s.Word).Should().NotContain("w0");
    }

    [Fact]
    public void SaveLoad_RoundTrips()
    {
        using var temp = new TempDirectory();
        using WordVectors vectors = MakeVectors();
        QuantizedVectors quantized = Quantize(vectors);
        string path = temp.File("q.embk");

        quantized.Save(path);
        QuantizedVectors loaded = QuantizedVectors.Load(path);

        loaded.Vocabulary.Words.Should().Equal(quantized.Vocabulary.Words);
        loaded.Centroids.ToArray().Should().Equal(quantized.Centroids.ToArray());
        Enumerable.Range(0, 60).Select(loaded.ClusterOf).Should().Equal(Enumerable.Range(0, 60).Select(quantized.ClusterOf));
        loaded.Inertia.Should().Be(quantized.Inertia);
        loaded.Spherical.Should().Be(quantized.Spherical);
        loaded.Members(1).Should().Equal(quantized.Members(1));
        Directory.GetFiles(temp.Path).Should().ContainSingle("the temporary file was renamed");
    }

    [Fact]
    public void Load_CorruptByte_ThrowsInvalidData()
    {
        using var temp = new TempDirectory();
        using WordVectors vectors = MakeVectors();
        string path = temp.File("q.embk");
        Quantize(vectors).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        File.WriteAllBytes(path, bytes);

        Action load = () => QuantizedVectors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage("*checksum*");
    }

    [Fact]
    public void Load_OtherKindOfFile_ThrowsInvalidData()
    {
        using var temp = new TempDirectory();
        string path = temp.File("x");
        File.WriteAllText(path, "3 2\na 1 2\n");

        Action load = () => QuantizedVectors.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage("*not a quantized-vectors file*");
    }

    [Fact]
    public void Create_ClusteringOfOtherVectors_Throws()
    {
        using WordVectors vectors = MakeVectors();
        KMeansResult other = KMeans.CreateBuilder().Clusters(2).Build().Train(Blobs.Noise(10, 4, seed: 1), 4);

        Action create = () => QuantizedVectors.Create(vectors, other);

        create.Should().Throw<ArgumentException>().WithMessage("*10 points × 4 dimensions*60 × 4*");
    }
}
