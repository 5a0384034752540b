namespace Embeddings.Core.Classification;

/// <summary>
/// The k best labels of a fastText model, kept as fastText keeps them: a min-heap of (log-probability, label) ordered by
/// the log-probability alone and moved as the GNU C++ library's <c>push_heap</c>, <c>pop_heap</c> and <c>sort_heap</c>
/// move it. Labels of equal probability (common under one-vs-all, whose sigmoid is fastText's 512-step table) then come
/// out in the order <c>fasttext predict</c> prints them, which a stable sort would not reproduce.
/// </summary>
internal sealed class FastTextPredictionHeap(int k)
{
    private readonly List<(float Score, int Label)> _items = new(k + 1);

    public int Count => _items.Count;

    public bool IsFull => _items.Count == k;

    /// <summary>The least score kept (the heap's front).</summary>
    public float Least => _items[0].Score;

    /// <summary>Adds a label, dropping the least one when more than k are kept (fastText's <c>findKBest</c> step).</summary>
    public void Add(float score, int label)
    {
        _items.Add((score, label));
        SiftUp(_items.Count - 1, 0, (score, label));
        if (_items.Count > k)
        {
            PopTo(_items.Count - 1);
            _items.RemoveAt(_items.Count - 1);
        }
    }

    /// <summary>The labels by score, best first (<c>sort_heap</c>); the heap is left sorted.</summary>
    public IReadOnlyList<(float Score, int Label)> Sorted()
    {
        for (int last = _items.Count - 1; last > 0; last--)
        {
            PopTo(last);
        }

        return _items;
    }

    // The heap's comparison: fastText's comparePairs, "a before b" when a's score is greater.
    private static bool Before((float Score, int Label) a, (float Score, int Label) b) => a.Score > b.Score;

    /// <summary><c>__push_heap</c>: moves the hole at <paramref name="hole"/> up while its parent comes after the value.</summary>
    private void SiftUp(int hole, int top, (float Score, int Label) value)
    {
        int parent = (hole - 1) / 2;
        while (hole > top && Before(_items[parent], value))
        {
            _items[hole] = _items[parent];
            hole = parent;
            parent = (hole - 1) / 2;
        }

        _items[hole] = value;
    }

    /// <summary><c>__pop_heap</c> over [0, last): the front moves to <paramref name="last"/>, the rest is a heap again.</summary>
    private void PopTo(int last)
    {
        (float Score, int Label) value = _items[last];
        _items[last] = _items[0];
        AdjustHeap(last, value);
    }

    /// <summary><c>__adjust_heap</c> from the root over <paramref name="length"/> items.</summary>
    private void AdjustHeap(int length, (float Score, int Label) value)
    {
        int hole = 0;
        int child = 0;
        while (child < (length - 1) / 2)
        {
            child = 2 * (child + 1);
            if (Before(_items[child], _items[child - 1]))
            {
                child--;
            }

            _items[hole] = _items[child];
            hole = child;
        }

        if ((length & 1) == 0 && child == (length - 2) / 2)
        {
            child = 2 * (child + 1);
            _items[hole] = _items[child - 1];
            hole = child - 1;
        }

        SiftUp(hole, 0, value);
    }
}
