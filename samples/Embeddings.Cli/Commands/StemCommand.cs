using System.CommandLine;
using System.Text;
using Embeddings.Cli.Infrastructure;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings stem</c>: words on standard input, one a line → stems on standard output, same order.</summary>
internal static class StemCommand
{
    public static Command Create()
    {
        var language = new Option<string>("--language", "-l") { Description = "english or spanish", Required = true }
            .AcceptOnlyFromAmong("english", "spanish");
        var snowball = CliOptions.Snowball();
        var encoding = CliOptions.Encoding();
        var command = new Command("stem", "Stem words read from standard input, one a line; write the stems in the same order") { language, snowball, encoding };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            IStemmer stemmer = Stemmers.ForLanguage(parse.GetValue(language)!, CliOptions.ParseSnowball(parse.GetValue(snowball)!));
            using var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), bufferSize: 1 << 16) { NewLine = "\n" };
            char[] buffer = new char[256];
            foreach (TextLine line in InputText.StandardInput(fileOption: null, CliOptions.Reading(parse, encoding)).ReadLines(cancellationToken))
            {
                string word = line.Text;
                if (buffer.Length < word.Length)
                {
                    buffer = new char[word.Length * 2];
                }

                int length = stemmer.Stem(word, buffer);
                output.Write(buffer, 0, length);
                output.Write('\n');
            }

            return CommandRunner.Success;
        }));
        return command;
    }
}
