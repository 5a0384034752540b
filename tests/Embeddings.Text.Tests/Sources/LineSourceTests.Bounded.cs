using Embeddings.Core.Formats;
using Embeddings.Text.Sources;
using static Embeddings.Text.Tests.Sources.TestStreams;

namespace Embeddings.Text.Tests.Sources;

/// <summary>The bound on record length: long lines are split at whitespace or refused, and cancellation reaches inside them.</summary>
public sealed partial class LineSourceTests
{
    private static readonly LineSourceOptions Small = new() { MaxRecordLength = 16 };

    [Fact]
    public void FromFile_LineLongerThanLimit_IsSplitAtWhitespaceWithItsLineNumber()
    {
        string path = Write("long.txt", "short\nthe cat sat on the mat and then the dog\nlast\n");

        List<TextLine> lines = ReadAll(LineSource.FromFile(path, Small));

        lines.Should().Equal(
            new TextLine(1, "short"),
            new TextLine(2, "the cat sat on"),
            new TextLine(2, "the mat and then"),
            new TextLine(2, "the dog"),
            new TextLine(3, "last"));
        lines.Should().OnlyContain(line => line.Text.Length <= 16);
    }

    [Fact]
    public void FromFile_LongLineWithoutWhitespace_IsCutAtTheLimitAndWarnedOnce()
    {
        string path = Write("word.txt", new string('a', 40) + "\n" + new string('b', 20) + "\n");
        var warnings = new List<string>();

        List<string> texts = ReadTexts(LineSource.FromFile(path, Small with { Warning = warnings.Add }));

        texts.Should().Equal(new string('a', 16), new string('a', 16), new string('a', 8), new string('b', 16), new string('b', 4));
        warnings.Should().ContainSingle().Which.Should().Contain($"'{path}' line 1").And.Contain("16 characters");
    }

    [Fact]
    public void FromFile_LineAtTheLimit_IsOneRecord()
    {
        string path = Write("exact.txt", new string('a', 16) + "\r\n" + new string('b', 16));

        ReadTexts(LineSource.FromFile(path, Small)).Should().Equal(new string('a', 16), new string('b', 16));
    }

    [Fact]
    public void FromFile_LongLineWhenNotSplitting_ThrowsNamingFileAndLine()
    {
        string path = Write("list.txt", "one\n" + new string('x', 17) + "\n");

        Action read = () => ReadAll(LineSource.FromFile(path, Small with { SplitLongRecords = false }));

        InvalidDataException error = read.Should().Throw<InvalidDataException>().Which;
        error.Message.Should().Be($"'{path}' line 2 is longer than 16 characters; is it the right file?");
        error.Data["LineNumber"].Should().Be(2L);
        error.Data["SourceName"].Should().Be(path);
    }

    [Fact]
    public void FromStream_EndlessLine_HoldsAtMostTheLimitAndSeesCancellationInsideIt()
    {
        // An endless line of 'a' with the default 64 Mi limit: cancelled after 4 MiB, before any record is complete.
        using var cancellation = new CancellationTokenSource();
        using var endless = new EndlessStream([], (byte)'a', cancelAfter: 4 << 20, cancellation);
        LineSource source = LineSource.FromStream(endless, "endless", leaveOpen: true);

        Action read = () => _ = source.ReadLines(cancellation.Token).Count();

        read.Should().Throw<OperationCanceledException>();
        endless.BytesRead.Should().BeLessThan(8 << 20);
    }

    [Fact]
    public void FromFile_MaxRecordLengthBelowOne_IsRejected()
    {
        string path = Write("any.txt", "a\n");

        Action create = () => LineSource.FromFile(path, new LineSourceOptions { MaxRecordLength = 0 });

        create.Should().Throw<ArgumentOutOfRangeException>().WithMessage("MaxRecordLength must be *(was 0)*LineSourceOptions.MaxRecordLength*");
    }

    [Fact]
    public void FromCsvColumn_FieldLongerThan64Mi_ThrowsNamingTheRecord()
    {
        // A header, then one field that never ends: refused after 64 Mi characters instead of read without end.
        using var cancellation = new CancellationTokenSource();
        using var endless = new EndlessStream("text\n"u8.ToArray(), (byte)'a', cancelAfter: long.MaxValue, cancellation);
        LineSource source = LineSource.FromCsvColumn(endless, "endless.csv", "text", leaveOpen: true);

        Action read = () => _ = source.ReadLines(TestContext.Current.CancellationToken).Count();

        read.Should().Throw<InvalidDataException>()
            .WithMessage("'endless.csv': a field of record 1 (from line 2) is longer than 64 Mi characters; is it the right file?");
        endless.BytesRead.Should().BeLessThan(80L << 20);
    }

    /// <summary>A prefix, then one byte repeated without end; cancels a token once enough of it was read.</summary>
    private sealed class EndlessStream(byte[] prefix, byte value, long cancelAfter, CancellationTokenSource cancellation) : ReadOnlyForwardStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            int fromPrefix = (int)Math.Clamp(prefix.Length - BytesRead, 0, buffer.Length);
            prefix.AsSpan((int)Math.Min(BytesRead, prefix.Length), fromPrefix).CopyTo(buffer);
            buffer[fromPrefix..].Fill(value);
            BytesRead += buffer.Length;
            if (BytesRead >= cancelAfter)
            {
                cancellation.Cancel();
            }

            return buffer.Length;
        }
    }
}
