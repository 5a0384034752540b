using System.Diagnostics;

namespace Embeddings.Text.Sources;

/// <summary>Throttles <see cref="ReadProgress"/> reports to a few a second; callers poll it once per buffer or batch.</summary>
internal sealed class ProgressReporter
{
    private static readonly long Interval = Stopwatch.Frequency / 4;

    private readonly IProgress<ReadProgress> _progress;
    private readonly long? _totalBytes;
    private readonly long _start;
    private long _last;

    private ProgressReporter(IProgress<ReadProgress> progress, long? totalBytes)
    {
        _progress = progress;
        _totalBytes = totalBytes;
        _start = Stopwatch.GetTimestamp();
        _last = _start;
    }

    /// <summary>A reporter, or <see langword="null"/> when nobody listens, so the hot path pays one null check.</summary>
    public static ProgressReporter? Create(IProgress<ReadProgress>? progress, long? totalBytes)
        => progress is null ? null : new ProgressReporter(progress, totalBytes);

    public void MaybeReport(long bytesRead, long recordsRead)
    {
        long now = Stopwatch.GetTimestamp();
        if (now - _last >= Interval)
        {
            _last = now;
            _progress.Report(new ReadProgress(bytesRead, _totalBytes, recordsRead, Stopwatch.GetElapsedTime(_start, now)));
        }
    }

    public void ReportFinal(long bytesRead, long recordsRead)
    {
        long now = Stopwatch.GetTimestamp();
        _last = now;
        _progress.Report(new ReadProgress(bytesRead, _totalBytes, recordsRead, Stopwatch.GetElapsedTime(_start, now)));
    }
}
