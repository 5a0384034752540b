namespace Embeddings.Core.Classification;

/// <summary>
/// One label's row of a <see cref="ClassificationReport"/>: precision, recall and F1 as scikit-learn defines them
/// (a ratio with a zero denominator is 0, scikit-learn's <c>zero_division=0</c>).
/// </summary>
/// <param name="Label">The label.</param>
/// <param name="Precision">Of the examples predicted with the label, the share that has it: TP / (TP + FP).</param>
/// <param name="Recall">Of the examples that have the label, the share predicted with it: TP / (TP + FN).</param>
/// <param name="F1">The harmonic mean of precision and recall: 2·TP / (2·TP + FP + FN).</param>
/// <param name="Support">How many examples have the label.</param>
public sealed record LabelMetrics(string Label, double Precision, double Recall, double F1, int Support);
