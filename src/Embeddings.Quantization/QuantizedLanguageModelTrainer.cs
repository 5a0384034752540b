using Embeddings.Core.Sequences;

namespace Embeddings.Quantization;

/// <summary>Trains a <see cref="QuantizedLanguageModel"/>; built by <see cref="QuantizedLanguageModel.CreateBuilder"/>.</summary>
public sealed class QuantizedLanguageModelTrainer
{
    private readonly LanguageModelTrainer _trainer;

    internal QuantizedLanguageModelTrainer(QuantizedVectors quantization, LanguageModelTrainer trainer)
    {
        Quantization = quantization;
        _trainer = trainer;
    }

    /// <summary>The clusters the model is trained over.</summary>
    public QuantizedVectors Quantization { get; }

    /// <summary>The validated settings of the recurrent model.</summary>
    public LanguageModelOptions Options => _trainer.Options;

    /// <summary>
    /// Trains on a stream of words: each word in the quantization's vocabulary becomes its cluster id (others are
    /// dropped, as PC3 drops words below the minimum count), and the recurrent model learns to predict the next cluster.
    /// </summary>
    /// <param name="words">The training text as one stream of words.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end.</param>
    /// <param name="cancellationToken">Cancels training (a checkpoint is written first when a folder is set).</param>
    /// <returns>The trained model.</returns>
    public QuantizedLanguageModel Train(
        IEnumerable<string> words, IProgress<LanguageModelProgress>? progress = null, CancellationToken cancellationToken = default) =>
        QuantizedLanguageModel.Train(Quantization, _trainer, words, null, progress, cancellationToken);

    /// <summary>Goes on with an interrupted <see cref="Train"/> from its checkpoint, on the same words and settings.</summary>
    /// <param name="checkpointPath">The checkpoint file, or the folder holding <see cref="LanguageModelTrainer.CheckpointFileName"/>.</param>
    /// <param name="words">The same words.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end.</param>
    /// <param name="cancellationToken">Cancels training (a checkpoint is written first when a folder is set).</param>
    /// <returns>The trained model.</returns>
    public QuantizedLanguageModel Resume(
        string checkpointPath, IEnumerable<string> words, IProgress<LanguageModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        return QuantizedLanguageModel.Train(Quantization, _trainer, words, checkpointPath, progress, cancellationToken);
    }
}
