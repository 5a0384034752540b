using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Consecutive rows of a <see cref="CsrMatrix"/> in compressed sparse row form: local row <c>i</c> holds the entries
/// <c>RowPointers[i] ≤ k &lt; RowPointers[i + 1]</c>, at column <c>ColumnIndices[k]</c> with value <c>Values[k]</c>,
/// column indices increasing.
/// </summary>
internal sealed class CsrBlock
{
    public CsrBlock(int firstRow, int[] rowPointers, int[] columnIndices, float[] values)
    {
        Debug.Assert(rowPointers.Length >= 1 && rowPointers[0] == 0 && rowPointers[^1] == values.Length);
        Debug.Assert(columnIndices.Length == values.Length);
        FirstRow = firstRow;
        RowPointers = rowPointers;
        ColumnIndices = columnIndices;
        Values = values;
    }

    public int FirstRow { get; }

    public int RowCount => RowPointers.Length - 1;

    public int[] RowPointers { get; }

    public int[] ColumnIndices { get; }

    public float[] Values { get; }
}

/// <summary>
/// A sparse matrix as a sequence of <see cref="CsrBlock"/>s of consecutive rows. Built block by block by parallel
/// workers, so it is never copied into one array (and may hold more than 2³¹ entries). Immutable once built.
/// </summary>
internal sealed class CsrMatrix
{
    /// <summary>Work items of the products hold about this many stored entries.</summary>
    private const int EntriesPerWorkItem = 1 << 16;

    private readonly CsrBlock[] _blocks;
    private readonly (int Block, int Start, int End)[] _workItems;

    public CsrMatrix(int rows, int columns, CsrBlock[] blocks)
    {
        Rows = rows;
        Columns = columns;
        _blocks = blocks;
        long entries = 0;
        int nextRow = 0;
        var workItems = new List<(int, int, int)>();
        for (int b = 0; b < blocks.Length; b++)
        {
            CsrBlock block = blocks[b];
            Debug.Assert(block.FirstRow == nextRow);
            nextRow += block.RowCount;
            entries += block.Values.Length;
            int start = 0;
            for (int i = 0; i < block.RowCount; i++)
            {
                if (block.RowPointers[i + 1] - block.RowPointers[start] >= EntriesPerWorkItem || i + 1 - start >= 4096)
                {
                    workItems.Add((b, start, i + 1));
                    start = i + 1;
                }
            }

            if (start < block.RowCount)
            {
                workItems.Add((b, start, block.RowCount));
            }
        }

        Debug.Assert(nextRow == rows);
        NonZeros = entries;
        _workItems = [.. workItems];
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The number of stored entries.</summary>
    public long NonZeros { get; }

    public IReadOnlyList<CsrBlock> Blocks => _blocks;

    /// <summary>The entries of a dense row-major matrix that are not zero, as one block (for tests and small inputs).</summary>
    public static CsrMatrix FromDense(ReadOnlySpan<double> dense, int rows, int columns)
    {
        Debug.Assert(dense.Length == rows * columns);
        var rowPointers = new int[rows + 1];
        var columnIndices = new List<int>();
        var values = new List<float>();
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < columns; j++)
            {
                double value = dense[(i * columns) + j];
                if (value != 0)
                {
                    columnIndices.Add(j);
                    values.Add((float)value);
                }
            }

            rowPointers[i + 1] = values.Count;
        }

        return new CsrMatrix(rows, columns, [new CsrBlock(0, rowPointers, [.. columnIndices], [.. values])]);
    }

    /// <summary>The value at (<paramref name="row"/>, <paramref name="column"/>), zero where nothing is stored.</summary>
    public float this[int row, int column]
    {
        get
        {
            int low = 0;
            int high = _blocks.Length - 1;
            while (low < high)
            {
                int middle = (low + high + 1) / 2;
                if (_blocks[middle].FirstRow <= row)
                {
                    low = middle;
                }
                else
                {
                    high = middle - 1;
                }
            }

            CsrBlock block = _blocks[low];
            int local = row - block.FirstRow;
            int start = block.RowPointers[local];
            int found = Array.BinarySearch(block.ColumnIndices, start, block.RowPointers[local + 1] - start, column);
            return found >= 0 ? block.Values[found] : 0f;
        }
    }

    /// <summary>The transpose as one block (a counting sort by column; rows stay increasing). For tests and small matrices.</summary>
    public CsrMatrix Transpose()
    {
        Debug.Assert(NonZeros <= Array.MaxLength);
        var rowPointers = new int[Columns + 1];
        foreach (CsrBlock block in _blocks)
        {
            foreach (int column in block.ColumnIndices)
            {
                rowPointers[column + 1]++;
            }
        }

        for (int j = 0; j < Columns; j++)
        {
            rowPointers[j + 1] += rowPointers[j];
        }

        int[] next = rowPointers.AsSpan(0, Columns).ToArray();
        var columnIndices = new int[NonZeros];
        var values = new float[NonZeros];
        foreach (CsrBlock block in _blocks)
        {
            for (int i = 0; i < block.RowCount; i++)
            {
                for (int k = block.RowPointers[i]; k < block.RowPointers[i + 1]; k++)
                {
                    int target = next[block.ColumnIndices[k]]++;
                    columnIndices[target] = block.FirstRow + i;
                    values[target] = block.Values[k];
                }
            }
        }

        return new CsrMatrix(Columns, Rows, [new CsrBlock(0, rowPointers, columnIndices, values)]);
    }

    /// <summary>
    /// <c>y = A · x</c> where <paramref name="x"/> is a row-major <see cref="Columns"/> × <paramref name="width"/> block
    /// and <paramref name="y"/> a row-major <see cref="Rows"/> × <paramref name="width"/> block. Each row of
    /// <paramref name="y"/> is summed in column order by one worker, so the result does not depend on the number of workers.
    /// </summary>
    public void Multiply(float[] x, int width, float[] y, WorkerGang gang, CancellationToken cancellationToken)
    {
        Debug.Assert(x.Length >= (long)Columns * width && y.Length >= (long)Rows * width);
        ParallelWork.For(
            gang,
            _workItems.Length,
            (item, _) =>
            {
                (int b, int start, int end) = _workItems[item];
                MultiplyRows(_blocks[b], start, end, x, width, y);
            },
            tick: null,
            cancellationToken);
    }

    private static void MultiplyRows(CsrBlock block, int start, int end, float[] x, int width, float[] y)
    {
        int[] rowPointers = block.RowPointers;
        int[] columnIndices = block.ColumnIndices;
        float[] values = block.Values;
        for (int i = start; i < end; i++)
        {
            Span<float> row = y.AsSpan((block.FirstRow + i) * width, width);
            row.Clear();
            for (int k = rowPointers[i]; k < rowPointers[i + 1]; k++)
            {
                TensorPrimitives.MultiplyAdd(x.AsSpan(columnIndices[k] * width, width), values[k], row, row);
            }
        }
    }
}
