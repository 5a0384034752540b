using System.Numerics.Tensors;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The two phases of an optimiser step that training workers share after each has accumulated the gradients of its
/// part of a batch on its own replica: sum the replicas' gradients (worker w sums slice w of every parameter, in
/// replica order, into replica 0's) and update the weights (worker w updates the same slice and refreshes its
/// columns of the transposed copy). The arithmetic of an element does not depend on the number of workers.
/// </summary>
/// <remarks>
/// A parameter that tracks its touched rows (<see cref="Parameter.Touched"/>, an embedding table) is summed over
/// those rows only, after <see cref="MergeTouchedRows"/> has listed in replica 0 every row any replica touched: the
/// other rows of every replica are zero, so each element's sum is the dense one bit for bit (a gradient that starts at
/// +0 is never −0, and x + 0 = x). Its update visits only those rows: the others' update is a no-op, asked to be lazy
/// (<see cref="Optimizer.SkipsUntouchedRows"/>), or deferred until they are read (<see cref="Optimizer.DefersUntouchedRows"/>).
/// </remarks>
internal static class ReplicaGradients
{
    /// <summary>Part <paramref name="part"/> of [0, <paramref name="length"/>) split into <paramref name="parts"/> contiguous parts.</summary>
    public static (int Start, int Count) Split(int length, int parts, int part)
    {
        int start = (int)((long)length * part / parts);
        return (start, (int)((long)length * (part + 1) / parts) - start);
    }

    /// <summary>
    /// Lists in each row-tracking parameter of replica 0 the rows any replica touched, in ascending order. Call once
    /// per step on one thread, after every replica's backward pass and before <see cref="Sum"/>.
    /// </summary>
    public static void MergeTouchedRows(Parameter[][] gradients)
    {
        Parameter[] master = gradients[0];
        for (int i = 0; i < master.Length; i++)
        {
            if (master[i].Touched is { } touched)
            {
                for (int r = 1; r < gradients.Length; r++)
                {
                    touched.Add(gradients[r][i].Touched!);
                }

                touched.Sort();
            }
        }
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
            if (master[i].Touched is { } touched)
            {
                sum += SumTouched(gradients, i, touched, workers, worker, squares);
                continue;
            }

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
            if (master[i].Touched is { } touched)
            {
                // The untouched rows' update is skipped, or deferred until they are read (Optimizer's remarks).
                UpdateTouched(optimizer, master[i], i, touched, workers, worker, clipScale);
                continue;
            }

            (int start, int count) = Slice(master[i], workers, worker);
            optimizer.Update(i, start, count, clipScale);
            (int rowStart, int rows) = Split(master[i].Rows, workers, worker);

            // The worker owns these rows: it refreshes their columns of the transposed copy the next pass reads.
            master[i].TransposeRows(rowStart, rows);
        }
    }

    /// <summary>The row-tracking form of <see cref="Sum"/> for parameter <paramref name="index"/>: replica 0's listed rows in worker <paramref name="worker"/>'s slice.</summary>
    private static double SumTouched(Parameter[][] gradients, int index, TouchedRows union, int workers, int worker, bool squares)
    {
        Parameter master = gradients[0][index];
        int columns = master.Columns;
        (int rowStart, int rows) = Split(master.Rows, workers, worker);
        int rowEnd = rowStart + rows;
        for (int r = 1; r < gradients.Length; r++)
        {
            float[] gradient = gradients[r][index].Gradient;
            foreach (int row in gradients[r][index].Touched!.Rows)
            {
                if (row >= rowStart && row < rowEnd)
                {
                    Span<float> total = master.Gradient.AsSpan(row * columns, columns);
                    TensorPrimitives.Add(total, gradient.AsSpan(row * columns, columns), total);
                }
            }
        }

        double sum = 0;
        if (squares)
        {
            // Ascending rows: the dense order, less the zeros.
            foreach (int row in union.Rows)
            {
                if (row >= rowStart && row < rowEnd)
                {
                    foreach (float g in master.Gradient.AsSpan(row * columns, columns))
                    {
                        sum += (double)g * g;
                    }
                }
            }
        }

        return sum;
    }

    /// <summary>Updates the listed rows of parameter <paramref name="index"/> in worker <paramref name="worker"/>'s slice, and their transposed columns.</summary>
    private static void UpdateTouched(Optimizer optimizer, Parameter parameter, int index, TouchedRows union, int workers, int worker, float clipScale)
    {
        int columns = parameter.Columns;
        (int rowStart, int rows) = Split(parameter.Rows, workers, worker);
        int rowEnd = rowStart + rows;
        foreach (int row in union.Rows)
        {
            if (row >= rowStart && row < rowEnd)
            {
                optimizer.UpdateRow(index, row, clipScale);
                parameter.TransposeRows(row, 1);
            }
        }
    }

    /// <summary>Worker <paramref name="worker"/>'s elements of <paramref name="parameter"/>: whole rows, so that it can also refresh their transposed columns.</summary>
    private static (int Start, int Count) Slice(Parameter parameter, int workers, int worker)
    {
        (int rowStart, int rows) = Split(parameter.Rows, workers, worker);
        return (rowStart * parameter.Columns, rows * parameter.Columns);
    }
}
