using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Embeddings.Core.CountBased;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
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
            WordPairEvaluation pairs = vectors.EvaluateWordPairs(wordsim);
            Console.WriteLine(Invariant($"WordSim-353 Spearman {pairs.Spearman:F4} over {pairs.PairCount - pairs.OovPairCount} of {pairs.PairCount} pairs (OOV {pairs.OovRatio:F1} %)"));
        }

        foreach (string word in options.GetValueOrDefault("neighbours", "king,queen,man,woman,day,night,god,computer").Split(','))
        {
            if (vectors.Vocabulary.Contains(word))
            {
                Console.WriteLine($"{word}: {string.Join(", ", vectors.MostSimilar(word, 8).Select(n => n.Word))}");
            }
        }

        if (options.TryGetValue("output", out string? output))
        {
            WordVectorsFile.Save(vectors, output, VectorFileFormat.Word2VecText);
        }

        return 0;
    }

    private static IEnumerable<IReadOnlyList<string>> ReadSentences(string path, int maxLines) =>
        LineSource.FromFile(path).ReadLines().Take(maxLines).Select(line => Tokenizer.Whitespace.Tokenize(line.Text));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Records when each stage was last reported (reports arrive on the training thread).</summary>
    private sealed class StageClock : IProgress<PpmiSvdProgress>
    {
        private readonly TimeSpan[] _ends = new TimeSpan[3];

        public void Report(PpmiSvdProgress value) => _ends[(int)value.Stage] = value.Elapsed;

        public double Seconds(PpmiSvdStage stage) =>
            (_ends[(int)stage] - (stage == PpmiSvdStage.Reading ? TimeSpan.Zero : _ends[(int)stage - 1])).TotalSeconds;
    }
}
