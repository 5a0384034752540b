using System.CommandLine;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Corpus;
using Embeddings.Text.Sources;
using Embeddings.Text.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings vocab</c>: counts the tokens of a token file (one record a line, tokens separated by spaces).</summary>
internal static class VocabCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Token file, e.g. the output of preprocess (plain or gzip), or - for standard input", Required = true };
        var minCount = new Option<int>("--min-count") { Description = "Keep words seen at least this many times", DefaultValueFactory = _ => 5 };
        var maxSize = new Option<int?>("--max-size") { Description = "Keep at most this many words (the rarest go first)", Validators = { CliOptions.AtLeastOne } };
        var output = new Option<string>("--output", "-o") { Description = "Write the word count lines here (- for standard output)", DefaultValueFactory = _ => "-", Validators = { CliOptions.WritableFile } };
        var encoding = CliOptions.Encoding();
        var command = new Command("vocab", "Count words: 'word count' lines by count descending, then word; 'vocab_size N' as the last line of standard output")
        {
            input, minCount, maxSize, output, encoding,
        };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            string path = parse.GetValue(input)!;
            if (parse.GetValue(minCount) < 1)
            {
                throw new ArgumentException($"--min-count must be at least 1 (was {parse.GetValue(minCount)}).");
            }

            LineSource source = InputText.Open(path, CliOptions.Reading(parse, encoding));
            // Tokens are counted as spans: only a word's first occurrence becomes a string, so a long line costs its size.
            var counter = new VocabularyCounter();
            Vocabulary vocabulary = ProgressDisplay.Run($"vocab {Path.GetFileName(path)}", progress =>
            {
                foreach (TextLine line in source.ReadLines(progress, cancellationToken))
                {
                    ReadOnlySpan<char> text = line.Text;
                    int position = 0;
                    while (Tokenizer.Whitespace.TryReadToken(text, ref position, out Range token))
                    {
                        counter.Add(text[token]);
                    }
                }

                return counter.ToVocabulary(parse.GetValue(minCount), parse.GetValue(maxSize));
            });
            if (counter.Tokens == 0)
            {
                throw new InvalidDataException($"{InputText.Describe(source)} holds no words to count");
            }

            using OutputTarget target = OutputTarget.Open(parse.GetValue(output));
            vocabulary.WriteCounts(target.Writer);
            target.Commit();
            Console.Out.WriteLine($"vocab_size {vocabulary.Count}");
            return CommandRunner.Success;
        }));
        return command;
    }
}
