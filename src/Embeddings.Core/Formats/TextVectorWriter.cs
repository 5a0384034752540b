using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Writes word2vec text, fastText <c>.vec</c> and GloVe text: UTF-8, <c>\n</c> line ends, values with the shortest
/// invariant-culture text that parses back to the same float32 (<c>"R"</c>; gensim writes numpy's <c>repr</c>, also
/// shortest round-trip, so both read each other's values exactly). No string is allocated per value.
/// </summary>
internal static class TextVectorWriter
{
    /// <summary>Room for one formatted float32 ("-1.1754944E-38" is 14 bytes) and a separator.</summary>
    private const int MaxValueBytes = 32;

    public static void Write(WordVectors vectors, Stream stream, VectorFileFormat format)
    {
        bool header = format != VectorFileFormat.GloVeText;
        bool trailingSpace = format == VectorFileFormat.FastTextVec;
        int dimensions = vectors.Dimensions;
        var output = new OutputBuffer(stream, (long)vectors.Count * ((dimensions * 12L) + 16));
        if (header)
        {
            WriteHeader(output, vectors);
        }

        IReadOnlyList<string> words = vectors.Vocabulary.Words;
        ReadOnlySpan<float> matrix = vectors.Matrix;
        for (int id = 0; id < words.Count; id++)
        {
            WriteWord(output, words[id]);
            ReadOnlySpan<float> row = matrix.Slice(id * dimensions, dimensions);
            for (int j = 0; j < row.Length; j++)
            {
                Span<byte> span = output.GetSpan(MaxValueBytes);
                span[0] = (byte)' ';
                row[j].TryFormat(span[1..], out int written, "R", CultureInfo.InvariantCulture);
                output.Advance(written + 1);
            }

            if (trailingSpace)
            {
                output.Write((byte)' ');
            }

            output.Write((byte)'\n');
        }

        output.Flush();
    }

    /// <summary>Writes the word2vec header line, <c>count dimensions\n</c>.</summary>
    internal static void WriteHeader(OutputBuffer output, WordVectors vectors)
    {
        Utf8.TryWrite(output.GetSpan(64), CultureInfo.InvariantCulture, $"{vectors.Count} {vectors.Dimensions}\n", out int written);
        output.Advance(written);
    }

    /// <summary>Writes a word's UTF-8 bytes (invalid UTF-16, a lone surrogate, becomes U+FFFD).</summary>
    internal static void WriteWord(OutputBuffer output, string word)
    {
        int maxBytes = Encoding.UTF8.GetMaxByteCount(word.Length);
        if (maxBytes <= 1 << 16)
        {
            Span<byte> span = output.GetSpan(maxBytes);
            output.Advance(Encoding.UTF8.GetBytes(word, span));
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(word));
        }
    }
}
