using System.Text;
using Embeddings.Text.Sources;
using Embeddings.Tests.Infrastructure;
using static Embeddings.Text.Tests.Sources.TestStreams;

namespace Embeddings.Text.Tests.Sources;

public sealed partial class LineSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public static TheoryData<string, string[]> LineEndings => new()
    {
        { "a\nb\nc\n", ["a", "b", "c"] },
        { "a\r\nb\r\nc\r\n", ["a", "b", "c"] },
        { "a\rb\rc\r", ["a", "b", "c"] },
        { "a\r\nb\nc\rd", ["a", "b", "c", "d"] },
        { "a\n\nb\r\n\r\nc", ["a", "", "b", "", "c"] },
        { "a\r\r\nb", ["a", "", "b"] },
        { "\n", [""] },
    };

    public static TheoryData<int> TruncatedTails => new() { 1, 4, 8, 9, 100, 5000 };

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void FromFile_PlainFile_YieldsLinesNumberedFromOne()
    {
        string path = Write("plain.txt", "the cat\nsat on\nthe mat\n");

        List<TextLine> lines = ReadAll(LineSource.FromFile(path));

        lines.Should().Equal(new TextLine(1, "the cat"), new TextLine(2, "sat on"), new TextLine(3, "the mat"));
    }

    [Fact]
    public void FromFile_GzipNamedTxt_IsDecompressed()
    {
        string path = Write("compressed.txt", Gzip("one\ntwo\n"));

        ReadTexts(LineSource.FromFile(path)).Should().Equal("one", "two");
    }

    [Fact]
    public void FromFile_PlainTextNamedGz_IsReadAsText()
    {
        string path = Write("not-compressed.gz", "one\ntwo\n");

        ReadTexts(LineSource.FromFile(path)).Should().Equal("one", "two");
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void FromFile_Utf8WithOrWithoutBom_DecodesWithoutBom(bool bom, bool gzip)
    {
        byte[] text = Encoding.UTF8.GetBytes("ñandú\nsegunda\n");
        byte[] bytes = bom ? [0xEF, 0xBB, 0xBF, .. text] : text;
        string path = Write("bom.txt", gzip ? Gzip(bytes) : bytes);

        ReadTexts(LineSource.FromFile(path)).Should().Equal("ñandú", "segunda");
    }

    [Fact]
    public void FromFile_Utf16WithBom_Decodes()
    {
        string path = Write("utf16.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("hola\nmundo\n")).ToArray());

        ReadTexts(LineSource.FromFile(path)).Should().Equal("hola", "mundo");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromFile_InvalidUtf8_ReplacesBytesWithReplacementCharacter(bool bom)
    {
        // A lone continuation byte, a truncated 3-byte sequence, an overlong encoding, and 0xFF.
        byte[] bytes = [(byte)'a', 0x80, (byte)'b', (byte)'\n', 0xE2, 0x82, (byte)'c', (byte)'\n', 0xC0, 0xAF, (byte)'\n', 0xFF, (byte)'d'];
        string path = Write("invalid.txt", bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);

        List<string> lines = ReadTexts(LineSource.FromFile(path, new LineSourceOptions { Encoding = TextEncoding.Utf8ReplaceInvalid }));

        lines.Should().Equal("a\uFFFDb", "\uFFFDc", "\uFFFD\uFFFD", "\uFFFDd");
    }

    [Fact]
    public void FromFile_MultiByteCharactersAcrossBufferBoundaries_Decode()
    {
        // 1- to 4-byte characters over several 64 KB buffers: every read boundary splits some sequence.
        string text = MixedText(20_000);
        string path = Write("mixed.txt", Utf8NoBom.GetBytes(text));

        List<string> lines = ReadTexts(LineSource.FromFile(path));

        string.Join('\n', lines).Should().Be(text.TrimEnd('\n'));
        lines.Should().HaveCount(20_000);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    public void FromStream_SmallReads_DecodeSplitSequencesAndCrLf(int chunk)
    {
        string text = "\uFEFFé€😀\r\n" + MixedText(50).Replace("\n", "\r\n", StringComparison.Ordinal) + "z\r";
        using var stream = new TrickleStream(Encoding.UTF8.GetBytes(text), chunk);

        List<string> lines = ReadTexts(LineSource.FromStream(stream, "trickle", leaveOpen: true));

        lines.Should().Equal(text[1..].TrimEnd('\r').Split(["\r\n", "\r"], StringSplitOptions.None));
    }

    [Theory]
    [MemberData(nameof(LineEndings))]
    public void FromFile_LineEndings_SplitLikeStreamReader(string content, string[] expected)
    {
        string path = Write("endings.txt", content);

        ReadTexts(LineSource.FromFile(path)).Should().Equal(expected);
    }

    [Fact]
    public void FromFile_EmptyFile_YieldsNothing()
    {
        string path = Write("empty.txt", string.Empty);

        ReadAll(LineSource.FromFile(path)).Should().BeEmpty();
    }

    [Fact]
    public void FromFile_EmptyGzip_YieldsNothing()
    {
        string path = Write("empty.gz", Gzip(string.Empty));

        ReadAll(LineSource.FromFile(path)).Should().BeEmpty();
    }

    [Fact]
    public void FromFile_WhitespaceOnlyLines_AreKept()
    {
        string path = Write("spaces.txt", " \n\t\n   x  \n\n");

        ReadTexts(LineSource.FromFile(path)).Should().Equal(" ", "\t", "   x  ", "");
    }

    [Fact]
    public void FromFile_NoFinalNewline_YieldsLastLine()
    {
        string path = Write("no-final-newline.txt", "first\nlast");

        ReadTexts(LineSource.FromFile(path)).Should().Equal("first", "last");
    }

    [Fact]
    public void FromFile_MissingFile_ThrowsFileNotFoundWithPath()
    {
        string path = _temp.File("does-not-exist.txt");

        Action act = () => LineSource.FromFile(path);

        act.Should().Throw<FileNotFoundException>()
            .Where(e => e.FileName == path)
            .WithMessage($"*'{path}'*");
    }

    [Fact]
    public void FromFile_Folder_ThrowsFileNotFoundSayingFolder()
    {
        Action act = () => LineSource.FromFile(_temp.Path);

        act.Should().Throw<FileNotFoundException>().WithMessage($"'{_temp.Path}' is a folder*");
    }

    [Fact]
    public void ReadLines_FileDeletedAfterFromFile_ThrowsFileNotFound()
    {
        string path = Write("deleted.txt", "x\n");
        LineSource source = LineSource.FromFile(path);
        File.Delete(path);

        Action act = () => ReadAll(source);

        act.Should().Throw<FileNotFoundException>();
    }

    [Theory]
    [MemberData(nameof(TruncatedTails))]
    public void ReadLines_TruncatedGzip_ThrowsInvalidDataNamingFile(int cut)
    {
        string[] expected = MixedText(5_000).TrimEnd('\n').Split('\n');
        string path = Write("truncated.txt.gz", Gzip(MixedText(5_000))[..^cut]);
        var yielded = new List<string>();

        Action act = () =>
        {
            foreach (TextLine line in LineSource.FromFile(path).ReadLines(TestContext.Current.CancellationToken))
            {
                yielded.Add(line.Text);
            }
        };

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' is a truncated gzip file: the compressed data stops after line *")
            .Where(e => (string)e.Data["SourceName"]! == path && (long)e.Data["LineNumber"]! == yielded.Count + 1);
        yielded.Should().Equal(expected.Take(yielded.Count), "a partial last line is never yielded");
    }

    [Fact]
    public void ReadLines_GzipCutInsideHeader_ThrowsTruncated()
    {
        string path = Write("header-only.gz", Gzip("hello\n")[..5]);

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is a truncated gzip file: the compressed data stops at the start*");
    }

    [Fact]
    public void ReadLines_CorruptGzip_ThrowsInvalidDataNamingFileAndPlace()
    {
        byte[] gzip = Gzip(MixedText(5_000));
        for (int i = gzip.Length / 2; i < (gzip.Length / 2) + 64; i++)
        {
            gzip[i] ^= 0x5A;
        }

        string path = Write("corrupt.gz", gzip);

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' is not valid gzip data: * (after line *, * bytes in).")
            .WithInnerException<InvalidDataException>();
    }

    [Fact]
    public void ReadLines_ConcatenatedGzipMembers_ReadsAllMembers()
    {
        // cat a.gz b.gz > c.gz, as gzip, Python and GZipStream all accept: the trailer only covers the last member.
        string path = Write("joined.gz", [.. Gzip("a1\na2\n"), .. Gzip(MixedText(3)), .. Gzip("c1\n")]);

        ReadTexts(LineSource.FromFile(path)).Should().Equal(["a1", "a2", .. MixedText(3).TrimEnd('\n').Split('\n'), "c1"]);
    }

    [Fact]
    public void ReadLines_ManySmallGzipMembers_ReadsAll()
    {
        // Like BGZF or Common Crawl WET files: every record its own member.
        byte[] joined = Enumerable.Range(1, 300).SelectMany(i => Gzip($"record {i}\n")).ToArray();
        string path = Write("members.gz", joined);

        ReadTexts(LineSource.FromFile(path)).Should().HaveCount(300).And.EndWith("record 300");
    }

    [Fact]
    public void ReadLines_TruncatedLastOfSeveralMembers_Throws()
    {
        byte[] last = Gzip(MixedText(2_000));
        string path = Write("joined-truncated.gz", [.. Gzip("a1\n"), .. Gzip("b1\n"), .. last[..^10]]);

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is a truncated gzip file*");
    }

    [Fact]
    public void FromStream_NonSeekableGzip_IsDecompressed()
    {
        using var stream = new TrickleStream(Gzip("one\ntwo\n"), chunk: 3);

        ReadTexts(LineSource.FromStream(stream, "pipe", leaveOpen: true)).Should().Equal("one", "two");
    }

    [Fact]
    public void FromStream_NonSeekableTruncatedGzip_Throws()
    {
        using var stream = new TrickleStream(Gzip(MixedText(100))[..^6], chunk: 1000);

        Action act = () => ReadAll(LineSource.FromStream(stream, "pipe", leaveOpen: true));

        act.Should().Throw<InvalidDataException>().WithMessage("'pipe' is a truncated gzip file*");
    }

    [Fact]
    public void ReadLines_BinaryFile_ThrowsInvalidDataWithOffset()
    {
        string path = Write("image.png", [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D]);

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' looks like a binary file (NUL byte at offset 8); expected UTF-8 text or gzip.");
    }

    [Fact]
    public void ReadLines_GzippedBinary_ThrowsWithDecompressedOffset()
    {
        byte[] data = [.. Encoding.ASCII.GetBytes(new string('a', 5000)), 0x00];
        string path = Write("binary.gz", Gzip(data));

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' looks like a binary file (NUL byte at offset 5000 of the decompressed data)*");
    }

    [Fact]
    public void ReadLines_NulAfterFirst8KB_IsPassedThrough()
    {
        string path = Write("late-nul.txt", new string('a', 9000) + "\n\0b\n");

        ReadTexts(LineSource.FromFile(path)).Should().Equal(new string('a', 9000), "\0b");
    }

    [Fact]
    public void ReadLines_Bzip2File_ThrowsNamingTheFormat()
    {
        byte[] bzip2Header = [(byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, 0x12, 0x34];
        string path = Write("corpus.txt.bz2", bzip2Header);

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' is a bzip2 file; only plain text and gzip are read. Decompress it first (bunzip2 -k {path}*");
    }

    [Fact]
    public void ReadLines_TextStartingLikeBzip2_IsText()
    {
        string path = Write("bzh.txt", "BZh9 is not a bzip2 header\n");

        ReadTexts(LineSource.FromFile(path)).Should().Equal("BZh9 is not a bzip2 header");
    }

    [Fact]
    public void ReadLines_CancelledDuringLongRead_ThrowsPromptly()
    {
        var stream = new GeneratedLinesStream();
        using var cts = new CancellationTokenSource();
        LineSource source = LineSource.FromStream(stream, "generated", leaveOpen: false);
        long linesAfterCancel = 0;

        Action act = () =>
        {
            foreach (TextLine line in source.ReadLines(cts.Token))
            {
                line.Text.Should().Be($"line {line.Number}");
                if (line.Number == 10_000)
                {
                    cts.Cancel();
                }
                else if (line.Number > 10_000)
                {
                    linesAfterCancel++;
                }
            }
        };

        act.Should().Throw<OperationCanceledException>();
        linesAfterCancel.Should().BeLessThan(20_000, "reading stops within one 64 KB buffer");
        stream.BytesRead.Should().BeLessThan(1024 * 1024);
    }

    [Fact]
    public void ReadLines_AlreadyCancelled_ThrowsBeforeOpening()
    {
        using var stream = new TrickleStream("x\n"u8.ToArray());
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Func<List<TextLine>> act = () => LineSource.FromStream(stream, "s", leaveOpen: true).ReadLines(cts.Token).ToList();

        act.Should().Throw<OperationCanceledException>();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLines_WithProgress_FinalReportReachesFileLength(bool gzip)
    {
        string text = MixedText(30_000);
        byte[] bytes = Utf8NoBom.GetBytes(text);
        string path = Write("progress.txt", gzip ? Gzip(bytes) : bytes);
        long length = new FileInfo(path).Length;
        var progress = new ListProgress();
        LineSource source = LineSource.FromFile(path);

        int count = source.ReadLines(progress, TestContext.Current.CancellationToken).Count();

        count.Should().Be(30_000);
        source.LengthInBytes.Should().Be(length);
        progress.Reports.Should().NotBeEmpty();
        progress.Reports.Should().BeInAscendingOrder(r => r.BytesRead);
        progress.Reports.Count.Should().BeLessThan(100, "reports are throttled, never per line");
        ReadProgress last = progress.Reports[^1];
        last.BytesRead.Should().Be(length);
        last.TotalBytes.Should().Be(length);
        last.RecordsRead.Should().Be(30_000);
        last.Fraction.Should().Be(1.0);
    }

    [Fact]
    public void FromFile_ReadTwice_YieldsSameLines()
    {
        string path = Write("twice.txt", Gzip("a\nb\n"));
        LineSource source = LineSource.FromFile(path);

        ReadTexts(source).Should().Equal("a", "b");
        ReadTexts(source).Should().Equal("a", "b");
    }

    [Fact]
    public void FromStream_ReadTwice_ThrowsInvalidOperation()
    {
        using var stream = new MemoryStream("a\n"u8.ToArray());
        LineSource source = LineSource.FromStream(stream, "memory", leaveOpen: true);
        ReadTexts(source).Should().Equal("a");

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidOperationException>().WithMessage("'memory' comes from a stream and has already been read*");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FromStream_LeaveOpen_DecidesWhetherStreamIsDisposed(bool leaveOpen)
    {
        var stream = new TrickleStream("a\nb"u8.ToArray(), chunk: 64);

        ReadTexts(LineSource.FromStream(stream, "s", leaveOpen)).Should().Equal("a", "b");

        stream.Disposed.Should().Be(!leaveOpen);
    }

    [Fact]
    public void FromStream_SeekableStream_LengthIsBytesLeft()
    {
        using var stream = new MemoryStream(new byte[100]) { Position = 40 };

        LineSource.FromStream(stream, "memory", leaveOpen: true).LengthInBytes.Should().Be(60);
    }

    [Fact]
    public void FromStream_UnreadableStream_ThrowsArgument()
    {
        using var stream = new MemoryStream();
        stream.Dispose();

        Action act = () => LineSource.FromStream(stream, "closed", leaveOpen: true);

        act.Should().Throw<ArgumentException>().WithParameterName("stream");
    }

    [Fact]
    public void FromStrings_Strings_YieldsThemNumbered()
    {
        LineSource source = LineSource.FromStrings(["a", "", " b "]);

        ReadAll(source).Should().Equal(new TextLine(1, "a"), new TextLine(2, ""), new TextLine(3, " b "));
        source.Name.Should().Be("strings");
        source.LengthInBytes.Should().BeNull();
    }

    [Fact]
    public void FromStrings_NullElement_ThrowsNamingLine()
    {
        LineSource source = LineSource.FromStrings(["a", null!], "mine");

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>().WithMessage("'mine': line 2 is null.");
    }

    [Fact]
    public void FromStrings_WithProgress_ReportsRecordCount()
    {
        var progress = new ListProgress();

        LineSource.FromStrings(Enumerable.Repeat("x", 5000)).ReadLines(progress, TestContext.Current.CancellationToken).Count().Should().Be(5000);

        progress.Reports[^1].Should().Be(progress.Reports[^1] with { BytesRead = 0, TotalBytes = null, RecordsRead = 5000 });
        progress.Reports[^1].Fraction.Should().BeNull();
    }

    [Fact]
    public void FromFile_SharedEnglishCorpus_StartsAsExpected()
    {
        string path = SharedData.RequireFile("corpus/en.txt.gz");

        List<TextLine> head = LineSource.FromFile(path).ReadLines(TestContext.Current.CancellationToken).Take(3).ToList();

        head.Should().HaveCount(3);
        head[0].Should().Be(new TextLine(1, "in an inquisitorial manner"));
        head.Should().OnlyContain(l => l.Text.All(c => c == ' ' || (c >= 'a' && c <= 'z')));
    }

    private string Write(string name, string text) => Write(name, Utf8NoBom.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
