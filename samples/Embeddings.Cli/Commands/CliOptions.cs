using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Embeddings.Text.Sources;
using Embeddings.Cli.Infrastructure;
using Embeddings.Text.Stemming;

namespace Embeddings.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static readonly Option<bool> Verbose = new("--verbose", "-v")
    {
        Description = "Show stack traces with errors, and log details",
        Recursive = true,
    };

    /// <summary><c>--plot FILE</c>: also draw a chart there. A path that cannot be written is a usage error, found before any training.</summary>
    public static Option<string?> Plot(string description) => new("--plot")
    {
        Description = description,
        Validators = { WritableFile },
    };

    /// <summary>
    /// The validator of an option naming a file to write: its folder exists, it is not a folder, a file can be created
    /// there and the disk is not full (<see cref="OutputCheck.FileProblem"/>). Found while parsing, before any input is
    /// read, so that a long run does not end with nowhere to put its result; <c>-</c> (standard output) passes.
    /// </summary>
    public static void WritableFile(OptionResult result)
    {
        if (result.GetValueOrDefault<string?>() is { Length: > 0 } path && OutputCheck.FileProblem(result.Option.Name, path) is { } problem)
        {
            result.AddError(problem);
        }
    }

    /// <summary>The validator of an option naming a folder to write into (checkpoints): it is a folder or can be created as one, and files can be created there.</summary>
    public static void WritableFolder(OptionResult result)
    {
        if (result.GetValueOrDefault<string?>() is { Length: > 0 } path && OutputCheck.FolderProblem(result.Option.Name, path) is { } problem)
        {
            result.AddError(problem);
        }
    }

    /// <summary>The validator of a count that must be positive (<c>--top</c>, <c>--limit</c>…), in the option's own name rather than the library parameter's.</summary>
    public static void AtLeastOne(OptionResult result)
    {
        // The value is read from the typed text, not converted: text that is not a number is the parser's error to report.
        if (result.Tokens is [{ Value: var text }] && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value < 1)
        {
            result.AddError($"{result.Option.Name} must be at least 1 (was {value})");
        }
    }

    /// <summary>
    /// <c>--subwords MIN-MAX</c>: fastText's character n-gram lengths ("3-6"), or "0" for none; a malformed or
    /// out-of-range value is a parse error naming the option.
    /// </summary>
    public static Option<(int MinN, int MaxN)> Subwords() => new("--subwords")
    {
        Description = "Train fastText's subword model with character n-grams of MIN to MAX code points, e.g. 3-6 (fastText -minn/-maxn); 0 = off",
        HelpName = "MIN-MAX",
        DefaultValueFactory = _ => (0, 0),
        CustomParser = result =>
        {
            string text = result.Tokens is [{ Value: var value }] ? value.Trim() : "";
            if (text == "0")
            {
                return (0, 0);
            }

            string[] parts = text.Split('-');
            if (parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int minN)
                && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int maxN)
                && minN >= 1 && minN <= maxN && maxN <= Embeddings.Core.Training.Word2VecOptions.MaxNgramLength)
            {
                return (minN, maxN);
            }

            result.AddError($"--subwords takes the n-gram lengths as MIN-MAX with 1 ≤ MIN ≤ MAX ≤ {Embeddings.Core.Training.Word2VecOptions.MaxNgramLength} (e.g. 3-6), or 0 for none; got '{text}'");
            return default;
        },
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Validators = { AtLeastOne },
    };

    /// <summary>
    /// <c>--encoding</c> of every command that reads text: strict UTF-8 by default, so that text in another encoding is
    /// an error naming the line rather than words with U+FFFD in them.
    /// </summary>
    public static Option<string> Encoding() => EncodingOption(
        "--encoding",
        "Encoding of the text input: utf-8 (an invalid byte is an error), latin1 (ISO-8859-1), cp1252 (Windows Western European) or replace (UTF-8, invalid bytes read as U+FFFD)");

    /// <summary>
    /// <c>--vectors-encoding</c> of the commands that read word vectors besides another text input (an evaluation set,
    /// a corpus, standard input), whose <c>--encoding</c> it leaves alone: how the words of text and word2vec binary
    /// vectors are decoded. The commands that read only vectors take <c>--encoding</c> for them.
    /// </summary>
    public static Option<string> VectorsEncoding() => EncodingOption(
        "--vectors-encoding",
        "Encoding of the words of text or word2vec binary vectors: utf-8 (an invalid byte is an error), latin1, cp1252 or replace (UTF-8, invalid bytes read as U+FFFD)");

    private static Option<string> EncodingOption(string name, string description) => new Option<string>(name)
    {
        Description = description,
        DefaultValueFactory = _ => "utf-8",
    }.AcceptOnlyFromAmong("utf-8", "latin1", "cp1252", "replace");

    /// <summary>How the sources read text, as the <see cref="Encoding"/> option <paramref name="encoding"/> says.</summary>
    public static LineSourceOptions Reading(ParseResult parse, Option<string> encoding) => new()
    {
        Encoding = parse.GetValue(encoding) switch
        {
            "latin1" => TextEncoding.Latin1,
            "cp1252" => TextEncoding.Windows1252,
            "replace" => TextEncoding.Utf8ReplaceInvalid,
            _ => TextEncoding.Utf8,
        },
    };

    public static Option<string> Snowball() => new Option<string>("--snowball")
    {
        Description = "Stemmer implementation to reproduce: 3.1 (current Snowball), 2.2 (the snowballstemmer package 2.2.0, PyStemmer 2.2) or nltk (NLTK 3.8's SnowballStemmer)",
        DefaultValueFactory = _ => "3.1",
    }.AcceptOnlyFromAmong("3.1", "2.2", "nltk");

    public static SnowballVersion ParseSnowball(string value) => value switch
    {
        "2.2" => SnowballVersion.Snowball22,
        "nltk" => SnowballVersion.Nltk38,
        _ => SnowballVersion.Snowball31,
    };
}
