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
using Spectre.Console;

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
        var output = new Option<string>("--output", "-o") { Description = "Where to write the vectors", Required = true, Validators = { CliOptions.FolderMustExist } };
        var model = new Option<string>("--model") { Description = "skipgram or cbow", DefaultValueFactory = _ => "skipgram" }.AcceptOnlyFromAmong("skipgram", "cbow");
        var dim = new Option<int>("--dim") { Description = "Vector dimensions", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Largest centre–context distance", DefaultValueFactory = _ => 5 };
        var negative = new Option<int>("--negative") { Description = "Noise words per positive pair", DefaultValueFactory = _ => 5 };
        var minCount = new Option<int>("--min-count") { Description = "Ignore words seen fewer times", DefaultValueFactory = _ => 5 };
        var sample = new Option<double>("--sample") { Description = "Subsampling threshold (0 = off)", DefaultValueFactory = _ => 1e-3 };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the corpus", DefaultValueFactory = _ => 5 };
        var alpha = new Option<double?>("--alpha") { Description = "Starting learning rate (default 0.025 for skip-gram, 0.05 for CBOW)" };
        var minAlpha = new Option<double>("--min-alpha") { Description = "Final learning rate", DefaultValueFactory = _ => 1e-4 };
        var threads = CliOptions.Threads();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial vectors and random streams", DefaultValueFactory = _ => 1 };
        var format = new Option<string>("--format") { Description = "binary, text (word2vec) or native", DefaultValueFactory = _ => "binary" }
            .AcceptOnlyFromAmong("binary", "text", "native");
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the run's figures instead of text" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Folder for checkpoints (each epoch, every --checkpoint-words, and on Ctrl+C, SIGTERM or SIGHUP); with --resume, the resumed folder by default" };
        var checkpointWords = new Option<long>("--checkpoint-words") { Description = "Also checkpoint every this many corpus words", DefaultValueFactory = _ => 0 };
        var resume = new Option<string?>("--resume") { Description = "Continue the run checkpointed in this folder (its settings win over the options above); checkpoints go on there" };
        var overwrite = CheckpointFolder.OverwriteOption();
        var saveModel = new Option<string?>("--save-model") { Description = "Also write the whole model (vectors, output vectors, settings, report) to this native file, for --continue", Validators = { CliOptions.FolderMustExist } };
        var continueFrom = new Option<string?>("--continue") { Description = "Train this saved model further on --input, adding the new words (its settings win)" };
        var objective = new Option<string>("--objective") { Description = "ns (negative sampling, SGD) or softmax (full softmax, AdamW; small vocabularies)", DefaultValueFactory = _ => "ns" }
            .AcceptOnlyFromAmong("ns", "softmax");
        var batch = new Option<int>("--batch") { Description = "Pairs per AdamW step with --objective softmax", DefaultValueFactory = _ => 256 };
        var device = new Option<string>("--device") { Description = "cpu, opencl, opencl:PLATFORM:DEVICE or best", DefaultValueFactory = _ => "cpu" };
        var plot = CliOptions.Plot("Also draw the loss at every progress report, epoch ends marked, into this SVG file");
        var text = new TextOptions();

        var command = new Command("train", "Train word2vec (skip-gram or CBOW; negative sampling or full softmax) on a token file, or on raw text with preprocess's options")
        {
            input, output, model, dim, window, negative, minCount, sample, epochs, alpha, minAlpha, threads, seed, format, json,
            checkpoint, checkpointWords, resume, overwrite, saveModel, continueFrom, objective, batch, device, plot,
        };
        text.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            bool cbow = parse.GetValue(model) == "cbow";
            Word2VecBuilder builder = Word2Vec.CreateBuilder()
                .Dimensions(parse.GetValue(dim)).WindowSize(parse.GetValue(window)).NegativeSamples(parse.GetValue(negative))
                .MinCount(parse.GetValue(minCount)).SubsamplingThreshold(parse.GetValue(sample)).Epochs(parse.GetValue(epochs))
                .LearningRate(parse.GetValue(alpha) ?? (cbow ? 0.05 : 0.025)).MinLearningRate(parse.GetValue(minAlpha))
                .Threads(parse.GetValue(threads)).Seed(parse.GetValue(seed));
            builder = cbow ? builder.Cbow() : builder.SkipGram();
            if (parse.GetValue(objective) == "softmax")
            {
                builder.FullSoftmax(parse.GetValue(batch));
            }

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
                _ => VectorFileFormat.Word2VecBinary,
            };

            // The corpus as lines of space-separated tokens: the file's lines as they are, or raw text through the
            // options of preprocess, applied on the fly on each pass (so a raw corpus trains exactly as its preprocessed
            // file would).
            LineSource source = InputText.OpenRereadable(parse.GetValue(input)!);
            TextPipeline? pipeline = text.ChangeText(parse) ? text.BuildPipeline(parse) : null;
            IEnumerable<string> ReadTokenLines(IProgress<ReadProgress>? progress)
            {
                IEnumerable<string> lines = source.ReadLines(progress, cancellationToken).Select(line => line.Text);
                return pipeline is null
                    ? lines
                    : text.Tokenize(parse, pipeline, lines, recordsAreParagraphs: false, parse.GetValue(threads), cancellationToken)
                        .Select(tokens => string.Join(' ', tokens));
            }

            if (continued is not null)
            {
                return ContinueTraining(
                    trainer, continued, ReadTokenLines, parse.GetValue(output)!, fileFormat, parse.GetValue(saveModel), parse.GetValue(plot), cancellationToken);
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
                throw new InvalidDataException($"{InputText.Describe(source)} holds no words: train reads tokens separated by spaces, e.g. the output of preprocess");
            }

            // The encoded corpus streams from a temporary file, chunk by chunk, as gensim streams its text: memory stays
            // at the two weight matrices plus the vocabulary, whatever the corpus size. It lives beside the checkpoint
            // (or the output), not in /tmp, is deleted however the run ends, and one a killed run left is removed here.
            string outputPath = Path.GetFullPath(parse.GetValue(output)!);
            string corpusFolder = checkpointFolder ?? Path.GetDirectoryName(outputPath)!;
            string corpusName = Path.GetFileName(outputPath) + ".corpus";
            TemporaryFile.RemoveStale(corpusFolder, corpusName);
            string corpusFile = TemporaryFile.PathFor(Path.Combine(corpusFolder, corpusName));
            using var deleteCorpus = new DeleteOnDispose(corpusFile);
            EncodedCorpus corpus = ProgressDisplay.Run("encode", progress =>
                EncodedCorpusFile.Write(corpusFile, ReadTokenLines(progress), vocabulary,
                    trainer.Options.MaxSentenceLength, cancellationToken));
            TimeSpan vocabularyTime = vocabularyClock.Elapsed;

            // 2. Training, with a progress bar on a terminal.
            Word2VecModel trained = CheckpointFolder.Report(checkpointFolder, Word2VecCheckpoint.FileName,
                () => RunWithProgress(trainer, vocabulary, corpus, resumeFrom, cancellationToken));
            DrawLoss(trained.Report, parse.GetValue(plot));
            WordVectorsFile.Save(trained.Vectors, parse.GetValue(output)!, fileFormat);
            if (parse.GetValue(saveModel) is { } modelPath)
            {
                trained.Save(modelPath);
            }

            TrainingReport report = trained.Report;
            if (corpusWords == 0)
            {
                corpusWords = report.CorpusWords; // resumed: the file was not counted again, so use the words kept
            }

            double wordsPerSecond = corpusWords * report.Epochs / Math.Max(report.TrainingTime.TotalSeconds, 1e-9);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = parse.GetValue(model),
                    vocabulary = vocabulary.Count,
                    corpus_words = corpusWords,
                    trained_words = report.CorpusWords,
                    epochs = report.Epochs,
                    words_per_second = wordsPerSecond,
                    train_seconds = report.TrainingTime.TotalSeconds,
                    vocab_seconds = vocabularyTime.TotalSeconds,
                    loss = report.EpochLosses[^1],
                    epoch_losses = report.EpochLosses,
                }));
            }
            else
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"trained {vocabulary.Count:N0} words × {trainer.Options.Dimensions} on {corpusWords:N0} words × {report.Epochs} epochs in {report.TrainingTime.TotalSeconds:F1} s: {wordsPerSecond:N0} words/s, final loss {report.EpochLosses[^1]:F4}"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary><c>--continue</c>: the saved model learns the new file's words and trains on it (gensim's <c>build_vocab(update=True)</c>).</summary>
    private static int ContinueTraining(
        Word2VecTrainer trainer, Word2VecModel model, Func<IProgress<ReadProgress>?, IEnumerable<string>> readTokenLines, string output,
        VectorFileFormat format, string? saveModel, string? plot, CancellationToken cancellationToken)
    {
        List<IReadOnlyList<string>> sentences = ProgressDisplay.Run("read", progress =>
            readTokenLines(progress).Select(line => (IReadOnlyList<string>)line.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList());
        Word2VecModel trained = trainer.ContinueTraining(model, sentences, cancellationToken: cancellationToken);
        DrawLoss(trained.Report, plot);
        WordVectorsFile.Save(trained.Vectors, output, format);
        if (saveModel is not null)
        {
            trained.Save(saveModel);
        }

        Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"continued: {model.Vectors.Count:N0} → {trained.Vectors.Count:N0} words, {trained.Report.Epochs} epochs in {trained.Report.TrainingTime.TotalSeconds:F1} s, final loss {trained.Report.EpochLosses[^1]:F4}"));
        return CommandRunner.Success;
    }

    /// <summary><c>--plot</c>: the loss at every progress report of the run, each epoch's mean marked at its end.</summary>
    private static void DrawLoss(TrainingReport report, string? plot)
    {
        if (plot is not null)
        {
            Charts.SaveTrainingLoss(report.ProgressHistory, report.EpochLosses, plot);
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

        if (!ProgressDisplay.IsInteractive)
        {
            return Train(null);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("train", maxValue: 1);
                var progress = new Progress<Word2VecProgress>(p =>
                {
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} {p.WordsPerSecond:N0} w/s");
                    task.Value = p.Fraction;
                });
                return Train(progress);
            });
    }
}
