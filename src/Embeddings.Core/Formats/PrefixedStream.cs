namespace Embeddings.Core.Formats;

/// <summary>A forward-only read-only stream; subclasses implement <see cref="Stream.Read(Span{byte})"/>.</summary>
internal abstract class ReadOnlyForwardStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Bytes already read from a stream, then the rest of that stream; disposing it leaves the stream open.</summary>
internal sealed class PrefixedStream(byte[] prefix, Stream source) : ReadOnlyForwardStream
{
    private int _position;

    public override int Read(Span<byte> buffer)
    {
        if (_position < prefix.Length)
        {
            int count = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        return source.Read(buffer);
    }
}
