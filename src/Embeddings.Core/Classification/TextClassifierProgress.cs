namespace Embeddings.Core.Classification;

/// <summary>Progress of a text classifier's training, reported about once a second and at the end of every epoch.</summary>
/// <param name="Epoch">The epoch under way, from 1.</param>
/// <param name="Epochs">The epochs of the run.</param>
/// <param name="Fraction">The share of the whole run done, 0–1, counted in tokens as fastText counts them.</param>
/// <param name="TokensPerSecond">Training tokens processed per second in this epoch.</param>
/// <param name="Loss">The mean training loss of the epoch's examples so far (the MLP and recurrent families: of its mini-batches).</param>
/// <param name="LearningRate">The current learning rate (constant for the MLP and recurrent families).</param>
/// <param name="ValidationScore">At an epoch's end with a validation set: its score (the positive label's F1, or accuracy); otherwise null.</param>
public readonly record struct TextClassifierProgress(
    int Epoch, int Epochs, double Fraction, double TokensPerSecond, double Loss, double LearningRate, double? ValidationScore);
