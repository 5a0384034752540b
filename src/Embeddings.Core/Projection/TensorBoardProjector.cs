using System.Globalization;
using System.Text;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Projection;

/// <summary>
/// Writes word vectors for the TensorBoard Embedding Projector (<c>projector.tensorflow.org</c>, "Load"): a
/// <c>vectors.tsv</c> of tab-separated values, one vector a line, no header; and a <c>metadata.tsv</c> with the words
/// in the same order. As gensim's <c>word2vec2tensor</c> does, the metadata is one word a line without a header; with
/// counts it has two columns, and then the Projector requires a header line (<c>word&lt;TAB&gt;count</c>).
/// </summary>
/// <remarks>
/// Numbers are written in the invariant culture, shortest round-trip form. A tab, carriage return or line feed inside a
/// word would break the format and is written as a space. UTF-8 without a byte-order mark, <c>\n</c> line ends.
/// </remarks>
public static class TensorBoardProjector
{
    /// <summary>The name of the vectors file, <c>vectors.tsv</c>.</summary>
    public const string VectorsFileName = "vectors.tsv";

    /// <summary>The name of the metadata file, <c>metadata.tsv</c>.</summary>
    public const string MetadataFileName = "metadata.tsv";

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Writes <see cref="VectorsFileName"/> and <see cref="MetadataFileName"/> into <paramref name="directory"/>
    /// (created if missing). Each file is written atomically: to a temporary file in the same folder, flushed to disk,
    /// then renamed over the target.
    /// </summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="directory">The output folder.</param>
    /// <param name="maxWords">Export only the first (most frequent) words; <see langword="null"/> for all. The web
    /// Projector stays responsive up to some tens of thousands of points.</param>
    /// <param name="includeCounts">Add a count column (and hence a header line) to the metadata.</param>
    /// <returns>The paths of the vectors and metadata files.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> &lt; 1.</exception>
    public static (string VectorsPath, string MetadataPath) Export(
        WordVectors vectors, string directory, int? maxWords = null, bool includeCounts = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        int count = Limit(vectors, maxWords);
        Directory.CreateDirectory(directory);
        string vectorsPath = Path.Combine(directory, VectorsFileName);
        string metadataPath = Path.Combine(directory, MetadataFileName);
        WriteAtomically(vectorsPath, stream => WriteVectors(vectors, stream, count));
        WriteAtomically(metadataPath, stream => WriteMetadata(vectors, stream, count, includeCounts));
        return (vectorsPath, metadataPath);
    }

    /// <summary>Writes the vectors, one tab-separated line each, without a header.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="maxWords">Only the first words; <see langword="null"/> for all.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> &lt; 1.</exception>
    public static void WriteVectors(WordVectors vectors, Stream destination, int? maxWords = null)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(destination);
        int count = Limit(vectors, maxWords);
        using var writer = new StreamWriter(destination, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        Span<char> number = stackalloc char[32];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<float> vector = vectors.GetVector(i);
            for (int j = 0; j < vector.Length; j++)
            {
                if (j > 0)
                {
                    writer.Write('\t');
                }

                vector[j].TryFormat(number, out int written, default, CultureInfo.InvariantCulture);
                writer.Write(number[..written]);
            }

            writer.Write('\n');
        }
    }

    /// <summary>Writes the words, one a line in vector order; with <paramref name="includeCounts"/>, a <c>word&lt;TAB&gt;count</c>
    /// header and two columns.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="destination">Where to write; left open.</param>
    /// <param name="maxWords">Only the first words; <see langword="null"/> for all.</param>
    /// <param name="includeCounts">Add the vocabulary counts as a second column.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWords"/> &lt; 1.</exception>
    public static void WriteMetadata(WordVectors vectors, Stream destination, int? maxWords = null, bool includeCounts = false)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(destination);
        int count = Limit(vectors, maxWords);
        using var writer = new StreamWriter(destination, Utf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
        if (includeCounts)
        {
            writer.Write("word\tcount\n");
        }

        for (int i = 0; i < count; i++)
        {
            string word = vectors.Vocabulary[i];
            if (word.AsSpan().IndexOfAny('\t', '\r', '\n') >= 0)
            {
                word = word.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
            }

            writer.Write(word);
            if (includeCounts)
            {
                writer.Write('\t');
                writer.Write(vectors.Vocabulary.GetCount(i).ToString(CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }

    private static int Limit(WordVectors vectors, int? maxWords)
    {
        if (maxWords is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, 1, nameof(maxWords));
            return Math.Min(max, vectors.Count);
        }

        return vectors.Count;
    }

    private static void WriteAtomically(string path, Action<Stream> write) => AtomicFile.Write(path, write);
}
