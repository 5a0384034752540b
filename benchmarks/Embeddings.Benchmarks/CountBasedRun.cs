using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Embeddings.Core.CountBased;
using Embeddings.Core.Vectors;

namespace Embeddings.Benchmarks;

/// <summary>
/// Trains PPMI-SVD vectors on a corpus (one sentence a line, tokens separated by spaces, plain or gzip) and reports time,
/// memory and WordSim-353 Spearman. Run by hand:
/// <c>countbased --corpus ../shared/data/corpus/en.txt.gz --wordsim ../shared/data/eval/wordsim353.tsv --window 5 --dim 100 --alpha 0.75 --min-count 5 --threads 2</c>.
/// </summary>
/// <remarks>
/// Options: <c>--corpus F</c> (required), <c>--wordsim F</c>, <c>--window N</c> (5), <c>--dim N</c> (100),
/// <c>--alpha A</c> (0.75), <c>--eig P</c> (0.5), <c>--min-count N</c> (5), <c>--threads N</c> (processor count),
/// <c>--seed N</c> (0), <c>--power-iterations N</c> (4), <c>--oversampling N</c> (10),
/// <c>--weighting uniform|inverse-distance|linear</c>, <c>--max-lines N</c>, <c>--neighbours w1,w2,…</c>,
/// <c>--output F</c> (word2vec text vectors).
/// </remarks>
public static class CountBasedRun
{
    /// <summary>Entry point for the <c>countbased</c> subcommand.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>0 on success, 2 on bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"Unexpected argument '{args[i]}'.");
                return 2;
            }

            options[args[i][2..]] = args[i + 1];
        }

        if (!options.TryGetValue("corpus", out string? corpusPath) || !File.Exists(corpusPath))
        {
            Console.Error.WriteLine("countbased --corpus FILE [--wordsim FILE] [--window 5] [--dim 100] [--alpha 0.75] [--eig 0.5] [--min-count 5] [--threads N] [--seed 0] [--power-iterations 4] [--oversampling 10] [--weighting uniform] [--max-lines N] [--neighbours a,b] [--output FILE]");
            return 2;
        }

        int Int(string name, int fallback) => options.TryGetValue(name, out string? v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        double Double(string name, double fallback) => options.TryGetValue(name, out string? v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        WindowWeighting weighting = options.GetValueOrDefault("weighting", "uniform") switch
        {
            "inverse-distance" => WindowWeighting.InverseDistance,
            "linear" => WindowWeighting.Linear,
            _ => WindowWeighting.Uniform,
        };

        PpmiSvd trainer = PpmiSvd.CreateBuilder()
            .WindowSize(Int("window", 5))
            .WindowWeighting(weighting)
            .Dimensions(Int("dim", 100))
            .ContextSmoothing(Double("alpha", 0.75))
            .EigenvalueWeighting(Double("eig", 0.5))
            .MinCount(Int("min-count", 5))
            .Threads(Int("threads", Environment.ProcessorCount))
            .Seed(Int("seed", 0))
            .PowerIterations(Int("power-iterations", 4))
            .Oversampling(Int("oversampling", 10))
            .Build();

        Console.WriteLine($"options: {trainer.Options}");
        var stages = new StageClock();
        PpmiSvdResult result = trainer.Train(ReadSentences(corpusPath, Int("max-lines", int.MaxValue)), stages);
        WordVectors vectors = result.Vectors;

        Console.WriteLine(Invariant($"sentences {result.Sentences:N0}, tokens {result.Tokens:N0}, kept tokens {result.KeptTokens:N0}, words {vectors.Count:N0}"));
        Console.WriteLine(Invariant($"co-occurrence pairs {result.CooccurrencePairs:N0}, positive PPMI entries {result.PpmiEntries:N0}"));
        Console.WriteLine(Invariant($"time: read {stages.Seconds(PpmiSvdStage.Reading):F2} s, count+PPMI {stages.Seconds(PpmiSvdStage.Counting):F2} s, SVD {stages.Seconds(PpmiSvdStage.Factorizing):F2} s, total {result.Elapsed.TotalSeconds:F2} s"));
        Console.WriteLine(Invariant($"singular values: first {result.SingularValues[0]:F2}, last {result.SingularValues[^1]:F2}"));
        using (var process = Process.GetCurrentProcess())
        {
            Console.WriteLine(Invariant($"peak working set {process.PeakWorkingSet64 / (1024.0 * 1024.0):F0} MiB (GC heap now {GC.GetTotalMemory(false) / (1024.0 * 1024.0):F0} MiB)"));
        }

        if (options.TryGetValue("wordsim", out string? wordsim))
        {
            (double spearman, int used, int total) = TemporaryWordPairEvaluation.Spearman(vectors, wordsim);
            Console.WriteLine(Invariant($"WordSim-353 Spearman {spearman:F4} over {used} of {total} pairs (OOV {100.0 * (total - used) / total:F1} %) [temporary evaluation]"));
        }

        foreach (string word in options.GetValueOrDefault("neighbours", "king,queen,man,woman,day,night,god,computer").Split(','))
        {
            Console.WriteLine($"{word}: {TemporaryWordPairEvaluation.Neighbours(vectors, word, 8)}");
        }

        if (options.TryGetValue("output", out string? output))
        {
            WriteText(vectors, output);
        }

        return 0;
    }

    private static IEnumerable<IReadOnlyList<string>> ReadSentences(string path, int maxLines)
    {
        using FileStream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
        int lines = 0;
        while (lines++ < maxLines && reader.ReadLine() is { } line)
        {
            yield return line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
    }

    private static void WriteText(WordVectors vectors, string path)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { NewLine = "\n" };
        writer.WriteLine(Invariant($"{vectors.Count} {vectors.Dimensions}"));
        for (int i = 0; i < vectors.Count; i++)
        {
            writer.Write(vectors.Vocabulary[i]);
            foreach (float value in vectors.GetVector(i))
            {
                writer.Write(' ');
                writer.Write(value.ToString(CultureInfo.InvariantCulture));
            }

            writer.WriteLine();
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records when each stage was last reported (reports arrive on the training thread).</summary>
    private sealed class StageClock : IProgress<PpmiSvdProgress>
    {
        private readonly TimeSpan[] _ends = new TimeSpan[3];

        public void Report(PpmiSvdProgress value) => _ends[(int)value.Stage] = value.Elapsed;

        public double Seconds(PpmiSvdStage stage) =>
            (_ends[(int)stage] - (stage == PpmiSvdStage.Reading ? TimeSpan.Zero : _ends[(int)stage - 1])).TotalSeconds;
    }

    /// <summary>
    /// TEMPORARY: a minimal WordSim-style evaluation for this measurement only, until the official
    /// <c>EvaluateWordPairs</c> (gensim's <c>evaluate_word_pairs</c> semantics) lands; delete it then.
    /// Pairs with a word outside the vocabulary are skipped; words are lowercased; Spearman uses average ranks for ties.
    /// </summary>
    private static class TemporaryWordPairEvaluation
    {
        public static (double Spearman, int Used, int Total) Spearman(WordVectors vectors, string path)
        {
            var model = new List<double>();
            var human = new List<double>();
            int total = 0;
            foreach (string line in File.ReadLines(path))
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                string[] fields = line.Split('\t');
                if (fields.Length < 3)
                {
                    continue;
                }

                total++;
                if (vectors.Vocabulary.TryGetId(fields[0].ToLowerInvariant(), out int a) && vectors.Vocabulary.TryGetId(fields[1].ToLowerInvariant(), out int b))
                {
                    model.Add(Cosine(vectors.GetUnitVector(a), vectors.GetUnitVector(b)));
                    human.Add(double.Parse(fields[2], CultureInfo.InvariantCulture));
                }
            }

            return (Pearson(Ranks(model), Ranks(human)), model.Count, total);
        }

        public static string Neighbours(WordVectors vectors, string word, int count)
        {
            if (!vectors.Vocabulary.TryGetId(word, out int id))
            {
                return "(not in vocabulary)";
            }

            ReadOnlySpan<float> query = vectors.GetUnitVector(id);
            var scores = new (double Score, int Id)[vectors.Count];
            for (int i = 0; i < vectors.Count; i++)
            {
                scores[i] = (i == id ? double.NegativeInfinity : Cosine(query, vectors.GetUnitVector(i)), i);
            }

            Array.Sort(scores, (x, y) => y.Score.CompareTo(x.Score));
            var text = new StringBuilder();
            for (int i = 0; i < count; i++)
            {
                text.Append(CultureInfo.InvariantCulture, $"{vectors.Vocabulary[scores[i].Id]} {scores[i].Score:F3}  ");
            }

            return text.ToString();
        }

        private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

        private static double[] Ranks(List<double> values)
        {
            var order = new int[values.Count];
            for (int i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (x, y) => values[x].CompareTo(values[y]));
            var ranks = new double[values.Count];
            for (int start = 0; start < order.Length;)
            {
                int end = start;
                while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]])
                {
                    end++;
                }

                double rank = ((start + end) / 2.0) + 1;
                for (int k = start; k <= end; k++)
                {
                    ranks[order[k]] = rank;
                }

                start = end + 1;
            }

            return ranks;
        }

        private static double Pearson(double[] x, double[] y)
        {
            double meanX = 0, meanY = 0;
            for (int i = 0; i < x.Length; i++)
            {
                meanX += x[i];
                meanY += y[i];
            }

            meanX /= x.Length;
            meanY /= y.Length;
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sxy += (x[i] - meanX) * (y[i] - meanY);
                sxx += (x[i] - meanX) * (x[i] - meanX);
                syy += (y[i] - meanY) * (y[i] - meanY);
            }

            return sxy / Math.Sqrt(sxx * syy);
        }
    }
}
