using System.Text;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Formats;

/// <summary>
/// Issue 15: the words of text and word2vec binary vectors are strict UTF-8 by default (an invalid byte is an error
/// naming the file, where the word is and the byte), or decoded as <see cref="VectorFileLoadOptions.Encoding"/> says.
/// </summary>
public sealed class WordEncodingTests : IDisposable
{
    private const string Hint =
        "If it is Latin-1 or Windows-1252 text, set VectorFileLoadOptions.Encoding to Encoding.Latin1 or the Windows-1252 code page; " +
        "Encoding.UTF8 reads each invalid byte as U+FFFD.";

    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>"café" in Latin-1 on line 3: the header is 4 bytes, "king 1 0\n" 9, so 0xE9 is at offset 16.</summary>
    [Theory]
    [InlineData(VectorFileFormat.Word2VecText, "2 2\n", 3, 16)]
    [InlineData(VectorFileFormat.GloVeText, "", 2, 12)]
    public void Load_TextWithLatin1Word_ThrowsNamingFileLineAndByte(VectorFileFormat format, string header, int line, int offset)
    {
        string path = Write("latin1.txt", [.. Encoding.ASCII.GetBytes(header + "king 1 0\n"), .. Encoding.Latin1.GetBytes("café 0 1\n")]);

        Action load = () => WordVectorsFile.Load(path, new VectorFileLoadOptions { Format = format });

        InvalidDataException error = load.Should().Throw<InvalidDataException>().Which;
        error.Message.Should().Be($"'{path}' is not valid UTF-8: line {line} has the byte 0xE9 at offset {offset}, which cannot stand there in UTF-8. {Hint}");
        error.Data["EncodingHint"].Should().Be(Hint);
    }

    [Fact]
    public void Load_TextWithLatin1Word_DetectedFormat_ThrowsToo()
    {
        string path = Write("latin1.vec", [.. "2 2\nking 1 0\n"u8, .. Encoding.Latin1.GetBytes("café 0 1\n")]);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: line 3 has the byte 0xE9 at offset 16,*");
    }

    [Fact]
    public void Load_GzipTextWithLatin1Word_ThrowsAtTheOffsetOfTheDecompressedData()
    {
        byte[] plain = [.. "2 2\nking 1 0\n"u8, .. Encoding.Latin1.GetBytes("café 0 1\n")];
        string path = Write("latin1.txt.gz", GzipBytes.Of(plain));

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: line 3 has the byte 0xE9 at offset 16,*");
    }

    [Theory]
    [InlineData(VectorFileFormat.Word2VecText)]
    [InlineData(VectorFileFormat.GloVeText)]
    [InlineData(VectorFileFormat.Word2VecBinary)]
    public void Load_Latin1WordsWithLatin1Encoding_ReadsTheAccentedWords(VectorFileFormat format)
    {
        byte[] bytes = format switch
        {
            VectorFileFormat.Word2VecBinary => [.. "2 1\n"u8, .. Encoding.Latin1.GetBytes("mañana "), .. Le(1f), (byte)'\n', .. Encoding.Latin1.GetBytes("jamás "), .. Le(2f), (byte)'\n'],
            VectorFileFormat.GloVeText => Encoding.Latin1.GetBytes("mañana 1\njamás 2\n"),
            _ => Encoding.Latin1.GetBytes("2 1\nmañana 1\njamás 2\n"),
        };

        using WordVectors loaded = FormatTestData.Load(bytes, new VectorFileLoadOptions { Format = format, Encoding = Encoding.Latin1 });

        loaded.Vocabulary.Words.Should().Equal("mañana", "jamás");
        loaded["jamás"].ToArray().Should().Equal(2f);
    }

    /// <summary>The header is 4 bytes, "king " and its vector 13, so "caf" starts at 17 and 0xE9 is at 20.</summary>
    [Fact]
    public void Load_BinaryWithLatin1Word_ThrowsNamingFileEntryAndByte()
    {
        string path = Write("latin1.bin", [.. "2 2\nking "u8, .. Le(1f), .. Le(0f), .. Encoding.Latin1.GetBytes("café "), .. Le(0f), .. Le(1f)]);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"'{path}' is not valid UTF-8: the word of vector 2 of 2 has the byte 0xE9 at offset 20, which cannot stand there in UTF-8. {Hint}");
    }

    [Fact]
    public void Load_BinaryFromAStream_NamesTheStream()
    {
        byte[] bytes = [.. "1 1\nab"u8, 0xFF, .. "c "u8, .. Le(1f)];

        Action load = () => FormatTestData.Load(bytes, VectorFileFormat.Word2VecBinary);

        load.Should().Throw<InvalidDataException>().WithMessage("Stream is not valid UTF-8: the word of vector 1 of 1 has the byte 0xFF at offset 6,*");
    }

    /// <summary>
    /// word2vec.c cuts words at a byte limit, which can split a character: a long word whose only invalid bytes are a
    /// character cut at its end is read by default, without that character; the same bytes inside the word are not.
    /// </summary>
    [Fact]
    public void Load_BinaryLongWordCutInsideItsLastCharacter_IsReadWithoutThatCharacter()
    {
        string chinese = string.Concat(Enumerable.Repeat("词", 16)); // 48 bytes
        byte[] cut = [.. Encoding.UTF8.GetBytes(chinese), 0xE8, 0xAF]; // the first 2 of the 3 bytes of 词
        byte[] bytes = [.. "1 1\n"u8, .. cut, (byte)' ', .. Le(1f)];

        using WordVectors loaded = FormatTestData.Load(bytes, VectorFileFormat.Word2VecBinary);

        loaded.Vocabulary.Words.Should().Equal(chinese);
    }

    [Fact]
    public void Load_BinaryCutSequenceInsideALongWord_OrAtTheEndOfAShortOne_Throws()
    {
        string chinese = string.Concat(Enumerable.Repeat("词", 16));
        byte[] inside = [.. "1 1\n"u8, .. Encoding.UTF8.GetBytes(chinese), 0xE8, 0xAF, (byte)'x', (byte)' ', .. Le(1f)];
        byte[] shortWord = [.. "1 1\n"u8, .. Encoding.Latin1.GetBytes("café "), .. Le(1f)]; // 0xE9 starts a 3-byte sequence

        Action loadInside = () => FormatTestData.Load(inside, VectorFileFormat.Word2VecBinary);
        Action loadShort = () => FormatTestData.Load(shortWord, VectorFileFormat.Word2VecBinary);

        loadInside.Should().Throw<InvalidDataException>().WithMessage("Stream is not valid UTF-8: the word of vector 1 of 1 has the byte 0xE8 at offset 52,*");
        loadShort.Should().Throw<InvalidDataException>().WithMessage("Stream is not valid UTF-8: the word of vector 1 of 1 has the byte 0xE9 at offset 7,*");
    }

    [Fact]
    public void Load_NativeFile_IgnoresTheEncoding()
    {
        using WordVectors vectors = FormatTestData.Random(5, 3, seed: 2);
        byte[] native = FormatTestData.Bytes(vectors, VectorFileFormat.Native);

        using WordVectors loaded = FormatTestData.Load(native, new VectorFileLoadOptions { Encoding = Encoding.Latin1 });

        loaded.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words);
    }

    private string Write(string name, byte[] bytes)
    {
        string path = _folder.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Le(float value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }
}
