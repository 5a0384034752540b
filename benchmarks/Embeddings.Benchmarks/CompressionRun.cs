using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;

namespace Embeddings.Benchmarks;

/// <summary>
/// Every compression method at every budget on one set of word vectors, one JSON line each (benchmarks/compression/run.sh):
/// <c>compression --vectors V [--methods kmeans,pq,pq-plain,autoencoder,binary,scalar8] [--bits 400,200,100] [--seed 0] [--threads 2]
/// [--eval ../shared/data/eval] [--recall-queries 1000] [--speed-queries 300]</c>. Each line holds the size (bytes a
/// word, ratio), the training seconds, the reconstruction MSE, the decoded vectors' analogy accuracy (30k restrict),
/// WS-353 and SimLex-999 Spearman and their share of the originals', recall@10 of the compressed search against exact
/// float search, and the single-thread query speed of both searches on the same words. <c>pq-plain</c> is product
/// quantization without its balanced rotation.
/// </summary>
public static class CompressionRun
{
    /// <summary>Entry point for the <c>compression</c> subcommand.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>0 on success, 2 on bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        if (!options.TryGetValue("vectors", out string? path) || !File.Exists(path))
        {
            Console.Error.WriteLine("compression --vectors FILE [--methods kmeans,pq,autoencoder,binary,scalar8] [--bits 400,200,100] [--seed 0] [--threads 2] [--eval DIR]");
            return 2;
        }

        string[] methods = options.GetValueOrDefault("methods", "kmeans,pq,autoencoder,binary,scalar8").Split(',');
        int[] budgets = [.. options.GetValueOrDefault("bits", "400,200,100").Split(',').Select(b => int.Parse(b, CultureInfo.InvariantCulture))];
        int seed = int.Parse(options.GetValueOrDefault("seed", "0"), CultureInfo.InvariantCulture);
        int threads = int.Parse(options.GetValueOrDefault("threads", "2"), CultureInfo.InvariantCulture);
        int recallQueries = int.Parse(options.GetValueOrDefault("recall-queries", "1000"), CultureInfo.InvariantCulture);
        int speedQueries = int.Parse(options.GetValueOrDefault("speed-queries", "300"), CultureInfo.InvariantCulture);
        string eval = options.GetValueOrDefault("eval", "../shared/data/eval");

        using WordVectors vectors = WordVectorsFile.Load(path);
        Quality original = Measure(vectors, eval, threads);
        string[] speedWords = [.. Enumerable.Range(0, Math.Min(speedQueries, vectors.Count)).Select(i => vectors.Vocabulary[i * Math.Max(1, Math.Min(vectors.Count, 30_000) / speedQueries)])];
        double floatSeconds = Time(speedWords, word => vectors.MostSimilar(word, 10, threads: 1));
        Emit(new Dictionary<string, object?>
        {
            ["method"] = "float32", ["bits"] = 32 * vectors.Dimensions, ["bytes_per_vector"] = 4.0 * vectors.Dimensions, ["ratio"] = 1.0,
            ["analogy"] = original.Analogy, ["ws353"] = original.WordSim, ["simlex"] = original.SimLex,
            ["query_ms"] = 1000 * floatSeconds / speedWords.Length, ["words"] = vectors.Count, ["dimensions"] = vectors.Dimensions,
        });

        foreach (string name in methods)
        {
            CompressionMethod method = name switch
            {
                "kmeans" => CompressionMethod.KMeans,
                "pq" or "pq-plain" => CompressionMethod.ProductQuantization,
                "autoencoder" => CompressionMethod.Autoencoder,
                "binary" => CompressionMethod.Binary,
                "scalar8" => CompressionMethod.Scalar8,
                _ => throw new ArgumentException($"Unknown method '{name}'."),
            };
            foreach (int bits in budgets)
            {
                CompressedVectors compressed;
                try
                {
                    compressed = Compression.CreateBuilder().Method(method).Bits(bits).Seed(seed).Threads(threads)
                        .BalancedRotation(name != "pq-plain").Build().Train(vectors);
                }
                catch (ArgumentException e)
                {
                    Emit(new Dictionary<string, object?> { ["method"] = name, ["bits"] = bits, ["refused"] = e.Message });
                    continue;
                }

                using WordVectors decoded = compressed.ToWordVectors();
                Quality quality = Measure(decoded, eval, threads);
                double recall = compressed.MeasureRecall(vectors, recallQueries, 10);
                double compressedSeconds = Time(speedWords, word => compressed.MostSimilar(word, 10));
                Emit(new Dictionary<string, object?>
                {
                    ["method"] = name, ["bits"] = bits, ["code_bits"] = compressed.CodeBits, ["bytes_per_vector"] = compressed.BytesPerVector,
                    ["ratio"] = compressed.CompressionRatio, ["overall_ratio"] = compressed.OverallCompressionRatio,
                    ["seconds"] = compressed.TrainingSeconds, ["reconstruction_mse"] = compressed.ReconstructionError,
                    ["analogy"] = quality.Analogy, ["ws353"] = quality.WordSim, ["simlex"] = quality.SimLex,
                    ["analogy_kept"] = quality.Analogy / original.Analogy, ["ws353_kept"] = quality.WordSim / original.WordSim, ["simlex_kept"] = quality.SimLex / original.SimLex,
                    ["recall_at_10"] = recall, ["recall_queries"] = Math.Min(recallQueries, vectors.Count),
                    ["query_ms"] = 1000 * compressedSeconds / speedWords.Length, ["float_query_ms"] = 1000 * floatSeconds / speedWords.Length,
                    ["speedup_vs_float"] = floatSeconds / compressedSeconds, ["seed"] = seed, ["threads"] = threads,
                });
            }
        }

        return 0;
    }

    private readonly record struct Quality(double Analogy, double WordSim, double SimLex);

    private static Quality Measure(WordVectors vectors, string eval, int threads) => new(
        vectors.EvaluateAnalogies(Path.Combine(eval, "questions-words.txt"), restrictVocab: 30_000, threads: threads).Accuracy,
        vectors.EvaluateWordPairs(Path.Combine(eval, "wordsim353.tsv")).Spearman,
        vectors.EvaluateWordPairs(Path.Combine(eval, "simlex999.txt")).Spearman);

    /// <summary>Seconds for one query per word (after two warm-up passes, so that the JIT's last tier runs), on this thread.</summary>
    private static double Time(string[] words, Func<string, IReadOnlyList<WordSimilarity>> query)
    {
        for (int pass = 0; pass < 2; pass++)
        {
            foreach (string word in words)
            {
                query(word);
            }

            Thread.Sleep(200); // the background JIT promotes hot methods
        }

        var clock = Stopwatch.StartNew();
        foreach (string word in words)
        {
            query(word);
        }

        return clock.Elapsed.TotalSeconds;
    }

    private static void Emit(Dictionary<string, object?> line) => Console.Out.WriteLine(JsonSerializer.Serialize(line));
}
