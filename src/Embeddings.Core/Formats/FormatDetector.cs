using System.Buffers.Binary;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.IO;

namespace Embeddings.Core.Formats;

/// <summary>
/// Tells the formats apart from the first bytes, without consuming them:
/// <list type="number">
/// <item>the magic <c>EMBV</c> is the native format;</item>
/// <item>fastText's magic number 793712314 (a little-endian int32) is a fastText binary model, <c>.bin</c> or <c>.ftz</c>;</item>
/// <item>a first line (after an optional UTF-8 byte order mark) of exactly two decimal integers is a word2vec header;
/// the record after it is text when it parses as a word and <c>dimensions</c> numbers (fastText <c>.vec</c> when that
/// line ends with a space), binary when the bytes of its vector include one that no line of numbers holds (a control
/// byte other than tab, CR, LF, or a byte ≥ 0x7F), and text otherwise, so that a damaged text file gets the text
/// loader's precise message;</item>
/// <item>anything else is GloVe text (a GloVe file whose first line is one word and one integer, <c>3 5</c>, reads as a
/// header: pass the format explicitly for such a file).</item>
/// </list>
/// Files that hold no word vectors in these formats are refused with a message that says what they are: the project's
/// other native files (by their magic, <see cref="NativeFileKind.Identify"/>), binary data, and text whose first line is not a word followed by numbers.
/// </summary>
internal static class FormatDetector
{
    private const int ProbeBytes = 1 << 20;
    private const int WordAllowance = 1 << 10;
    private const int BinaryProbeBytes = 1 << 12;

    public static VectorFileFormat Detect(InputBuffer input, FormatErrors errors)
    {
        input.Fill(TextLines.MaxHeaderLength + 4);
        ReadOnlySpan<byte> head = input.Available;
        if (head.IsEmpty)
        {
            errors.General($"the file is empty.");
        }

        if (head.StartsWith(NativeVectorFormat.Magic))
        {
            return VectorFileFormat.Native;
        }

        if (FastTextModelFile.HasMagic(head))
        {
            return VectorFileFormat.FastTextBinary;
        }

        RefuseFilesOfOtherKinds(head, errors);

        int bom = head.StartsWith(TextLines.ByteOrderMark) ? TextLines.ByteOrderMark.Length : 0;
        ReadOnlySpan<byte> text = head[bom..];
        int newline = text[..Math.Min(text.Length, TextLines.MaxHeaderLength + 1)].IndexOf((byte)'\n');
        if (newline < 0 && text.Length > TextLines.MaxHeaderLength)
        {
            return GloVeUnlessRefused(text, errors);
        }

        int headerLength = newline < 0 ? text.Length : newline;
        if (!TextLines.TryParseHeader(text[..headerLength], out long count, out long dimensions))
        {
            return GloVeUnlessRefused(text, errors);
        }

        if (count == 0 || dimensions < 1 || dimensions > Array.MaxLength / sizeof(float))
        {
            return VectorFileFormat.Word2VecText; // the loader reports a bad header; an empty file is the same in text and binary
        }

        int recordStart = bom + headerLength + (newline < 0 ? 0 : 1);
        int vectorBytes = (int)dimensions * sizeof(float);
        input.Fill((int)Math.Min((long)recordStart + WordAllowance + vectorBytes, ProbeBytes));
        ReadOnlySpan<byte> after = input.Available[recordStart..];

        // As text: the first non-blank line, a word and its values.
        ReadOnlySpan<byte> textRecord = after.TrimStart(" \t\r\n"u8);
        int lineEnd = textRecord.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = (lineEnd < 0 ? textRecord : textRecord[..lineEnd]).TrimEnd((byte)'\r');
        int wordEnd = line.IndexOf((byte)' ');
        if (wordEnd > 0 && ParsesAsValues(line[(wordEnd + 1)..], dimensions))
        {
            return line[^1] == (byte)' ' ? VectorFileFormat.FastTextVec : VectorFileFormat.Word2VecText;
        }

        // As binary: a word ending at a space (after word2vec.c's newline), then raw float32 bytes.
        ReadOnlySpan<byte> binaryRecord = after.TrimStart((byte)'\n');
        int space = binaryRecord.IndexOf((byte)' ');
        if (space < 0)
        {
            return VectorFileFormat.Word2VecText;
        }

        ReadOnlySpan<byte> vector = binaryRecord[(space + 1)..];
        return HasBinaryByte(vector[..Math.Min(vector.Length, vectorBytes)])
            ? VectorFileFormat.Word2VecBinary
            : VectorFileFormat.Word2VecText;
    }

