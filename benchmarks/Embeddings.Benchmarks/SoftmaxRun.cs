using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Training;
using Embeddings.Text.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// The lab's full-softmax word2vec (Embedding + Linear, cross-entropy, AdamW(1e-3, weight decay 0.01), batch 256, ±3
/// window pairs without subsampling or shrinking, min count 11, dim 100) on a token file, beside
/// benchmarks/softmax/torch_lab.py; prints one JSON object with the same fields (per-epoch loss and seconds).
/// dotnet run -c Release -- softmax TOKENS [--epochs 3] [--threads 2] [--cbow]
/// </summary>
internal static class SoftmaxRun
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("Usage: softmax TOKENS [--epochs 3] [--threads 2] [--cbow]");
        }

        string tokens = args[0];
        int epochs = 3, threads = 2;
        bool cbow = false;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--cbow": cbow = true; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        List<IReadOnlyList<string>> sentences = [.. File.ReadLines(tokens).Select(l => Tokenizer.Whitespace.Tokenize(l))];
        var epochSeconds = new List<double>();
        var clock = new Stopwatch();
        Word2VecBuilder builder = Word2Vec.CreateBuilder()
            .FullSoftmax(batchSize: 256, weightDecay: 0.01).LearningRate(1e-3).MinLearningRate(1e-3)
            .WindowSize(3).ShrinkWindows(false).SubsamplingThreshold(0).MinCount(11).Dimensions(100)
            .Epochs(epochs).Threads(threads).Seed(1)
            .OnEpochEnd(_ =>
            {
                epochSeconds.Add(clock.Elapsed.TotalSeconds);
                clock.Restart();
            });
        builder = cbow ? builder.Cbow() : builder.SkipGram();
        Word2VecTrainer trainer = builder.Build();
        clock.Start();
        Word2VecModel model = trainer.Train(sentences);

        // The first epoch's clock also ran while the vocabulary was counted and the corpus encoded.
        epochSeconds[0] -= model.Report.VocabularyTime.TotalSeconds;
        Embeddings.Core.Corpus.Vocabulary vocabulary = model.Vectors.Vocabulary;

        // The pairs an epoch trains: every ±3 neighbour within a sentence of in-vocabulary words.
        long pairs = 0;
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            int length = sentence.Count(vocabulary.Contains);
            for (int c = 0; c < length; c++)
            {
                pairs += Math.Min(length - 1, c + 3) - Math.Max(0, c - 3);
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            tool = "embeddings",
            threads,
            vocabulary = vocabulary.Count,
            pairs = cbow ? model.Report.CorpusWords : pairs,
            epochs = model.Report.EpochLosses.Select((loss, i) => new { epoch = i + 1, loss, seconds = epochSeconds[i] }),
            train_seconds = model.Report.TrainingTime.TotalSeconds,
            vocab_seconds = model.Report.VocabularyTime.TotalSeconds,
        }));
        return 0;
    }
}
