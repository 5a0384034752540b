using System.Numerics.Tensors;

namespace Embeddings.Core.Sequences;

/// <summary>PyTorch's <c>nn.Embedding</c>: row <c>id</c> of a V × D table per input id; frozen (no gradient) or trainable.</summary>
internal sealed class EmbeddingLayer(Parameter table)
{
    public Parameter Table { get; } = table;

    public int Tokens => Table.Rows;

    public int Dimensions => Table.Columns;

    public EmbeddingLayer Replicate() => new(Table.Replica());

    /// <summary>Gathers the rows of <paramref name="ids"/> (B sequences × T steps, sequence-major) into time-major T·B × D.</summary>
    public void Forward(ReadOnlySpan<int> ids, Span<float> output, int steps, int batch)
    {
        int d = Dimensions;
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                Table.Value.AsSpan(ids[b * steps + t] * d, d).CopyTo(output.Slice((t * batch + b) * d, d));
            }
        }
    }

    /// <summary>
    /// Scatters ∂loss/∂output into the rows' gradients, in row order (PyTorch's <c>index_add</c>), and lists the rows
    /// when the table tracks them (<see cref="Parameter.WithRowTracking"/>). Nothing when frozen.
    /// </summary>
    public void Backward(ReadOnlySpan<int> ids, ReadOnlySpan<float> outputGradient, int steps, int batch)
    {
        if (!Table.Trainable)
        {
            return;
        }

        int d = Dimensions;
        TouchedRows? touched = Table.Touched;
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                int id = ids[b * steps + t];
                touched?.Add(id);
                Span<float> row = Table.Gradient.AsSpan(id * d, d);
                TensorPrimitives.Add(row, outputGradient.Slice((t * batch + b) * d, d), row);
            }
        }
    }
}
