namespace Embeddings.Text.Stemming;

/// <summary>
/// Reduces a word to its stem. Implementations are stateless and safe to share between threads.
/// </summary>
public interface IStemmer
{
    /// <summary>Stems one word.</summary>
    /// <param name="word">A lowercase word (Snowball algorithms expect lowercase input).</param>
    /// <returns>The stem; the same instance as <paramref name="word"/> when nothing changes.</returns>
    string Stem(string word);

    /// <summary>Stems one word into a caller's buffer, without allocating.</summary>
    /// <param name="word">A lowercase word.</param>
    /// <param name="destination">Receives the stem; at least <c>word.Length</c> characters long
    /// (a stem is never longer than its word).</param>
    /// <returns>The number of characters written to <paramref name="destination"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <paramref name="word"/>.</exception>
    int Stem(ReadOnlySpan<char> word, Span<char> destination);
}
