using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// The native vectors format, version 1. All integers little-endian; offsets from the start of the file.
/// <code>
/// offset size  field
///      0    4  magic "EMBV" (45 4D 42 56)
///      4    2  version (uint16) = 1
///      6    2  header size (uint16) = 64
///      8    4  flags (uint32) = 0, reserved
///     12    4  dimensions (int32, ≥ 1)
///     16    8  word count N (int64, ≥ 0)
///     24    8  vocabulary offset (int64) = 64
///     32    8  vocabulary length V in bytes (int64)
///     40    8  matrix offset M (int64) = 64 + V rounded up to a multiple of 64
///     48    8  file length (int64) = M + N·dimensions·4 + 8
///     56    8  reserved, zero
///     64       vocabulary: N counts (int64), then N words (7-bit-encoded byte length, UTF-8 bytes), in id order
///   64+V       zero padding up to M
///      M       matrix: N × dimensions float32, row-major
///    end−8     XXH64 (seed 0) of every byte before it (uint64)
/// </code>
/// Readers reject newer versions, unknown flags and any size that disagrees with the file length, before allocating.
/// </summary>
internal static class NativeVectorFormat
{
    public const ushort Version = 1;
    public const int HeaderSize = 64;
    public const int ChecksumSize = sizeof(ulong);
    public const int MatrixAlignment = 64;

    private const int HashChunk = 1 << 20;

    /// <summary>The file magic, "EMBV".</summary>
    public static ReadOnlySpan<byte> Magic => "EMBV"u8;

