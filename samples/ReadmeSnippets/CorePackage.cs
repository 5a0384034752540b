#region package:core
using Embeddings.Core.Formats;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
#endregion

namespace ReadmeSnippets;

/// <summary>src/Embeddings.Core/README.md, the package's readme.</summary>
internal static class CorePackage
{
    public static void Run()
    {
        #region package:core
        // Any IEnumerable<IReadOnlyList<string>> of token lists, e.g. from Embeddings.Text's TextPipeline.
        IReadOnlyList<string>[] sentences = [["the", "king", "rules"], ["the", "queen", "rules"], ["a", "king", "and", "a", "queen"]];

        Word2VecModel model = Word2Vec.CreateBuilder()
            .SkipGram().Dimensions(50).WindowSize(5).NegativeSamples(5).MinCount(1)
            .Epochs(20).Threads(1).Seed(1)                  // one thread and a seed: bit-exact reruns
            .Build()
            .Train(sentences);

        WordVectors vectors = model.Vectors;
        foreach (WordSimilarity neighbour in vectors.MostSimilar("king", topN: 3))
        {
            Console.WriteLine($"{neighbour.Word}\t{neighbour.Similarity:F3}");
        }
        vectors.Save("vectors.bin", VectorFileFormat.Word2VecBinary);   // gensim's KeyedVectors.load_word2vec_format reads it
        #endregion
    }
}
