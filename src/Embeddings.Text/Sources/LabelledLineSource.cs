using System.Globalization;

namespace Embeddings.Text.Sources;

/// <summary>
/// The labelled rows of a CSV or TSV file or stream: a text column and a label column chosen by their headers (the
/// tweets' <c>tweet</c> and <c>label</c>, say), read as <see cref="LineSource.FromCsvColumn(string, string)"/> reads one
/// column: streaming, records bounded, strict UTF-8 by default (<see cref="LineSourceOptions.Encoding"/>), gzip
/// recognised by its magic bytes, progress a few times a second.
/// </summary>
/// <remarks>
/// <para>
/// Fields are quoted as RFC 4180 says, with a comma or, for TSV, a tab between them; <see cref="DelimiterFor"/> picks
/// the tab for names ending in <c>.tsv</c> or <c>.tab</c> (before an optional <c>.gz</c>). Column names are matched
/// exactly; if two columns share a name, the first is read.
/// </para>
/// <para>
/// Bad input throws one <see cref="InvalidDataException"/> naming the source and the line, as
/// <see cref="LineSource"/> does, and also for a column that is not in the header (the message lists the header's
/// columns), a row that ends before the label or text column, and a row whose label is empty.
/// </para>
/// </remarks>
public sealed class LabelledLineSource
{
    private readonly SourceOrigin _origin;

    private LabelledLineSource(SourceOrigin origin, string textColumn, string labelColumn, char? delimiter)
    {
        ArgumentException.ThrowIfNullOrEmpty(textColumn);
        ArgumentException.ThrowIfNullOrEmpty(labelColumn);
        char chosen = delimiter ?? DelimiterFor(origin.Name);
        if (chosen is '"' or '\r' or '\n')
        {
            throw new ArgumentException("The delimiter cannot be a quote or a line break; use ',' for CSV or '\\t' for TSV.", nameof(delimiter));
        }

        _origin = origin;
        TextColumn = textColumn;
        LabelColumn = labelColumn;
        Delimiter = chosen;
    }

    /// <summary>The file path or description of the source, used in messages and exceptions.</summary>
    public string Name => _origin.Name;

    /// <summary>The header of the text column.</summary>
    public string TextColumn { get; }

    /// <summary>The header of the label column.</summary>
    public string LabelColumn { get; }

    /// <summary>The field delimiter: a comma for CSV, a tab for TSV.</summary>
    public char Delimiter { get; }

    /// <summary>The size of the input in bytes as stored (compressed size for gzip files).</summary>
    /// <value>The size, or <see langword="null"/> when unknown (a stream that cannot seek).</value>
    public long? LengthInBytes => _origin.Length;

    /// <summary>Reads the labelled rows of a CSV or TSV file, plain or gzip-compressed.</summary>
    /// <param name="path">The file; it must exist when this is called.</param>
    /// <param name="textColumn">The header of the text column, matched exactly.</param>
    /// <param name="labelColumn">The header of the label column, matched exactly.</param>
    /// <param name="options">How to read it (encoding, longest record); <see langword="null"/> for <see cref="LineSourceOptions.Default"/>.</param>
    /// <param name="delimiter">The field delimiter; <see langword="null"/> for <see cref="DelimiterFor"/> the path.</param>
    /// <returns>A source that can be read many times.</returns>
    /// <exception cref="ArgumentException">An argument is <see langword="null"/> or empty, an option is invalid, or the delimiter is a quote or line break.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>, or it is a folder.</exception>
    public static LabelledLineSource FromCsv(string path, string textColumn, string labelColumn, LineSourceOptions? options = null, char? delimiter = null)
        => new(SourceOrigin.ForFile(path, options ?? LineSourceOptions.Default), textColumn, labelColumn, delimiter);

    /// <summary>Reads the labelled rows of CSV or TSV data from a stream, plain or gzip-compressed.</summary>
    /// <param name="stream">A readable stream, read from its current position.</param>
    /// <param name="name">A name for messages, such as the file name or <c>"stdin"</c>.</param>
    /// <param name="textColumn">The header of the text column, matched exactly.</param>
    /// <param name="labelColumn">The header of the label column, matched exactly.</param>
    /// <param name="leaveOpen"><see langword="true"/> to leave <paramref name="stream"/> open after reading; <see langword="false"/> to dispose it when the enumeration ends.</param>
    /// <param name="options">How to read it (encoding, longest record); <see langword="null"/> for <see cref="LineSourceOptions.Default"/>.</param>
    /// <param name="delimiter">The field delimiter; <see langword="null"/> for <see cref="DelimiterFor"/> the name.</param>
    /// <returns>A source that can be read once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The stream cannot be read, a name is empty, an option is invalid, or the delimiter is a quote or line break.</exception>
    public static LabelledLineSource FromCsv(
        Stream stream, string name, string textColumn, string labelColumn, bool leaveOpen, LineSourceOptions? options = null, char? delimiter = null)
        => new(SourceOrigin.ForStream(stream, name, leaveOpen, options ?? LineSourceOptions.Default), textColumn, labelColumn, delimiter);

    /// <summary>The delimiter a file's name suggests: a tab for <c>.tsv</c> and <c>.tab</c> (also before <c>.gz</c>), a comma otherwise.</summary>
    /// <param name="name">The file name or path.</param>
    /// <returns><c>'\t'</c> or <c>','</c>.</returns>
    public static char DelimiterFor(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string plain = name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
        return plain.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) || plain.EndsWith(".tab", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
    }

    /// <summary>Reads the labelled rows one at a time.</summary>
    /// <param name="progress">Receives <see cref="ReadProgress"/> a few times a second and once at the end, on the reading thread; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked once per buffer (64 KB) read.</param>
    /// <returns>A lazy sequence of rows, numbered from 1. Nothing is opened until it is enumerated.</returns>
    /// <exception cref="InvalidDataException">The input is not readable, a column is missing, a row is too short or has an empty label (thrown during enumeration).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A source made from a stream is read a second time.</exception>
    public IEnumerable<LabelledLine> ReadLines(IProgress<ReadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using TextInput input = TextInput.Open(_origin, progress, cancellationToken);
        var parser = new CsvParser(input.Reader, Name, Delimiter);
        string[] names = [LabelColumn, TextColumn];
        int[] columns = CsvColumns.ReadHeader(parser, Name, names);
        string?[] values = new string?[2];
        input.LinesRead = parser.LinesRead;
        long number = 0;
        while (parser.TryReadRecord(columns, null, values, out int fieldCount))
        {
            number++;
            for (int i = 0; i < names.Length; i++)
            {
                if (values[i] is null)
                {
                    throw CsvColumns.ShortRecord(Name, parser, number, fieldCount, names[i], columns[i]);
                }
            }

            if (string.IsNullOrWhiteSpace(values[0]))
            {
                throw SourceErrors.Create(
                    string.Create(CultureInfo.InvariantCulture, $"'{Name}' line {parser.RecordStartLine} (record {number}): the label (column '{LabelColumn}') is empty."),
                    Name,
                    parser.RecordStartLine,
                    number);
            }

            input.RecordsRead = number;
            input.LinesRead = parser.LinesRead;
            yield return new LabelledLine(number, parser.RecordStartLine, values[0]!, values[1]!);
        }

        input.Complete();
    }

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The name of the source.</returns>
    public override string ToString() => Name;
}
