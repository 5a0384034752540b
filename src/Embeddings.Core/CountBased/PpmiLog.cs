using Microsoft.Extensions.Logging;

namespace Embeddings.Core.CountBased;

/// <summary>The log messages of the count-based trainer (Core event ids 2600–2609).</summary>
internal static partial class PpmiLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "PPMI-SVD training started: {Options}")]
    public static partial void TrainingStarted(ILogger logger, PpmiSvdOptions options);

    [LoggerMessage(EventId = 2601, Level = LogLevel.Debug, Message = "Read {Sentences} sentences, {Tokens} tokens; vocabulary of {Words} words ({KeptTokens} tokens) in {Seconds:F2} s")]
    public static partial void CorpusRead(ILogger logger, long sentences, long tokens, int words, long keptTokens, double seconds);

    [LoggerMessage(EventId = 2602, Level = LogLevel.Debug, Message = "Co-occurrence: {Pairs} distinct word-context pairs, {PositiveEntries} positive PPMI entries in {Seconds:F2} s")]
    public static partial void PpmiBuilt(ILogger logger, long pairs, long positiveEntries, double seconds);

    [LoggerMessage(EventId = 2603, Level = LogLevel.Debug, Message = "Randomized SVD: rank {Rank}, {Steps} sparse products, largest singular value {Largest:F3} in {Seconds:F2} s")]
    public static partial void SvdDone(ILogger logger, int rank, int steps, double largest, double seconds);

    [LoggerMessage(EventId = 2604, Level = LogLevel.Information, Message = "PPMI-SVD training finished: {Words} words x {Dimensions} dimensions in {Seconds:F2} s")]
    public static partial void TrainingFinished(ILogger logger, int words, int dimensions, double seconds);
}
