namespace Embeddings.Core.Classification;

/// <summary>A label a classifier predicts, with its probability (0–1).</summary>
/// <param name="Label">The label, without fastText's <c>__label__</c> prefix.</param>
/// <param name="Probability">The model's probability for the label.</param>
public readonly record struct LabelPrediction(string Label, float Probability);
