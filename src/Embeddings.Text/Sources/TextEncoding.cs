namespace Embeddings.Text.Sources;

/// <summary>How a <see cref="LineSource"/> turns the bytes of a file or stream into text.</summary>
/// <remarks>
/// Whatever the choice, a UTF-8 byte order mark is dropped, and a UTF-16 or UTF-32 byte order mark makes the input
/// read as that encoding.
/// </remarks>
public enum TextEncoding
{
    /// <summary>
    /// UTF-8, strictly (the default): the first byte that is not valid UTF-8 throws an <see cref="InvalidDataException"/>
    /// naming the source, the line and the byte offset, so text in another encoding is never read as garbage.
    /// </summary>
    Utf8,

    /// <summary>
    /// UTF-8, with every invalid byte sequence read as U+FFFD (the replacement character) instead of throwing: the
    /// behaviour of <see cref="StreamReader"/>, and the default of earlier versions of this library.
    /// </summary>
    Utf8ReplaceInvalid,

    /// <summary>ISO-8859-1 (Latin-1): every byte is the character of the same number, so no input is invalid.</summary>
    Latin1,

    /// <summary>
    /// Windows-1252, the Western European code page of Windows: Latin-1 except in 0x80–0x9F, where 27 bytes are
    /// typographic characters (the euro sign, curly quotes, dashes, the ellipsis…) instead of control characters.
    /// The five bytes the code page leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) read as the control characters
    /// of the same number, as in Windows.
    /// </summary>
    Windows1252,
}
