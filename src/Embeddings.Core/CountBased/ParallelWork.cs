using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Runs numbered work items on a fixed number of threads: the calling thread is worker 0 and
/// <c>threads − 1</c> dedicated threads join it. Items are claimed in increasing order. The caller's thread alone
/// runs the <c>tick</c> callback between its items, so progress is reported from one thread.
/// </summary>
/// <remarks>
/// The results of the count-based pipeline never depend on which worker ran an item: every item writes its own
/// output, and reductions are done afterwards in item order.
/// </remarks>
internal static class ParallelWork
{
    /// <summary>Runs <paramref name="body"/>(item, worker) for every item in [0, <paramref name="count"/>).</summary>
    /// <param name="count">Number of items.</param>
    /// <param name="threads">Number of workers, at least 1; never more than the items.</param>
    /// <param name="body">The work; receives the item and the worker index (0 ≤ worker &lt; threads), for per-worker scratch.</param>
    /// <param name="tick">Called on the caller's thread after each of its items; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before each item.</param>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public static void For(int count, int threads, Action<int, int> body, Action? tick, CancellationToken cancellationToken)
    {
        Debug.Assert(threads >= 1);
        cancellationToken.ThrowIfCancellationRequested();
        if (count <= 0)
        {
            return;
        }

        var state = new State(count, body, tick, cancellationToken);
        int workers = Math.Min(threads, count);
        var helpers = new Thread[workers - 1];
        for (int i = 0; i < helpers.Length; i++)
        {
            helpers[i] = new Thread(state.RunHelper) { IsBackground = true, Name = "Embeddings PPMI worker" };
            helpers[i].Start(i + 1);
        }

        state.Run(0);
        foreach (Thread helper in helpers)
        {
            helper.Join();
        }

        if (state.Failure is { } failure)
        {
            ExceptionDispatchInfo.Throw(failure);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private sealed class State(int count, Action<int, int> body, Action? tick, CancellationToken cancellationToken)
    {
        private int _next = -1;
        private Exception? _failure;

        public Exception? Failure => Volatile.Read(ref _failure);

        public void RunHelper(object? worker) => Run((int)worker!);

        public void Run(int worker)
        {
            try
            {
                while (Volatile.Read(ref _failure) is null && !cancellationToken.IsCancellationRequested)
                {
                    int item = Interlocked.Increment(ref _next);
                    if (item >= count)
                    {
                        return;
                    }

                    body(item, worker);
                    if (worker == 0)
                    {
                        tick?.Invoke();
                    }
                }
            }
#pragma warning disable CA1031 // The first failure of any worker is rethrown on the caller's thread.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
        }
    }
}
