using System.Text;
using Embeddings.Core.IO;

namespace Embeddings.Core.Tests.IO;

public class XxHash64Tests
{
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)]
    public void Hash_ReferenceVectors_Match(string text, ulong expected)
    {
        XxHash64.Hash(Encoding.ASCII.GetBytes(text)).Should().Be(expected);
    }

    [Theory]
    [InlineData(0, 0UL, 0xEF46DB3751D8E999UL)]
    [InlineData(0, 2654435761UL, 0xAC75FDA2929B17EFUL)]
    [InlineData(1, 0UL, 0x4FCE394CC88952D8UL)]
    [InlineData(1, 2654435761UL, 0x739840CB819FA723UL)]
    [InlineData(14, 0UL, 0xCFFA8DB881BC3A3DUL)]
    [InlineData(14, 2654435761UL, 0x5B9611585EFCC9CBUL)]
    [InlineData(101, 0UL, 0x0EAB543384F878ADUL)]
    [InlineData(101, 2654435761UL, 0xCAA65939306F1E21UL)]
    public void Hash_XxhsumSanityBuffer_MatchesTheReference(int length, ulong seed, ulong expected)
    {
        XxHash64.Hash(SanityBuffer().AsSpan(0, length), seed).Should().Be(expected);
    }

    [Fact]
    public void Append_InPieces_EqualsOneShot()
    {
        byte[] data = SanityBuffer();
        for (int split = 0; split <= data.Length; split += 7)
        {
            var hash = new XxHash64();
            hash.Append(data.AsSpan(0, split));
            hash.Append(data.AsSpan(split, (data.Length - split) / 2));
            hash.Append(data.AsSpan(split + ((data.Length - split) / 2)));

            hash.GetCurrentHash().Should().Be(XxHash64.Hash(data), $"split at {split}");
        }
    }

    /// <summary>The 101-byte buffer of xxhsum's sanity check (prime 2654435761, byteGen *= byteGen).</summary>
    private static byte[] SanityBuffer()
    {
        var buffer = new byte[101];
        uint byteGen = 2654435761U;
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = (byte)(byteGen >> 24);
            byteGen *= byteGen;
        }

        return buffer;
    }
}
