#region readme:quantizing
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Quantizing embeddings".</summary>
internal static class Quantizing
{
    public static void Run()
    {
        #region readme:quantizing
        using WordVectors vectors = WordVectors.Load("vectors.bin");   // the vectors saved above

        KMeans kmeans = KMeans.CreateBuilder().Clusters(100).Seed(0).Threads(2).Build();   // scikit-learn's k-means++ and tolerance
        KMeansResult clusters = kmeans.Train(vectors);       // centroids, labels, inertia; progress and cancellation as above
        QuantizedVectors quantized = QuantizedVectors.Create(vectors, clusters);
        Console.WriteLine(string.Join(", ", quantized.Members(quantized.ClusterOf("king"))));   // every word of the cluster, most frequent first
        Console.WriteLine(quantized.MostSimilar("king")[0].Word);                               // through the centroids
        quantized.Save("vectors.kmeans");                    // native, checksummed

        // Product quantization: 50 one-byte codes per word, searched with asymmetric distance tables.
        ProductQuantizedVectors codes = ProductQuantizer.CreateBuilder().Subspaces(50).Seed(0).Build().Train(vectors);
        Console.WriteLine($"{codes.CompressionRatio:F1}x smaller");

        // One entry for every method (KMeans, ProductQuantization, Autoencoder, Binary, Scalar8) into a budget of bits a word.
        CompressedVectors compressed = Compression.CreateBuilder()
            .Method(CompressionMethod.ProductQuantization).Bits(200).Seed(0).Threads(2)   // 200 bits: 25 bytes a word
            .Build().Train(vectors);
        Console.WriteLine($"{compressed.BytesPerVector} bytes a word, {compressed.CompressionRatio:F0}x, MSE {compressed.ReconstructionError:G3}");
        Console.WriteLine(compressed.MostSimilar("king")[0].Word);   // searched over the codes
        compressed.Save("vectors.emcz");                              // one native file for every method
        using WordVectors decoded = CompressedVectors.Load("vectors.emcz").ToWordVectors();
        #endregion
    }
}
