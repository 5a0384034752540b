using System.Globalization;

namespace Embeddings.Core.Vectors;

/// <summary>A word and its similarity to a query, as returned by <see cref="WordVectors.MostSimilar(string, int, int?, int)"/>
/// and the other similarity queries (gensim returns the same pair as a <c>(key, similarity)</c> tuple).</summary>
/// <param name="Word">The word.</param>
/// <param name="Similarity">Cosine similarity for <c>MostSimilar</c>, the 3CosMul objective for <c>MostSimilarCosMul</c>.</param>
public readonly record struct WordSimilarity(string Word, float Similarity)
{
    /// <summary>The pair as <c>word&lt;TAB&gt;similarity</c>, the similarity in the invariant culture.</summary>
    public override string ToString() => Word + "\t" + Similarity.ToString("R", CultureInfo.InvariantCulture);
}
