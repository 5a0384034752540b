namespace Embeddings.Core.Numerics;

/// <summary>
/// A fixed gang of threads that run one phase of work together, each on its own part, and return when all are done:
/// the calling thread is worker 0. Meant for many short phases (a few per minibatch), where starting tasks would cost
/// more than the work; with one worker it runs the phase inline.
/// </summary>
/// <remarks>Which worker gets which part is fixed by its index, so a phase that writes disjoint parts is deterministic.</remarks>
internal sealed class WorkerGang : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier? _start;
    private readonly Barrier? _done;
    private Action<int>? _work;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <summary>Starts <paramref name="workers"/> − 1 background threads.</summary>
    public WorkerGang(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        if (workers > 1)
        {
            _start = new Barrier(workers);
            _done = new Barrier(workers);
            for (int t = 0; t < _threads.Length; t++)
            {
                int index = t + 1;
                _threads[t] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"worker gang {index}" };
                _threads[t].Start();
            }
        }
    }

    /// <summary>The number of workers, the caller included.</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="work"/>(i) for every worker i at once and returns when all have finished; rethrows the first failure.</summary>
    public void Run(Action<int> work)
    {
        if (_start is null)
        {
            work(0);
            return;
        }

        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        _failure = null;
        _start.SignalAndWait();
        try
        {
            work(0);
        }
        finally
        {
            _done!.SignalAndWait();
        }

        if (_failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Stops and joins the threads.</summary>
    public void Dispose()
    {
        if (_start is null || _stopping)
        {
            return;
        }

        _stopping = true;
        _start.SignalAndWait();
        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        _start.Dispose();
        _done!.Dispose();
    }

    private void Loop(int index)
    {
        while (true)
        {
            _start!.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            try
            {
                _work!(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }

            _done!.SignalAndWait();
        }
    }
}
