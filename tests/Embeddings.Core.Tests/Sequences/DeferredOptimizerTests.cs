using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>
/// The deferred update of an embedding table's untouched rows (<see cref="Optimizer.DefersUntouchedRows"/>) against the
/// dense update of every row every step: the same weights and moments bit for bit, whenever a row is read.
/// </summary>
public class DeferredOptimizerTests
{
    private const int Rows = EmbeddingTableCases.Rows, Columns = EmbeddingTableCases.Columns;

    public static TheoryData<string> Kinds => ["adam", "adam+l2", "adamw", "sgd+momentum", "sgd+l2"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DeferredRows_EqualTheDenseRunBitForBit_WhenReadAndAtTheEnd(string kind)
    {
        OptimizerOptions options = EmbeddingTableCases.Options(kind);
        (Optimizer dense, Parameter denseTable) = EmbeddingTableCases.Create(options, trackRows: false);
        (Optimizer deferred, Parameter deferredTable) = EmbeddingTableCases.Create(options, trackRows: true);
        deferred.DefersUntouchedRows(0).Should().BeTrue();
        dense.DefersUntouchedRows(0).Should().BeFalse();

        // Row 8 is never read: it is brought up to date by the final catch-up alone.
        int[][] batches = [[6, 2, 6, 4], [1], [0, 7, 2], [3, 5], [5, 0, 1, 6, 7]];
        for (int step = 0; step < batches.Length; step++)
        {
            int[] ids = batches[step];
            foreach (int id in ids.Distinct())
            {
                deferred.CatchUp(0, id);
                Row(deferredTable.Value, id).Should().Equal(Row(denseTable.Value, id), $"row {id} is read at step {step}");
            }

            double rate = 0.01 * (step + 1); // a schedule: each replayed step needs its own rate
            foreach ((Optimizer optimizer, Parameter table) in new[] { (dense, denseTable), (deferred, deferredTable) })
            {
                table.ClearGradient();
                new EmbeddingLayer(table).Backward(ids, GradientCheck.Uniform(ids.Length * Columns, 1f, seed: 5 + (ulong)step), ids.Length, 1);
                ReplicaGradients.MergeTouchedRows([[table]]);
                optimizer.BeginStep(rate);
                ReplicaGradients.Update(optimizer, [table], workers: 2, worker: 0, clipScale: 1f);
                ReplicaGradients.Update(optimizer, [table], workers: 2, worker: 1, clipScale: 1f);
            }
        }

        Row(deferredTable.Value, 8).Should().NotEqual(Row(denseTable.Value, 8), "row 8's updates are still pending");
        deferred.CatchUpAll(workers: 2, worker: 1);
        deferred.CatchUpAll(workers: 2, worker: 0);
        deferred.EndDeferral();
        deferredTable.Value.Should().Equal(denseTable.Value);
        for (int s = 0; s < dense.State.Length; s++)
        {
            deferred.State[s].Should().Equal(dense.State[s], $"state buffer {s}");
        }
    }

    [Fact]
    public void AfterEndDeferral_ANewDeferralStartsFromTheStepCountSet()
    {
        (Optimizer dense, Parameter denseTable) = EmbeddingTableCases.Create(OptimizerOptions.AdamW(0.01, weightDecay: 0.1), trackRows: false);
        (Optimizer deferred, Parameter deferredTable) = EmbeddingTableCases.Create(OptimizerOptions.AdamW(0.01, weightDecay: 0.1), trackRows: true);

        // As after reading a checkpoint: the step count changes between deferrals.
        dense.Steps = deferred.Steps = 40;
        for (int step = 0; step < 3; step++)
        {
            foreach ((Optimizer optimizer, Parameter table) in new[] { (dense, denseTable), (deferred, deferredTable) })
            {
                table.ClearGradient();
                new EmbeddingLayer(table).Backward([step], GradientCheck.Uniform(Columns, 1f, seed: 11), 1, 1);
                ReplicaGradients.MergeTouchedRows([[table]]);
                optimizer.BeginStep(0.01);
                ReplicaGradients.Update(optimizer, [table], workers: 1, worker: 0, clipScale: 1f);
            }
        }

        deferred.CatchUpAll(workers: 1, worker: 0);
        deferred.EndDeferral();
        deferredTable.Value.Should().Equal(denseTable.Value);
        deferred.Steps.Should().Be(43);
    }

    private static float[] Row(float[] table, int row) => table[(row * Columns)..((row + 1) * Columns)];
}
