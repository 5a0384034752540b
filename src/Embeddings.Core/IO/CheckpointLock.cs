using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Core.IO;

/// <summary>
/// A checkpoint folder's lock: while a run writes checkpoints into a folder, the folder holds
/// <see cref="FileName"/> naming the run (its id, process id, machine, start time and command line), so that a
/// second run on the same folder fails at once instead of overwriting the first one's checkpoints. The word2vec and
/// language-model trainers take it whenever they are given a checkpoint folder, and release it when the run ends
/// however it ends; a lock left by a killed run (its process no longer exists on this machine) is taken over.
/// </summary>
/// <remarks>
/// The lock file is created only if it does not exist (an exclusive create), so two runs starting together cannot both
/// get it. Taking over a stale lock also removes the temporary files killed runs left in the folder
/// (<see cref="TemporaryFile.RemoveStale"/>). A lock held by a run on another machine is never taken over: there is
/// no way to tell from here whether it still runs.
/// </remarks>
public sealed class CheckpointLock : IDisposable
{
    /// <summary>The lock file's name in the checkpoint folder.</summary>
    public const string FileName = "checkpoint.lock";

    private readonly string _path;
    private bool _released;

    private CheckpointLock(string path, CheckpointRun run, CheckpointRun? takenOverFrom)
    {
        _path = path;
        Run = run;
        TakenOverFrom = takenOverFrom;
    }

    /// <summary>This run, as the lock file names it.</summary>
    public CheckpointRun Run { get; }

    /// <summary>The killed run whose stale lock this one replaced; <see langword="null"/> when the folder was free.</summary>
    public CheckpointRun? TakenOverFrom { get; }

    /// <summary>Locks <paramref name="folder"/> (created if missing) for this process.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <returns>The lock; dispose it when the run ends.</returns>
    /// <exception cref="IOException">Another run holds the folder; the message names it.</exception>
    public static CheckpointLock Acquire(string folder) => Acquire(folder, NullLogger.Instance);

    /// <summary>The run that holds <paramref name="folder"/>'s lock, or <see langword="null"/> when it is free.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    public static CheckpointRun? Holder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        return ReadRun(Path.Combine(folder, FileName));
    }

    /// <summary>Locks <paramref name="folder"/>, logging a stale lock taken over.</summary>
    internal static CheckpointLock Acquire(string folder, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        string path = Path.Combine(Path.GetFullPath(folder), FileName);
        var run = new CheckpointRun(
            Guid.NewGuid().ToString("N"), Environment.ProcessId, Environment.MachineName, DateTimeOffset.UtcNow,
            string.Join(' ', Environment.GetCommandLineArgs()).ReplaceLineEndings(" "));
        byte[] content = Encoding.UTF8.GetBytes(run.ToFileText());
        CheckpointRun? stale = null;
        while (!TryCreate(path, content))
        {
            CheckpointRun? holder = ReadRun(path);
            if (holder is null)
            {
                continue; // released between our attempt and the read: try again
            }

            if (holder.IsRunning)
            {
                throw InUse(folder, holder);
            }

            // A killed run's lock: replace it, then check that no run taking it over at the same moment won.
            stale = holder;
            File.WriteAllBytes(path, content);
            if (ReadRun(path) is { } now && now.RunId != run.RunId)
            {
                throw InUse(folder, now);
            }

            IOLog.StaleLockTakenOver(logger, path, stale.ToString());
            break;
        }

        foreach (string removed in TemporaryFile.RemoveStale(folder))
        {
            IOLog.StaleFileRemoved(logger, removed);
        }

        return new CheckpointLock(path, run, stale);
    }

    /// <summary>Removes the lock file, if it is still this run's.</summary>
    public void Dispose()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        try
        {
            if (ReadRun(_path)?.RunId == Run.RunId)
            {
                File.Delete(_path);
            }
        }
        catch (IOException)
        {
            // The folder went away or the disk refuses: the lock is stale once this process ends, and taken over then.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }

    /// <summary>Creates the lock file; false when one exists already (the exclusive create decides between two runs).</summary>
    private static bool TryCreate(string path, byte[] content)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(content);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    private static IOException InUse(string folder, CheckpointRun holder) =>
        new($"'{folder}' is in use by {holder}; wait for that run to end, stop it, or choose another checkpoint folder.");

    private static CheckpointRun? ReadRun(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return CheckpointRun.Parse(text);
    }
}

/// <summary>A run that holds, or held, a checkpoint folder's lock (<see cref="CheckpointLock"/>).</summary>
/// <param name="RunId">A unique id of the run.</param>
/// <param name="ProcessId">The id of its process.</param>
/// <param name="Host">The machine it runs on.</param>
/// <param name="Started">When it took the lock (UTC).</param>
/// <param name="CommandLine">The command line of its process.</param>
public sealed record CheckpointRun(string RunId, int ProcessId, string Host, DateTimeOffset Started, string CommandLine)
{
    /// <summary>
    /// Whether the run may still be going: always for another machine's run; on this machine, while a process of its
    /// id runs that started before it took the lock.
    /// </summary>
    public bool IsRunning =>
        !string.Equals(Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) || TemporaryFile.IsRunning(ProcessId, Started.UtcDateTime);

    /// <summary>The run in words, for messages: <c>run 5f0c… (process 1234 on host, started 2026-12-03 13:40:00 UTC: embeddings train …)</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"run {RunId} (process {ProcessId} on {Host}, started {Started.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC: {CommandLine})");

    internal string ToFileText() => string.Create(CultureInfo.InvariantCulture,
        $"run {RunId}\npid {ProcessId}\nhost {Host}\nstarted {Started.UtcDateTime:O}\ncommand {CommandLine}\n");

    /// <summary>Reads a lock file's text; a file cut short or of another form is a run of unknown process that counts as running.</summary>
    internal static CheckpointRun Parse(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string line in text.Split('\n'))
        {
            int space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0)
            {
                fields[line[..space]] = line[(space + 1)..].TrimEnd('\r');
            }
        }

        string Field(string name) => fields.TryGetValue(name, out string? value) ? value : "?";
        bool known = int.TryParse(Field("pid"), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            & DateTimeOffset.TryParse(Field("started"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset started);
        // An unreadable lock names no process that could be checked: treat it as another machine's, which is never taken over.
        return new CheckpointRun(Field("run"), known ? pid : 0, known ? Field("host") : "an unknown machine", started, Field("command"));
    }
}
