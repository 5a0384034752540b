using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Embeddings.Core.Corpus;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;

namespace Embeddings.Benchmarks;

/// <summary>
/// The gensim parity and speed check of <see cref="WordVectors"/> queries and evaluation (issue 3), subcommand
/// <c>queries</c>. It reads the JSON written by <c>benchmarks/vectors/gensim_queries.py</c>, computes the same figures
/// with Embeddings.Core on the same vectors, and prints one JSON object comparing both sides.
/// </summary>
/// <remarks>
/// <code>
/// /usr/bin/python3 benchmarks/vectors/gensim_queries.py --out /tmp/gensim-queries.json
/// dotnet run -c Release --project benchmarks/Embeddings.Benchmarks -- queries --gensim /tmp/gensim-queries.json
/// </code>
/// Options: <c>--vectors PATH</c> (default: the path recorded in the JSON), <c>--eval-dir DIR</c> (default
/// <c>../shared/data/eval</c> above the repository), <c>--runs N</c> (3), <c>--repeat N</c> (5, passes over the query
/// words per throughput run, as the Python side), <c>--threads N</c> (1, for the batched analogy evaluation),
/// <c>--out PATH</c>, <c>--throughput-only</c> (skip the parity checks; <c>benchmarks/vectors/run_throughput.sh</c>
/// alternates both sides with it, because timings on a shared machine drift).
/// </remarks>
public static class VectorQueries
{
    private static readonly JsonSerializerOptions _jsonOptions = new() { WriteIndented = true };

    /// <summary>Runs the comparison; returns 0 when every parity bar holds, 1 otherwise, 2 on bad arguments.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        bool throughputOnly = args.Contains("--throughput-only");
        Dictionary<string, string> options = ParseOptions([.. args.Where(a => a != "--throughput-only")]);
        if (!options.TryGetValue("gensim", out string? gensimPath))
        {
            Console.Error.WriteLine(
                "usage: queries --gensim GENSIM.json [--vectors PATH] [--eval-dir DIR] [--runs 3] [--repeat 5] [--threads 1] [--out PATH] [--throughput-only]");
            return 2;
        }

        using JsonDocument gensimDocument = JsonDocument.Parse(File.ReadAllBytes(gensimPath));
        JsonElement gensim = gensimDocument.RootElement;
        string vectorsPath = options.GetValueOrDefault("vectors") ?? gensim.GetProperty("vectors_path").GetString()!;
        string evalDir = options.GetValueOrDefault("eval-dir") ?? FindEvalDirectory();
        int runs = int.Parse(options.GetValueOrDefault("runs") ?? "3", CultureInfo.InvariantCulture);
        int repeat = int.Parse(options.GetValueOrDefault("repeat") ?? "5", CultureInfo.InvariantCulture);
        int threads = int.Parse(options.GetValueOrDefault("threads") ?? "1", CultureInfo.InvariantCulture);

        var result = new Dictionary<string, object?>
        {
            ["runtime"] = Environment.Version.ToString(),
            ["processors"] = Environment.ProcessorCount,
            ["vectors_path"] = vectorsPath,
        };
        var stopwatch = Stopwatch.StartNew();
        using WordVectors vectors = WordVectorsFile.Load(vectorsPath);
        result["load_s"] = stopwatch.Elapsed.TotalSeconds;
        result["count"] = vectors.Count;
        result["dim"] = vectors.Dimensions;
        bool pass = true;
        string[] words = [.. gensim.GetProperty("query_words").EnumerateArray().Select(e => e.GetString()!)];
        if (!throughputOnly)
        {
            pass &= CompareParity(vectors, gensim, evalDir, threads, words, result);
        }

        // 4. Throughput: MostSimilar(word, 10), one query at a time, the same stream as the Python side; on one thread,
        //    and on as many threads as gensim's BLAS had (the bar's comparison: the same cores for each query).
        string[] stream = [.. Enumerable.Repeat(words, repeat).SelectMany(w => w)];
        JsonElement gensimThroughput = gensim.GetProperty("throughput");
        int gensimThreads = gensim.TryGetProperty("blas_threads", out JsonElement blas) ? blas.GetInt32() : 1;
        double gensimMedian = gensimThroughput.GetProperty("median_qps").GetDouble();
        var throughput = new Dictionary<string, object?>
        {
            ["queries_per_run"] = stream.Length,
            ["gensim_runs_qps"] = gensimThroughput.GetProperty("runs_qps").EnumerateArray().Select(e => e.GetDouble()).ToList(),
            ["gensim_median_qps"] = gensimMedian,
            ["gensim_blas_threads"] = gensimThreads,
            ["gensim_loadavg_1min"] = gensimThroughput.TryGetProperty("loadavg_1min", out JsonElement load) ? load.GetDouble() : null,
        };
        foreach (int queryThreads in new[] { 1, gensimThreads }.Distinct())
        {
            List<double> qps = MeasureSingleQueries(vectors, stream, queryThreads, runs);
            string key = queryThreads.ToString(CultureInfo.InvariantCulture);
            throughput[$"ours_threads{key}_runs_qps"] = qps;
            throughput[$"ours_threads{key}_median_qps"] = Median(qps);
            throughput[$"ratio_threads{key}"] = Median(qps) / gensimMedian;
            if (queryThreads == gensimThreads)
            {
                throughput["ours_median_qps"] = Median(qps);
                throughput["ratio"] = Median(qps) / gensimMedian;
                pass &= Median(qps) >= 2 * gensimMedian;
            }
        }

