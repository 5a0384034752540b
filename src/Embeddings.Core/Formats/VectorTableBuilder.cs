using System.Diagnostics;
using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Collects the rows and words a loader reads. The matrix grows geometrically from a capacity the caller has
/// justified (rows whose bytes were checked to exist) and only after the rows already held were filled with data read,
/// so its size stays within a small multiple of the input. A repeated word keeps its first vector, as gensim intends
/// (<c>_add_word_to_kv</c>: "ignoring all but first"). Repeats are rare, so they are looked for only when
/// <see cref="Vocabulary.FromWordsInOrder"/> reports one, which saves hashing every word twice.
/// </summary>
internal sealed class VectorTableBuilder
{
    private const int InitialValues = 1 << 12;

    private readonly int _dimensions;
    private readonly long _maxRows;
    private readonly List<string> _words;
    private float[] _values;
    private int _rows;

    /// <param name="dimensions">The length of each row.</param>
    /// <param name="justifiedRows">Rows known to exist in the input (pre-allocated), or 0 to start small (less than
    /// a row for long vectors: a row is allocated by <see cref="BeginRow"/>, which callers call once its data is read).</param>
    /// <param name="maxRows">The most rows that will be added (the header count or the limit), for capping growth.</param>
    public VectorTableBuilder(int dimensions, long justifiedRows, long maxRows)
    {
        Debug.Assert(dimensions >= 1);
        Debug.Assert(maxRows * dimensions <= Array.MaxLength);
        _dimensions = dimensions;
        _maxRows = maxRows;
        long rows = Math.Min(justifiedRows, maxRows);
        _values = rows > 0
            ? GC.AllocateUninitializedArray<float>((int)(rows * dimensions))
            : new float[Math.Min(maxRows * dimensions, InitialValues)];
        _words = new List<string>((int)Math.Min(rows, 1 << 20));
    }

    /// <summary>The number of rows so far.</summary>
    public int Rows => _rows;

    /// <summary>Whether one more row fits in a single .NET array.</summary>
    public bool HasRoomForRow => (long)(_rows + 1) * _dimensions <= Array.MaxLength;

    /// <summary>The storage of the next row; its values count only once <see cref="CommitRow"/> is called.</summary>
    public Span<float> BeginRow()
    {
        long needed = (long)(_rows + 1) * _dimensions;
        Debug.Assert(needed <= Array.MaxLength);
        if (needed > _values.Length)
        {
            long grown = Math.Min(Math.Max(needed, 2L * _values.Length), Math.Min(_maxRows * _dimensions, Array.MaxLength));
            Array.Resize(ref _values, (int)Math.Max(grown, needed));
        }

        return _values.AsSpan(_rows * _dimensions, _dimensions);
    }

    /// <summary>Keeps the row begun last under <paramref name="word"/>.</summary>
    public void CommitRow(string word)
    {
        _words.Add(word);
        _rows++;
    }

    /// <summary>The vectors read, repeated words keeping their first vector.</summary>
    public WordVectors Build()
    {
        Vocabulary vocabulary;
        try
        {
            vocabulary = Vocabulary.FromWordsInOrder(_words);
        }
        catch (ArgumentException)
        {
            // A repeated word (the loaders never add empty ones): keep first occurrences and build again.
            RemoveRepeats();
            vocabulary = Vocabulary.FromWordsInOrder(_words);
        }

        int used = _rows * _dimensions;
        ReadOnlyMemory<float> values = _values.Length - used > _values.Length / 16
            ? _values.AsSpan(0, used).ToArray()
            : _values.AsMemory(0, used);
        return new WordVectors(vocabulary, values, _dimensions, owner: null);
    }

    private void RemoveRepeats()
    {
        var seen = new HashSet<string>(_words.Count, StringComparer.Ordinal);
        int kept = 0;
        for (int row = 0; row < _rows; row++)
        {
            if (!seen.Add(_words[row]))
            {
                continue;
            }

            if (kept != row)
            {
                _values.AsSpan(row * _dimensions, _dimensions).CopyTo(_values.AsSpan(kept * _dimensions));
                _words[kept] = _words[row];
            }

            kept++;
        }

        _words.RemoveRange(kept, _words.Count - kept);
        _rows = kept;
    }
}
