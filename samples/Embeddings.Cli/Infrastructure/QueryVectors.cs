using Embeddings.Core.Subwords;
using Embeddings.Core.Vectors;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// Word vectors as the query commands (<c>similar</c>, <c>analogy</c>, <c>similarity</c>, <c>query</c>,
/// <c>print-vectors</c>, <c>evaluate</c>) see them: <see cref="Words"/> always, and <see cref="Subwords"/> when the file
/// has character n-grams, so that a word outside the vocabulary still gets a vector. Made by
/// <see cref="VectorInput.LoadForQueries"/>.
/// </summary>
internal sealed class QueryVectors : IDisposable
{
    public QueryVectors(WordVectors words) => Words = words;

    public QueryVectors(SubwordVectors subwords) => (Subwords, Words) = (subwords, subwords.Words);

    /// <summary>The vocabulary words' vectors (composed from their n-grams for subword vectors).</summary>
    public WordVectors Words { get; }

    /// <summary>The vectors with n-gram rows, or null for plain word vectors.</summary>
    public SubwordVectors? Subwords { get; }

    /// <summary>
    /// Checks that each word has a vector: a vocabulary word, or, with subword vectors, any word with n-grams, for which
    /// one notice line on standard error says where its vector comes from.
    /// </summary>
    /// <exception cref="ArgumentException">A word has no vector; the message names it (the first one).</exception>
    public void RequireWords(IEnumerable<string> words)
    {
        foreach (string word in words.Distinct())
        {
            if (Words.Vocabulary.Contains(word))
            {
                continue;
            }

            if (!HasNgramVector(word))
            {
                throw new ArgumentException(NotInVocabulary(word));
            }

            Console.Error.WriteLine(NgramNotice(word));
        }
    }

    /// <summary>The one message for a word without a vector, whether it stops a command or only skips a query.</summary>
    public string NotInVocabulary(string word) => Subwords is null
        ? Commands.VectorCommands.NotInVocabulary(Words, word)
        : $"'{word}' is not in the vocabulary of {Words.Count:N0} words and has no character n-grams to build a vector from.";

    /// <summary>The notice for a word outside the vocabulary whose vector is built from its n-grams.</summary>
    public static string NgramNotice(string word) =>
        $"notice: '{word}' is not in the vocabulary; its vector comes from its character n-grams.";

    /// <summary>Whether <paramref name="word"/> has a vector: a vocabulary word, or one with n-grams.</summary>
    public bool HasVector(string word) => Words.Vocabulary.Contains(word) || HasNgramVector(word);

    /// <summary>fastText's <c>print-word-vectors</c>: the vector of any word, zero for a word of subword vectors without n-grams.</summary>
    /// <returns>Whether the word has a vector; false only for plain word vectors and a word outside their vocabulary.</returns>
    public bool TryGetVector(string word, Span<float> destination)
    {
        if (Words.TryGetVector(word, out ReadOnlySpan<float> vector))
        {
            vector.CopyTo(destination);
            return true;
        }

        if (Subwords is null)
        {
            return false;
        }

        _ = Subwords.TryGetVector(word, destination); // fastText prints the zero vector of a word without n-grams
        return true;
    }

    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN) =>
        Subwords?.MostSimilar(word, topN) ?? Words.MostSimilar(word, topN);

    public IReadOnlyList<WordSimilarity> MostSimilar(IEnumerable<string> positive, IEnumerable<string> negative, int topN) =>
        Subwords?.MostSimilar(positive, negative, topN) ?? Words.MostSimilar(positive, negative, topN);

    public float Similarity(string word1, string word2) =>
        Subwords?.Similarity(word1, word2) ?? Words.Similarity(word1, word2);

    public void Dispose()
    {
        if (Subwords is not null)
        {
            Subwords.Dispose();
        }
        else
        {
            Words.Dispose();
        }
    }

    private bool HasNgramVector(string word) =>
        Subwords is not null && Subwords.TryGetVector(word, new float[Subwords.Dimensions]);
}
