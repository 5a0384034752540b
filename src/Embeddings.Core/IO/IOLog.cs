using Microsoft.Extensions.Logging;

namespace Embeddings.Core.IO;

/// <summary>Log messages of the file helpers (event ids 28xx).</summary>
internal static partial class IOLog
{
    [LoggerMessage(EventId = 2801, Level = LogLevel.Warning, Message = "Took over the stale checkpoint lock {Path} of {Run}, whose process no longer exists")]
    public static partial void StaleLockTakenOver(ILogger logger, string path, string run);

    [LoggerMessage(EventId = 2802, Level = LogLevel.Information, Message = "Removed {Path}, a temporary file a killed run left")]
    public static partial void StaleFileRemoved(ILogger logger, string path);
}
