using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Options;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>compress</c>: word vectors into a budget of bits a word by any method of <see cref="Compression"/>, written as one
/// native compressed-vectors file (<c>EMCZ</c>) that <c>convert</c> decodes and <c>similar</c> searches directly.
/// </summary>
internal static class CompressCommand
{
    /// <summary>The <c>--method</c> names, in the order of the help.</summary>
    private static readonly Dictionary<string, CompressionMethod> Methods = new(StringComparer.Ordinal)
    {
        ["kmeans"] = CompressionMethod.KMeans,
        ["pq"] = CompressionMethod.ProductQuantization,
        ["autoencoder"] = CompressionMethod.Autoencoder,
        ["binary"] = CompressionMethod.Binary,
        ["scalar8"] = CompressionMethod.Scalar8,
    };

    public static Command Create()
    {
        var vectors = VectorInput.CreateOption();
        var method = new Option<string>("--method")
        {
            Description = "kmeans (a centroid a word, k ≤ 2^bits), pq (bits/8 one-byte subspace codes), autoencoder (bits/8 code values of 8 bits), binary (bits bits, Hamming search) or scalar8 (8 bits a dimension)",
            Required = true,
        };
        method.AcceptOnlyFromAmong([.. Methods.Keys]);
        var bits = new Option<int>("--bits") { Description = "The budget of bits a word; each method fits its code into it (200 = 25 bytes: 16× for 100 float32 dimensions)", Required = true, Validators = { CliOptions.AtLeastOne } };
        var seed = new Option<int>("--seed") { Description = "Seed of every random choice", DefaultValueFactory = _ => 0 };
        var threads = CliOptions.Threads();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the compressed vectors (native, atomic)", Required = true, Validators = { CliOptions.WritableFile } };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var encoding = CliOptions.Encoding();
        var command = new Command("compress", "Compress word vectors into a budget of bits a word (k-means, product quantization, autoencoder, binary codes or 8-bit scalars)")
        {
            vectors, method, bits, seed, threads, output, json, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            string name = parse.GetValue(method)!;
            int budget = parse.GetValue(bits);
            CompressionTrainer trainer = Compression.CreateBuilder()
                .Method(Methods[name]).Bits(budget).Seed(parse.GetValue(seed)).Threads(parse.GetValue(threads))
                .Build();
            using WordVectors loaded = VectorInput.Load(parse.GetValue(vectors)!, "compress", CliOptions.Reading(parse, encoding));
            string path = parse.GetValue(output)!;
            // The words, a code a word, and at most a few float32 tables of the dimensions by the budget (codebooks, a decoder).
            OutputCheck.RequireSpace(new PlannedOutput("--output", path,
                PlannedOutput.VectorBytes(loaded.Vocabulary.Words, 0, text: false) + ((long)loaded.Count * budget / 8) + (8L * loaded.Dimensions * Math.Max(budget, 1024))));
            CompressedVectors compressed;
            try
            {
                compressed = trainer.Train(loaded, cancellationToken: cancellationToken);
            }
            catch (InvalidOptionsException e) when (e.ParamName == "Bits")
            {
                throw new ArgumentException(e.Message.Replace("Bits must", "--bits must", StringComparison.Ordinal).Replace("call Bits(int)", "pass another --bits", StringComparison.Ordinal));
            }

            OutputCheck.WriteMain("--output", path, compressed.Save, compressed.Save, rescued => $"move it to '{path}'");
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["method"] = name,
                    ["bits"] = budget,
                    ["code_bits"] = compressed.CodeBits,
                    ["bytes_per_vector"] = compressed.BytesPerVector,
                    ["ratio"] = compressed.CompressionRatio,
                    ["overall_ratio"] = compressed.OverallCompressionRatio,
                    ["model_bytes"] = compressed.ModelBytes,
                    ["seconds"] = compressed.TrainingSeconds,
                    ["reconstruction_mse"] = compressed.ReconstructionError,
                    ["words"] = loaded.Count,
                    ["dimensions"] = loaded.Dimensions,
                    ["output"] = path,
                }));
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{loaded.Count:N0} words × {loaded.Dimensions} → {name}, {compressed.BytesPerVector:0.###} bytes a word ({compressed.CompressionRatio:0.#}× per vector, {compressed.OverallCompressionRatio:0.##}× with the model), reconstruction MSE {compressed.ReconstructionError:G4}, {compressed.TrainingSeconds:F2} s → {path}"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }
}
