using System.Globalization;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;

namespace Embeddings.Quantization;

/// <summary>
/// Word vectors compressed by one <see cref="CompressionMethod"/> (made by <see cref="Compression"/>): their size
/// (<see cref="BytesPerVector"/>, <see cref="CompressionRatio"/>), the <see cref="ReconstructionError"/>, the decoded
/// vectors (<see cref="ToWordVectors"/>), search over the codes (<see cref="MostSimilar(string, int)"/>) and one native
/// file for every method. Immutable and thread-safe to read.
/// </summary>
/// <remarks>
/// <para>
/// Search works on the compressed form: k-means ranks words by their centroid's cosine to the query; product
/// quantization sums asymmetric distance tables; scalar8 takes a float-times-byte dot product a word; binary codes rank
/// by Hamming distance (<c>popcnt</c>); the float autoencoder, whose decoder is not linear, decodes every word once on
/// the first search and ranks by cosine to those vectors. A word's query is its own decoded vector (its own code for
/// binary codes).
/// </para>
/// <para>
/// Native file (<see cref="Save(string)"/>): the <see cref="NativeFile"/> frame of magic "EMCZ" (version 1, flags 0),
/// whose payload is the method, the budget of bits, the dimensions, the word count (int32), the reconstruction error
/// and the training seconds (double), the vocabulary, then the method's part (see docs/file-formats.md).
/// </para>
/// </remarks>
public sealed class CompressedVectors
{
    private static readonly NativeFileKind FileKind = NativeFileKind.CompressedVectors;

    internal CompressedVectors(Vocabulary vocabulary, CompressionMethod method, int bits, int dimensions, CompressedCodes codes, double reconstructionError, double trainingSeconds)
    {
        Vocabulary = vocabulary;
        Method = method;
        Bits = bits;
        Dimensions = dimensions;
        Codes = codes;
        ReconstructionError = reconstructionError;
        TrainingSeconds = trainingSeconds;
    }

    internal CompressedCodes Codes { get; }

    /// <summary>The words, in the order of the source vectors.</summary>
    /// <value>The vocabulary.</value>
    public Vocabulary Vocabulary { get; }

    /// <summary>The number of words.</summary>
    /// <value>n.</value>
    public int Count => Vocabulary.Count;

    /// <summary>The length of the decoded vectors.</summary>
    /// <value>d.</value>
    public int Dimensions { get; }

    /// <summary>The method.</summary>
    /// <value>The method.</value>
    public CompressionMethod Method { get; }

    /// <summary>The budget of bits a word the codes were fitted into.</summary>
    /// <value>The budget.</value>
    public int Bits { get; }

    /// <summary>The bits of one word's code (at most <see cref="Bits"/>).</summary>
    /// <value>k-means: ⌈log2 k⌉; PQ: 8 a subspace; autoencoder: 8 a code value; binary: the bits; scalar8: 8 a dimension.</value>
    public int CodeBits => Codes.CodeBits;

    /// <summary>Bytes of one word's code.</summary>
    /// <value><see cref="CodeBits"/> / 8.</value>
    public double BytesPerVector => CodeBits / 8.0;

    /// <summary>Bytes of a float32 vector over bytes of its code.</summary>
    /// <value>32·d / <see cref="CodeBits"/>.</value>
    public double CompressionRatio => 32.0 * Dimensions / CodeBits;

    /// <summary>Bytes shared by all words: centroids, codebooks, a decoder's weights, scales (float32).</summary>
    /// <value>The model's bytes.</value>
    public long ModelBytes => Codes.ModelBytes;

    /// <summary>Bytes of the float32 matrix over bytes of all codes plus <see cref="ModelBytes"/> (the vocabulary, common to both, left out).</summary>
    /// <value>The whole-matrix ratio.</value>
    public double OverallCompressionRatio => 4.0 * Count * Dimensions / ((Count * BytesPerVector) + ModelBytes);

    /// <summary>The mean squared difference per value between the decoded vectors and the unit-length originals.</summary>
    /// <value>The reconstruction MSE.</value>
    public double ReconstructionError { get; }

    /// <summary>Seconds the compression took (training and coding).</summary>
    /// <value>Wall time.</value>
    public double TrainingSeconds { get; }

    /// <summary>The autoencoder of <see cref="CompressionMethod.Autoencoder"/> and <see cref="CompressionMethod.Binary"/>; <see langword="null"/> for the other methods.</summary>
    /// <value>The trained model.</value>
    public AutoencoderModel? Autoencoder => (Codes as AutoencoderCodes)?.Model;

