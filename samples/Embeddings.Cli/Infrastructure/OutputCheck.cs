using System.Globalization;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The one way the commands make sure their results land somewhere: every file or folder a command will write is
/// checked before it reads any input (the folder exists, the path is not a folder, a file can be created there, the
/// disk is not full, and, once the size is known, it has room for it); and the main result is written so that a
/// failure at that point does not throw the work away (<see cref="WriteMain"/>).
/// </summary>
internal static class OutputCheck
{
    /// <summary>
    /// Free space below which no output is attempted: on a full disk an empty probe file can still be created, so the
    /// probe alone would not see it.
    /// </summary>
    private const long MinimumFreeBytes = 1 << 20;

    /// <summary>What is wrong with writing the file <paramref name="path"/> given to <paramref name="option"/>; <see langword="null"/> when nothing is (and for <c>-</c>, standard output).</summary>
    public static string? FileProblem(string option, string path)
    {
        if (path.Length == 0 || path == "-")
        {
            return null;
        }

        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return $"cannot write {option} '{path}': it is a folder; a file is expected here";
        }

        string folder = Path.GetDirectoryName(full)!;
        string folderAsTyped = Path.GetDirectoryName(path) is { Length: > 0 } typed ? typed : folder;
        if (!Directory.Exists(folder))
        {
            return File.Exists(folder)
                ? $"cannot write {option} '{path}': '{folderAsTyped}' is a file, not a folder"
                : $"cannot write {option} '{path}': there is no folder '{folderAsTyped}'";
        }

