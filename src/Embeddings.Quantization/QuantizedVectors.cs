using System.Globalization;
using System.Numerics.Tensors;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;


namespace Embeddings.Quantization;

/// <summary>Statistics of one cluster of <see cref="QuantizedVectors"/>.</summary>
/// <param name="Cluster">The cluster index.</param>
/// <param name="Size">How many words it holds.</param>
/// <param name="Inertia">The sum of squared distances from its words' vectors to its centroid.</param>
/// <param name="MostFrequentWord">Its most frequent word, or <see langword="null"/> when empty.</param>
public readonly record struct ClusterStatistics(int Cluster, int Size, double Inertia, string? MostFrequentWord)
{
    /// <summary>The mean squared distance to the centroid (0 for an empty cluster).</summary>
    /// <value><see cref="Inertia"/> / <see cref="Size"/>.</value>
    public double MeanSquaredDistance => Size == 0 ? 0 : Inertia / Size;
}

/// <summary>
/// Word vectors quantized by k-means: every word keeps its place in the vocabulary and maps to one of k centroids,
/// which stands in for its vector. Unlike a one-word-per-cluster table, each cluster lists all its member words, most
/// frequent first. Immutable and thread-safe to read.
/// </summary>
/// <remarks>
/// Native file (<see cref="Save(string)"/>): the <see cref="NativeFile"/> frame of magic "EMBK" (version 2, flags: bit 0
/// spherical), whose payload is the dimensions, word count, cluster count (int32), inertia (double), the vocabulary (per
/// word: count int64, length-prefixed UTF-8), the centroids (k × d float32), each word's cluster (int32) and each
/// cluster's inertia (double). Version 1 files (the earlier frame) still load.
/// </remarks>
public sealed class QuantizedVectors
{
    /// <summary>The native file's kind: magic "EMBK", version 2.</summary>
    internal static readonly NativeFileKind FileKind = NativeFileKind.QuantizedVectors;

    private readonly float[] _centroids;
    private readonly float[] _unitCentroids;
    private readonly int[] _labels;
    private readonly double[] _clusterInertia;
    private readonly int[][] _members;

    private QuantizedVectors(Vocabulary vocabulary, int dimensions, float[] centroids, int[] labels, double[] clusterInertia, bool spherical)
    {
        Vocabulary = vocabulary;
        Dimensions = dimensions;
        _centroids = centroids;
        _labels = labels;
        _clusterInertia = clusterInertia;
        Spherical = spherical;
        int clusters = clusterInertia.Length;
        _unitCentroids = (float[])centroids.Clone();
        KMeans.NormalizeRows(_unitCentroids, dimensions);

        // Members in id order are in frequency order when the vocabulary is; sort by count to be sure.
        var sizes = new int[clusters];
        foreach (int label in labels)
        {
            sizes[label]++;
        }

        _members = new int[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            _members[c] = new int[sizes[c]];
        }

        Array.Clear(sizes);
        for (int id = 0; id < labels.Length; id++)
        {
            _members[labels[id]][sizes[labels[id]]++] = id;
        }

        foreach (int[] members in _members)
        {
            Array.Sort(members, (a, b) => vocabulary.GetCount(a) != vocabulary.GetCount(b) ? vocabulary.GetCount(b).CompareTo(vocabulary.GetCount(a)) : a.CompareTo(b));
        }
    }

    /// <summary>The words, in the order of the source vectors.</summary>
    /// <value>The vocabulary.</value>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of words.</summary>
    /// <value>The vocabulary size.</value>
    public int Count => Vocabulary.Count;

    /// <summary>The length of each centroid.</summary>
    /// <value>d.</value>
    public int Dimensions { get; }

    /// <summary>The number of clusters k.</summary>
    /// <value>k.</value>
    public int Clusters => _clusterInertia.Length;

    /// <summary>Whether the clusters were made by spherical (cosine) k-means on unit vectors.</summary>
    /// <value><see langword="true"/> for spherical.</value>
    public bool Spherical { get; }

    /// <summary>The centroids, k × d row-major.</summary>
    /// <value>A read-only view.</value>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>The sum over words of the squared distance from the vector to its centroid (on unit vectors when <see cref="Spherical"/>).</summary>
    /// <value>The inertia.</value>
    public double Inertia
    {
        get
        {
            double sum = 0;
            foreach (double value in _clusterInertia)
            {
                sum += value;
            }

            return sum;
        }
    }

    /// <summary>
    /// The size of the float32 matrix over the size of the quantized form: k × d float32 centroids plus one cluster
    /// index per word (2 bytes while k ≤ 65,536, else 4). The vocabulary, common to both, is left out.
    /// </summary>
    /// <value>The ratio, greater than 1 when quantization saves space.</value>
    public double CompressionRatio =>
        (double)Count * Dimensions * sizeof(float) / (((double)Clusters * Dimensions * sizeof(float)) + ((double)Count * (Clusters <= 65_536 ? 2 : 4)));

