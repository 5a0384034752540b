namespace Embeddings.Text.Normalization;

/// <summary>
/// Replaces web addresses (<c>http://…</c>, <c>https://…</c>, <c>www.…</c>) up to the next whitespace with a
/// placeholder token, so that thousands of distinct links become one vocabulary entry.
/// </summary>
internal sealed class ReplaceUrlsStep(string replacement) : NormalizationStep
{
    public override string Description => $"urls → '{replacement}'";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        int written = 0;
        int i = 0;
        while (i < source.Length)
        {
            int urlLength = UrlLengthAt(source, i);
            if (urlLength == 0)
            {
                Ensure(ref destination, written + 1)[written++] = source[i++];
                continue;
            }

            replacement.CopyTo(Ensure(ref destination, written + replacement.Length)[written..]);
            written += replacement.Length;
            i += urlLength;
        }

        return written;
    }

    private static int UrlLengthAt(ReadOnlySpan<char> text, int start)
    {
        // A URL starts a word: at the beginning or after a non-letter.
        if (start > 0 && char.IsLetterOrDigit(text[start - 1]))
        {
            return 0;
        }

        ReadOnlySpan<char> rest = text[start..];
        int prefix = rest.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? 8
            : rest.StartsWith("http://", StringComparison.OrdinalIgnoreCase) ? 7
            : rest.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? 4
            : 0;
        if (prefix == 0 || prefix == rest.Length || char.IsWhiteSpace(rest[prefix]))
        {
            return 0;
        }

        int end = prefix;
        while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
        {
            end++;
        }

        // Sentence punctuation right after a link belongs to the sentence.
        while (end > prefix && rest[end - 1] is '.' or ',' or ';' or ':' or '!' or '?' or ')' or '"' or '\'')
        {
            end--;
        }

        return end;
    }
}

/// <summary>
/// Replaces numbers (digit runs with inner <c>.</c> or <c>,</c> separators: <c>1.500</c>, <c>3,14</c>, <c>2024</c>)
/// with a placeholder token. Digits inside a word (<c>mp3</c>, <c>b2b</c>) are left alone.
/// </summary>
internal sealed class ReplaceNumbersStep(string replacement) : NormalizationStep
{
    public override string Description => $"numbers → '{replacement}'";

    public override int Apply(ReadOnlySpan<char> source, ref char[] destination)
    {
        int written = 0;
        int i = 0;
        while (i < source.Length)
        {
            int numberLength = NumberLengthAt(source, i);
            if (numberLength == 0)
            {
                Ensure(ref destination, written + 1)[written++] = source[i++];
                continue;
            }

            replacement.CopyTo(Ensure(ref destination, written + replacement.Length)[written..]);
            written += replacement.Length;
            i += numberLength;
        }

        return written;
    }

    private static int NumberLengthAt(ReadOnlySpan<char> text, int start)
    {
        if (!char.IsDigit(text[start]) || (start > 0 && char.IsLetterOrDigit(text[start - 1])))
        {
            return 0;
        }

        int end = start;
        while (end < text.Length)
        {
            if (char.IsDigit(text[end]))
            {
                end++;
            }
            else if (text[end] is '.' or ',' && end + 1 < text.Length && char.IsDigit(text[end + 1]))
            {
                end += 2;
            }
            else
            {
                break;
            }
        }

        // "3rd", "mp3x": a number glued to letters is part of a word.
        return end < text.Length && char.IsLetter(text[end]) ? 0 : end - start;
    }
}
