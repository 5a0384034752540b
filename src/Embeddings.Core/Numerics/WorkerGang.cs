namespace Embeddings.Core.Numerics;

/// <summary>
/// The library's worker pool: a fixed gang of threads that run one phase of work together, each on its own part, and
/// return when all are done; the calling thread is worker 0. Meant for many short phases (a few per minibatch), where
/// starting tasks would cost more than the work, and equally for one long phase (a word2vec epoch's Hogwild workers,
/// see <see cref="Run(Action{int}, Action, TimeSpan)"/>); with one worker it runs the phase inline.
/// </summary>
/// <remarks>
/// <para>
/// Three ways to split the work: <see cref="Run(Action{int})"/> gives each worker its index (fixed parts, such as
/// <see cref="MatrixProduct.Partition"/>'s rows); <see cref="For"/> hands out numbered items in increasing order to
/// whichever worker is free (uneven items); <see cref="Run(Action{int}, Action, TimeSpan)"/> leaves the calling thread
/// free to report progress while the workers run.
/// </para>
/// <para>Which worker gets which part is fixed by its index, so a phase that writes disjoint parts is deterministic.</para>
/// <para>
/// Between phases the workers spin for about a tenth of a millisecond before they sleep, and the caller spins while it
/// waits: phases of a millisecond or two then start and end without a trip through the scheduler, whose wake-up
/// latency (up to a time slice when the machine is busy) would otherwise cost as much as the phase.
/// </para>
/// </remarks>
public sealed class WorkerGang : IDisposable
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
    /// <param name="workers">The number of workers, the calling thread included; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="workers"/> is less than 1.</exception>
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
    /// <value>At least 1.</value>
    public int Workers { get; }

    /// <summary>Runs <paramref name="work"/>(i) for every worker i at once and returns when all have finished; rethrows the first failure.</summary>
    /// <param name="work">The phase; receives the worker index, 0 ≤ i &lt; <see cref="Workers"/> (0 on the calling thread).</param>
    /// <exception cref="ObjectDisposedException">The gang was disposed.</exception>
    public void Run(Action<int> work)
    {
        ArgumentNullException.ThrowIfNull(work);
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

    /// <summary>
    /// Runs <paramref name="work"/>(i) for every worker i as <see cref="Run(Action{int})"/> does, but worker 0 runs on
    /// a thread of its own while the calling thread calls <paramref name="monitor"/> every <paramref name="interval"/>
    /// until all have finished: for long phases whose progress is reported, from one thread, as they run.
    /// </summary>
    /// <param name="work">The phase; receives the worker index, 0 ≤ i &lt; <see cref="Workers"/>.</param>
    /// <param name="monitor">Called on the calling thread while the workers run (not after they finish).</param>
    /// <param name="interval">The time between calls of <paramref name="monitor"/>.</param>
    /// <exception cref="ObjectDisposedException">The gang was disposed.</exception>
    public void Run(Action<int> work, Action monitor, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(monitor);
        Exception? failure = null;
        var first = new Thread(() =>
        {
            try
            {
                Run(work);
            }
            catch (Exception e)
            {
                failure = e;
            }
        })
        { IsBackground = true, Name = "worker gang 0" };
        first.Start();
        while (!first.Join(interval))
        {
            monitor();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/>(item, worker) for every item in [0, <paramref name="count"/>): each free worker
    /// claims the next item in increasing order, so uneven items balance; the calling thread alone calls
    /// <paramref name="tick"/> after each of its items (progress from one thread).
    /// </summary>
    /// <remarks>Which worker runs an item varies from run to run: results must not depend on it (write per item, reduce afterwards in item order).</remarks>
    /// <param name="count">The number of items.</param>
    /// <param name="body">The work; receives the item and the worker index, for per-worker scratch.</param>
    /// <param name="tick">Called on the calling thread after each of its items (once at the end if it ran none); may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before each item.</param>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    /// <exception cref="ObjectDisposedException">The gang was disposed.</exception>
    public void For(int count, Action<int, int> body, Action? tick = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        cancellationToken.ThrowIfCancellationRequested();
        if (count <= 0)
        {
            return;
        }

        int next = -1;
        bool failed = false;
        Run(worker =>
        {
            try
            {
                // After a failure the other workers stop claiming; Run rethrows the first failure.
                int item;
                bool ticked = false;
                while (!Volatile.Read(ref failed) && !cancellationToken.IsCancellationRequested && (item = Interlocked.Increment(ref next)) < count)
                {
                    body(item, worker);
                    if (worker == 0)
                    {
                        tick?.Invoke();
                        ticked = true;
                    }
                }

                // A busy machine may let the helpers take every item before the caller gets one: it still reports once.
                if (worker == 0 && !ticked)
                {
                    tick?.Invoke();
                }
            }
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
        });
        cancellationToken.ThrowIfCancellationRequested();
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
