using System.Diagnostics;

namespace Embeddings.Core.Formats;

/// <summary>
/// A write buffer for the writers: callers ask for a span, fill it and advance; full buffers go to the stream in large
/// writes. The stream is never disposed.
/// </summary>
internal sealed class OutputBuffer
{
    private const int MinSize = 1 << 17;
    private const int MaxSize = 1 << 20;

    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _used;

    /// <param name="stream">Where to write.</param>
    /// <param name="expectedLength">The expected output size, to size the buffer (128 KiB to 1 MiB).</param>
    public OutputBuffer(Stream stream, long expectedLength)
    {
        _stream = stream;
        _buffer = new byte[(int)Math.Clamp(expectedLength, MinSize, MaxSize)];
    }

    /// <summary>Bytes written so far (flushed or not).</summary>
    public long Written { get; private set; }

    /// <summary>A span of at least <paramref name="size"/> bytes (at most the buffer size) to write into.</summary>
    public Span<byte> GetSpan(int size)
    {
        Debug.Assert(size <= _buffer.Length);
        if (_buffer.Length - _used < size)
        {
            Flush();
        }

        return _buffer.AsSpan(_used);
    }

    /// <summary>Commits <paramref name="count"/> bytes written into the last span.</summary>
    public void Advance(int count)
    {
        Debug.Assert(count <= _buffer.Length - _used);
        _used += count;
        Written += count;
    }

    /// <summary>Writes one byte.</summary>
    public void Write(byte value)
    {
        GetSpan(1)[0] = value;
        Advance(1);
    }

    /// <summary>Writes <paramref name="data"/>, copying it in pieces or writing it through when large.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.Length <= _buffer.Length - _used)
        {
            data.CopyTo(_buffer.AsSpan(_used));
            Advance(data.Length);
            return;
        }

        Flush();
        _stream.Write(data);
        Written += data.Length;
    }

    /// <summary>Writes buffered bytes to the stream (not flushing the stream itself).</summary>
    public void Flush()
    {
        if (_used > 0)
        {
            _stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
