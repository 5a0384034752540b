using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Compute;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Training;
using Embeddings.Samples;
using Embeddings.Text;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings train</c>: word2vec on a token file (one sentence a line, tokens separated by spaces), or on raw text
/// normalised and tokenized on the fly with the options <c>preprocess</c> has.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Token file, e.g. the output of preprocess (plain or gzip), or - for standard input", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the vectors", Required = true, Validators = { CliOptions.WritableFile } };
        var model = new Option<string>("--model") { Description = "skipgram or cbow", DefaultValueFactory = _ => "skipgram" }.AcceptOnlyFromAmong("skipgram", "cbow");
        var dim = new Option<int>("--dim") { Description = "Vector dimensions", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Largest centre–context distance", DefaultValueFactory = _ => 5 };
        var negative = new Option<int>("--negative") { Description = "Noise words per positive pair", DefaultValueFactory = _ => 5 };
        var minCount = new Option<int>("--min-count") { Description = "Ignore words seen fewer times", DefaultValueFactory = _ => 5 };
        var sample = new Option<double>("--sample") { Description = "Subsampling threshold (0 = off)", DefaultValueFactory = _ => 1e-3 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the corpus", DefaultValueFactory = _ => 5 };
        var alpha = new Option<double?>("--alpha") { Description = "Starting learning rate (default 0.025 for skip-gram, 0.05 for CBOW)" };
        var minAlpha = new Option<double>("--min-alpha") { Description = "Final learning rate", DefaultValueFactory = _ => 1e-4 };
        var nsExponent = new Option<double>("--ns-exponent") { Description = "Exponent of the noise distribution count^x (gensim ns_exponent; fastText uses 0.5)", DefaultValueFactory = _ => 0.75 };
        var threads = CliOptions.Threads();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial vectors and random streams", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format") { Description = "binary, text (word2vec), native, or fasttext (a .bin that the fasttext program and gensim's load_facebook_model read)", DefaultValueFactory = _ => "binary" }
            .AcceptOnlyFromAmong("binary", "text", "native", "fasttext");
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the run's figures instead of text" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Folder for checkpoints (each epoch, every --checkpoint-words, and on Ctrl+C, SIGTERM or SIGHUP); with --resume, the resumed folder by default", Validators = { CliOptions.WritableFolder } };
        var checkpointWords = new Option<long>("--checkpoint-words") { Description = "Also checkpoint every this many corpus words", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue the run checkpointed in this folder (its settings win over the options above); checkpoints go on there" };
        var overwrite = CheckpointFolder.OverwriteOption();
        var saveModel = new Option<string?>("--save-model") { Description = "Also write the whole model (vectors, output vectors, settings, report) to this native file, for --continue", Validators = { CliOptions.WritableFile } };
        var continueFrom = new Option<string?>("--continue") { Description = "Train this saved model further on --input, adding the new words (its settings win)" };
        var objective = new Option<string>("--objective") { Description = "ns (negative sampling, SGD) or softmax (full softmax, AdamW; small vocabularies)", DefaultValueFactory = _ => "ns" }
            .AcceptOnlyFromAmong("ns", "softmax");
        var batch = new Option<int>("--batch") { Description = "Pairs per AdamW step with --objective softmax", DefaultValueFactory = _ => 256 };
        var subwords = CliOptions.Subwords();
        var buckets = new Option<int>("--buckets") { Description = "N-gram hash buckets with --subwords (fastText -bucket)", DefaultValueFactory = _ => 2_000_000, Validators = { CliOptions.AtLeastOne } };
        var device = new Option<string>("--device") { Description = "cpu, opencl, opencl:PLATFORM:DEVICE or best", DefaultValueFactory = _ => "cpu" };
        var plot = CliOptions.Plot("Also draw the loss at every progress report, epoch ends marked, into this SVG file");
        var text = new TextOptions();

        var command = new Command("train", "Train word2vec (skip-gram or CBOW; negative sampling or full softmax) on a token file, or on raw text with preprocess's options")
        {
            input, output, model, dim, window, negative, minCount, sample, epochs, alpha, minAlpha, nsExponent, threads, seed, format, json,
            checkpoint, checkpointWords, resume, overwrite, saveModel, continueFrom, objective, batch, subwords, buckets, device, plot,
        };
        text.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            bool cbow = parse.GetValue(model) == "cbow";
            Word2VecBuilder builder = Word2Vec.CreateBuilder()
                .Dimensions(parse.GetValue(dim)).WindowSize(parse.GetValue(window)).NegativeSamples(parse.GetValue(negative))
                .MinCount(parse.GetValue(minCount)).SubsamplingThreshold(parse.GetValue(sample)).Epochs(parse.GetValue(epochs))
                .LearningRate(parse.GetValue(alpha) ?? (cbow ? 0.05 : 0.025)).MinLearningRate(parse.GetValue(minAlpha))
                .NoiseExponent(parse.GetValue(nsExponent)).Threads(parse.GetValue(threads)).Seed(parse.GetValue(seed));
            builder = cbow ? builder.Cbow() : builder.SkipGram();
            if (parse.GetValue(objective) == "softmax")
            {
                builder.FullSoftmax(parse.GetValue(batch));
            }

            (int minN, int maxN) = parse.GetValue(subwords);
            builder.Subwords(minN, maxN, parse.GetValue(buckets));
            builder.OnDevice(ComputeDevice.Parse(parse.GetValue(device)!));
            string? checkpointFolder = CheckpointFolder.Resolve(parse.GetValue(checkpoint), parse.GetValue(resume), Word2VecCheckpoint.FileName);
            if (checkpointFolder is not null)
            {
                CheckpointFolder.Check(checkpointFolder, Word2VecCheckpoint.FileName, parse.GetValue(resume), parse.GetValue(overwrite));
                builder.Checkpoints(checkpointFolder, parse.GetValue(checkpointWords));
            }

            Word2VecCheckpoint? resumeFrom = parse.GetValue(resume) is { } resumeFolder ? Word2VecCheckpoint.Load(resumeFolder) : null;
            Word2VecModel? continued = parse.GetValue(continueFrom) is { } modelFile ? Word2VecModel.Load(modelFile) : null;
            if ((resumeFrom?.Options ?? continued?.Options) is { } saved)
            {
                builder.WithOptions(saved with { Threads = parse.GetValue(threads) });
            }

            Word2VecTrainer trainer = builder.Build();
            VectorFileFormat fileFormat = parse.GetValue(format) switch
            {
                "text" => VectorFileFormat.Word2VecText,
                "native" => VectorFileFormat.Native,
                "fasttext" => VectorFileFormat.FastTextBinary,
                _ => VectorFileFormat.Word2VecBinary,
            };

            // The corpus as lines of space-separated tokens: the file's lines as they are, or raw text through the
            // options of preprocess, applied on the fly on each pass (so a raw corpus trains exactly as its preprocessed
            // file would).
            using InputText.RereadableInput source = InputText.OpenRereadable(
                parse.GetValue(input)!, text.Reading(parse), InputText.SpoolFolder(parse.GetValue(output)!, checkpointFolder), InputText.SpoolName(parse.GetValue(output)!), cancellationToken);
            TextPipeline? pipeline = text.ChangeText(parse) ? text.BuildPipeline(parse) : null;
            IEnumerable<string> ReadTokenLines(IProgress<ReadProgress>? progress)
            {
                IEnumerable<string> lines = source.ReadLines(progress, cancellationToken).Select(line => line.Text);
                return pipeline is null
                    ? lines
                    : text.Tokenize(parse, pipeline, lines, recordsAreParagraphs: false, parse.GetValue(threads), cancellationToken)
                        .Select(tokens => string.Join(' ', tokens));
            }

            var outputs = new Outputs(parse.GetValue(output)!, fileFormat, parse.GetValue(saveModel), parse.GetValue(plot), checkpointFolder);
            if (continued is not null)
            {
                return ContinueTraining(trainer, continued, ReadTokenLines, outputs, cancellationToken);
            }

            // 1. Vocabulary and encoded corpus: two streaming passes over the token file.
            var vocabularyClock = Stopwatch.StartNew();
            // Tokens are read as spans: only a word's first occurrence becomes a string, which keeps memory low.
            long corpusWords = 0; // every token of the file, as gensim's corpus_total_words counts them
            Vocabulary vocabulary = resumeFrom?.Vocabulary ?? ProgressDisplay.Run("vocabulary", progress =>
            {
                var counter = new VocabularyCounter();
                foreach (string line in ReadTokenLines(progress))
                {
                    counter.AddWords(line);
                }

                corpusWords = counter.Tokens;
                return counter.ToVocabulary(trainer.Options.MinCount, trainer.Options.MaxVocabularySize);
            });
            if (resumeFrom is null && corpusWords == 0)
            {
                throw new InvalidDataException($"{source.Description} holds no words: train reads tokens separated by spaces, e.g. the output of preprocess");
            }

            outputs.RequireSpace(vocabulary, trainer.Options);

            // The encoded corpus streams from a temporary file, chunk by chunk, as gensim streams its text: memory stays
            // at the two weight matrices plus the vocabulary, whatever the corpus size. It lives beside the checkpoint
            // (or the output), not in /tmp, is deleted however the run ends, and one a killed run left is removed here.
            string outputPath = Path.GetFullPath(parse.GetValue(output)!);
            string corpusFolder = InputText.SpoolFolder(outputPath, checkpointFolder);
            string corpusName = Path.GetFileName(outputPath) + ".corpus";
            TemporaryFile.RemoveStale(corpusFolder, corpusName);
            string corpusFile = TemporaryFile.PathFor(Path.Combine(corpusFolder, corpusName));
            using var deleteCorpus = new DeleteOnDispose(corpusFile);
            EncodedCorpus corpus = ProgressDisplay.Run("encode", progress =>
            {
                IEnumerable<string> lines = ReadTokenLines(progress);
                if (resumeFrom is not null)
                {
                    // The vocabulary came from the checkpoint, so this pass is the one that sees every token of the text.
                    lines = lines.Select(line =>
                    {
                        corpusWords += CountTokens(line);
                        return line;
                    });
                }

                return EncodedCorpusFile.Write(corpusFile, lines, vocabulary, trainer.Options.MaxSentenceLength, cancellationToken);
            });
            TimeSpan vocabularyTime = vocabularyClock.Elapsed;

            // 2. Training, with a progress bar on a terminal.
            Word2VecModel trained = CheckpointFolder.Report(checkpointFolder, Word2VecCheckpoint.FileName,
                () => RunWithProgress(trainer, vocabulary, corpus, resumeFrom, cancellationToken));
            outputs.Write(trained);

            // Words per second of this process only: a resumed run is credited with the words after its checkpoint, and
            // with every token of the text (as gensim counts), not only the kept ones the trainer saw.
            TrainingReport report = trained.Report;
            double epochsThisRun = report.CorpusWords == 0 ? 0 : (double)report.WordsTrained / report.CorpusWords;
            double wordsPerSecond = corpusWords * epochsThisRun / Math.Max(report.TrainingTime.TotalSeconds, 1e-9);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = parse.GetValue(model),
                    vocabulary = vocabulary.Count,
                    corpus_words = corpusWords,
                    trained_words = report.CorpusWords,
                    epochs = report.Epochs,
                    resumed = resumeFrom is not null,
                    epochs_this_run = epochsThisRun,
                    words_per_second = wordsPerSecond,
                    train_seconds = report.TrainingTime.TotalSeconds,
                    vocab_seconds = vocabularyTime.TotalSeconds,
                    loss = report.EpochLosses[^1],
                    epoch_losses = report.EpochLosses,
                }));
            }
            else
            {
                string epochs = resumeFrom is null ? $"{report.Epochs}" : string.Create(CultureInfo.InvariantCulture, $"{epochsThisRun:0.##} of {report.Epochs}");
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained {vocabulary.Count:N0} words × {trainer.Options.Dimensions} on {corpusWords:N0} words ({report.CorpusWords:N0} kept) × {epochs} epochs in {report.TrainingTime.TotalSeconds:F1} s: {wordsPerSecond:N0} words/s, final loss {report.EpochLosses[^1]:F4}"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary><c>--continue</c>: the saved model learns the new file's words and trains on it (gensim's <c>build_vocab(update=True)</c>).</summary>
    private static int ContinueTraining(
        Word2VecTrainer trainer, Word2VecModel model, Func<IProgress<ReadProgress>?, IEnumerable<string>> readTokenLines, Outputs outputs,
        CancellationToken cancellationToken)
    {
        List<IReadOnlyList<string>> sentences = ProgressDisplay.Run("read", progress =>
            readTokenLines(progress).Select(line => (IReadOnlyList<string>)line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList());
        outputs.RequireSpace(model.Vectors.Vocabulary, model.Options);
        Word2VecModel trained = trainer.ContinueTraining(model, sentences, cancellationToken: cancellationToken);
        outputs.Write(trained);

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"continued: {model.Vectors.Count:N0} → {trained.Vectors.Count:N0} words, {trained.Report.Epochs} epochs in {trained.Report.TrainingTime.TotalSeconds:F1} s, final loss {trained.Report.EpochLosses[^1]:F4}"));
        return CommandRunner.Success;
    }

    /// <summary>Tokens of a line of the token file, separated by white space (as <see cref="VocabularyCounter"/> splits them, for the spaces text holds).</summary>
    private static int CountTokens(string line)
    {
        int count = 0;
        bool inToken = false;
        foreach (char c in line)
        {
            bool space = char.IsWhiteSpace(c);
            if (!space && !inToken)
            {
                count++;
            }

            inToken = !space;
        }

        return count;
    }

    /// <summary>
    /// What train writes, main result first: the vectors (--output), then the whole model (--save-model), then the
    /// chart (--plot), so that a failure at a secondary output never costs the vectors. A failed write saves the model
    /// elsewhere and says where (<see cref="OutputCheck.WriteMain"/>).
    /// </summary>
    private sealed record Outputs(string Vectors, VectorFileFormat Format, string? Model, string? Plot, string? CheckpointFolder)
    {
        /// <summary>Fails before training when a folder lacks room for the vectors, the model and the checkpoint (the current one and the next, written beside it).</summary>
        public void RequireSpace(Vocabulary vocabulary, Word2VecOptions options)
        {
            int dimensions = options.Dimensions;
            // A subword model adds its n-gram rows to the model and the checkpoint (and to the vectors in native format).
            long ngramBytes = options.MaxN > 0 ? (long)options.Buckets * dimensions * sizeof(float) : 0;
            long vectors = PlannedOutput.VectorBytes(vocabulary.Words, dimensions, Format == VectorFileFormat.Word2VecText)
                + (Format == VectorFileFormat.Native ? ngramBytes : 0);
            long model = 2 * PlannedOutput.VectorBytes(vocabulary.Words, dimensions, text: false) + ngramBytes;
            OutputCheck.RequireSpace(
                new PlannedOutput("--output", Vectors, vectors),
                new PlannedOutput("--save-model", Model, model),
                new PlannedOutput("--checkpoint", CheckpointFolder is null ? null : Path.Combine(CheckpointFolder, Word2VecCheckpoint.FileName), 2 * model));
        }

        /// <summary>
        /// The vectors in --format. With subwords, text and binary hold the vocabulary's composed vectors (what fastText's
        /// .vec holds) and native keeps the n-gram rows too (a subword vectors file, which the query commands map and
        /// ask about any word); fasttext writes fastText's .bin with the n-gram rows, output rows and settings.
        /// </summary>
        private void SaveVectors(Word2VecModel trained, string path)
        {
            if (Format == VectorFileFormat.FastTextBinary)
            {
                trained.SaveFastText(path);
                return;
            }

            if (trained.Subwords is not null && Format == VectorFileFormat.Native)
            {
                trained.Subwords.Save(path);
                return;
            }

            WordVectorsFile.Save(trained.Vectors, path, Format);
        }

        public void Write(Word2VecModel trained)
        {
            string formatName = Format switch
            {
                VectorFileFormat.Word2VecText => "text",
                VectorFileFormat.Native => "native",
                VectorFileFormat.FastTextBinary => "fasttext",
                _ => "binary",
            };
            OutputCheck.WriteMain(
                "--output", Vectors, path => SaveVectors(trained, path), trained.Save,
                rescued => $"the whole model, which `embeddings convert --input '{rescued}' --output '{Vectors}' --format {formatName}` turns into the vectors",
                CheckpointFolder);
            if (Model is not null)
            {
                OutputCheck.WriteMain("--save-model", Model, trained.Save, trained.Save, _ => $"move it to '{Model}'", CheckpointFolder);
            }

            if (Plot is not null)
            {
                Charts.SaveTrainingLoss(trained.Report.ProgressHistory, trained.Report.EpochLosses, Plot);
            }
        }
    }

    private sealed class DeleteOnDispose(string path) : IDisposable
    {
        public void Dispose() => File.Delete(path);
    }

    private static Word2VecModel RunWithProgress(
        Word2VecTrainer trainer, Vocabulary vocabulary, EncodedCorpus corpus, Word2VecCheckpoint? resumeFrom, CancellationToken cancellationToken)
    {
        Word2VecModel Train(IProgress<Word2VecProgress>? progress) => resumeFrom is null
            ? trainer.Train(vocabulary, corpus, progress, cancellationToken)
            : trainer.Resume(resumeFrom, corpus, progress, cancellationToken);

        return ProgressDisplay.Train<Word2VecProgress, Word2VecModel>(Train, p =>
            (string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} {p.WordsPerSecond:N0} w/s"), p.Fraction));
    }
}
