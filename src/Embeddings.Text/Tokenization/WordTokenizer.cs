using System.Globalization;

namespace Embeddings.Text.Tokenization;

/// <summary>
/// A Unicode word tokenizer: a token is a run of letters, digits and combining marks, in any script
/// (<c>"¡Hola, señor!"</c> → <c>hola</c>… after lowercasing: <c>¡</c>, <c>,</c>, <c>!</c> split). Punctuation
/// separates tokens and is dropped unless <see cref="KeepPunctuation"/> is set, in which case each run of
/// punctuation is a token of its own (NLTK's <c>wordpunct_tokenize</c>). With <see cref="KeepMentionsAndHashtags"/>,
/// <c>@user</c> and <c>#tag</c> stay whole.
/// </summary>
public sealed class WordTokenizer : Tokenizer
{
    /// <summary>Creates a word tokenizer.</summary>
    /// <param name="keepMentionsAndHashtags">Keep <c>@mentions</c> and <c>#hashtags</c> as single tokens.</param>
    /// <param name="keepPunctuation">Emit runs of punctuation and symbols as tokens instead of dropping them.</param>
    public WordTokenizer(bool keepMentionsAndHashtags = false, bool keepPunctuation = false)
    {
        KeepMentionsAndHashtags = keepMentionsAndHashtags;
        KeepPunctuation = keepPunctuation;
    }

    /// <summary>Whether <c>@mentions</c> and <c>#hashtags</c> stay whole.</summary>
    public bool KeepMentionsAndHashtags { get; }

    /// <summary>Whether runs of punctuation become tokens.</summary>
    public bool KeepPunctuation { get; }

    /// <inheritdoc />
    public override bool TryReadToken(ReadOnlySpan<char> text, ref int position, out Range token)
    {
        int i = position;
        while (i < text.Length)
        {
            char c = text[i];
            if (IsWordChar(c))
            {
                int end = ScanWord(text, i + 1);
                return Found(i, end, ref position, out token);
            }

            if (KeepMentionsAndHashtags && c is '@' or '#' && i + 1 < text.Length && IsWordChar(text[i + 1])
                && (i == 0 || !IsWordChar(text[i - 1])))
            {
                int end = ScanWord(text, i + 2);
                return Found(i, end, ref position, out token);
            }

            if (KeepPunctuation && !char.IsWhiteSpace(c))
            {
                int end = i + 1;
                while (end < text.Length && !char.IsWhiteSpace(text[end]) && !IsWordChar(text[end])
                       && !(KeepMentionsAndHashtags && text[end] is '@' or '#' && end + 1 < text.Length && IsWordChar(text[end + 1])))
                {
                    end++;
                }

                return Found(i, end, ref position, out token);
            }

            i++;
        }

        position = text.Length;
        token = default;
        return false;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"words{(KeepMentionsAndHashtags ? " +@#" : string.Empty)}{(KeepPunctuation ? " +punctuation" : string.Empty)}";

    private static bool Found(int start, int end, ref int position, out Range token)
    {
        position = end;
        token = start..end;
        return true;
    }

    private static int ScanWord(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }

        return i;
    }

    private static bool IsWordChar(char c)
    {
        if (c < 128)
        {
            return char.IsAsciiLetterOrDigit(c);
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber
                or UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => true,
            _ => false,
        };
    }
}
