using Embeddings.Text.Tokenization;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Splits lines of whitespace-separated tokens as <see cref="Tokenizer.Whitespace"/> does, with one string per distinct
/// word: a corpus repeats a small vocabulary, so a long line then costs a reference per token instead of a string per
/// token (which made a 200 MB line take gigabytes).
/// </summary>
internal sealed class SharedTokens
{
    private readonly Dictionary<string, string> _words = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public SharedTokens() => _lookup = _words.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The tokens of <paramref name="line"/>.</summary>
    public List<string> Split(string line)
    {
        var tokens = new List<string>();
        SplitInto(line, tokens);
        return tokens;
    }

    /// <summary>Appends the tokens of <paramref name="line"/> to <paramref name="destination"/>.</summary>
    public void SplitInto(string line, List<string> destination)
    {
        ReadOnlySpan<char> text = line;
        int position = 0;
        while (Tokenizer.Whitespace.TryReadToken(text, ref position, out Range range))
        {
            ReadOnlySpan<char> token = text[range];
            if (!_lookup.TryGetValue(token, out string? word))
            {
                word = token.ToString();
                _words.Add(word, word);
            }

            destination.Add(word);
        }
    }
}
