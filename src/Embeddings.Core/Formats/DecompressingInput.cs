using System.IO.Compression;

namespace Embeddings.Core.Formats;

/// <summary>
/// Transparent gzip: a vectors file whose content starts with the gzip magic (1F 8B) is decompressed as it is read,
/// whatever its name (gensim decides by the <c>.gz</c> extension). Damaged compressed data becomes an
/// <see cref="InvalidDataException"/> naming the file.
/// </summary>
internal static class DecompressingInput
{
    public static bool IsGzip(InputBuffer input)
    {
        input.Fill(2);
        return input.Available is [0x1F, 0x8B, ..];
    }

    /// <summary>
    /// A stream of the decompressed content: the bytes <paramref name="input"/> already buffered, then the rest of
    /// <paramref name="source"/>. Disposing it does not dispose <paramref name="source"/>.
    /// </summary>
    public static Stream Open(InputBuffer input, Stream source, FormatErrors errors)
    {
        var compressed = new PrefixedStream(input.Available.ToArray(), source);
        return new GuardedStream(new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: false), errors);
    }

    /// <summary>A forward-only read-only stream; subclasses implement <see cref="Stream.Read(Span{byte})"/>.</summary>
    private abstract class ReadOnlyForwardStream : Stream
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

    private sealed class PrefixedStream(byte[] prefix, Stream source) : ReadOnlyForwardStream
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

    private sealed class GuardedStream(Stream inner, FormatErrors errors) : ReadOnlyForwardStream
    {
        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (InvalidDataException exception)
            {
                throw errors.Wrap(exception, $"the gzip data is damaged: {exception.Message}");
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
