using Embeddings.Core.Numerics;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Runs numbered work items on the workers of a <see cref="WorkerGang"/>: each worker claims the next unclaimed item
/// until none is left, so items of uneven cost balance out. The caller's thread (worker 0) alone runs the
/// <c>tick</c> callback between its items, so progress is reported from one thread.
/// </summary>
/// <remarks>
/// The results of the count-based pipeline never depend on which worker ran an item: every item writes its own
/// output, and reductions are done afterwards in item order.
/// </remarks>
internal static class ParallelWork
{
    /// <summary>Runs <paramref name="body"/>(item, worker) for every item in [0, <paramref name="count"/>).</summary>
    /// <param name="gang">The workers.</param>
    /// <param name="count">Number of items.</param>
    /// <param name="body">The work; receives the item and the worker index (0 ≤ worker &lt; <see cref="WorkerGang.Workers"/>), for per-worker scratch.</param>
    /// <param name="tick">Called on the caller's thread after each of its items; may be <see langword="null"/>.</param>
    /// <param name="cancellationToken">Checked before each item.</param>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public static void For(WorkerGang gang, int count, Action<int, int> body, Action? tick, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (count <= 0)
        {
            return;
        }

        int next = -1;
        bool failed = false;
        gang.Run(worker =>
        {
            try
            {
                // After a failure the other workers stop claiming; the gang rethrows the first failure.
                while (!Volatile.Read(ref failed) && !cancellationToken.IsCancellationRequested)
                {
                    int item = Interlocked.Increment(ref next);
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
            catch
            {
                Volatile.Write(ref failed, true);
                throw;
            }
        });

        cancellationToken.ThrowIfCancellationRequested();
    }
}
