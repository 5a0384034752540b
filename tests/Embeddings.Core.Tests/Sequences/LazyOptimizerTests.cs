using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>The lazy (sparse) update of <see cref="Optimizer.LazyTouchedRows"/> against the dense one, one step from the same state.</summary>
public class LazyOptimizerTests
{
    private const int Rows = 9, Columns = 11; // 11 columns: each row has a vector part and a scalar tail

    public static TheoryData<string> Kinds => ["adam", "adam+l2", "adamw", "sgd+momentum"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LazyStep_TouchedRowsEqualTheDenseStep_UntouchedRowsKeepWeightsAndState(string kind)
    {
        OptimizerOptions options = kind switch
        {
            "adam" => OptimizerOptions.Adam(0.01),
            "adam+l2" => OptimizerOptions.Adam(0.01, weightDecay: 0.1),
            "adamw" => OptimizerOptions.AdamW(0.01, weightDecay: 0.1),
            _ => OptimizerOptions.Sgd(0.1, momentum: 0.9),
        };
        (Optimizer dense, Parameter denseTable) = Create(options, lazy: false, trackRows: false);
        (Optimizer lazy, Parameter lazyTable) = Create(options, lazy: true, trackRows: true);
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
        (Optimizer tracked, Parameter trackedTable) = Create(OptimizerOptions.Sgd(0.1), lazy: false, trackRows: true);
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

    /// <summary>An embedding table (tracking its rows or not), with weights and an optimiser state that are not zero (as after some steps).</summary>
    private static (Optimizer Optimizer, Parameter Table) Create(OptimizerOptions options, bool lazy, bool trackRows)
    {
        var table = new Parameter("embedding.weight", Rows, Columns);
        if (trackRows)
        {
            table.WithRowTracking();
        }

        GradientCheck.Uniform(table.Length, 1f, seed: 1).CopyTo(table.Value, 0);
        var optimizer = new Optimizer(options, [table], lazy) { Steps = 3 };
        for (int s = 0; s < optimizer.State.Length; s++)
        {
            float[] values = GradientCheck.Uniform(table.Length, 0.1f, seed: 2 + (ulong)s);
            for (int i = 0; i < values.Length; i++)
            {
                // Adam's second moment is a mean of squares: not negative.
                optimizer.State[s][i] = options.Kind != OptimizerKind.Sgd && s == 1 ? MathF.Abs(values[i]) : values[i];
            }
        }

        return (optimizer, table);
    }
}
