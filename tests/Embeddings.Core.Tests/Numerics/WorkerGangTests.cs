using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.Numerics;

public class WorkerGangTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Run_EveryWorkerRunsOnce(int workers)
    {
        using var gang = new WorkerGang(workers);
        int[] runs = new int[workers];

        gang.Run(i => Interlocked.Increment(ref runs[i]));

        runs.Should().AllBeEquivalentTo(1);
    }

    [Fact]
    public void Run_Failure_IsRethrownOnTheCaller()
    {
        using var gang = new WorkerGang(2);

        Action run = () => gang.Run(i => throw new InvalidOperationException($"worker {i}"));

        run.Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void RunWithMonitor_MonitorsUntilTheWorkersFinish()
    {
        using var gang = new WorkerGang(2);
        using var release = new ManualResetEventSlim();
        int[] runs = new int[2];
        int monitored = 0;

        gang.Run(
            i =>
            {
                release.Wait();
                Interlocked.Increment(ref runs[i]);
            },
            () =>
            {
                // The workers are held until the monitor has run a few times on the calling thread.
                if (++monitored == 3)
                {
                    release.Set();
                }
            },
            TimeSpan.FromMilliseconds(1));

        runs.Should().Equal(1, 1);
        monitored.Should().BeGreaterThanOrEqualTo(3);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(1, 10)]
    [InlineData(3, 1)]
    [InlineData(3, 1000)]
    public void For_RunsEveryItemOnce_AndTicksOnTheCaller(int workers, int count)
    {
        using var gang = new WorkerGang(workers);
        int[] runs = new int[count];
        int caller = Environment.CurrentManagedThreadId;
        bool ticksOnCaller = true;

        gang.For(count, (item, worker) => Interlocked.Increment(ref runs[item]), () => ticksOnCaller &= Environment.CurrentManagedThreadId == caller);

        runs.Should().AllBeEquivalentTo(1);
        ticksOnCaller.Should().BeTrue();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void For_RunsEveryItemOnceAndTicksOnTheCallingThread(int workers)
    {
        using var gang = new WorkerGang(workers);
        var runs = new int[100];
        var workersSeen = new int[workers];
        int callingThread = Environment.CurrentManagedThreadId;
        var tickThreads = new HashSet<int>();

        gang.For(
            runs.Length,
            (item, worker) =>
            {
                Interlocked.Increment(ref runs[item]);
                Interlocked.Increment(ref workersSeen[worker]);
            },
            () => tickThreads.Add(Environment.CurrentManagedThreadId),
            CancellationToken.None);

        runs.Should().AllSatisfy(count => count.Should().Be(1));
        workersSeen.Sum().Should().Be(runs.Length);
        tickThreads.Should().Equal(callingThread);
    }

    [Fact]
    public void For_AFailingItem_IsRethrownOnTheCallingThread()
    {
        using var gang = new WorkerGang(3);

        Action run = () => gang.For(
            50,
            (item, _) =>
            {
                if (item == 17)
                {
                    throw new InvalidOperationException("item 17");
                }
            },
            tick: null,
            CancellationToken.None);

        run.Should().Throw<InvalidOperationException>().WithMessage("item 17");
    }

    [Fact]
    public void For_Cancelled_Throws()
    {
        using var gang = new WorkerGang(2);
        using var cancellation = new CancellationTokenSource();

        Action run = () => gang.For(1000, (item, _) => cancellation.Cancel(), tick: null, cancellation.Token);

        run.Should().Throw<OperationCanceledException>();
    }
}
