using Embeddings.Core.Vectors;

namespace Embeddings.Core.CountBased;

/// <summary>What <see cref="PpmiSvd.Train"/> produced: the word vectors and a report of the run. Immutable: the
/// counts are set once, by <see cref="PpmiSvd"/>, when it creates the result.</summary>
public sealed class PpmiSvdResult
{
    internal PpmiSvdResult(WordVectors vectors, double[] singularValues, PpmiSvdOptions options)
    {
        Vectors = vectors;
        SingularValues = Array.AsReadOnly(singularValues);
        Options = options;
    }

    /// <summary>The word vectors <c>U_d · Σ_d^p</c>, one row per vocabulary word (ids by count descending).</summary>
    public WordVectors Vectors { get; }

    /// <summary>The <see cref="PpmiSvdOptions.Dimensions"/> largest singular values of the PPMI matrix, descending
    /// (zeros where the matrix has lower rank).</summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>The settings used.</summary>
    public PpmiSvdOptions Options { get; }

    /// <summary>Sentences read.</summary>
    public long Sentences { get; internal init; }

    /// <summary>Tokens read, out-of-vocabulary ones included.</summary>
    public long Tokens { get; internal init; }

    /// <summary>Tokens of vocabulary words, the ones whose windows were counted.</summary>
    public long KeptTokens { get; internal init; }

    /// <summary>Distinct (word, context) pairs with a nonzero co-occurrence count.</summary>
    public long CooccurrencePairs { get; internal init; }

    /// <summary>Positive entries of the PPMI matrix (the nonzeros that the SVD works on).</summary>
    public long PpmiEntries { get; internal init; }

    /// <summary>Wall-clock time of training.</summary>
    public TimeSpan Elapsed { get; internal init; }
}
