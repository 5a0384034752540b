#region readme:language-models
using Embeddings.Core.Sequences;
using Embeddings.Quantization;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Language models".</summary>
internal static class LanguageModels
{
    public static void Run()
    {
        #region readme:language-models
        // The novel as one stream of words, and the k-means clusters of its word vectors (saved above).
        string[] words = [.. File.ReadLines("quijote.tok").SelectMany(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
        QuantizedVectors quantized = QuantizedVectors.Load("vectors.kmeans");
        using var cancellation = new CancellationTokenSource();
        CancellationToken cancellationToken = cancellation.Token;

        QuantizedLanguageModel lm = QuantizedLanguageModel.CreateBuilder()
            .Clusters(quantized)                                              // centroids in, words out
            .Configure(m => m
                .Cell(RecurrentCell.Rnn).HiddenSize(128).SequenceLength(5)     // or Gru / Lstm, .Layers(2).Dropout(0.2)
                .Adam(1e-3).BatchSize(512).Epochs(20).Threads(2)               // .FullBatch(), .AdamW(...), .Sgd(lr, momentum)
                .ClipGradientNorm(5).ValidationFraction(0.1).EarlyStopping(patience: 3)
                .Checkpoints("checkpoints", everyEpochs: 5))                   // native files; Resume(...) continues bit for bit
            .Build()
            .Train(words, new Progress<LanguageModelProgress>(p => Console.Error.Write($"\r{p.Fraction:P0}")), cancellationToken);
        Console.WriteLine(string.Join(' ', lm.Generate(["en", "un", "lugar", "de", "la", "mancha"], new GenerationOptions { Length = 15, Temperature = 0.7, Seed = 1 })));
        lm.Save("quijote.lm");
        #endregion
    }
}
