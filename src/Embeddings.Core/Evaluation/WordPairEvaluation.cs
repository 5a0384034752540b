namespace Embeddings.Core.Evaluation;

/// <summary>
/// How well the similarities of word vectors agree with human judgements of word pairs (WordSim-353, SimLex-999):
/// the result of <see cref="WordVectorsEvaluation.EvaluateWordPairs(Vectors.WordVectors, string, char, int, bool, bool)"/>,
/// the three values gensim's <c>evaluate_word_pairs</c> returns plus the pair counts.
/// </summary>
public sealed record WordPairEvaluation
{
    /// <summary>Pearson's correlation coefficient r between the human scores and the cosine similarities.</summary>
    public required double Pearson { get; init; }

    /// <summary>The two-sided p-value of <see cref="Pearson"/> (Student's t with n − 2 degrees of freedom, as SciPy's
    /// <c>pearsonr</c>); NaN for fewer than 3 pairs.</summary>
    public required double PearsonPValue { get; init; }

    /// <summary>Spearman's rank correlation ρ (average ranks for ties, as SciPy's <c>spearmanr</c>).</summary>
    public required double Spearman { get; init; }

    /// <summary>The two-sided p-value of <see cref="Spearman"/> (as SciPy's <c>spearmanr</c>); NaN for fewer than 3 pairs.</summary>
    public required double SpearmanPValue { get; init; }

    /// <summary>
    /// The percentage (0–100) of pairs with a word outside the restricted vocabulary, as gensim computes it: out of all
    /// pairs read, or, with <c>dummy4Unknown</c>, out of the pairs used (which then include the unknown ones).
    /// </summary>
    public required double OovRatio { get; init; }

    /// <summary>The pairs that entered the correlations (with <c>dummy4Unknown</c>, including the unknown pairs scored 0).</summary>
    public required int PairCount { get; init; }

    /// <summary>The pairs with a word outside the restricted vocabulary.</summary>
    public required int OovPairCount { get; init; }
}
