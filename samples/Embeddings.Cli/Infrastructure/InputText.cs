using Embeddings.Core.IO;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The text a command reads: a file (plain or gzip, checked by <see cref="LineSource"/>) or, for <c>-</c>, standard
/// input. Standard input is checked the same way before any of it is used, and gzip data there is refused
/// (<see cref="LineSourceOptions.RefuseGzip"/>): it means the user piped a compressed file.
/// </summary>
internal static class InputText
{
    public const string StandardInputName = "standard input";

    /// <summary>
    /// Where an input that is not read with <c>--encoding</c> (the vectors of a command that reads another text too)
    /// leaves its option in <see cref="Exception.Data"/>, for the message.
    /// </summary>
    public const string EncodingOptionKey = "EncodingOption";

    /// <summary>What to do about text that is not UTF-8, said with <paramref name="option"/> (<c>--encoding</c>, <c>--vectors-encoding</c>).</summary>
    public static string EncodingHintFor(string option) =>
        $"If it is Latin-1 or Windows-1252 text, pass {option} latin1 or {option} cp1252; {option} replace reads each invalid byte as U+FFFD.";

    /// <summary>The longest corpus record the commands hold (see <see cref="Corpus"/>).</summary>
    public const int CorpusRecordLength = 1 << 20;

    /// <summary>Warnings already printed: a command that reads its corpus twice (ppmi, train) says each thing once.</summary>
    private static readonly HashSet<string> Warned = [];

    /// <summary>
    /// How corpora are read: as <paramref name="reading"/> says (<c>--encoding</c>), in records of up to 1 Mi characters,
    /// a longer line split at whitespace (a stretch without any is cut, with one warning on standard error). The
    /// library's default bound, 64 Mi, would keep a one-line corpus (a 200 MB dump) within memory only for some commands:
    /// tokenizing a record takes several times its size. 1 Mi is a hundred times the longest line of ordinary corpora
    /// and, since training cuts sentences at 10,000 words anyway, splitting there changes nothing a model sees except at
    /// the split points.
    /// </summary>
    public static LineSourceOptions Corpus(LineSourceOptions reading) =>
        reading with { MaxRecordLength = CorpusRecordLength, SplitLongRecords = true, Warning = WarnOnce };

    private static void WarnOnce(string message)
    {
        lock (Warned)
        {
            if (Warned.Add(message))
            {
                Console.Error.WriteLine($"warning: {message}");
            }
        }
    }

    /// <summary>The lines of the corpus <paramref name="pathOrDash"/>; standard input (read once) for <c>-</c>.</summary>
    /// <param name="pathOrDash">The file, or <c>-</c>.</param>
    /// <param name="options">How to read it (<c>--encoding</c>); the corpus bound is applied here.</param>
    public static LineSource Open(string pathOrDash, LineSourceOptions options) =>
        pathOrDash == "-" ? StandardInput(fileOption: "--input", options) : LineSource.FromFile(pathOrDash, Corpus(options));

    /// <summary>The values of one CSV column of <paramref name="pathOrDash"/>; standard input (read once) for <c>-</c>.</summary>
    public static LineSource OpenCsvColumn(string pathOrDash, string column, LineSourceOptions options) => pathOrDash == "-"
        ? LineSource.FromCsvColumn(Console.OpenStandardInput(), StandardInputName, column, leaveOpen: false, PipedText("--input", options))
        : LineSource.FromCsvColumn(pathOrDash, column, options);

    /// <summary>
    /// Like <see cref="Open"/>, for a command that reads its input more than once (to count the words, then to encode
    /// them): standard input is first copied to a temporary file in <paramref name="spoolFolder"/> (beside the output or
    /// the checkpoint, like the encoded corpus), so that it is never held in memory; disposing the result deletes it.
    /// </summary>
    /// <param name="pathOrDash">The file, or <c>-</c>.</param>
    /// <param name="options">How to read it (<c>--encoding</c>); the corpus bound is applied here.</param>
    /// <param name="spoolFolder">Where standard input is copied.</param>
    /// <param name="spoolName">The name its copy stands for (a temporary file of that name, removed when stale).</param>
    /// <param name="cancellationToken">Checked while standard input is copied.</param>
    public static RereadableInput OpenRereadable(
        string pathOrDash, LineSourceOptions options, string spoolFolder, string spoolName, CancellationToken cancellationToken)
    {
        if (pathOrDash != "-")
        {
            LineSource file = LineSource.FromFile(pathOrDash, Corpus(options));
            return new RereadableInput(Describe(file), () => file, spool: null);
        }

        TemporaryFile.RemoveStale(spoolFolder, spoolName);
        string spool = TemporaryFile.PathFor(Path.Combine(spoolFolder, spoolName));
        try
        {
            // Copied as it comes; it is checked (gzip, binary data, encoding) when the copy is read.
            using (Stream input = Console.OpenStandardInput())
            using (var copy = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                byte[] buffer = new byte[1 << 20];
                int read;
                while ((read = input.Read(buffer)) > 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    copy.Write(buffer, 0, read);
                }
            }

            return new RereadableInput(
                StandardInputName,
                () => LineSource.FromStream(File.OpenRead(spool), StandardInputName, leaveOpen: false, Corpus(PipedText("--input", options))),
                spool);
        }
        catch
        {
            File.Delete(spool);
            throw;
        }
    }

