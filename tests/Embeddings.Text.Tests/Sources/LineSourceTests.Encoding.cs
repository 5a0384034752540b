using System.Globalization;
using System.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stopwords;
using static Embeddings.Text.Tests.Sources.TestStreams;

namespace Embeddings.Text.Tests.Sources;

/// <summary>Strict UTF-8 by default, and the encodings a source can be told to read instead.</summary>
public sealed partial class LineSourceTests
{
    /// <summary>"jamás\nmañana\n" and a third line in Latin-1: á is 0xE1, ñ is 0xF1, neither valid UTF-8 there.</summary>
    private static readonly byte[] Latin1Spanish = Encoding.Latin1.GetBytes("nunca jamás\nhasta mañana\nadiós\n");

    private static readonly LineSourceOptions Latin1 = new() { Encoding = TextEncoding.Latin1 };

    [Fact]
    public void ReadLines_Latin1ByDefault_ThrowsNamingFileLineByteAndTheWayOut()
    {
        string path = Write("spanish.txt", Latin1Spanish);

        Action act = () => ReadAll(LineSource.FromFile(path));

        InvalidDataException error = act.Should().Throw<InvalidDataException>().Which;
        error.Message.Should().Be(
            $"'{path}' is not valid UTF-8: line 1 has the byte 0xE1 at offset 9, which cannot stand there in UTF-8. " +
            "If it is Latin-1 or Windows-1252 text, set LineSourceOptions.Encoding to TextEncoding.Latin1 or Windows1252; " +
            "TextEncoding.Utf8ReplaceInvalid reads each invalid byte as U+FFFD.");
        error.Data["LineNumber"].Should().Be(1L);
        error.Data["ByteOffset"].Should().Be(9L);
        error.Data["SourceName"].Should().Be(path);
    }

