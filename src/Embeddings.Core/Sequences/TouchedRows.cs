namespace Embeddings.Core.Sequences;

/// <summary>
/// The rows of a table whose gradient a batch made non-zero, each listed once: an embedding table's gradient is zero
/// outside the few hundred rows a batch reads, so clearing, summing and (lazily) updating only these rows does the
/// dense work's arithmetic on every row that matters and leaves the others as they were.
/// </summary>
internal sealed class TouchedRows(int rows)
{
    private readonly bool[] _marked = new bool[rows];
    private readonly int[] _rows = new int[rows];

    /// <summary>How many rows are listed.</summary>
    public int Count { get; private set; }

    /// <summary>The listed rows, in the order they were added (ascending after <see cref="Sort"/>).</summary>
    public ReadOnlySpan<int> Rows => _rows.AsSpan(0, Count);

    /// <summary>Lists <paramref name="row"/> unless it is already listed.</summary>
    public void Add(int row)
    {
        if (!_marked[row])
        {
            _marked[row] = true;
            _rows[Count++] = row;
        }
    }

    /// <summary>Lists every row of <paramref name="other"/> (of a table of the same size) not yet listed.</summary>
    public void Add(TouchedRows other)
    {
        foreach (int row in other.Rows)
        {
            Add(row);
        }
    }

    /// <summary>Puts the listed rows in ascending order, the order a dense pass meets them in.</summary>
    public void Sort() => Array.Sort(_rows, 0, Count);

    /// <summary>Empties the list.</summary>
    public void Clear()
    {
        foreach (int row in Rows)
        {
            _marked[row] = false;
        }

        Count = 0;
    }
}