    /// <summary>The lines of standard input, which can be read once, with the corpus bound.</summary>
    /// <param name="fileOption">The option that takes a file instead, named in the gzip message; <see langword="null"/> when there is none.</param>
    /// <param name="options">How to read it (<c>--encoding</c>).</param>
    public static LineSource StandardInput(string? fileOption, LineSourceOptions options) =>
        LineSource.FromStream(Console.OpenStandardInput(), StandardInputName, leaveOpen: false, Corpus(PipedText(fileOption, options)));

    /// <summary>
    /// Standard input as a <see cref="TextReader"/>, for the commands that answer it line by line (<c>query</c>,
    /// <c>print-vectors</c>): checked, decoded and bounded as the corpus commands read it.
    /// </summary>
    /// <param name="options">How to read it (<c>--encoding</c>).</param>
    /// <param name="tokens">
    /// Whether a line holds words (a line longer than the corpus bound is split at whitespace) rather than one request
    /// (a line longer than the library's bound is an error).
    /// </param>
    public static TextReader StandardInputReader(LineSourceOptions options, bool tokens)
    {
        Stream input = Console.OpenStandardInput();
        LineSourceOptions reading = PipedText(fileOption: null, options);
        return new LineReader(
            LineSource.FromStream(input, StandardInputName, leaveOpen: false, tokens ? Corpus(reading) : reading with { SplitLongRecords = false }), input);
    }

    /// <summary>
    /// An evaluation set (analogy questions, word pairs) as a reader for the evaluations of Embeddings.Core, read by a
    /// <see cref="LineSource"/>: gzip, binary data and the encoding are then handled as for every other text input, and a
    /// line longer than the library's bound is an error (one question or pair a line), not split.
    /// </summary>
    /// <remarks>The file is opened here, so that a missing file or a folder is reported as for the other files this command opens.</remarks>
    public static TextReader OpenEvaluationSet(string path, LineSourceOptions options)
    {
        FileStream file = File.OpenRead(path);
        return new LineReader(LineSource.FromStream(file, path, leaveOpen: false, options with { SplitLongRecords = false }), file);
    }

    /// <summary>
    /// The option that takes a file instead of standard input (<c>--input</c>), for the message when gzip data is
    /// piped; <see langword="null"/> when the command has none. A process runs one command, which reads standard
    /// input at most once.
    /// </summary>
    public static string? StandardInputFileOption { get; private set; }

    /// <summary>
    /// How standard input is read: as <paramref name="options"/> say, with gzip refused (a user pipes text; compressed
    /// bytes mean the wrong thing was piped) and binary data reported as such.
    /// </summary>
    private static LineSourceOptions PipedText(string? fileOption, LineSourceOptions options)
    {
        StandardInputFileOption = fileOption;
        return options with { RefuseGzip = true };
    }

    /// <summary>The advice for gzip piped in, in the CLI's terms: the file option, when the command has one.</summary>
    public static string DecompressHint(string libraryHint) =>
        StandardInputFileOption is { } option ? $" or pass the file with {option}" : libraryHint;

    /// <summary>Where a command writing <paramref name="output"/> copies standard input: the checkpoint folder, else the output's folder.</summary>
    public static string SpoolFolder(string output, string? checkpointFolder) =>
        checkpointFolder ?? Path.GetDirectoryName(Path.GetFullPath(output))!;

    /// <summary>The name the copy of standard input stands for, for a command writing <paramref name="output"/>.</summary>
    public static string SpoolName(string output) => Path.GetFileName(Path.GetFullPath(output)) + ".stdin";

    /// <summary>
    /// A corpus that can be read any number of times: each <see cref="ReadLines"/> opens it afresh (the file, or the
    /// copy of standard input, which <see cref="Dispose"/> deletes).
    /// </summary>
    internal sealed class RereadableInput(string description, Func<LineSource> open, string? spool) : IDisposable
    {
        /// <summary>How the input is named in messages (see <see cref="Describe"/>).</summary>
        public string Description => description;

        /// <summary>The lines, read from the start on each enumeration.</summary>
        public IEnumerable<TextLine> ReadLines(IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
        {
            foreach (TextLine line in open().ReadLines(progress, cancellationToken))
            {
                yield return line;
            }
        }

        public void Dispose()
        {
            if (spool is not null)
            {
                File.Delete(spool);
            }
        }
    }

    /// <summary>How a source is named in messages: quoted when it is a file.</summary>
    public static string Describe(LineSource source) => source.Name == StandardInputName ? StandardInputName : $"'{source.Name}'";

    /// <summary>The lines of a source as a <see cref="TextReader"/> (each line followed by <c>\n</c>); closes <paramref name="stream"/> with it.</summary>
    private sealed class LineReader(LineSource source, Stream stream) : TextReader
    {
        private readonly IEnumerator<TextLine> _lines = source.ReadLines().GetEnumerator();
        private string? _rest; // what Read has not yet returned of the current line, its newline included

        public override string? ReadLine()
        {
            if (_rest is not null)
            {
                string line = _rest[..^1];
                _rest = null;
                return line;
            }

            return _lines.MoveNext() ? _lines.Current.Text : null;
        }

        public override int Peek() => Fill() ? _rest![0] : -1;

        public override int Read()
        {
            if (!Fill())
            {
                return -1;
            }

            char c = _rest![0];
            _rest = _rest.Length == 1 ? null : _rest[1..];
            return c;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _lines.Dispose();
                stream.Dispose(); // in case the lines were never read, which is when the source would close it
            }

            base.Dispose(disposing);
        }

        private bool Fill()
        {
            if (_rest is null && _lines.MoveNext())
            {
                _rest = _lines.Current.Text + "\n";
            }

            return _rest is not null;
        }
    }
}
