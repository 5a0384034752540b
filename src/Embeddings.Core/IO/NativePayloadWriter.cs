using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Embeddings.Core.Corpus;

namespace Embeddings.Core.IO;

/// <summary>Writes a native file's payload: <see cref="BinaryWriter"/> (little-endian, UTF-8 strings) plus float arrays and vocabularies.</summary>
public sealed class NativePayloadWriter : BinaryWriter
{
    internal NativePayloadWriter(Stream payload)
        : base(payload, Encoding.UTF8, leaveOpen: true)
    {
    }

    /// <summary>The payload bytes written so far (a file's payload starts at byte <see cref="NativeFile.HeaderSize"/>,
    /// so a format that aligns a matrix for memory mapping pads from here).</summary>
    internal long Written
    {
        get
        {
            Flush();
            return ((HashingStream)OutStream).Count;
        }
    }

    /// <summary>Writes the bytes straight to the payload stream.</summary>
    /// <param name="buffer">The bytes.</param>
    /// <remarks>
    /// <see cref="BinaryWriter"/> copies the span into a pooled array of its whole length when it is subclassed; for a
    /// model's 800 MB weight matrix that doubled the memory a save needed.
    /// </remarks>
    public override void Write(ReadOnlySpan<byte> buffer) => OutStream.Write(buffer);

    /// <summary>Writes the values as little-endian float32, without a count.</summary>
    /// <param name="values">The values.</param>
    public void WriteFloats(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            Write(MemoryMarshal.AsBytes(values));
            return;
        }

        Span<byte> bytes = stackalloc byte[sizeof(float)];
        foreach (float value in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            Write(bytes);
        }
    }

    /// <summary>Writes a vocabulary: its size (int32), then each word's count (int64) and the word (a length-prefixed UTF-8 string), in id order.</summary>
    /// <param name="vocabulary">The vocabulary.</param>
    public void WriteVocabulary(Vocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        Write(vocabulary.Count);
        for (int i = 0; i < vocabulary.Count; i++)
        {
            Write(vocabulary.GetCount(i));
            Write(vocabulary[i]);
        }
    }
}
