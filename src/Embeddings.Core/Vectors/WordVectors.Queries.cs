using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Embeddings.Core.Vectors;

// Similarity queries with the semantics of gensim 4's KeyedVectors. Scores are computed as gensim computes them:
// query vectors are built in float32 with gensim's normalisation steps, and each row's score is dot(row, query) / |row|.
public sealed partial class WordVectors
{
    /// <summary>The default number of results of the neighbour queries (gensim's <c>topn</c>).</summary>
    public const int DefaultTopN = 10;

    /// <summary>Queries built and searched at once by the batched queries, bounding their scratch memory.</summary>
    private const int BatchChunk = 4096;

    /// <summary>
    /// The words nearest to the mean of the unit vectors of <paramref name="positive"/> (weight +1) and
    /// <paramref name="negative"/> (weight −1): gensim's <c>most_similar(positive, negative, topn, restrict_vocab)</c>,
    /// 3CosAdd for analogies (<c>MostSimilar(["king", "woman"], ["man"])</c>). The input words are never returned.
    /// </summary>
    /// <remarks>
    /// Scores are computed as gensim computes them (float32 query built with gensim's normalisation steps; each word
    /// scores <c>dot(vector, query) / ‖vector‖</c>), so top-10 lists match gensim's. Results rank by score descending,
    /// exact ties by id ascending (gensim leaves their order to <c>numpy.argpartition</c>). Words whose vector is all
    /// zeros are never returned (gensim scores them NaN). Like every query here, safe to call concurrently.
    /// <para>
    /// A single query reads the whole matrix, so it is bound by memory bandwidth. On x64 with AVX2, a query over at
    /// least 2²⁰ values (words × dimensions) first scans an 8-bit copy of the matrix (built on first use, a quarter of
    /// the matrix's size), bounds each word's error, and rescores exactly only the words that could still reach the top
    /// N (about 20 of 54,000 for top-10 on 100-dimensional word2vec vectors); results are identical to a full scan.
    /// </para>
    /// </remarks>
    /// <param name="positive">Words that contribute positively; may be <see langword="null"/> or empty if <paramref name="negative"/> is not.</param>
    /// <param name="negative">Words that contribute negatively.</param>
    /// <param name="topN">How many words to return (gensim's <c>topn</c>, default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words (the most frequent in a frequency-sorted
    /// vocabulary); <see langword="null"/> searches all. gensim treats 0 as "all"; here it is an error.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1: the calling thread only). Worth it
    /// only for large vocabularies, where a query is bound by memory bandwidth; small ones stay on one thread.</param>
    /// <returns>Up to <paramref name="topN"/> words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary (the message names it).</exception>
    /// <exception cref="ArgumentException">Both <paramref name="positive"/> and <paramref name="negative"/> are empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(
        IEnumerable<string>? positive, IEnumerable<string>? negative = null, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int limit = ResolveLimit(restrictVocab);
        (int[] ids, float[] weights) = CollectWords(positive, negative);
        if (ids.Length == 0)
        {
            throw new ArgumentException("MostSimilar needs at least one positive or negative word; both lists are empty.", nameof(positive));
        }

        float[] query = ArrayPool<float>.Shared.Rent(Dimensions);
        try
        {
            BuildMeanQuery(ids, weights, preNormalize: true, query);
            return SearchOne(query, ids, topN, limit, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(query);
        }
    }

    /// <summary>The words nearest to <paramref name="word"/>, which is not returned itself: gensim's
    /// <c>most_similar(word, topn=topN, restrict_vocab=restrictVocab)</c>.</summary>
    /// <param name="word">A word of the vocabulary.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1: the calling thread only). Worth it
    /// only for large vocabularies, where a query is bound by memory bandwidth; small ones stay on one thread.</param>
    /// <returns>Up to <paramref name="topN"/> words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1)
        => MostSimilar(IdOf(word), topN, restrictVocab, threads);

