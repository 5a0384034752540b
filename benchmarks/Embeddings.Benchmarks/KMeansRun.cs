using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;

namespace Embeddings.Benchmarks;

/// <summary>
/// k-means on word vectors with scikit-learn's settings, one JSON line per (k, seed), for the side-by-side run of
/// <c>benchmarks/kmeans/run.sh</c>:
/// <c>kmeans --vectors sg.txt.gz --k 1500,256 --seeds 0,1,2 --threads 2 [--max-iter 100] [--tol 1e-4] [--init-sample N] [--spherical]</c>.
/// </summary>
public static class KMeansRun
{
    /// <summary>Entry point for the <c>kmeans</c> subcommand.</summary>
    /// <param name="args">The options above.</param>
    /// <returns>0 on success, 2 on bad arguments.</returns>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                Console.Error.WriteLine($"Unexpected argument '{args[i]}'.");
                return 2;
            }

            bool flag = i + 1 == args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal);
            options[args[i][2..]] = flag ? "true" : args[++i];
        }

        if (!options.TryGetValue("vectors", out string? path) || !File.Exists(path))
        {
            Console.Error.WriteLine("kmeans --vectors FILE [--k 1500,256] [--seeds 0,1,2] [--threads 2] [--max-iter 100] [--tol 1e-4] [--init-sample N] [--spherical]");
            return 2;
        }

        int[] List(string name, string fallback) => [.. options.GetValueOrDefault(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))];
        int threads = int.Parse(options.GetValueOrDefault("threads", "2"), CultureInfo.InvariantCulture);
        int maxIterations = int.Parse(options.GetValueOrDefault("max-iter", "100"), CultureInfo.InvariantCulture);
        double tolerance = double.Parse(options.GetValueOrDefault("tol", "1e-4"), CultureInfo.InvariantCulture);
        int? initSample = options.TryGetValue("init-sample", out string? s) ? int.Parse(s, CultureInfo.InvariantCulture) : null;
        bool spherical = options.ContainsKey("spherical");

        using WordVectors vectors = WordVectorsFile.Load(path);
        foreach (int k in List("k", "1500,256"))
        {
            foreach (int seed in List("seeds", "0,1,2"))
            {
                KMeans kmeans = KMeans.CreateBuilder().Clusters(k).Seed(seed).Threads(threads).MaxIterations(maxIterations)
                    .Tolerance(tolerance).InitSampleSize(initSample).Spherical(spherical).Build();
                KMeansResult result = kmeans.Train(vectors);
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["side"] = "dotnet",
                    ["k"] = k,
                    ["seed"] = seed,
                    ["points"] = vectors.Count,
                    ["dimensions"] = vectors.Dimensions,
                    ["threads"] = threads,
                    ["tol"] = tolerance,
                    ["seconds"] = result.Elapsed.TotalSeconds,
                    ["iterations"] = result.Iterations,
                    ["converged"] = result.Converged,
                    ["inertia"] = result.Inertia,
                    ["spherical"] = spherical,
                }));
            }
        }

        return 0;
    }
}
