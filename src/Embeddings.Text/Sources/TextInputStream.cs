using System.Globalization;
using Embeddings.Core.Formats;

namespace Embeddings.Text.Sources;

/// <summary>
/// The layer right under the text decoder, called once per 64 KB: rejects binary data (NUL bytes in the first
/// 8 KB) and, for strict UTF-8, invalid UTF-8; turns gzip errors into messages naming the source and line, detects
/// truncated gzip input, checks cancellation and reports progress. Per-line work stays in the reader.
/// </summary>
internal sealed class TextInputStream : ReadOnlyForwardStream
{
    /// <summary>How much of the start is checked for NUL bytes, as <c>git</c> and <c>grep</c> do.</summary>
    private const int BinaryCheckLength = 8 * 1024;

    /// <summary>How far past invalid UTF-8 in gzip input to look for a gzip error, which would explain it.</summary>
    private const int GzipReadAhead = 1024 * 1024;

    private readonly TextInput _owner;
    private readonly Stream _inner;
    private readonly RawInputStream _raw;
    private readonly ProgressReporter? _progress;
    private readonly CancellationToken _cancellationToken;
    private Utf8Check? _utf8;
    private (long Offset, byte Value)? _invalidUtf8;
    private long _position;

    // Line feeds in the bytes handed up, counted while strict UTF-8 is checked: an invalid byte's line then comes from the
    // bytes themselves, whatever the readers above have buffered (a line ending in CR alone is not counted).
    private long _lineFeeds;
    private bool _checkBinary = true;
    private bool _ended;

    public TextInputStream(TextInput owner, Stream inner, RawInputStream raw, bool strictUtf8, ProgressReporter? progress, CancellationToken cancellationToken)
    {
        _utf8 = strictUtf8 ? new Utf8Check() : null;
        _owner = owner;
        _inner = inner;
        _raw = raw;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    public override int Read(Span<byte> buffer)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        _progress?.MaybeReport(_raw.BytesRead, _owner.RecordsRead);
        if (_invalidUtf8 is { } invalid)
        {
            // Thrown on the read after the one that ended at the bad byte, so that the text before it is read first.
            throw InvalidUtf8(invalid);
        }

        if (_ended || buffer.IsEmpty)
        {
            return 0;
        }

        int n = ReadInner(buffer);
        if (n == 0)
        {
            _ended = true;
            if (_owner.IsGzip && !GzipTrailer.IsComplete(_raw, _position))
            {
                throw SourceErrors.Create(
                    $"'{_owner.Name}' is a truncated gzip file: the compressed data stops {_owner.Where()} " +
                    "without the gzip end-of-stream trailer. Was a download or copy interrupted?",
                    _owner.Name,
                    _owner.LinesRead + 1);
            }

            if (_utf8?.FindInvalidAtEnd() is { } cut)
            {
                throw InvalidUtf8(cut); // the input ends inside a character
            }

            return 0;
        }

        if (_checkBinary)
        {
            CheckNotBinary(buffer[..n]);
        }

        if (_utf8?.FindInvalid(buffer[..n], _position) is { } bad)
        {
            // Hand up the text before the bad byte, so that its line is known when the next read throws.
            _invalidUtf8 = bad;
            n = (int)Math.Max(0, bad.Offset - _position);
            if (n == 0)
            {
                throw InvalidUtf8(bad);
            }
        }

        if (_utf8 is not null)
        {
            _lineFeeds += buffer[..n].Count((byte)'\n');
        }

        _position += n;
        return n;
    }

    public void ReportFinal() => _progress?.ReportFinal(_raw.BytesRead, _owner.RecordsRead);

    /// <summary>Reads and drops up to <paramref name="bytes"/> bytes; only the errors of the layers below matter.</summary>
    private void ReadAhead(int bytes)
    {
        byte[] scratch = new byte[16 * 1024];
        for (int read = 0; read < bytes;)
        {
            int n = ReadInner(scratch);
            if (n == 0)
            {
                return;
            }

            read += n;
        }
    }

    private int ReadInner(Span<byte> buffer)
    {
        try
        {
            // The first read takes at least 4 bytes, so a byte order mark is never split.
            return _position == 0
                ? _inner.ReadAtLeast(buffer, Math.Min(4, buffer.Length), throwOnEndOfStream: false)
                : _inner.Read(buffer);
        }
        catch (InvalidDataException ex) when (_owner.IsGzip)
        {
            throw SourceErrors.Create(
                $"'{_owner.Name}' is not valid gzip data: {ex.Message.TrimEnd('.')} ({_owner.Where()}).",
                _owner.Name,
                _owner.LinesRead + 1,
                recordNumber: null,
                ex);
        }
    }

    private InvalidDataException InvalidUtf8((long Offset, byte Value) bad)
    {
        if (_owner.IsGzip)
        {
            // Corrupt deflate data decompresses to garbage for a while before the decompressor notices: read on a
            // little, so that a broken gzip file is reported as such rather than as a text encoding problem.
            ReadAhead(GzipReadAhead);
        }

        string of = _owner.IsGzip ? " of the decompressed data" : string.Empty;
        long line = _lineFeeds + 1;
        InvalidDataException exception = SourceErrors.Create(
            string.Create(CultureInfo.InvariantCulture, $"'{_owner.Name}' is not valid UTF-8: line {line:N0} has the byte 0x{bad.Value:X2} at offset {bad.Offset:N0}{of}, which cannot stand there in UTF-8. {SourceErrors.EncodingHint}"),
            _owner.Name,
            line);
        exception.Data[SourceErrors.ByteOffsetKey] = bad.Offset;
        exception.Data[SourceErrors.EncodingHintKey] = SourceErrors.EncodingHint;
        return exception;
    }

    private void CheckNotBinary(ReadOnlySpan<byte> data)
    {
        // UTF-16 and UTF-32 text is full of NUL bytes; a byte order mark announces it.
        if (_position == 0 && (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || data.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])
            || data.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF])))
        {
            _checkBinary = false;
            _utf8 = null; // the reader decodes it as UTF-16 or UTF-32
            return;
        }

        int checkable = (int)Math.Min(data.Length, BinaryCheckLength - _position);
        int nul = data[..checkable].IndexOf((byte)0);
        if (nul >= 0)
        {
            // A NUL byte never occurs inside a UTF-8 sequence, so this offset is exact.
            if (_owner.PlainTextStream)
            {
                throw SourceErrors.Create(
                    string.Create(CultureInfo.InvariantCulture, $"{_owner.Name} holds binary data (a NUL byte at byte {_position + nul}); expected UTF-8 text"),
                    _owner.Name,
                    lineNumber: null);
            }

            string of = _owner.IsGzip ? " of the decompressed data" : string.Empty;
            throw SourceErrors.Create(
                string.Create(CultureInfo.InvariantCulture, $"'{_owner.Name}' looks like a binary file (NUL byte at offset {_position + nul}{of}); expected UTF-8 text or gzip."),
                _owner.Name,
                lineNumber: null);
        }

        if (_position + data.Length >= BinaryCheckLength)
        {
            _checkBinary = false;
        }
    }
}