    /// <summary>Quantizes <paramref name="vectors"/> with the clusters that <paramref name="kmeans"/> finds in them.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="kmeans">The clusterer.</param>
    /// <param name="progress">Receives the clusterer's reports; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between iterations.</param>
    /// <returns>The quantized vectors.</returns>
    /// <exception cref="ArgumentException">See <see cref="KMeans.Train(ReadOnlySpan{float}, int, IProgress{KMeansProgress}?, CancellationToken)"/>.</exception>
    public static QuantizedVectors Quantize(WordVectors vectors, KMeans kmeans, IProgress<KMeansProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(kmeans);
        return Create(vectors, kmeans.Train(vectors, progress, cancellationToken));
    }

    /// <summary>Combines <paramref name="vectors"/> with a clustering of exactly these vectors.</summary>
    /// <param name="vectors">The word vectors that were clustered.</param>
    /// <param name="clustering">The k-means result for <paramref name="vectors"/>.</param>
    /// <returns>The quantized vectors.</returns>
    /// <exception cref="ArgumentException">The clustering has another number of points or dimensions.</exception>
    public static QuantizedVectors Create(WordVectors vectors, KMeansResult clustering)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(clustering);
        if (clustering.Dimensions != vectors.Dimensions || clustering.Labels.Length != vectors.Count)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The clustering has {clustering.Labels.Length} points × {clustering.Dimensions} dimensions; the vectors have {vectors.Count} × {vectors.Dimensions}."),
                nameof(clustering));
        }

        int d = vectors.Dimensions;
        bool spherical = clustering.Options.Spherical;
        var inertia = new double[clustering.Clusters];
        float[] centroids = clustering.CentroidsToArray();
        int[] labels = (int[])clustering.LabelArray.Clone();
        float[] row = new float[d];
        for (int id = 0; id < labels.Length; id++)
        {
            vectors.GetVector(id).CopyTo(row);
            if (spherical)
            {
                KMeans.NormalizeRows(row, d);
            }

            inertia[labels[id]] += KMeansKernels.SquaredDistance(row, centroids.AsSpan(labels[id] * d, d));
        }

        return new QuantizedVectors(vectors.Vocabulary, d, centroids, labels, inertia, spherical);
    }

    /// <summary>The cluster of the word with id <paramref name="id"/>.</summary>
    /// <param name="id">A word id, 0 ≤ id &lt; <see cref="Count"/>.</param>
    /// <returns>The cluster index.</returns>
    public int ClusterOf(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        return _labels[id];
    }

    /// <summary>The cluster of <paramref name="word"/>.</summary>
    /// <param name="word">A vocabulary word.</param>
    /// <returns>The cluster index.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public int ClusterOf(string word) => _labels[IdOf(word)];

    /// <summary>The words of <paramref name="cluster"/>, most frequent first (ties by id).</summary>
    /// <param name="cluster">0 ≤ cluster &lt; <see cref="Clusters"/>.</param>
    /// <returns>All member words.</returns>
    public IReadOnlyList<string> Members(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, Clusters);
        int[] ids = _members[cluster];
        var words = new string[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            words[i] = Vocabulary[ids[i]];
        }

        return words;
    }

    /// <summary>The vector that stands in for <paramref name="word"/>: its cluster's centroid.</summary>
    /// <param name="word">A vocabulary word.</param>
    /// <returns>A read-only view of the centroid.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public ReadOnlySpan<float> Reconstruct(string word) => _centroids.AsSpan(ClusterOf(word) * Dimensions, Dimensions);

    /// <summary>Statistics of one cluster.</summary>
    /// <param name="cluster">0 ≤ cluster &lt; <see cref="Clusters"/>.</param>
    /// <returns>Size, inertia and most frequent word.</returns>
    public ClusterStatistics GetStatistics(int cluster)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cluster);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(cluster, Clusters);
        int[] ids = _members[cluster];
        return new ClusterStatistics(cluster, ids.Length, _clusterInertia[cluster], ids.Length == 0 ? null : Vocabulary[ids[0]]);
    }

    /// <summary>
    /// The nearest words to <paramref name="word"/> through the quantized space: words ranked by the cosine similarity
    /// of their centroid to the word's centroid, so the word's cluster mates come first (most frequent first), then
    /// the members of the next nearest clusters. The word itself is left out.
    /// </summary>
    /// <param name="word">A vocabulary word.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Up to <paramref name="topN"/> words with the similarity of their centroid.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = WordVectors.DefaultTopN)
    {
        int id = IdOf(word);
        return Nearest(_unitCentroids.AsSpan(_labels[id] * Dimensions, Dimensions), topN, id);
    }

    /// <summary>The nearest words to a vector through the quantized space (see <see cref="MostSimilar(string, int)"/>).</summary>
    /// <param name="vector">A vector of <see cref="Dimensions"/> values.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Up to <paramref name="topN"/> words with the similarity of their centroid to the vector.</returns>
    /// <exception cref="ArgumentException">The vector has another length.</exception>
    public IReadOnlyList<WordSimilarity> SimilarByVector(ReadOnlySpan<float> vector, int topN = WordVectors.DefaultTopN)
    {
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The vector has {vector.Length} values; these vectors have {Dimensions} dimensions."), nameof(vector));
        }

        return Nearest(vector, topN, -1);
    }

    /// <summary>Decodes every word to its centroid, as ordinary word vectors (for evaluation or export).</summary>
    /// <returns>New word vectors with the same vocabulary.</returns>
    public WordVectors ToWordVectors()
    {
        var matrix = new float[Count * Dimensions];
        for (int id = 0; id < Count; id++)
        {
            _centroids.AsSpan(_labels[id] * Dimensions, Dimensions).CopyTo(matrix.AsSpan(id * Dimensions, Dimensions));
        }

        return new WordVectors(Vocabulary, matrix, Dimensions);
    }

    /// <summary>Writes the native file atomically: the target holds the old or the complete new content.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path) => NativeFile.Write(path, FileKind, FileFlags, this, static (writer, q) => q.WriteBody(writer));

    /// <summary>Writes the native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream) => NativeFile.Write(stream, FileKind, FileFlags, this, static (writer, q) => q.WriteBody(writer));

    /// <summary>Reads a file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The quantized vectors.</returns>
    /// <exception cref="InvalidDataException">The file is not a quantized-vectors file, is truncated, or its checksum does not match.</exception>
    public static QuantizedVectors Load(string path) => NativeFile.Read(path, FileKind, ReadBody);

    /// <summary>Reads a file written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <returns>The quantized vectors.</returns>
    /// <exception cref="InvalidDataException">The stream holds no quantized vectors, is truncated, or its checksum does not match.</exception>
    public static QuantizedVectors Load(Stream stream) => NativeFile.Read(stream, FileKind, ReadBody);

    /// <summary>The header flags: bit 0 spherical.</summary>
    internal ushort FileFlags => (ushort)(Spherical ? 1 : 0);

    /// <summary>The file's body (also embedded in a quantized language model's file); the spherical flag travels in the frame.</summary>
    internal void WriteBody(NativePayloadWriter writer)
    {
        writer.Write(Dimensions);
        writer.Write(Count);
        writer.Write(Clusters);
        writer.Write(Inertia);
        writer.WriteVocabulary(Vocabulary);
        writer.WriteFloats(_centroids);
        foreach (int label in _labels)
        {
            writer.Write(label);
        }

        foreach (double value in _clusterInertia)
        {
            writer.Write(value);
        }
    }

    /// <summary>Reads the body <see cref="WriteBody"/> wrote.</summary>
    internal static QuantizedVectors ReadBody(NativePayloadReader reader)
    {
        string path = reader.Name;
        bool spherical = (reader.Flags & 1) != 0;
        int dimensions = reader.ReadInt32();
        int count = reader.ReadCount("word count");
        int clusters = reader.ReadCount("cluster count");
        _ = reader.ReadDouble();
        if (dimensions < 1 || clusters < 1 || clusters > Math.Max(1, count))
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' has invalid sizes ({count} words, {dimensions} dimensions, {clusters} clusters)."));
        }

        Vocabulary vocabulary = reader.ReadVocabulary();
        if (vocabulary.Count != count)
        {
            throw new InvalidDataException($"'{path}' declares {count} words but holds {vocabulary.Count}.");
        }

        float[] centroids = reader.ReadFloats((long)clusters * dimensions);
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = reader.ReadInt32();
            if ((uint)labels[i] >= (uint)clusters)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}': word {i} is in cluster {labels[i]}, outside 0–{clusters - 1}."));
            }
        }

        var inertia = new double[clusters];
        for (int c = 0; c < clusters; c++)
        {
            inertia[c] = reader.ReadDouble();
        }

        return new QuantizedVectors(vocabulary, dimensions, centroids, labels, inertia, spherical);
    }

    private List<WordSimilarity> Nearest(ReadOnlySpan<float> query, int topN, int excludeId)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        float queryNorm = TensorPrimitives.Norm(query);
        var similarity = new float[Clusters];
        var order = new int[Clusters];
        for (int c = 0; c < Clusters; c++)
        {
            float dot = TensorPrimitives.Dot(query, _unitCentroids.AsSpan(c * Dimensions, Dimensions));
            similarity[c] = queryNorm > 0 ? dot / queryNorm : 0;
            order[c] = c;
        }

        // Most similar cluster first; ties by index, so the ranking is stable.
        Array.Sort(order, (a, b) => similarity[a] != similarity[b] ? similarity[b].CompareTo(similarity[a]) : a.CompareTo(b));
        var result = new List<WordSimilarity>(Math.Min(topN, Count));
        foreach (int c in order)
        {
            foreach (int id in _members[c])
            {
                if (id == excludeId)
                {
                    continue;
                }

                result.Add(new WordSimilarity(Vocabulary[id], similarity[c]));
                if (result.Count == topN)
                {
                    return result;
                }
            }
        }

        return result;
    }

    private int IdOf(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Vocabulary.TryGetId(word, out int id) ? id : throw new KeyNotFoundException($"'{word}' is not in the vocabulary of {Count:N0} words.");
    }
}
