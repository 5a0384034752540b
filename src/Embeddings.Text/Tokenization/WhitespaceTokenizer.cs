namespace Embeddings.Text.Tokenization;

/// <summary>
/// Splits on runs of whitespace and drops empty tokens. On text that holds only spaces as separators (for example
/// after keeping <c>a-z@# </c>) it gives exactly Python's <c>[t for t in re.split(r" +", text) if len(t)]</c>;
/// it also splits on tabs, newlines and the other Unicode spaces, as <c>str.split()</c> does.
/// </summary>
public sealed class WhitespaceTokenizer : Tokenizer
{
    /// <summary>The shared instance.</summary>
    public static readonly WhitespaceTokenizer Instance = new();

    private WhitespaceTokenizer()
    {
    }

    /// <inheritdoc />
    public override bool TryReadToken(ReadOnlySpan<char> text, ref int position, out Range token)
    {
        int start = position;
        while (start < text.Length && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        int end = start;
        while (end < text.Length && !char.IsWhiteSpace(text[end]))
        {
            end++;
        }

        position = end;
        token = start..end;
        return end > start;
    }

    /// <inheritdoc />
    public override string ToString() => "whitespace";
}
