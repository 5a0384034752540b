using System.Collections.Frozen;

namespace Embeddings.Text.Tokenization;

/// <summary>
/// Splits prose into sentences for English and Spanish. A sentence ends at a run of <c>.</c>, <c>?</c>,
/// <c>!</c> or <c>…</c> (with any closing quotes or brackets after it) when the next word starts like a
/// sentence: an uppercase letter, a digit, an opening quote or bracket, a dialogue dash, or Spanish
/// <c>¿</c> / <c>¡</c>. A blank line always ends a sentence. A period after a known abbreviation
/// (<c>Mr.</c>, <c>Dr.</c>, <c>Sr.</c>, <c>Ud.</c>, <c>etc.</c>) or a single-letter initial does not.
/// </summary>
public sealed class SentenceSplitter
{
    private static readonly FrozenSet<string> DefaultAbbreviations = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        // English
        "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "no", "vol", "fig", "inc", "ltd", "co",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        // Spanish
        "sra", "srta", "dra", "ud", "uds", "vd", "vds", "d", "dña", "núm", "pág", "págs", "cap", "art", "av", "avda", "ej", "aprox", "tel");

    private readonly FrozenSet<string> _abbreviations;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _abbreviationLookup;

    /// <summary>Creates a splitter with the built-in English and Spanish abbreviations, plus any of yours.</summary>
    /// <param name="extraAbbreviations">More abbreviations, without their final period (<c>"aprox"</c>).</param>
    public SentenceSplitter(IEnumerable<string>? extraAbbreviations = null)
    {
        _abbreviations = extraAbbreviations is null
            ? DefaultAbbreviations
            : DefaultAbbreviations.Concat(extraAbbreviations).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _abbreviationLookup = _abbreviations.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The shared instance with the built-in abbreviations.</summary>
    public static SentenceSplitter Default { get; } = new();

    /// <summary>Splits <paramref name="text"/> into trimmed sentences.</summary>
    /// <param name="text">Prose: a paragraph, a chapter, a whole book.</param>
    /// <returns>The sentences in order, without surrounding whitespace.</returns>
    public IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        int position = 0;
        while (TryReadSentence(text, ref position, out Range sentence))
        {
            sentences.Add(text[sentence]);
        }

        return sentences;
    }

    /// <summary>Finds the next sentence at or after <paramref name="position"/>.</summary>
    /// <param name="text">The whole text.</param>
    /// <param name="position">Where to start; on return, where the next sentence may start.</param>
    /// <param name="sentence">The sentence's position in <paramref name="text"/>, trimmed.</param>
    /// <returns><see langword="false"/> when only whitespace is left.</returns>
    public bool TryReadSentence(ReadOnlySpan<char> text, ref int position, out Range sentence)
    {
        int start = position;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        if (start >= text.Length)
        {
            position = text.Length;
            sentence = default;
            return false;
        }

        int i = start;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\n' && IsBlankLineAfter(text, i))
            {
                return Found(text, start, i, ref position, out sentence);
            }

            if (!IsTerminator(c))
            {
                i++;
                continue;
            }

            int runStart = i;
            while (i < text.Length && IsTerminator(text[i]))
            {
                i++;
            }

            bool singlePeriod = i - runStart == 1 && text[runStart] == '.';

            while (i < text.Length && IsClosing(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                return Found(text, start, i, ref position, out sentence);
            }

            if (!char.IsWhiteSpace(text[i]))
            {
                continue; // "3.14", "www.example.org", "?!" glued to a word
            }

            if (singlePeriod && IsAbbreviationBefore(text, start, runStart))
            {
                continue;
            }

            int next = i;
            while (next < text.Length && char.IsWhiteSpace(text[next]))
            {
                next++;
            }

            if (next >= text.Length || StartsSentence(text[next]) || HasBlankLine(text[i..next]))
            {
                return Found(text, start, i, ref position, out sentence);
            }
        }

        return Found(text, start, text.Length, ref position, out sentence);
    }

    private static bool Found(ReadOnlySpan<char> text, int start, int end, ref int position, out Range sentence)
    {
        position = end;
        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        sentence = start..end;
        return true;
    }

    private bool IsAbbreviationBefore(ReadOnlySpan<char> text, int sentenceStart, int periodIndex)
    {
        int wordStart = periodIndex;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] is not ('(' or '"' or '«' or '“'))
        {
            wordStart--;
        }

        ReadOnlySpan<char> word = text[wordStart..periodIndex];
        if (word.Length == 1 && char.IsLetter(word[0]) && char.IsUpper(word[0]))
        {
            return true; // an initial: "J. R. R. Tolkien"
        }

        return word.Length > 0 && _abbreviationLookup.Contains(word);
    }

    private static bool IsTerminator(char c) => c is '.' or '?' or '!' or '…';

    private static bool IsClosing(char c) => c is '"' or '\'' or ')' or ']' or '»' or '”' or '’';

    private static bool StartsSentence(char c) =>
        char.IsUpper(c) || char.IsDigit(c) || c is '¿' or '¡' or '"' or '\'' or '(' or '[' or '«' or '“' or '‘' or '—' or '-' or '–';

    private static bool IsBlankLineAfter(ReadOnlySpan<char> text, int newline)
    {
        for (int i = newline + 1; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                return true;
            }

            if (!char.IsWhiteSpace(text[i]))
            {
                return false;
            }
        }

        return false;
    }

    private static bool HasBlankLine(ReadOnlySpan<char> whitespace) => whitespace.IndexOf('\n') is int first and >= 0
        && whitespace[(first + 1)..].Contains('\n');
}
