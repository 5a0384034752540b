using System.Buffers.Binary;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.IO;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Formats;

/// <summary>
/// The native vectors format, version 2: the <see cref="NativeFile"/> frame of magic "EMBV" around a payload laid out
/// so that the matrix can be memory-mapped in place. All integers little-endian; offsets from the start of the file.
/// <code>
/// offset size  field
///      0   24  frame: magic "EMBV", version (uint16) = 2, flags (uint16) = 0, payload length (uint64), XXH64 of the payload
///     24    4  dimensions (int32, ≥ 1)
///     28    4  reserved, zero
///     32    8  word count N (int64, ≥ 0)
///     40    8  vocabulary length V in bytes (int64)
///     48       vocabulary: N counts (int64), then N words (7-bit-encoded byte length, UTF-8 bytes), in id order
///   48+V       zero padding up to M = 48 + V rounded up to a multiple of 64
///      M       matrix: N × dimensions float32, row-major, to the end of the file
/// </code>
/// Version 1 files still load: a 64-byte header (magic, version 1, header size 64, flags, dimensions, N, vocabulary
/// offset 64 and length V, matrix offset, file length, reserved), the same vocabulary and matrix, and the XXH64 of every
/// byte before it as a trailing uint64. Readers reject newer versions, unknown flags and any size that disagrees with the
/// file length, before allocating.
/// </summary>
internal static class NativeVectorFormat
{
    public const ushort Version = 2;
    public const int HeaderSize = 64;
    public const int MatrixAlignment = 64;

    private const int ChecksumSize = sizeof(ulong);
    private const int FramedHeaderSize = NativeFile.HeaderSize + 24;
    private const int HashChunk = 1 << 20;

    private static readonly NativeFileKind FileKind = NativeFileKind.NativeVectors;

    /// <summary>The file magic, "EMBV".</summary>
    public static ReadOnlySpan<byte> Magic => "EMBV"u8;

    /// <summary>
    /// Writes version 2. The header's checksum comes before the payload, so the payload is hashed first: the
    /// vocabulary is laid out in memory, and the matrix is hashed where it lies, then written.
    /// </summary>
    public static void Write(WordVectors vectors, Stream stream)
    {
        IReadOnlyList<string> words = vectors.Vocabulary.Words;
        long count = words.Count;
        long vocabularyLength = count * sizeof(long);
        foreach (string word in words)
        {
            int bytes = Encoding.UTF8.GetByteCount(word);
            vocabularyLength += VarIntLength(bytes) + bytes;
        }

        long matrixOffset = Align(FramedHeaderSize + vocabularyLength);
        if (matrixOffset > Array.MaxLength)
        {
            throw new NotSupportedException($"The vocabulary takes {vocabularyLength:N0} bytes; the native format holds at most {Array.MaxLength - FramedHeaderSize - MatrixAlignment:N0}.");
        }

        // Everything before the matrix: frame, payload header, vocabulary, zero padding.
        var head = new byte[matrixOffset];
        Span<byte> payloadHeader = head.AsSpan(NativeFile.HeaderSize);
        BinaryPrimitives.WriteInt32LittleEndian(payloadHeader, vectors.Dimensions);
        BinaryPrimitives.WriteInt64LittleEndian(payloadHeader[8..], count);
        BinaryPrimitives.WriteInt64LittleEndian(payloadHeader[16..], vocabularyLength);
        int position = FramedHeaderSize;
        for (int i = 0; i < words.Count; i++, position += sizeof(long))
        {
            BinaryPrimitives.WriteInt64LittleEndian(head.AsSpan(position), vectors.Vocabulary.GetCount(i));
        }

        foreach (string word in words)
        {
            int bytes = Encoding.UTF8.GetByteCount(word);
            position += WriteVarInt(head.AsSpan(position), bytes);
            position += Encoding.UTF8.GetBytes(word, head.AsSpan(position));
        }

        long matrixLength = count * vectors.Dimensions * sizeof(float);
        var hashing = new HashingStream(Stream.Null);
        hashing.Write(head.AsSpan(NativeFile.HeaderSize));
        var hashed = new OutputBuffer(hashing, matrixLength);
        BinaryVectorWriter.WriteLittleEndian(hashed, vectors.Matrix);
        hashed.Flush();
        NativeFile.WriteHeader(head, FileKind, 0, matrixOffset - NativeFile.HeaderSize + matrixLength, hashing.Hash);

        var output = new OutputBuffer(stream, matrixOffset + matrixLength);
        output.Write(head);
        BinaryVectorWriter.WriteLittleEndian(output, vectors.Matrix);
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
                long end = header.HashEnd;
                for (long offset = header.HashStart; offset < end; offset += HashChunk)
                {
                    hash.Append(memory.Bytes(offset, (int)Math.Min(HashChunk, end - offset)));
                }

                ulong stored = header.Checksum ?? BinaryPrimitives.ReadUInt64LittleEndian(memory.Bytes(end, ChecksumSize));
                VerifyChecksum(errors, stored, hash.GetCurrentHashAsUInt64(), end);
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
        hash.Append(input.Available[header.HashStart..header.HeaderLength]);
        input.Advance(header.HeaderLength);

        int vocabularyLength = (int)header.VocabularyLength;
        if (!input.Fill(vocabularyLength))
        {
            errors.AtByte(input.Position + input.Available.Length, $"the file ends inside the vocabulary, which the header says takes {vocabularyLength:N0} bytes from byte {header.VocabularyOffset:N0}.");
        }

        int take = header.Rows(options.Limit);
        Vocabulary vocabulary = ReadVocabulary(input.Available[..vocabularyLength], header, take, errors);
        Consume(input, vocabularyLength, hash);
        int padding = (int)(header.MatrixOffset - header.VocabularyOffset - header.VocabularyLength);
        if (!input.Fill(padding))
        {
            errors.AtByte(input.Position + input.Available.Length, $"the file ends before the matrix at byte {header.MatrixOffset:N0}.");
        }

        Consume(input, padding, hash);

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
            Consume(input, vectorBytes, hash);
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

                Consume(input, chunk, hash);
                rest -= chunk;
            }