        return WriteProblem(option, path, folder, folderAsTyped);
    }

    /// <summary>
    /// What is wrong with writing into the folder <paramref name="path"/> given to <paramref name="option"/> (a
    /// checkpoint folder, created when missing); <see langword="null"/> when nothing is.
    /// </summary>
    public static string? FolderProblem(string option, string path)
    {
        string full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return $"cannot write {option} '{path}': it is a file; a folder is expected here";
        }

        // A missing folder is created with its parents: the nearest folder that exists must take them.
        string existing = full;
        while (!Directory.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return $"cannot create {option} '{path}': there is no such drive or root";
            }

            if (File.Exists(parent))
            {
                return $"cannot create {option} '{path}': '{parent}' is a file, not a folder";
            }

            existing = parent;
        }

        return WriteProblem(option, path, existing, existing == full ? path : existing);
    }

    /// <summary>
    /// Throws when a folder lacks room for what is planned there, once the sizes are known (after the vocabulary, or
    /// after loading the vectors) and before the long work. Outputs in one folder are added up; a size of 0 or a path
    /// of <see langword="null"/> or <c>-</c> is skipped, and so is a folder whose free space the system does not tell.
    /// </summary>
    /// <exception cref="IOException">A folder has less free space than its outputs need; the message names them.</exception>
    public static void RequireSpace(params ReadOnlySpan<PlannedOutput> outputs)
    {
        var byFolder = new Dictionary<string, List<PlannedOutput>>(StringComparer.Ordinal);
        foreach (PlannedOutput output in outputs)
        {
            if (output.Path is { Length: > 0 } path && path != "-" && output.Bytes > 0)
            {
                string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
                if (!byFolder.TryGetValue(folder, out List<PlannedOutput>? list))
                {
                    byFolder[folder] = list = [];
                }

                list.Add(output);
            }
        }

        foreach ((string folder, List<PlannedOutput> planned) in byFolder)
        {
            long needed = planned.Sum(p => p.Bytes), free = FreeBytes(folder);
            if (free < needed)
            {
                string what = string.Join(" and ", planned.Select(p => $"{p.Option} '{p.Path}'"));
                throw new IOException(string.Create(CultureInfo.InvariantCulture,
                    $"not enough disk space for {what}: about {Size(needed)} needed, {Size(free)} free in '{AsTyped(planned[0].Path!)}'"));
            }
        }
    }

    /// <summary>
    /// Writes a command's main result with <paramref name="save"/>. When that fails (the disk filled up, the folder went
    /// away or changed permissions during the run) the result is not lost: <paramref name="rescue"/> writes it to the
    /// first place that takes it (in <paramref name="checkpointFolder"/>, beside the output as
    /// <c>OUTPUT.rescued-PID</c>, in the temporary folder) and the error says where, and how to use it.
    /// </summary>
    /// <param name="option">The option that named <paramref name="path"/>, e.g. <c>--output</c>.</param>
    /// <param name="path">The output as the user typed it.</param>
    /// <param name="save">Writes the result to a path.</param>
    /// <param name="rescue">Writes the whole result (natively) to a path.</param>
    /// <param name="howToUse">What to do with the rescued file, given its path, e.g. the <c>convert</c> command that makes the output of it.</param>
    /// <param name="checkpointFolder">The run's checkpoint folder, if any: bulky state is expected there.</param>
    /// <exception cref="IOException">The output could not be written; the message says why and where the result is.</exception>
    public static void WriteMain(string option, string path, Action<string> save, Action<string> rescue, Func<string, string> howToUse, string? checkpointFolder = null)
    {
        try
        {
            save(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            string name = $"{Path.GetFileName(path)}.rescued-{Environment.ProcessId}";
            string?[] places = [checkpointFolder is null ? null : Path.Combine(checkpointFolder, name), path + $".rescued-{Environment.ProcessId}", Path.Combine(Path.GetTempPath(), name)];
            string cause = CommandRunner.Describe(failure).TrimEnd('.');
            string reason = cause.StartsWith("cannot write", StringComparison.OrdinalIgnoreCase)
                ? $"c{cause[1..]}" // the cause names the file already (a system error through AtomicFile)
                : $"cannot write {option}: {cause}";
            foreach (string? place in places)
            {
                if (place is not null && TryWrite(rescue, place))
                {
                    throw new IOException($"{reason}; the result is saved in '{place}' instead: {howToUse(place)}", failure);
                }
            }

            throw new IOException($"{reason}; nor could a copy of the result be saved beside it or in the temporary folder", failure);
        }
    }

    private static bool TryWrite(Action<string> write, string path)
    {
        try
        {
            write(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Whether a file can be created in <paramref name="folder"/> (tried, then removed), and the disk there is not full.</summary>
    private static string? WriteProblem(string option, string path, string folder, string folderAsTyped)
    {
        string probe = Path.Combine(folder, $".embeddings-write-check-{Environment.ProcessId}.tmp");
        try
        {
            using (new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose))
            {
                // Created, and removed on close.
            }
        }
        catch (UnauthorizedAccessException)
        {
            return $"cannot write {option} '{path}': no permission to create files in '{folderAsTyped}'";
        }
        catch (IOException e)
        {
            return $"cannot write {option} '{path}': {CommandRunner.SystemReason(e.Message)}"; // e.g. a read-only file system
        }

        long free = FreeBytes(folder);
        return free < MinimumFreeBytes
            ? string.Create(CultureInfo.InvariantCulture, $"cannot write {option} '{path}': the disk is full ({Size(free)} free in '{folderAsTyped}')")
            : null;
    }

    /// <summary>The bytes free to this user on the volume of <paramref name="folder"/>; <see cref="long.MaxValue"/> when the system does not say.</summary>
    private static long FreeBytes(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }

    private static string AsTyped(string path) => Path.GetDirectoryName(path) is { Length: > 0 } folder ? folder : ".";

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F1} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:F0} KB"),
    };
}

/// <summary>A file a command will write and about how large it will be, for <see cref="OutputCheck.RequireSpace"/>.</summary>
/// <param name="Option">The option that named it, e.g. <c>--output</c>.</param>
/// <param name="Path">The path as typed; <see langword="null"/> when the option was not given.</param>
/// <param name="Bytes">The estimated size (a low estimate: a refusal must be sure).</param>
internal readonly record struct PlannedOutput(string Option, string? Path, long Bytes)
{
    /// <summary>
    /// The size of word vectors in a file: binary and native formats hold 4 bytes a number, the text formats about 9
    /// characters; each word's bytes and a separator come on top.
    /// </summary>
    public static long VectorBytes(IReadOnlyList<string> words, int dimensions, bool text)
    {
        long wordBytes = 0;
        foreach (string word in words)
        {
            wordBytes += System.Text.Encoding.UTF8.GetByteCount(word) + 2;
        }

        return wordBytes + (long)words.Count * dimensions * (text ? 9 : 4);
    }
}
