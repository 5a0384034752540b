using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Sequences;

/// <summary>Log messages of the language model (event ids 27xx).</summary>
internal static partial class SequenceLog
{
    [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Language model: {Cell} {Layers}×{Hidden}, {Tokens} tokens, {Parameters} trainable parameters; {Sequences} training and {Validation} validation sequences of {Steps}, batch {Batch}, {Epochs} epochs, {Threads} thread(s)")]
    public static partial void Started(ILogger logger, RecurrentCell cell, int layers, int hidden, int tokens, long parameters, int sequences, int validation, int steps, int batch, int epochs, int threads);

    [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4} (perplexity {Perplexity:F1}), validation loss {ValidationLoss:F4}, {Seconds:F1} s")]
    public static partial void EpochFinished(ILogger logger, int epoch, int epochs, double loss, double perplexity, double validationLoss, double seconds);

    [LoggerMessage(EventId = 2703, Level = LogLevel.Information, Message = "Early stopping after epoch {Epoch}: no validation improvement for {Patience} epochs; keeping epoch {BestEpoch}")]
    public static partial void StoppedEarly(ILogger logger, int epoch, int patience, int bestEpoch);

    [LoggerMessage(EventId = 2704, Level = LogLevel.Information, Message = "Checkpoint written to {Path} (epoch {Epoch}, step {Step})")]
    public static partial void CheckpointWritten(ILogger logger, string path, int epoch, int step);

    [LoggerMessage(EventId = 2705, Level = LogLevel.Information, Message = "Resuming from {Path} at epoch {Epoch}, step {Step}")]
    public static partial void Resuming(ILogger logger, string path, int epoch, int step);
}
