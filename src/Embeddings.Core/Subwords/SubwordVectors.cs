using System.Numerics.Tensors;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Subwords;

/// <summary>
/// Word vectors that also answer for words never seen, as fastText's and gensim's <c>FastTextKeyedVectors</c>: each
/// vocabulary word has its own input row, and each character n-gram bucket one more (<see cref="FastTextSubwords"/>).
/// A word's vector is the mean of its own row (vocabulary words only) and its n-grams' rows. Immutable and safe for
/// concurrent readers.
/// </summary>
/// <remarks>
/// <see cref="Words"/> holds the composed vectors of the vocabulary words, computed once on first use: query, evaluate and
/// export them as any <see cref="WordVectors"/>. Vectors opened from a memory-mapped file must be disposed to release it.
/// </remarks>
public sealed partial class SubwordVectors : IDisposable
{
    private readonly ReadOnlyMemory<float> _wordRows;
    private readonly ReadOnlyMemory<float> _ngramRows;
    private readonly IDisposable? _owner;
    private WordVectors? _words;
    private int _disposed;

    /// <summary>Wraps the input rows of a subword model.</summary>
    /// <param name="vocabulary">The words; row i of <paramref name="wordRows"/> is word id i's own row.</param>
    /// <param name="wordRows">Row-major, <c>vocabulary.Count × dimensions</c>; not copied.</param>
    /// <param name="ngramRows">Row-major, <c>buckets × dimensions</c>, one row per n-gram bucket; not copied.</param>
    /// <param name="dimensions">The length of each vector.</param>
    /// <param name="minN">The shortest n-gram in code points (fastText <c>-minn</c>).</param>
    /// <param name="maxN">The longest n-gram (fastText <c>-maxn</c>); 0 for none (plain word vectors).</param>
    /// <exception cref="ArgumentException">The sizes do not match, or <paramref name="minN"/> and <paramref name="maxN"/> are not 1 ≤ minN ≤ maxN (or both 0).</exception>
    public SubwordVectors(Vocabulary vocabulary, float[] wordRows, float[] ngramRows, int dimensions, int minN, int maxN)
        : this(vocabulary, (ReadOnlyMemory<float>)wordRows, ngramRows, dimensions, minN, maxN, owner: null)
    {
    }

    internal SubwordVectors(
        Vocabulary vocabulary, ReadOnlyMemory<float> wordRows, ReadOnlyMemory<float> ngramRows, int dimensions, int minN, int maxN, IDisposable? owner)
        : this(vocabulary, wordRows, ngramRows, dimensions, minN, maxN, owner, prunedBuckets: null, keptBuckets: null)
    {
    }

    /// <summary>
    /// Vectors whose n-gram buckets were pruned (fastText's <c>quantize -cutoff</c>): of <paramref name="prunedBuckets"/>
    /// buckets only those in <paramref name="keptBuckets"/> have a row (bucket → row of <paramref name="ngramRows"/>); the
    /// others add nothing to a word's mean, as in fastText.
    /// </summary>
    internal SubwordVectors(
        Vocabulary vocabulary, ReadOnlyMemory<float> wordRows, ReadOnlyMemory<float> ngramRows, int dimensions, int minN, int maxN, IDisposable? owner,
        int? prunedBuckets, IReadOnlyDictionary<int, int>? keptBuckets)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if ((long)vocabulary.Count * dimensions != wordRows.Length)
        {
            throw new ArgumentException(
                $"{vocabulary.Count} words × {dimensions} dimensions need {(long)vocabulary.Count * dimensions} values, but {wordRows.Length} were given.",
                nameof(wordRows));
        }

        if (ngramRows.Length % dimensions != 0)
        {
            throw new ArgumentException($"The n-gram rows hold {ngramRows.Length} values, not a multiple of {dimensions} dimensions.", nameof(ngramRows));
        }

        if (!(minN == 0 && maxN == 0) && !(minN >= 1 && minN <= maxN))
        {
            throw new ArgumentException($"The n-gram lengths must be 1 ≤ minN ≤ maxN, or both 0 (were {minN} and {maxN}).", nameof(minN));
        }

        if (maxN > 0 && ngramRows.Length == 0 && keptBuckets is null)
        {
            throw new ArgumentException("A model with n-grams (maxN above 0) needs at least one n-gram bucket.", nameof(ngramRows));
        }

