#region readme:subwords
using Embeddings.Core.Formats;
using Embeddings.Core.Subwords;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Vectors for words never seen".</summary>
internal static class Subwords
{
    public static void Run()
    {
        #region readme:subwords
        using SubwordVectors vectors = SubwordVectors.Load("quijote.emsw");  // memory-mapped, checksum verified
        Console.WriteLine(vectors.Contains("caballeritos"));                  // False: the text never has it
        float[] vector = vectors.GetVector("caballeritos");                   // the mean of its n-grams' rows, as fastText's
        Console.WriteLine(string.Join(", ", vectors.MostSimilar("caballeritos", topN: 5).Select(s => s.Word)));
        Console.WriteLine(vectors.Similarity("caballeritos", "caballero"));   // any two words
        Console.WriteLine(vectors.MostSimilar(positive: ["caballeritos", "señora"], negative: ["caballero"])[0].Word);
        double accuracy = vectors.EvaluateAnalogies("questions-words.txt").Accuracy;   // vocabulary words only, as gensim
        vectors.Words.Save("quijote.vec", VectorFileFormat.FastTextVec);      // the vocabulary words' vectors, for any tool
        vectors.Save("copy.emsw");                                            // n-gram rows too; atomic, checksummed
        #endregion
        Console.WriteLine($"{vector.Length} dimensions, analogies {accuracy:P1}");
    }
}
