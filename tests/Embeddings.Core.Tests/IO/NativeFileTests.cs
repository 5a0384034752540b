using System.Buffers.Binary;
using System.IO.Hashing;
using Embeddings.Core.IO;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.IO;

public class NativeFileTests
{
    private static readonly NativeFileKind Kind = new("TEST", 2, "test");

    [Fact]
    public void Write_LargeFloatArray_StreamsItWithoutACopy()
    {
        // BinaryWriter copies a span into a pooled array of its whole length when subclassed: saving an 800 MB
        // classifier needed 1.6 GB until NativePayloadWriter wrote spans straight to the stream.
        float[] values = new float[2_000_000];
        long before = GC.GetAllocatedBytesForCurrentThread();

        NativeFile.Write(Stream.Null, Kind, 0, values, static (writer, floats) => writer.WriteFloats(floats));

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(values.Length * sizeof(float) / 8);
    }

    [Fact]
    public void Write_Layout_IsMagicVersionFlagsLengthChecksumPayload()
    {
        byte[] bytes = WriteSample();

        bytes.AsSpan(0, 4).ToArray().Should().Equal("TEST"u8.ToArray());
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)).Should().Be(2);
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)).Should().Be(5);
        BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)).Should().Be(bytes.Length - NativeFile.HeaderSize);
        BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16)).Should().Be(XxHash64.HashToUInt64(bytes.AsSpan(NativeFile.HeaderSize)));
    }

    [Fact]
    public void WriteAndRead_PathAndUnseekableStream_RoundTrip()
    {
        using var folder = new TempDirectory();
        string path = folder.File("a.test");
        NativeFile.Write(path, Kind, 5, 42, static (writer, value) => WritePayload(writer, value));
        using var unseekable = new ForwardOnlyStream();
        NativeFile.Write(unseekable, Kind, 5, 42, static (writer, value) => WritePayload(writer, value));

        NativeFile.Read(path, Kind, ReadPayload).Should().Be((42, "forty-two", 5));
        unseekable.Inner.ToArray().Should().Equal(File.ReadAllBytes(path));
    }

    [Fact]
    public void Read_FlippedPayloadByte_ThrowsNamingTheFile()
    {
        using var folder = new TempDirectory();
        byte[] bytes = WriteSample();
        bytes[NativeFile.HeaderSize + 4 + 1 + 2] ^= 0x20; // a letter of the string: parses, but does not hash the same
        string path = folder.File("flipped.test");
        File.WriteAllBytes(path, bytes);

        Action read = () => NativeFile.Read(path, Kind, ReadPayload);

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is corrupt: it stores the checksum XXH64 * but its content hashes to *.");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(30)]
    public void Read_TruncatedFile_ThrowsBeforeReadingThePayload(int cut)
    {
        using var folder = new TempDirectory();
        byte[] bytes = WriteSample();
        string path = folder.File("short.test");
        File.WriteAllBytes(path, bytes[..^cut]);
        bool parsed = false;

        Action read = () => NativeFile.Read(path, Kind, reader => parsed = true);

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is truncated*");
        parsed.Should().BeFalse();
    }

    [Fact]
    public void Read_TruncatedStream_ThrowsNamingTheStream()
    {
        byte[] bytes = WriteSample();
        using var stream = new ForwardOnlyStream(bytes[..^2]);

        Action read = () => NativeFile.Read(stream, "the sample", Kind, ReadPayload);

        read.Should().Throw<InvalidDataException>().WithMessage("'the sample' is truncated*");
    }

    [Fact]
    public void Read_OtherKindOrNewerVersion_ThrowsNamingTheFile()
    {
        byte[] bytes = WriteSample();
        Action otherKind = () => NativeFile.Read(new MemoryStream(bytes), "x.test", new NativeFileKind("OTHR", 1, "foreign"), ReadPayload);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 3);
        Action newer = () => NativeFile.Read(new MemoryStream(bytes), "x.test", Kind, ReadPayload);

        otherKind.Should().Throw<InvalidDataException>().WithMessage("'x.test' is not a foreign file (it does not start with the magic \"OTHR\").");
        newer.Should().Throw<InvalidDataException>().WithMessage("'x.test' is a test file of version 3; this library reads versions up to 2.*");
    }

    [Fact]
    public void Read_AnotherOfTheProjectsKinds_SaysWhichKindTheFileIs()
    {
        using var written = new MemoryStream();
        NativeFile.Write(written, NativeFileKind.LanguageModel, 0, 0, static (writer, _) => writer.Write(1));

        Action read = () => NativeFile.Read(new MemoryStream(written.ToArray()), "regenta.lm", NativeFileKind.QuantizedVectors, ReadPayload);

        read.Should().Throw<InvalidDataException>().WithMessage("'regenta.lm' is a language-model file (EMLM), not a quantized-vectors file.");
    }

    [Fact]
    public void Read_FlipThatBreaksParsing_IsReportedAsCorruption()
    {
        byte[] bytes = WriteSample();
        bytes[NativeFile.HeaderSize + 4] = 0x7F; // the string's length prefix: the parser runs past the payload

        Action read = () => NativeFile.Read(new MemoryStream(bytes), "x.test", Kind, ReadPayload);

        read.Should().Throw<InvalidDataException>().WithMessage("'x.test' is corrupt: its content does not match its checksum ('x.test' is truncated*");
    }

    [Fact]
    public void Read_PayloadLeftUnread_ThrowsDamaged()
    {
        Action read = () => NativeFile.Read(new MemoryStream(WriteSample()), "x.test", Kind, reader => reader.ReadInt32());

        read.Should().Throw<InvalidDataException>().WithMessage("'x.test' is damaged: * bytes of its *-byte payload were not read.");
    }

    private static byte[] WriteSample()
    {
        using var stream = new MemoryStream();
        NativeFile.Write(stream, Kind, 5, 42, static (writer, value) => WritePayload(writer, value));
        return stream.ToArray();
    }

    private static void WritePayload(NativePayloadWriter writer, int value)
    {
        writer.Write(value);
        writer.Write("forty-two");
        writer.WriteFloats([1f, 2f, 3f]);
    }

    private static (int, string, ushort) ReadPayload(NativePayloadReader reader)
    {
        int value = reader.ReadInt32();
        string text = reader.ReadString();
        reader.ReadFloats(3).Should().Equal(1f, 2f, 3f);
        return (value, text, reader.Flags);
    }

    /// <summary>A stream that can neither seek nor tell its length, like a pipe.</summary>
    private sealed class ForwardOnlyStream(byte[]? content = null) : Stream
    {
        public MemoryStream Inner { get; } = content is null ? new MemoryStream() : new MemoryStream(content);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }
}
