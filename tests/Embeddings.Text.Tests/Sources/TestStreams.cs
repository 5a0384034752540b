using System.IO.Compression;
using System.Text;
using Embeddings.Text.Sources;

namespace Embeddings.Text.Tests.Sources;

/// <summary>Streams and helpers for the line source tests.</summary>
internal static class TestStreams
{
    public static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Gzip(string text) => Gzip(Utf8NoBom.GetBytes(text));

    /// <summary>Reads every record, with the test's cancellation token.</summary>
    public static List<TextLine> ReadAll(LineSource source) => source.ReadLines(TestContext.Current.CancellationToken).ToList();

    public static List<string> ReadTexts(LineSource source) => ReadAll(source).ConvertAll(l => l.Text);

    /// <summary>Deterministic text with one- to four-byte UTF-8 characters, LF line ends.</summary>
    public static string MixedText(int lines)
    {
        var text = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            text.Append("línea ").Append(i).Append(" € 😀 ").Append('x', i % 17).Append('\n');
        }

        return text.ToString();
    }
}

/// <summary>Hands out at most <c>chunk</c> bytes per read, so every split of a UTF-8 sequence or CRLF occurs.</summary>
internal sealed class TrickleStream(byte[] data, int chunk = 1) : Stream
{
    private int _position;

    public bool Disposed { get; private set; }

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
        int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        Disposed = true;
        base.Dispose(disposing);
    }
}

/// <summary>An endless stream of "line N\n", generated as it is read: a huge input in no memory.</summary>
internal sealed class GeneratedLinesStream : Stream
{
    private readonly byte[] _pending = new byte[32];
    private int _pendingStart;
    private int _pendingEnd;
    private long _next = 1;

    public long BytesRead { get; private set; }

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
        int written = 0;
        while (written < buffer.Length)
        {
            if (_pendingStart == _pendingEnd)
            {
                _pendingEnd = Encoding.ASCII.GetBytes($"line {_next++}\n", _pending);
                _pendingStart = 0;
            }

            int n = Math.Min(buffer.Length - written, _pendingEnd - _pendingStart);
            _pending.AsSpan(_pendingStart, n).CopyTo(buffer[written..]);
            _pendingStart += n;
            written += n;
        }

        BytesRead += written;
        return written;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Collects reports synchronously (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
internal sealed class ListProgress : IProgress<ReadProgress>
{
    public List<ReadProgress> Reports { get; } = [];

    public void Report(ReadProgress value) => Reports.Add(value);
}
