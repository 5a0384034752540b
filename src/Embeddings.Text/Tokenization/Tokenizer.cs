namespace Embeddings.Text.Tokenization;

/// <summary>
/// Splits text into tokens. A tokenizer reports token positions (<see cref="Range"/>s into the text) so that
/// pipelines can filter and stem without allocating a string per token; <see cref="Tokenize(string)"/>
/// is the convenient form. Tokenizers are immutable and safe to share between threads.
/// </summary>
public abstract class Tokenizer
{
    /// <summary>Splits on runs of whitespace and drops empty tokens.</summary>
    public static Tokenizer Whitespace => WhitespaceTokenizer.Instance;

    /// <summary>Finds the next token at or after <paramref name="position"/>.</summary>
    /// <param name="text">The whole text being tokenized.</param>
    /// <param name="position">Where to start looking; on return, where to look for the token after this one.</param>
    /// <param name="token">The token's position in <paramref name="text"/>.</param>
    /// <returns><see langword="false"/> when no token is left.</returns>
    public abstract bool TryReadToken(ReadOnlySpan<char> text, ref int position, out Range token);

    /// <summary>Splits <paramref name="text"/> into tokens.</summary>
    /// <param name="text">The text to split.</param>
    /// <returns>The tokens in order.</returns>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenize(text.AsSpan());
    }

    /// <summary>Splits <paramref name="text"/> into tokens.</summary>
    /// <param name="text">The text to split.</param>
    /// <returns>The tokens in order.</returns>
    public IReadOnlyList<string> Tokenize(ReadOnlySpan<char> text)
    {
        var tokens = new List<string>();
        int position = 0;
        while (TryReadToken(text, ref position, out Range token))
        {
            tokens.Add(text[token].ToString());
        }

        return tokens;
    }
}
