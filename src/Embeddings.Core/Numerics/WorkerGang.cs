namespace Embeddings.Core.Numerics;

/// <summary>
/// A fixed gang of threads that run one phase of work together, each on its own part, and return when all are done:
/// the calling thread is worker 0. Meant for many short phases (a few per minibatch), where starting tasks would cost
/// more than the work; with one worker it runs the phase inline.
/// </summary>
/// <remarks>
/// <para>Which worker gets which part is fixed by its index, so a phase that writes disjoint parts is deterministic.</para>
/// <para>
/// Between phases the workers spin for about a tenth of a millisecond before they sleep, and the caller spins while it
/// waits: phases of a millisecond or two then start and end without a trip through the scheduler, whose wake-up
/// latency (up to a time slice when the machine is busy) would otherwise cost as much as the phase.
/// </para>
/// </remarks>
internal sealed class WorkerGang : IDisposable
{
    private const int SpinRounds = 200;

    private readonly Thread[] _threads;
    private readonly object _gate = new();
    private Action<int>? _work;
    private Exception? _failure;
    private long _generation;   // advanced by the caller to start a phase
    private int _pending;       // helper threads still running the current phase
    private volatile bool _stopping;

    /// <summary>Starts <paramref name="workers"/> − 1 background threads.</summary>
    public WorkerGang(int workers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        Workers = workers;
        _threads = new Thread[workers - 1];
        for (int t = 0; t < _threads.Length; t++)
        {
            int index = t + 1;
            _threads[t] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"worker gang {index}" };
            _threads[t].Start();
        }
    }

    /// <summary>The number of workers, the caller included.</summary>
    public int Workers { get; }

    /// <summary>Runs <paramref name="work"/>(i) for every worker i at once and returns when all have finished; rethrows the first failure.</summary>
    public void Run(Action<int> work)
    {
        if (_threads.Length == 0)
        {
            work(0);
            return;
        }

        ObjectDisposedException.ThrowIf(_stopping, this);
        _work = work;
        _failure = null;
        Volatile.Write(ref _pending, _threads.Length);
        lock (_gate)
        {
            _generation++;
            Monitor.PulseAll(_gate);
        }

        try
        {
            work(0);
        }
        finally
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        if (_failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>Stops and joins the threads.</summary>
    public void Dispose()
    {
        if (_threads.Length == 0 || _stopping)
        {
            return;
        }

        lock (_gate)
        {
            _stopping = true;
            _generation++;
            Monitor.PulseAll(_gate);
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }
    }

    private void Loop(int index)
    {
        long seen = 0;
        while (true)
        {
            seen = WaitForPhase(seen);
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

            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Spins briefly for the next phase, then sleeps until it is announced; returns its generation.</summary>
    private long WaitForPhase(long seen)
    {
        for (int round = 0; round < SpinRounds; round++)
        {
            long generation = Volatile.Read(ref _generation);
            if (generation != seen)
            {
                return generation;
            }

            Thread.SpinWait(20);
        }

        lock (_gate)
        {
            while (_generation == seen)
            {
                Monitor.Wait(_gate);
            }

            return _generation;
        }
    }
}
