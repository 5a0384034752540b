using System.IO.Hashing;

namespace Embeddings.Core.IO;

/// <summary>
/// A write-through or read-through stream that hashes every byte that passes (XXH64, seed 0) and counts them; a read
/// limit makes it end where a native file's payload ends.
/// </summary>
internal sealed class HashingStream(Stream inner, long readLimit = long.MaxValue) : Stream
{
    private readonly XxHash64 _hash = new();

    /// <summary>The XXH64 of the bytes passed so far.</summary>
    public ulong Hash => _hash.GetCurrentHashAsUInt64();

    /// <summary>The bytes passed so far.</summary>
    public long Count { get; private set; }

    /// <summary>The bytes left before the read limit.</summary>
    public long Remaining => readLimit - Count;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer[..(int)Math.Min(buffer.Length, Remaining)]);
        _hash.Append(buffer[..read]);
        Count += read;
        return read;
    }

    /// <summary>
    /// Counts and hashes <paramref name="bytes"/>, the next bytes of the input, which the caller reads in place (from a
    /// mapped file) instead of through this stream; the input moves past them.
    /// </summary>
    public void Skip(ReadOnlySpan<byte> bytes)
    {
        _hash.Append(bytes);
        Count += bytes.Length;
        inner.Seek(bytes.Length, SeekOrigin.Current);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _hash.Append(buffer);
        Count += buffer.Length;
        inner.Write(buffer);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
