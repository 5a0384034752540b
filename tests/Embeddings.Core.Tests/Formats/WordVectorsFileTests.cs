using System.IO.Compression;
using System.Text;
using Embeddings.Core.Formats;
using Embeddings.Core.IO;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Formats;

public class WordVectorsFileTests
{
    public static readonly TheoryData<VectorFileFormat> AllFormats =
    [
        VectorFileFormat.Word2VecText, VectorFileFormat.Word2VecBinary, VectorFileFormat.FastTextVec, VectorFileFormat.GloVeText, VectorFileFormat.Native,
    ];

    public static readonly TheoryData<VectorFileFormat> HeaderFormats =
    [
        VectorFileFormat.Word2VecText, VectorFileFormat.Word2VecBinary, VectorFileFormat.FastTextVec, VectorFileFormat.Native,
    ];

    // ---- round trips ----

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void SaveLoad_EveryFormat_RoundTripsWordsAndValuesExactly(VectorFileFormat format)
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Random(200, 13, seed: 1);
        string path = folder.File("vectors");

        WordVectorsFile.Save(vectors, path, format);
        using WordVectors loaded = WordVectorsFile.Load(path);

        loaded.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words);
        loaded.Dimensions.Should().Be(13);
        Bits(loaded.Matrix).Should().Equal(Bits(vectors.Matrix), "text is written with the shortest round-trip form of each float32");
        WordVectorsFile.DetectFormat(path).Should().Be(format);
    }

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void SaveLoad_Streams_SeekableAndNot_RoundTrip(VectorFileFormat format)
    {
        using WordVectors vectors = FormatTestData.Random(50, 300, seed: 2);
        byte[] bytes = FormatTestData.Bytes(vectors, format);

        using WordVectors seekable = FormatTestData.Load(bytes, seekable: true);
        using WordVectors forward = FormatTestData.Load(bytes, seekable: false);

        Bits(seekable.Matrix).Should().Equal(Bits(vectors.Matrix));
        Bits(forward.Matrix).Should().Equal(Bits(vectors.Matrix));
        forward.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words);
    }

    [Fact]
    public void SaveLoad_Native_KeepsCounts()
    {
        using WordVectors vectors = FormatTestData.Random(20, 4, seed: 3);

        using WordVectors loaded = FormatTestData.Load(FormatTestData.Bytes(vectors, VectorFileFormat.Native));

        Enumerable.Range(0, 20).Select(loaded.Vocabulary.GetCount).Should().Equal(Enumerable.Range(0, 20).Select(vectors.Vocabulary.GetCount));
        loaded.Vocabulary.TotalTokens.Should().Be(vectors.Vocabulary.TotalTokens);
    }

    [Fact]
    public void Save_FormatsWriteTheLayoutsTheirToolsWrite()
    {
        using WordVectors vectors = FormatTestData.Of(["king", "é"], [[0.1f, -1e-5f], [1f / 3, 2f]]);

        Encoding.UTF8.GetString(FormatTestData.Bytes(vectors, VectorFileFormat.Word2VecText))
            .Should().Be("2 2\nking 0.1 -1E-05\né 0.33333334 2\n");
        Encoding.UTF8.GetString(FormatTestData.Bytes(vectors, VectorFileFormat.FastTextVec))
            .Should().Be("2 2\nking 0.1 -1E-05 \né 0.33333334 2 \n");
        Encoding.UTF8.GetString(FormatTestData.Bytes(vectors, VectorFileFormat.GloVeText))
            .Should().Be("king 0.1 -1E-05\né 0.33333334 2\n");
        byte[] binary = FormatTestData.Bytes(vectors, VectorFileFormat.Word2VecBinary);
        binary.Should().Equal([.. "2 2\nking "u8, .. Le(0.1f), .. Le(-1e-5f), (byte)'\n', .. "é "u8, .. Le(1f / 3), .. Le(2f), (byte)'\n']);
    }

    [Fact]
    public void Save_WordWithWhitespace_ThrowsBeforeWriting()
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Of(["new york"], [[1f, 2f]]);
        string path = folder.File("v.txt");
        File.WriteAllText(path, "old");

        Action save = () => WordVectorsFile.Save(vectors, path, VectorFileFormat.Word2VecBinary);

        save.Should().Throw<ArgumentException>().Which.Message.Should().Contain("'new york'").And.Contain("whitespace");
        File.ReadAllText(path).Should().Be("old");
        Directory.GetFiles(folder.Path).Should().ContainSingle();
        WordVectorsFile.Save(vectors, path, VectorFileFormat.Native);
        using WordVectors native = WordVectorsFile.Load(path);
        native.Vocabulary.Words.Should().Equal("new york");
    }

    [Fact]
    public void Save_Stream_IsNotDisposed()
    {
        using WordVectors vectors = FormatTestData.Random(3, 2, seed: 4);
        using var stream = new MemoryStream();

        WordVectorsFile.Save(vectors, stream, VectorFileFormat.Native);
        stream.Position = 0;
        using WordVectors loaded = WordVectorsFile.Load(stream);

        stream.CanRead.Should().BeTrue();
        loaded.Count.Should().Be(3);
    }

    [Fact]
    public void WordVectorsLoadAndSave_Shortcuts_RoundTrip()
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Random(10, 5, seed: 5);

        vectors.Save(folder.File("v.bin"), VectorFileFormat.Word2VecBinary);
        using WordVectors loaded = WordVectors.Load(folder.File("v.bin"), limit: 4);

        loaded.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words.Take(4));
    }

    // ---- gensim and word2vec.c files ----

    [Theory]
    [InlineData("gensim-small.txt", VectorFileFormat.Word2VecText)]
    [InlineData("gensim-small.bin", VectorFileFormat.Word2VecBinary)]
    [InlineData("word2vec-c-small.bin", VectorFileFormat.Word2VecBinary)]
    public void Load_FilesGensimAndWord2VecCWrote_MatchTheirGroundTruthExactly(string file, VectorFileFormat format)
    {
        (string[] words, float[] values) = FormatTestData.Truth("gensim-small");
        string path = FormatTestData.File(file);

        using WordVectors loaded = WordVectorsFile.Load(path);

        WordVectorsFile.DetectFormat(path).Should().Be(format);
        loaded.Vocabulary.Words.Should().Equal(words);
        Bits(loaded.Matrix).Should().Equal(Bits(values));
    }

    // ---- limit ----

    [Theory]
    [MemberData(nameof(AllFormats))]
    public void Load_Limit_ReadsOnlyTheFirstVectors(VectorFileFormat format)
    {
        using WordVectors vectors = FormatTestData.Random(30, 6, seed: 6);
        byte[] bytes = FormatTestData.Bytes(vectors, format);

        using WordVectors first = FormatTestData.Load(bytes, limit: 7);
        using WordVectors all = FormatTestData.Load(bytes, limit: 1000);

        first.Vocabulary.Words.Should().Equal(vectors.Vocabulary.Words.Take(7));
        Bits(first.Matrix).Should().Equal(Bits(vectors.Matrix[..(7 * 6)]));
        all.Count.Should().Be(30);
    }

    [Fact]
    public void Load_Limit_IgnoresATruncatedRest()
    {
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Random(10, 4, seed: 7), VectorFileFormat.Word2VecBinary);

        using WordVectors first = FormatTestData.Load(bytes[..(bytes.Length / 2)], limit: 2);

        first.Count.Should().Be(2);
    }

    [Fact]
    public void Load_LimitBelowOne_ThrowsArgumentOutOfRange()
    {
        Action load = () => WordVectorsFile.Load(new MemoryStream([]), limit: 0);

        load.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("limit");
    }

    // ---- detection and text details ----

    [Theory]
    [InlineData("2 3\na 1 2 3\nb 4 5 6\n", VectorFileFormat.Word2VecText)]
    [InlineData("2 3\r\na 1 2 3 \r\nb 4 5 6 \r\n", VectorFileFormat.FastTextVec)]
    [InlineData("a 1 2 3\nb 4 5 6\n", VectorFileFormat.GloVeText)]
    [InlineData("\uFEFF2 3\na 1 2 3\nb 4 5 6\n", VectorFileFormat.Word2VecText)]
    [InlineData("\uFEFFa 1 2 3\nb 4 5 6", VectorFileFormat.GloVeText)]
    [InlineData("  2   3  \n\n  a  1\t2  3  \n\nb 4 5 6", VectorFileFormat.FastTextVec)]
    public void Load_TextVariants_DetectAndParse(string content, VectorFileFormat format)
    {
        using var folder = new TempDirectory();
        string path = folder.File("v");
        File.WriteAllText(path, content, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));

        using WordVectors loaded = WordVectorsFile.Load(path);

        WordVectorsFile.DetectFormat(path).Should().Be(format);
        loaded.Vocabulary.Words.Should().Equal("a", "b");
        loaded.Matrix.ToArray().Should().Equal(1f, 2f, 3f, 4f, 5f, 6f);
    }

    [Fact]
    public void Load_BinaryWhoseFirstVectorStartsWithNewlineByte_IsDetectedAsBinary()
    {
        float first = BitConverter.Int32BitsToSingle(0x3F80000A); // little-endian bytes 0A 00 80 3F
        using WordVectors vectors = FormatTestData.Of(["a", "b"], [[first, 2f], [3f, 4f]]);
        byte[] bytes = FormatTestData.Bytes(vectors, VectorFileFormat.Word2VecBinary);

        using WordVectors loaded = FormatTestData.Load(bytes);

        loaded.Matrix.ToArray().Should().Equal(first, 2f, 3f, 4f);
    }

    [Fact]
    public void Load_GzipContent_IsDecompressedWhateverTheName()
    {
        using var folder = new TempDirectory();
        using WordVectors vectors = FormatTestData.Random(20, 5, seed: 8);
        string path = folder.File("vectors.bin");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            WordVectorsFile.Save(vectors, gzip, VectorFileFormat.Word2VecBinary);
        }

        using WordVectors loaded = WordVectorsFile.Load(path);

        WordVectorsFile.DetectFormat(path).Should().Be(VectorFileFormat.Word2VecBinary);
        Bits(loaded.Matrix).Should().Equal(Bits(vectors.Matrix));
    }

    [Fact]
    public void Load_GensimWord2VecCBinaryWithLeadingNewlines_StripsThemFromWords()
    {
        byte[] bytes = [.. "2 1\n\n\na "u8, .. Le(1f), .. "\n\nb "u8, .. Le(2f)];

        using WordVectors loaded = FormatTestData.Load(bytes, VectorFileFormat.Word2VecBinary);

        loaded.Vocabulary.Words.Should().Equal("a", "b");
    }

    [Theory]
    [InlineData(VectorFileFormat.Word2VecText)]
    [InlineData(VectorFileFormat.Word2VecBinary)]
    public void Load_InvalidUtf8InAWord_WithUtf8Replacing_DecodesWithReplacementCharacter(VectorFileFormat format)
    {
        byte[] bytes = format == VectorFileFormat.Word2VecText
            ? [.. "1 2\nab"u8, 0xC3, .. " 1 2\n"u8]
            : [.. "1 2\nab"u8, 0xC3, (byte)' ', .. Le(1f), .. Le(2f)];

        using WordVectors loaded = FormatTestData.Load(bytes, new VectorFileLoadOptions { Format = format, Encoding = Encoding.UTF8 });

        loaded.Vocabulary.Words.Should().Equal("ab\uFFFD");
    }

    [Theory]
    [InlineData(VectorFileFormat.Word2VecText)]
    [InlineData(VectorFileFormat.GloVeText)]
    public void Load_RepeatedWord_KeepsTheFirstVector(VectorFileFormat format)
    {
        string header = format == VectorFileFormat.GloVeText ? "" : "3 2\n";
        byte[] bytes = Encoding.UTF8.GetBytes(header + "a 1 2\nb 3 4\na 5 6\n");

        using WordVectors loaded = FormatTestData.Load(bytes, format);

        loaded.Vocabulary.Words.Should().Equal("a", "b");
        loaded.Matrix.ToArray().Should().Equal(1f, 2f, 3f, 4f);
    }

    // ---- empty vocabularies ----

    [Theory]
    [MemberData(nameof(HeaderFormats))]
    public void SaveLoad_EmptyVocabulary_KeepsTheDimension(VectorFileFormat format)
    {
        using WordVectors empty = FormatTestData.Of([], []);

        using WordVectors loaded = FormatTestData.Load(FormatTestData.Bytes(empty, format), format);

        loaded.Count.Should().Be(0);
        loaded.Dimensions.Should().Be(3);
    }

    [Fact]
    public void Load_EmptyGloVe_ThrowsBecauseTheDimensionIsUnknown()
    {
        Action load = () => FormatTestData.Load([], VectorFileFormat.GloVeText);

        load.Should().Throw<InvalidDataException>().WithMessage("*no vectors*dimension*");
    }

    [Fact]
    public void Load_EmptyFile_ThrowsNamingTheFile()
    {
        using var folder = new TempDirectory();
        string path = folder.File("empty.vec");
        File.WriteAllBytes(path, []);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}': the file is empty.");
    }

    // ---- malformed input: messages name file, line or byte, and problem ----

    [Theory]
    [InlineData("2 3\na 1 2 3\nking 1 2 \n", VectorFileFormat.Word2VecText, "'{0}' line 3: expected 3 values after 'king', found 2.")]
    [InlineData("2 3\na 1 2 3\nking 1 2 3 4\n", VectorFileFormat.Word2VecText, "'{0}' line 3: expected 3 values after 'king', found 4.")]
    [InlineData("1 3\na 1 2 x\n", VectorFileFormat.Word2VecText, "'{0}' line 2: value 3 of 'a' is not a number: 'x'.")]
    [InlineData("1 3\na 1 2 1e39\n", VectorFileFormat.Word2VecText, "'{0}' line 2: value 3 of 'a' is '1e39'; vectors must be finite.")]
    [InlineData("1 3\na 1 2 NaN\n", VectorFileFormat.Word2VecText, "'{0}' line 2: value 3 of 'a' is 'NaN'; vectors must be finite.")]
    [InlineData("3 3\naaaaaaaaaa 1.000 2.000 3.000\nbbbbbbbbbb 1.000 2.000 3.000\n", VectorFileFormat.Word2VecText, "'{0}' line 4: the file ends after 2 of the 3 vectors its header promises.")]
    [InlineData("2 x\na 1 2 3\n", VectorFileFormat.Word2VecText, "'{0}' line 1: expected a 'count dimensions' header line, found '2 x'.")]
    [InlineData("2 0\n", VectorFileFormat.Word2VecText, "'{0}' line 1: the header gives 0 dimensions; expected 1 to *")]
    [InlineData("a 1 2\nb 1\n", VectorFileFormat.GloVeText, "'{0}' line 2: expected 2 values after 'b', found 1.")]
    [InlineData("a\n", VectorFileFormat.GloVeText, "'{0}' line 1: expected a word and its values, found only 'a'.")]
    public void Load_MalformedText_ThrowsNamingFileLineAndProblem(string content, VectorFileFormat format, string message)
    {
        using var folder = new TempDirectory();
        string path = folder.File("vec.txt");
        File.WriteAllText(path, content);

        Action load = () => WordVectorsFile.Load(path, format);

        load.Should().Throw<InvalidDataException>().WithMessage(string.Format(System.Globalization.CultureInfo.InvariantCulture, message, path));
    }

    [Fact]
    public void Load_StreamErrors_SayStreamInsteadOfAPath()
    {
        Action load = () => FormatTestData.Load(Encoding.UTF8.GetBytes("1 2\nking 1\n"));

        load.Should().Throw<InvalidDataException>().WithMessage("Stream line 2: expected 2 values after 'king', found 1.");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Load_TruncatedBinary_ThrowsNamingTheByteOffset(bool seekable)
    {
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Of(["king", "queen"], [[1f, 2f], [3f, 4f]]), VectorFileFormat.Word2VecBinary);

        Action load = () => FormatTestData.Load(bytes[..^3], VectorFileFormat.Word2VecBinary, seekable: seekable);

        load.Should().Throw<InvalidDataException>().WithMessage("Stream byte 24: the file ends inside the vector of 'queen' (vector 2 of 2): 8 bytes needed, 6 left.");
    }

    [Fact]
    public void Load_BinaryFarTooShortForItsHeader_ThrowsBeforeReadingRecords()
    {
        byte[] bytes = FormatTestData.Bytes(FormatTestData.Of(["king", "queen"], [[1f, 2f], [3f, 4f]]), VectorFileFormat.Word2VecBinary);

        Action load = () => FormatTestData.Load(bytes[..10], VectorFileFormat.Word2VecBinary);

        load.Should().Throw<InvalidDataException>().WithMessage("Stream line 1: the header claims 2 vectors of 2 dimensions, which need at least 20 bytes of binary vectors, but only 6 bytes follow; the header is wrong or the file is truncated.");
    }

    [Fact]
    public void Load_BinaryNonFiniteValue_ThrowsNamingTheWord()
    {
        byte[] bytes = [.. "1 2\nk "u8, .. Le(1f), .. Le(float.NaN)];

        Action load = () => FormatTestData.Load(bytes, VectorFileFormat.Word2VecBinary);

        load.Should().Throw<InvalidDataException>().WithMessage("Stream byte 10: value 2 of 'k' (vector 1) is NaN; vectors must be finite.");
    }

    [Theory]
    [InlineData("1000000000000 100\n", "*header claims 1,000,000,000,000 vectors of 100 dimensions*")]
    [InlineData("1 1000000\n", "*which need at least 4,000,002 bytes of binary vectors, but only*")]
    [InlineData("1000000 1000000\n", "*more than one matrix can hold*")]
    public void Load_HeaderClaimingHugeSizes_ThrowsBeforeAllocating(string header, string message)
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes(header), .. new byte[1000]];

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => FormatTestData.Load(bytes, VectorFileFormat.Word2VecBinary);
        load.Should().Throw<InvalidDataException>().WithMessage(message);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(256 * 1024);
    }

    [Theory]
    [InlineData(VectorFileFormat.Word2VecBinary)]
    [InlineData(VectorFileFormat.Word2VecText)]
    public void Load_NonSeekableStreamWithLyingHeader_AllocatesOnlyWhatArrives(VectorFileFormat format)
    {
        byte[] bytes = [.. "1000000000000 1000\n"u8, .. Enumerable.Repeat((byte)'7', 3000)];

        long before = GC.GetAllocatedBytesForCurrentThread();
        Action load = () => FormatTestData.Load(bytes, format, seekable: false);
        load.Should().Throw<InvalidDataException>();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        allocated.Should().BeLessThan(512 * 1024);
    }

    // ---- the project's other files: a word2vec model gives its vectors, the rest are named ----

    private static Word2VecModel TrainSmallModel() =>
        Word2Vec.CreateBuilder().Dimensions(8).WindowSize(2).MinCount(1).Epochs(1).Threads(1).Seed(5).Build()
            .Train([.. Enumerable.Range(0, 300).Select(i => (IReadOnlyList<string>)[$"w{i % 7}", $"w{i * 3 % 11}", $"w{i % 5}"])]);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_Word2VecModelFile_GivesItsInputVectors(bool gzip)
    {
        using var folder = new TempDirectory();
        Word2VecModel model = TrainSmallModel();
        string path = folder.File("model.w2v");
        using (Stream file = File.Create(path))
        using (Stream target = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file)
        {
            model.Save(target);
        }

        using WordVectors loaded = WordVectorsFile.Load(path);

        loaded.Vocabulary.Words.Should().Equal(model.Vectors.Vocabulary.Words);
        Bits(loaded.Matrix).Should().Equal(Bits(model.Vectors.Matrix));
    }

    [Fact]
    public void Load_Word2VecModelFromAForwardOnlyStreamWithALimit_GivesTheFirstWords()
    {
        Word2VecModel model = TrainSmallModel();
        using var saved = new MemoryStream();
        model.Save(saved);

        using WordVectors loaded = FormatTestData.Load(saved.ToArray(), limit: 3, seekable: false);

        loaded.Vocabulary.Words.Should().Equal(model.Vectors.Vocabulary.Words.Take(3));
        Bits(loaded.Matrix).Should().Equal(Bits(model.Vectors.Matrix[..(3 * 8)]));
    }

    [Theory]
    [InlineData("sg.model")]
    [InlineData("sg.checkpoint")]
    public void Load_LegacyWord2VecModelOrCheckpoint_GivesTheVectorsOfItsRun(string name)
    {
        using WordVectors loaded = WordVectorsFile.Load(Legacy.LegacyFixtures.Path(name));

        Bits(loaded.Matrix).Should().Equal(Bits(Word2VecModel.Load(Legacy.LegacyFixtures.Path(name)).Vectors.Matrix));
    }

    [Theory]
    [InlineData("EMBC", ", not word vectors.")]
    [InlineData("EMLM", ", not word vectors.")]
    [InlineData("EMQL", ", not word vectors.")]
    [InlineData("EMTC", ", not word vectors.")]
    [InlineData("EMBK", ", not word vectors: QuantizedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() gives each word its centroid.")]
    [InlineData("EMBP", ", not word vectors: ProductQuantizedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() decodes every word.")]
    [InlineData("EMCZ", ", not word vectors: CompressedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() decodes every word.")]
    public void Load_AnotherOfTheProjectsNativeFiles_SaysWhatItIs(string magic, string rest)
    {
        using var folder = new TempDirectory();
        string path = folder.File("other");
        NativeFileKind kind = NativeFileKind.All.Single(k => k.Magic == magic);
        NativeFile.Write(path, kind, 0, 0, static (writer, _) => writer.Write(7));

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().Which.Message.Should().Be($"'{path}' is {kind.Description}{rest}");
    }

    [Fact]
    public void Load_DamagedFastTextBinaryModel_IsReadAsOneAndSaysWhatIsWrong()
    {
        // fastText models are read since issue 17: a file with the magic is parsed as one, not as text ("line 1: …").
        using var folder = new TempDirectory();
        string path = folder.File("cc.es.300.bin");
        File.WriteAllBytes(path, [0xBA, 0x16, 0x4F, 0x2F, 12, 0, 0, 0, .. new byte[64]]);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}' byte 8: the dimension must be 1–1048576 (was 0).");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_BinaryData_SaysItIsNotWordVectors(bool gzip)
    {
        using var folder = new TempDirectory();
        string path = folder.File("blob");
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        bytes[0] = (byte)'x'; // neither a gzip nor a native magic
        File.WriteAllBytes(path, gzip ? Compress(bytes) : bytes);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"'{path}' is binary data, not word vectors in a format read here (word2vec text or binary, fastText .vec, GloVe text or native EMBV).");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Load_TextThatIsNotVectors_SaysItsFirstLineIsNotAWordAndNumbers(bool gzip)
    {
        using var folder = new TempDirectory();
        string path = folder.File("corpus.txt");
        byte[] text = Encoding.UTF8.GetBytes("\nen un lugar de la mancha\nde cuyo nombre no quiero acordarme\n");
        File.WriteAllBytes(path, gzip ? Compress(text) : text);

        Action load = () => WordVectorsFile.Load(path);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"'{path}' is text, not word vectors: its first line is not a word followed by numbers ('en un lugar de la mancha').");
    }

    private static byte[] Compress(byte[] bytes)
    {
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return compressed.ToArray();
    }

    private static uint[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new uint[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToUInt32Bits(values[i]);
        }

        return bits;
    }

    private static byte[] Le(float value)
    {
        var bytes = new byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        return bytes;
    }
}
