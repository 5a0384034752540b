using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Corpus;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Samples;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>lm-train</c> (a recurrent language model over word vectors, or over k-means clusters with a factorized output)
/// and <c>generate</c> (text from a prompt with a temperature).
/// </summary>
internal static class LanguageModelCommands
{
    public static Command Train()
    {
        var input = new Option<string>("--input", "-i") { Description = "Tokens, whitespace-separated (the output of `preprocess`; plain or gzip, or - for standard input); read as one stream", Required = true };
        var vectors = new Option<string?>("--vectors") { Description = $"Word vectors ({VectorInput.Accepted}): the vocabulary and the frozen embedding of a word-level model (with --quantized: checked to hold the same words)" };
        var quantized = new Option<string?>("--quantized") { Description = "Quantized vectors (from `quantize`): train over clusters with centroid inputs and a factorized word output" };
        var cell = new Option<string>("--cell") { Description = "Recurrent cell", DefaultValueFactory = _ => "rnn" }.AcceptOnlyFromAmong("rnn", "gru", "lstm");
        var hidden = new Option<int>("--hidden") { Description = "Units per recurrent layer", DefaultValueFactory = _ => 128 };
        var layers = new Option<int>("--layers") { Description = "Stacked recurrent layers", DefaultValueFactory = _ => 1 };
        var dropout = new Option<double>("--dropout") { Description = "Dropout between recurrent layers", DefaultValueFactory = _ => 0 };
        var sequenceLength = new Option<int>("--seq-len") { Description = "Tokens per sequence", DefaultValueFactory = _ => 5 };
        var predict = new Option<string>("--predict") { Description = "last: the token after each sequence (PC3); every: the next token at every step", DefaultValueFactory = _ => "last" }.AcceptOnlyFromAmong("last", "every");
        var stride = new Option<int>("--stride") { Description = "Ids between sequence starts", DefaultValueFactory = _ => 1 };
        var epochs = new Option<int>("--epochs") { Description = "Epochs", DefaultValueFactory = _ => 10 };
        var batch = new Option<int>("--batch") { Description = "Sequences per step; 0 = full batch", DefaultValueFactory = _ => 512 };
        var optimizer = new Option<string>("--optimizer") { Description = "Update rule", DefaultValueFactory = _ => "adam" }.AcceptOnlyFromAmong("adam", "adamw", "sgd");
        var learningRate = new Option<double>("--lr") { Description = "Learning rate", DefaultValueFactory = _ => 1e-3 };
        var momentum = new Option<double>("--momentum") { Description = "SGD momentum", DefaultValueFactory = _ => 0 };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "L2 (sgd, adam) or decoupled (adamw; default 0.01) weight decay" };
        var clip = new Option<double>("--clip") { Description = "Clip the gradient's global norm (0: off)", DefaultValueFactory = _ => 0 };
        var validation = new Option<double>("--validation") { Description = "Fraction of the sequences (the end of the stream) held out", DefaultValueFactory = _ => 0 };
        var patience = new Option<int>("--patience") { Description = "Early stopping: epochs without a better validation perplexity (0: off)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, shuffling and dropout", DefaultValueFactory = _ => 1UL };
        var threads = CliOptions.Threads();
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder for a checkpoint every --checkpoint-every epochs and on Ctrl+C, SIGTERM or SIGHUP; with --resume, the resumed folder by default", Validators = { CliOptions.WritableFolder } };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Epochs between checkpoints", DefaultValueFactory = _ => 1, Validators = { CliOptions.AtLeastOne } };
        var resume = new Option<string?>("--resume") { Description = "Go on from this checkpoint (file or folder) with the same settings and input; checkpoints go on in its folder" };
        var overwrite = CheckpointFolder.OverwriteOption();
        var output = new Option<string>("--output", "-o") { Description = "Where to write the model (native, atomic)", Required = true, Validators = { CliOptions.WritableFile } };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var plot = CliOptions.Plot("Also draw the training (and validation) loss of each epoch into this SVG file");
        var encoding = CliOptions.Encoding();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var command = new Command("lm-train", "Train a recurrent language model (RNN, GRU or LSTM) over word vectors or k-means clusters")
        {
            input, vectors, quantized, cell, hidden, layers, dropout, sequenceLength, predict, stride, epochs, batch, optimizer,
            learningRate, momentum, weightDecay, clip, validation, patience, seed, threads, checkpoints, checkpointEvery, resume, overwrite, output, json, plot, encoding, vectorsEncoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            string? vectorsPath = parse.GetValue(vectors), quantizedPath = parse.GetValue(quantized);
            if (vectorsPath is null && quantizedPath is null)
            {
                throw new ArgumentException("Give --vectors (a word-level model), --quantized (a model over clusters), or both (the clusters are checked against the vectors).");
            }

            string? checkpointFolder = CheckpointFolder.Resolve(parse.GetValue(checkpoints), parse.GetValue(resume), LanguageModelTrainer.CheckpointFileName);
            if (checkpointFolder is not null)
            {
                CheckpointFolder.Check(checkpointFolder, LanguageModelTrainer.CheckpointFileName, parse.GetValue(resume), parse.GetValue(overwrite));
            }

            bool asJson = parse.GetValue(json);
            Action<string> writeLine = Console.Error.WriteLine; // the live progress display replaces it while it runs
            double lr = parse.GetValue(learningRate);
            double? decay = parse.GetValue(weightDecay);
            OptimizerOptions rule = parse.GetValue(optimizer) switch
            {
                "sgd" => OptimizerOptions.Sgd(lr, parse.GetValue(momentum), decay ?? 0),
                "adamw" => OptimizerOptions.AdamW(lr, decay ?? 0.01),
                _ => OptimizerOptions.Adam(lr, decay ?? 0),
            };
            void Configure(LanguageModelBuilder builder)
            {
                builder.Cell(parse.GetValue(cell) switch { "gru" => RecurrentCell.Gru, "lstm" => RecurrentCell.Lstm, _ => RecurrentCell.Rnn })
                    .HiddenSize(parse.GetValue(hidden)).Layers(parse.GetValue(layers)).Dropout(parse.GetValue(dropout))
                    .SequenceLength(parse.GetValue(sequenceLength))
                    .Predict(parse.GetValue(predict) == "every" ? SequencePrediction.EveryStep : SequencePrediction.LastStep)
                    .Stride(parse.GetValue(stride)).Epochs(parse.GetValue(epochs)).BatchSize(parse.GetValue(batch)).Optimizer(rule)
                    .ClipGradientNorm(parse.GetValue(clip)).ValidationFraction(parse.GetValue(validation)).EarlyStopping(parse.GetValue(patience))
                    .Seed(parse.GetValue(seed)).Threads(parse.GetValue(threads))
                    .OnEpochEnd(e =>
                    {
                        if (!asJson)
                        {
                            writeLine(string.Create(CultureInfo.InvariantCulture,
                                $"epoch {e.Epoch}: loss {e.TrainingLoss:F4} (perplexity {e.TrainingPerplexity:F1}){(double.IsNaN(e.ValidationLoss) ? "" : $", validation {e.ValidationLoss:F4} (perplexity {e.ValidationPerplexity:F1})")}, {e.Seconds:F1} s"));
                        }
                    });
                if (checkpointFolder is not null)
                {
                    builder.Checkpoints(checkpointFolder, parse.GetValue(checkpointEvery));
                }
            }

            string? resumeFrom = parse.GetValue(resume);
            string path = parse.GetValue(output)!;
            using InputText.RereadableInput text = InputText.OpenRereadable(
                parse.GetValue(input)!, CliOptions.Reading(parse, encoding), InputText.SpoolFolder(path, checkpointFolder), InputText.SpoolName(path), cancellationToken);
            Func<string, string> moveIt = _ => $"move it to '{path}'";
            LanguageModel model;
            long words;
            int ids;
            if (quantizedPath is not null)
            {
                QuantizedVectors clusters = QuantizedVectors.Load(quantizedPath);
                if (vectorsPath is not null)
                {
                    RequireSameWords(clusters, quantizedPath, vectorsPath, CliOptions.Reading(parse, vectorsEncoding));
                    if (!asJson)
                    {
                        Console.Error.WriteLine($"'{quantizedPath}' gives the clusters and their centroids as the model's input; '{vectorsPath}' has the same words and is not needed further.");
                    }
                }

                (words, ids) = CountWords(text, clusters.Vocabulary, cancellationToken);
                QuantizedLanguageModelTrainer trainer = QuantizedLanguageModel.CreateBuilder().Clusters(clusters).Configure(Configure).Build();
                QuantizedLanguageModel trained = CheckpointFolder.Report(checkpointFolder, LanguageModelTrainer.CheckpointFileName, () =>
                    WithProgress(line => writeLine = line, progress => resumeFrom is null
                        ? trainer.Train(ReadWords(text, cancellationToken), progress, cancellationToken)
                        : trainer.Resume(resumeFrom, ReadWords(text, cancellationToken), progress, cancellationToken)));
                OutputCheck.WriteMain("--output", path, trained.Save, trained.Save, moveIt, checkpointFolder);
                model = trained.ClusterModel;
            }
            else
            {
                using WordVectors loaded = VectorInput.Load(vectorsPath!, "lm-train", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding");
                (words, ids) = CountWords(text, loaded.Vocabulary, cancellationToken);
                int[] stream = ReadIds(text, loaded.Vocabulary, ids, cancellationToken);
                LanguageModelBuilder builder = LanguageModel.CreateBuilder().PretrainedEmbedding(loaded);
                Configure(builder);
                LanguageModelTrainer trainer = builder.Build();
                model = CheckpointFolder.Report(checkpointFolder, LanguageModelTrainer.CheckpointFileName, () =>
                    WithProgress(line => writeLine = line, progress => resumeFrom is null
                        ? trainer.Train(stream, progress, cancellationToken)
                        : trainer.Resume(resumeFrom, stream, progress, cancellationToken)));
                OutputCheck.WriteMain("--output", path, model.Save, model.Save, moveIt, checkpointFolder);
            }

            LanguageModelReport report = model.Report;
            if (parse.GetValue(plot) is { } plotPath)
            {
                Charts.SaveLanguageModelLoss(
                    [.. report.Epochs.Select(e => e.TrainingLoss)], report.ValidationSequences > 0 ? [.. report.Epochs.Select(e => e.ValidationLoss)] : null, plotPath);
            }

            if (asJson)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["words"] = words,
                    ["ids"] = ids,
                    ["tokens"] = model.Tokens.Count,
                    ["sequences"] = report.TrainingSequences,
                    ["validation_sequences"] = report.ValidationSequences,
                    ["epochs"] = report.Epochs.Count,
                    ["seconds_per_epoch"] = report.MedianEpochSeconds,
                    ["epoch_seconds"] = report.Epochs.Select(e => e.Seconds).ToArray(),
                    ["loss"] = report.FinalLoss,
                    ["perplexity"] = Math.Exp(report.FinalLoss),
                    ["losses"] = report.Epochs.Select(e => e.TrainingLoss).ToArray(),
                    ["validation_losses"] = report.ValidationSequences > 0 ? report.Epochs.Select(e => e.ValidationLoss).ToArray() : null,
                    ["stopped_early"] = report.StoppedEarly,
                    ["best_epoch"] = report.BestEpoch,
                    ["output"] = path,
                }));
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{report.TrainingSequences:N0} sequences × {report.Epochs.Count} epochs, {report.MedianEpochSeconds:F1} s per epoch, final loss {report.FinalLoss:F4} (perplexity {Math.Exp(report.FinalLoss):F1}) → {path}"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Generate()
    {
        var model = new Option<string>("--model", "-m") { Description = "A model from `lm-train` (word-level or quantized; detected)", Required = true };
        var prompt = new Option<string>("--prompt", "-p") { Description = "The opening words (lower-cased and split on spaces; unknown words are skipped)", Required = true };
        var length = new Option<int>("--length", "-n") { Description = "Tokens to generate", DefaultValueFactory = _ => 15, Validators = { CliOptions.AtLeastOne } };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Sampling temperature; 0 = always the most probable token", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Sample among the k most probable tokens only (0: all)", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 1UL };
        var command = new Command("generate", "Generate text from a prompt with a trained language model")
        {
            model, prompt, length, temperature, topK, seed,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            string path = parse.GetValue(model)!;
            string[] words = parse.GetValue(prompt)!.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var options = new GenerationOptions
            {
                Length = parse.GetValue(length),
                Temperature = parse.GetValue(temperature),
                TopK = parse.GetValue(topK),
                Seed = parse.GetValue(seed),
            };
            IReadOnlyList<string> generated = IsQuantized(path)
                ? QuantizedLanguageModel.Load(path).Generate(words, options)
                : LanguageModel.Load(path).Generate(words, options);
            Console.Out.WriteLine(string.Join(' ', words.Concat(generated)));
            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary>
    /// Runs <paramref name="train"/> under a progress bar on standard error when it is a terminal (epoch, loss,
    /// perplexity, sequences/s); the epoch lines are then written above the bar through <paramref name="redirect"/>.
    /// </summary>
    private static T WithProgress<T>(Action<Action<string>> redirect, Func<IProgress<LanguageModelProgress>?, T> train)
    {
        return ProgressDisplay.Train<LanguageModelProgress, T>(
            train,
            p => (string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} (perplexity {p.Perplexity:F1}) {p.SequencesPerSecond:N0} seq/s"), p.Fraction),
            redirect);
    }

    /// <summary>
    /// The input's tokens one at a time, read afresh on each enumeration with one string per distinct word: the corpus
    /// is never held as a list of words (51 M references for a 200 MB file).
    /// </summary>
    private static IEnumerable<string> ReadWords(InputText.RereadableInput text, CancellationToken cancellationToken)
    {
        var tokens = new SharedTokens();
        var line = new List<string>();
        foreach (TextLine record in text.ReadLines(progress: null, cancellationToken))
        {
            line.Clear();
            tokens.SplitInto(record.Text, line);
            foreach (string word in line)
            {
                yield return word;
            }
        }
    }

    /// <summary>
    /// The first reading: the number of tokens, and of those <paramref name="vocabulary"/> knows (the ids trained on).
    /// </summary>
    /// <exception cref="InvalidDataException">The input holds no words.</exception>
    private static (long Words, int Known) CountWords(InputText.RereadableInput text, Vocabulary vocabulary, CancellationToken cancellationToken)
    {
        long words = 0, known = 0;
        foreach (string word in ReadWords(text, cancellationToken))
        {
            words++;
            if (vocabulary.TryGetId(word, out _))
            {
                known++;
            }
        }

        if (words == 0)
        {
            throw new InvalidDataException($"{text.Description} holds no words: lm-train reads tokens separated by spaces, e.g. the output of preprocess");
        }

        return known <= Array.MaxLength
            ? (words, (int)known)
            : throw new InvalidDataException($"{text.Description} holds {known:N0} words of the vocabulary, more than one stream of ids can hold; train on part of it.");
    }

    /// <summary>
    /// The second reading: the ids of the words <paramref name="vocabulary"/> knows, in an array of exactly their number
    /// (counted by <see cref="CountWords"/>), which the trainer uses as it is: 4 bytes a word, held once.
    /// </summary>
    private static int[] ReadIds(InputText.RereadableInput text, Vocabulary vocabulary, int known, CancellationToken cancellationToken)
    {
        var ids = new int[known];
        int count = 0;
        foreach (string word in ReadWords(text, cancellationToken))
        {
            if (vocabulary.TryGetId(word, out int id))
            {
                if (count == ids.Length)
                {
                    throw new InvalidDataException($"{text.Description} changed while it was read; run again on a file that stays as it is.");
                }

                ids[count++] = id;
            }
        }

        return ids;
    }

    /// <summary>
    /// Checks that the quantized file holds exactly the words of the vectors file, in the same order, so that a user
    /// who passes both knows they belong together.
    /// </summary>
    private static void RequireSameWords(QuantizedVectors clusters, string quantizedPath, string vectorsPath, LineSourceOptions reading)
    {
        using WordVectors vectors = VectorInput.Load(vectorsPath, "lm-train", reading, "--vectors-encoding");
        if (vectors.Count != clusters.Count)
        {
            throw new ArgumentException($"'{quantizedPath}' holds {clusters.Count:N0} words but '{vectorsPath}' holds {vectors.Count:N0}; pass the vectors the clusters were made from.");
        }

        for (int id = 0; id < vectors.Count; id++)
        {
            if (!string.Equals(vectors.Vocabulary[id], clusters.Vocabulary[id], StringComparison.Ordinal))
            {
                throw new ArgumentException($"'{quantizedPath}' and '{vectorsPath}' differ at word {id + 1}: '{clusters.Vocabulary[id]}' against '{vectors.Vocabulary[id]}'; pass the vectors the clusters were made from.");
            }
        }
    }

    /// <summary>Whether the file starts with the quantized language model's magic.</summary>
    private static bool IsQuantized(string path)
    {
        using FileStream stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("EMQL"u8);
    }
}
