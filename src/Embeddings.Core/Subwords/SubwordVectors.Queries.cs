using System.Numerics.Tensors;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Subwords;

// Similarity queries with the semantics of gensim 4's FastTextKeyedVectors: any word may be a query (a word outside the
// vocabulary gets its vector from its n-grams), the answers are vocabulary words, and only vocabulary words are excluded
// from the answers (gensim excludes the keys it has an index for). The search itself is WordVectors' over Words.
public sealed partial class SubwordVectors
{
    /// <summary>
    /// The vocabulary words nearest to any word: gensim's <c>FastTextKeyedVectors.most_similar(word, topn, restrict_vocab)</c>.
    /// A vocabulary word is not returned itself (as <see cref="WordVectors.MostSimilar(string, int, int?, int)"/> on
    /// <see cref="Words"/>); a word outside the vocabulary is searched with its vector from its n-grams and excludes nothing.
    /// </summary>
    /// <param name="word">Any word.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1).</param>
    /// <returns>Up to <paramref name="topN"/> vocabulary words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">The word is outside the vocabulary and has no n-gram (a model without n-grams).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = WordVectors.DefaultTopN, int? restrictVocab = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (Vocabulary.Contains(word))
        {
            return Words.MostSimilar(word, topN, restrictVocab, threads);
        }

