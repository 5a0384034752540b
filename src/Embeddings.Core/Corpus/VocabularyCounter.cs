using System.Runtime.InteropServices;

namespace Embeddings.Core.Corpus;

/// <summary>
/// Counts words one at a time from spans, allocating a string only for a word's first occurrence: the streaming,
/// low-memory way to build a <see cref="Vocabulary"/> from a large file. Not thread-safe; use one per thread and
/// <see cref="Merge"/> them.
/// </summary>
public sealed class VocabularyCounter
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>Creates an empty counter.</summary>
    public VocabularyCounter() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Distinct words seen so far.</summary>
    public int DistinctWords => _counts.Count;

    /// <summary>Tokens seen so far.</summary>
    public long Tokens { get; private set; }

    /// <summary>Counts one occurrence of <paramref name="word"/>.</summary>
    /// <param name="word">A non-empty word.</param>
    public void Add(ReadOnlySpan<char> word)
    {
        ref long count = ref CollectionsMarshal.GetValueRefOrAddDefault(_lookup, word, out _);
        count++;
        Tokens++;
    }

    /// <summary>Counts every word of <paramref name="text"/>, split on whitespace (a line of a token file).</summary>
    /// <param name="text">Space-separated tokens.</param>
    public void AddWords(ReadOnlySpan<char> text)
    {
        foreach (Range range in text.SplitAny(WhitespaceSplit.Separators))
        {
            if (range.End.Value > range.Start.Value)
            {
                Add(text[range]);
            }
        }
    }

    /// <summary>Adds another counter's counts to this one.</summary>
    /// <param name="other">The counter to fold in; unchanged.</param>
    public void Merge(VocabularyCounter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach ((string word, long count) in other._counts)
        {
            ref long total = ref CollectionsMarshal.GetValueRefOrAddDefault(_counts, word, out _);
            total += count;
        }

        Tokens += other.Tokens;
    }

    /// <summary>The vocabulary of the words seen at least <paramref name="minCount"/> times (see <see cref="Vocabulary.FromCounts"/>).</summary>
    /// <param name="minCount">Minimum count.</param>
    /// <param name="maxSize">Keep at most this many words.</param>
    public Vocabulary ToVocabulary(int minCount = 5, int? maxSize = null) => Vocabulary.FromCounts(_counts, minCount, maxSize);
}

/// <summary>The separators of a token file: ASCII and Unicode whitespace as <see cref="char.IsWhiteSpace(char)"/> sees the common ones.</summary>
internal static class WhitespaceSplit
{
    public static ReadOnlySpan<char> Separators => [' ', '\t', '\n', '\r', '\v', '\f', '\u00A0', '\u2000', '\u2001', '\u2002', '\u2003', '\u2009', '\u200A', '\u3000'];
}
