using System.Globalization;
using System.Text.Json;
using Embeddings.Core.Formats;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;

namespace Embeddings.Benchmarks;

/// <summary>
/// The PC3 language model beside ../shared/bench/rnn_anchor.py (PyTorch), on the anchor's own id stream and centroids
/// (written by benchmarks/rnn/export_anchor_data.py): frozen 1,500 × 100 centroid embedding → Elman RNN(100, 128) →
/// Linear(128, 1,500) on the last step, cross-entropy, Adam(1e-3), sequences of 5 ids with stride 1.
/// Full batch: the first --full-seqs sequences, --epochs epochs of one step each. Mini-batch: one shuffled epoch of
/// batch --batch over the first --mb-seqs sequences (0 = all). Prints one JSON object per run.
/// dotnet run -c Release -- rnn DATA [--runs full,minibatch] [--full-seqs 250000] [--epochs 20] [--mb-seqs 0] [--batch 512] [--threads 2]
/// </summary>
internal static class RnnRun
{
    public static int Run(string[] args)
    {
        if (args.Length == 0)
        {
            throw new ArgumentException("Usage: rnn DATA [--runs full,minibatch] [--full-seqs 250000] [--epochs 20] [--mb-seqs 0] [--batch 512] [--threads 2]");
        }

        string data = args[0];
        string[] runs = ["full", "minibatch"];
        int fullSequences = 250_000, epochs = 20, miniBatchSequences = 0, batch = 512, threads = 2;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs": runs = args[++i].Split(','); break;
                case "--full-seqs": fullSequences = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--epochs": epochs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--mb-seqs": miniBatchSequences = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--batch": batch = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        int[] ids = ReadIds(Path.Combine(data, "ids.i32"));
        using WordVectors centroids = WordVectorsFile.Load(Path.Combine(data, "centroids.txt"));
        const int Steps = 5;
        foreach (string run in runs)
        {
            bool full = run == "full";
            int sequences = full ? fullSequences : (miniBatchSequences > 0 ? miniBatchSequences : ids.Length - Steps);
            int[] stream = ids[..(sequences + Steps)];
            LanguageModelTrainer trainer = LanguageModel.CreateBuilder()
                .PretrainedEmbedding(centroids)
                .Cell(RecurrentCell.Rnn).HiddenSize(128).SequenceLength(Steps)
                .Adam(1e-3).BatchSize(full ? 0 : batch).Epochs(full ? epochs : 1)
                .Threads(threads).Seed(0)
                .Build();
            var started = DateTime.UtcNow;
            LanguageModel model = trainer.Train(stream);
            double total = (DateTime.UtcNow - started).TotalSeconds;
            var result = new Dictionary<string, object>
            {
                ["tool"] = "embeddings",
                ["run"] = run,
                ["sequences"] = model.Report.TrainingSequences,
                ["threads"] = threads,
                ["epoch_s"] = model.Report.Epochs.Select(e => e.Seconds).ToArray(),
                ["median_epoch_s"] = model.Report.MedianEpochSeconds,
                ["losses"] = model.Report.Epochs.Select(e => e.TrainingLoss).ToArray(),
                ["total_s"] = total,
            };
            if (full)
            {
                result["loss_after_last_step"] = model.Evaluate(stream).Loss;
            }
            else
            {
                result["batch"] = batch;
                result["sequences_per_s"] = model.Report.TrainingSequences / model.Report.Epochs[0].Seconds;
                result["loss_on_first_200k_after_epoch"] = model.Evaluate(ids[..(Math.Min(sequences, 200_000) + Steps)]).Loss;
            }

            Console.WriteLine(JsonSerializer.Serialize(result));
        }

        return 0;
    }

    private static int[] ReadIds(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        var ids = new int[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, ids, 0, ids.Length * 4);
        return ids;
    }
}
