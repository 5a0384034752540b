using System.CommandLine;
using System.Text;
using Embeddings.Cli.Infrastructure;
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
using Embeddings.Text.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// The text options that <c>preprocess</c> and <c>train</c> share (encoding, normalisation, tokenizer, stopwords,
/// stemming and sentence splitting), defined once, with the one way of turning them into a <see cref="TextPipeline"/>. Each command
/// makes its own instance, since an option belongs to one command.
/// </summary>
internal sealed class TextOptions
{
    /// <summary><c>--encoding</c>: of the input and of a <c>--stopwords</c> file.</summary>
    public Option<string> Encoding { get; } = CliOptions.Encoding();

    public Option<bool> Sentences { get; } = new("--sentences")
    {
        Description = "One record per sentence: join each paragraph's lines (blank lines separate paragraphs; each CSV record is one) and split it into sentences",
    };

    public Option<bool> Lowercase { get; } = new("--lowercase") { Description = "Lowercase (invariant culture)" };

    public Option<bool> StripDiacritics { get; } = new("--strip-diacritics") { Description = "Remove accents: canción → cancion" };

    public Option<bool> ReplaceUrls { get; } = new("--replace-urls") { Description = "Replace web addresses with <url>" };

    public Option<bool> ReplaceNumbers { get; } = new("--replace-numbers") { Description = "Replace numbers with <num>" };

    public Option<string?> Keep { get; } = new("--keep") { Description = "Keep only these characters, written like a regex class, e.g. \"a-z@# \"" };

    public Option<string> Tokenizer { get; } = new Option<string>("--tokenizer")
    {
        Description = "whitespace, or word (letters and digits; @mentions and #hashtags kept)",
        DefaultValueFactory = _ => "whitespace",
    }.AcceptOnlyFromAmong("whitespace", "word");

    public Option<int> MinLength { get; } = new("--min-length") { Description = "Drop tokens shorter than this", DefaultValueFactory = _ => 1 };

    public Option<string?> Stopwords { get; } = new("--stopwords") { Description = "english, spanish (NLTK's lists) or the path of a list, one word a line" };

    public Option<string?> Stem { get; } = new Option<string?>("--stem") { Description = "Snowball stemmer: english or spanish" }.AcceptOnlyFromAmong("english", "spanish");

    public Option<string> Snowball { get; } = CliOptions.Snowball();

