using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.CountBased;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Projection;
using Embeddings.Core.Vectors;
using Embeddings.Samples;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// The commands that use word vectors: <c>similar</c>, <c>analogy</c>, <c>evaluate</c>, <c>convert</c>, <c>map</c>, and
/// <c>ppmi</c> (which makes them). <c>--vectors</c> takes every file that holds word vectors (<see cref="VectorInput"/>).
/// </summary>
internal static class VectorCommands
{
    public static Command Similar()
    {
        var vectors = VectorInput.CreateQueryOption();
        var word = new Option<string?>("--word", "-w") { Description = "The query word (or give --positive)" };
        var positive = new Option<string[]>("--positive") { Description = "Words that count positively (gensim's most_similar(positive, negative))", AllowMultipleArgumentsPerToken = true };
        var negative = new Option<string[]>("--negative") { Description = "Words that count negatively", AllowMultipleArgumentsPerToken = true };
        var top = TopOption("How many neighbours");
        var cosMul = new Option<bool>("--cosmul") { Description = "Rank by the multiplicative objective (gensim's most_similar_cosmul) instead of the cosine of the mean" };
        var encoding = CliOptions.Encoding();
        var command = new Command("similar", "The nearest words by cosine similarity: 'word<TAB>score' lines, best first")
        {
            vectors, word, positive, negative, top, cosMul, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            string? query = parse.GetValue(word);
            string[] positiveWords = parse.GetValue(positive) ?? [];
            string[] negativeWords = parse.GetValue(negative) ?? [];
            if (query is null && positiveWords.Length == 0)
            {
                throw new ArgumentException("Give the query: --word W, or --positive A B … (and --negative C … if you like).");
            }

            if (query is not null && positiveWords.Length > 0)
            {
                throw new ArgumentException("--word and --positive are alternatives: give one of them (--word W is --positive W).");
            }

            string vectorsPath = parse.GetValue(vectors)!;
            bool multiplicative = parse.GetValue(cosMul);
            if (query is not null && negativeWords.Length == 0 && !multiplicative && File.Exists(vectorsPath)
                && VectorInput.Identify(vectorsPath) == Embeddings.Core.IO.NativeFileKind.CompressedVectors)
            {
                // A compress file answers a word's neighbours from its codes (Hamming distance for binary codes).
                var compressed = Embeddings.Quantization.CompressedVectors.Load(vectorsPath);
                if (!compressed.Vocabulary.Contains(query))
                {
                    string lower = query.ToLowerInvariant();
                    string hint = lower != query && compressed.Vocabulary.Contains(lower) ? $"; did you mean '{lower}'?" : ".";
                    throw new ArgumentException($"'{query}' is not in the vocabulary of {compressed.Count:N0} words{hint}");
                }

                PrintSimilarities(compressed.MostSimilar(query, parse.GetValue(top)));
                return CommandRunner.Success;
            }

            using QueryVectors loaded = VectorInput.LoadForQueries(vectorsPath, "similar", CliOptions.Reading(parse, encoding));
            string[] positives = query is null ? positiveWords : [query];
            if (multiplicative)
            {
                // gensim's most_similar_cosmul takes vocabulary words only, FastTextKeyedVectors' too.
                foreach (string w in positives.Concat(negativeWords))
                {
                    RequireWord(loaded.Words, w);
                }
            }
            else
            {
                loaded.RequireWords(positives.Concat(negativeWords));
            }

            int topN = parse.GetValue(top);
            PrintSimilarities(
                multiplicative ? loaded.Words.MostSimilarCosMul(positives, negativeWords, topN)
                : query is not null && negativeWords.Length == 0 ? loaded.MostSimilar(query, topN)
                : loaded.MostSimilar(positives, negativeWords, topN));
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Analogy()
    {
        var vectors = VectorInput.CreateQueryOption();
        var words = new Argument<string[]>("words") { Description = "A B C: A is to B as C is to ?", Arity = new ArgumentArity(3, 3) };
        var top = TopOption("How many answers");
        var encoding = CliOptions.Encoding();
        var command = new Command("analogy", "A is to B as C is to ? (B − A + C, gensim's most_similar): 'word<TAB>score' lines") { vectors, words, top, encoding };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            using QueryVectors loaded = VectorInput.LoadForQueries(parse.GetValue(vectors)!, "analogy", CliOptions.Reading(parse, encoding));
            string[] abc = parse.GetValue(words)!;
            loaded.RequireWords(abc);
            PrintSimilarities(loaded.MostSimilar(positive: [abc[1], abc[2]], negative: [abc[0]], topN: parse.GetValue(top)));
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Evaluate()
    {
        var vectors = VectorInput.CreateQueryOption();
        var analogies = new Option<string?>("--analogies") { Description = "Analogy questions (questions-words.txt format)" };
        var similarity = new Option<string?>("--similarity") { Description = "Word pairs with human scores (word1<TAB>word2<TAB>score)" };
        var restrict = new Option<int>("--restrict-vocab") { Description = "Only the first N words count (gensim's restrict_vocab)", DefaultValueFactory = _ => 300_000, Validators = { CliOptions.AtLeastOne } };
        var threads = CliOptions.Threads();
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var encoding = CliOptions.Encoding();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var command = new Command("evaluate", "Analogy accuracy and word-similarity correlation, with gensim's semantics")
        {
            vectors, analogies, similarity, restrict, threads, json, encoding, vectorsEncoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            if (parse.GetValue(analogies) is null && parse.GetValue(similarity) is null)
            {
                throw new ArgumentException("Give --analogies FILE, --similarity FILE, or both.");
            }

            // gensim's FastTextKeyedVectors evaluates vocabulary words only: subword vectors answer through their words.
            using QueryVectors subwords = VectorInput.LoadForQueries(parse.GetValue(vectors)!, "evaluate", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding");
            WordVectors loaded = subwords.Words;
            LineSourceOptions reading = CliOptions.Reading(parse, encoding);
            AnalogyEvaluation? analogy = null;
            if (parse.GetValue(analogies) is { } a)
            {
                using TextReader questions = InputText.OpenEvaluationSet(a, reading);
                analogy = loaded.EvaluateAnalogies(questions, parse.GetValue(restrict), threads: parse.GetValue(threads), sourceName: a, cancellationToken: cancellationToken);
            }

            WordPairEvaluation? pairs = null;
            if (parse.GetValue(similarity) is { } s)
            {
                using TextReader wordPairs = InputText.OpenEvaluationSet(s, reading);
                pairs = loaded.EvaluateWordPairs(wordPairs, restrictVocab: parse.GetValue(restrict), sourceName: s);
            }

            if (parse.GetValue(json))
            {
                var result = new Dictionary<string, object?>
                {
                    ["analogy_accuracy"] = analogy?.Accuracy,
                    ["analogy_sections"] = analogy?.Sections.ToDictionary(section => section.Name, section => section.Accuracy),
                    ["analogy_questions_attempted"] = analogy is null ? null : analogy.Total.Correct.Count + analogy.Total.Incorrect.Count,
                    ["spearman"] = pairs?.Spearman,
                    ["pearson"] = pairs?.Pearson,
                    ["oov_ratio"] = pairs?.OovRatio,
                };
                Console.Out.WriteLine(JsonSerializer.Serialize(result));
                return CommandRunner.Success;
            }

            if (analogy is not null)
            {
                Console.Out.WriteLine($"{"section",-32} {"correct",8} {"attempted",10} {"accuracy",9}");
                foreach (AnalogySection section in analogy.Sections.Append(analogy.Total))
                {
                    int attempted = section.Correct.Count + section.Incorrect.Count;
                    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{section.Name,-32} {section.Correct.Count,8} {attempted,10} {section.Accuracy,9:P2}"));
                }
            }

            if (pairs is not null)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"word pairs: Spearman {pairs.Spearman:F4}, Pearson {pairs.Pearson:F4}, {pairs.PairCount} pairs scored, {pairs.OovPairCount} skipped ({pairs.OovRatio:F1} % out of vocabulary)"));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Convert()
    {
        var input = new Option<string>("--input", "-i") { Description = $"Word vectors: {VectorInput.Accepted}", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write", Required = true, Validators = { CliOptions.WritableFile } };
        var format = new Option<string>("--format") { Description = "text, binary (word2vec), vec (fastText), glove, native, or fasttext (a .bin of the vocabulary words' vectors, without n-grams)", Required = true }
            .AcceptOnlyFromAmong("text", "binary", "vec", "glove", "native", "fasttext");
        var limit = new Option<int?>("--limit") { Description = "Convert only the first N words", Validators = { CliOptions.AtLeastOne } };
        var encoding = CliOptions.Encoding();
        var command = new Command("convert", "Convert word vectors between formats (written atomically)") { input, output, format, limit, encoding };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            using WordVectors loaded = VectorInput.Load(parse.GetValue(input)!, "convert", CliOptions.Reading(parse, encoding), limit: parse.GetValue(limit));
            VectorFileFormat target = ParseFormat(parse.GetValue(format)!);
            OutputCheck.RequireSpace(new PlannedOutput("--output", parse.GetValue(output), PlannedOutput.VectorBytes(
                loaded.Vocabulary.Words, loaded.Dimensions, text: target is not (VectorFileFormat.Word2VecBinary or VectorFileFormat.Native))));
            WordVectorsFile.Save(loaded, parse.GetValue(output)!, target);
            Console.Out.WriteLine($"{loaded.Count:N0} words × {loaded.Dimensions} → {parse.GetValue(output)}");
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Map()
    {
        var vectors = VectorInput.CreateOption();
        var words = new Option<int>("--words") { Description = "How many of the most frequent words to place", DefaultValueFactory = _ => 200 };
        var output = new Option<string>("--output", "-o") { Description = "The SVG file to write", Required = true, Validators = { CliOptions.WritableFile } };
        var normalize = new Option<bool>("--normalize") { Description = "Project unit-length vectors (cosine geometry)" };
        var encoding = CliOptions.Encoding();
        var command = new Command("map", "Draw the most frequent words on a 2-D map (PCA) as a labelled SVG scatter plot") { vectors, words, output, normalize, encoding };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            int count = parse.GetValue(words);
            if (count < 1)
            {
                throw new ArgumentException($"--words must be at least 1 (was {count}).");
            }

            using WordVectors loaded = VectorInput.Load(parse.GetValue(vectors)!, "map", CliOptions.Reading(parse, encoding), limit: count);
            PcaProjection pca = PcaProjection.Fit(loaded, count, parse.GetValue(normalize));
            string title = string.Create(CultureInfo.InvariantCulture,
                $"{pca.Points.Count} most frequent words, PCA ({pca.ExplainedVarianceRatio[0]:P0} + {pca.ExplainedVarianceRatio[1]:P0} of the variance)");
            Charts.SaveWordMap(title, pca.Points, parse.GetValue(output)!);
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{pca.Points.Count} words → {parse.GetValue(output)} (the two axes explain {pca.ExplainedVarianceRatio[0]:P1} and {pca.ExplainedVarianceRatio[1]:P1} of the variance)"));
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Ppmi()
    {
        var input = new Option<string>("--input", "-i") { Description = "Token file (one sentence a line)", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the vectors", Required = true, Validators = { CliOptions.WritableFile } };
        var dim = new Option<int>("--dim") { Description = "Dimensions kept by the SVD", DefaultValueFactory = _ => 100 };
        var window = new Option<int>("--window") { Description = "Co-occurrence window", DefaultValueFactory = _ => 5 };
        var minCount = new Option<int>("--min-count") { Description = "Ignore words seen fewer times", DefaultValueFactory = _ => 5 };
        var smoothing = new Option<double>("--context-smoothing") { Description = "α of the smoothed context distribution (1 = plain PPMI)", DefaultValueFactory = _ => 0.75 };
        var format = new Option<string>("--format") { Description = "binary, text or native", DefaultValueFactory = _ => "binary" }
            .AcceptOnlyFromAmong("binary", "text", "native");
        var threads = CliOptions.Threads();
        var encoding = CliOptions.Encoding();
        var command = new Command("ppmi", "Count-based embeddings: co-occurrences → PPMI → truncated SVD")
        {
            input, output, dim, window, minCount, smoothing, format, threads, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            PpmiSvd model = PpmiSvd.CreateBuilder()
                .Dimensions(parse.GetValue(dim)).WindowSize(parse.GetValue(window)).MinCount(parse.GetValue(minCount))
                .ContextSmoothing(parse.GetValue(smoothing)).Threads(parse.GetValue(threads)).Build();
            string path = parse.GetValue(input)!;
            string vectorsPath = parse.GetValue(output)!, formatName = parse.GetValue(format)!;
            var tokens = new SharedTokens();
            using InputText.RereadableInput corpus = InputText.OpenRereadable(
                path, CliOptions.Reading(parse, encoding), InputText.SpoolFolder(vectorsPath, checkpointFolder: null), InputText.SpoolName(vectorsPath), cancellationToken);
            IEnumerable<IReadOnlyList<string>> sentences = corpus.ReadLines(progress: null, cancellationToken).Select(line => tokens.Split(line.Text));
            PpmiSvdResult result = model.Train(sentences, cancellationToken: cancellationToken);
            OutputCheck.WriteMain(
                "--output", vectorsPath, target => WordVectorsFile.Save(result.Vectors, target, ParseFormat(formatName)),
                target => WordVectorsFile.Save(result.Vectors, target, VectorFileFormat.Native),
                rescued => $"native vectors, which `embeddings convert --input '{rescued}' --output '{vectorsPath}' --format {formatName}` turns into the file asked for");
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Vectors.Count:N0} words × {result.Vectors.Dimensions} from {result.PpmiEntries:N0} positive PPMI entries in {result.Elapsed.TotalSeconds:F1} s"));
            return CommandRunner.Success;
        }));
        return command;
    }

    private static VectorFileFormat ParseFormat(string name) => name switch
    {
        "text" => VectorFileFormat.Word2VecText,
        "vec" => VectorFileFormat.FastTextVec,
        "glove" => VectorFileFormat.GloVeText,
        "native" => VectorFileFormat.Native,
        "fasttext" => VectorFileFormat.FastTextBinary,
        _ => VectorFileFormat.Word2VecBinary,
    };

    /// <summary><c>--top N</c> of the neighbour queries: at least 1, checked before the vectors are loaded.</summary>
    internal static Option<int> TopOption(string description) => new("--top")
    {
        Description = description,
        DefaultValueFactory = _ => WordVectors.DefaultTopN,
        Validators = { CliOptions.AtLeastOne },
    };

    internal static void RequireWord(WordVectors vectors, string word)
    {
        if (!vectors.Vocabulary.Contains(word))
        {
            throw new ArgumentException(NotInVocabulary(vectors, word));
        }
    }

    /// <summary>The one message for a word the vectors do not have, whether it stops a command or only skips a query.</summary>
    internal static string NotInVocabulary(WordVectors vectors, string word)
    {
        // Vectors are usually trained on lower-cased text, so a capitalised query is the likeliest miss.
        string lower = word.ToLowerInvariant();
        string hint = lower != word && vectors.Vocabulary.Contains(lower) ? $"; did you mean '{lower}'?" : ".";
        return $"'{word}' is not in the vocabulary of {vectors.Count:N0} words{hint}";
    }

    internal static void PrintSimilarities(IReadOnlyList<WordSimilarity> similarities) => PrintSimilarities(Console.Out, similarities);

    internal static void PrintSimilarities(TextWriter writer, IReadOnlyList<WordSimilarity> similarities)
    {
        foreach (WordSimilarity similarity in similarities)
        {
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{similarity.Word}\t{similarity.Similarity:F6}"));
        }
    }
}
