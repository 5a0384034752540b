using System.Globalization;
using System.IO.Compression;
using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Text.Sources;

/// <summary>
/// One open read of a source: file or stream → byte counter → gzip (when the magic bytes say so) →
/// <see cref="TextInputStream"/> (binary check, strict UTF-8 check, truncation check, cancellation, progress) →
/// <see cref="StreamReader"/> in the chosen encoding. Owns and disposes every layer.
/// </summary>
internal sealed class TextInput : IDisposable
{
    /// <summary>Buffer size of every layer: large enough that per-read costs vanish, small enough for L2.</summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>
    /// UTF-8 that replaces invalid bytes with U+FFFD instead of throwing; the decoder keeps split sequences. Strict UTF-8
    /// uses it too, after <see cref="TextInputStream"/> has checked the bytes: that check knows the line and offset.
    /// </summary>
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>Windows-1252 from the code pages that ship with .NET, without registering a provider for the whole process.</summary>
    private static readonly Lazy<Encoding> Windows1252 = new(() => CodePagesEncodingProvider.Instance.GetEncoding(1252)!);

    private readonly RawInputStream _raw;
    private readonly GZipStream? _gzip;
    private readonly TextInputStream _text;

    private TextInput(SourceOrigin origin, RawInputStream raw, GZipStream? gzip, ProgressReporter? progress, CancellationToken cancellationToken)
    {
        TextEncoding encoding = origin.Options.Encoding;
        Name = origin.Name;
        PlainTextStream = !origin.IsFile && origin.Options.RefuseGzip;
        _raw = raw;
        _gzip = gzip;
        _text = new TextInputStream(this, gzip ?? (Stream)raw, raw, strictUtf8: encoding == TextEncoding.Utf8, progress, cancellationToken);

        // The reader detects a UTF-8 (or UTF-16/32) byte order mark and drops it.
        Reader = new StreamReader(_text, Decoder(encoding), detectEncodingFromByteOrderMarks: true, BufferSize, leaveOpen: true);
    }

    public string Name { get; }

    /// <summary>Whether this is a caller's stream that must hold plain text (gzip refused), which changes how binary data is reported.</summary>
    public bool PlainTextStream { get; }

    public StreamReader Reader { get; }

    public bool IsGzip => _gzip is not null;

    /// <summary>Bytes consumed from the file or stream as stored.</summary>
    public long BytesRead => _raw.BytesRead;

    /// <summary>Records yielded so far; set by the enumerator, read for progress.</summary>
    public long RecordsRead { get; set; }

    /// <summary>Physical lines fully read so far; set by the enumerator, read for error messages.</summary>
    public long LinesRead { get; set; }

    public static TextInput Open(SourceOrigin origin, IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Stream stream = origin.Open(out bool leaveOpen, out long? length);
        var raw = new RawInputStream(stream, leaveOpen);
        GZipStream? gzip = null;
        try
        {
            ReadOnlySpan<byte> head = raw.Peek();
            if (InputFormat.IsGzip(head))
            {
                if (origin.Options.RefuseGzip)
                {
                    InvalidDataException refused = SourceErrors.Create(
                        $"{Describe(origin)} is gzip-compressed: decompress it first{SourceErrors.DecompressHint}", origin.Name, lineNumber: null);
                    refused.Data[SourceErrors.DecompressHintKey] = SourceErrors.DecompressHint;
                    throw refused;
                }

                gzip = new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true);
            }
            else if (InputFormat.OtherCompression(head) is var (format, hint))
            {
                throw SourceErrors.Create(
                    $"'{origin.Name}' is {Article(format)} {format}; only plain text and gzip are read. Decompress it first ({hint.Replace("FILE", origin.Name, StringComparison.Ordinal)}).",
                    origin.Name,
                    lineNumber: null);
            }

            return new TextInput(origin, raw, gzip, ProgressReporter.Create(progress, length), cancellationToken);
        }
        catch
        {
            gzip?.Dispose();
            raw.Dispose();
            throw;
        }
    }

    /// <summary>Sends the last progress report; call when the input has been read to the end.</summary>
    public void Complete() => _text.ReportFinal();

    public void Dispose()
    {
        Reader.Dispose();
        _text.Dispose();
        _gzip?.Dispose();
        _raw.Dispose();
    }

    /// <summary>"after line 12, 3,456 bytes in" or similar, for messages about where reading stopped.</summary>
    internal string Where()
    {
        string bytes = string.Create(CultureInfo.InvariantCulture, $"{BytesRead:N0} bytes");
        return LinesRead == 0
            ? $"at the start, after {bytes}"
            : string.Create(CultureInfo.InvariantCulture, $"after line {LinesRead:N0}, {bytes} in");
    }

    private static Encoding Decoder(TextEncoding encoding) => encoding switch
    {
        TextEncoding.Latin1 => Encoding.Latin1,
        TextEncoding.Windows1252 => Windows1252.Value,
        _ => Utf8,
    };

    /// <summary>How messages name a source: a file's path quoted, a stream's name (<c>standard input</c>) as it is.</summary>
    private static string Describe(SourceOrigin origin) => origin.IsFile ? $"'{origin.Name}'" : origin.Name;

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";
}
