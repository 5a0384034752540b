using Embeddings.Text.Sources;
using Embeddings.Tests.Infrastructure;
using static Embeddings.Text.Tests.Sources.TestStreams;

namespace Embeddings.Text.Tests.Sources;

public sealed class LabelledLineSourceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static List<LabelledLine> ReadAll(LabelledLineSource source) => [.. source.ReadLines(cancellationToken: TestContext.Current.CancellationToken)];

    private string Write(string name, byte[] bytes)
    {
        string path = _temp.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void FromCsv_TextAndLabelColumns_ReadTogetherWithNumbers()
    {
        // The columns in either order, a quoted field across two lines, a blank line, an extra column.
        string path = Write("small.csv", Utf8NoBom.GetBytes("id,tweet,label,extra\n1,hello there,0,x\n2,\"two\nlines\",1,y\n\n3,\"a, b\",0,z\n"));

        List<LabelledLine> rows = ReadAll(LabelledLineSource.FromCsv(path, textColumn: "tweet", labelColumn: "label"));

        rows.Should().Equal(
            new LabelledLine(1, 2, "0", "hello there"),
            new LabelledLine(2, 3, "1", "two\nlines"),
            new LabelledLine(3, 6, "0", "a, b"));
    }

    [Fact]
    public void FromCsv_TsvByName_SplitsOnTabs_GzipByContent()
    {
        string path = Write("small.tsv.gz", Gzip("label\ttext\npos\tgood, very good\nneg\t\"quoted\ttab\"\n"));

        LabelledLineSource source = LabelledLineSource.FromCsv(path, "text", "label");

        source.Delimiter.Should().Be('\t');
        ReadAll(source).Select(row => (row.Label, row.Text)).Should().Equal(("pos", "good, very good"), ("neg", "quoted\ttab"));
    }

    [Fact]
    public void FromCsv_Stream_ReadsWithTheDelimiterGiven()
    {
        var stream = new TrickleStream(Utf8NoBom.GetBytes("label;text\na;x y\nb;z\n"));

        List<LabelledLine> rows = ReadAll(LabelledLineSource.FromCsv(stream, "stdin", "text", "label", leaveOpen: false, delimiter: ';'));

        rows.Select(row => row.Label).Should().Equal("a", "b");
    }

    [Theory]
    [InlineData("data.csv", ',')]
    [InlineData("data.TSV", '\t')]
    [InlineData("data.tab.gz", '\t')]
    [InlineData("data.txt", ',')]
    public void DelimiterFor_TheName_PicksCommaOrTab(string name, char expected) =>
        LabelledLineSource.DelimiterFor(name).Should().Be(expected);

    [Fact]
    public void ReadLines_UnknownColumn_ListsTheHeader()
    {
        string path = Write("tweets.csv", Utf8NoBom.GetBytes("id,label,tweet\n1,0,hi\n"));

        Action read = () => ReadAll(LabelledLineSource.FromCsv(path, "tweet", "Label"));

        read.Should().Throw<InvalidDataException>()
            .WithMessage($"'{path}' has no column 'Label'. Its 3 columns are: 'id', 'label', 'tweet'. Names are matched exactly; did you mean 'label'?");
    }

    [Fact]
    public void ReadLines_RowWithoutTheLabel_NamesFileAndLine()
    {
        string path = Write("short.csv", Utf8NoBom.GetBytes("id,tweet,label\n1,ok,0\n2,no label here\n"));

        Action read = () => ReadAll(LabelledLineSource.FromCsv(path, "tweet", "label"));

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}': record 2 (line 3) has 2 fields, but column 'label' is field 3.");
    }

    [Fact]
    public void ReadLines_EmptyLabel_NamesFileAndLine()
    {
        string path = Write("empty-label.csv", Utf8NoBom.GetBytes("label,text\n1,a\n,b\n"));

        Action read = () => ReadAll(LabelledLineSource.FromCsv(path, "text", "label"));

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}' line 3 (record 2): the label (column 'label') is empty.");
    }

    [Fact]
    public void ReadLines_EmptyFile_NamesBothColumns()
    {
        string path = Write("empty.csv", []);

        Action read = () => ReadAll(LabelledLineSource.FromCsv(path, "text", "label"));

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}' is empty; expected a CSV header row with columns 'label' and 'text'.");
    }

    [Fact]
    public void FromCsv_QuoteAsDelimiter_Throws()
    {
        string path = Write("x.csv", Utf8NoBom.GetBytes("a,b\n"));

        Action create = () => LabelledLineSource.FromCsv(path, "a", "b", delimiter: '"');

        create.Should().Throw<ArgumentException>().And.ParamName.Should().Be("delimiter");
    }

    [Fact]
    public void ReadLines_Progress_ReportsTheRecords()
    {
        string path = Write("p.csv", Utf8NoBom.GetBytes("label,text\n1,a\n0,b\n"));
        var reports = new List<ReadProgress>();

        ReadWithProgress(LabelledLineSource.FromCsv(path, "text", "label"), new Progress(reports));

        reports.Should().NotBeEmpty();
        reports[^1].RecordsRead.Should().Be(2);
    }

    [Fact]
    public void FromCsv_SharedTweets_Reads31962LabelledRowsLikePython()
    {
        string path = SharedData.RequireFile("tweets/train.csv.gz");

        List<LabelledLine> rows = ReadAll(LabelledLineSource.FromCsv(path, "tweet", "label"));

        // Checked with Python: csv.DictReader over gzip.open(path, "rt", newline=""), Counter of 'label'.
        rows.Should().HaveCount(31_962);
        rows.Count(row => row.Label == "0").Should().Be(29_720);
        rows.Count(row => row.Label == "1").Should().Be(2_242);
        rows[^1].Should().Be(new LabelledLine(31_962, 31_963, "0", "thank you @user for you follow  "));
    }

    private static void ReadWithProgress(LabelledLineSource source, IProgress<ReadProgress> progress)
    {
        foreach (LabelledLine _ in source.ReadLines(progress, TestContext.Current.CancellationToken))
        {
        }
    }

    /// <summary>Records reports synchronously (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class Progress(List<ReadProgress> reports) : IProgress<ReadProgress>
    {
        public void Report(ReadProgress value) => reports.Add(value);
    }
}
