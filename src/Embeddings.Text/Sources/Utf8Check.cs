using System.Text;
using System.Text.Unicode;

namespace Embeddings.Text.Sources;

/// <summary>
/// Checks that bytes are UTF-8 as they stream past in chunks, and finds the first invalid one. A sequence split
/// between two chunks is held back (at most 3 bytes) and checked when the next chunk completes it.
/// </summary>
internal sealed class Utf8Check
{
    private readonly byte[] _pending = new byte[4];
    private int _pendingLength;
    private long _pendingOffset;

    /// <summary>The offset and value of the first invalid byte in <paramref name="data"/>, or <see langword="null"/>.</summary>
    /// <param name="data">The next chunk.</param>
    /// <param name="offset">The offset of <paramref name="data"/> in the whole input.</param>
    /// <returns>
    /// The first byte of the first invalid sequence; it lies before <paramref name="offset"/> when a sequence begun
    /// in the previous chunk turns out invalid.
    /// </returns>
    public (long Offset, byte Value)? FindInvalid(ReadOnlySpan<byte> data, long offset)
    {
        int start = 0;
        if (_pendingLength > 0)
        {
            int needed = SequenceLength(_pending[0]);
            start = Math.Min(needed - _pendingLength, data.Length);
            data[..start].CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += start;
            if (_pendingLength < needed)
            {
                return null;
            }

            if (!Utf8.IsValid(_pending.AsSpan(0, needed)))
            {
                return (_pendingOffset, _pending[0]);
            }

            _pendingLength = 0;
        }

        ReadOnlySpan<byte> rest = data[start..];
        int tail = IncompleteTail(rest);
        ReadOnlySpan<byte> whole = rest[..^tail];

        // Utf8.IsValid is vectorised: the check costs a fraction of the decoding that follows.
        if (!Utf8.IsValid(whole))
        {
            int index = FirstInvalid(whole);
            return (offset + start + index, whole[index]);
        }

        rest[^tail..].CopyTo(_pending);
        _pendingLength = tail;
        _pendingOffset = offset + start + whole.Length;
        return null;
    }

    /// <summary>At the end of the input: the start of a sequence cut short by the end, or <see langword="null"/>.</summary>
    public (long Offset, byte Value)? FindInvalidAtEnd() => _pendingLength > 0 ? (_pendingOffset, _pending[0]) : null;

    /// <summary>How many bytes a sequence starting with <paramref name="lead"/> has (1 for bytes that cannot lead one).</summary>
    private static int SequenceLength(byte lead) => lead switch
    {
        >= 0xF0 => 4,
        >= 0xE0 => 3,
        >= 0xC0 => 2,
        _ => 1,
    };

    /// <summary>The bytes at the end of <paramref name="data"/> that begin a sequence the chunk does not complete.</summary>
    private static int IncompleteTail(ReadOnlySpan<byte> data)
    {
        for (int k = 1; k <= Math.Min(3, data.Length); k++)
        {
            byte b = data[^k];
            if ((b & 0xC0) == 0x80)
            {
                continue; // a continuation byte: look further back for its lead
            }

            return b >= 0xC0 && SequenceLength(b) > k ? k : 0;
        }

        return 0;
    }

    private static int FirstInvalid(ReadOnlySpan<byte> data)
    {
        int index = 0;
        while (Rune.DecodeFromUtf8(data[index..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
        {
            index += consumed;
        }

        return index;
    }
}
