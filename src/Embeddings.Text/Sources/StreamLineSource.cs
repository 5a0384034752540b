namespace Embeddings.Text.Sources;

/// <summary>The lines of a text or gzip file or stream.</summary>
internal sealed class StreamLineSource : LineSource
{
    private readonly SourceOrigin _origin;

    public StreamLineSource(SourceOrigin origin)
        : base(origin.Name)
    {
        _origin = origin;
    }

    public override long? LengthInBytes => _origin.Length;

    protected override IEnumerable<TextLine> ReadLinesCore(IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
    {
        using TextInput input = TextInput.Open(_origin, progress, cancellationToken);
        StreamReader reader = input.Reader;
        long number = 0;

        // StreamReader.ReadLine splits on LF, CRLF and CR with a vectorised search; the only allocation is the line.
        while (reader.ReadLine() is { } line)
        {
            number++;
            input.RecordsRead = number;
            input.LinesRead = number;
            yield return new TextLine(number, line);
        }

        input.Complete();
    }
}
