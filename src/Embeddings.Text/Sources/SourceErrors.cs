namespace Embeddings.Text.Sources;

/// <summary>
/// Builds the <see cref="InvalidDataException"/>s that sources throw for bad input. The type is sealed, so the
/// location travels in <see cref="Exception.Data"/> under the keys below, besides the message.
/// </summary>
internal static class SourceErrors
{
    public const string SourceNameKey = "SourceName";
    public const string LineNumberKey = "LineNumber";
    public const string RecordNumberKey = "RecordNumber";

    /// <param name="message">What went wrong; it names the source and the line itself.</param>
    /// <param name="sourceName">The file path or stream name.</param>
    /// <param name="lineNumber">The 1-based physical line, if any.</param>
    /// <param name="recordNumber">The 1-based CSV data row (0 = header row), if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public static InvalidDataException Create(string message, string sourceName, long? lineNumber, long? recordNumber = null, Exception? innerException = null)
    {
        var exception = new InvalidDataException(message, innerException);
        exception.Data[SourceNameKey] = sourceName;
        if (lineNumber is long line)
        {
            exception.Data[LineNumberKey] = line;
        }

        if (recordNumber is long record)
        {
            exception.Data[RecordNumberKey] = record;
        }

        return exception;
    }
}