    /// <summary>The project's other native files and fastText's binary models are not word vectors: say what they are.</summary>
    private static void RefuseFilesOfOtherKinds(ReadOnlySpan<byte> head, FormatErrors errors)
    {
        if (NativeFileKind.Identify(head) is { } kind)
        {
            errors.OtherKind($"{kind.Description}, not word vectors{HowToRead(kind)}.");
        }

    }

    /// <summary>Where the library reads the vectors of a native file that is not <c>EMBV</c>, if anywhere.</summary>
    private static string HowToRead(NativeFileKind kind) => kind.Magic switch
    {
        "EMCK" => ", a word2vec model: WordVectorsFile.Load reads its input vectors when the format is left to detection",
        "EMBK" => ": QuantizedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() gives each word its centroid",
        "EMSW" => ", subword vectors: WordVectorsFile.Load reads their vocabulary words' vectors when the format is left to detection, SubwordVectors.Load all of them",
        "EMBP" => ": ProductQuantizedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() decodes every word",
        "EMCZ" => ": CompressedVectors.Load (Embeddings.Quantization) reads it, and its ToWordVectors() decodes every word",
        _ => string.Empty,
    };

    /// <summary>
    /// GloVe, the format without a header, is what is left; binary data, or text whose first line is not a word followed
    /// by a number, is refused here as what it is rather than reported as a bad value.
    /// </summary>
    private static VectorFileFormat GloVeUnlessRefused(ReadOnlySpan<byte> text, FormatErrors errors)
    {
        if (HasControlByte(text[..Math.Min(text.Length, BinaryProbeBytes)]))
        {
            errors.OtherKind($"binary data, not word vectors in a format read here (word2vec text or binary, fastText .vec, GloVe text or native EMBV).");
        }

        ReadOnlySpan<byte> rest = text.TrimStart(" \t\r\n"u8);
        int lineEnd = rest.IndexOf((byte)'\n');
        ReadOnlySpan<byte> line = TextLines.Trim(lineEnd < 0 ? rest : rest[..lineEnd]);
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> values = space < 0 ? default : line[(space + 1)..];
        bool whole = lineEnd >= 0; // else the probe may end inside the first value: judge it only when a separator follows
        if (TextLines.NextToken(ref values, out ReadOnlySpan<byte> first) && (whole || !values.IsEmpty) && !TextLines.TryParseValue(first, out _))
        {
            errors.OtherKind($"text, not word vectors: its first line is not a word followed by numbers ({FormatErrors.Quote(line)}).");
        }

        return VectorFileFormat.GloVeText;
    }

    /// <summary>A byte that no text holds: a control character other than tab, line feed, vertical tab, form feed and carriage return.</summary>
    private static bool HasControlByte(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b < 0x20 && !TextLines.IsWhitespace(b))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ParsesAsValues(ReadOnlySpan<byte> line, long dimensions)
    {
        ReadOnlySpan<byte> values = TextLines.Trim(line);
        long found = 0;
        while (TextLines.NextToken(ref values, out ReadOnlySpan<byte> token))
        {
            if (++found > dimensions || !TextLines.TryParseValue(token, out _))
            {
                return false;
            }
        }

        return found == dimensions;
    }

    private static bool HasBinaryByte(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\r' or (byte)'\n')) || b >= 0x7F)
            {
                return true;
            }
        }

        return false;
    }
}
