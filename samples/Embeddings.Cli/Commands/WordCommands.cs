using System.CommandLine;
using System.Globalization;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Vectors;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary>
/// The everyday questions to a set of word vectors, as fastText and gensim users ask them: <c>print-vectors</c>
/// (fastText's print-word-vectors), <c>similarity</c> (gensim's <c>wv.similarity</c>) and <c>query</c> (fastText's
/// <c>nn</c> and <c>analogies</c> prompts in one).
/// </summary>
internal static class WordCommands
{
    private const string Prompt = "query> ";

    public static Command PrintVectors()
    {
        var vectors = VectorInput.CreateQueryOption();
        var encoding = CliOptions.Encoding();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var command = new Command(
            "print-vectors",
            "fastText's print-word-vectors: words on standard input (one or more a line) → 'word v1 … vd' lines. With subword vectors every word is printed (from its character n-grams outside the vocabulary; zero when it has none); with other vectors an unknown word is named on standard error and the exit code is 1 once all are printed")
        {
            vectors, encoding, vectorsEncoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            LineSourceOptions reading = CliOptions.Reading(parse, encoding);
            using QueryVectors loaded = VectorInput.LoadForQueries(parse.GetValue(vectors)!, "print-vectors", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding");
            var vector = new float[loaded.Words.Dimensions];
            using TextReader input = InputText.StandardInputReader(reading, tokens: true);
            using OutputTarget output = OutputTarget.Open("-");
            bool typing = !Console.IsInputRedirected; // a person at a terminal sees each answer at once
            var unknown = new List<string>();
            Span<char> number = stackalloc char[32];
            while (input.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
                foreach (string word in line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (!loaded.TryGetVector(word, vector))
                    {
                        unknown.Add(word);
                        if (typing)
                        {
                            Console.Error.WriteLine(loaded.NotInVocabulary(word));
                        }

                        continue;
                    }

                    output.Writer.Write(word);
                    foreach (float value in vector)
                    {
                        // The shortest text that parses back to the same float, whatever the user's culture.
                        _ = value.TryFormat(number, out int length, "R", CultureInfo.InvariantCulture);
                        output.Writer.Write(' ');
                        output.Writer.Write(number[..length]);
                    }

                    output.Writer.Write('\n');
                }

                if (typing)
                {
                    output.Writer.Flush();
                }
            }

            output.Commit();
            if (unknown.Count > 0)
            {
                throw new ArgumentException(UnknownWords(loaded.Words, unknown));
            }

            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Similarity()
    {
        var vectors = VectorInput.CreateQueryOption();
        var words = new Argument<string[]>("words") { Description = "Two words", Arity = new ArgumentArity(2, 2) };
        var encoding = CliOptions.Encoding();
        var command = new Command("similarity", "The cosine similarity of two words (gensim's wv.similarity): one number") { vectors, words, encoding };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), _ =>
        {
            using QueryVectors loaded = VectorInput.LoadForQueries(parse.GetValue(vectors)!, "similarity", CliOptions.Reading(parse, encoding));
            string[] pair = parse.GetValue(words)!;
            loaded.RequireWords(pair);
            Console.Out.WriteLine(loaded.Similarity(pair[0], pair[1]).ToString("R", CultureInfo.InvariantCulture));
            return CommandRunner.Success;
        }));
        return command;
    }

