using System.Buffers;
using System.Diagnostics;

namespace Embeddings.Core.Formats;

/// <summary>
/// A forward-only window over a stream for the parsers: <see cref="Available"/> bytes are peeked, <see cref="Advance"/>
/// consumes them, <see cref="Fill"/> reads more. It never allocates more than the input justifies: on a seekable stream
/// the buffer is at most the bytes left (and 1 MiB unless a caller needs a longer span); on other streams it starts at
/// 64 KiB and doubles only once it is full of data actually read. The buffer comes from <see cref="ArrayPool{T}"/>;
/// dispose the instance to return it.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    private const int PreferredSize = 1 << 20;
    private const int NonSeekableInitialSize = 1 << 16;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private long _streamRemaining;
    private bool _endOfStream;

    /// <summary>Reads <paramref name="stream"/> from its current position.</summary>
    public InputBuffer(Stream stream)
    {
        _stream = stream;
        if (stream.CanSeek)
        {
            _streamRemaining = Math.Max(0, stream.Length - stream.Position);
            _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(_streamRemaining, 16, PreferredSize));
        }
        else
        {
            _streamRemaining = -1;
            _buffer = ArrayPool<byte>.Shared.Rent(NonSeekableInitialSize);
        }
    }

    /// <summary>The bytes read but not consumed yet.</summary>
    public ReadOnlySpan<byte> Available => _buffer.AsSpan(_start, _end - _start);

    /// <summary>The offset of the first available byte from where reading began.</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>
    /// The bytes left from <see cref="Position"/> to the end of the input, or <see langword="null"/> when the stream
    /// cannot tell (not seekable).
    /// </summary>
    public long? BytesLeft => _streamRemaining < 0 ? null : _streamRemaining + (_end - _start);

    /// <summary>
    /// The input not consumed yet, as a forward-only stream: the available bytes, then the rest of the underlying stream,
    /// for a reader that takes a <see cref="Stream"/>. This buffer must not be read after.
    /// </summary>
    public Stream Remainder() => new PrefixedStream(Available.ToArray(), _stream);

    /// <summary>Whether every byte of the input is consumed (reads ahead to find out).</summary>
    public bool IsAtEnd() => _start == _end && !Fill(1);

    /// <summary>Consumes <paramref name="count"/> available bytes.</summary>
    public void Advance(int count)
    {
        Debug.Assert(count >= 0 && count <= _end - _start);
        _start += count;
    }

    /// <summary>Makes at least <paramref name="minimum"/> bytes available, unless the input ends first.</summary>
    /// <returns>Whether <see cref="Available"/> now holds at least <paramref name="minimum"/> bytes.</returns>
    public bool Fill(int minimum)
    {
        int available = _end - _start;
        if (available >= minimum)
        {
            return true;
        }

        if (_endOfStream || (_streamRemaining >= 0 && available + _streamRemaining < minimum))
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, available);
            _bufferOffset += _start;
            _end = available;
            _start = 0;
        }

        while (_end < minimum)
        {
            if (_end == _buffer.Length)
            {
                // Grow geometrically, but never past what the input can still deliver (seekable) or past twice the data
                // already read (not seekable): a lying header cannot make this allocate.
                long size = 2L * _buffer.Length;
                if (_streamRemaining >= 0)
                {
                    size = Math.Min(Math.Max(size, minimum), _end + _streamRemaining);
                }

                byte[] grown = ArrayPool<byte>.Shared.Rent((int)Math.Min(size, Array.MaxLength));
                _buffer.AsSpan(0, _end).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = grown;
            }

            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read <= 0)
            {
                _endOfStream = true;
                _streamRemaining = 0;
                break;
            }

            _end += read;
            if (_streamRemaining >= 0)
            {
                _streamRemaining = Math.Max(0, _streamRemaining - read);
            }
        }

        return _end >= minimum;
    }

    /// <summary>Makes more bytes available than now (at least one more), unless the input ends.</summary>
    /// <returns>Whether more bytes became available.</returns>
    public bool FillMore() => _end - _start < Array.MaxLength && Fill(_end - _start + 1);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        byte[] buffer = _buffer;
        _buffer = [];
        _start = _end = 0;
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