        var query = new float[Dimensions];
        CopyUnitVector(word, query);
        WordVectors.NormalizeInPlace(query);
        return Words.MostSimilarToQuery(query, [], topN, restrictVocab, threads);
    }

    /// <summary>
    /// The vocabulary words nearest to the mean of the unit vectors of <paramref name="positive"/> (weight +1) and
    /// <paramref name="negative"/> (weight −1), any of which may be outside the vocabulary: gensim's
    /// <c>FastTextKeyedVectors.most_similar(positive, negative, topn, restrict_vocab)</c>, 3CosAdd for analogies. The
    /// vocabulary words among the inputs are never returned. With vocabulary words only, the answers equal those of
    /// <see cref="WordVectors.MostSimilar(IEnumerable{string}, IEnumerable{string}, int, int?, int)"/> on <see cref="Words"/>.
    /// </summary>
    /// <param name="positive">Words that contribute positively; may be <see langword="null"/> or empty if <paramref name="negative"/> is not.</param>
    /// <param name="negative">Words that contribute negatively.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1).</param>
    /// <returns>Up to <paramref name="topN"/> vocabulary words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">A word is outside the vocabulary and has no n-gram.</exception>
    /// <exception cref="ArgumentException">Both <paramref name="positive"/> and <paramref name="negative"/> are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(
        IEnumerable<string>? positive, IEnumerable<string>? negative = null, int topN = WordVectors.DefaultTopN, int? restrictVocab = null, int threads = 1)
    {
        IEnumerable<(string Word, float Weight)> terms =
            (positive ?? []).Select(word => (word, 1f)).Concat((negative ?? []).Select(word => (word, -1f)));
        var query = new float[Dimensions];
        var term = new float[Dimensions];
        var excluded = new List<int>();
        double totalWeight = 0;
        foreach ((string word, float weight) in terms)
        {
            ArgumentNullException.ThrowIfNull(word, nameof(positive));
            CopyUnitVector(word, term);
            TensorPrimitives.MultiplyAdd(term, weight, query, query);
            totalWeight += Math.Abs(weight);
            if (Vocabulary.TryGetId(word, out int id))
            {
                excluded.Add(id);
            }
        }

        if (totalWeight == 0)
        {
            throw new ArgumentException("MostSimilar needs at least one positive or negative word; both lists are empty.", nameof(positive));
        }

        TensorPrimitives.Divide(query, (float)totalWeight, query);
        WordVectors.NormalizeInPlace(query);
        return Words.MostSimilarToQuery(query, [.. excluded], topN, restrictVocab, threads);
    }

    /// <summary>The cosine similarity of any two words: gensim's <c>FastTextKeyedVectors.similarity(w1, w2)</c>.</summary>
    /// <param name="word1">Any word.</param>
    /// <param name="word2">Any word.</param>
    /// <returns>The cosine of the angle between their vectors (0 if either vector is zero).</returns>
    /// <exception cref="KeyNotFoundException">A word is outside the vocabulary and has no n-gram.</exception>
    public float Similarity(string word1, string word2)
    {
        var vector1 = new float[Dimensions];
        var vector2 = new float[Dimensions];
        CopyVector(word1, vector1);
        CopyVector(word2, vector2);
        return WordVectors.CosineInPlace(vector1, vector2);
    }

    /// <summary>
    /// Answers analogy questions as gensim's <c>FastTextKeyedVectors.evaluate_word_analogies</c> does: questions with a
    /// word outside the first <paramref name="restrictVocab"/> vocabulary words are skipped, not answered from n-grams,
    /// so this is <see cref="WordVectorsEvaluation.EvaluateAnalogies(WordVectors, string, int, bool, bool, int, CancellationToken)"/>
    /// on <see cref="Words"/>.
    /// </summary>
    /// <param name="path">A file of <c>: section</c> lines, each followed by questions of four words.</param>
    /// <param name="restrictVocab">Only the first this many words are known and searched (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Count questions with an unknown word as incorrect instead of skipping them.</param>
    /// <param name="threads">Worker threads for the search (default 1).</param>
    /// <param name="cancellationToken">Checked once per block of rows.</param>
    /// <returns>Per-section and total accuracy, with the questions answered right and wrong.</returns>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public AnalogyEvaluation EvaluateAnalogies(
        string path, int restrictVocab = WordVectorsEvaluation.DefaultRestrictVocab, bool caseInsensitive = true,
        bool dummy4Unknown = false, int threads = 1, CancellationToken cancellationToken = default) =>
        Words.EvaluateAnalogies(path, restrictVocab, caseInsensitive, dummy4Unknown, threads, cancellationToken);

    /// <summary>
    /// Correlates word-pair similarities with human judgements as gensim's <c>FastTextKeyedVectors.evaluate_word_pairs</c>
    /// does: pairs with a word outside the first <paramref name="restrictVocab"/> vocabulary words are out of vocabulary,
    /// not scored from n-grams, so this is <see cref="WordVectorsEvaluation.EvaluateWordPairs(WordVectors, string, char, int, bool, bool)"/>
    /// on <see cref="Words"/>.
    /// </summary>
    /// <param name="path">A file of <c>word1 DELIM word2 DELIM score</c> lines.</param>
    /// <param name="delimiter">The field separator (default tab).</param>
    /// <param name="restrictVocab">Only the first this many words count as known (default 300,000).</param>
    /// <param name="caseInsensitive">Compare words by their upper-case form (default <see langword="true"/>).</param>
    /// <param name="dummy4Unknown">Score pairs with an unknown word as similarity 0 instead of skipping them.</param>
    /// <returns>Pearson and Spearman correlations, their p-values, and the out-of-vocabulary ratio.</returns>
    /// <exception cref="InvalidDataException">A line is malformed, or no pair could be scored.</exception>
    public WordPairEvaluation EvaluateWordPairs(
        string path, char delimiter = '\t', int restrictVocab = WordVectorsEvaluation.DefaultRestrictVocab,
        bool caseInsensitive = true, bool dummy4Unknown = false) =>
        Words.EvaluateWordPairs(path, delimiter, restrictVocab, caseInsensitive, dummy4Unknown);

    /// <summary>The raw vector of any word: a vocabulary word's composed row, another word's from its n-grams.</summary>
    private void CopyVector(string word, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (Vocabulary.TryGetId(word, out int id))
        {
            Words.GetVector(id).CopyTo(destination);
        }
        else if (!TryGetVector(word, destination))
        {
            throw NoVector(word);
        }
    }

    /// <summary>gensim's <c>get_vector(word, norm=True)</c>: the vector divided by its float32 norm (a zero vector stays zero).</summary>
    private void CopyUnitVector(string word, Span<float> destination)
    {
        if (Vocabulary.TryGetId(word, out int id))
        {
            Words.CopyUnitVector(id, destination);
            return;
        }

        CopyVector(word, destination);
        float norm = TensorPrimitives.Norm(destination);
        if (norm > 0)
        {
            TensorPrimitives.Divide(destination, norm, destination);
        }
    }

    private KeyNotFoundException NoVector(string word) =>
        new($"Word '{word}' is not in the vocabulary of {Vocabulary.Count:N0} words and has no character n-grams to build a vector from.");
}
