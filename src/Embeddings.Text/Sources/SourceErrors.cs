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
    public const string ByteOffsetKey = "ByteOffset";
    public const string EncodingHintKey = "EncodingHint";

    /// <summary>
    /// Where the advice on refused gzip input (<see cref="LineSourceOptions.RefuseGzip"/>) travels, so that an
    /// application can give its own (a file option to pass instead).
    /// </summary>
    public const string DecompressHintKey = "DecompressHint";

    /// <summary>The advice on refused gzip input, as the message ends.</summary>
    public const string DecompressHint = " (gunzip -c FILE | …)";

    /// <summary>The way out of an invalid UTF-8 error, in the library's terms (an application may say it in its own).</summary>
    public const string EncodingHint =
        "If it is Latin-1 or Windows-1252 text, set LineSourceOptions.Encoding to TextEncoding.Latin1 or Windows1252; " +
        "TextEncoding.Utf8ReplaceInvalid reads each invalid byte as U+FFFD.";

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
