using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>The log messages of k-means (Quantization event ids 3000–3009).</summary>
internal static partial class KMeansLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "k-means started: {Points} points x {Dimensions} dimensions, {Options}")]
    public static partial void Started(ILogger logger, int points, int dimensions, KMeansOptions options);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "k-means initialisation ({Method}, {SamplePoints} points) in {Seconds:F2} s")]
    public static partial void Initialized(ILogger logger, KMeansInitMethod method, int samplePoints, double seconds);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Debug, Message = "k-means iteration {Iteration}: inertia {Inertia:F3}, centre shift {Shift:G4}, {Relocated} empty cluster(s) relocated")]
    public static partial void Iteration(ILogger logger, int iteration, double inertia, double shift, int relocated);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Trace, Message = "k-means assignment {Iteration}: {FullRows} of {Points} points needed a full row of distances")]
    public static partial void FullRows(ILogger logger, int iteration, int fullRows, int points);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "k-means finished: {Iterations} iteration(s), converged {Converged}, inertia {Inertia:F3} in {Seconds:F2} s")]
    public static partial void Finished(ILogger logger, int iterations, bool converged, double inertia, double seconds);
}
