using System.Globalization;
using System.Text;

namespace Embeddings.Text.Sources;

/// <summary>The header row of a CSV or TSV source, the columns chosen from it by name, and the messages about them.</summary>
internal static class CsvColumns
{
    /// <summary>Columns listed in the "no such column" message before it says "and N more".</summary>
    private const int MaxColumnsListed = 40;

    /// <summary>Reads the header row and finds each of <paramref name="names"/> in it (matched exactly).</summary>
    /// <returns>The 0-based field of each name, in the order of the names.</returns>
    /// <exception cref="InvalidDataException">The input is empty, or a name is not in the header; the message lists the header's columns.</exception>
    public static int[] ReadHeader(CsvParser parser, string sourceName, IReadOnlyList<string> names)
    {
        var header = new List<string>();
        if (!parser.TryReadRecord(-1, header, out _, out _))
        {
            string wanted = names.Count == 1 ? $"a column '{names[0]}'" : $"columns {string.Join(" and ", names.Select(name => $"'{name}'"))}";
            throw SourceErrors.Create($"'{sourceName}' is empty; expected a CSV header row with {wanted}.", sourceName, lineNumber: 1);
        }

        int[] columns = new int[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            columns[i] = header.FindIndex(h => string.Equals(h, names[i], StringComparison.Ordinal));
            if (columns[i] < 0)
            {
                throw MissingColumn(sourceName, header, names[i]);
            }
        }

        return columns;
    }

    /// <summary>The error for a data row that ends before one of its columns.</summary>
    public static InvalidDataException ShortRecord(string sourceName, CsvParser parser, long number, int fieldCount, string columnName, int column) =>
        SourceErrors.Create(
            string.Create(CultureInfo.InvariantCulture, $"'{sourceName}': record {number} (line {parser.RecordStartLine}) has {fieldCount} field{(fieldCount == 1 ? "" : "s")}, but column '{columnName}' is field {column + 1}."),
            sourceName,
            parser.RecordStartLine,
            number);

    private static InvalidDataException MissingColumn(string sourceName, List<string> header, string columnName)
    {
        var message = new StringBuilder();
        message.Append(CultureInfo.InvariantCulture, $"'{sourceName}' has no column '{columnName}'. Its {header.Count} column{(header.Count == 1 ? " is" : "s are")}: ");
        for (int i = 0; i < Math.Min(header.Count, MaxColumnsListed); i++)
        {
            message.Append(i == 0 ? "'" : ", '").Append(header[i]).Append('\'');
        }

        if (header.Count > MaxColumnsListed)
        {
            message.Append(CultureInfo.InvariantCulture, $" and {header.Count - MaxColumnsListed} more");
        }

        message.Append('.');
        string? nearMatch = header.Find(h => string.Equals(h.Trim(), columnName.Trim(), StringComparison.OrdinalIgnoreCase));
        if (nearMatch is not null)
        {
            message.Append(CultureInfo.InvariantCulture, $" Names are matched exactly; did you mean '{nearMatch}'?");
        }

        return SourceErrors.Create(message.ToString(), sourceName, lineNumber: 1, recordNumber: 0);
    }
}
