using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Classification;
using Embeddings.Core.IO;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings classify train|test|predict</c>: text classification with fastText's verbs. The input is fastText's
/// format (<c>__label__X text…</c>, one example a line) or a CSV/TSV file with a text and a label column; the text
/// options (lowercase, tokenizer, stopwords…) are recorded in the model, so <c>test</c> and <c>predict</c> process text
/// exactly as training did.
/// </summary>
internal static class ClassifyCommands
{
    private static readonly JsonSerializerOptions SnakeCase = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create() => new("classify", "Text classification as fastText does it: train a classifier on labelled text, test it, predict labels")
    {
        Train(),
        Test(),
        Predict(),
    };

    private static Command Train()
    {
        var input = new Option<string>("--input", "-i") { Description = "Labelled text: fastText's format (__label__X text…, plain or gzip), or a .csv/.tsv file (plain or .gz) with --text-column and --label-column", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the model (native, checksummed)", Required = true, Validators = { CliOptions.WritableFile } };
        var model = new Option<string>("--model") { Description = "fasttext (averaged word and n-gram embeddings, linear output), mlp (bag of embeddings, hidden layers), or a recurrent network: rnn, gru or lstm", DefaultValueFactory = _ => "fasttext" }
            .AcceptOnlyFromAmong("fasttext", "mlp", "rnn", "gru", "lstm");
        var vectors = new Option<string?>("--vectors") { Description = $"Pretrained word vectors to start the embeddings from ({VectorInput.Accepted})" };
        var freeze = new Option<bool>("--freeze") { Description = "Keep the --vectors fixed instead of fine-tuning them" };
        var dim = new Option<int?>("--dim") { Description = "Embedding dimensions (default 100, or the --vectors' dimensions)" };
        var epochs = new Option<int>("--epochs") { Description = "Passes over the training examples", DefaultValueFactory = _ => 5 };
        var lr = new Option<double?>("--lr") { Description = "Starting learning rate (default 0.1 for fasttext, decaying linearly; 0.001 for the networks' Adam)" };
        var wordNgrams = new Option<int>("--word-ngrams") { Description = "Longest word n-gram used as a feature (fastText's -wordNgrams)", DefaultValueFactory = _ => 1 };
        var buckets = new Option<int>("--buckets") { Description = "Hash buckets of the word n-grams with --word-ngrams 2 or more (fastText's -bucket); each takes a --dim row of the model", DefaultValueFactory = _ => 2_000_000 };
        var loss = new Option<string>("--loss") { Description = "softmax, ns (negative sampling), hs (hierarchical softmax) or ova (one-vs-all, for several labels an example)", DefaultValueFactory = _ => "softmax" }
            .AcceptOnlyFromAmong("softmax", "ns", "hs", "ova");
        var minCount = new Option<int>("--min-count") { Description = "Ignore words seen fewer times", DefaultValueFactory = _ => 1 };
        var validation = new Option<double>("--validation") { Description = "Share of the examples held out (stratified by label, seeded) to pick the best epoch and tune --positive-label's threshold; 0 = none", DefaultValueFactory = _ => 0 };
        var patience = new Option<int>("--patience") { Description = "With --validation: stop after this many epochs without a better score (0 = off)", DefaultValueFactory = _ => 0 };
        var classWeights = new Option<string?>("--class-weights") { Description = "balanced: weigh each label by the inverse of its frequency" }.AcceptOnlyFromAmong("balanced");
        var positiveLabel = new Option<string?>("--positive-label") { Description = "The label whose decision threshold is tuned for its F1 on the --validation examples (a binary task's positive class)" };
        var threads = CliOptions.Threads();
        var seed = new Option<ulong>("--seed") { Description = "Seed of the initial weights, the shuffles and the validation split", DefaultValueFactory = _ => 0 };
        var textColumn = TextColumn();
        var labelColumn = LabelColumn();
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the run's figures instead of text" };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Folder for a checkpoint after each epoch and on Ctrl+C, SIGTERM or SIGHUP; with --resume, the resumed folder by default", Validators = { CliOptions.WritableFolder } };
        var resume = new Option<string?>("--resume") { Description = "Continue the run checkpointed in this folder (its settings win over the options above); give the same --input, --validation and text options" };
        var overwrite = CheckpointFolder.OverwriteOption();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var text = new TextOptions();
        var network = new NetworkOptions();
        var command = new Command("train", "Train a text classifier (fastText-style, MLP or recurrent) on labelled text")
        {
            input, output, model, vectors, freeze, dim, epochs, lr, wordNgrams, buckets, loss, minCount, validation, patience, classWeights,
            positiveLabel, threads, seed, textColumn, labelColumn, json, checkpoint, resume, overwrite, vectorsEncoding,
        };
        network.AddTo(command);
        text.AddTo(command);
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            string family = parse.GetValue(model)!;
            network.Check(parse, family, parse.GetValue(loss)!, parse.GetValue(wordNgrams));
            double share = parse.GetValue(validation);
            if (!(share >= 0 && share < 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--validation must be at least 0 and below 1 (was {share})"));
            }

            string? resumeFrom = parse.GetValue(resume);
            string? checkpointFolder = CheckpointFolder.Resolve(parse.GetValue(checkpoint), resumeFrom, TextClassifierTrainer.CheckpointFileName);
            if (checkpointFolder is not null)
            {
                CheckpointFolder.Check(checkpointFolder, TextClassifierTrainer.CheckpointFileName, resumeFrom, parse.GetValue(overwrite));
            }

            // Read once: its settings configure the trainer, which then resumes from the same object.
            TextClassifierCheckpoint? checkpointRead = resumeFrom is null ? null : LoadCheckpoint(CheckpointFile(resumeFrom));
            TextClassifierOptions? resumed = checkpointRead?.Options;
            string path = parse.GetValue(input)!;
            ClassifierText reading = ClassifierText.FromCommandLine(parse, text, path, parse.GetValue(textColumn), parse.GetValue(labelColumn));
            List<LabelledExample> examples = reading.Read(path, text.Reading(parse), parse.GetValue(threads), cancellationToken);
            LabelledData.EnsureTrainable(examples, path);
            IReadOnlyCollection<string> labels = LabelledData.CountLabels(examples).Keys.ToArray();
            string? positive = parse.GetValue(positiveLabel);
            if (positive is not null && !labels.Contains(positive))
            {
                throw new ArgumentException($"--positive-label: {Suggestions.UnknownValue("label", positive, labels)} ('{path}' has {Suggestions.Join(labels, "and")})");
            }

            ulong splitSeed = resumed?.Seed ?? parse.GetValue(seed);
            (IReadOnlyList<LabelledExample> training, IReadOnlyList<LabelledExample> held) = share > 0
                ? LabelledData.StratifiedSplit(examples, share, splitSeed)
                : (examples, []);

            using WordVectors? pretrained = parse.GetValue(vectors) is { } vectorsPath && resumed is null
                ? VectorInput.Load(vectorsPath, "classify train", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding")
                : null;
            TextClassifierBuilder builder = network.Configure(parse, TextClassifier.CreateBuilder(), family)
                .Dimensions(parse.GetValue(dim) ?? pretrained?.Dimensions ?? 100).Epochs(parse.GetValue(epochs))
                .WordNgrams(parse.GetValue(wordNgrams)).Buckets(parse.GetValue(buckets)).Loss(ParseLoss(parse.GetValue(loss)!)).MinCount(parse.GetValue(minCount))
                .EarlyStoppingPatience(parse.GetValue(patience)).Threads(parse.GetValue(threads)).Seed(parse.GetValue(seed))
                .FreezeEmbeddings(parse.GetValue(freeze));
            if (parse.GetValue(lr) is { } rate)
            {
                builder.LearningRate(rate);
            }

            if (parse.GetValue(classWeights) is not null)
            {
                builder.BalancedClassWeights();
            }

            if (positive is not null)
            {
                builder.PositiveLabel(positive);
            }

            if (pretrained is not null)
            {
                builder.PretrainedVectors(pretrained);
            }

            if (resumed is not null)
            {
                builder.WithOptions(resumed);
            }

            if (checkpointFolder is not null)
            {
                builder.Checkpoints(checkpointFolder);
            }

            TextClassifierTrainer trainer = builder.Build();
            string modelPath = parse.GetValue(output)!;
            OutputCheck.RequireSpace(new PlannedOutput("--output", modelPath, ModelBytes(trainer.Options, training)));
            var last = new LastProgress();
            var clock = Stopwatch.StartNew();
            TextClassifier trained = CheckpointFolder.Report(checkpointFolder, TextClassifierTrainer.CheckpointFileName, () =>
                ProgressDisplay.Train<TextClassifierProgress, TextClassifier>(
                    display => resumeFrom is null
                        ? trainer.Train(training, held, last.Forwarding(display), cancellationToken)
                        : trainer.Resume(checkpointRead!, training, held, last.Forwarding(display), cancellationToken),
                    p => (string.Create(CultureInfo.InvariantCulture, $"epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} {p.TokensPerSecond:N0} tokens/s"), p.Fraction)));
            double seconds = clock.Elapsed.TotalSeconds;
            trained.Preprocessing = reading.ToJson();
            OutputCheck.WriteMain("--output", modelPath, trained.Save, trained.Save, rescued => $"move it to '{modelPath}'", checkpointFolder);

            ClassificationReport? report = held.Count > 0 ? Evaluate(trained, held, k: 1, threshold: null, trained.Options.PositiveLabel, parse.GetValue(threads), cancellationToken) : null;
            TextClassifierProgress? final = last.Value;
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["model"] = FamilyName(trained.Options),
                    ["examples"] = training.Count,
                    ["validation_examples"] = held.Count,
                    ["labels"] = trained.Labels,
                    ["words"] = trained.Words.Count,
                    ["dimensions"] = trained.Options.Dimensions,
                    ["epochs"] = trained.Options.Epochs,
                    ["best_epoch"] = trained.BestEpoch,
                    ["threshold"] = trained.DecisionThreshold,
                    ["loss"] = final?.Loss,
                    ["tokens_per_second"] = final?.TokensPerSecond,
                    ["train_seconds"] = seconds,
                    ["validation_accuracy"] = report?.Accuracy,
                    ["validation_macro_f1"] = report?.MacroF1,
                    ["validation_positive_f1"] = report?.Labels.FirstOrDefault(l => l.Label == trained.Options.PositiveLabel)?.F1,
                    ["output"] = modelPath,
                }));
            }
            else
            {
                var line = new StringBuilder(string.Create(CultureInfo.InvariantCulture,
                    $"trained {FamilyName(trained.Options)} on {training.Count:N0} examples, {trained.Labels.Count} labels, {trained.Words.Count:N0} words × {trained.Options.Dimensions} in {seconds:F1} s"));
                if (final is { } p)
                {
                    line.Append(CultureInfo.InvariantCulture, $", final loss {p.Loss:F4}");
                }

                if (report is not null)
                {
                    line.Append(CultureInfo.InvariantCulture, $"; validation ({held.Count:N0} examples): accuracy {report.Accuracy:F4}, macro F1 {report.MacroF1:F4}, best epoch {trained.BestEpoch}");
                }

                if (trained.DecisionThreshold is { } threshold)
                {
                    line.Append(CultureInfo.InvariantCulture, $", threshold of '{trained.Options.PositiveLabel}' {threshold:0.####}");
                }

                Console.Out.WriteLine(line.Append(" → ").Append(modelPath).ToString());
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    private static Command Test()
    {
        var model = ModelOption();
        var input = new Option<string>("--input", "-i") { Description = "Labelled text, as for train (fastText's format, or CSV/TSV with the model's columns)", Required = true };
        var k = new Option<int>("--k", "-k") { Description = "Labels predicted per example (P@k and R@k)", DefaultValueFactory = _ => 1, Validators = { CliOptions.AtLeastOne } };
        var threshold = new Option<float?>("--threshold") { Description = "Predict only labels with at least this probability (default: the model's tuned threshold, if any)" };
        var positiveLabel = new Option<string?>("--positive-label") { Description = "The label whose probability ranks examples for ROC and PR AUC (binary tasks; default: the model's, else the second label)" };
        var textColumn = TextColumn();
        var labelColumn = LabelColumn();
        var threads = CliOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON object instead of a table" };
        var encoding = CliOptions.Encoding();
        var command = new Command("test", "Measure a classifier on labelled text: accuracy, per-label precision, recall and F1, the confusion matrix")
        {
            model, input, k, threshold, positiveLabel, textColumn, labelColumn, threads, json, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            using TextClassifier classifier = LoadModel(parse.GetValue(model)!, "classify test");
            string path = parse.GetValue(input)!;
            ClassifierText reading = ClassifierText.FromModel(classifier, parse.GetValue(model)!)
                .WithColumns(path, parse.GetValue(textColumn), parse.GetValue(labelColumn));
            List<LabelledExample> examples = reading.Read(path, CliOptions.Reading(parse, encoding), parse.GetValue(threads), cancellationToken);
            string? positive = parse.GetValue(positiveLabel) ?? classifier.Options.PositiveLabel;
            if (positive is not null && !classifier.Labels.Contains(positive))
            {
                throw new ArgumentException($"--positive-label: {Suggestions.UnknownValue("label", positive, classifier.Labels.ToArray())}");
            }

            ClassificationReport report = Evaluate(classifier, examples, parse.GetValue(k), parse.GetValue(threshold), positive, parse.GetValue(threads), cancellationToken);
            Console.Out.WriteLine(parse.GetValue(json) ? report.ToJson() : report.ToTable().TrimEnd());
            return CommandRunner.Success;
        }));
        return command;
    }

    private static Command Predict()
    {
        var model = ModelOption();
        var k = new Option<int>("--k", "-k") { Description = "Labels predicted per line, most probable first", DefaultValueFactory = _ => 1, Validators = { CliOptions.AtLeastOne } };
        var probabilities = new Option<bool>("--prob") { Description = "Write each label's probability after it, as fasttext predict-prob does" };
        var threshold = new Option<float?>("--threshold") { Description = "Predict only labels with at least this probability (default: the model's tuned threshold, if any)" };
        var encoding = CliOptions.Encoding();
        var command = new Command("predict", "Predict the labels of each line of standard input: one line of __label__X out per line in, as fasttext predict does")
        {
            model, k, probabilities, threshold, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            using TextClassifier classifier = LoadModel(parse.GetValue(model)!, "classify predict");
            PipelineSettings? settings = ClassifierText.FromModel(classifier, parse.GetValue(model)!).Pipeline;
            var pipeline = settings?.BuildPipeline();
            int top = parse.GetValue(k);
            float? least = parse.GetValue(threshold);
            bool withProbabilities = parse.GetValue(probabilities);
            using TextReader lines = InputText.StandardInputReader(CliOptions.Reading(parse, encoding), tokens: false);
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            var line = new StringBuilder();
            while (lines.ReadLine() is { } record)
            {
                cancellationToken.ThrowIfCancellationRequested();
                IReadOnlyList<LabelPrediction> predicted = pipeline is null
                    ? classifier.Predict(record, top, least)
                    : classifier.Predict(pipeline.Tokenize(record), top, least);
                line.Clear();
                foreach (LabelPrediction prediction in predicted)
                {
                    line.Append(line.Length > 0 ? " " : string.Empty).Append(LabelledData.DefaultLabelPrefix).Append(prediction.Label);
                    if (withProbabilities)
                    {
                        line.Append(' ').Append(AsFastTextPrints(prediction.Probability));
                    }
                }

                output.Write(line.Append('\n'));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    private static Option<string> ModelOption() => new("--model", "-m") { Description = "A model written by `embeddings classify train`, or a fastText supervised .bin/.ftz", Required = true };

    private static Option<string?> TextColumn() => new("--text-column") { Description = "CSV/TSV input: the header of the text column (default text; test: the model's)" };

    private static Option<string?> LabelColumn() => new("--label-column") { Description = "CSV/TSV input: the header of the label column (default label; test: the model's)" };

    /// <summary>The <c>--model</c> value of a family: a resumed run reports the checkpoint's, not the option's default.</summary>
    private static string FamilyName(TextClassifierOptions options) => options.Family switch
    {
        TextClassifierFamily.Mlp => "mlp",
        TextClassifierFamily.Recurrent => options.Cell switch { RecurrentCell.Rnn => "rnn", RecurrentCell.Gru => "gru", _ => "lstm" },
        _ => "fasttext",
    };

    private static TextClassifierLoss ParseLoss(string loss) => loss switch
    {
        "ns" => TextClassifierLoss.NegativeSampling,
        "hs" => TextClassifierLoss.HierarchicalSoftmax,
        "ova" => TextClassifierLoss.OneVsAll,
        _ => TextClassifierLoss.Softmax,
    };

    /// <summary>The report of <paramref name="classifier"/> on <paramref name="examples"/>.</summary>
    private static ClassificationReport Evaluate(
        TextClassifier classifier, IReadOnlyList<LabelledExample> examples, int k, float? threshold, string? positiveLabel, int threads, CancellationToken cancellationToken)
    {
        IReadOnlyList<IReadOnlyList<LabelPrediction>> predicted = classifier.PredictAll(examples.Select(e => e.Tokens), k, threshold, threads, cancellationToken);
        return ClassificationReport.Compute([.. examples.Select(e => e.Labels)], predicted, k, positiveLabel);
    }

    /// <summary>
    /// About the size of the model file: a row of floats per word and n-gram bucket (the fastText-style input matrix;
    /// the other families hold fewer rows), the tokens counted before the minimum count drops any.
    /// </summary>
    private static long ModelBytes(TextClassifierOptions options, IReadOnlyList<LabelledExample> training)
    {
        long words = training.SelectMany(e => e.Tokens).Distinct(StringComparer.Ordinal).LongCount();
        long buckets = options.WordNgrams > 1 ? options.Buckets : 0;
        return (words + buckets) * options.Dimensions * sizeof(float);
    }

    /// <summary>The checkpoint file of a <c>--resume</c> folder, or the file given.</summary>
    private static string CheckpointFile(string resume) =>
        Directory.Exists(resume) ? Path.Combine(resume, TextClassifierTrainer.CheckpointFileName) : resume;

    /// <summary>A classifier written by <c>classify train</c> or <c>fasttext supervised</c>; any other file fails with one line saying what it is.</summary>
    private static TextClassifier LoadModel(string path, string command)
    {
        CheckIsClassifier(path, command);
        return TextClassifier.Load(path);
    }

    /// <summary>The checkpoint of <c>classify train --resume</c>, read once; any other file fails with one line saying what it is.</summary>
    private static TextClassifierCheckpoint LoadCheckpoint(string path)
    {
        CheckIsClassifier(path, "classify train --resume");
        return TextClassifierCheckpoint.Load(path);
    }

    /// <summary>Fails with one line unless <paramref name="path"/> is a text-classifier file (its header says so) or a fastText model.</summary>
    private static void CheckIsClassifier(string path, string command)
    {
        if (!File.Exists(path))
        {
            throw Directory.Exists(path)
                ? new IOException($"'{path}' is a folder; `{command}` needs a model file written by `embeddings classify train`")
                : new FileNotFoundException($"'{path}' does not exist.", path);
        }

        NativeFileKind? kind = VectorInput.Identify(path);
        if (kind is null && TextClassifier.IsFastTextFile(path))
        {
            return; // a fastText .bin/.ftz: TextClassifier.Load takes a supervised one and names any other kind
        }

        if (kind != NativeFileKind.TextClassifier)
        {
            string whatItIs = kind is null ? "not a text classifier" : $"{kind.Description}, not a text classifier";
            throw new InvalidDataException($"'{path}' is {whatItIs}; `{command}` needs a model written by `embeddings classify train`");
        }
    }

    /// <summary>A probability as fastText prints it (C++'s default stream format: 6 significant digits).</summary>
    private static string AsFastTextPrints(float probability)
    {
        // .NET writes 1E-05 where C++ writes 1e-05.
        return probability.ToString("G6", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
    }

    /// <summary>
    /// The options of the MLP and recurrent families (<c>--model mlp|rnn|gru|lstm</c>): each is set only when given, so
    /// that the library's defaults hold otherwise, and refused with the fastText-style family, which has none of them.
    /// </summary>
    private sealed class NetworkOptions
    {
        private readonly Option<string?> _hidden = new("--hidden") { Description = "mlp: the hidden layers' widths, e.g. 256,128 (default 128); rnn, gru, lstm: units per layer (default 128)" };
        private readonly Option<int?> _layers = new("--layers") { Description = "rnn, gru, lstm: stacked recurrent layers (default 1)" };
        private readonly Option<bool> _bidirectional = new("--bidirectional") { Description = "rnn, gru, lstm: read each example both ways" };
        private readonly Option<string?> _pooling = new Option<string?>("--pooling") { Description = "mlp: mean or mean-max of the word vectors (default mean); rnn, gru, lstm: last, mean or max over the steps (default last)" }
            .AcceptOnlyFromAmong("mean", "mean-max", "last", "max");
        private readonly Option<string?> _activation = new Option<string?>("--activation") { Description = "mlp: relu, leakyrelu, tanh or sigmoid (default relu)" }
            .AcceptOnlyFromAmong("relu", "leakyrelu", "tanh", "sigmoid");
        private readonly Option<string?> _initialization = new Option<string?>("--init") { Description = "mlp: uniform, xavier or he initialisation of the hidden layers (default uniform)" }
            .AcceptOnlyFromAmong("uniform", "xavier", "he");
        private readonly Option<double?> _dropout = new("--dropout") { Description = "mlp, rnn, gru, lstm: dropout rate (default 0)" };
        private readonly Option<string?> _optimizer = new Option<string?>("--optimizer") { Description = "mlp, rnn, gru, lstm: adam, adamw or sgd (default adam)" }
            .AcceptOnlyFromAmong("adam", "adamw", "sgd");
        private readonly Option<double?> _weightDecay = new("--weight-decay") { Description = "mlp, rnn, gru, lstm: L2 (adam, sgd) or decoupled (adamw) weight decay (default 0)" };
        private readonly Option<string?> _embeddingUpdates = new Option<string?>("--embedding-updates")
        {
            Description = "mlp, rnn, gru, lstm: dense (every embedding row every step, as torch.optim.Adam) or lazy (only the rows a batch read, as torch.optim.SparseAdam: faster; an unread row's moments do not decay) (default dense)",
        }.AcceptOnlyFromAmong("dense", "lazy");
        private readonly Option<int?> _batch = new("--batch") { Description = "mlp, rnn, gru, lstm: examples per step (default 32)" };
        private readonly Option<int?> _maxLength = new("--max-length") { Description = "rnn, gru, lstm: read at most this many words of an example (default 0: all)" };

        private Option[] All => [_hidden, _layers, _bidirectional, _pooling, _activation, _initialization, _dropout, _optimizer, _weightDecay, _embeddingUpdates, _batch, _maxLength];

        public void AddTo(Command command)
        {
            foreach (Option option in All)
            {
                command.Options.Add(option);
            }
        }

        /// <summary>Refuses options that do not apply to <paramref name="family"/>, in the command line's terms.</summary>
        public void Check(ParseResult parse, string family, string loss, int wordNgrams)
        {
            bool recurrent = family is "rnn" or "gru" or "lstm";
            Option[] mlpOnly = [_activation, _initialization];
            Option[] recurrentOnly = [_layers, _bidirectional, _maxLength];
            foreach (Option option in All.Where(o => parse.GetResult(o) is { Implicit: false }))
            {
                string? appliesTo = family == "fasttext" ? "mlp, rnn, gru and lstm"
                    : recurrent && mlpOnly.Contains(option) ? "mlp"
                    : !recurrent && recurrentOnly.Contains(option) ? "rnn, gru and lstm"
                    : null;
                if (appliesTo is not null)
                {
                    throw new ArgumentException($"{option.Name} applies to --model {appliesTo}, not {family}");
                }
            }

            if (family != "fasttext" && loss != "softmax")
            {
                throw new ArgumentException($"--loss {loss} applies to --model fasttext; {family} is trained with softmax");
            }

            if (recurrent && wordNgrams > 1)
            {
                throw new ArgumentException($"--word-ngrams applies to --model fasttext and mlp; {family} reads the words in order");
            }

            if (parse.GetValue(_pooling) is { } pooling && (recurrent ? pooling == "mean-max" : pooling is "last" or "max"))
            {
                throw new ArgumentException($"--pooling {pooling} does not apply to --model {family}; use {(recurrent ? "last, mean or max" : "mean or mean-max")}");
            }

            if (recurrent && parse.GetValue(_hidden) is { } hidden && hidden.Contains(',', StringComparison.Ordinal))
            {
                throw new ArgumentException($"--hidden for --model {family} is one number of units per layer (was '{hidden}'); use --layers for more layers");
            }
        }

        /// <summary>The family and the options given for it.</summary>
        public TextClassifierBuilder Configure(ParseResult parse, TextClassifierBuilder builder, string family)
        {
            int[]? widths = parse.GetValue(_hidden) is { } hidden ? ParseWidths(hidden) : null;
            builder = family switch
            {
                "mlp" => builder.Mlp(widths ?? []),
                "rnn" => builder.Recurrent(RecurrentCell.Rnn),
                "gru" => builder.Recurrent(RecurrentCell.Gru),
                "lstm" => builder.Recurrent(RecurrentCell.Lstm),
                _ => builder.FastText(),
            };
            if (family is "rnn" or "gru" or "lstm")
            {
                builder = widths is [int units] ? builder.HiddenSize(units) : builder;
                builder = parse.GetValue(_layers) is { } layers ? builder.Layers(layers) : builder;
                builder = parse.GetValue(_bidirectional) ? builder.Bidirectional() : builder;
                builder = parse.GetValue(_maxLength) is { } length ? builder.MaxLength(length) : builder;
            }

            builder = parse.GetValue(_pooling) switch
            {
                "mean-max" => builder.Pooling(BagPooling.MeanMax),
                "last" => builder.SequenceRepresentation(SequenceRepresentation.LastStep),
                "max" => builder.SequenceRepresentation(SequenceRepresentation.Max),
                "mean" when family is "rnn" or "gru" or "lstm" => builder.SequenceRepresentation(SequenceRepresentation.Mean),
                "mean" => builder.Pooling(BagPooling.Mean),
                _ => builder,
            };
            builder = parse.GetValue(_activation) switch
            {
                "leakyrelu" => builder.Activation(HiddenActivation.LeakyRelu),
                "tanh" => builder.Activation(HiddenActivation.Tanh),
                "sigmoid" => builder.Activation(HiddenActivation.Sigmoid),
                "relu" => builder.Activation(HiddenActivation.Relu),
                _ => builder,
            };
            builder = parse.GetValue(_initialization) switch
            {
                "xavier" => builder.Initialization(WeightInitialization.Xavier),
                "he" => builder.Initialization(WeightInitialization.He),
                "uniform" => builder.Initialization(WeightInitialization.Uniform),
                _ => builder,
            };
            builder = parse.GetValue(_optimizer) switch
            {
                "adamw" => builder.Optimizer(OptimizerKind.AdamW),
                "sgd" => builder.Optimizer(OptimizerKind.Sgd),
                "adam" => builder.Optimizer(OptimizerKind.Adam),
                _ => builder,
            };
            builder = parse.GetValue(_dropout) is { } dropout ? builder.Dropout(dropout) : builder;
            builder = parse.GetValue(_weightDecay) is { } decay ? builder.WeightDecay(decay) : builder;
            builder = parse.GetValue(_embeddingUpdates) is { } updates ? builder.LazyEmbeddingUpdates(updates == "lazy") : builder;
            return parse.GetValue(_batch) is { } batch ? builder.BatchSize(batch) : builder;
        }

        private static int[] ParseWidths(string hidden)
        {
            string[] parts = hidden.Split(',', StringSplitOptions.TrimEntries);
            var widths = new int[parts.Length];
            for (int i = 0; i < parts.Length; i++)
            {
                if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                {
                    throw new ArgumentException($"--hidden: '{hidden}' is not a list of widths of at least 1, such as 256,128");
                }
            }

            return widths;
        }
    }

    /// <summary>Keeps the trainer's last progress report (it reports from its worker threads) and passes each on to the display.</summary>
    private sealed class LastProgress
    {
        private readonly Lock _lock = new();
        private TextClassifierProgress? _value;

        public TextClassifierProgress? Value
        {
            get
            {
                lock (_lock)
                {
                    return _value;
                }
            }
        }

        public IProgress<TextClassifierProgress> Forwarding(IProgress<TextClassifierProgress>? display) => new Forwarder(this, display);

        private sealed class Forwarder(LastProgress owner, IProgress<TextClassifierProgress>? display) : IProgress<TextClassifierProgress>
        {
            public void Report(TextClassifierProgress value)
            {
                lock (owner._lock)
                {
                    owner._value = value;
                }

                display?.Report(value);
            }
        }
    }

    /// <summary>
    /// How a classifier reads its text: the CSV/TSV columns (none for fastText's format) and the text pipeline (none:
    /// tokens split on whitespace as fastText splits them). <c>train</c> records it in the model as its
    /// <see cref="TextClassifier.Preprocessing"/> (JSON), which <c>test</c> and <c>predict</c> read back.
    /// </summary>
    internal sealed record ClassifierText(string? TextColumn, string? LabelColumn, PipelineSettings? Pipeline)
    {
        private static readonly char[] FastTextSpaces = [' ', '\n', '\r', '\t', '\v', '\f', '\0'];

        /// <summary>The columns and text options of <c>classify train</c>'s command line.</summary>
        public static ClassifierText FromCommandLine(ParseResult parse, TextOptions text, string path, string? textColumn, string? labelColumn)
        {
            if (parse.GetValue(text.Sentences))
            {
                throw new ArgumentException("--sentences does not apply to classify: each line (or CSV record) is one example");
            }

            return new ClassifierText(null, null, text.ChangeText(parse) ? text.Settings(parse) : null).WithColumns(path, textColumn, labelColumn);
        }

        /// <summary>What a model recorded; a model without a record reads fastText's format, split on whitespace.</summary>
        public static ClassifierText FromModel(TextClassifier model, string path)
        {
            if (model.Preprocessing is not { } recorded)
            {
                return new ClassifierText(null, null, null);
            }

            try
            {
                return JsonSerializer.Deserialize<ClassifierText>(recorded, SnakeCase)!;
            }
            catch (JsonException)
            {
                throw new InvalidDataException($"'{path}' records text settings this version cannot read; retrain the model with this version");
            }
        }

        public string? ToJson() => this == new ClassifierText(null, null, null) ? null : JsonSerializer.Serialize(this, SnakeCase);

        /// <summary>
        /// The columns for <paramref name="path"/>: a .csv/.tsv file (or any file when a column is given) is a table,
        /// read with the given columns, else the recorded ones, else <c>text</c> and <c>label</c>.
        /// </summary>
        public ClassifierText WithColumns(string path, string? textColumn, string? labelColumn)
        {
            bool table = textColumn is not null || labelColumn is not null || IsTable(path);
            return table
                ? this with { TextColumn = textColumn ?? TextColumn ?? "text", LabelColumn = labelColumn ?? LabelColumn ?? "label" }
                : this with { TextColumn = null, LabelColumn = null };
        }

        /// <summary>The labelled examples of <paramref name="path"/>, their text through the pipeline.</summary>
        public List<LabelledExample> Read(string path, LineSourceOptions reading, int threads, CancellationToken cancellationToken)
        {
            IReadOnlyList<IReadOnlyList<string>> labels;
            IEnumerable<string> texts;
            if (TextColumn is not null)
            {
                LabelledLineSource source = LabelledLineSource.FromCsv(path, TextColumn, LabelColumn!, reading);
                List<LabelledLine> rows;
                try
                {
                    rows = ProgressDisplay.Run($"read {Path.GetFileName(path)}", progress => source.ReadLines(progress, cancellationToken).ToList());
                }
                catch (InvalidDataException e) when (UnknownColumn(e, path, reading) is { } message)
                {
                    throw new InvalidDataException(message, e);
                }

                labels = [.. rows.Select(row => (IReadOnlyList<string>)[row.Label])];
                texts = rows.Select(row => row.Text);
            }
            else
            {
                if (reading.Encoding != TextEncoding.Utf8)
                {
                    throw new ArgumentException("--encoding applies to CSV/TSV input; fastText-format files are read as UTF-8");
                }

                IReadOnlyList<LabelledExample> read = LabelledData.ReadFastText(path, cancellationToken: cancellationToken);
                if (Pipeline is null)
                {
                    return [.. read];
                }

                labels = [.. read.Select(e => e.Labels)];
                texts = read.Select(e => string.Join(' ', e.Tokens));
            }

            IEnumerable<IReadOnlyList<string>> tokens = Pipeline is null
                ? texts.Select(t => (IReadOnlyList<string>)t.Split(FastTextSpaces, StringSplitOptions.RemoveEmptyEntries))
                : Pipeline.BuildPipeline().Process(texts, threads, cancellationToken);
            return [.. labels.Zip(tokens, (l, t) => new LabelledExample(l, t))];
        }

        /// <summary>
        /// The message for a column the file lacks, with the option that named it and the closest header; null when
        /// <paramref name="e"/> is about something else.
        /// </summary>
        private string? UnknownColumn(InvalidDataException e, string path, LineSourceOptions reading)
        {
            (string option, string column) = e.Message.Contains($"has no column '{LabelColumn}'", StringComparison.Ordinal)
                ? ("--label-column", LabelColumn!)
                : ("--text-column", TextColumn!);
            if (!e.Message.Contains($"has no column '{column}'", StringComparison.Ordinal))
            {
                return null;
            }

            // The header, split plainly: headers are seldom quoted, and a miss only loses the suggestion.
            string header = LineSource.FromFile(path, reading).ReadLines().FirstOrDefault().Text ?? string.Empty;
            string[] columns = [.. header.Split(LabelledLineSource.DelimiterFor(path)).Select(c => c.Trim().Trim('"'))];
            string advice = Suggestions.Closest(column, columns) is { } closest ? $" Did you mean {option} {closest}?" : string.Empty;
            return $"{option}: {e.Message}{advice}";
        }

        private static bool IsTable(string path)
        {
            string name = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? path[..^3] : path;
            return name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase)
                || name.EndsWith(".tab", StringComparison.OrdinalIgnoreCase);
        }
    }
}
