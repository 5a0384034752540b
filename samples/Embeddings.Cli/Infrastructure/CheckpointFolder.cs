using System.CommandLine;
using Embeddings.Core.IO;

namespace Embeddings.Cli.Infrastructure;

/// <summary>
/// The checkpoint folder of <c>train</c> and <c>lm-train</c>: which folder a run checkpoints into, the checks made
/// before any work (another run using it, another run's checkpoint in it), and the line that says where the checkpoint
/// is when a run is stopped. The lock itself is the library's <see cref="CheckpointLock"/>, which the trainers hold
/// while they train.
/// </summary>
internal static class CheckpointFolder
{
    /// <summary><c>--overwrite</c>: a new run may replace another run's checkpoint in its folder.</summary>
    public static Option<bool> OverwriteOption() => new("--overwrite")
    {
        Description = "Start afresh in a checkpoint folder that holds another run's checkpoint (it is replaced)",
    };

    /// <summary>
    /// The folder a run checkpoints into: <paramref name="checkpoint"/> when given, else the folder <paramref name="resume"/>
    /// read from (a folder, or a checkpoint file of the standard name), so that a resumed run goes on checkpointing
    /// where it was; <see langword="null"/> for none (resuming from a saved model).
    /// </summary>
    public static string? Resolve(string? checkpoint, string? resume, string checkpointFileName) =>
        checkpoint ?? ResumedFolder(resume, checkpointFileName);

    /// <summary>
    /// Checks <paramref name="folder"/> before the work: a folder another run holds fails now with one line naming that
    /// run; a killed run's lock is taken over with a note; and a new run (not resuming from this folder) refuses a
    /// folder that holds a checkpoint unless <paramref name="overwrite"/>. The trainer takes the lock again when it
    /// starts, so a run that took the folder meanwhile is still found.
    /// </summary>
    public static void Check(string folder, string checkpointFileName, string? resume, bool overwrite)
    {
        using (CheckpointLock taken = CheckpointLock.Acquire(folder))
        {
            if (taken.TakenOverFrom is { } stale)
            {
                Console.Error.WriteLine($"note: '{folder}' was locked by {stale}, which no longer runs; taking it over");
            }
        }

        string existing = Path.Combine(folder, checkpointFileName);
        bool resumingHere = ResumedFolder(resume, checkpointFileName) is { } resumed && SameFolder(resumed, folder);
        if (File.Exists(existing) && !resumingHere && !overwrite)
        {
            throw new IOException(
                $"'{folder}' holds the checkpoint of another run ('{existing}'): continue it with --resume {folder}, pass --overwrite to start afresh there, or choose another folder");
        }
    }

    /// <summary>Runs the training; when it is stopped, says where its checkpoint is and how to continue it.</summary>
    public static T Report<T>(string? folder, string checkpointFileName, Func<T> train)
    {
        try
        {
            return train();
        }
        catch (OperationCanceledException) when (folder is not null && File.Exists(Path.Combine(folder, checkpointFileName)))
        {
            Console.Error.WriteLine($"checkpoint written to '{folder}': continue with --resume {folder}");
            throw;
        }
    }

    private static string? ResumedFolder(string? resume, string checkpointFileName) => resume switch
    {
        null => null,
        _ when Directory.Exists(resume) => resume,
        _ when Path.GetFileName(resume) == checkpointFileName => Path.GetDirectoryName(Path.GetFullPath(resume)),
        _ => null,
    };

    private static bool SameFolder(string a, string b) =>
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)) == Path.TrimEndingDirectorySeparator(Path.GetFullPath(b));
}
