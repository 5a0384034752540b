namespace Embeddings.Text.Sources;

/// <summary>One column of a CSV file or stream, chosen by its header.</summary>
internal sealed class CsvColumnLineSource : LineSource
{
    private readonly SourceOrigin _origin;
    private readonly string _columnName;

    public CsvColumnLineSource(SourceOrigin origin, string columnName)
        : base(origin.Name)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        _origin = origin;
        _columnName = columnName;
    }

    public override long? LengthInBytes => _origin.Length;

    protected override IEnumerable<TextLine> ReadLinesCore(IProgress<ReadProgress>? progress, CancellationToken cancellationToken)
    {
        using TextInput input = TextInput.Open(_origin, progress, cancellationToken);
        var parser = new CsvParser(input.Reader, Name);
        int column = CsvColumns.ReadHeader(parser, Name, [_columnName])[0];
        input.LinesRead = parser.LinesRead;
        long number = 0;
        while (parser.TryReadRecord(column, null, out string? value, out int fieldCount))
        {
            number++;
            if (value is null)
            {
                throw CsvColumns.ShortRecord(Name, parser, number, fieldCount, _columnName, column);
            }

            input.RecordsRead = number;
            input.LinesRead = parser.LinesRead;
            yield return new TextLine(number, value);
        }

        input.Complete();
    }
}
