using Embeddings.Core.Vectors;

namespace Embeddings.Core.CountBased;

/// <summary>What <see cref="PpmiSvd.Train"/> produced: the word vectors and a report of the run. Immutable.</summary>
public sealed class PpmiSvdResult
{
    internal PpmiSvdResult(
        WordVectors vectors,
        double[] singularValues,
        PpmiSvdOptions options,
        long sentences,
        long tokens,
        long keptTokens,
        long cooccurrencePairs,
        long ppmiEntries,
        TimeSpan elapsed)
    {
        Vectors = vectors;
        SingularValues = Array.AsReadOnly(singularValues);
        Options = options;
        Sentences = sentences;
        Tokens = tokens;
        KeptTokens = keptTokens;
        CooccurrencePairs = cooccurrencePairs;
        PpmiEntries = ppmiEntries;
        Elapsed = elapsed;
    }

    /// <summary>The word vectors <c>U_d · Σ_d^p</c>, one row per vocabulary word (ids by count descending).</summary>
    public WordVectors Vectors { get; }

    /// <summary>The <see cref="PpmiSvdOptions.Dimensions"/> largest singular values of the PPMI matrix, descending
    /// (zeros where the matrix has lower rank).</summary>
    public IReadOnlyList<double> SingularValues { get; }

    /// <summary>The settings used.</summary>
    public PpmiSvdOptions Options { get; }

    /// <summary>Sentences read.</summary>
    public long Sentences { get; }

    /// <summary>Tokens read, out-of-vocabulary ones included.</summary>
    public long Tokens { get; }

    /// <summary>Tokens of vocabulary words, the ones whose windows were counted.</summary>
    public long KeptTokens { get; }

    /// <summary>Distinct (word, context) pairs with a nonzero co-occurrence count.</summary>
    public long CooccurrencePairs { get; }

    /// <summary>Positive entries of the PPMI matrix (the nonzeros that the SVD works on).</summary>
    public long PpmiEntries { get; }

    /// <summary>Wall-clock time of training.</summary>
    public TimeSpan Elapsed { get; }
}
