#region readme:training
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Training and querying word vectors".</summary>
internal static class TrainingAndQuerying
{
    public static void Run()
    {
        #region readme:training
        // The corpus: one sentence a line, tokens separated by spaces (what `embeddings preprocess` writes).
        IReadOnlyList<string>[] sentences = [.. File.ReadLines("corpus.txt").Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        using var cancellation = new CancellationTokenSource();    // Cancel() it (e.g. on Ctrl+C) to stop training
        CancellationToken cancellationToken = cancellation.Token;

        // Skip-gram with negative sampling; every setting defaults to gensim's (Threads: the processor count).
        Word2VecModel model = Word2Vec.CreateBuilder()
            .SkipGram().Dimensions(100).WindowSize(5).NegativeSamples(5).MinCount(5)
            .SubsamplingThreshold(1e-3).Epochs(5).Threads(2).Seed(1)
            .Checkpoints("checkpoints")             // created if missing; per epoch and on cancellation; resume with trainer.Resume(...)
            .Build()
            .Train(sentences, new Progress<Word2VecProgress>(p => Console.Error.Write($"\r{p.Fraction:P0}")), cancellationToken);

        WordVectors vectors = model.Vectors;
        if (vectors.Contains("king"))                                       // gensim's "king" in wv
        {
            Console.WriteLine(string.Join(", ", vectors.MostSimilar("king", topN: 3).Select(s => s.Word)));   // gensim's most_similar
        }
        Console.WriteLine(vectors.MostSimilar(positive: ["mother", "king"], negative: ["father"])[0].Word);  // king − father + mother
        double accuracy = vectors.EvaluateAnalogies("questions-words.txt", restrictVocab: 30_000).Accuracy;
        double spearman = vectors.EvaluateWordPairs("wordsim353.tsv").Spearman;
        Console.WriteLine($"analogies {accuracy:P1}, word pairs Spearman {spearman:F2}");
        WordVectorsFile.Save(vectors, "vectors.bin", VectorFileFormat.Word2VecBinary);   // gensim loads it
        using WordVectors glove = WordVectorsFile.Load("glove.6B.100d.txt");             // format detected from the content
        #endregion
        Console.WriteLine($"glove: {glove.Count} words × {glove.Dimensions}");
    }
}
