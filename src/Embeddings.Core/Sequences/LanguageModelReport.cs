namespace Embeddings.Core.Sequences;

/// <summary>Progress of a language model's training, reported about once a second and at the end of every epoch.</summary>
/// <param name="Epoch">The epoch in progress, from 1.</param>
/// <param name="Epochs">The epochs planned.</param>
/// <param name="Step">Optimiser steps done in this epoch.</param>
/// <param name="StepsPerEpoch">Optimiser steps in an epoch.</param>
/// <param name="Loss">The mean cross-entropy of this epoch's predictions so far (nats).</param>
/// <param name="SequencesPerSecond">Training throughput in this epoch.</param>
public readonly record struct LanguageModelProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double SequencesPerSecond)
{
    /// <summary><c>exp(Loss)</c>.</summary>
    public double Perplexity => Math.Exp(Loss);

    /// <summary>The fraction of the whole run done.</summary>
    public double Fraction => ((Epoch - 1) + ((double)Step / Math.Max(1, StepsPerEpoch))) / Epochs;
}

/// <summary>One finished epoch.</summary>
/// <param name="Epoch">From 1.</param>
/// <param name="TrainingLoss">The mean cross-entropy of the epoch's training predictions, each measured before its step's update (for a full batch: the loss before the epoch's one step).</param>
/// <param name="ValidationLoss">The mean cross-entropy on the validation sequences after the epoch, or NaN without a validation split.</param>
/// <param name="LearningRate">The epoch's learning rate.</param>
/// <param name="Seconds">Wall-clock training time of the epoch (validation excluded).</param>
public sealed record LanguageModelEpoch(int Epoch, double TrainingLoss, double ValidationLoss, double LearningRate, double Seconds)
{
    /// <summary><c>exp(TrainingLoss)</c>.</summary>
    public double TrainingPerplexity => Math.Exp(TrainingLoss);

    /// <summary><c>exp(ValidationLoss)</c>, NaN without validation.</summary>
    public double ValidationPerplexity => Math.Exp(ValidationLoss);
}

/// <summary>What a training run did. Immutable: the trainer sets each property once, when it creates the report.</summary>
public sealed class LanguageModelReport
{
    internal LanguageModelReport(IReadOnlyList<LanguageModelEpoch> epochs) => Epochs = epochs;

    /// <summary>Sequences trained on per epoch.</summary>
    public int TrainingSequences { get; internal init; }

    /// <summary>Sequences held out for validation.</summary>
    public int ValidationSequences { get; internal init; }

    /// <summary>Every finished epoch, in order.</summary>
    public IReadOnlyList<LanguageModelEpoch> Epochs { get; }

    /// <summary>Whether early stopping ended the run before its last epoch.</summary>
    public bool StoppedEarly { get; internal init; }

    /// <summary>With early stopping, the epoch whose weights the model holds (best validation perplexity); otherwise the last epoch.</summary>
    public int BestEpoch { get; internal init; }

    /// <summary>The last epoch's training loss, NaN before any.</summary>
    public double FinalLoss => Epochs.Count == 0 ? double.NaN : Epochs[^1].TrainingLoss;

    /// <summary>Median seconds per epoch.</summary>
    public double MedianEpochSeconds
    {
        get
        {
            if (Epochs.Count == 0)
            {
                return double.NaN;
            }

            double[] seconds = [.. Epochs.Select(e => e.Seconds).Order()];
            return seconds.Length % 2 == 1 ? seconds[seconds.Length / 2] : (seconds[(seconds.Length / 2) - 1] + seconds[seconds.Length / 2]) / 2;
        }
    }
}
