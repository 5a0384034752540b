using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;

namespace Embeddings.Benchmarks;

/// <summary>
/// Tokens per second of the tweets lab's pipeline (lowercase → keep a-z@# → whitespace → NLTK English stopwords →
/// NLTK 3.8's Snowball English), measured as ../shared/bench/preprocess_anchor.py measures NLTK: inputs held in memory,
/// throughput = input whitespace tokens / seconds, a fresh pipeline (cold token cache) for every run.
/// </summary>
internal static class PreprocessThroughput
{
    public static int Run(string[] args)
    {
        int reps = 5;
        string data = SharedDataPath.Find();
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--reps": reps = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--data": data = args[i + 1]; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        var datasets = new Dictionary<string, string[]>
        {
            ["tweets"] = [.. LineSource.FromCsvColumn(Path.Combine(data, "tweets", "train.csv.gz"), "tweet").ReadLines().Select(l => l.Text)],
            ["corpus"] = [.. LineSource.FromFile(Path.Combine(data, "corpus", "en.txt.gz")).ReadLines().Select(l => l.Text)],
        };

        foreach ((string name, string[] docs) in datasets)
        {
            long inTokens = docs.Sum(d => (long)d.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length);
            foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
            {
                // rep 0 warms the JIT up (tiered compilation) and is not reported; Python has no such phase.
                for (int rep = 0; rep <= reps; rep++)
                {
                    TextPipeline pipeline = LabPipeline();
                    var clock = Stopwatch.StartNew();
                    long outTokens = 0;
                    foreach (IReadOnlyList<string> tokens in pipeline.Process(docs, threads))
                    {
                        outTokens += tokens.Count;
                    }

                    double seconds = clock.Elapsed.TotalSeconds;
                    if (rep == 0)
                    {
                        continue;
                    }

                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        tool = "embeddings",
                        data = name,
                        threads,
                        rep,
                        docs = docs.Length,
                        in_tokens = inTokens,
                        out_tokens = outTokens,
                        time_s = seconds,
                        in_tokens_per_s = inTokens / seconds,
                    }));
                }
            }
        }

        return 0;
    }

    private static TextPipeline LabPipeline() => TextPipeline.CreateBuilder()
        .Lowercase()
        .KeepOnly("a-z@# ")
        .TokenizeOnWhitespace()
        .RemoveStopwords(StopwordList.English)
        .Stem(new EnglishStemmer(SnowballVersion.Nltk38))
        .Build();
}
