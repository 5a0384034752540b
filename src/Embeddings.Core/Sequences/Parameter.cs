namespace Embeddings.Core.Sequences;

/// <summary>
/// A named weight tensor (row-major, <see cref="Rows"/> × <see cref="Columns"/>) and the gradient a forward/backward
/// pass accumulates for it. Worker replicas of a network share <see cref="Value"/> and own their <see cref="Gradient"/>.
/// </summary>
/// <remarks>Names follow PyTorch's (<c>rnn.weight_ih_l0</c>, <c>fc.bias</c>…), so a reader can map a file to a notebook's <c>state_dict</c>.</remarks>
internal sealed class Parameter
{
    public Parameter(string name, int rows, int columns, bool trainable = true)
        : this(name, new float[checked(rows * columns)], rows, columns, trainable)
    {
    }

    /// <summary>A trainable parameter over weights the caller already holds and keeps (they are updated in place).</summary>
    public static Parameter Over(string name, float[] value, int rows, int columns) => new(name, value, rows, columns, trainable: true);

    private Parameter(string name, float[] value, int rows, int columns, bool trainable, float[]? transposed = null, bool trackRows = false)
    {
        Name = name;
        Value = value;
        Rows = rows;
        Columns = columns;
        Trainable = trainable;
        Gradient = trainable ? new float[value.Length] : [];
        Transposed = transposed;
        Touched = trackRows && trainable ? new TouchedRows(rows) : null;
    }

    public string Name { get; }

    public int Rows { get; }

    public int Columns { get; }

    public int Length => Value.Length;

    /// <summary>Frozen parameters (a pretrained embedding) have no gradient and no optimiser state.</summary>
    public bool Trainable { get; }

    public float[] Value { get; }

    public float[] Gradient { get; }

    /// <summary>
    /// <c>Valueᵀ</c> (Columns × Rows) for the layers whose products read the weights transposed, shared by the replicas;
    /// null for the others. Kept current by <see cref="TransposeRows"/> wherever <see cref="Value"/> changes.
    /// </summary>
    public float[]? Transposed { get; private set; }

    /// <summary>
    /// The rows of <see cref="Gradient"/> that may be non-zero, for a table whose backward pass adds to a few rows only
    /// (an embedding table, which lists the rows it adds to); null when the whole gradient is in use. See
    /// <see cref="WithRowTracking"/>.
    /// </summary>
    public TouchedRows? Touched { get; private set; }

    /// <summary>The same weights (and transposed copy) with a fresh, zero gradient: one per training worker.</summary>
    public Parameter Replica() => new(Name, Value, Rows, Columns, Trainable, Transposed, Touched is not null);

    /// <summary>
    /// Lists from now on the rows the backward pass adds to (<see cref="Touched"/>), so that clearing and summing the
    /// gradient visit those rows only (call before replicating; nothing for a frozen parameter). The results are those
    /// of the dense work bit for bit: the other rows' gradient is zero, and adding zero changes nothing.
    /// </summary>
    public Parameter WithRowTracking()
    {
        if (Trainable)
        {
            Touched ??= new TouchedRows(Rows);
        }

        return this;
    }

    /// <summary>Keeps a transposed copy from now on (call before replicating).</summary>
    public Parameter WithTransposedCopy()
    {
        Transposed ??= new float[Value.Length];
        TransposeRows(0, Rows);
        return this;
    }

    /// <summary>Refreshes the transposed copy's columns for rows [<paramref name="start"/>, +<paramref name="count"/>) of <see cref="Value"/>.</summary>
    public void TransposeRows(int start, int count)
    {
        if (Transposed is not null)
        {
            Numerics.MatrixProduct.Transpose(Value, Transposed, Rows, Columns, start, count);
        }
    }

    /// <summary>Sets the gradient to zero: only the <see cref="Touched"/> rows when they are tracked (no other row is ever written).</summary>
    public void ClearGradient()
    {
        if (Touched is null)
        {
            Array.Clear(Gradient);
            return;
        }

        foreach (int row in Touched.Rows)
        {
            Array.Clear(Gradient, row * Columns, Columns);
        }

        Touched.Clear();
    }
}
