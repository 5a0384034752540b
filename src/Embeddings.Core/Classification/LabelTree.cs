namespace Embeddings.Core.Classification;

/// <summary>
/// The Huffman tree over the label counts that hierarchical softmax walks, built as fastText's
/// <c>HierarchicalSoftmaxLoss::buildTree</c>: leaves are the labels (most frequent first), inner node i is output row
/// i − labels, and each label's path runs from its leaf's parent up to the root.
/// </summary>
internal sealed class LabelTree
{
    private readonly int _labels;
    private readonly int[] _left;
    private readonly int[] _right;
    private readonly int[][] _paths;
    private readonly bool[][] _codes;

    public LabelTree(IReadOnlyList<long> counts)
    {
        _labels = counts.Count;
        int nodes = 2 * _labels - 1;
        var count = new long[nodes];
        var parent = new int[nodes];
        var binary = new bool[nodes];
        _left = new int[nodes];
        _right = new int[nodes];
        Array.Fill(parent, -1);
        Array.Fill(_left, -1);
        Array.Fill(_right, -1);
        Array.Fill(count, (long)1e15);
        for (int i = 0; i < _labels; i++)
        {
            count[i] = counts[i];
        }

        // Leaves are sorted by count, descending: the two smallest of the remaining leaves and new nodes merge next.
        int leaf = _labels - 1;
        int node = _labels;
        Span<int> smallest = stackalloc int[2];
        for (int i = _labels; i < nodes; i++)
        {
            for (int j = 0; j < 2; j++)
            {
                smallest[j] = leaf >= 0 && count[leaf] < count[node] ? leaf-- : node++;
            }

            _left[i] = smallest[0];
            _right[i] = smallest[1];
            count[i] = count[smallest[0]] + count[smallest[1]];
            parent[smallest[0]] = i;
            parent[smallest[1]] = i;
            binary[smallest[1]] = true;
        }

        _paths = new int[_labels][];
        _codes = new bool[_labels][];
        for (int i = 0; i < _labels; i++)
        {
            var path = new List<int>();
            var code = new List<bool>();
            for (int j = i; parent[j] != -1; j = parent[j])
            {
                path.Add(parent[j] - _labels);
                code.Add(binary[j]);
            }

            _paths[i] = [.. path];
            _codes[i] = [.. code];
        }
    }

    /// <summary>The root node; nodes below the label count are leaves (the labels), node n above is output row n − labels.</summary>
    public int Root => 2 * _labels - 2;

    /// <summary>The left child of an inner node (the side of 1 − its sigmoid).</summary>
    public int LeftOf(int node) => _left[node];

    /// <summary>The right child of an inner node (the side of its sigmoid).</summary>
    public int RightOf(int node) => _right[node];

    /// <summary>The output rows on a label's path and, for each, whether the path turns right (the positive side of its sigmoid).</summary>
    public (int[] Path, bool[] Code) PathOf(int label) => (_paths[label], _codes[label]);

    /// <summary>Every label's probability: the product of the sigmoids (right) or their complements (left) from the root down.</summary>
    public void LeafProbabilities(Func<int, float> rightProbability, Span<float> probabilities)
    {
        var pending = new Stack<(int Node, float Probability)>();
        pending.Push((Root, 1f));
        while (pending.Count > 0)
        {
            (int node, float probability) = pending.Pop();
            if (node < _labels)
            {
                probabilities[node] = probability;
                continue;
            }

            float right = rightProbability(node - _labels);
            pending.Push((_left[node], probability * (1f - right)));
            pending.Push((_right[node], probability * right));
        }
    }
}
