using System.Globalization;
using System.Text;

namespace Embeddings.Text.Sources;

/// <summary>One column of a CSV file or stream, chosen by its header.</summary>
internal sealed class CsvColumnLineSource : LineSource
{
    /// <summary>Columns listed in the "no such column" message before it says "and N more".</summary>
    private const int MaxColumnsListed = 40;

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
        var header = new List<string>();
        if (!parser.TryReadRecord(-1, header, out _, out _))
        {
            throw SourceErrors.Create(
                $"'{Name}' is empty; expected a CSV header row with a column '{_columnName}'.", Name, lineNumber: 1);
        }

        int column = header.FindIndex(h => string.Equals(h, _columnName, StringComparison.Ordinal));
        if (column < 0)
        {
            throw MissingColumn(header);
        }

        input.LinesRead = parser.LinesRead;
        long number = 0;
        while (parser.TryReadRecord(column, null, out string? value, out int fieldCount))
        {
            number++;
            if (value is null)
            {
                throw SourceErrors.Create(
                    string.Create(CultureInfo.InvariantCulture, $"'{Name}': record {number} (line {parser.RecordStartLine}) has {fieldCount} field{(fieldCount == 1 ? "" : "s")}, but column '{_columnName}' is field {column + 1}."),
                    Name,
                    parser.RecordStartLine,
                    number);
            }

            input.RecordsRead = number;
            input.LinesRead = parser.LinesRead;
            yield return new TextLine(number, value);
        }

        input.Complete();
    }

    private InvalidDataException MissingColumn(List<string> header)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"'{Name}' has no column '{_columnName}'. Its {header.Count} column{(header.Count == 1 ? " is" : "s are")}: ");
        for (int i = 0; i < Math.Min(header.Count, MaxColumnsListed); i++)
        {
            message.Append(i == 0 ? "'" : ", '").Append(header[i]).Append('\'');
        }

        if (header.Count > MaxColumnsListed)
        {
            message.Append(CultureInfo.InvariantCulture, $" and {header.Count - MaxColumnsListed} more");
        }

        message.Append('.');
        string? nearMatch = header.Find(h => string.Equals(h.Trim(), _columnName.Trim(), StringComparison.OrdinalIgnoreCase));
        if (nearMatch is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" Names are matched exactly; did you mean '{nearMatch}'?");
        }

        return SourceErrors.Create(message.ToString(), Name, lineNumber: 1, recordNumber: 0);
    }
}
