using System.Diagnostics;
using System.Globalization;

namespace Embeddings.Core.IO;

/// <summary>
/// The names of the temporary files this library and its tools write next to a target (the half-written file of an
/// atomic write, an encoded corpus streamed during training): <c>.NAME.RANDOM.PID.tmp</c>, hidden, in the target's
/// folder, ending in the id of the process that owns it. A process killed before it could delete its file (SIGKILL,
/// a power cut) leaves it behind; the next writer of the same target recognises it as stale, because no process of
/// that id runs on this machine any more (or one that started after the file was last written), and removes it.
/// </summary>
/// <remarks>
/// Staleness is judged on this machine only: on a folder shared between machines, a temporary file of a run on another
/// machine whose process id happens to be unused here would be taken for stale. Run one writer per target.
/// </remarks>
public static class TemporaryFile
{
    private const string Extension = ".tmp";

    /// <summary>A new temporary file name for <paramref name="target"/>: in its folder, owned by this process.</summary>
    /// <param name="target">The file the temporary one stands for.</param>
    /// <returns>The full path <c>FOLDER/.NAME.RANDOM.PID.tmp</c>; nothing is created.</returns>
    public static string PathFor(string target)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        string full = Path.GetFullPath(target);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{target}' names no file.", nameof(target));
        string random = Path.GetFileNameWithoutExtension(Path.GetRandomFileName());
        return Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(full)}.{random}.{Environment.ProcessId}{Extension}"));
    }

    /// <summary>
    /// Deletes the temporary files of <paramref name="targetName"/> in <paramref name="folder"/> that killed processes
    /// left; those of live processes (this one included) stay.
    /// </summary>
    /// <param name="folder">The folder to look in; nothing happens if it does not exist.</param>
    /// <param name="targetName">The target's file name; <see langword="null"/> for every target in the folder.</param>
    /// <returns>The paths deleted.</returns>
    public static IReadOnlyList<string> RemoveStale(string folder, string? targetName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var removed = new List<string>();
        foreach (string path in Directory.GetFiles(folder, targetName is null ? $".*{Extension}" : $".{targetName}.*{Extension}"))
        {
            if (Owner(path) is { } pid && !IsRunning(pid, File.GetLastWriteTimeUtc(path)))
            {
                try
                {
                    File.Delete(path);
                    removed.Add(path);
                }
                catch (IOException)
                {
                    // Another run is removing it at the same moment, or the disk refuses: the file only costs space.
                }
                catch (UnauthorizedAccessException)
                {
                    // Another user's file: not ours to remove.
                }
            }
        }

        return removed;
    }

    /// <summary>The process id a temporary file name ends in, or <see langword="null"/> for a name of another form.</summary>
    private static int? Owner(string path)
    {
        string name = Path.GetFileName(path);
        if (!name.EndsWith(Extension, StringComparison.Ordinal))
        {
            return null;
        }

        string stem = name[..^Extension.Length];
        int dot = stem.LastIndexOf('.');
        return dot > 0 && int.TryParse(stem.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    /// <summary>
    /// Whether a process of this id runs on this machine and started before <paramref name="since"/> (a later one reuses
    /// the id of the one that wrote the file). When the system does not say, the process counts as running.
    /// </summary>
    /// <param name="processId">The process id.</param>
    /// <param name="since">When the process was known to run (UTC).</param>
    internal static bool IsRunning(int processId, DateTime since)
    {
        if (processId == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(processId);
            // Start times are derived from the boot time and clock ticks, so allow a few seconds of slack.
            return process.StartTime.ToUniversalTime() <= since.ToUniversalTime().AddSeconds(5);
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false; // it exited while we looked
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return true; // the system would not say when it started: assume it is the owner
        }
        catch (NotSupportedException)
        {
            return true; // same
        }
    }
}