    /// <summary>The words nearest to <paramref name="word"/>, which is not returned itself (see <see cref="MostSimilar(string, int, int?, int)"/>).</summary>
    /// <param name="word">A word of the vocabulary.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1: the calling thread only). Worth it
    /// only for large vocabularies, where a query is bound by memory bandwidth; small ones stay on one thread.</param>
    /// <returns>Up to <paramref name="topN"/> words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(ReadOnlySpan<char> word, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1)
        => MostSimilar(IdOf(word), topN, restrictVocab, threads);

    /// <summary>gensim's <c>similar_by_word</c>: the same as <see cref="MostSimilar(string, int, int?, int)"/>.</summary>
    /// <param name="word">A word of the vocabulary.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1: the calling thread only). Worth it
    /// only for large vocabularies, where a query is bound by memory bandwidth; small ones stay on one thread.</param>
    /// <returns>Up to <paramref name="topN"/> words with their cosine similarity, most similar first.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> SimilarByWord(string word, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1)
        => MostSimilar(word, topN, restrictVocab, threads);

    /// <summary>
    /// The words nearest to an arbitrary vector: gensim's <c>similar_by_vector</c>. No word is excluded, so a word's own
    /// vector returns the word first.
    /// </summary>
    /// <param name="vector"><see cref="Dimensions"/> finite values; need not be unit length.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Threads that share the rows of this one query (default 1: the calling thread only). Worth it
    /// only for large vocabularies, where a query is bound by memory bandwidth; small ones stay on one thread.</param>
    /// <returns>Up to <paramref name="topN"/> words with their cosine similarity, most similar first.</returns>
    /// <exception cref="ArgumentException">The vector's length is not <see cref="Dimensions"/>, or a value is NaN or infinite.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> SimilarByVector(ReadOnlySpan<float> vector, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int limit = ResolveLimit(restrictVocab);
        ValidateQueryVector(vector, nameof(vector));
        float[] query = ArrayPool<float>.Shared.Rent(Dimensions);
        try
        {
            vector.CopyTo(query);
            NormalizeInPlace(query.AsSpan(0, Dimensions));
            return SearchOne(query, [], topN, limit, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(query);
        }
    }

    /// <summary>
    /// <see cref="MostSimilar(string, int, int?, int)"/> for many words at once: the queries run as a blocked matrix product
    /// (blocks of queries × blocks of rows, so each block of the matrix is read once per block of queries), optionally
    /// on several threads. Each list equals what <see cref="MostSimilar(string, int, int?, int)"/> returns for that word.
    /// </summary>
    /// <param name="words">Words of the vocabulary.</param>
    /// <param name="topN">How many words to return per query (default 10).</param>
    /// <param name="restrictVocab">Search only the first this many words; <see langword="null"/> searches all.</param>
    /// <param name="threads">Worker threads (default 1: the calling thread only).</param>
    /// <param name="cancellationToken">Checked once per block of rows.</param>
    /// <returns>One result list per word, in the order of <paramref name="words"/>.</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/>, <paramref name="restrictVocab"/> or <paramref name="threads"/> is less than 1.</exception>
    public IReadOnlyList<IReadOnlyList<WordSimilarity>> MostSimilarBatch(
        IReadOnlyList<string> words, int topN = DefaultTopN, int? restrictVocab = null, int threads = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(words);
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int limit = ResolveLimit(restrictVocab);
        var ids = new int[words.Count];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = IdOf(words[i]);
        }

