using System.Globalization;
using System.Text;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.IO;

/// <summary>
/// The frame shared by the native files of quantized vectors and language models: a 4-byte magic, a version (uint16) and flags (uint16), a body
/// written with <see cref="BinaryWriter"/> (little-endian), and the XXH64 (seed 0) of every byte before it as a
/// trailing uint64. Files are written atomically and read whole; a wrong checksum is reported before parsing.
/// </summary>
internal static class ChecksummedFile
{
    private const int FrameBytes = 4 + 2 + 2 + sizeof(ulong);

    public static void Write<TState>(string path, ReadOnlySpan<byte> magic, ushort version, ushort flags, TState state, Action<BinaryWriter, TState> body)
    {
        byte[] magicBytes = magic.ToArray();
        AtomicFile.Write(path, (magicBytes, version, flags, state, body), static (stream, s) =>
        {
            var hashing = new HashingStream(stream);
            using (var writer = new BinaryWriter(hashing, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(s.magicBytes);
                writer.Write(s.version);
                writer.Write(s.flags);
                s.body(writer, s.state);
                writer.Flush();
            }

            Span<byte> checksum = stackalloc byte[sizeof(ulong)];
            BitConverter.TryWriteBytes(checksum, hashing.Hash);
            if (!BitConverter.IsLittleEndian)
            {
                checksum.Reverse();
            }

            stream.Write(checksum);
        });
    }

    /// <summary>Reads and checks the frame of <paramref name="path"/>; returns a reader over the body and the flags.</summary>
    /// <exception cref="InvalidDataException">The file is too short, of another kind or version, or its checksum does not match.</exception>
    public static (BinaryReader Body, ushort Flags) Read(string path, ReadOnlySpan<byte> magic, ushort expectedVersion, string kind)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < FrameBytes || !bytes.AsSpan(0, 4).SequenceEqual(magic))
        {
            throw new InvalidDataException($"'{path}' is not a {kind} file (the magic \"{Encoding.ASCII.GetString(magic)}\" is missing).");
        }

        ushort version = BitConverter.ToUInt16(bytes, 4);
        if (version != expectedVersion)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' is a {kind} file of version {version}; this library reads version {expectedVersion}."));
        }

        ulong expected = BitConverter.ToUInt64(bytes, bytes.Length - sizeof(ulong));
        ulong actual = XxHash64.Hash(bytes.AsSpan(0, bytes.Length - sizeof(ulong)));
        if (expected != actual)
        {
            throw new InvalidDataException($"'{path}' is corrupt: its checksum does not match its content.");
        }

        ushort flags = BitConverter.ToUInt16(bytes, 6);
        var stream = new MemoryStream(bytes, 8, bytes.Length - FrameBytes, writable: false);
        return (new BinaryReader(stream, Encoding.UTF8, leaveOpen: false), flags);
    }

    public static void WriteVocabulary(BinaryWriter writer, Vocabulary vocabulary)
    {
        writer.Write(vocabulary.Count);
        for (int i = 0; i < vocabulary.Count; i++)
        {
            writer.Write(vocabulary.GetCount(i));
            writer.Write(vocabulary[i]);
        }
    }

    public static Vocabulary ReadVocabulary(BinaryReader reader, string path)
    {
        int count = ReadCount(reader, path, "word count");
        var words = new string[count];
        var counts = new long[count];
        for (int i = 0; i < count; i++)
        {
            counts[i] = reader.ReadInt64();
            words[i] = reader.ReadString();
        }

        try
        {
            return Vocabulary.FromWordsInOrder(words, counts);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' holds an invalid vocabulary: {e.Message}", e);
        }
    }

    /// <summary>A non-negative count that cannot exceed the bytes left (each item takes at least one byte).</summary>
    public static int ReadCount(BinaryReader reader, string path, string what)
    {
        int value = reader.ReadInt32();
        if (value < 0 || value > reader.BaseStream.Length - reader.BaseStream.Position + 1)
        {
            throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"'{path}' has an invalid {what} ({value})."));
        }

        return value;
    }

    public static float[] ReadFloats(BinaryReader reader, int count, string path)
    {
        if ((long)count * sizeof(float) > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new InvalidDataException($"'{path}' is truncated.");
        }

        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }

    public static void WriteFloats(BinaryWriter writer, ReadOnlySpan<float> values)
    {
        foreach (float value in values)
        {
            writer.Write(value);
        }
    }

    /// <summary>Runs <paramref name="parse"/> and turns a premature end into <see cref="InvalidDataException"/>.</summary>
    public static T Parse<T>(string path, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' is truncated.", e);
        }
    }
}
