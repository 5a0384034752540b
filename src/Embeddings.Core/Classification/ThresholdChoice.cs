namespace Embeddings.Core.Classification;

/// <summary>
/// A decision threshold on one label's probability, chosen by <see cref="ClassificationReport.TuneThreshold"/>:
/// an example is predicted with the label when its probability is at least <see cref="Threshold"/>.
/// </summary>
/// <param name="Threshold">The lowest probability that predicts the label.</param>
/// <param name="F1">The label's F1 on the tuning data at this threshold.</param>
/// <param name="Precision">The label's precision on the tuning data at this threshold.</param>
/// <param name="Recall">The label's recall on the tuning data at this threshold.</param>
public readonly record struct ThresholdChoice(float Threshold, double F1, double Precision, double Recall);
