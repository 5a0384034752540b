using System.CommandLine;
using System.Diagnostics;
using Embeddings.Cli.Infrastructure;
using Embeddings.Text;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Commands;

/// <summary><c>embeddings preprocess</c>: raw text (plain, gzip or a CSV column) → one line of tokens per record, or per sentence.</summary>
internal static class PreprocessCommand
{
    public static Command Create()
    {
        var input = new Option<string>("--input", "-i") { Description = "Text file, plain or gzip (detected from its bytes), or - for standard input", Required = true };
        var csvColumn = new Option<string?>("--csv-column") { Description = "Read the CSV column with this header name instead of whole lines" };
        var text = new TextOptions();
        var output = new Option<string>("--output", "-o") { Description = "Output file, or - for standard output", DefaultValueFactory = _ => "-", Validators = { CliOptions.WritableFile } };
        var threads = CliOptions.Threads();

        var command = new Command("preprocess", "Normalise, tokenize, drop stopwords and stem: one output line of space-separated tokens per input record (empty lines kept, so record numbers match), or per sentence with --sentences")
        {
            input, csvColumn,
        };
        text.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(threads);
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            TextPipeline pipeline = text.BuildPipeline(parse);
            string path = parse.GetValue(input)!;
            string? column = parse.GetValue(csvColumn);
            LineSource source = column is not null ? InputText.OpenCsvColumn(path, column, text.Reading(parse)) : InputText.Open(path, text.Reading(parse));

            if (path != "-" && File.Exists(path))
            {
                // Half the input's size: normalising and dropping stopwords shrink text, and a refusal must be sure.
                OutputCheck.RequireSpace(new PlannedOutput("--output", parse.GetValue(output), new FileInfo(path).Length / 2));
            }

            var clock = Stopwatch.StartNew();
            using OutputTarget target = OutputTarget.Open(parse.GetValue(output));
            (long records, long tokens) = ProgressDisplay.Run($"preprocess {Path.GetFileName(path)}", progress =>
            {
                long records = 0, tokens = 0;
                IEnumerable<string> lines = source.ReadLines(progress, cancellationToken).Select(line => line.Text);
                foreach (IReadOnlyList<string> line in text.Tokenize(parse, pipeline, lines, recordsAreParagraphs: column is not null, parse.GetValue(threads), cancellationToken))
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
}
