using System.Text;
using Embeddings.Text.Sources;
using Embeddings.Tests.Infrastructure;
using static Embeddings.Text.Tests.Sources.TestStreams;

namespace Embeddings.Text.Tests.Sources;

/// <summary>How a CSV test reaches the parser: a file, a gzip file, or a stream handing out one byte per read.</summary>
public enum CsvDelivery
{
    File,
    GzipFile,
    OneBytePerRead,
}

public sealed partial class LineSourceTests
{
    public static TheoryData<CsvDelivery> Deliveries => new() { CsvDelivery.File, CsvDelivery.GzipFile, CsvDelivery.OneBytePerRead };

    /// <summary>CSV text, the column to read, the values expected; every case matches Python's <c>csv.DictReader</c>.</summary>
    public static TheoryData<string, string, string[]> CsvCases => new()
    {
        { "id,text\n1,hello\n2,world\n", "text", ["hello", "world"] },
        { "id,text\n1,\"a, b\"\n2,\"c\"\n", "text", ["a, b", "c"] },
        { "id,text\n1,\"x\"\"y\"\n2,\"\"\"\"\n", "text", ["x\"y", "\""] },
        { "id,text\r\n1,\"l1\r\nl2\"\r\n2,b\r\n", "text", ["l1\r\nl2", "b"] },
        { "id,text\n1,\"l1\nl2\n\nl4\"\n2,b", "text", ["l1\nl2\n\nl4", "b"] },
        { "id,text\n1,\"ab\"cd\n2,a\"b\n", "text", ["abcd", "a\"b"] },
        { "id,text\n\n1,a\n\n\r\n2,b", "text", ["a", "b"] },
        { "id,text\n1,\n2,\"\"\n3,\" \"\n", "text", ["", "", " "] },
        { "text,id\n,1\n\"\",2\n", "text", ["", ""] },
        { "id,text\r1,a\r2,b\r", "text", ["a", "b"] },
        { "id,text,extra\n1, padded ,x\n2,b,\"y\nz\"\n", "text", [" padded ", "b"] },
        { "\"i,d\",\"te\"\"xt\"\n1,a\n", "te\"xt", ["a"] },
        { "text\n", "text", [] },
        { "id,text\n1,last without newline", "text", ["last without newline"] },
        { "id,text\n1,\"quoted at the end\"", "text", ["quoted at the end"] },
    };

