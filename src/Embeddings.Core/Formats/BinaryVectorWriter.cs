using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Writes word2vec binary as word2vec.c does: the <c>count dimensions</c> header line, then per word its UTF-8 bytes,
/// a space, the vector as little-endian float32 and a newline (gensim omits the newline; both readers accept either).
/// </summary>
internal static class BinaryVectorWriter
{
    public static void Write(WordVectors vectors, Stream stream)
    {
        int dimensions = vectors.Dimensions;
        int vectorBytes = dimensions * sizeof(float);
        var output = new OutputBuffer(stream, (long)vectors.Count * (vectorBytes + 16));
        TextVectorWriter.WriteHeader(output, vectors);
        IReadOnlyList<string> words = vectors.Vocabulary.Words;
        ReadOnlySpan<float> matrix = vectors.Matrix;
        for (int id = 0; id < words.Count; id++)
        {
            TextVectorWriter.WriteWord(output, words[id]);
            output.Write((byte)' ');
            ReadOnlySpan<float> row = matrix.Slice(id * dimensions, dimensions);
            WriteLittleEndian(output, row);
            output.Write((byte)'\n');
        }

        output.Flush();
    }

    /// <summary>Writes float32 values little-endian, whatever the machine's byte order.</summary>
    internal static void WriteLittleEndian(OutputBuffer output, ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            output.Write(MemoryMarshal.AsBytes(values));
            return;
        }

        const int Chunk = 1 << 12;
        while (!values.IsEmpty)
        {
            ReadOnlySpan<int> bits = MemoryMarshal.Cast<float, int>(values[..Math.Min(Chunk, values.Length)]);
            Span<byte> span = output.GetSpan(bits.Length * sizeof(int));
            BinaryPrimitives.ReverseEndianness(bits, MemoryMarshal.Cast<byte, int>(span[..(bits.Length * sizeof(int))]));
            output.Advance(bits.Length * sizeof(int));
            values = values[bits.Length..];
        }
    }
}
