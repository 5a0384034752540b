using System.Numerics.Tensors;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.Vectors;

/// <summary>
/// Word vectors, the counterpart of gensim's <c>KeyedVectors</c>: a <see cref="Corpus.Vocabulary"/> and one contiguous
/// row-major float32 matrix (<see cref="Count"/> × <see cref="Dimensions"/>). Immutable and safe for concurrent readers.
/// A unit-normalised copy for similarity queries is computed once, on first use.
/// </summary>
/// <remarks>
/// Vectors opened from the native format are memory-mapped; dispose the instance to release the mapping. Disposing
/// vectors that live in an ordinary array does nothing.
/// </remarks>
public sealed partial class WordVectors : IDisposable
{
    private readonly ReadOnlyMemory<float> _vectors;
    private readonly IDisposable? _owner;
    private float[]? _unitVectors;
    private int _disposed;

    /// <summary>Wraps a matrix of vectors, one row per vocabulary word.</summary>
    /// <param name="vocabulary">The words; row i is the vector of word id i.</param>
    /// <param name="vectors">Row-major, <c>vocabulary.Count × dimensions</c> values; not copied.</param>
    /// <param name="dimensions">The length of each vector.</param>
    /// <exception cref="ArgumentException">The matrix size does not match, or a value is NaN or infinite.</exception>
    public WordVectors(Vocabulary vocabulary, float[] vectors, int dimensions)
        : this(vocabulary, vectors, dimensions, owner: null)
    {
        for (int i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw new ArgumentException(
                    $"The vector of '{vocabulary[i / dimensions]}' holds {vectors[i]} at dimension {i % dimensions}; vectors must be finite.",
                    nameof(vectors));
            }
        }
    }

    internal WordVectors(Vocabulary vocabulary, ReadOnlyMemory<float> vectors, int dimensions, IDisposable? owner)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if ((long)vocabulary.Count * dimensions != vectors.Length)
        {
            throw new ArgumentException(
                $"{vocabulary.Count} words × {dimensions} dimensions need {(long)vocabulary.Count * dimensions} values, but {vectors.Length} were given.",
                nameof(vectors));
        }

        Vocabulary = vocabulary;
        Dimensions = dimensions;
        _vectors = vectors;
        _owner = owner;
    }

    /// <summary>The words, in row order.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The length of each vector (word2vec <c>size</c>, fastText <c>-dim</c>).</summary>
    public int Dimensions { get; }

    /// <summary>The number of words.</summary>
    public int Count => Vocabulary.Count;

    /// <summary>The vector of <paramref name="word"/>.</summary>
    /// <param name="word">A word of the vocabulary.</param>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public ReadOnlySpan<float> this[string word] => GetVector(IdOf(word));

    /// <summary>Whether <paramref name="word"/> has a vector (gensim's <c>word in wv</c>); the match is exact and case-sensitive.</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> when the word is in the vocabulary.</returns>
    public bool Contains(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Contains(word.AsSpan());
    }

    /// <summary>Whether <paramref name="word"/> has a vector, without allocating a string.</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> when the word is in the vocabulary.</returns>
    public bool Contains(ReadOnlySpan<char> word) => Vocabulary.TryGetId(word, out _);

    /// <summary>The whole matrix, row-major.</summary>
    public ReadOnlySpan<float> Matrix => _vectors.Span;

    /// <summary>The vector of the word with id <paramref name="id"/>.</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    public ReadOnlySpan<float> GetVector(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return _vectors.Span.Slice(id * Dimensions, Dimensions);
    }

    /// <summary>Looks up the vector of <paramref name="word"/>.</summary>
    /// <param name="word">The word.</param>
    /// <param name="vector">Its vector, or empty.</param>
    /// <returns>Whether the word is in the vocabulary.</returns>
    public bool TryGetVector(ReadOnlySpan<char> word, out ReadOnlySpan<float> vector)
    {
        if (Vocabulary.TryGetId(word, out int id))
        {
            vector = _vectors.Span.Slice(id * Dimensions, Dimensions);
            return true;
        }

        vector = default;
        return false;
    }

    /// <summary>
    /// The first <paramref name="count"/> words with their counts and vectors, copied into new vectors: what loading with
    /// a limit (gensim's <c>limit</c>) gives, for vectors already in memory. In a vocabulary ordered by frequency, these
    /// are the most frequent words.
    /// </summary>
    /// <param name="count">How many words, at least 1; all of them when it is <see cref="Count"/> or more.</param>
    /// <returns>New vectors in an ordinary array, independent of these (which may be disposed).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is less than 1.</exception>
    public WordVectors Take(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        int take = Math.Min(count, Count);
        var words = new string[take];
        var counts = new long[take];
        for (int id = 0; id < take; id++)
        {
            (words[id], counts[id]) = (Vocabulary[id], Vocabulary.GetCount(id));
        }

        return new WordVectors(Vocabulary.FromWordsInOrder(words, counts), _vectors.Span[..(take * Dimensions)].ToArray(), Dimensions, owner: null);
    }

    /// <summary>The unit-length vector of the word with id <paramref name="id"/> (zero vectors stay zero).</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    public ReadOnlySpan<float> GetUnitVector(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return UnitMatrix.Slice(id * Dimensions, Dimensions);
    }

    /// <summary>The unit-normalised copy of the matrix, computed once (thread-safe) and cached.</summary>
    internal ReadOnlySpan<float> UnitMatrix
    {
        get
        {
            float[]? unit = Volatile.Read(ref _unitVectors);
            if (unit is null)
            {
                unit = Normalize(_vectors.Span, Dimensions);
                unit = Interlocked.CompareExchange(ref _unitVectors, unit, null) ?? unit;
            }

            return unit;
        }
    }

    /// <summary>The id of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    internal int IdOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Vocabulary.TryGetId(word, out int id)
            ? id
            : throw new KeyNotFoundException($"Word '{word}' is not in the vocabulary of {Count:N0} words.");
    }

    /// <summary>Releases the memory mapping of vectors opened from a native file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _owner?.Dispose();
        }
    }

    private static float[] Normalize(ReadOnlySpan<float> vectors, int dimensions)
    {
        var unit = new float[vectors.Length];
        for (int row = 0; row < vectors.Length; row += dimensions)
        {
            ReadOnlySpan<float> vector = vectors.Slice(row, dimensions);
            float norm = TensorPrimitives.Norm(vector);
            if (norm > 0)
            {
                TensorPrimitives.Divide(vector, norm, unit.AsSpan(row, dimensions));
            }
        }

        return unit;
    }
}
