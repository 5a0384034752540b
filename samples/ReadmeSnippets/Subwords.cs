#region readme:subwords
using Embeddings.Core.Formats;
using Embeddings.Core.Subwords;
using Embeddings.Core.Training;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Vectors for words never seen".</summary>
internal static class Subwords
{
    public static void Run()
    {
        #region readme:subwords
        // fastText's model: each word's row plus hashed character n-grams of 3 to 6 code points (-minn 3 -maxn 6 -bucket).
        IReadOnlyList<string>[] sentences = [.. File.ReadLines("quijote.txt").Select(line => line.Split(' '))];
        Word2VecModel model = Word2Vec.CreateBuilder()
            .SkipGram().Subwords(minN: 3, maxN: 6, buckets: 200_000).MinCount(2).Epochs(10).Threads(2).Seed(1)
            .Build().Train(sentences);
        using SubwordVectors vectors = model.Subwords!;                     // model.Vectors: the vocabulary's composed vectors
        Console.WriteLine(vectors.Contains("caballeritos"));                  // False: the text never has it
        float[] vector = vectors.GetVector("caballeritos");                   // the mean of its n-grams' rows, as fastText's
        Console.WriteLine(string.Join(", ", vectors.MostSimilar("caballeritos", topN: 5).Select(s => s.Word)));
        Console.WriteLine(vectors.Similarity("caballeritos", "caballero"));   // any two words
        double accuracy = vectors.EvaluateAnalogies("questions-words.txt").Accuracy;   // vocabulary words only, as gensim
        vectors.Words.Save("quijote.vec", VectorFileFormat.FastTextVec);      // the vocabulary words' vectors, for any tool
        vectors.Save("quijote.emsw");                                         // native: n-gram rows too, memory-mapped by Load
        model.SaveFastText("quijote.bin");                                    // fastText's .bin: fasttext, gensim read it
        using SubwordVectors fromFastText = SubwordVectors.LoadFastText("quijote.bin");   // or a downloaded cc.es.300.bin
        #endregion
        Console.WriteLine($"{vector.Length} dimensions, analogies {accuracy:P1}, {fromFastText.Vocabulary.Count} words back from the .bin");
    }
}