        int d = Dimensions;
        var results = new IReadOnlyList<WordSimilarity>[ids.Length];
        int chunk = Math.Min(BatchChunk, Math.Max(1, ids.Length));
        float[] queries = ArrayPool<float>.Shared.Rent(chunk * d);
        int[] resultIds = ArrayPool<int>.Shared.Rent(chunk * topN);
        float[] resultScores = ArrayPool<float>.Shared.Rent(chunk * topN);
        try
        {
            for (int start = 0; start < ids.Length; start += chunk)
            {
                int count = Math.Min(chunk, ids.Length - start);
                for (int q = 0; q < count; q++)
                {
                    Span<float> query = queries.AsSpan(q * d, d);
                    CopyUnitVector(ids[start + q], query);
                    NormalizeInPlace(query);
                }

                SearchNearest(queries, count, ids[start..(start + count)], 1, topN, limit, resultIds, resultScores, threads, cancellationToken);
                for (int q = 0; q < count; q++)
                {
                    results[start + q] = ToResults(resultIds, resultScores, q * topN, topN);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(queries);
            ArrayPool<int>.Shared.Return(resultIds);
            ArrayPool<float>.Shared.Return(resultScores);
        }

        return results;
    }

    /// <summary>
    /// gensim's <c>most_similar_cosmul</c>, the multiplicative objective of Levy and Goldberg (2014, "3CosMul"): each word's
    /// score is <c>Π₊ (1 + cos)/2 ÷ (Π₋ (1 + cos)/2 + 10⁻⁶)</c> over the positive and negative words. The input words are
    /// never returned. Like gensim, it always searches the whole vocabulary.
    /// </summary>
    /// <param name="positive">Words that contribute positively; at least one.</param>
    /// <param name="negative">Words that contribute negatively; may be <see langword="null"/>.</param>
    /// <param name="topN">How many words to return (default 10).</param>
    /// <returns>Up to <paramref name="topN"/> words with their score, best first.</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary.</exception>
    /// <exception cref="ArgumentException"><paramref name="positive"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topN"/> is less than 1.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilarCosMul(IEnumerable<string> positive, IEnumerable<string>? negative = null, int topN = DefaultTopN)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        int[] positiveIds = IdsOf(positive);
        int[] negativeIds = IdsOf(negative);
        if (positiveIds.Length == 0)
        {
            throw new ArgumentException("MostSimilarCosMul needs at least one positive word; the list is empty.", nameof(positive));
        }

        int d = Dimensions;
        int terms = positiveIds.Length + negativeIds.Length;
        int rowBlock = RowBlockRows;
        float[] termVectors = ArrayPool<float>.Shared.Rent(terms * d);
        float[] cosines = ArrayPool<float>.Shared.Rent(terms * rowBlock);
        float[] combined = ArrayPool<float>.Shared.Rent(rowBlock);
        float[] heapScores = ArrayPool<float>.Shared.Rent(topN);
        int[] heapIds = ArrayPool<int>.Shared.Rent(topN);
        try
        {
            for (int t = 0; t < terms; t++)
            {
                int id = t < positiveIds.Length ? positiveIds[t] : negativeIds[t - positiveIds.Length];
                CopyUnitVector(id, termVectors.AsSpan(t * d, d));
            }

            ReadOnlySpan<float> matrix = Matrix;
            ReadOnlySpan<float> norms = Norms;
            ReadOnlySpan<float> termSpan = termVectors.AsSpan(0, terms * d);
            Span<float> heapScoreSpan = heapScores.AsSpan(0, topN);
            Span<int> heapIdSpan = heapIds.AsSpan(0, topN);
            int count = 0;
            float threshold = float.NegativeInfinity;
            for (int start = 0; start < Count; start += rowBlock)
            {
                int rows = Math.Min(rowBlock, Count - start);
                SimilarityKernels.ScoreRows(matrix.Slice(start * d, rows * d), norms.Slice(start, rows), termSpan, d, cosines, rowBlock);
                CombineCosMul(cosines, rowBlock, positiveIds.Length, negativeIds.Length, combined.AsSpan(0, rows));
                ExcludeFromBlock(combined, start, rows, positiveIds);
                ExcludeFromBlock(combined, start, rows, negativeIds);
                threshold = SimilarityKernels.SelectTop(combined.AsSpan(0, rows), start, heapScoreSpan, heapIdSpan, ref count, threshold);
            }

            TopK.SortBestFirst(heapScoreSpan, heapIdSpan, count);
            int valid = 0;
            while (valid < count && !float.IsNegativeInfinity(heapScores[valid]))
            {
                valid++;
            }

            var results = new WordSimilarity[valid];
            for (int i = 0; i < valid; i++)
            {
                results[i] = new WordSimilarity(Vocabulary[heapIds[i]], heapScores[i]);
            }

            return results;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(termVectors);
            ArrayPool<float>.Shared.Return(cosines);
            ArrayPool<float>.Shared.Return(combined);
            ArrayPool<float>.Shared.Return(heapScores);
            ArrayPool<int>.Shared.Return(heapIds);
        }
    }