    [Fact]
    public void ReadLines_InvalidByteOnALaterLine_YieldsTheLinesBeforeAndNamesItsLine()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("canción\nniño\n"), .. Encoding.Latin1.GetBytes("mañana\n")];
        string path = Write("mixed.txt", bytes);
        var read = new List<string>();

        Action act = () => read.AddRange(LineSource.FromFile(path).ReadLines(TestContext.Current.CancellationToken).Select(line => line.Text));

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: line 3 has the byte 0xF1 at offset 17,*");
        read.Should().Equal("canción", "niño");
    }

    [Fact]
    public void ReadLines_InvalidByteFarIntoAGzipFile_NamesLineAndDecompressedOffset()
    {
        // Past several 64 KB buffers, so the line number cannot come from the first read.
        string valid = MixedText(20_000);
        byte[] bytes = [.. Utf8NoBom.GetBytes(valid), .. Encoding.Latin1.GetBytes("mañana\n")];
        string path = Write("long.txt.gz", Gzip(bytes));
        long offset = Utf8NoBom.GetByteCount(valid) + 2;

        Action act = () => ReadAll(LineSource.FromFile(path));

        act.Should().Throw<InvalidDataException>()
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"'{path}' is not valid UTF-8: line 20,001 has the byte 0xF1 at offset {offset:N0} of the decompressed data,*"))
            .Which.Data["ByteOffset"].Should().Be(offset);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadLines_SequenceSplitAcrossReads_IsValidButATruncatedOneIsNot(int chunk)
    {
        // "€" is E2 82 AC: whatever the read size, a split sequence is put back together before it is judged.
        using var valid = new TrickleStream(Utf8NoBom.GetBytes("5 €\n😀 é\n"), chunk);
        ReadTexts(LineSource.FromStream(valid, "trickle", leaveOpen: true)).Should().Equal("5 €", "😀 é");

        using var cut = new TrickleStream([.. "5 "u8, 0xE2, 0x82], chunk);
        Action act = () => ReadAll(LineSource.FromStream(cut, "cut", leaveOpen: true));
        act.Should().Throw<InvalidDataException>().WithMessage("'cut' is not valid UTF-8: line 1 has the byte 0xE2 at offset 2,*");
    }

    [Fact]
    public void ReadLines_Latin1_DecodesEveryByte()
    {
        string path = Write("spanish.txt", Latin1Spanish);

        ReadTexts(LineSource.FromFile(path, Latin1)).Should().Equal("nunca jamás", "hasta mañana", "adiós");
    }

    [Fact]
    public void ReadLines_Windows1252_DecodesCurlyQuotesAndEuro()
    {
        // 0x93 and 0x94 are “ and ”, 0x80 is €, 0x85 is … in Windows-1252 (C1 control characters in Latin-1).
        byte[] bytes = [0x93, .. "caf"u8, 0xE9, 0x94, (byte)' ', (byte)'5', 0x80, 0x85, (byte)'\n'];
        string path = Write("cp1252.txt", bytes);

        ReadTexts(LineSource.FromFile(path, new LineSourceOptions { Encoding = TextEncoding.Windows1252 })).Should().Equal("“café” 5€…");
        ReadTexts(LineSource.FromFile(path, Latin1)).Should().Equal("\u0093café\u0094 5\u0080\u0085");
    }

    [Fact]
    public void ReadLines_Latin1Gzip_IsDecompressedThenDecoded()
    {
        string path = Write("spanish.gz", Gzip(Latin1Spanish));

        ReadTexts(LineSource.FromFile(path, Latin1)).Should().Equal("nunca jamás", "hasta mañana", "adiós");
    }

    [Fact]
    public void ReadLines_Latin1WithNulBytes_IsStillBinary()
    {
        string path = Write("data.bin", [.. "ab"u8, 0, 0xE1]);

        Action act = () => ReadAll(LineSource.FromFile(path, Latin1));

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' looks like a binary file (NUL byte at offset 2)*");
    }

    /// <summary>
    /// <see cref="LineSourceOptions.RefuseGzip"/>, for a stream a user pipes in: gzip is refused, and binary data is
    /// reported as not being text, in one line each; without it a stream's gzip is decompressed as a file's is.
    /// </summary>
    [Fact]
    public void FromStream_RefuseGzip_RefusesGzipAndBinaryWithOneLineEach()
    {
        var refuse = new LineSourceOptions { RefuseGzip = true };
        byte[] gzip = Gzip("nunca jamás\n"u8.ToArray());

        Action readGzip = () => ReadAll(LineSource.FromStream(new MemoryStream(gzip), "standard input", leaveOpen: false, refuse));
        Action readBinary = () => ReadAll(LineSource.FromStream(new MemoryStream([.. "nunca"u8, 0, 1]), "standard input", leaveOpen: false, refuse));
        List<string> decompressed = ReadTexts(LineSource.FromStream(new MemoryStream(gzip), "standard input", leaveOpen: false));

        InvalidDataException gzipError = readGzip.Should().Throw<InvalidDataException>().Which;
        gzipError.Message.Should().Be("standard input is gzip-compressed: decompress it first (gunzip -c FILE | …)");
        gzipError.Data["DecompressHint"].Should().Be(" (gunzip -c FILE | …)");
        readBinary.Should().Throw<InvalidDataException>().WithMessage("standard input holds binary data (a NUL byte at byte 5); expected UTF-8 text");
        decompressed.Should().Equal("nunca jamás");
    }

    [Fact]
    public void FromFile_RefuseGzip_NamesTheFileQuoted_AndKeepsTheFileBinaryMessage()
    {
        string gzip = Write("spanish.gz", Gzip("nunca\n"u8.ToArray()));
        string binary = Write("data.bin", [.. "ab"u8, 0]);
        var refuse = new LineSourceOptions { RefuseGzip = true };

        Action readGzip = () => ReadAll(LineSource.FromFile(gzip, refuse));
        Action readBinary = () => ReadAll(LineSource.FromFile(binary, refuse));

        readGzip.Should().Throw<InvalidDataException>().WithMessage($"'{gzip}' is gzip-compressed: decompress it first*");
        readBinary.Should().Throw<InvalidDataException>().WithMessage($"'{binary}' looks like a binary file (NUL byte at offset 2)*");
    }

    [Fact]
    public void ReadLines_Utf16WithBom_IsDecodedEvenWhenStrict()
    {
        string path = Write("utf16.txt", [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes("mañana\n")]);

        ReadTexts(LineSource.FromFile(path)).Should().Equal("mañana");
    }

    [Fact]
    public void ReadLines_CsvColumnInLatin1_ThrowsByDefaultAndDecodesWhenTold()
    {
        string path = Write("tweets.csv", Encoding.Latin1.GetBytes("id,text\n1,hola\n2,\"hasta\nmañana\"\n"));

        Action act = () => ReadAll(LineSource.FromCsvColumn(path, "text"));

        act.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: line * has the byte 0xF1*");
        ReadTexts(LineSource.FromCsvColumn(path, "text", Latin1)).Should().Equal("hola", "hasta\nmañana");
    }

    [Fact]
    public void StopwordFile_StrictByDefault_Latin1WhenTold()
    {
        string path = Write("stopwords.txt", Encoding.Latin1.GetBytes("él\naún\n"));

        Action strict = () => StopwordList.FromFile(path);

        strict.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is not valid UTF-8: line 1 has the byte 0xE9 at offset 0,*");
        StopwordList.FromFile(path, Latin1).Words.Should().Equal("él", "aún");
    }
}
