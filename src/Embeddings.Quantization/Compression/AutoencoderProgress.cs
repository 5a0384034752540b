namespace Embeddings.Quantization;

/// <summary>A report of <see cref="EmbeddingAutoencoder.Train(ReadOnlySpan{float}, int, IProgress{AutoencoderProgress}?, CancellationToken)"/>, once per epoch.</summary>
/// <param name="Epoch">The epoch just finished, from 1.</param>
/// <param name="Epochs">The most epochs (<see cref="EmbeddingAutoencoderOptions.Epochs"/>); training may stop earlier.</param>
/// <param name="TrainingLoss">The mean loss over the epoch's mini-batches, regularisers included.</param>
/// <param name="ValidationLoss">The reconstruction loss on the held-out share, or NaN when none is held out.</param>
/// <param name="Elapsed">Time since training started.</param>
public readonly record struct AutoencoderProgress(int Epoch, int Epochs, double TrainingLoss, double ValidationLoss, TimeSpan Elapsed);
