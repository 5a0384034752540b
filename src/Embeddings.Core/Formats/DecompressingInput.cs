using System.IO.Compression;
using Embeddings.Core.IO;

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
        return InputFormat.IsGzip(input.Available);
    }

    /// <summary>
    /// A stream of the decompressed content: the bytes <paramref name="input"/> already buffered, then the rest of its
    /// stream. Disposing it does not dispose that stream.
    /// </summary>
    public static Stream Open(InputBuffer input, FormatErrors errors) =>
        new GuardedStream(new GZipStream(input.Remainder(), CompressionMode.Decompress, leaveOpen: false), errors);

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
