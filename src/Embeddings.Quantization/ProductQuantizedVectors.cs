using System.Globalization;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>
/// Word vectors compressed by a <see cref="ProductQuantizer"/>: every word keeps m one-byte codes of its unit-length
/// vector. <see cref="MostSimilar(string, int)"/> searches the codes with asymmetric distance tables: the query stays
/// exact, and since the coded vectors are close to unit length, the nearest by distance are the nearest by cosine.
/// Immutable and thread-safe to read.
/// </summary>
/// <remarks>
/// Native file (<see cref="Save(string)"/>): the <see cref="NativeFile"/> frame of magic "EMBP" (version 2, flags 0),
/// whose payload is the dimensions, word count, subspaces, centroids per subspace (int32), the vocabulary (per word:
/// count int64, length-prefixed UTF-8), the codebooks (float32) and the codes (n × m bytes). Version 1 files (the
/// earlier frame) still load.
/// </remarks>
public sealed class ProductQuantizedVectors
{
    private static readonly NativeFileKind FileKind = NativeFileKind.ProductQuantizedVectors;

    private readonly byte[] _codes;

    internal ProductQuantizedVectors(Vocabulary vocabulary, ProductQuantizer quantizer, byte[] codes)
    {
        Vocabulary = vocabulary;
        Quantizer = quantizer;
        _codes = codes;
    }

    /// <summary>The words, in the order of the source vectors.</summary>
    /// <value>The vocabulary.</value>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of words.</summary>
    /// <value>The vocabulary size.</value>
    public int Count => Vocabulary.Count;

    /// <summary>The quantizer whose codebooks decode the codes.</summary>
    /// <value>The quantizer.</value>
    public ProductQuantizer Quantizer { get; }

    /// <summary>The codes, n × m bytes row-major.</summary>
    /// <value>A read-only view.</value>
    public ReadOnlySpan<byte> Codes => _codes;

    /// <summary>Bytes of a float32 vector over bytes of its code: 4·d / m (8 for m = 50 on 100 dimensions).</summary>
    /// <value>The per-vector ratio.</value>
    public double CodeCompressionRatio => (double)Quantizer.Dimensions * sizeof(float) / Quantizer.Subspaces;

    /// <summary>Bytes of the float32 matrix over bytes of the codes plus the float32 codebooks (the vocabulary, common to both, left out).</summary>
    /// <value>The whole-matrix ratio; below <see cref="CodeCompressionRatio"/> by the codebooks' share.</value>
    public double CompressionRatio => (double)Count * Quantizer.Dimensions * sizeof(float) / (_codes.Length + Quantizer.CodebookBytes);

    /// <summary>Writes the decoded vector of the word with id <paramref name="id"/>.</summary>
    /// <param name="id">A word id.</param>
    /// <param name="destination">Receives d values.</param>
    public void Decode(int id, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        Quantizer.Decode(_codes.AsSpan(id * Quantizer.Subspaces, Quantizer.Subspaces), destination);
    }

    /// <summary>Decodes every word, as ordinary word vectors (for evaluation or export).</summary>
    /// <returns>New word vectors with the same vocabulary.</returns>
    public WordVectors ToWordVectors()
    {
        int d = Quantizer.Dimensions;
        var matrix = new float[Count * d];
        for (int id = 0; id < Count; id++)
        {
            Decode(id, matrix.AsSpan(id * d, d));
        }

        return new WordVectors(Vocabulary, matrix, d);
    }

    /// <summary>
    /// The nearest words to <paramref name="word"/> over the codes, from the exact unit vector of the word in
    /// <paramref name="exact"/> (asymmetric search). The word itself is left out.
    /// </summary>
    /// <param name="exact">The uncompressed vectors, with the same vocabulary, that give the query.</param>
    /// <param name="word">A vocabulary word.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Words with an approximate cosine, 1 − distance²/2, best first.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(WordVectors exact, string word, int topN = WordVectors.DefaultTopN)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentNullException.ThrowIfNull(word);
        if (!exact.Vocabulary.TryGetId(word, out int exactId) || !Vocabulary.TryGetId(word, out int id))
        {
            throw new KeyNotFoundException($"'{word}' is not in the vocabulary.");
        }

