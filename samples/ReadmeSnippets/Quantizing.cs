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
        #endregion
    }
}
