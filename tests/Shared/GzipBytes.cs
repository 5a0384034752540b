using System.IO.Compression;

namespace Embeddings.Tests.Infrastructure;

/// <summary>Gzip-compressed copies of test data, for the readers that tell gzip by its magic bytes.</summary>
internal static class GzipBytes
{
    /// <summary><paramref name="data"/> compressed as one gzip member.</summary>
    public static byte[] Of(byte[] data)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return compressed.ToArray();
    }
}