    /// <summary>Writes the decoded vector of the word with id <paramref name="id"/>.</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    /// <param name="destination">Receives <see cref="Dimensions"/> values.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not <see cref="Dimensions"/> long.</exception>
    public void Decode(int id, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, Count);
        if (destination.Length != Dimensions)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Expected {Dimensions} values, got {destination.Length}."), nameof(destination));
        }

        Codes.Decode(id, destination);
    }

    /// <summary>Decodes every word, as ordinary word vectors (for evaluation or export).</summary>
    /// <returns>New word vectors with the same vocabulary.</returns>
    public WordVectors ToWordVectors() => new(Vocabulary, Codes.DecodeAll(), Dimensions);

    /// <summary>The nearest words to <paramref name="word"/> over the codes (see the remarks); the word itself is left out.</summary>
    /// <param name="word">A vocabulary word.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Words with their similarity (a cosine, or 1 − 2·Hamming/bits for binary codes), best first, ties by id.</returns>
    /// <exception cref="KeyNotFoundException">The word is not in the vocabulary.</exception>
    public IReadOnlyList<WordSimilarity> MostSimilar(string word, int topN = WordVectors.DefaultTopN)
    {
        ArgumentNullException.ThrowIfNull(word);
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        if (!Vocabulary.TryGetId(word, out int id))
        {
            throw new KeyNotFoundException($"'{word}' is not in the vocabulary of {Count:N0} words.");
        }

        return ToSimilarities(Codes.SearchWord(id, topN));
    }

    /// <summary>The nearest words to a vector over the codes (the vector is scaled to unit length first; a binary code encodes it).</summary>
    /// <param name="vector"><see cref="Dimensions"/> values.</param>
    /// <param name="topN">How many words; at least 1.</param>
    /// <returns>Words with their similarity, best first, ties by id.</returns>
    /// <exception cref="ArgumentException">The vector has another length.</exception>
    public IReadOnlyList<WordSimilarity> SimilarByVector(ReadOnlySpan<float> vector, int topN = WordVectors.DefaultTopN)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(topN, 1);
        if (vector.Length != Dimensions)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The vector has {vector.Length} values; these vectors have {Dimensions} dimensions."), nameof(vector));
        }

        float[] query = vector.ToArray();
        KMeans.NormalizeRows(query, Dimensions);
        return ToSimilarities(Codes.Search(-1, query, topN));
    }

    /// <summary>
    /// The share of the exact top-<paramref name="topN"/> neighbours (cosine over <paramref name="exact"/>) that
    /// <see cref="MostSimilar(string, int)"/> finds, averaged over the first <paramref name="queries"/> words.
    /// </summary>
    /// <param name="exact">The uncompressed vectors, with the same vocabulary.</param>
    /// <param name="queries">How many query words, from the most frequent.</param>
    /// <param name="topN">The neighbours compared.</param>
    /// <returns>Recall@topN, 0 to 1.</returns>
    public double MeasureRecall(WordVectors exact, int queries = 1000, int topN = 10)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentOutOfRangeException.ThrowIfLessThan(queries, 1);
        int count = Math.Min(queries, Count);
        double found = 0;
        for (int id = 0; id < count; id++)
        {
            string word = Vocabulary[id];
            var truth = new HashSet<string>(exact.MostSimilar(word, topN).Select(s => s.Word), StringComparer.Ordinal);
            found += MostSimilar(word, topN).Count(s => truth.Contains(s.Word)) / (double)Math.Max(1, truth.Count);
        }

        return found / count;
    }

    /// <summary>Writes the native file atomically: the target holds the old or the complete new content.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path) => NativeFile.Write(path, FileKind, 0, this, static (writer, c) => c.WritePayload(writer));

    /// <summary>Writes the native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream) => NativeFile.Write(stream, FileKind, 0, this, static (writer, c) => c.WritePayload(writer));

    /// <summary>Reads a file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The compressed vectors.</returns>
    /// <exception cref="InvalidDataException">The file is not a compressed-vectors file, is truncated, or its checksum does not match.</exception>
    public static CompressedVectors Load(string path) => NativeFile.Read(path, FileKind, ReadPayload);

    /// <summary>Reads a file written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <returns>The compressed vectors.</returns>
    /// <exception cref="InvalidDataException">The stream holds no compressed vectors, is truncated, or its checksum does not match.</exception>
    public static CompressedVectors Load(Stream stream) => NativeFile.Read(stream, FileKind, ReadPayload);

    private void WritePayload(NativePayloadWriter writer)
    {
        writer.Write((int)Method);
        writer.Write(Bits);
        writer.Write(Dimensions);
        writer.Write(Count);
        writer.Write(ReconstructionError);
        writer.Write(TrainingSeconds);
        writer.WriteVocabulary(Vocabulary);
        Codes.Write(writer);
    }

    private static CompressedVectors ReadPayload(NativePayloadReader reader)
    {
        int method = reader.ReadInt32();
        int bits = reader.ReadInt32();
        int dimensions = reader.ReadInt32();
        int count = reader.ReadCount("word count");
        double error = reader.ReadDouble();
        double seconds = reader.ReadDouble();
        if (!Enum.IsDefined((CompressionMethod)method) || bits < 1 || dimensions is < 1 or > 4096 || bits > 32 * dimensions)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture, $"has an invalid header (method {method}, {bits} bits, {dimensions} dimensions)"));
        }

        Vocabulary vocabulary = reader.ReadVocabulary();
        if (vocabulary.Count != count)
        {
            throw reader.Invalid(string.Create(CultureInfo.InvariantCulture, $"declares {count} words but holds {vocabulary.Count}"));
        }

        CompressedCodes codes = (CompressionMethod)method switch
        {
            CompressionMethod.KMeans => KMeansCodes.Read(reader, count, dimensions),
            CompressionMethod.ProductQuantization => ProductQuantizedCodes.Read(reader, count, dimensions),
            CompressionMethod.Scalar8 => Scalar8Codes.Read(reader, count, dimensions),
            CompressionMethod.Autoencoder => AutoencoderCodes.Read(reader, count, dimensions, binary: false),
            _ => AutoencoderCodes.Read(reader, count, dimensions, binary: true),
        };
        return new CompressedVectors(vocabulary, (CompressionMethod)method, bits, dimensions, codes, error, seconds);
    }

    private List<WordSimilarity> ToSimilarities((int Id, float Score)[] found)
    {
        var result = new List<WordSimilarity>(found.Length);
        foreach ((int id, float score) in found)
        {
            result.Add(new WordSimilarity(Vocabulary[id], score));
        }

        return result;
    }
}
