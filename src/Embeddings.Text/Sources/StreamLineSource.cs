using Embeddings.Core.IO;

namespace Embeddings.Text.Sources;

/// <summary>The lines of a text or gzip file or stream.</summary>
internal sealed class StreamLineSource : LineSource
{
    private readonly SourceOrigin _origin;
    private readonly LineSourceOptions _options;

    public StreamLineSource(SourceOrigin origin)
        : base(origin.Name)
    {
        _origin = origin;
        _options = origin.Options;
    }

    public override long? LengthInBytes => _origin.Length;

    protected override IEnumerable<TextLine> ReadLinesCore(IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
    {
        using TextInput input = TextInput.Open(_origin, progress, cancellationToken);
        var reader = new BoundedLineReader(
            input.Reader,
            Name,
            _options.MaxRecordLength,
            _options.SplitLongRecords ? LongLineHandling.Split : LongLineHandling.Error,
            cancellationToken);
        long number = 0;
        bool warned = false;
        while (ReadLine(reader, input) is { } line)
        {
            number++;
            input.RecordsRead = number;
            input.LinesRead = reader.LastPieceContinues ? reader.LineNumber - 1 : reader.LineNumber;
            if (reader.LastPieceWasCut && !warned && _options.Warning is { } warning)
            {
                warned = true;
                warning($"'{Name}' line {reader.LineNumber:N0} has no whitespace in {BoundedLineReader.Describe(_options.MaxRecordLength)}; it was cut into pieces of that length (reported once).");
            }

            yield return new TextLine(reader.LineNumber, line);
        }

        input.Complete();
    }

    /// <summary>Reads one line, turning a too-long line into the sources' error (with the source and line in its data).</summary>
    private static string? ReadLine(BoundedLineReader reader, TextInput input)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (InvalidDataException ex) when (!ex.Data.Contains(SourceErrors.SourceNameKey))
        {
            throw SourceErrors.Create(ex.Message, input.Name, reader.LineNumber);
        }
    }
}
