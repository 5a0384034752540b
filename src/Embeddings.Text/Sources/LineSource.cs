namespace Embeddings.Text.Sources;

/// <summary>
/// A streaming source of text records: the lines of a text or gzip file, the values of one CSV column, or
/// strings in memory. Reading is lazy and holds one buffer (64 KB) plus the longest record in memory, so a
/// multi-gigabyte corpus streams in constant memory; records are bounded (<see cref="LineSourceOptions.MaxRecordLength"/>,
/// 64 Mi characters by default), so a file without line ends does too.
/// </summary>
/// <remarks>
/// <para>
/// Files and streams are decoded as strict UTF-8, with or without a byte order mark: the first invalid byte throws
/// an <see cref="InvalidDataException"/> naming the line and the byte offset, rather than becoming U+FFFD in the
/// middle of a word. <see cref="LineSourceOptions.Encoding"/> reads Latin-1 or Windows-1252 instead, or UTF-8 with
/// invalid bytes replaced by U+FFFD (the default of earlier versions). A UTF-16 or UTF-32 byte order mark is honoured
/// whatever the choice. Lines end at LF, CRLF or CR, as with
/// <see cref="StreamReader.ReadLine()"/>; whitespace, including whitespace-only lines, is kept. Gzip input is
/// recognised by its magic bytes (<c>1F 8B</c>), whatever the file is called.
/// </para>
/// <para>
/// A source made from a path can be read many times, also concurrently (each read opens the file again), so
/// it can feed several training epochs, like gensim's <c>LineSentence</c>. A source made from a stream can be
/// read once.
/// </para>
/// <para>
/// Bad input throws one <see cref="InvalidDataException"/> whose message names the source and the line:
/// binary files (a NUL byte in the first 8 KB), invalid UTF-8, truncated or corrupt gzip data, other compression
/// formats, an unterminated CSV quote, a missing CSV column. Its <see cref="Exception.Data"/> holds the same facts for
/// code: <c>"SourceName"</c> (<see cref="Name"/>), and where there is one <c>"LineNumber"</c> (1-based physical
/// line), <c>"RecordNumber"</c> (1-based CSV data row, 0 for the header row) and <c>"ByteOffset"</c> (0-based offset
/// of the first invalid UTF-8 byte, in the decompressed data for gzip), as <see cref="long"/>; for invalid UTF-8 also
/// <c>"EncodingHint"</c>, the sentence of the message that says which option to set, for an application to say in
/// its own terms (a command-line option, say).
/// </para>
/// </remarks>
public abstract class LineSource
{
    /// <summary>Initialises a source with the name used in messages.</summary>
    /// <param name="name">A file path or a short description, such as <c>"stdin"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is <see langword="null"/> or empty.</exception>
    protected LineSource(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <summary>The file path or description of the source, used in messages and exceptions.</summary>
    /// <value>The path as given to the factory, or the name given for a stream or strings.</value>
    public string Name { get; }

    /// <summary>The size of the input in bytes as stored (compressed size for gzip files).</summary>
    /// <value>The size, or <see langword="null"/> when unknown (a stream that cannot seek, strings).</value>
    public virtual long? LengthInBytes => null;

    /// <summary>Reads the records one at a time.</summary>
    /// <param name="progress">
    /// Receives <see cref="ReadProgress"/> a few times a second and once when the end is reached, on the reading
    /// thread; <see langword="null"/> for none.
    /// </param>
    /// <param name="cancellationToken">Checked once per buffer (64 KB) read, also inside a long record.</param>
    /// <returns>
    /// A lazy sequence of records, numbered from 1. Nothing is opened until it is enumerated. The pieces of a line
    /// longer than <see cref="LineSourceOptions.MaxRecordLength"/> share its number.
    /// </returns>
    /// <exception cref="FileNotFoundException">The file no longer exists (thrown during enumeration).</exception>
    /// <exception cref="InvalidDataException">The input is not readable text (thrown during enumeration).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="InvalidOperationException">A source made from a stream is read a second time.</exception>
    public IEnumerable<TextLine> ReadLines(IProgress<ReadProgress>? progress = null, CancellationToken cancellationToken = default)
        => ReadLinesCore(progress, cancellationToken);

    /// <summary>Reads the records one at a time, without progress reports.</summary>
    /// <param name="cancellationToken">Checked once per buffer (64 KB) read.</param>
    /// <returns>A lazy sequence of records, numbered from 1.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IEnumerable<TextLine> ReadLines(CancellationToken cancellationToken)
        => ReadLinesCore(null, cancellationToken);

    /// <summary>Returns <see cref="Name"/>.</summary>
    /// <returns>The name of the source.</returns>
    public override string ToString() => Name;

    /// <summary>
    /// Reads the lines of a text file, plain or gzip-compressed (told apart by the first two bytes, not by the
    /// extension).
    /// </summary>
    /// <param name="path">The file; it must exist when this is called.</param>
    /// <returns>A source that can be read many times.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>, or it is a folder.</exception>
    public static LineSource FromFile(string path) => FromFile(path, LineSourceOptions.Default);

    /// <summary>Reads the lines of a text file, plain or gzip-compressed, as <paramref name="options"/> say.</summary>
    /// <param name="path">The file; it must exist when this is called.</param>
    /// <param name="options">How to read it: its <see cref="LineSourceOptions.Encoding"/>, the longest record and what to do with a longer line.</param>
    /// <returns>A source that can be read many times.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty, or an option is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>, or it is a folder.</exception>
    public static LineSource FromFile(string path, LineSourceOptions options) => new StreamLineSource(SourceOrigin.ForFile(path, options));

    /// <summary>
    /// Reads the lines of a stream, plain or gzip-compressed (told apart by peeking at the first bytes, so the
    /// stream need not be seekable).
    /// </summary>
    /// <param name="stream">A readable stream, read from its current position.</param>
    /// <param name="name">A name for messages, such as the file name or <c>"stdin"</c>.</param>
    /// <param name="leaveOpen">
    /// <see langword="true"/> to leave <paramref name="stream"/> open after reading; <see langword="false"/> to
    /// dispose it when the enumeration ends.
    /// </param>
    /// <returns>A source that can be read once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or <paramref name="name"/> is empty.</exception>
    public static LineSource FromStream(Stream stream, string name, bool leaveOpen)
        => FromStream(stream, name, leaveOpen, LineSourceOptions.Default);

    /// <summary>Reads the lines of a stream, plain or gzip-compressed, as <paramref name="options"/> say.</summary>
    /// <param name="stream">A readable stream, read from its current position.</param>
    /// <param name="name">A name for messages, such as the file name or <c>"stdin"</c>.</param>
    /// <param name="leaveOpen">
    /// <see langword="true"/> to leave <paramref name="stream"/> open after reading; <see langword="false"/> to
    /// dispose it when the enumeration ends.
    /// </param>
    /// <param name="options">How to read it: its <see cref="LineSourceOptions.Encoding"/>, the longest record and what to do with a longer line.</param>
    /// <returns>A source that can be read once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, <paramref name="name"/> is empty, or an option is invalid.</exception>
    public static LineSource FromStream(Stream stream, string name, bool leaveOpen, LineSourceOptions options)
        => new StreamLineSource(SourceOrigin.ForStream(stream, name, leaveOpen, options));

    /// <summary>
    /// Reads one column of a CSV file (RFC 4180), plain or gzip-compressed: a header row names the columns; fields
    /// may be quoted, with <c>""</c> for a quote and line breaks inside quotes; records end at LF, CRLF or CR.
    /// </summary>
    /// <param name="path">The file; it must exist when this is called.</param>
    /// <param name="columnName">The header of the column to read, matched exactly (ordinal, case-sensitive).</param>
    /// <returns>
    /// A source that yields the column's value for each data row, numbered by row (1 = first row after the
    /// header), and can be read many times. Blank lines between rows are skipped, as Python's <c>csv.DictReader</c>
    /// and pandas do.
    /// </returns>
    /// <remarks>
    /// The header is checked when reading starts: a missing column throws an <see cref="InvalidDataException"/>
    /// listing the columns present. A row with too few fields throws too. If two columns share the name, the
    /// first is read.
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="columnName"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>, or it is a folder.</exception>
    public static LineSource FromCsvColumn(string path, string columnName)
        => FromCsvColumn(path, columnName, LineSourceOptions.Default);

    /// <summary>Reads one column of a CSV file, plain or gzip-compressed, as <paramref name="options"/> say.</summary>
    /// <param name="path">The file; it must exist when this is called.</param>
    /// <param name="columnName">The header of the column to read, matched exactly (ordinal, case-sensitive).</param>
    /// <param name="options">How to read it: its <see cref="LineSourceOptions.Encoding"/>, the longest record and what to do with a longer line.</param>
    /// <returns>A source that can be read many times; see <see cref="FromCsvColumn(string, string)"/> for the format.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is <see langword="null"/> or empty, or an option is invalid.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="columnName"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="FileNotFoundException">No file exists at <paramref name="path"/>, or it is a folder.</exception>
    public static LineSource FromCsvColumn(string path, string columnName, LineSourceOptions options)
        => new CsvColumnLineSource(SourceOrigin.ForFile(path, options), columnName);

    /// <summary>Reads one column of CSV data (RFC 4180) from a stream, plain or gzip-compressed.</summary>
    /// <param name="stream">A readable stream, read from its current position.</param>
    /// <param name="name">A name for messages, such as the file name or <c>"stdin"</c>.</param>
    /// <param name="columnName">The header of the column to read, matched exactly (ordinal, case-sensitive).</param>
    /// <param name="leaveOpen">
    /// <see langword="true"/> to leave <paramref name="stream"/> open after reading; <see langword="false"/> to
    /// dispose it when the enumeration ends.
    /// </param>
    /// <returns>A source that can be read once; see <see cref="FromCsvColumn(string, string)"/> for the format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> or <paramref name="columnName"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, or <paramref name="name"/> is empty.</exception>
    public static LineSource FromCsvColumn(Stream stream, string name, string columnName, bool leaveOpen)
        => FromCsvColumn(stream, name, columnName, leaveOpen, LineSourceOptions.Default);

    /// <summary>Reads one column of CSV data from a stream, plain or gzip-compressed, as <paramref name="options"/> say.</summary>
    /// <param name="stream">A readable stream, read from its current position.</param>
    /// <param name="name">A name for messages, such as the file name or <c>"stdin"</c>.</param>
    /// <param name="columnName">The header of the column to read, matched exactly (ordinal, case-sensitive).</param>
    /// <param name="leaveOpen">
    /// <see langword="true"/> to leave <paramref name="stream"/> open after reading; <see langword="false"/> to
    /// dispose it when the enumeration ends.
    /// </param>
    /// <param name="options">How to read it: its <see cref="LineSourceOptions.Encoding"/>, the longest record and what to do with a longer line.</param>
    /// <returns>A source that can be read once; see <see cref="FromCsvColumn(string, string)"/> for the format.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/>, <paramref name="columnName"/> or <paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="stream"/> cannot be read, <paramref name="name"/> is empty, or an option is invalid.</exception>
    public static LineSource FromCsvColumn(Stream stream, string name, string columnName, bool leaveOpen, LineSourceOptions options)
        => new CsvColumnLineSource(SourceOrigin.ForStream(stream, name, leaveOpen, options), columnName);

    /// <summary>Wraps strings already in memory, one record each, for tests and small inputs.</summary>
    /// <param name="lines">The records; enumerated lazily, once per read. A <see langword="null"/> element throws when reached.</param>
    /// <param name="name">A name for messages.</param>
    /// <returns>A source that can be read as often as <paramref name="lines"/> can be enumerated.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static LineSource FromStrings(IEnumerable<string> lines, string name = "strings")
        => new StringLineSource(lines, name);

    /// <summary>Reads the records; called by <see cref="ReadLines(IProgress{ReadProgress}?, CancellationToken)"/>.</summary>
    /// <param name="progress">Receives progress a few times a second, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked per buffer or per batch of records, not per record.</param>
    /// <returns>A lazy sequence of records, numbered from 1.</returns>
    protected abstract IEnumerable<TextLine> ReadLinesCore(IProgress<ReadProgress>? progress, CancellationToken cancellationToken);
}
