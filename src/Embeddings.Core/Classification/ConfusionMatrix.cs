namespace Embeddings.Core.Classification;

/// <summary>
/// How often each expected label was predicted as each label (scikit-learn's <c>confusion_matrix</c>: rows are the
/// expected labels, columns the predicted ones, both in the order of <see cref="Labels"/>). Single-label data only.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly int[] _counts;
    private readonly Dictionary<string, int> _index;

    internal ConfusionMatrix(IReadOnlyList<string> labels, int[] counts)
    {
        Labels = labels;
        _counts = counts;
        _index = new Dictionary<string, int>(labels.Count, StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            _index[labels[i]] = i;
        }
    }

    /// <summary>The labels of the rows and columns, in ordinal order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>How many examples expected with the label at <paramref name="expected"/> were predicted with the one at <paramref name="predicted"/>.</summary>
    /// <param name="expected">The row: the index of the expected label in <see cref="Labels"/>.</param>
    /// <param name="predicted">The column: the index of the predicted label in <see cref="Labels"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside <see cref="Labels"/>.</exception>
    public int this[int expected, int predicted]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(expected);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(expected, Labels.Count);
            ArgumentOutOfRangeException.ThrowIfNegative(predicted);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(predicted, Labels.Count);
            return _counts[(expected * Labels.Count) + predicted];
        }
    }

    /// <summary>How many examples expected with <paramref name="expected"/> were predicted with <paramref name="predicted"/>.</summary>
    /// <param name="expected">The expected label.</param>
    /// <param name="predicted">The predicted label.</param>
    /// <returns>The count; 0 for a label the report does not know.</returns>
    public int Count(string expected, string predicted)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(predicted);
        return _index.TryGetValue(expected, out int row) && _index.TryGetValue(predicted, out int column)
            ? _counts[(row * Labels.Count) + column]
            : 0;
    }
}
