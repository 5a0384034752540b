using System.CommandLine;
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

    /// <summary><c>--plot FILE</c>: also draw a chart there. A missing folder is a usage error, found before any training.</summary>
    public static Option<string?> Plot(string description) => new("--plot")
    {
        Description = description,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<string?>() is { } path && !Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))))
                {
                    result.AddError($"cannot write --plot '{path}': there is no folder '{Path.GetDirectoryName(path)}'");
                }
            },
        },
    };

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Worker threads",
        DefaultValueFactory = _ => Environment.ProcessorCount,
        Validators = { result => { if (result.GetValueOrDefault<int>() < 1) { result.AddError("--threads must be at least 1."); } } },
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
