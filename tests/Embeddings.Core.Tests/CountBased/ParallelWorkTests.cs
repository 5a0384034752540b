using Embeddings.Core.CountBased;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Tests.CountBased;

public class ParallelWorkTests
{
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

        ParallelWork.For(
            gang,
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

        Action run = () => ParallelWork.For(
            gang,
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

        Action run = () => ParallelWork.For(gang, 1000, (item, _) => cancellation.Cancel(), tick: null, cancellation.Token);

        run.Should().Throw<OperationCanceledException>();
    }
}
