using Embeddings.Core.Sequences;

namespace Embeddings.Core.Tests.Sequences;

/// <summary>The optimisers and the small embedding table that the lazy and deferred update tests compare against the dense update.</summary>
internal static class EmbeddingTableCases
{
    public const int Rows = 9, Columns = 11; // 11 columns: each row has a vector part and a scalar tail

    /// <summary>The optimiser named by a test case.</summary>
    public static OptimizerOptions Options(string kind) => kind switch
    {
        "adam" => OptimizerOptions.Adam(0.01),
        "adam+l2" => OptimizerOptions.Adam(0.01, weightDecay: 0.1),
        "adamw" => OptimizerOptions.AdamW(0.01, weightDecay: 0.1),
        "sgd+l2" => OptimizerOptions.Sgd(0.1, weightDecay: 0.01),
        "sgd+momentum" => OptimizerOptions.Sgd(0.1, momentum: 0.9),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "an optimiser case"),
    };

    /// <summary>An embedding table (tracking its rows or not), with weights and an optimiser state that are not zero, as after some steps.</summary>
    public static (Optimizer Optimizer, Parameter Table) Create(OptimizerOptions options, bool trackRows, bool lazy = false)
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
