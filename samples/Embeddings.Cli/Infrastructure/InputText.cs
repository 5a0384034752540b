using System.Globalization;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Text.Sources;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The text a command reads: a file (plain or gzip, checked by <see cref="LineSource"/>) or, for <c>-</c>, standard
/// input. Standard input is checked the same way before any of it is used: gzip data or a NUL byte there means the
/// user piped a binary file, which would otherwise be read as garbage text and succeed.
/// </summary>
internal static class InputText
{
    public const string StandardInputName = "standard input";

    /// <summary>What to do about text that is not UTF-8, said with the CLI's option (the library names its own setting).</summary>
    public const string EncodingHint =
        "If it is Latin-1 or Windows-1252 text, pass --encoding latin1 or --encoding cp1252; --encoding replace reads each invalid byte as U+FFFD.";

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
        ? LineSource.FromCsvColumn(CheckedStandardInput("--input"), StandardInputName, column, leaveOpen: false, options)
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
            using (CheckedStream input = CheckedStandardInput("--input"))
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
                () => LineSource.FromStream(File.OpenRead(spool), StandardInputName, leaveOpen: false, Corpus(options)),
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
        LineSource.FromStream(CheckedStandardInput(fileOption), StandardInputName, leaveOpen: false, Corpus(options));

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

    private static CheckedStream CheckedStandardInput(string? fileOption) => new(Console.OpenStandardInput(), fileOption);

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

    /// <summary>
    /// Passes standard input through, looking at its first bytes on the way: the gzip magic number, and NUL bytes in
    /// the first 8 KB (as the file reader does; text never holds them, unless a UTF-16 or UTF-32 byte order mark says so).
    /// </summary>
    private sealed class CheckedStream(Stream inner, string? fileOption) : ReadOnlyForwardStream
    {
        private const int CheckedLength = 8192;
        private readonly byte[] _head = new byte[4];
        private long _position;

        public override int Read(Span<byte> buffer)
        {
            int n = inner.Read(buffer);
            if (_position < CheckedLength && n > 0)
            {
                Check(buffer[..n]);
            }

            _position += n;
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Check(ReadOnlySpan<byte> data)
        {
            for (int i = 0; i < data.Length && _position + i < _head.Length; i++)
            {
                _head[(int)_position + i] = data[i];
            }

            long seen = _position + data.Length;
            if (seen >= 2 && _head[0] == 0x1F && _head[1] == 0x8B)
            {
                throw new InvalidDataException(fileOption is null
                    ? "standard input is gzip-compressed: decompress it first (gunzip -c FILE | …)"
                    : $"standard input is gzip-compressed: decompress it first or pass the file with {fileOption}");
            }

            // UTF-16 and UTF-32 text is full of NUL bytes; its byte order mark (FF FE, FE FF, 00 00 FE FF) announces it.
            bool wideText = seen >= 2 && ((_head[0] == 0xFF && _head[1] == 0xFE) || (_head[0] == 0xFE && _head[1] == 0xFF) || (_head[0] == 0 && _head[1] == 0));
            int checkedBytes = (int)Math.Min(data.Length, CheckedLength - _position);
            int nul = data[..checkedBytes].IndexOf((byte)0);
            if (nul >= 0 && !wideText)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture,
                    $"standard input holds binary data (a NUL byte at byte {_position + nul}); expected UTF-8 text"));
            }
        }
    }
}
