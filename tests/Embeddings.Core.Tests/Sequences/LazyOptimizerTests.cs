using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>The lazy (sparse) update of <see cref="Optimizer.LazyTouchedRows"/> against the dense one, one step from the same state.</summary>
public class LazyOptimizerTests
{
    private const int Rows = EmbeddingTableCases.Rows, Columns = EmbeddingTableCases.Columns;

    public static TheoryData<string> Kinds => ["adam", "adam+l2", "adamw", "sgd+momentum"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LazyStep_TouchedRowsEqualTheDenseStep_UntouchedRowsKeepWeightsAndState(string kind)
    {
        OptimizerOptions options = EmbeddingTableCases.Options(kind);
        (Optimizer dense, Parameter denseTable) = EmbeddingTableCases.Create(options, trackRows: false);
        (Optimizer lazy, Parameter lazyTable) = EmbeddingTableCases.Create(options, trackRows: true, lazy: true);
        float[] weightsBefore = [.. lazyTable.Value];
        float[][] stateBefore = [.. lazy.State.Select(s => s.ToArray())];

        int[] ids = [6, 2, 6, 4];
        foreach ((Optimizer optimizer, Parameter table) in new[] { (dense, denseTable), (lazy, lazyTable) })
        {
            table.ClearGradient();
            new EmbeddingLayer(table).Backward(ids, GradientCheck.Uniform(ids.Length * Columns, 1f, seed: 5), ids.Length, 1);
            ReplicaGradients.MergeTouchedRows([[table]]);
            optimizer.BeginStep(0.01);
            ReplicaGradients.Update(optimizer, [table], workers: 2, worker: 0, clipScale: 1f);
            ReplicaGradients.Update(optimizer, [table], workers: 2, worker: 1, clipScale: 1f);
        }

        for (int row = 0; row < Rows; row++)
        {
            Range cells = (row * Columns)..((row + 1) * Columns);
            if (ids.Contains(row))
            {
                lazyTable.Value[cells].Should().Equal(denseTable.Value[cells], $"row {row} was touched");
                for (int s = 0; s < lazy.State.Length; s++)
                {
                    lazy.State[s][cells].Should().Equal(dense.State[s][cells], $"row {row}'s state {s}");
                }
            }
            else
            {
                lazyTable.Value[cells].Should().Equal(weightsBefore[cells], $"row {row} was not touched");
                denseTable.Value[cells].Should().NotEqual(weightsBefore[cells], "the dense step moves every row (its moments or decay)");
                for (int s = 0; s < lazy.State.Length; s++)
                {
                    lazy.State[s][cells].Should().Equal(stateBefore[s][cells], $"row {row}'s state {s} does not decay");
                }
            }
        }
    }

    [Fact]
    public void PlainSgd_SkipsUntouchedRowsEvenWhenNotLazy_WithTheDenseResult()
    {
        (Optimizer tracked, Parameter trackedTable) = EmbeddingTableCases.Create(OptimizerOptions.Sgd(0.1), trackRows: true);
        var denseTable = new Parameter("embedding.weight", Rows, Columns);
        trackedTable.Value.CopyTo(denseTable.Value, 0);
        var dense = new Optimizer(OptimizerOptions.Sgd(0.1), [denseTable]);
        tracked.SkipsUntouchedRows(0).Should().BeTrue();
        dense.SkipsUntouchedRows(0).Should().BeFalse();

        int[] ids = [1, 7];
        float[] gradient = GradientCheck.Uniform(ids.Length * Columns, 1f, seed: 9);
        foreach ((Optimizer optimizer, Parameter table) in new[] { (tracked, trackedTable), (dense, denseTable) })
        {
            new EmbeddingLayer(table).Backward(ids, gradient, ids.Length, 1);
            ReplicaGradients.MergeTouchedRows([[table]]);
            optimizer.BeginStep(0.1);
            ReplicaGradients.Update(optimizer, [table], workers: 1, worker: 0, clipScale: 1f);
        }

        trackedTable.Value.Should().Equal(denseTable.Value);
    }
}
