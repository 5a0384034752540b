using Embeddings.Text.Normalization;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
using Embeddings.Text.Tokenization;

namespace Embeddings.Text;

/// <summary>What a <see cref="TextPipeline"/> does, step by step. Built and validated by <see cref="TextPipelineBuilder"/>.</summary>
public sealed class TextPipelineOptions
{
    internal TextPipelineOptions(
        IReadOnlyList<NormalizationStep> normalizationSteps,
        Tokenizer tokenizer,
        int minTokenLength,
        StopwordList? stopwords,
        IStemmer? stemmer)
    {
        NormalizationSteps = normalizationSteps;
        Tokenizer = tokenizer;
        MinTokenLength = minTokenLength;
        Stopwords = stopwords;
        Stemmer = stemmer;
    }

    /// <summary>The normalisation steps in the order they run, described in words.</summary>
    public IReadOnlyList<string> Normalization => [.. NormalizationSteps.Select(step => step.Description)];

    /// <summary>The tokenizer (default: <see cref="Tokenizer.Whitespace"/>).</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>Tokens shorter than this are dropped (default 1: only empty tokens go).</summary>
    public int MinTokenLength { get; }

    /// <summary>Stopwords removed before stemming, or <see langword="null"/>.</summary>
    public StopwordList? Stopwords { get; }

    /// <summary>The stemmer applied last, or <see langword="null"/>.</summary>
    public IStemmer? Stemmer { get; }

    internal IReadOnlyList<NormalizationStep> NormalizationSteps { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var parts = new List<string>(Normalization) { $"tokenize {Tokenizer}" };
        if (MinTokenLength > 1)
        {
            parts.Add($"min length {MinTokenLength}");
        }

        if (Stopwords is not null)
        {
            parts.Add($"stopwords {Stopwords}");
        }

        if (Stemmer is not null)
        {
            parts.Add($"stem {Stemmer}");
        }

        return string.Join(" → ", parts);
    }
}