        return Search(exact.GetVector(exactId), topN, id);
    }

    /// <summary>
    /// The nearest words to <paramref name="word"/> over the codes, the query being the word's own decoded vector
    /// (no uncompressed vectors needed). The word itself is left out.
    /// </summary>
    /// <param name="word">A vocabulary word.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Words with an approximate cosine, best first.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = WordVectors.DefaultTopN)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (!Vocabulary.TryGetId(word, out int id))
        {
            throw new KeyNotFoundException($"'{word}' is not in the vocabulary of {Count:N0} words.");
        }

        var query = new float[Quantizer.Dimensions];
        Decode(id, query);
        return Search(query, topN, id);
    }

    /// <summary>The nearest words to a vector over the codes (the vector is scaled to unit length first).</summary>
    /// <param name="vector">d values.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Words with an approximate cosine, best first.</returns>
    /// <exception cref="ArgumentException">The vector has another length.</exception>
    public IReadOnlyList<WordSimilarity> SimilarByVector(ReadOnlySpan<float> vector, int topN = WordVectors.DefaultTopN)
    {
        if (vector.Length != Quantizer.Dimensions)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The vector has {vector.Length} values; expected {Quantizer.Dimensions}."), nameof(vector));
        }

        return Search(vector, topN, -1);
    }

    /// <summary>
    /// Recall@<paramref name="topN"/> of <see cref="MostSimilar(WordVectors, string, int)"/> against exact search
    /// (<see cref="WordVectors.MostSimilar(string, int, int?, int)"/>) on <paramref name="queries"/> words drawn
    /// uniformly with a seed: the mean share of the exact top N found in the approximate top N.
    /// </summary>
    /// <param name="exact">The uncompressed vectors these codes were made from.</param>
    /// <param name="queries">How many query words (at most the vocabulary size).</param>
    /// <param name="topN">N, default 10.</param>
    /// <param name="seed">Seed of the query draw.</param>
    /// <returns>The recall, 0–1.</returns>
    public double MeasureRecall(WordVectors exact, int queries = 1000, int topN = WordVectors.DefaultTopN, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        queries = Math.Min(queries, Count);
        var random = new SubtractiveRandom(seed);
        var order = Enumerable.Range(0, Count).ToArray();
        double found = 0;
        for (int q = 0; q < queries; q++)
        {
            int j = random.Next(q, Count);
            (order[q], order[j]) = (order[j], order[q]);
            string word = Vocabulary[order[q]];
            var truth = new HashSet<string>(exact.MostSimilar(word, topN).Select(s => s.Word), StringComparer.Ordinal);
            found += (double)MostSimilar(exact, word, topN).Count(s => truth.Contains(s.Word)) / Math.Max(1, truth.Count);
        }

        return found / queries;
    }

    /// <summary>Writes the native file atomically: the target holds the old or the complete new content.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path) => NativeFile.Write(path, FileKind, 0, this, static (writer, p) => p.WritePayload(writer));

    /// <summary>Writes the native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream) => NativeFile.Write(stream, FileKind, 0, this, static (writer, p) => p.WritePayload(writer));

    /// <summary>Reads a file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The coded vectors.</returns>
    /// <exception cref="InvalidDataException">The file is not a product-quantized file, is truncated, or its checksum does not match.</exception>
    public static ProductQuantizedVectors Load(string path) => NativeFile.Read(path, FileKind, ReadPayload);

    /// <summary>Reads a file written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <returns>The coded vectors.</returns>
    /// <exception cref="InvalidDataException">The stream holds no product-quantized vectors, is truncated, or its checksum does not match.</exception>
    public static ProductQuantizedVectors Load(Stream stream) => NativeFile.Read(stream, FileKind, ReadPayload);

    private void WritePayload(NativePayloadWriter writer)
    {
        ProductQuantizer q = Quantizer;
        writer.Write(q.Dimensions);
        writer.Write(Count);
        writer.Write(q.Subspaces);
        writer.Write(q.CentroidsPerSubspace);
        writer.WriteVocabulary(Vocabulary);
        writer.WriteFloats(q.Codebooks);
        writer.Write(_codes);
    }

    private static ProductQuantizedVectors ReadPayload(NativePayloadReader reader)
    {
        string path = reader.Name;
        int dimensions = reader.ReadInt32();
        int count = reader.ReadCount("word count");
        int subspaces = reader.ReadInt32();
        int centroids = reader.ReadInt32();
        if (dimensions < 1 || subspaces < 1 || subspaces > dimensions || centroids is < 1 or > ProductQuantizerOptions.MaxCentroids)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' has invalid sizes ({dimensions} dimensions, {subspaces} subspaces, {centroids} centroids)."));
        }

        Vocabulary vocabulary = reader.ReadVocabulary();
        if (vocabulary.Count != count)
        {
            throw new InvalidDataException($"'{path}' declares {count} words but holds {vocabulary.Count}.");
        }

        float[] codebooks = reader.ReadFloats((long)centroids * dimensions);
        byte[] codes = reader.ReadBytes(checked(count * subspaces));
        if (codes.Length != count * subspaces)
        {
            throw new InvalidDataException($"'{path}' is truncated.");
        }

        foreach (byte code in codes)
        {
            if (code >= centroids)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' holds code {code}, not below {centroids}."));
            }
        }

        return new ProductQuantizedVectors(vocabulary, new ProductQuantizer(dimensions, subspaces, centroids, codebooks), codes);
    }

    private WordSimilarity[] Search(ReadOnlySpan<float> query, int topN, int excludeId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        ProductQuantizer q = Quantizer;
        int m = q.Subspaces;
        float[] unit = query.ToArray();
        KMeans.NormalizeRows(unit, unit.Length);
        var table = new float[m * q.CentroidsPerSubspace];
        q.ComputeDistanceTable(unit, table);

        // A bounded max-heap on distance keeps the best topN; ties go to the lower id.
        var heap = new PriorityQueue<int, (float Distance, int Id)>(topN + 1, Comparer<(float Distance, int Id)>.Create(
            static (a, b) => a.Distance != b.Distance ? b.Distance.CompareTo(a.Distance) : b.Id.CompareTo(a.Id)));
        for (int id = 0; id < Count; id++)
        {
            if (id == excludeId)
            {
                continue;
            }

            float distance = q.AsymmetricDistance(table, _codes.AsSpan(id * m, m));
            if (heap.Count < topN)
            {
                heap.Enqueue(id, (distance, id));
            }
            else if (heap.TryPeek(out _, out (float Distance, int Id) worst) && (distance < worst.Distance || (distance == worst.Distance && id < worst.Id)))
            {
                heap.DequeueEnqueue(id, (distance, id));
            }
        }

        var result = new WordSimilarity[heap.Count];
        for (int i = result.Length - 1; i >= 0; i--)
        {
            heap.TryDequeue(out int id, out (float Distance, int Id) key);
            result[i] = new WordSimilarity(Vocabulary[id], 1f - (key.Distance / 2f));
        }

        return result;
    }
}
