using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Embeddings.Core.IO;

/// <summary>
/// XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0 by default), computed incrementally. The checksum of the native
/// vectors format. Written here because System.IO.Hashing is not part of the shared framework and the package feed
/// used to build this repository does not serve it; the output is the reference algorithm's (checked against its
/// published test vectors), so files can be verified with any xxHash tool (<c>xxhsum -H64</c>).
/// </summary>
internal struct XxHash64
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;
    private const ulong Prime3 = 0x165667B19E3779F9UL;
    private const ulong Prime4 = 0x85EBCA77C2B2AE63UL;
    private const ulong Prime5 = 0x27D4EB2F165667C5UL;
    private const int StripeSize = 32;

    private readonly ulong _seed;
    private ulong _v1;
    private ulong _v2;
    private ulong _v3;
    private ulong _v4;
    private ulong _totalLength;
    private Stripe _pending;
    private int _pendingLength;

    /// <summary>Starts a hash with <paramref name="seed"/>.</summary>
    public XxHash64(ulong seed)
    {
        _seed = seed;
        _v1 = seed + Prime1 + Prime2;
        _v2 = seed + Prime2;
        _v3 = seed;
        _v4 = seed - Prime1;
    }

    /// <summary>Starts a hash with seed 0.</summary>
    public XxHash64()
        : this(0)
    {
    }

    /// <summary>The hash of <paramref name="data"/> in one call.</summary>
    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        var hash = new XxHash64(seed);
        hash.Append(data);
        return hash.GetCurrentHash();
    }

    /// <summary>Adds <paramref name="data"/> to the hashed input.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        _totalLength += (ulong)data.Length;
        Span<byte> pending = _pending;
        if (_pendingLength > 0)
        {
            int take = Math.Min(StripeSize - _pendingLength, data.Length);
            data[..take].CopyTo(pending[_pendingLength..]);
            _pendingLength += take;
            data = data[take..];
            if (_pendingLength < StripeSize)
            {
                return;
            }

            ConsumeStripe(pending);
            _pendingLength = 0;
        }

        ulong v1 = _v1, v2 = _v2, v3 = _v3, v4 = _v4;
        while (data.Length >= StripeSize)
        {
            v1 = Round(v1, BinaryPrimitives.ReadUInt64LittleEndian(data));
            v2 = Round(v2, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
            v3 = Round(v3, BinaryPrimitives.ReadUInt64LittleEndian(data[16..]));
            v4 = Round(v4, BinaryPrimitives.ReadUInt64LittleEndian(data[24..]));
            data = data[StripeSize..];
        }

        (_v1, _v2, _v3, _v4) = (v1, v2, v3, v4);
        if (!data.IsEmpty)
        {
            data.CopyTo(pending);
            _pendingLength = data.Length;
        }
    }

    /// <summary>The hash of everything appended so far; appending may continue.</summary>
    public readonly ulong GetCurrentHash()
    {
        ulong hash;
        if (_totalLength >= StripeSize)
        {
            hash = BitOperations.RotateLeft(_v1, 1) + BitOperations.RotateLeft(_v2, 7)
                + BitOperations.RotateLeft(_v3, 12) + BitOperations.RotateLeft(_v4, 18);
            hash = MergeRound(hash, _v1);
            hash = MergeRound(hash, _v2);
            hash = MergeRound(hash, _v3);
            hash = MergeRound(hash, _v4);
        }
        else
        {
            hash = _seed + Prime5;
        }

        hash += _totalLength;
        Stripe pendingCopy = _pending;
        ReadOnlySpan<byte> tail = ((ReadOnlySpan<byte>)pendingCopy)[.._pendingLength];
        while (tail.Length >= 8)
        {
            hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(tail));
            hash = (BitOperations.RotateLeft(hash, 27) * Prime1) + Prime4;
            tail = tail[8..];
        }

        if (tail.Length >= 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(tail) * Prime1;
            hash = (BitOperations.RotateLeft(hash, 23) * Prime2) + Prime3;
            tail = tail[4..];
        }

        foreach (byte b in tail)
        {
            hash ^= b * Prime5;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
        }

        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong accumulator, ulong lane) =>
        BitOperations.RotateLeft(accumulator + (lane * Prime2), 31) * Prime1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MergeRound(ulong hash, ulong accumulator) =>
        ((hash ^ Round(0, accumulator)) * Prime1) + Prime4;

    private void ConsumeStripe(ReadOnlySpan<byte> stripe)
    {
        _v1 = Round(_v1, BinaryPrimitives.ReadUInt64LittleEndian(stripe));
        _v2 = Round(_v2, BinaryPrimitives.ReadUInt64LittleEndian(stripe[8..]));
        _v3 = Round(_v3, BinaryPrimitives.ReadUInt64LittleEndian(stripe[16..]));
        _v4 = Round(_v4, BinaryPrimitives.ReadUInt64LittleEndian(stripe[24..]));
    }

    [InlineArray(StripeSize)]
    private struct Stripe
    {
        private byte _element;
    }
}
