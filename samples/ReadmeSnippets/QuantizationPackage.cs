#region package:quantization
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
#endregion

namespace ReadmeSnippets;

/// <summary>src/Embeddings.Quantization/README.md, the package's readme.</summary>
internal static class QuantizationPackage
{
    public static void Run()
    {
        #region package:quantization
        using WordVectors vectors = WordVectors.Load("vectors.bin");      // word2vec, fastText .vec, GloVe or native

        KMeans kmeans = KMeans.CreateBuilder().Clusters(256).Seed(0).Threads(2).Build();
        QuantizedVectors quantized = QuantizedVectors.Quantize(vectors, kmeans);

        int cluster = quantized.ClusterOf("king");
        Console.WriteLine(string.Join(", ", quantized.Members(cluster)));  // most frequent first
        Console.WriteLine($"inertia {quantized.Inertia:F1}, {quantized.CompressionRatio:F1}x smaller");
        quantized.Save("vectors.kmeans");                                 // native, checksummed
        #endregion
    }
}
