using System.Diagnostics;
using Embeddings.Core.IO;
using Embeddings.Core.Training;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.IO;

public class CheckpointLockTests
{
    private static string LockFile(TempDirectory folder) => folder.File(CheckpointLock.FileName);

    /// <summary>The id of a process that has ended.</summary>
    private static int ExitedProcessId()
    {
        using var process = Process.Start("true")!;
        process.WaitForExit();
        return process.Id;
    }

    [Fact]
    public void Acquire_FreeFolder_WritesTheRunAndDisposeRemovesIt()
    {
        using var folder = new TempDirectory();

        using (CheckpointLock taken = CheckpointLock.Acquire(folder.Path))
        {
            CheckpointRun holder = CheckpointLock.Holder(folder.Path)!;
            holder.Should().Be(taken.Run);
            holder.ProcessId.Should().Be(Environment.ProcessId);
            holder.Host.Should().Be(Environment.MachineName);
            holder.IsRunning.Should().BeTrue();
            taken.TakenOverFrom.Should().BeNull();
        }

        File.Exists(LockFile(folder)).Should().BeFalse();
        CheckpointLock.Holder(folder.Path).Should().BeNull();
    }

    [Fact]
    public void Acquire_FolderInUse_ThrowsNamingTheRunThatHoldsIt()
    {
        using var folder = new TempDirectory();
        using CheckpointLock first = CheckpointLock.Acquire(folder.Path);

        Action second = () => CheckpointLock.Acquire(folder.Path);

        second.Should().Throw<IOException>().WithMessage(
            $"'{folder.Path}' is in use by run {first.Run.RunId} (process {Environment.ProcessId} on {Environment.MachineName}, started *; wait for that run to end, stop it, or choose another checkpoint folder.");
        CheckpointLock.Holder(folder.Path).Should().Be(first.Run, "the failed attempt leaves the lock alone");
    }

    [Fact]
    public void Acquire_StaleLockOfAnEndedProcess_IsTakenOverAndTheKilledRunsTemporaryFilesRemoved()
    {
        using var folder = new TempDirectory();
        int ended = ExitedProcessId();
        var killed = new CheckpointRun("killed", ended, Environment.MachineName, DateTimeOffset.UtcNow, "embeddings train");
        File.WriteAllText(LockFile(folder), killed.ToFileText());
        string leftover = folder.File($".word2vec.checkpoint.abcdefgh.{ended}.tmp");
        File.WriteAllText(leftover, "half");

        using CheckpointLock taken = CheckpointLock.Acquire(folder.Path);

        taken.TakenOverFrom.Should().Be(killed);
        CheckpointLock.Holder(folder.Path).Should().Be(taken.Run);
        File.Exists(leftover).Should().BeFalse();
    }

    [Fact]
    public void Acquire_LockOfAnotherMachine_IsNeverTakenOver()
    {
        using var folder = new TempDirectory();
        var elsewhere = new CheckpointRun("remote", ExitedProcessId(), "another-machine", DateTimeOffset.UtcNow, "embeddings train");
        File.WriteAllText(LockFile(folder), elsewhere.ToFileText());

        Action acquire = () => CheckpointLock.Acquire(folder.Path);

        acquire.Should().Throw<IOException>().WithMessage("*in use by run remote (process * on another-machine*");
    }

    [Fact]
    public void Acquire_UnreadableLockFile_CountsAsInUse()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(LockFile(folder), "");

        Action acquire = () => CheckpointLock.Acquire(folder.Path);

        acquire.Should().Throw<IOException>().WithMessage("*in use by run ?*");
    }

    [Fact]
    public void Word2VecTrain_CheckpointFolderInUse_FailsBeforeTraining_AndReleasesItsOwnLockAfterwards()
    {
        using var folder = new TempDirectory();
        List<IReadOnlyList<string>> sentences = [.. Enumerable.Repeat<IReadOnlyList<string>>(["a", "b", "c", "d"], 50)];
        Word2VecTrainer trainer = Word2Vec.CreateBuilder().Dimensions(4).MinCount(1).Epochs(2).Threads(1).Checkpoints(folder.Path).Build();

        using (CheckpointLock.Acquire(folder.Path))
        {
            Action train = () => trainer.Train(sentences);
            train.Should().Throw<IOException>().WithMessage("*is in use by run*");
        }

        trainer.Train(sentences).Vectors.Count.Should().Be(4);
        File.Exists(LockFile(folder)).Should().BeFalse("the run released the folder when it ended");
        File.Exists(folder.File(Word2VecCheckpoint.FileName)).Should().BeTrue();
    }

    [Fact]
    public void RemoveStale_KeepsLiveProcessesFilesAndOtherNames()
    {
        using var folder = new TempDirectory();
        int ended = ExitedProcessId();
        string stale = folder.File($".v.bin.abcdefgh.{ended}.tmp"), live = TemporaryFile.PathFor(folder.File("v.bin"));
        string otherTarget = folder.File($".w.bin.abcdefgh.{ended}.tmp"), notOurs = folder.File($".v.bin.{ended}.swp"), userFile = folder.File("notes.tmp");
        foreach (string path in new[] { stale, live, otherTarget, notOurs, userFile })
        {
            File.WriteAllText(path, "x");
        }

        TemporaryFile.RemoveStale(folder.Path, "v.bin").Should().Equal(stale);
        TemporaryFile.RemoveStale(folder.Path).Should().Equal(otherTarget);

        Directory.GetFiles(folder.Path).Should().BeEquivalentTo([live, notOurs, userFile]);
        Path.GetFileName(live).Should().MatchRegex($@"^\.v\.bin\.[a-z0-9]+\.{Environment.ProcessId}\.tmp$");
    }
}