        var batchQps = new Dictionary<string, double>();
        foreach (int batchThreads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            vectors.MostSimilarBatch(words, 10, threads: batchThreads);
            stopwatch.Restart();
            vectors.MostSimilarBatch(stream, 10, threads: batchThreads);
            batchQps[batchThreads.ToString(CultureInfo.InvariantCulture)] = stream.Length / stopwatch.Elapsed.TotalSeconds;
        }

        throughput["ours_batch_qps_by_threads"] = batchQps;
        throughput["ours_loadavg_1min"] = LoadAverage();
        result["throughput"] = throughput;
        result["pass"] = pass;

        string json = JsonSerializer.Serialize(result, _jsonOptions);
        Console.WriteLine(json);
        if (options.TryGetValue("out", out string? outPath))
        {
            File.WriteAllText(outPath, json + "\n");
        }

        return pass ? 0 : 1;
    }

    private static bool CompareParity(
        WordVectors vectors, JsonElement gensim, string evalDir, int threads, string[] words, Dictionary<string, object?> result)
    {
        bool pass = true;
        var stopwatch = new Stopwatch();

        // 1. Analogies, for every restrict_vocab the Python side ran.
        var analogies = new Dictionary<string, object?>();
        foreach (JsonProperty side in gensim.GetProperty("analogies").EnumerateObject())
        {
            int restrict = int.Parse(side.Name, CultureInfo.InvariantCulture);
            stopwatch.Restart();
            AnalogyEvaluation ours = vectors.EvaluateAnalogies(Path.Combine(evalDir, "questions-words.txt"), restrict, threads: threads);
            double seconds = stopwatch.Elapsed.TotalSeconds;
            double theirs = side.Value.GetProperty("accuracy").GetDouble();
            var sectionDiffs = new List<string>();
            foreach (AnalogySection section in ours.Sections)
            {
                JsonElement other = side.Value.GetProperty("sections").GetProperty(section.Name);
                int correct = other[0].GetInt32(), attempted = other[1].GetInt32();
                if (correct != section.Correct.Count || attempted != section.Correct.Count + section.Incorrect.Count)
                {
                    sectionDiffs.Add($"{section.Name}: ours {section.Correct.Count}/{section.Correct.Count + section.Incorrect.Count}, gensim {correct}/{attempted}");
                }
            }

            double difference = Math.Abs(ours.Accuracy - theirs);
            pass &= difference * 100 <= 0.1;
            analogies[side.Name] = new Dictionary<string, object?>
            {
                ["ours_accuracy"] = ours.Accuracy,
                ["gensim_accuracy"] = theirs,
                ["difference_points"] = difference * 100,
                ["ours_correct_attempted"] = $"{ours.Total.Correct.Count}/{ours.Total.Correct.Count + ours.Total.Incorrect.Count}",
                ["gensim_correct_attempted"] = $"{side.Value.GetProperty("correct").GetInt32()}/{side.Value.GetProperty("attempted").GetInt32()}",
                ["section_differences"] = sectionDiffs,
                ["ours_seconds"] = seconds,
                ["gensim_seconds"] = side.Value.GetProperty("seconds").GetDouble(),
                ["ours_sections"] = ours.Sections.ToDictionary(s => s.Name, s => s.Accuracy),
            };
        }

        result["analogies"] = analogies;

        // 2. Word pairs.
        var pairs = new Dictionary<string, object?>();
        foreach ((string name, string file) in new[] { ("wordsim353", "wordsim353.tsv"), ("simlex999", "simlex999.txt") })
        {
            WordPairEvaluation ours = vectors.EvaluateWordPairs(Path.Combine(evalDir, file));
            JsonElement theirs = gensim.GetProperty("word_pairs").GetProperty(name);
            double spearmanDifference = Math.Abs(ours.Spearman - theirs.GetProperty("spearman").GetDouble());
            pass &= spearmanDifference <= 0.001;
            pairs[name] = new Dictionary<string, object?>
            {
                ["ours_spearman"] = ours.Spearman,
                ["gensim_spearman"] = theirs.GetProperty("spearman").GetDouble(),
                ["spearman_difference"] = spearmanDifference,
                ["ours_pearson"] = ours.Pearson,
                ["gensim_pearson"] = theirs.GetProperty("pearson").GetDouble(),
                ["ours_spearman_p"] = ours.SpearmanPValue,
                ["gensim_spearman_p"] = theirs.GetProperty("spearman_p").GetDouble(),
                ["ours_pearson_p"] = ours.PearsonPValue,
                ["gensim_pearson_p"] = theirs.GetProperty("pearson_p").GetDouble(),
                ["ours_oov_pct"] = ours.OovRatio,
                ["gensim_oov_pct"] = theirs.GetProperty("oov_pct").GetDouble(),
            };
        }

        result["word_pairs"] = pairs;

        // 3. Top-10 lists.
        string[][] triples = [.. gensim.GetProperty("analogy_queries").EnumerateArray().Select(t => t.EnumerateArray().Select(e => e.GetString()!).ToArray())];
        var lists = new Dictionary<string, object?>
        {
            ["most_similar"] = CompareLists(gensim.GetProperty("most_similar"), words.Select(w => vectors.MostSimilar(w, 10)).ToList()),
            ["most_similar_cosmul"] = CompareLists(gensim.GetProperty("most_similar_cosmul"), words.Select(w => vectors.MostSimilarCosMul([w], null, 10)).ToList()),
            ["most_similar_batch"] = CompareLists(gensim.GetProperty("most_similar"), vectors.MostSimilarBatch(words, 10, threads: threads)),
            ["analogy_most_similar"] = CompareLists(
                gensim.GetProperty("analogy_most_similar"), triples.Select(t => vectors.MostSimilar([t[1], t[2]], [t[0]], 10)).ToList()),
            ["analogy_cosmul"] = CompareLists(
                gensim.GetProperty("analogy_cosmul"), triples.Select(t => vectors.MostSimilarCosMul([t[1], t[2]], [t[0]], 10)).ToList()),
        };
        foreach (object? comparison in lists.Values)
        {
            var entry = (Dictionary<string, object?>)comparison!;
            pass &= (int)entry["identical"]! == (int)entry["total"]!;
        }

        result["top10"] = lists;
        return pass;
    }

    private static Dictionary<string, object?> CompareLists(JsonElement gensimLists, IReadOnlyList<IReadOnlyList<WordSimilarity>> ours)
    {
        int identical = 0;
        double maxDifference = 0;
        var differences = new List<string>();
        int i = 0;
        foreach (JsonElement list in gensimLists.EnumerateArray())
        {
            string[] theirWords = [.. list.EnumerateArray().Select(p => p[0].GetString()!)];
            double[] theirScores = [.. list.EnumerateArray().Select(p => p[1].GetDouble())];
            IReadOnlyList<WordSimilarity> mine = ours[i];
            if (mine.Select(p => p.Word).SequenceEqual(theirWords, StringComparer.Ordinal))
            {
                identical++;
                for (int j = 0; j < theirScores.Length; j++)
                {
                    maxDifference = Math.Max(maxDifference, Math.Abs(mine[j].Similarity - theirScores[j]));
                }
            }
            else
            {
                differences.Add($"#{i}: ours [{string.Join(", ", mine)}] vs gensim [{string.Join(", ", list.EnumerateArray().Select(p => $"{p[0].GetString()}\t{p[1].GetDouble()}"))}]");
            }

            i++;
        }

        return new Dictionary<string, object?>
        {
            ["identical"] = identical,
            ["total"] = i,
            ["max_score_difference_in_identical_lists"] = maxDifference,
            ["differences"] = differences,
        };
    }

    private static List<double> MeasureSingleQueries(WordVectors vectors, string[] stream, int threads, int runs)
    {
        for (int i = 0; i < Math.Min(200, stream.Length); i++)
        {
            vectors.MostSimilar(stream[i], 10, threads: threads); // warm-up: JIT tiers, norms
        }

        var qps = new List<double>();
        var stopwatch = new Stopwatch();
        for (int run = 0; run < runs; run++)
        {
            stopwatch.Restart();
            foreach (string word in stream)
            {
                vectors.MostSimilar(word, 10, threads: threads);
            }

            qps.Add(stream.Length / stopwatch.Elapsed.TotalSeconds);
        }

        return qps;
    }

    private static double? LoadAverage()
    {
        const string LoadAveragePath = "/proc/loadavg";
        return File.Exists(LoadAveragePath)
            ? double.Parse(File.ReadAllText(LoadAveragePath).Split(' ')[0], CultureInfo.InvariantCulture)
            : null;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static Dictionary<string, string> ParseOptions(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal) && i + 1 < args.Length)
            {
                options[args[i][2..]] = args[++i];
            }
        }

        return options;
    }

    private static string FindEvalDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Embeddings.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "eval"));
            }
        }

        return Path.GetFullPath(Path.Combine("..", "shared", "data", "eval"));
    }
}
