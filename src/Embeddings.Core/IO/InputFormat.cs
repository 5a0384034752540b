// Compiled into Embeddings.Core and, as a linked source file, into Embeddings.Text: one way to tell compressed input by its magic bytes.
namespace Embeddings.Core.IO;

/// <summary>Tells gzip from plain text by magic bytes, and names the compressed formats we do not read.</summary>
internal static class InputFormat
{
    public static bool IsGzip(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x1F && head[1] == 0x8B;

    /// <summary>
    /// A description ("bzip2 file") and the usual decompression command of another compressed or archive format, or
    /// <see langword="null"/>. None of these signatures can start UTF-8 text a user would feed us, so a specific
    /// message beats the generic "binary file" one (gensim users often hold <c>.bz2</c> corpora).
    /// </summary>
    public static (string Format, string Hint)? OtherCompression(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("BZh"u8) && head.Length >= 10 && head[3] is >= (byte)'1' and <= (byte)'9'
            && head[4..10].SequenceEqual((ReadOnlySpan<byte>)[0x31, 0x41, 0x59, 0x26, 0x53, 0x59]))
        {
            return ("bzip2 file", "bunzip2 -k FILE, or recompress with gzip");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00]))
        {
            return ("xz file", "unxz -k FILE, or recompress with gzip");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x28, 0xB5, 0x2F, 0xFD]))
        {
            return ("zstd file", "zstd -d FILE, or recompress with gzip");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'P', (byte)'K', 0x03, 0x04]))
        {
            return ("zip archive or Office document", "unzip it and read the text file inside");
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C]))
        {
            return ("7-Zip archive", "extract it and read the text file inside");
        }

        return null;
    }
}