    [Theory]
    [MemberData(nameof(CsvCases))]
    public void FromCsvColumn_Cases_MatchPythonCsv(string csv, string column, string[] expected)
    {
        foreach (CsvDelivery delivery in Enum.GetValues<CsvDelivery>())
        {
            ReadTexts(Csv(csv, column, delivery)).Should().Equal(expected, "delivered as {0}", delivery);
        }
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void FromCsvColumn_EmbeddedNewlines_NumbersAreRecordNumbers(CsvDelivery delivery)
    {
        const string csv = "id,text\n1,\"two\nlines\"\n2,\"three\r\nlines\r\n\"\n3,one\n";

        List<TextLine> records = ReadAll(Csv(csv, "text", delivery));

        records.Should().Equal(new TextLine(1, "two\nlines"), new TextLine(2, "three\r\nlines\r\n"), new TextLine(3, "one"));
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void FromCsvColumn_FieldsLongerThanTheBuffer_AreWhole(CsvDelivery delivery)
    {
        // Quoted fields spanning several 64 KB buffers, with doubled quotes and CRLF across the boundaries.
        string big = string.Concat(Enumerable.Range(0, 30_000).Select(i => i % 7 == 0 ? "\"\r\n" : "ab€"));
        string quoted = big.Replace("\"", "\"\"", StringComparison.Ordinal);
        string csv = "id,text\r\n1,\"" + quoted + "\"\r\n2,\"" + quoted + "x\"\"\"\r\n";

        List<string> values = ReadTexts(Csv(csv, "text", delivery));

        values.Should().HaveCount(2);
        values[0].Should().Be(big);
        values[1].Should().Be(big + "x\"");
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void FromCsvColumn_MissingColumn_MessageNamesFileColumnAndColumns(CsvDelivery delivery)
    {
        LineSource source = Csv("id,label,tweet\n1,0,hi\n", "text", delivery);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{source.Name}' has no column 'text'. Its 3 columns are: 'id', 'label', 'tweet'.")
            .Where(e => (string)e.Data["SourceName"]! == source.Name);
    }

    [Fact]
    public void FromCsvColumn_ColumnDiffersInCase_SuggestsTheName()
    {
        LineSource source = Csv("id,Tweet\n1,hi\n", "tweet", CsvDelivery.File);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>().WithMessage("*Names are matched exactly; did you mean 'Tweet'?");
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void FromCsvColumn_UnterminatedQuote_NamesRecordAndLine(CsvDelivery delivery)
    {
        LineSource source = Csv("id,text\n1,a\n2,\"b\nc\n3,d\n", "text", delivery);
        var seen = new List<string>();

        Action act = () =>
        {
            foreach (TextLine line in source.ReadLines(TestContext.Current.CancellationToken))
            {
                seen.Add(line.Text);
            }
        };

        // Like Python's csv: the quote opened in record 2 swallows the rest of the file.
        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{source.Name}': the quoted field that opens on line 3 (record 2) is never closed; the file ends inside it.*")
            .Where(e => (long)e.Data["LineNumber"]! == 3 && (long)e.Data["RecordNumber"]! == 2);
        seen.Should().Equal("a");
    }

    [Theory]
    [MemberData(nameof(Deliveries))]
    public void FromCsvColumn_LineBreaksInsideQuotes_CountOnePhysicalLineEach(CsvDelivery delivery)
    {
        // Record 1 spans lines 2-5 (CRLF, CR, LF inside quotes); record 2 opens its quote on line 6.
        LineSource source = Csv("id,text\r\n1,\"a\r\nb\rc\nd\"\r\n2,\"open\r\n", "text", delivery);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>().WithMessage("*opens on line 6 (record 2)*");
    }

    [Fact]
    public void FromCsvColumn_UnterminatedQuoteInHeader_SaysHeaderRow()
    {
        LineSource source = Csv("id,\"text\n1,a\n", "text", CsvDelivery.File);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>().WithMessage("*opens on line 1 (the header row) is never closed*");
    }

    [Fact]
    public void FromCsvColumn_ShortRecord_ThrowsNamingRecordAndLine()
    {
        LineSource source = Csv("id,label,text\n1,0,a\n\n2,1\n", "text", CsvDelivery.File);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>()
            .WithMessage($"'{source.Name}': record 2 (line 4) has 2 fields, but column 'text' is field 3.");
    }

    [Fact]
    public void FromCsvColumn_EmptyFile_ThrowsExpectingHeader()
    {
        LineSource source = Csv(string.Empty, "text", CsvDelivery.File);

        Action act = () => ReadAll(source);

        act.Should().Throw<InvalidDataException>().WithMessage($"'{source.Name}' is empty; expected a CSV header row with a column 'text'.");
    }

    [Fact]
    public void FromCsvColumn_BomBeforeHeader_IsDropped()
    {
        string path = _temp.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "text,id\nhola,1\n"u8]);

        ReadTexts(LineSource.FromCsvColumn(path, "text")).Should().Equal("hola");
    }

    [Fact]
    public void FromCsvColumn_MissingFile_ThrowsFileNotFound()
    {
        string path = _temp.File("missing.csv");

        Action act = () => LineSource.FromCsvColumn(path, "text");

        act.Should().Throw<FileNotFoundException>().Where(e => e.FileName == path);
    }

    [Fact]
    public void FromCsvColumn_CancelledDuringLongRead_ThrowsPromptly()
    {
        // A header, then endless "line N" rows of one column.
        var rows = new GeneratedLinesStream();
        var stream = new ConcatenatedStream("text\n"u8.ToArray(), rows);
        using var cts = new CancellationTokenSource();
        long afterCancel = 0;

        Action act = () =>
        {
            foreach (TextLine record in LineSource.FromCsvColumn(stream, "generated.csv", "text", leaveOpen: false).ReadLines(cts.Token))
            {
                if (record.Number == 1_000)
                {
                    cts.Cancel();
                }
                else if (record.Number > 1_000)
                {
                    afterCancel++;
                }
            }
        };

        act.Should().Throw<OperationCanceledException>();
        afterCancel.Should().BeLessThan(20_000);
        rows.BytesRead.Should().BeLessThan(1024 * 1024);
    }

    [Fact]
    public void FromCsvColumn_WithProgress_ReachesFileLength()
    {
        string path = _temp.File("progress.csv.gz");
        File.WriteAllBytes(path, Gzip("id,text\n" + string.Concat(Enumerable.Range(1, 20_000).Select(i => $"{i},\"row {i}\"\n"))));
        var progress = new ListProgress();

        LineSource.FromCsvColumn(path, "text").ReadLines(progress, TestContext.Current.CancellationToken).Count().Should().Be(20_000);

        progress.Reports[^1].BytesRead.Should().Be(new FileInfo(path).Length);
        progress.Reports[^1].RecordsRead.Should().Be(20_000);
    }

    [Fact]
    public void FromCsvColumn_SharedTweets_Reads31962RecordsLikePython()
    {
        string path = SharedData.RequireFile("tweets/train.csv.gz");

        List<TextLine> tweets = ReadAll(LineSource.FromCsvColumn(path, "tweet"));

        // Checked with Python: csv.DictReader over gzip.open(path, "rt", newline="").
        tweets.Should().HaveCount(31_962);
        tweets[0].Should().Be(new TextLine(1, " @user when a father is dysfunctional and is so selfish he drags his kids into his dysfunction.   #run"));
        tweets[^1].Should().Be(new TextLine(31_962, "thank you @user for you follow  "));
    }

    private LineSource Csv(string csv, string column, CsvDelivery delivery)
    {
        byte[] bytes = Utf8NoBom.GetBytes(csv);
        switch (delivery)
        {
            case CsvDelivery.File:
            case CsvDelivery.GzipFile:
                string path = _temp.File($"{Guid.NewGuid():N}.csv");
                File.WriteAllBytes(path, delivery == CsvDelivery.GzipFile ? Gzip(bytes) : bytes);
                return LineSource.FromCsvColumn(path, column);
            default:
                return LineSource.FromCsvColumn(new TrickleStream(bytes), "trickle.csv", column, leaveOpen: false);
        }
    }

    /// <summary>A prefix, then another stream.</summary>
    private sealed class ConcatenatedStream(byte[] prefix, Stream rest) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == prefix.Length)
            {
                return rest.Read(buffer);
            }

            int n = Math.Min(buffer.Length, prefix.Length - _position);
            prefix.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
