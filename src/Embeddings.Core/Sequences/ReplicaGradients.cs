using System.Numerics.Tensors;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The two phases of an optimiser step that training workers share after each has accumulated the gradients of its
/// part of a batch on its own replica: sum the replicas' gradients (worker w sums slice w of every parameter, in
/// replica order, into replica 0's) and update the weights (worker w updates the same slice and refreshes its
/// columns of the transposed copy). The arithmetic of an element does not depend on the number of workers.
/// </summary>
internal static class ReplicaGradients
{
    /// <summary>Part <paramref name="part"/> of [0, <paramref name="length"/>) split into <paramref name="parts"/> contiguous parts.</summary>
    public static (int Start, int Count) Split(int length, int parts, int part)
    {
        int start = (int)((long)length * part / parts);
        return (start, (int)((long)length * (part + 1) / parts) - start);
    }

    /// <summary>
    /// Sums worker <paramref name="worker"/>'s slice of every gradient over <paramref name="gradients"/> (one array of
    /// trainable parameters per replica, in the optimiser's order) into the first replica's; returns the slice's sum
    /// of squares when <paramref name="squares"/> is set (for clipping by the global norm), else 0.
    /// </summary>
    public static double Sum(Parameter[][] gradients, int workers, int worker, bool squares)
    {
        double sum = 0;
        Parameter[] master = gradients[0];
        for (int i = 0; i < master.Length; i++)
        {
            (int start, int count) = Slice(master[i], workers, worker);
            Span<float> total = master[i].Gradient.AsSpan(start, count);
            for (int r = 1; r < gradients.Length; r++)
            {
                TensorPrimitives.Add(total, gradients[r][i].Gradient.AsSpan(start, count), total);
            }

            if (squares)
            {
                foreach (float g in total)
                {
                    sum += (double)g * g;
                }
            }
        }

        return sum;
    }

    /// <summary>Updates worker <paramref name="worker"/>'s slice of every parameter from the summed gradient, then its columns of the transposed copies.</summary>
    public static void Update(Optimizer optimizer, Parameter[] master, int workers, int worker, float clipScale)
    {
        for (int i = 0; i < master.Length; i++)
        {
            (int start, int count) = Slice(master[i], workers, worker);
            optimizer.Update(i, start, count, clipScale);
            (int rowStart, int rows) = Split(master[i].Rows, workers, worker);

            // The worker owns these rows: it refreshes their columns of the transposed copy the next pass reads.
            master[i].TransposeRows(rowStart, rows);
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s elements of <paramref name="parameter"/>: whole rows, so that it can also refresh their transposed columns.</summary>
    private static (int Start, int Count) Slice(Parameter parameter, int workers, int worker)
    {
        (int rowStart, int rows) = Split(parameter.Rows, workers, worker);
        return (rowStart * parameter.Columns, rows * parameter.Columns);
    }
}