        Vocabulary = vocabulary;
        Dimensions = dimensions;
        MinN = minN;
        MaxN = maxN;
        if (keptBuckets is not null && (prunedBuckets is not > 0 || keptBuckets.Any(p => p.Key < 0 || p.Key >= prunedBuckets || p.Value < 0 || (long)p.Value * dimensions >= ngramRows.Length)))
        {
            throw new ArgumentException($"The kept buckets must map buckets below {prunedBuckets} to the {ngramRows.Length / dimensions} n-gram rows.", nameof(keptBuckets));
        }

        Buckets = keptBuckets is null ? ngramRows.Length / dimensions : prunedBuckets!.Value;
        KeptBuckets = keptBuckets;
        _wordRows = wordRows;
        _ngramRows = ngramRows;
        _owner = owner;
    }

    /// <summary>The vocabulary words, in row order.</summary>
    public Vocabulary Vocabulary { get; }

    /// <summary>The length of each vector.</summary>
    public int Dimensions { get; }

    /// <summary>The shortest character n-gram, in code points (fastText <c>-minn</c>, gensim <c>min_n</c>).</summary>
    public int MinN { get; }

    /// <summary>The longest character n-gram (fastText <c>-maxn</c>, gensim <c>max_n</c>); 0 when the model has none.</summary>
    public int MaxN { get; }

    /// <summary>The number of n-gram hash buckets (fastText <c>-bucket</c>, gensim <c>bucket</c>).</summary>
    public int Buckets { get; }

    /// <summary>
    /// For vectors read from a pruned fastText model, the buckets that kept a row (bucket → row of <see cref="NgramRows"/>);
    /// <see langword="null"/> when every bucket has its row.
    /// </summary>
    internal IReadOnlyDictionary<int, int>? KeptBuckets { get; }

    /// <summary>The vocabulary words' own input rows, row-major (gensim <c>vectors_vocab</c>).</summary>
    public ReadOnlySpan<float> WordRows => _wordRows.Span;

    /// <summary>The n-gram buckets' input rows, row-major (gensim <c>vectors_ngrams</c>).</summary>
    public ReadOnlySpan<float> NgramRows => _ngramRows.Span;

    /// <summary>
    /// The composed vectors of the vocabulary words (fastText's <c>getWordVector</c>, gensim's <c>wv.vectors</c>), computed
    /// once on first use: the <see cref="WordVectors"/> to query, evaluate and export.
    /// </summary>
    public WordVectors Words
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            WordVectors? words = Volatile.Read(ref _words);
            if (words is null)
            {
                words = ComposeWords(owner: null);
                words = Interlocked.CompareExchange(ref _words, words, null) ?? words;
            }

            return words;
        }
    }

    /// <summary>Whether <paramref name="word"/> is a vocabulary word (an unseen word may still have a vector from its n-grams).</summary>
    /// <param name="word">The word.</param>
    /// <returns><see langword="true"/> for a vocabulary word.</returns>
    public bool Contains(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Vocabulary.TryGetId(word, out _);
    }

    /// <summary>The bucket list of <see cref="TryGetVector"/>, one per thread, so that a query allocates nothing.</summary>
    [ThreadStatic]
    private static List<int>? _threadBuckets;

    /// <summary>
    /// Writes the vector of any word into <paramref name="destination"/>: the mean of its own row (vocabulary words) and
    /// its n-grams' rows. A word unseen in training that has no n-gram gets the zero vector.
    /// </summary>
    /// <param name="word">Any word.</param>
    /// <param name="destination"><see cref="Dimensions"/> values.</param>
    /// <returns><see langword="false"/> when the word is unseen and has no n-gram (the vector is zero).</returns>
    public bool TryGetVector(string word, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(word);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, Dimensions, nameof(destination));
        destination = destination[..Dimensions];
        destination.Clear();
        List<int> buckets = _threadBuckets ??= [];
        bool known = Vocabulary.TryGetId(word, out int id);
        if (known)
        {
            TensorPrimitives.Add(destination, WordRows.Slice(id * Dimensions, Dimensions), destination);
        }

        int rows = AddNgramRows(word, buckets, destination) + (known ? 1 : 0);
        if (rows == 0)
        {
            return false;
        }

        TensorPrimitives.Multiply(destination, 1f / rows, destination);
        return true;
    }

    /// <summary>The vector of any word (see <see cref="TryGetVector"/>); zero for an unseen word without n-grams.</summary>
    /// <param name="word">Any word.</param>
    /// <returns>A new array of <see cref="Dimensions"/> values.</returns>
    public float[] GetVector(string word)
    {
        var vector = new float[Dimensions];
        TryGetVector(word, vector);
        return vector;
    }

    /// <summary>
    /// Loads the input vectors of a fastText model (<c>.bin</c>, or <c>.ftz</c> when quantized; format versions 11 and 12),
    /// unsupervised or supervised: the vectors fastText's <c>print-word-vectors</c> prints, for vocabulary and unseen words.
    /// A supervised model's labels are not words here. The output matrix is checked but not kept, so loading takes the
    /// memory of the input matrix (a quantized one is decoded into floats).
    /// </summary>
    /// <param name="path">The model file; gzip-compressed content is decompressed.</param>
    /// <returns>The vectors.</returns>
    /// <exception cref="InvalidDataException">The file is not a fastText model, is of a version other than 11 or 12, or is damaged or truncated; the message names the file and the problem.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static SubwordVectors LoadFastText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        FilePaths.ThrowIfFolder(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan);
        return FastTextVectors.Load(file, new FormatErrors(path));
    }

    /// <summary>Loads the input vectors of a fastText model from a stream, from its current position (see <see cref="LoadFastText(string)"/>).</summary>
    /// <param name="stream">A readable stream; not disposed.</param>
    /// <returns>The vectors.</returns>
    /// <exception cref="InvalidDataException">The content is not a fastText model of version 11 or 12, or is damaged or truncated.</exception>
    public static SubwordVectors LoadFastText(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return FastTextVectors.Load(stream, new FormatErrors(null));
    }

    /// <summary>
    /// Saves the vectors as a fastText <c>.bin</c> model (format version 12) that the <c>fasttext</c> program and gensim's
    /// <c>load_facebook_vectors</c> load, atomically (a temporary file beside it, then a rename). The file holds fastText's
    /// skip-gram defaults as its training arguments and a zero output matrix: vectors alone have no other.
    /// </summary>
    /// <param name="path">The file; replaced if it exists.</param>
    /// <exception cref="ArgumentException">A word holds a zero character, which fastText files cannot store.</exception>
    /// <exception cref="InvalidOperationException">The vectors come from a pruned <c>.ftz</c> (<c>quantize -cutoff</c>), which
    /// fastText cannot load as a <c>.bin</c>; save <see cref="Words"/> instead.</exception>
    /// <exception cref="IOException">The file cannot be written; the old file, if any, is unchanged.</exception>
    public void SaveFastText(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        AtomicFile.Write(path, this, static (stream, vectors) => FastTextVectors.Write(stream, vectors));
    }

    /// <summary>Saves the vectors as a fastText <c>.bin</c> model to a stream (see <see cref="SaveFastText(string)"/>); the stream is flushed, not disposed.</summary>
    /// <param name="stream">A writable stream.</param>
    /// <exception cref="ArgumentException">A word holds a zero character.</exception>
    /// <exception cref="InvalidOperationException">The vectors come from a pruned <c>.ftz</c>.</exception>
    public void SaveFastText(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        FastTextVectors.Write(stream, this);
        stream.Flush();
    }

    /// <summary>Releases the memory mapping of vectors opened from a mapped file; otherwise does nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _words?.Dispose();
            _owner?.Dispose();
        }
    }

    /// <summary>The composed vectors of the vocabulary words, in a new array (independent of these vectors' mapping);
    /// <paramref name="owner"/> is disposed with them.</summary>
    internal WordVectors ComposeWords(IDisposable? owner)
    {
        var composed = new float[(long)Vocabulary.Count * Dimensions];
        var buckets = new List<int>();
        ReadOnlySpan<float> own = WordRows;
        for (int id = 0; id < Vocabulary.Count; id++)
        {
            Span<float> vector = composed.AsSpan(id * Dimensions, Dimensions);
            own.Slice(id * Dimensions, Dimensions).CopyTo(vector);
            int rows = AddNgramRows(Vocabulary[id], buckets, vector);
            if (rows > 0)
            {
                TensorPrimitives.Multiply(vector, 1f / (rows + 1), vector);
            }
        }

        return new WordVectors(Vocabulary, composed, Dimensions, owner);
    }

    /// <summary>Adds the rows of <paramref name="word"/>'s n-grams to <paramref name="sum"/> and returns how many there were (pruned buckets have none).</summary>
    private int AddNgramRows(string word, List<int> buckets, Span<float> sum)
    {
        buckets.Clear();
        FastTextSubwords.AddNgramBuckets(word, MinN, MaxN, Buckets, buckets);
        ReadOnlySpan<float> ngrams = NgramRows;
        int rows = 0;
        foreach (int bucket in buckets)
        {
            int row = bucket;
            if (KeptBuckets is not null && !KeptBuckets.TryGetValue(bucket, out row))
            {
                continue;
            }

            TensorPrimitives.Add(sum, ngrams.Slice(row * Dimensions, Dimensions), sum);
            rows++;
        }

        return rows;
    }
}
