using System.Buffers.Binary;
using Embeddings.Core.Formats;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Formats;

public class NativeVectorFormatTests
{
    [Fact]
    public void Write_Layout_HasMagicVersionAlignedMatrixAndChecksum()
    {
        using WordVectors vectors = FormatTestData.Random(5, 3, seed: 11);

        byte[] bytes = FormatTestData.Bytes(vectors, VectorFileFormat.Native);

        // Version 2: the one native frame (24 bytes), then dimensions, reserved, count and vocabulary length.
        bytes.AsSpan(0, 4).ToArray().Should().Equal("EMBV"u8.ToArray());
        BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)).Should().Be(2);
        BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8)).Should().Be(bytes.Length - 24);
        BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)).Should().Be(3);
        BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(32)).Should().Be(5);
        long vocabularyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(40));
        long matrixOffset = (48 + vocabularyLength + 63) / 64 * 64;
        (bytes.Length - matrixOffset).Should().Be(5 * 3 * 4);
        BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((int)matrixOffset)).Should().Be(vectors.Matrix[0]);
        BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(16))
            .Should().Be(System.IO.Hashing.XxHash64.HashToUInt64(bytes.AsSpan(24)));
    }

    [Fact]
    public void Load_Path_MemoryMapsTheMatrixAndDisposeReleasesIt()
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Random(100, 8, seed: 12);
        string path = folder.File("v.embv");
        vectors.Save(path, VectorFileFormat.Native);

        WordVectors loaded = WordVectorsFile.Load(path);
        loaded.Matrix.ToArray().Should().Equal(vectors.Matrix.ToArray());
        loaded.GetUnitVector(3).Length.Should().Be(8);
        loaded.Dispose();
        loaded.Dispose();

        File.Delete(path); // nothing holds the file any more
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Save_OverTheFileItWasMappedFrom_ReplacesItAndKeepsTheOpenVectorsValid()
    {
        using var folder = new TempDirectory();
        string path = folder.File("v.embv");
        FormatTestData.Random(10, 4, seed: 13).Save(path, VectorFileFormat.Native);
        using WordVectors mapped = WordVectorsFile.Load(path);
        float[] before = mapped.Matrix.ToArray();

        if (OperatingSystem.IsWindows())
        {
            return; // Windows cannot replace a mapped file; the rename throws and the old file stays (documented).
        }

        FormatTestData.Random(3, 4, seed: 14).Save(path, VectorFileFormat.Native);

        mapped.Matrix.ToArray().Should().Equal(before);
        using WordVectors reloaded = WordVectorsFile.Load(path);
        reloaded.Count.Should().Be(3);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_BitFlippedMatrix_ThrowsChecksumMismatch(bool fromPath)
    {
        using var folder = new TempDirectory();
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(10, 4, seed: 15), VectorFileFormat.Native);
        bytes[^20] ^= 0x10;
        string path = folder.File("flipped.embv");
        File.WriteAllBytes(path, bytes);

        Action load = fromPath ? () => WordVectorsFile.Load(path).Dispose() : () => FormatTestData.Load(bytes).Dispose();

        load.Should().Throw<InvalidDataException>().WithMessage("*checksum mismatch: the file stores XXH64 *, its content hashes to *; the file is damaged.");
    }

    [Fact]
    public void Load_BitFlipWithVerificationOff_IsNotDetected()
    {
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(10, 4, seed: 15, awkward: false), VectorFileFormat.Native);
        bytes[^4] ^= 0x01; // lowest mantissa bit of the last value

        using var stream = new MemoryStream(bytes);
        using WordVectors loaded = WordVectorsFile.Load(stream, new VectorFileLoadOptions { VerifyChecksum = false });

        loaded.Count.Should().Be(10);
    }

    [Fact]
    public void Load_NewerVersion_ThrowsNamingBothVersions()
    {
        using var folder = new TempDirectory();
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(2, 2, seed: 16), VectorFileFormat.Native);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 3);
        string path = folder.File("future.embv");
        File.WriteAllBytes(path, bytes);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' byte 4: the file is native vectors format version 3; this library reads versions 1 to 2. Update Embeddings for .NET to open it.");
    }

    [Fact]
    public void Load_Truncated_ThrowsBeforeMapping()
    {
        using var folder = new TempDirectory();
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(10, 4, seed: 17), VectorFileFormat.Native);
        string path = folder.File("short.embv");
        File.WriteAllBytes(path, bytes[..^1]);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' byte *: the header describes a file of {bytes.Length:N0} bytes, but it has {bytes.Length - 1:N0}; the file is truncated or damaged.");
    }

    [Fact]
    public void Load_HeaderClaimingHugeCount_ThrowsBeforeAllocating()
    {
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(2, 2, seed: 18), VectorFileFormat.Native);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(32), 1_000_000_000_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => FormatTestData.Load(bytes);
        load.Should().Throw<InvalidDataException>().WithMessage("Stream byte 32: word count 1,000,000,000,000 × 2 dimensions*");
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().BeLessThan(256 * 1024);
    }

    [Fact]
    public void Load_PathWithLimit_MapsOnlyTheFirstRows()
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Random(20, 5, seed: 19);
        string path = folder.File("v.embv");
        vectors.Save(path, VectorFileFormat.Native);

        using WordVectors first = WordVectorsFile.Load(path, limit: 3);

        first.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words.Take(3));
        first.Matrix.ToArray().Should().Equal(vectors.Matrix[..15].ToArray());
    }
}