    public static void Write(WordVectors vectors, Stream stream)
    {
        IReadOnlyList<string> words = vectors.Vocabulary.Words;
        long count = words.Count;
        var byteCounts = new int[words.Count];
        long vocabularyLength = count * sizeof(long);
        for (int i = 0; i < byteCounts.Length; i++)
        {
            byteCounts[i] = Encoding.UTF8.GetByteCount(words[i]);
            vocabularyLength += VarIntLength(byteCounts[i]) + byteCounts[i];
        }

        if (vocabularyLength > int.MaxValue)
        {
            throw new NotSupportedException($"The vocabulary takes {vocabularyLength:N0} bytes; the native format holds at most {int.MaxValue:N0}.");
        }

        long matrixOffset = Align(HeaderSize + vocabularyLength);
        long matrixLength = count * vectors.Dimensions * sizeof(float);
        long fileLength = matrixOffset + matrixLength + ChecksumSize;
        var output = new OutputBuffer(stream, fileLength, hashing: true);

        Span<byte> header = output.GetSpan(HeaderSize)[..HeaderSize];
        header.Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], 0);
        BinaryPrimitives.WriteInt32LittleEndian(header[12..], vectors.Dimensions);
        BinaryPrimitives.WriteInt64LittleEndian(header[16..], count);
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], HeaderSize);
        BinaryPrimitives.WriteInt64LittleEndian(header[32..], vocabularyLength);
        BinaryPrimitives.WriteInt64LittleEndian(header[40..], matrixOffset);
        BinaryPrimitives.WriteInt64LittleEndian(header[48..], fileLength);
        output.Advance(HeaderSize);

        for (int i = 0; i < words.Count; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(output.GetSpan(sizeof(long)), vectors.Vocabulary.GetCount(i));
            output.Advance(sizeof(long));
        }

        for (int i = 0; i < words.Count; i++)
        {
            Span<byte> prefix = output.GetSpan(5);
            output.Advance(WriteVarInt(prefix, byteCounts[i]));
            TextVectorWriter.WriteWord(output, words[i]);
        }

        output.GetSpan(MatrixAlignment)[..(int)(matrixOffset - output.Written)].Clear();
        output.Advance((int)(matrixOffset - output.Written));
        BinaryVectorWriter.WriteLittleEndian(output, vectors.Matrix);
        ulong checksum = output.Hash;
        BinaryPrimitives.WriteUInt64LittleEndian(output.GetSpan(ChecksumSize), checksum);
        output.Advance(ChecksumSize);
        output.Flush();
    }

    /// <summary>Opens a native file by memory-mapping it; the matrix is not copied.</summary>
    public static WordVectors ReadMapped(FileStream file, FormatErrors errors, VectorFileLoadOptions options)
    {
        long length = file.Length;
        Span<byte> headerBytes = stackalloc byte[HeaderSize];
        file.Position = 0;
        int got = file.ReadAtLeast(headerBytes, HeaderSize, throwOnEndOfStream: false);
        Header header = Header.Parse(headerBytes[..got], length, exactLength: true, errors);

        MemoryMappedFile map = MemoryMappedFile.CreateFromFile(
            file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: true);
        MappedVectorMemory memory;
        try
        {
            memory = new MappedVectorMemory(map, length);
        }
        catch
        {
            map.Dispose();
            throw;
        }

        try
        {
            if (options.VerifyChecksum)
            {
                var hash = new XxHash64();
                for (long offset = 0; offset < length - ChecksumSize; offset += HashChunk)
                {
                    hash.Append(memory.Bytes(offset, (int)Math.Min(HashChunk, length - ChecksumSize - offset)));
                }

                VerifyChecksum(errors, BinaryPrimitives.ReadUInt64LittleEndian(memory.Bytes(length - ChecksumSize, ChecksumSize)), hash.GetCurrentHash(), length - ChecksumSize);
            }

            int take = header.Rows(options.Limit);
            Vocabulary vocabulary = ReadVocabulary(memory.Bytes(header.VocabularyOffset, (int)header.VocabularyLength), header, take, errors);
            memory.SetValues(header.MatrixOffset, take * header.Dimensions);
            if (options.VerifyChecksum)
            {
                CheckFinite(memory.GetSpan(), header, vocabulary, errors);
            }

            return new WordVectors(vocabulary, memory.Memory, header.Dimensions, memory);
        }
        catch
        {
            ((IDisposable)memory).Dispose();
            throw;
        }
    }

    /// <summary>Reads a native file from a stream into an array, hashing as it goes.</summary>
    public static WordVectors Read(InputBuffer input, FormatErrors errors, VectorFileLoadOptions options)
    {
        input.Fill(HeaderSize);
        ReadOnlySpan<byte> available = input.Available;
        Header header = Header.Parse(available[..Math.Min(HeaderSize, available.Length)], input.BytesLeft, exactLength: false, errors);
        bool verify = options.VerifyChecksum;
        var hash = new XxHash64();
        Consume(input, HeaderSize, ref hash);

        int vocabularyLength = (int)header.VocabularyLength;
        if (!input.Fill(vocabularyLength))
        {
            errors.AtByte(input.Position + input.Available.Length, $"the file ends inside the vocabulary, which the header says takes {vocabularyLength:N0} bytes from byte {header.VocabularyOffset:N0}.");
        }

        int take = header.Rows(options.Limit);
        Vocabulary vocabulary = ReadVocabulary(input.Available[..vocabularyLength], header, take, errors);
        Consume(input, vocabularyLength, ref hash);
        int padding = (int)(header.MatrixOffset - header.VocabularyOffset - header.VocabularyLength);
        if (!input.Fill(padding))
        {
            errors.AtByte(input.Position + input.Available.Length, $"the file ends before the matrix at byte {header.MatrixOffset:N0}.");
        }

        Consume(input, padding, ref hash);

        int dimensions = header.Dimensions;
        int vectorBytes = dimensions * sizeof(float);
        long justified = input.BytesLeft is null ? 0 : take;
        var values = new float[Math.Min((long)take * dimensions, Math.Max(justified * dimensions, 1 << 12))];
        for (int row = 0; row < take; row++)
        {
            if (!input.Fill(vectorBytes))
            {
                errors.AtByte(input.Position + input.Available.Length, $"the file ends inside the matrix, in the vector of {FormatErrors.Quote(vocabulary[row])} (row {row:N0}).");
            }

            if ((long)(row + 1) * dimensions > values.Length)
            {
                Array.Resize(ref values, (int)Math.Min(Math.Max((long)(row + 1) * dimensions, 2L * values.Length), (long)take * dimensions));
            }

            Span<float> destination = values.AsSpan(row * dimensions, dimensions);
            input.Available[..vectorBytes].CopyTo(MemoryMarshal.AsBytes(destination));
            Consume(input, vectorBytes, ref hash);
        }

        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }

        if (verify)
        {
            long rest = (header.Count - take) * vectorBytes;
            while (rest > 0)
            {
                int chunk = (int)Math.Min(rest, HashChunk);
                if (!input.Fill(chunk))
                {
                    errors.AtByte(input.Position + input.Available.Length, $"the file ends inside the matrix, which the header says ends at byte {header.MatrixOffset + (header.Count * vectorBytes):N0}.");
                }

                Consume(input, chunk, ref hash);
                rest -= chunk;
            }

            if (!input.Fill(ChecksumSize))
            {
                errors.AtByte(input.Position + input.Available.Length, $"the file ends before its {ChecksumSize}-byte checksum.");
            }

            VerifyChecksum(errors, BinaryPrimitives.ReadUInt64LittleEndian(input.Available), hash.GetCurrentHash(), input.Position);
            CheckFinite(values, header, vocabulary, errors);
        }

        return new WordVectors(vocabulary, values.AsMemory(0, take * dimensions), dimensions, owner: null);
    }

    private static void Consume(InputBuffer input, int count, ref XxHash64 hash)
    {
        hash.Append(input.Available[..count]);
        input.Advance(count);
    }

    private static void VerifyChecksum(FormatErrors errors, ulong stored, ulong actual, long offset)
    {
        if (stored != actual)
        {
            errors.AtByte(offset, $"checksum mismatch: the file stores XXH64 {stored:x16}, its content hashes to {actual:x16}; the file is damaged.");
        }
    }

    private static void CheckFinite(ReadOnlySpan<float> values, in Header header, Vocabulary vocabulary, FormatErrors errors)
    {
        int i = FloatChecks.IndexOfNonFinite(values);
        if (i >= 0)
        {
            errors.AtByte(header.MatrixOffset + ((long)i * sizeof(float)), $"value {(i % header.Dimensions) + 1} of {FormatErrors.Quote(vocabulary[i / header.Dimensions])} is {values[i]}; vectors must be finite.");
        }
    }

    private static Vocabulary ReadVocabulary(ReadOnlySpan<byte> section, in Header header, int take, FormatErrors errors)
    {
        long count = header.Count;
        long countsLength = count * sizeof(long);
        var counts = new long[take];
        long total = 0;
        for (int i = 0; i < take; i++)
        {
            long value = BinaryPrimitives.ReadInt64LittleEndian(section[(i * sizeof(long))..]);
            if (value < 0 || value > long.MaxValue - total)
            {
                errors.AtByte(header.VocabularyOffset + (i * sizeof(long)), $"word {i:N0} has count {value:N0}; counts must be non-negative and sum to at most {long.MaxValue:N0}.");
            }

            counts[i] = value;
            total += value;
        }

        var words = new string[take];
        int position = (int)countsLength;
        for (int i = 0; i < take; i++)
        {
            long at = header.VocabularyOffset + position;
            if (!TryReadVarInt(section[position..], out int length, out int prefix) || length < 1 || length > section.Length - position - prefix)
            {
                errors.AtByte(at, $"word {i:N0}: invalid length prefix; the vocabulary is damaged.");
            }

            position += prefix;
            words[i] = Encoding.UTF8.GetString(section.Slice(position, length));
            position += length;
        }

        if (take == count && position != section.Length)
        {
            errors.AtByte(header.VocabularyOffset + position, $"the vocabulary ends {section.Length - position:N0} bytes before the end the header gives.");
        }

        try
        {
            return Vocabulary.FromWordsInOrder(words, counts);
        }
        catch (ArgumentException exception)
        {
            throw errors.Wrap(exception, $"the vocabulary is damaged: {exception.Message}");
        }
    }

    private static long Align(long offset) => (offset + MatrixAlignment - 1) / MatrixAlignment * MatrixAlignment;

    private static int VarIntLength(int value) => value < 1 << 7 ? 1 : value < 1 << 14 ? 2 : value < 1 << 21 ? 3 : value < 1 << 28 ? 4 : 5;

    private static int WriteVarInt(Span<byte> destination, int value)
    {
        uint remaining = (uint)value;
        int written = 0;
        while (remaining >= 0x80)
        {
            destination[written++] = (byte)(remaining | 0x80);
            remaining >>= 7;
        }

        destination[written++] = (byte)remaining;
        return written;
    }

    private static bool TryReadVarInt(ReadOnlySpan<byte> source, out int value, out int length)
    {
        uint result = 0;
        for (int i = 0; i < 5 && i < source.Length; i++)
        {
            byte b = source[i];
            result |= (uint)(b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                value = (int)result;
                length = i + 1;
                return result <= int.MaxValue && (i == 0 || b != 0);
            }
        }

        value = length = 0;
        return false;
    }

    /// <summary>The fixed header, parsed and checked against the file length before anything is allocated.</summary>
    internal readonly record struct Header(int Dimensions, long Count, long VocabularyOffset, long VocabularyLength, long MatrixOffset, long FileLength)
    {
        /// <summary>The number of rows to read under <paramref name="limit"/>.</summary>
        public int Rows(int? limit) => (int)Math.Min(Count, limit ?? long.MaxValue);

        /// <param name="bytes">The first bytes of the file (the header, or fewer if the file is shorter).</param>
        /// <param name="fileLength">The bytes from the start of the header to the end of the input, when known.</param>
        /// <param name="exactLength">Whether the input must end with the file (a file) or may go on (a stream).</param>
        /// <param name="errors">Names the input in messages.</param>
        public static Header Parse(ReadOnlySpan<byte> bytes, long? fileLength, bool exactLength, FormatErrors errors)
        {
            if (bytes.Length < Magic.Length || !bytes.StartsWith(Magic))
            {
                errors.AtByte(0, $"not a native vectors file: it does not start with the magic \"EMBV\".");
            }

            if (bytes.Length < HeaderSize)
            {
                errors.AtByte(bytes.Length, $"the file ends inside the {HeaderSize}-byte header.");
            }

            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
            if (version > Version)
            {
                errors.AtByte(4, $"the file is native vectors format version {version}; this library reads versions 1 to {Version}. Update Embeddings for .NET to open it.");
            }

            if (version < 1)
            {
                errors.AtByte(4, $"format version {version} is not valid; versions start at 1.");
            }

            ushort headerSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            int dimensions = BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]);
            long count = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
            long vocabularyOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]);
            long vocabularyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]);
            long matrixOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]);
            long length = BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]);
            ulong reserved = BinaryPrimitives.ReadUInt64LittleEndian(bytes[56..]);

            if (headerSize != HeaderSize)
            {
                errors.AtByte(6, $"header size {headerSize}; version {Version} headers are {HeaderSize} bytes.");
            }

            if (flags != 0 || reserved != 0)
            {
                errors.AtByte(flags != 0 ? 8 : 56, $"reserved header fields are not zero (flags {flags:x8}, reserved {reserved:x16}).");
            }

            if (dimensions < 1 || dimensions > Array.MaxLength / sizeof(float))
            {
                errors.AtByte(12, $"dimensions {dimensions:N0}; expected 1 to {Array.MaxLength / sizeof(float):N0}.");
            }

            if (count < 0 || (Int128)count * dimensions > Array.MaxLength)
            {
                errors.AtByte(16, $"word count {count:N0} × {dimensions:N0} dimensions; a matrix holds 0 to {Array.MaxLength:N0} values.");
            }

            if (vocabularyOffset != HeaderSize)
            {
                errors.AtByte(24, $"vocabulary offset {vocabularyOffset:N0}; expected {HeaderSize}.");
            }

            // Each word takes its 8-byte count, a length byte and at least one byte.
            if (vocabularyLength < count * 10 || vocabularyLength > int.MaxValue)
            {
                errors.AtByte(32, $"vocabulary length {vocabularyLength:N0} bytes cannot hold {count:N0} words (10 to {int.MaxValue:N0} bytes expected, at least 10 per word).");
            }

            long expectedMatrix = Align(vocabularyOffset + vocabularyLength);
            if (matrixOffset != expectedMatrix)
            {
                errors.AtByte(40, $"matrix offset {matrixOffset:N0}; expected {expectedMatrix:N0} (the vocabulary's end aligned to {MatrixAlignment} bytes).");
            }

            long expectedLength = matrixOffset + (count * dimensions * sizeof(float)) + ChecksumSize;
            if (length != expectedLength)
            {
                errors.AtByte(48, $"file length field {length:N0}; the sizes in the header add up to {expectedLength:N0}.");
            }

            if (fileLength is { } actual && (actual < length || (exactLength && actual != length)))
            {
                errors.AtByte(Math.Min(actual, length), $"the header describes a file of {length:N0} bytes, but it has {actual:N0}; the file is truncated or damaged.");
            }

            return new Header(dimensions, count, vocabularyOffset, vocabularyLength, matrixOffset, length);
        }
    }
}
