using Microsoft.Extensions.Logging;

namespace Embeddings.Core.Classification;

/// <summary>Log messages of the text classifiers (event ids 31xx).</summary>
internal static partial class ClassifierLog
{
    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Text classifier ({Family}, {Loss}): {Examples} training examples, {Words} words, {Labels} labels, {Rows} input rows of {Dimensions}, {Epochs} epochs, {Threads} thread(s)")]
    public static partial void Started(ILogger logger, TextClassifierFamily family, TextClassifierLoss loss, int examples, int words, int labels, long rows, int dimensions, int epochs, int threads);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "Epoch {Epoch}/{Epochs}: loss {Loss:F4}, validation score {Score:F4}")]
    public static partial void EpochFinished(ILogger logger, int epoch, int epochs, double loss, double score);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Early stopping after epoch {Epoch}; keeping epoch {BestEpoch}")]
    public static partial void StoppedEarly(ILogger logger, int epoch, int bestEpoch);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "Checkpoint written to {Path} (epoch {Epoch})")]
    public static partial void CheckpointWritten(ILogger logger, string path, int epoch);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Information, Message = "Resuming from {Path} at epoch {Epoch}")]
    public static partial void Resuming(ILogger logger, string path, int epoch);
}