    /// <summary>The cosine similarity of two words: gensim's <c>similarity(w1, w2)</c>.</summary>
    /// <param name="word1">A word of the vocabulary.</param>
    /// <param name="word2">A word of the vocabulary.</param>
    /// <returns>The cosine of the angle between their vectors (0 if either vector is zero).</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary.</exception>
    public float Similarity(string word1, string word2) => SimilarityOfIds(IdOf(word1), IdOf(word2));

    /// <summary>The cosine similarity of two words: gensim's <c>similarity(w1, w2)</c>.</summary>
    /// <param name="word1">A word of the vocabulary.</param>
    /// <param name="word2">A word of the vocabulary.</param>
    /// <returns>The cosine of the angle between their vectors (0 if either vector is zero).</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary.</exception>
    public float Similarity(ReadOnlySpan<char> word1, ReadOnlySpan<char> word2) => SimilarityOfIds(IdOf(word1), IdOf(word2));

    /// <summary>
    /// The cosine similarity of the means of two sets of words (raw vectors, not unit vectors, are averaged):
    /// gensim's <c>n_similarity(ws1, ws2)</c>.
    /// </summary>
    /// <param name="words1">Words of the vocabulary; at least one.</param>
    /// <param name="words2">Words of the vocabulary; at least one.</param>
    /// <returns>The cosine similarity of the two mean vectors.</returns>
    /// <exception cref="KeyNotFoundException">A word is not in the vocabulary. (gensim 4 silently skips such words;
    /// here they are an error, as in every other query.)</exception>
    /// <exception cref="ArgumentException">A set is empty (gensim raises <c>ZeroDivisionError</c>).</exception>
    public float NSimilarity(IEnumerable<string> words1, IEnumerable<string> words2)
    {
        int[] ids1 = IdsOf(words1);
        int[] ids2 = IdsOf(words2);
        if (ids1.Length == 0 || ids2.Length == 0)
        {
            throw new ArgumentException("NSimilarity needs at least one word in each set.", ids1.Length == 0 ? nameof(words1) : nameof(words2));
        }

        int d = Dimensions;
        float[] scratch = ArrayPool<float>.Shared.Rent(2 * d);
        try
        {
            Span<float> mean1 = scratch.AsSpan(0, d);
            Span<float> mean2 = scratch.AsSpan(d, d);
            BuildMeanQuery(ids1, Ones(ids1.Length), preNormalize: false, mean1);
            BuildMeanQuery(ids2, Ones(ids2.Length), preNormalize: false, mean2);
            return SimilarityKernels.Dot(mean1, mean2);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// The word that fits least with the others: the one whose unit vector is least similar to the normalised mean of
    /// all their unit vectors (gensim's <c>doesnt_match</c>). Ties go to the ordinally smallest word, as in gensim.
    /// </summary>
    /// <param name="words">The candidates. Words not in the vocabulary are ignored, as gensim does (gensim also logs a warning).</param>
    /// <returns>The odd one out.</returns>
    /// <exception cref="ArgumentException">None of the words is in the vocabulary.</exception>
    public string DoesntMatch(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var used = new List<string>();
        var ids = new List<int>();
        foreach (string word in words)
        {
            if (word is not null && Vocabulary.TryGetId(word, out int id))
            {
                used.Add(word);
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            throw new ArgumentException("DoesntMatch needs at least one word of the vocabulary; none of the words given is in it.", nameof(words));
        }

        int d = Dimensions;
        float[] scratch = ArrayPool<float>.Shared.Rent((ids.Count + 2) * d);
        try
        {
            Span<float> mean = scratch.AsSpan(0, d);
            Span<float> term = scratch.AsSpan(d, d);
            mean.Clear();
            for (int i = 0; i < ids.Count; i++)
            {
                CopyUnitVector(ids[i], term);
                term.CopyTo(scratch.AsSpan((i + 2) * d, d));
                System.Numerics.Tensors.TensorPrimitives.Add(mean, term, mean);
            }

            System.Numerics.Tensors.TensorPrimitives.Divide(mean, ids.Count, mean);
            NormalizeInPlace(mean);

            string odd = used[0];
            float lowest = SimilarityKernels.Dot(scratch.AsSpan(2 * d, d), mean);
            for (int i = 1; i < ids.Count; i++)
            {
                float similarity = SimilarityKernels.Dot(scratch.AsSpan((i + 2) * d, d), mean);
                if (similarity < lowest || (similarity == lowest && string.CompareOrdinal(used[i], odd) < 0))
                {
                    lowest = similarity;
                    odd = used[i];
                }
            }

            return odd;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>gensim's <c>similarity</c> by id: the dot product of the two vectors after <c>unitvec</c>.</summary>
    internal float SimilarityOfIds(int id1, int id2)
    {
        int d = Dimensions;
        float[] scratch = ArrayPool<float>.Shared.Rent(2 * d);
        try
        {
            Span<float> unit1 = scratch.AsSpan(0, d);
            Span<float> unit2 = scratch.AsSpan(d, d);
            GetVector(id1).CopyTo(unit1);
            GetVector(id2).CopyTo(unit2);
            return CosineInPlace(unit1, unit2);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>gensim's <c>dot(unitvec(a), unitvec(b))</c>: scales both vectors to unit length in place, then returns their dot product.</summary>
    internal static float CosineInPlace(Span<float> a, Span<float> b)
    {
        NormalizeInPlace(a);
        NormalizeInPlace(b);
        return SimilarityKernels.Dot(a, b);
    }

    /// <summary>
    /// The words nearest to a query already built as gensim builds it (a unit-length mean), skipping the rows
    /// <paramref name="excluded"/>: the search of <see cref="MostSimilar(IEnumerable{string}, IEnumerable{string}, int, int?, int)"/>
    /// for callers that make the query from vectors of words outside the vocabulary.
    /// </summary>
    internal WordSimilarity[] MostSimilarToQuery(float[] query, int[] excluded, int topN, int? restrictVocab, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        return SearchOne(query, excluded, topN, ResolveLimit(restrictVocab), threads);
    }

    /// <summary>The id of <paramref name="word"/>.</summary>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    internal int IdOf(ReadOnlySpan<char> word)
        => Vocabulary.TryGetId(word, out int id) ? id : ThrowUnknownWord(word.ToString());

    [DoesNotReturn]
    private int ThrowUnknownWord(string word) => throw new KeyNotFoundException($"Word '{word}' is not in the vocabulary of {Count:N0} words.");

    private void ValidateQueryVector(ReadOnlySpan<float> vector, string parameterName)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException($"The vector has {vector.Length} values; these vectors have {Dimensions} dimensions.", parameterName);
        }

        for (int i = 0; i < vector.Length; i++)
        {
            if (!float.IsFinite(vector[i]))
            {
                throw new ArgumentException($"The vector holds {vector[i]} at dimension {i}; query vectors must be finite.", parameterName);
            }
        }
    }

    private WordSimilarity[] MostSimilar(int id, int topN, int? restrictVocab, int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        int limit = ResolveLimit(restrictVocab);
        float[] query = ArrayPool<float>.Shared.Rent(Dimensions);
        try
        {
            Span<float> span = query.AsSpan(0, Dimensions);
            CopyUnitVector(id, span);
            NormalizeInPlace(span);
            return SearchOne(query, [id], topN, limit, threads);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(query);
        }
    }

    private WordSimilarity[] SearchOne(float[] query, int[] excluded, int topN, int limit, int threads)
    {
        int[] resultIds = ArrayPool<int>.Shared.Rent(topN);
        float[] resultScores = ArrayPool<float>.Shared.Rent(topN);
        try
        {
            SearchNearest(query, 1, excluded, excluded.Length, topN, limit, resultIds, resultScores, threads, CancellationToken.None);
            return ToResults(resultIds, resultScores, 0, topN);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(resultIds);
            ArrayPool<float>.Shared.Return(resultScores);
        }
    }

    private WordSimilarity[] ToResults(int[] ids, float[] scores, int offset, int topN)
    {
        int count = 0;
        while (count < topN && ids[offset + count] >= 0)
        {
            count++;
        }

        var results = new WordSimilarity[count];
        for (int i = 0; i < count; i++)
        {
            results[i] = new WordSimilarity(Vocabulary[ids[offset + i]], scores[offset + i]);
        }

        return results;
    }

    private (int[] Ids, float[] Weights) CollectWords(IEnumerable<string>? positive, IEnumerable<string>? negative)
    {
        int[] positiveIds = IdsOf(positive);
        int[] negativeIds = IdsOf(negative);
        int[] ids = [.. positiveIds, .. negativeIds];
        var weights = new float[ids.Length];
        weights.AsSpan(0, positiveIds.Length).Fill(1f);
        weights.AsSpan(positiveIds.Length).Fill(-1f);
        return (ids, weights);
    }

    private int[] IdsOf(IEnumerable<string>? words)
    {
        if (words is null)
        {
            return [];
        }

        var ids = new List<int>();
        foreach (string word in words)
        {
            ids.Add(IdOf(word));
        }

        return [.. ids];
    }

    private static float[] Ones(int count)
    {
        var ones = new float[count];
        ones.AsSpan().Fill(1f);
        return ones;
    }

    /// <summary>gensim's 3CosMul combination of the per-term cosines of one block of rows.</summary>
    private static void CombineCosMul(float[] cosines, int stride, int positiveCount, int negativeCount, Span<float> combined)
    {
        // numpy: prod(pos, axis=0) / (prod(neg, axis=0) + 1e-6), all in float32; with no negative term the
        // denominator is the float64 scalar 1 + 1e-6, which numpy applies to the float32 array as a float32.
        const float NoNegatives = (float)(1.0 + 0.000001);
        for (int r = 0; r < combined.Length; r++)
        {
            float numerator = (1f + cosines[r]) / 2f;
            for (int t = 1; t < positiveCount; t++)
            {
                numerator *= (1f + cosines[(t * stride) + r]) / 2f;
            }

            float denominator = NoNegatives;
            if (negativeCount > 0)
            {
                float product = (1f + cosines[(positiveCount * stride) + r]) / 2f;
                for (int t = positiveCount + 1; t < positiveCount + negativeCount; t++)
                {
                    product *= (1f + cosines[(t * stride) + r]) / 2f;
                }

                denominator = product + 0.000001f;
            }

            combined[r] = numerator / denominator;
        }
    }

    private static void ExcludeFromBlock(float[] scores, int start, int rows, int[] ids)
    {
        foreach (int id in ids)
        {
            if (id >= start && id < start + rows)
            {
                scores[id - start] = float.NegativeInfinity;
            }
        }
    }
}
