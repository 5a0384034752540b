using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>quantize</c> (k-means: every word → one of k centroids, written as a native quantized-vectors file) and
/// <c>pq</c> (product quantization: m one-byte codes per word, with recall@10 against exact search).
/// </summary>
internal static class QuantizeCommands
{
    public static Command Quantize()
    {
        var vectors = VectorInput.CreateOption();
        var clusters = new Option<int>("--clusters", "-k") { Description = "Number of clusters k", DefaultValueFactory = _ => 1500, Validators = { CliOptions.AtLeastOne } };
        var spherical = new Option<bool>("--spherical") { Description = "Cluster by cosine (unit vectors and centroids)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the k-means++ initialisation", DefaultValueFactory = _ => 0 };
        var maxIterations = new Option<int>("--max-iterations") { Description = "Most Lloyd iterations", DefaultValueFactory = _ => 300 };
        var miniBatch = new Option<int?>("--mini-batch") { Description = "Use mini-batch k-means with batches of this size" };
        var threads = CliOptions.Threads();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the quantized vectors (native, atomic)", Required = true, Validators = { CliOptions.WritableFile } };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var encoding = CliOptions.Encoding();
        var command = new Command("quantize", "k-means over word vectors: every word keeps its place and maps to one of k centroids")
        {
            vectors, clusters, spherical, seed, maxIterations, miniBatch, threads, output, json, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            KMeans kmeans = KMeans.CreateBuilder()
                .Clusters(parse.GetValue(clusters)).Spherical(parse.GetValue(spherical)).Seed(parse.GetValue(seed))
                .MaxIterations(parse.GetValue(maxIterations)).MiniBatch(parse.GetValue(miniBatch)).Threads(parse.GetValue(threads))
                .Build();
            using WordVectors loaded = VectorInput.Load(parse.GetValue(vectors)!, "quantize", CliOptions.Reading(parse, encoding));
            string path = parse.GetValue(output)!;
            // A cluster id a word, the centroids, the words.
            OutputCheck.RequireSpace(new PlannedOutput("--output", path,
                PlannedOutput.VectorBytes(loaded.Vocabulary.Words, 1, text: false) + (long)kmeans.Options.Clusters * loaded.Dimensions * 4));
            KMeansResult result = kmeans.Train(loaded, cancellationToken: cancellationToken);
            QuantizedVectors quantized = QuantizedVectors.Create(loaded, result);
            OutputCheck.WriteMain("--output", path, quantized.Save, quantized.Save, _ => $"move it to '{path}'");
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["seconds"] = result.Elapsed.TotalSeconds,
                    ["inertia"] = result.Inertia,
                    ["iterations"] = result.Iterations,
                    ["converged"] = result.Converged,
                    ["clusters"] = result.Clusters,
                    ["words"] = loaded.Count,
                    ["dimensions"] = loaded.Dimensions,
                    ["compression_ratio"] = quantized.CompressionRatio,
                    ["output"] = path,
                }));
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{loaded.Count:N0} words → {result.Clusters:N0} clusters in {result.Iterations} iterations ({(result.Converged ? "converged" : "not converged")}), inertia {result.Inertia:F3}, {result.Elapsed.TotalSeconds:F2} s → {path}"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command ProductQuantize()
    {
        var vectors = VectorInput.CreateOption();
        var subspaces = new Option<int>("--subspaces", "-m") { Description = "Subspaces m: bytes per word", DefaultValueFactory = _ => 50 };
        var seed = new Option<int>("--seed") { Description = "Seed of the codebooks' k-means", DefaultValueFactory = _ => 0 };
        var threads = CliOptions.Threads();
        var recallQueries = new Option<int>("--recall-queries") { Description = "Query words for recall@10 against exact search (0: skip)", DefaultValueFactory = _ => 1000 };
        var analogies = new Option<string?>("--analogies") { Description = "Also report analogy accuracy of the exact and the decoded vectors (questions-words.txt format)" };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the codes (native, atomic)", Required = true, Validators = { CliOptions.WritableFile } };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var encoding = CliOptions.Encoding();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var command = new Command("pq", "Product quantization: m one-byte codes per word, searched with asymmetric distance tables")
        {
            vectors, subspaces, seed, threads, recallQueries, analogies, output, json, encoding, vectorsEncoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            using WordVectors loaded = VectorInput.Load(parse.GetValue(vectors)!, "pq", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding");
            ProductQuantizerTrainer trainer = ProductQuantizer.CreateBuilder()
                .Subspaces(parse.GetValue(subspaces)).Seed(parse.GetValue(seed)).Threads(parse.GetValue(threads))
                .Build();
            string path = parse.GetValue(output)!;
            // A byte a subspace for each word, 256 centroids a subspace, the words.
            OutputCheck.RequireSpace(new PlannedOutput("--output", path,
                PlannedOutput.VectorBytes(loaded.Vocabulary.Words, 0, text: false) + ((long)loaded.Count * trainer.Options.Subspaces) + (256L * loaded.Dimensions * 4)));
            var clock = Stopwatch.StartNew();
            ProductQuantizedVectors pq = trainer.Train(loaded, cancellationToken: cancellationToken);
            double seconds = clock.Elapsed.TotalSeconds;
            OutputCheck.WriteMain("--output", path, pq.Save, pq.Save, _ => $"move it to '{path}'");
            int queries = parse.GetValue(recallQueries);
            double? recall = queries > 0 ? pq.MeasureRecall(loaded, queries) : null;
            double? exactAccuracy = null, decodedAccuracy = null;
            if (parse.GetValue(analogies) is { } questions)
            {
                LineSourceOptions reading = CliOptions.Reading(parse, encoding);
                double Accuracy(WordVectors vectors)
                {
                    using TextReader reader = InputText.OpenEvaluationSet(questions, reading);
                    return vectors.EvaluateAnalogies(reader, threads: parse.GetValue(threads), sourceName: questions, cancellationToken: cancellationToken).Accuracy;
                }

                exactAccuracy = Accuracy(loaded);
                using WordVectors decoded = pq.ToWordVectors();
                decodedAccuracy = Accuracy(decoded);
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["seconds"] = seconds,
                    ["subspaces"] = trainer.Options.Subspaces,
                    ["words"] = loaded.Count,
                    ["dimensions"] = loaded.Dimensions,
                    ["code_compression_ratio"] = pq.CodeCompressionRatio,
                    ["compression_ratio"] = pq.CompressionRatio,
                    ["recall_at_10"] = recall,
                    ["recall_queries"] = queries > 0 ? Math.Min(queries, loaded.Count) : null,
                    ["analogy_accuracy_exact"] = exactAccuracy,
                    ["analogy_accuracy_decoded"] = decodedAccuracy,
                    ["output"] = path,
                }));
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{loaded.Count:N0} words × {loaded.Dimensions} → {trainer.Options.Subspaces} bytes each ({pq.CodeCompressionRatio:F1}× per vector, {pq.CompressionRatio:F2}× with codebooks) in {seconds:F2} s → {path}"));
                if (recall is { } r)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recall@10 against exact search: {r:F3} on {Math.Min(queries, loaded.Count)} queries"));
                }

                if (exactAccuracy is { } e && decodedAccuracy is { } d)
                {
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"analogy accuracy: exact {e:P2}, decoded {d:P2} (drop {e - d:P2})"));
                }
            }

            return CommandRunner.Success;
        }));
        return command;
    }
}
