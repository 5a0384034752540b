namespace Embeddings.Core.Formats.FastText;

/// <summary>
/// The dictionary of a fastText model file as stored: its words (entry type 0) and then its labels (entry type 1), each
/// with its count, the number of tokens seen in training, and the pruning index that <c>fasttext quantize -cutoff</c>
/// leaves.
/// </summary>
internal sealed class FastTextDictionaryData
{
    public FastTextDictionaryData(
        IReadOnlyList<string> words,
        IReadOnlyList<long> wordCounts,
        IReadOnlyList<string> labels,
        IReadOnlyList<long> labelCounts,
        long tokens,
        IReadOnlyDictionary<int, int>? pruneIndex)
    {
        Words = words;
        WordCounts = wordCounts;
        Labels = labels;
        LabelCounts = labelCounts;
        Tokens = tokens;
        PruneIndex = pruneIndex;
    }

    /// <summary>The words, in the file's order (input row i is word i's own row).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>How often each word occurred in training.</summary>
    public IReadOnlyList<long> WordCounts { get; }

    /// <summary>The labels of a supervised model (output row i is label i); empty for word vectors.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>How often each label occurred in training.</summary>
    public IReadOnlyList<long> LabelCounts { get; }

    /// <summary>The number of tokens read in training (fastText's <c>ntokens</c>).</summary>
    public long Tokens { get; }

    /// <summary>
    /// For a pruned model, the n-gram buckets kept: hash bucket → index of its row after the words' rows (input row
    /// <c>Words.Count + index</c>); a bucket absent here contributes nothing. <see langword="null"/> when the file has no
    /// pruning (fastText's <c>pruneidx_size</c> of −1) and every bucket has its row.
    /// </summary>
    public IReadOnlyDictionary<int, int>? PruneIndex { get; }

    /// <summary>The input row of n-gram bucket <paramref name="bucket"/>, or −1 when pruning removed it.</summary>
    public int NgramRow(int bucket)
    {
        if (PruneIndex is null)
        {
            return Words.Count + bucket;
        }

        return PruneIndex.TryGetValue(bucket, out int index) ? Words.Count + index : -1;
    }
}
