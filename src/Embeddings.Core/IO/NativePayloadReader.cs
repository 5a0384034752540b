using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.Options;

namespace Embeddings.Core.IO;

/// <summary>
/// Reads a native file's payload: <see cref="BinaryReader"/> (little-endian, UTF-8 strings) that ends with the payload,
/// plus checked counts, float arrays and vocabularies. Every problem is an <see cref="InvalidDataException"/> naming the file.
/// </summary>
public sealed class NativePayloadReader : BinaryReader
{
    internal NativePayloadReader(Stream payload, string name, ushort version, ushort flags)
        : base(payload, Encoding.UTF8, leaveOpen: true) => (Name, Version, Flags) = (name, version, flags);

    /// <summary>The file's name (its path, or a description of the stream), for messages.</summary>
    public string Name { get; }

    /// <summary>The file's format version (below the kind's version for a file in the earlier frame).</summary>
    public ushort Version { get; }

    /// <summary>The flags of the file's header.</summary>
    public ushort Flags { get; }

    /// <summary>The mapped file the payload lies in, when it was read by <see cref="NativeFile.ReadMapped"/>.</summary>
    internal MappedVectorMemory? Mapping { get; init; }

    /// <summary>
    /// The mapping when <see cref="ReadFloatsInPlace"/> handed out values that lie in it: what the payload becomes must
    /// own it (and dispose it), since those values live as long as the mapping; null otherwise.
    /// </summary>
    internal IDisposable? MappingInUse => Mapping is { HasValues: true } ? Mapping : null;

    /// <summary>The payload bytes not read yet.</summary>
    public long Remaining => BaseStream is HashingStream hashing ? hashing.Remaining : BaseStream.Length - BaseStream.Position;

    /// <summary>Reads a non-negative int32 count that cannot exceed the bytes left (each item takes at least one byte).</summary>
    /// <param name="what">What is counted, for the message ("word count").</param>
    /// <exception cref="InvalidDataException">The count is negative or larger than the rest of the payload allows.</exception>
    public int ReadCount(string what)
    {
        int value = ReadInt32();
        return value >= 0 && value <= Remaining + 1 ? value : throw Invalid(string.Create(CultureInfo.InvariantCulture, $"has an invalid {what} ({value})"));
    }

    /// <summary>Reads <paramref name="count"/> little-endian float32 values.</summary>
    /// <param name="count">The number of values.</param>
    /// <exception cref="InvalidDataException">The payload ends before them.</exception>
    public float[] ReadFloats(long count)
    {
        CheckFloats(count);
        var values = new float[count];
        ReadFloats(values);
        return values;
    }

    /// <summary>Reads <c>destination.Length</c> little-endian float32 values straight into <paramref name="destination"/>.</summary>
    /// <exception cref="InvalidDataException">The payload ends before them.</exception>
    internal void ReadFloats(Span<float> destination)
    {
        if ((long)destination.Length * sizeof(float) > Remaining)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"is truncated: {destination.Length} values do not fit in the {Remaining} bytes left"));
        }

        BaseStream.ReadExactly(MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
        {
            Span<int> bits = MemoryMarshal.Cast<float, int>(destination);
            BinaryPrimitives.ReverseEndianness(bits, bits);
        }
    }

    /// <summary>
    /// Reads <paramref name="count"/> float32 values where they lie when the payload is a mapped file's (see
    /// <see cref="Mapping"/>): hashed, not copied, read-only, valid while the mapping lives (<see cref="MappingInUse"/>
    /// says who must own it). One region of a file is mapped so; otherwise, and on a big-endian machine, a new array as
    /// <see cref="ReadFloats(long)"/> gives.
    /// </summary>
    internal Memory<float> ReadFloatsInPlace(long count)
    {
        if (Mapping is null || Mapping.HasValues || BaseStream is not HashingStream payload || !BitConverter.IsLittleEndian)
        {
            return ReadFloats(count);
        }

        CheckFloats(count);
        long offset = NativeFile.HeaderSize + payload.Count;
        const int Slice = 1 << 30;
        for (long done = 0, bytes = count * sizeof(float); done < bytes; done += Slice)
        {
            payload.Skip(Mapping.Bytes(offset + done, (int)Math.Min(Slice, bytes - done)));
        }

        Mapping.SetValues(offset, (int)count);
        return Mapping.Memory;
    }

    private void CheckFloats(long count)
    {
        if (count < 0 || count > Array.MaxLength || count * sizeof(float) > Remaining)
        {
            throw Invalid(string.Create(CultureInfo.InvariantCulture, $"is truncated: {count} values do not fit in the {Remaining} bytes left"));
        }
    }

    /// <summary>Reads a vocabulary written by <see cref="NativePayloadWriter.WriteVocabulary"/>.</summary>
    /// <exception cref="InvalidDataException">The vocabulary is damaged (a repeated word, a negative count).</exception>
    public Vocabulary ReadVocabulary()
    {
        int count = ReadCount("word count");
        var words = new string[count];
        var counts = new long[count];
        for (int i = 0; i < count; i++)
        {
            counts[i] = ReadInt64();
            words[i] = ReadString();
        }

        try
        {
            return Vocabulary.FromWordsInOrder(words, counts);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{Name}' holds an invalid vocabulary: {OptionsValidator.PlainMessage(e)}", e);
        }
    }

    /// <summary>An exception that says the file <paramref name="problem"/> ("is truncated", "holds 3 parameters where 4 were expected").</summary>
    /// <param name="problem">What is wrong, as the end of a sentence whose subject is the file.</param>
    public InvalidDataException Invalid(string problem) => new($"'{Name}' {problem}.");
}
