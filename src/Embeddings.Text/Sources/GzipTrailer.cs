using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace Embeddings.Text.Sources;

/// <summary>
/// Detects truncated gzip input. <see cref="GZipStream"/> reports corrupt data but, unless the app sets the
/// <c>System.IO.Compression.UseStrictValidation</c> switch, simply ends early when the input stops in the
/// middle, so an interrupted download would pass for a shorter corpus. We check the gzip trailer instead: a
/// complete file ends with ISIZE, the uncompressed size modulo 2^32 (RFC 1952).
/// </summary>
internal static class GzipTrailer
{
    /// <summary>The smallest possible gzip member: 10-byte header, 2-byte empty deflate block, 8-byte trailer.</summary>
    public const int MinimumMemberLength = 20;

    /// <summary>How far back to look for the last member of a multi-member file (BGZF members are at most 64 KB).</summary>
    public const int MaxLastMemberSearch = 4 * 1024 * 1024;

    /// <summary>Whether the input is complete, given the bytes it decompressed to and its last 8 bytes.</summary>
    /// <param name="raw">The compressed input, at its end.</param>
    /// <param name="decompressedBytes">All bytes decompressed from it.</param>
    public static bool IsComplete(RawInputStream raw, long decompressedBytes)
    {
        ReadOnlySpan<byte> tail = raw.Tail;
        if (raw.BytesRead < MinimumMemberLength || tail.IsEmpty)
        {
            return false;
        }

        uint isize = BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        if (isize == unchecked((uint)decompressedBytes))
        {
            return true;
        }

        // Several members (files joined with cat, BGZF, Common Crawl WET): the trailer counts only the last one.
        // Find the last member's header near the end and check that it alone decompresses to ISIZE bytes.
        byte[]? region = raw.ReadTailAgain(MaxLastMemberSearch);
        return region is not null && LastMemberMatches(region, isize);
    }

    private static bool LastMemberMatches(byte[] region, uint isize)
    {
        // Scan backwards, so the first real header met is the last member's; false candidates inside
        // compressed data (1 in 2^27 positions) fail to decompress or give another length.
        for (int end = region.Length - MinimumMemberLength + 1; end > 0;)
        {
            int i = region.AsSpan(0, end).LastIndexOf((byte)0x1F);
            if (i < 0)
            {
                break;
            }

            end = i;
            if (region[i + 1] == 0x8B && region[i + 2] == 8 && (region[i + 3] & 0xE0) == 0
                && DecompressedLength(region, i) is long length && unchecked((uint)length) == isize)
            {
                return true;
            }
        }

        return false;
    }

    private static long? DecompressedLength(byte[] region, int start)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var gzip = new GZipStream(new MemoryStream(region, start, region.Length - start, writable: false), CompressionMode.Decompress);
            long total = 0;
            int n;
            while ((n = gzip.Read(buffer)) > 0)
            {
                total += n;
            }

            return total;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