            ulong? stored = header.Checksum;
            if (stored is null && !input.Fill(ChecksumSize))
            {
                errors.AtByte(input.Position + input.Available.Length, $"the file ends before its {ChecksumSize}-byte checksum.");
            }

            VerifyChecksum(errors, stored ?? BinaryPrimitives.ReadUInt64LittleEndian(input.Available), hash.GetCurrentHashAsUInt64(), input.Position);
            CheckFinite(values, header, vocabulary, errors);
        }

        return new WordVectors(vocabulary, values.AsMemory(0, take * dimensions), dimensions, owner: null);
    }

    private static void Consume(InputBuffer input, int count, XxHash64 hash)
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
    /// <param name="Dimensions">Values per vector.</param>
    /// <param name="Count">Words.</param>
    /// <param name="VocabularyOffset">Where the vocabulary starts.</param>
    /// <param name="VocabularyLength">The vocabulary's bytes.</param>
    /// <param name="MatrixOffset">Where the matrix starts.</param>
    /// <param name="FileLength">The file's length by the header.</param>
    /// <param name="HeaderLength">The bytes before the vocabulary.</param>
    /// <param name="HashStart">Where the hashed bytes start: the payload (version 2) or the file (version 1).</param>
    /// <param name="Checksum">The header's checksum (version 2); null when it trails the file (version 1).</param>
    internal readonly record struct Header(
        int Dimensions, long Count, long VocabularyOffset, long VocabularyLength, long MatrixOffset, long FileLength, int HeaderLength, int HashStart, ulong? Checksum)
    {
        /// <summary>Where the hashed bytes end: the end of the file, or the trailing checksum.</summary>
        public long HashEnd => Checksum is null ? FileLength - ChecksumSize : FileLength;

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

            ushort version = bytes.Length < 6 ? (ushort)0 : BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]);
            if (version > Version)
            {
                errors.AtByte(4, $"the file is native vectors format version {version}; this library reads versions 1 to {Version}. Update Embeddings for .NET to open it.");
            }

            int headerLength = version == 1 ? HeaderSize : FramedHeaderSize;
            if (bytes.Length < headerLength)
            {
                errors.AtByte(bytes.Length, $"the file ends inside the {headerLength}-byte header.");
            }

            if (version < 1)
            {
                errors.AtByte(4, $"format version {version} is not valid; versions start at 1.");
            }

            Header header = version == 1 ? ParseVersion1(bytes, errors) : ParseVersion2(bytes, errors);
            int dimensions = header.Dimensions;
            long count = header.Count;
            if (dimensions < 1 || dimensions > Array.MaxLength / sizeof(float))
            {
                errors.AtByte(headerLength == HeaderSize ? 12 : 24, $"dimensions {dimensions:N0}; expected 1 to {Array.MaxLength / sizeof(float):N0}.");
            }

            if (count < 0 || (Int128)count * dimensions > Array.MaxLength)
            {
                errors.AtByte(headerLength == HeaderSize ? 16 : 32, $"word count {count:N0} × {dimensions:N0} dimensions; a matrix holds 0 to {Array.MaxLength:N0} values.");
            }

            // Each word takes its 8-byte count, a length byte and at least one byte.
            if (header.VocabularyLength < count * 10 || header.VocabularyLength > int.MaxValue)
            {
                errors.AtByte(headerLength == HeaderSize ? 32 : 40, $"vocabulary length {header.VocabularyLength:N0} bytes cannot hold {count:N0} words (10 to {int.MaxValue:N0} bytes expected, at least 10 per word).");
            }

            long expectedMatrix = Align(header.VocabularyOffset + header.VocabularyLength);
            if (header.MatrixOffset != expectedMatrix)
            {
                errors.AtByte(40, $"matrix offset {header.MatrixOffset:N0}; expected {expectedMatrix:N0} (the vocabulary's end aligned to {MatrixAlignment} bytes).");
            }

            long length = header.FileLength;
            long expectedLength = header.MatrixOffset + (count * dimensions * sizeof(float)) + (header.Checksum is null ? ChecksumSize : 0);
            if (length != expectedLength)
            {
                errors.AtByte(version == 1 ? 48 : 8, $"file length {length:N0} from the header; the sizes in the header add up to {expectedLength:N0}.");
            }

            if (fileLength is { } actual && (actual < length || (exactLength && actual != length)))
            {
                errors.AtByte(Math.Min(actual, length), $"the header describes a file of {length:N0} bytes, but it has {actual:N0}; the file is truncated or damaged.");
            }

            return header;
        }

        private static Header ParseVersion1(ReadOnlySpan<byte> bytes, FormatErrors errors)
        {
            ushort headerSize = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
            uint flags = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
            ulong reserved = BinaryPrimitives.ReadUInt64LittleEndian(bytes[56..]);
            if (headerSize != HeaderSize)
            {
                errors.AtByte(6, $"header size {headerSize}; version 1 headers are {HeaderSize} bytes.");
            }

            if (flags != 0 || reserved != 0)
            {
                errors.AtByte(flags != 0 ? 8 : 56, $"reserved header fields are not zero (flags {flags:x8}, reserved {reserved:x16}).");
            }

            long vocabularyOffset = BinaryPrimitives.ReadInt64LittleEndian(bytes[24..]);
            if (vocabularyOffset != HeaderSize)
            {
                errors.AtByte(24, $"vocabulary offset {vocabularyOffset:N0}; expected {HeaderSize}.");
            }

            return new Header(
                BinaryPrimitives.ReadInt32LittleEndian(bytes[12..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]), vocabularyOffset,
                BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]),
                BinaryPrimitives.ReadInt64LittleEndian(bytes[48..]), HeaderSize, HashStart: 0, Checksum: null);
        }

        private static Header ParseVersion2(ReadOnlySpan<byte> bytes, FormatErrors errors)
        {
            ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]);
            uint reserved = BinaryPrimitives.ReadUInt32LittleEndian(bytes[28..]);
            if (flags != 0 || reserved != 0)
            {
                errors.AtByte(flags != 0 ? 6 : 28, $"reserved header fields are not zero (flags {flags:x4}, reserved {reserved:x8}).");
            }

            ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]);
            if (payloadLength > long.MaxValue / 2)
            {
                errors.AtByte(8, $"payload length {payloadLength:N0} is not valid.");
            }

            long vocabularyLength = BinaryPrimitives.ReadInt64LittleEndian(bytes[40..]);
            return new Header(
                BinaryPrimitives.ReadInt32LittleEndian(bytes[24..]), BinaryPrimitives.ReadInt64LittleEndian(bytes[32..]), FramedHeaderSize,
                vocabularyLength, Align(FramedHeaderSize + Math.Clamp(vocabularyLength, 0, int.MaxValue)), (long)payloadLength + NativeFile.HeaderSize,
                FramedHeaderSize, HashStart: NativeFile.HeaderSize, Checksum: BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]));
        }
    }
}
