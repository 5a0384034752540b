using Embeddings.Core.Formats;

namespace Embeddings.Text.Sources;

/// <summary>
/// The bottom layer over the file or caller's stream: counts the bytes read (for progress), lets the format be
/// sniffed by peeking at the first bytes without seeking, and keeps the last 8 bytes (the gzip trailer).
/// </summary>
internal sealed class RawInputStream : ReadOnlyForwardStream
{
    /// <summary>Enough for every magic number we recognise.</summary>
    private const int PeekLength = 16;

    private readonly Stream _inner;
    private readonly bool _leaveOpen;
    private readonly long _startPosition;
    private readonly byte[] _tail = new byte[8];
    private byte[]? _prefix;
    private int _prefixPosition;
    private int _prefixLength;
    private long _bytesRead;

    public RawInputStream(Stream inner, bool leaveOpen)
    {
        _inner = inner;
        _leaveOpen = leaveOpen;
        _startPosition = inner.CanSeek ? inner.Position : -1;
    }

    /// <summary>Bytes handed up so far.</summary>
    public long BytesRead => _bytesRead;

    /// <summary>Reads the first bytes (at least 4 unless the input is shorter) and replays them to later reads.</summary>
    public ReadOnlySpan<byte> Peek()
    {
        if (_prefix is null)
        {
            _prefix = new byte[PeekLength];

            // At least 4 bytes, so that a UTF-32 byte order mark is seen whole even on a trickling stream.
            _prefixLength = _inner.ReadAtLeast(_prefix, 4, throwOnEndOfStream: false);
        }

        return _prefix.AsSpan(0, _prefixLength);
    }

    /// <summary>The last 8 bytes read, when at least 8 were.</summary>
    public ReadOnlySpan<byte> Tail => _bytesRead >= _tail.Length ? _tail : default;

    /// <summary>
    /// The last <paramref name="maxBytes"/> bytes of the input, read again by seeking, or <see langword="null"/>
    /// when the input cannot seek. Call only at the end of the input.
    /// </summary>
    public byte[]? ReadTailAgain(int maxBytes)
    {
        if (_startPosition < 0 || !_inner.CanSeek)
        {
            return null;
        }

        long end = _inner.Position;
        int count = (int)Math.Min(maxBytes, _bytesRead);
        byte[] tail = new byte[count];
        _inner.Position = end - count;
        _inner.ReadExactly(tail);
        _inner.Position = end;
        return tail;
    }

    public override int Read(Span<byte> buffer)
    {
        int n;
        if (_prefixPosition < _prefixLength)
        {
            n = Math.Min(buffer.Length, _prefixLength - _prefixPosition);
            _prefix.AsSpan(_prefixPosition, n).CopyTo(buffer);
            _prefixPosition += n;
        }
        else
        {
            n = _inner.Read(buffer);
        }

        if (n > 0)
        {
            RememberTail(buffer[..n]);
            _bytesRead += n;
        }

        return n;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_leaveOpen)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void RememberTail(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _tail.Length)
        {
            data[^_tail.Length..].CopyTo(_tail);
        }
        else
        {
            // Shift left by data.Length (CopyTo handles the overlap), then append.
            _tail.AsSpan(data.Length).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(_tail.Length - data.Length));
        }
    }
}
