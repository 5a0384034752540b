using System.Globalization;

namespace Embeddings.Core.Formats;

/// <summary>Line and token helpers shared by the text loaders, the binary loader's header and format detection.</summary>
internal static class TextLines
{
    /// <summary>The longest header line accepted (<c>count dimensions</c> needs about 30 bytes).</summary>
    public const int MaxHeaderLength = 256;

    /// <summary>The UTF-8 byte order mark.</summary>
    public static ReadOnlySpan<byte> ByteOrderMark => [0xEF, 0xBB, 0xBF];

    /// <summary>Whether <paramref name="b"/> is ASCII whitespace as Python's <c>bytes.strip()</c> sees it.</summary>
    public static bool IsWhitespace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0B or 0x0C;

    /// <summary>Whether <paramref name="c"/> is ASCII whitespace as Python's <c>bytes.strip()</c> sees it.</summary>
    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    /// <summary>Skips a UTF-8 byte order mark at the current position.</summary>
    public static void SkipByteOrderMark(InputBuffer input)
    {
        input.Fill(3);
        if (input.Available.StartsWith(ByteOrderMark))
        {
            input.Advance(3);
        }
    }

    /// <summary>
    /// Finds the next line in <paramref name="input"/>, reading more as needed. The line is
    /// <c>input.Available[..length]</c> (without its <c>\n</c>); call <c>input.Advance(consumed)</c> when done with it.
    /// The search stops once <paramref name="maxLength"/> bytes hold no line end: the line is then too long, and
    /// <paramref name="length"/> is more than <paramref name="maxLength"/> (the caller reports it), so a file without
    /// line ends is never read into memory whole.
    /// </summary>
    /// <returns><see langword="false"/> at the end of the input.</returns>
    public static bool NextLine(InputBuffer input, int maxLength, out int length, out int consumed)
    {
        int searched = 0;
        while (true)
        {
            ReadOnlySpan<byte> available = input.Available;
            int newline = available[searched..].IndexOf((byte)'\n');
            if (newline >= 0)
            {
                length = searched + newline;
                consumed = length + 1;
                return true;
            }

            searched = available.Length;
            if (searched > maxLength)
            {
                length = consumed = searched;
                return true;
            }

            if (!input.FillMore())
            {
                length = consumed = available.Length;
                return length > 0;
            }
        }
    }

    /// <summary><paramref name="line"/> without leading and trailing ASCII whitespace.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        int start = 0;
        while (start < line.Length && IsWhitespace(line[start]))
        {
            start++;
        }

        int end = line.Length;
        while (end > start && IsWhitespace(line[end - 1]))
        {
            end--;
        }

        return line[start..end];
    }

    /// <summary>The next token of <paramref name="text"/> separated by spaces or tabs, advancing past it.</summary>
    public static bool NextToken(ref ReadOnlySpan<byte> text, out ReadOnlySpan<byte> token)
    {
        int start = 0;
        while (start < text.Length && text[start] is (byte)' ' or (byte)'\t')
        {
            start++;
        }

        if (start == text.Length)
        {
            token = default;
            text = default;
            return false;
        }

        int end = text[start..].IndexOfAny((byte)' ', (byte)'\t');
        end = end < 0 ? text.Length : start + end;
        token = text[start..end];
        text = text[end..];
        return true;
    }

    /// <summary>The number of tokens in <paramref name="text"/>.</summary>
    public static int CountTokens(ReadOnlySpan<byte> text)
    {
        int count = 0;
        while (NextToken(ref text, out _))
        {
            count++;
        }

        return count;
    }

    /// <summary>Parses a float32 written in the invariant culture (<c>0.25</c>, <c>-1e-05</c>, <c>3.4028235E+38</c>).</summary>
    public static bool TryParseValue(ReadOnlySpan<byte> token, out float value) =>
        float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// Parses a word2vec header line, <c>count dimensions</c> (decimal digits, surrounding whitespace ignored).
    /// </summary>
    /// <returns>Whether the line has exactly that shape; ranges are checked by <see cref="ValidateHeader"/>.</returns>
    public static bool TryParseHeader(ReadOnlySpan<byte> line, out long count, out long dimensions)
    {
        count = dimensions = 0;
        ReadOnlySpan<byte> text = Trim(line);
        return NextToken(ref text, out ReadOnlySpan<byte> first)
            && NextToken(ref text, out ReadOnlySpan<byte> second)
            && !NextToken(ref text, out _)
            && long.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out count)
            && long.TryParse(second, NumberStyles.None, CultureInfo.InvariantCulture, out dimensions);
    }

    /// <summary>
    /// Checks a header's numbers and the rows to read: dimensions in range, the matrix within one array, and, when the
    /// input length is known, enough bytes left for <paramref name="rows"/> records of at least
    /// <paramref name="minRecordBytes"/> bytes each.
    /// </summary>
    public static void ValidateHeader(
        FormatErrors errors, long count, long dimensions, long rows, long minRecordBytes, long? bytesLeft, string layout)
    {
        if (dimensions < 1 || dimensions > Array.MaxLength)
        {
            errors.AtLine(1, $"the header gives {dimensions} dimensions; expected 1 to {Array.MaxLength:N0}.");
        }

        if ((Int128)rows * dimensions > Array.MaxLength)
        {
            errors.AtLine(1, $"the header claims {count:N0} vectors of {dimensions:N0} dimensions, {(Int128)rows * dimensions:N0} values, more than one matrix can hold ({Array.MaxLength:N0}); pass a limit to load the first vectors.");
        }

        Int128 needed = (Int128)rows * minRecordBytes;
        if (bytesLeft is { } left && needed > left)
        {
            string which = rows == count ? $"{count:N0} vectors" : $"the first {rows:N0} of {count:N0} vectors";
            errors.AtLine(1, $"the header claims {which} of {dimensions:N0} dimensions, which need at least {needed:N0} bytes of {layout}, but only {left:N0} bytes follow; the header is wrong or the file is truncated.");
        }
    }
}
