using Microsoft.Extensions.Logging;

namespace Embeddings.Text;

/// <summary>The log messages of Embeddings.Text (event ids 1xxx).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Text pipeline started: {Pipeline}, {DegreeOfParallelism} thread(s)")]
    public static partial void ProcessingStarted(ILogger logger, TextPipelineOptions pipeline, int degreeOfParallelism);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Text pipeline finished: {Lines} lines, {Tokens} tokens in {Seconds:F2} s")]
    public static partial void ProcessingFinished(ILogger logger, long lines, long tokens, double seconds);
}
