using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Training;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;

namespace Embeddings.Benchmarks;

/// <summary>
/// word2vec training on ../shared/data/corpus/en.txt.gz with the anchors' settings; prints one JSON line.
/// dotnet run -c Release -- train [--model skipgram|cbow] [--lines N] [--threads 2] [--epochs 5] [--alpha A] [--device cpu|opencl|opencl:P:D] [--output vectors.txt]
/// </summary>
internal static class TrainingRun
{
    public static int Run(string[] args)
    {
        string model = "skipgram";
        int lines = int.MaxValue, threads = 2, epochs = 5;
        double? alpha = null;
        string? output = null;
        string device = "cpu";
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            switch (args[i])
            {
                case "--model": model = value; break;
                case "--lines": lines = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--epochs": epochs = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--alpha": alpha = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--output": output = value; break;
                case "--device": device = value; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        var load = Stopwatch.StartNew();
        string corpusPath = Path.Combine(SharedDataPath.Find(), "corpus", "en.txt.gz");
        List<IReadOnlyList<string>> sentences = [.. LineSource.FromFile(corpusPath).ReadLines().Take(lines).Select(l => Tokenizer.Whitespace.Tokenize(l.Text))];
        double loadSeconds = load.Elapsed.TotalSeconds;

        Word2VecBuilder builder = Word2Vec.CreateBuilder().Dimensions(100).WindowSize(5).NegativeSamples(5).MinCount(5)
            .SubsamplingThreshold(1e-3).Epochs(epochs).Threads(threads).Seed(1);
        builder = model == "cbow" ? builder.Cbow().LearningRate(alpha ?? 0.05) : builder.SkipGram().LearningRate(alpha ?? 0.025);
        Word2VecModel trained = builder.OnDevice(Embeddings.Core.Compute.ComputeDevice.Parse(device)).Build().Train(sentences);
        TrainingReport report = trained.Report;
        if (output is not null)
        {
            using var writer = new StreamWriter(output);
            writer.WriteLine($"{trained.Vectors.Count} {trained.Vectors.Dimensions}");
            for (int id = 0; id < trained.Vectors.Count; id++)
            {
                writer.Write(trained.Vectors.Vocabulary[id]);
                foreach (float v in trained.Vectors.GetVector(id))
                {
                    writer.Write(' ');
                    writer.Write(v.ToString("R", CultureInfo.InvariantCulture));
                }

                writer.WriteLine();
            }
        }

        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model,
            device = report.Device,
            threads,
            corpus_words = report.CorpusWords,
            vocabulary = trained.Vectors.Count,
            load_seconds = loadSeconds,
            vocab_seconds = report.VocabularyTime.TotalSeconds,
            train_seconds = report.TrainingTime.TotalSeconds,
            words_per_second = report.WordsPerSecond,
            losses = report.EpochLosses,
        }));
        return 0;
    }
}