    /// <summary>Adds the options to <paramref name="command"/>, in the order the help lists them.</summary>
    public void AddTo(Command command)
    {
        Option[] options = [Encoding, Sentences, Lowercase, StripDiacritics, ReplaceUrls, ReplaceNumbers, Keep, Tokenizer, MinLength, Stopwords, Stem, Snowball];
        foreach (Option option in options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>How the input (and a stopword file) is read: <c>--encoding</c>.</summary>
    public LineSourceOptions Reading(ParseResult parse) => CliOptions.Reading(parse, Encoding);

    /// <summary>
    /// Whether any option changes the text: when none does, <c>train</c> reads its input's whitespace-separated tokens as
    /// they are, on its fast path.
    /// </summary>
    public bool ChangeText(ParseResult parse) =>
        parse.GetValue(Sentences) || parse.GetValue(Lowercase) || parse.GetValue(StripDiacritics) || parse.GetValue(ReplaceUrls)
        || parse.GetValue(ReplaceNumbers) || parse.GetValue(Keep) is not null || parse.GetValue(Tokenizer) != "whitespace"
        || parse.GetValue(MinLength) != 1 || parse.GetValue(Stopwords) is not null || parse.GetValue(Stem) is not null;

    /// <summary>The pipeline the options describe; normalisation runs strip-diacritics → lowercase → urls → numbers → keep.</summary>
    public TextPipeline BuildPipeline(ParseResult parse) => Settings(parse).BuildPipeline();

    /// <summary>
    /// The settings the options describe, a stopword file read into its words: what <c>classify train</c> records in
    /// its model so that <c>test</c> and <c>predict</c> process text the same way without the options or the file.
    /// </summary>
    public PipelineSettings Settings(ParseResult parse) => new(
        parse.GetValue(StripDiacritics), parse.GetValue(Lowercase), parse.GetValue(ReplaceUrls), parse.GetValue(ReplaceNumbers),
        parse.GetValue(Keep), parse.GetValue(Tokenizer)!, parse.GetValue(MinLength),
        parse.GetValue(Stopwords) is { } list ? LoadStopwords(list, Reading(parse)).Words : null,
        parse.GetValue(Stem), parse.GetValue(Snowball)!);

    /// <summary>
    /// The tokens of each record of <paramref name="records"/> (of each sentence with <c>--sentences</c>), in order, on
    /// <paramref name="threads"/> threads.
    /// </summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="pipeline">The pipeline from <see cref="BuildPipeline"/>, built once per command.</param>
    /// <param name="records">The input's lines, or its CSV records when <paramref name="recordsAreParagraphs"/>.</param>
    /// <param name="recordsAreParagraphs">Each record is a paragraph of its own (a CSV cell): sentences never run from one into the next.</param>
    /// <param name="threads">Worker threads of the pipeline.</param>
    /// <param name="cancellationToken">Stops between batches of records.</param>
    public IEnumerable<IReadOnlyList<string>> Tokenize(
        ParseResult parse, TextPipeline pipeline, IEnumerable<string> records, bool recordsAreParagraphs, int threads, CancellationToken cancellationToken)
    {
        if (parse.GetValue(Sentences))
        {
            records = SplitSentences(recordsAreParagraphs ? records.SelectMany(record => new[] { record, string.Empty }) : records);
        }

        return pipeline.Process(records, threads, cancellationToken);
    }

    /// <summary>
    /// Joins the lines of each paragraph (blank lines separate paragraphs) with a space and yields its sentences, so that
    /// a hard-wrapped book gives one sentence a record. It streams: a sentence is yielded as soon as more text follows it
    /// (only then does <see cref="SentenceSplitter"/> know it ended), so memory holds about one sentence, however long
    /// the paragraph; the results equal splitting each whole paragraph at once.
    /// </summary>
    private static IEnumerable<string> SplitSentences(IEnumerable<string> lines)
    {
        SentenceSplitter splitter = SentenceSplitter.Default;
        var paragraph = new StringBuilder();
        foreach (string line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                foreach (string sentence in splitter.Split(paragraph.ToString()))
                {
                    yield return sentence;
                }

                paragraph.Clear();
                continue;
            }

            if (paragraph.Length > 0)
            {
                paragraph.Append(' ');
            }

            paragraph.Append(line);
            string text = paragraph.ToString();
            int position = 0, finished = 0;
            while (splitter.TryReadSentence(text, ref position, out Range sentence) && !text.AsSpan(position).IsWhiteSpace())
            {
                yield return text[sentence];
                finished = position;
            }

            paragraph.Remove(0, finished);
        }

        foreach (string sentence in splitter.Split(paragraph.ToString()))
        {
            yield return sentence;
        }
    }

    /// <summary><c>--stopwords</c>: a list by language, else a file; a misspelt language is not taken for a missing file.</summary>
    private static StopwordList LoadStopwords(string list, LineSourceOptions reading) => list switch
    {
        "english" or "spanish" => StopwordList.ForLanguage(list),
        _ when File.Exists(list) => StopwordList.FromFile(list, reading),
        _ when Directory.Exists(list) => throw new IOException($"--stopwords '{list}' is a folder; give english, spanish or a file of words, one a line"),
        _ when Suggestions.Closest(list, ["english", "spanish"]) is { } language =>
            throw new ArgumentException($"unknown stopwords '{list}'; did you mean '{language}'? (or a file of words that exists)"),
        _ => throw new FileNotFoundException($"'{list}' does not exist; --stopwords takes english, spanish or a file of words, one a line"),
    };
}

/// <summary>The text options as values (a stopword list as its words), which build a <see cref="TextPipeline"/>.</summary>
internal sealed record PipelineSettings(
    bool StripDiacritics, bool Lowercase, bool ReplaceUrls, bool ReplaceNumbers, string? Keep, string Tokenizer, int MinLength,
    IReadOnlyList<string>? Stopwords, string? Stem, string Snowball)
{
    /// <summary>The pipeline; normalisation runs strip-diacritics → lowercase → urls → numbers → keep.</summary>
    public TextPipeline BuildPipeline()
    {
        TextPipelineBuilder builder = TextPipeline.CreateBuilder();
        if (StripDiacritics)
        {
            builder.StripDiacritics();
        }

        if (Lowercase)
        {
            builder.Lowercase();
        }

        if (ReplaceUrls)
        {
            builder.ReplaceUrls(" <url> ");
        }

        if (ReplaceNumbers)
        {
            builder.ReplaceNumbers(" <num> ");
        }

        if (Keep is { } characters)
        {
            builder.KeepOnly(characters);
        }

        if (Tokenizer == "word")
        {
            builder.TokenizeWords(keepMentionsAndHashtags: true);
        }
        else
        {
            builder.TokenizeOnWhitespace();
        }

        builder.MinTokenLength(MinLength);
        if (Stopwords is { } words)
        {
            builder.RemoveStopwords(StopwordList.FromWords(words));
        }

        if (Stem is { } language)
        {
            builder.Stem(Stemmers.ForLanguage(language, CliOptions.ParseSnowball(Snowball)));
        }

        return builder.Build();
    }
}
