using System.CommandLine;
using System.Diagnostics;
using Embeddings.Cli.Infrastructure;
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings preprocess</c>: raw text (plain, gzip or a CSV column) → one line of tokens per record.</summary>
internal static class PreprocessCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Text file, plain or gzip (detected from its bytes), or - for standard input", Required = true };
        var csvColumn = new Option<string?>("--csv-column") { Description = "Read the CSV column with this header name instead of whole lines" };
        var lowercase = new Option<bool>("--lowercase") { Description = "Lowercase (invariant culture)" };
        var stripDiacritics = new Option<bool>("--strip-diacritics") { Description = "Remove accents: canción → cancion" };
        var replaceUrls = new Option<bool>("--replace-urls") { Description = "Replace web addresses with <url>" };
        var replaceNumbers = new Option<bool>("--replace-numbers") { Description = "Replace numbers with <num>" };
        var keep = new Option<string?>("--keep") { Description = "Keep only these characters, written like a regex class, e.g. \"a-z@# \"" };
        var tokenizer = new Option<string>("--tokenizer") { Description = "whitespace, or word (letters and digits; @mentions and #hashtags kept)", DefaultValueFactory = _ => "whitespace" }
            .AcceptOnlyFromAmong("whitespace", "word");
        var minLength = new Option<int>("--min-length") { Description = "Drop tokens shorter than this", DefaultValueFactory = _ => 1 };
        var stopwords = new Option<string?>("--stopwords") { Description = "english, spanish (NLTK's lists) or the path of a list, one word a line" };
        var stem = new Option<string?>("--stem") { Description = "Snowball stemmer: english or spanish" }.AcceptOnlyFromAmong("english", "spanish");
        var snowball = CliOptions.Snowball();
        var output = new Option<string>("--output", "-o") { Description = "Output file, or - for standard output", DefaultValueFactory = _ => "-", Validators = { CliOptions.FolderMustExist } };
        var threads = CliOptions.Threads();

        var command = new Command("preprocess", "Normalise, tokenize, drop stopwords and stem: one output line of space-separated tokens per input record (empty lines kept, so record numbers match)")
        {
            input, csvColumn, lowercase, stripDiacritics, replaceUrls, replaceNumbers, keep, tokenizer, minLength, stopwords, stem, snowball, output, threads,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            TextPipelineBuilder builder = TextPipeline.CreateBuilder();
            if (parse.GetValue(stripDiacritics))
            {
                builder.StripDiacritics();
            }

            if (parse.GetValue(lowercase))
            {
                builder.Lowercase();
            }

            if (parse.GetValue(replaceUrls))
            {
                builder.ReplaceUrls(" <url> ");
            }

            if (parse.GetValue(replaceNumbers))
            {
                builder.ReplaceNumbers(" <num> ");
            }

            if (parse.GetValue(keep) is { } characters)
            {
                builder.KeepOnly(characters);
            }

            if (parse.GetValue(tokenizer) == "word")
            {
                builder.TokenizeWords(keepMentionsAndHashtags: true);
            }
            else
            {
                builder.TokenizeOnWhitespace();
            }

            builder.MinTokenLength(parse.GetValue(minLength));
            if (parse.GetValue(stopwords) is { } list)
            {
                builder.RemoveStopwords(Stopwords(list));
            }

            if (parse.GetValue(stem) is { } language)
            {
                builder.Stem(Stemmers.ForLanguage(language, CliOptions.ParseSnowball(parse.GetValue(snowball)!)));
            }

            TextPipeline pipeline = builder.Build();
            string path = parse.GetValue(input)!;
            LineSource source = parse.GetValue(csvColumn) is { } column ? InputText.OpenCsvColumn(path, column) : InputText.Open(path);

            var clock = Stopwatch.StartNew();
            using OutputTarget target = OutputTarget.Open(parse.GetValue(output));
            (long records, long tokens) = ProgressDisplay.Run($"preprocess {Path.GetFileName(path)}", progress =>
            {
                long records = 0, tokens = 0;
                IEnumerable<string> lines = source.ReadLines(progress, cancellationToken).Select(line => line.Text);
                foreach (IReadOnlyList<string> line in pipeline.Process(lines, parse.GetValue(threads), cancellationToken))
                {
                    for (int i = 0; i < line.Count; i++)
                    {
                        if (i > 0)
                        {
                            target.Writer.Write(' ');
                        }

                        target.Writer.Write(line[i]);
                    }

                    target.Writer.Write('\n');
                    records++;
                    tokens += line.Count;
                }

                return (records, tokens);
            });
            target.Commit();
            Console.Error.WriteLine($"preprocessed {records:N0} records, {tokens:N0} tokens in {clock.Elapsed.TotalSeconds:F2} s");
            return CommandRunner.Success;
        }));
        return command;
    }

    /// <summary><c>--stopwords</c>: a list by language, else a file; a misspelt language is not taken for a missing file.</summary>
    private static StopwordList Stopwords(string list) => list switch
    {
        "english" or "spanish" => StopwordList.ForLanguage(list),
        _ when File.Exists(list) => StopwordList.FromFile(list),
        _ when Suggestions.Closest(list, ["english", "spanish"]) is { } language =>
            throw new ArgumentException($"unknown stopwords '{list}'; did you mean '{language}'? (or a file of words that exists)"),
        _ => throw new FileNotFoundException($"'{list}' does not exist; --stopwords takes english, spanish or a file of words, one a line"),
    };
}
