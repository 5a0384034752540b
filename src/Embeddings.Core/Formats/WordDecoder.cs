using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Embeddings.Core.Formats;

/// <summary>
/// Turns the bytes of a word in a text or binary vectors file into a string, as <see cref="VectorFileLoadOptions.Encoding"/>
/// says: strict UTF-8 by default (the first invalid byte is an error naming the file, where the word is and the byte),
/// or the caller's <see cref="Encoding"/> with its own fallback (<see cref="Encoding.UTF8"/> replaces invalid bytes
/// with U+FFFD, as earlier versions did).
/// </summary>
internal static class WordDecoder
{
    /// <summary>The way out of an invalid UTF-8 error, in the library's terms (the CLI says it with its own option).</summary>
    public const string EncodingHint =
        "If it is Latin-1 or Windows-1252 text, set VectorFileLoadOptions.Encoding to Encoding.Latin1 or the Windows-1252 code page; " +
        "Encoding.UTF8 reads each invalid byte as U+FFFD.";

    /// <summary>
    /// The shortest word whose cut last character is forgiven under strict UTF-8. word2vec.c cuts words at a byte limit
    /// (100 bytes when training, 50 in the tools that read its files), which can split a multi-byte character; a
    /// word that long ending in an incomplete sequence is such a cut. A shorter one is more likely a Latin-1 word
    /// ending in an accented letter (<c>café</c> ends in 0xE9, which starts a 3-byte sequence in UTF-8), an error.
    /// </summary>
    public const int CutWordMinBytes = 48;

    /// <summary>Decodes <paramref name="bytes"/>, or finds the first byte that cannot be decoded.</summary>
    /// <param name="bytes">The word as stored.</param>
    /// <param name="encoding">The caller's encoding, or <see langword="null"/> for strict UTF-8.</param>
    /// <param name="word">The word, when decoded.</param>
    /// <param name="invalidIndex">The index in <paramref name="bytes"/> of the first byte that cannot be decoded.</param>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, Encoding? encoding, out string word, out int invalidIndex)
    {
        invalidIndex = -1;
        if (encoding is not null)
        {
            try
            {
                word = encoding.GetString(bytes);
                return true;
            }
            catch (DecoderFallbackException ex)
            {
                word = string.Empty;
                invalidIndex = Math.Clamp(ex.Index, 0, Math.Max(0, bytes.Length - 1));
                return false;
            }
        }

        // Utf8.IsValid is vectorised: valid words, nearly all of them, cost one pass before the decoding.
        if (Utf8.IsValid(bytes))
        {
            word = Encoding.UTF8.GetString(bytes);
            return true;
        }

        int index = 0;
        OperationStatus status;
        while ((status = Rune.DecodeFromUtf8(bytes[index..], out _, out int consumed)) == OperationStatus.Done)
        {
            index += consumed;
        }

        if (status == OperationStatus.NeedMoreData && bytes.Length >= CutWordMinBytes)
        {
            // A character cut by word2vec.c's byte limit: drop its first bytes, the word as the cut left it.
            word = Encoding.UTF8.GetString(bytes[..index]);
            return true;
        }

        word = string.Empty;
        invalidIndex = index;
        return false;
    }

    /// <summary>The error for a word that cannot be decoded.</summary>
    /// <param name="source">How messages name the input (<c>'vec.txt'</c>).</param>
    /// <param name="where">Where the word is: <c>line 3</c>, <c>the word of vector 3 of 10</c>.</param>
    /// <param name="offset">The offset of the byte from where reading began.</param>
    /// <param name="value">The byte.</param>
    /// <param name="encoding">The caller's encoding, or <see langword="null"/> for strict UTF-8.</param>
    public static InvalidDataException Error(string source, FormattableString where, long offset, byte value, Encoding? encoding)
    {
        string name = encoding is null ? "UTF-8" : encoding.WebName;
        string message = string.Create(
            CultureInfo.InvariantCulture,
            $"{source} is not valid {name}: {where.ToString(CultureInfo.InvariantCulture)} has the byte 0x{value:X2} at offset {offset:N0}, which cannot stand there in {name}.");
        var exception = new InvalidDataException(encoding is null ? $"{message} {EncodingHint}" : message);
        if (encoding is null)
        {
            exception.Data["EncodingHint"] = EncodingHint; // an application replaces it with its own way of choosing
        }

        exception.Data["ByteOffset"] = offset;
        return exception;
    }
}
