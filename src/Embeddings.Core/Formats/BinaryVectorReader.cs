using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// Reads word2vec binary as gensim's <c>_word2vec_read_binary</c> and word2vec.c do: after the <c>count dimensions</c>
/// header line, each record is a word ending at the first space (newlines before it, which word2vec.c writes after
/// every vector, are skipped) and <c>dimensions</c> little-endian float32 values. The values are copied straight from
/// the read buffer into the matrix; each word is decoded once.
/// </summary>
internal static class BinaryVectorReader
{
    /// <summary>The longest word accepted (word2vec.c truncates words at 100 bytes).</summary>
    public const int MaxWordBytes = 1 << 16;

    public static WordVectors Read(InputBuffer input, FormatErrors errors, int? limit, Encoding? encoding)
    {
        (long count, int dimensions) = TextVectorReader.ReadHeader(input, errors);
        long rows = Math.Min(count, limit ?? long.MaxValue);
        if (dimensions > Array.MaxLength / sizeof(float))
        {
            errors.AtLine(1, $"the header gives {dimensions:N0} dimensions; a binary vector holds at most {Array.MaxLength / sizeof(float):N0}.");
        }

        // A record is at least a 1-byte word, a space and the vector.
        long? left = input.BytesLeft;
        TextLines.ValidateHeader(errors, count, dimensions, rows, (sizeof(float) * (long)dimensions) + 2, left, "binary vectors");
        var table = new VectorTableBuilder(dimensions, left is null ? 0 : rows, rows);
        int vectorBytes = dimensions * sizeof(float);
        for (long i = 0; i < rows; i++)
        {
            long recordStart = input.Position;
            int space = FindSpace(input, errors, recordStart, i, count);
            ReadOnlySpan<byte> wordBytes = input.Available[..space].TrimStart((byte)'\n');
            if (wordBytes.IsEmpty)
            {
                errors.AtByte(recordStart, $"vector {i + 1:N0} of {count:N0} has an empty word.");
            }

            if (!WordDecoder.TryDecode(wordBytes, encoding, out string word, out int invalid))
            {
                long wordStart = recordStart + space - wordBytes.Length;
                throw WordDecoder.Error(errors.Source, $"the word of vector {i + 1:N0} of {count:N0}", wordStart + invalid, wordBytes[invalid], encoding);
            }

            input.Advance(space + 1);
            if (!input.Fill(vectorBytes))
            {
                errors.AtByte(input.Position, $"the file ends inside the vector of {FormatErrors.Quote(word)} (vector {i + 1:N0} of {count:N0}): {vectorBytes:N0} bytes needed, {input.Available.Length:N0} left.");
            }

            Span<float> row = table.BeginRow();
            input.Available[..vectorBytes].CopyTo(MemoryMarshal.AsBytes(row));
            if (!BitConverter.IsLittleEndian)
            {
                Span<int> bits = MemoryMarshal.Cast<float, int>(row);
                BinaryPrimitives.ReverseEndianness(bits, bits);
            }

            int bad = FloatChecks.IndexOfNonFinite(row);
            if (bad >= 0)
            {
                errors.AtByte(input.Position + (bad * sizeof(float)), $"value {bad + 1} of {FormatErrors.Quote(word)} (vector {i + 1:N0}) is {row[bad]}; vectors must be finite.");
            }

            input.Advance(vectorBytes);
            table.CommitRow(word);
        }

        return table.Build();
    }

    private static int FindSpace(InputBuffer input, FormatErrors errors, long recordStart, long index, long count)
    {
        int searched = 0;
        while (true)
        {
            ReadOnlySpan<byte> available = input.Available;
            int limit = Math.Min(available.Length, MaxWordBytes + 1);
            int space = available[searched..limit].IndexOf((byte)' ');
            if (space >= 0)
            {
                return searched + space;
            }

            searched = limit;
            if (searched > MaxWordBytes)
            {
                errors.AtByte(recordStart, $"no space ends the word of vector {index + 1:N0} of {count:N0} within {MaxWordBytes:N0} bytes; the file is not word2vec binary or is damaged.");
            }

            if (!input.FillMore())
            {
                errors.AtByte(recordStart, $"the file ends inside the word of vector {index + 1:N0} of {count:N0}.");
            }
        }
    }
}