    public static Command Query()
    {
        var vectors = VectorInput.CreateQueryOption();
        var top = VectorCommands.TopOption("How many answers per query");
        var encoding = CliOptions.Encoding();
        var vectorsEncoding = CliOptions.VectorsEncoding();
        var command = new Command(
            "query",
            "Ask interactively: a word prints its neighbours, 'king - man + woman' the answers of the analogy; an empty line, 'quit' or end of input stops. Piped input works too (no prompt)")
        {
            vectors, top, encoding, vectorsEncoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            LineSourceOptions reading = CliOptions.Reading(parse, encoding);
            using QueryVectors loaded = VectorInput.LoadForQueries(parse.GetValue(vectors)!, "query", CliOptions.Reading(parse, vectorsEncoding), "--vectors-encoding");
            using TextReader input = InputText.StandardInputReader(reading, tokens: false);
            using OutputTarget output = OutputTarget.Open("-");
            bool typing = !Console.IsInputRedirected;
            if (typing)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{loaded.Words.Count:N0} words × {loaded.Words.Dimensions}: type a word for its neighbours, 'a - b + c' for an analogy, an empty line or 'quit' to stop."));
            }

            int topN = parse.GetValue(top);
            while (true)
            {
                if (typing)
                {
                    output.Writer.Write(Prompt);
                    output.Writer.Flush();
                }

                string? line = ReadLine(input, cancellationToken)?.Trim();
                if (string.IsNullOrEmpty(line) || line == "quit")
                {
                    break;
                }

                // Each query's answers end with an empty line, so a script can tell which answers belong to which query;
                // a query that cannot be answered says why on standard error and gets an empty block.
                if (Answer(loaded, line, topN) is { } answers)
                {
                    VectorCommands.PrintSimilarities(output.Writer, answers);
                }

                output.Writer.Write('\n');
                output.Writer.Flush();
            }

            output.Commit();
            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary>One query of <c>query</c>: a word's neighbours, or the answers of <c>a - b + c</c> (any number of terms).</summary>
    /// <returns>The answers, or <see langword="null"/> after saying on standard error why there are none.</returns>
    private static IReadOnlyList<WordSimilarity>? Answer(QueryVectors vectors, string line, int topN)
    {
        if (!TryParseTerms(line, out List<string> positive, out List<string> negative))
        {
            Console.Error.WriteLine($"cannot read '{line}': type one word, or an analogy such as 'king - man + woman' (spaces around + and -).");
            return null;
        }

        List<string> unknown = [.. positive.Concat(negative).Where(word => !vectors.HasVector(word))];
        if (unknown.Count > 0)
        {
            Console.Error.WriteLine(unknown.Distinct().Count() == 1 ? vectors.NotInVocabulary(unknown[0]) : UnknownWords(vectors.Words, unknown));
            return null;
        }

        vectors.RequireWords(positive.Concat(negative)); // every word has a vector now: this only says which come from n-grams

        return positive.Count == 1 && negative.Count == 0
            ? vectors.MostSimilar(positive[0], topN)
            : vectors.MostSimilar(positive, negative, topN);
    }

    /// <summary>Reads <c>w1 [+|- w2]…</c>: words separated by <c>+</c> or <c>-</c> on their own, the first one positive.</summary>
    private static bool TryParseTerms(string line, out List<string> positive, out List<string> negative)
    {
        positive = [];
        negative = [];
        string[] tokens = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length % 2 == 0)
        {
            return false; // "a b", "a -": a word without its sign, or a sign without its word
        }

        for (int i = 0; i < tokens.Length; i++)
        {
            bool sign = tokens[i] is "+" or "-";
            if (sign != (i % 2 == 1))
            {
                return false;
            }

            if (!sign)
            {
                (i == 0 || tokens[i - 1] == "+" ? positive : negative).Add(tokens[i]);
            }
        }

        return true;
    }

    /// <summary>One line for the words the vectors lack: the word itself when it is one, else the first ten of them.</summary>
    private static string UnknownWords(WordVectors vectors, IEnumerable<string> words)
    {
        string[] distinct = [.. words.Distinct()];
        if (distinct.Length == 1)
        {
            return VectorCommands.NotInVocabulary(vectors, distinct[0]);
        }

        string named = string.Join(", ", distinct.Take(10).Select(word => $"'{word}'"));
        return $"{distinct.Length} words are not in the vocabulary of {vectors.Count:N0} words: {named}{(distinct.Length > 10 ? ", …" : string.Empty)}.";
    }

    /// <summary>
    /// Reads a line on a worker thread, so that Ctrl+C ends a prompt that is waiting for the user (a blocked
    /// <see cref="TextReader.ReadLine"/> does not notice cancellation).
    /// </summary>
    private static string? ReadLine(TextReader input, CancellationToken cancellationToken)
    {
        Task<string?> line = Task.Run(() => input.ReadLine(), CancellationToken.None);

        // Awaited rather than waited on, so that a reading error (invalid UTF-8) comes out as itself, not wrapped.
        return line.WaitAsync(cancellationToken).GetAwaiter().GetResult();
    }
}
