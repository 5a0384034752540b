using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Embeddings.Quantization;

/// <summary>
/// Hamming distances between packed binary codes (<c>ulong</c> words, bit j of a code in word j / 64), with a scalar
/// twin for tests. One 64-bit word is one hardware <c>popcnt</c> (<see cref="BitOperations.PopCount(ulong)"/>); codes of
/// 512 bits or more also have an AVX2 path (nibble-table population count, Muła's method), which at shorter codes does
/// not beat one <c>popcnt</c> a word.
/// </summary>
internal static class HammingKernels
{
    /// <summary>The shortest code, in words, that takes the AVX2 path.</summary>
    internal const int SimdMinimumWords = 8;

    /// <summary>The number of differing bits of two codes of equal length.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Distance(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        Debug.Assert(a.Length == b.Length);
        if (Avx2.IsSupported && a.Length >= SimdMinimumWords)
        {
            return DistanceAvx2(a, b);
        }

        int sum = 0;
        for (int w = 0; w < a.Length; w++)
        {
            sum += BitOperations.PopCount(a[w] ^ b[w]);
        }

        return sum;
    }

    /// <summary>The scalar twin of <see cref="Distance"/>: bit by bit.</summary>
    public static int DistanceScalar(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        int sum = 0;
        for (int w = 0; w < a.Length; w++)
        {
            ulong x = a[w] ^ b[w];
            for (int bit = 0; bit < 64; bit++)
            {
                sum += (int)((x >> bit) & 1);
            }
        }

        return sum;
    }

    /// <summary>The AVX2 path: 256 bits at a time through a 16-entry nibble table, summed per 64-bit lane; the tail word by word.</summary>
    internal static int DistanceAvx2(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        Debug.Assert(Avx2.IsSupported);
        Vector256<byte> table = Vector256.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        Vector256<byte> low = Vector256.Create((byte)0x0F);
        Vector256<ulong> total = Vector256<ulong>.Zero;
        ref ulong pa = ref MemoryMarshal.GetReference(a);
        ref ulong pb = ref MemoryMarshal.GetReference(b);
        int w = 0;
        for (; w + 4 <= a.Length; w += 4)
        {
            Vector256<byte> x = (Vector256.LoadUnsafe(ref pa, (nuint)w) ^ Vector256.LoadUnsafe(ref pb, (nuint)w)).AsByte();
            Vector256<byte> counts = Avx2.Shuffle(table, x & low) + Avx2.Shuffle(table, Vector256.ShiftRightLogical(x.AsUInt16(), 4).AsByte() & low);
            total += Avx2.SumAbsoluteDifferences(counts, Vector256<byte>.Zero).AsUInt64();
        }

        int sum = (int)Vector256.Sum(total);
        for (; w < a.Length; w++)
        {
            sum += BitOperations.PopCount(a[w] ^ b[w]);
        }

        return sum;
    }

    /// <summary>The distance from <paramref name="query"/> to each of the codes in <paramref name="codes"/> (n × words).</summary>
    public static void Distances(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, Span<int> distances)
    {
        int words = query.Length;
        Debug.Assert(codes.Length == distances.Length * words);
        for (int i = 0; i < distances.Length; i++)
        {
            distances[i] = Distance(query, codes.Slice(i * words, words));
        }
    }

    /// <summary>
    /// <see cref="Distances(ReadOnlySpan{ulong}, ReadOnlySpan{ulong}, Span{int})"/> that also counts the codes at each
    /// distance into <paramref name="histogram"/> (bits + 1 entries, cleared first), in the same pass; specialised for
    /// codes of 1, 2 and 4 words.
    /// </summary>
    public static void Distances(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, Span<int> distances, Span<int> histogram)
    {
        int words = query.Length;
        Debug.Assert(codes.Length == distances.Length * words);
        histogram.Clear();
        switch (words)
        {
            case 1:
                for (int i = 0; i < distances.Length; i++)
                {
                    int d = BitOperations.PopCount(query[0] ^ codes[i]);
                    distances[i] = d;
                    histogram[d]++;
                }

                return;
            case 2:
                {
                    ulong q0 = query[0], q1 = query[1];
                    for (int i = 0; i < distances.Length; i++)
                    {
                        int d = BitOperations.PopCount(q0 ^ codes[2 * i]) + BitOperations.PopCount(q1 ^ codes[(2 * i) + 1]);
                        distances[i] = d;
                        histogram[d]++;
                    }

                    return;
                }

            case 4:
                {
                    ulong q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3];
                    for (int i = 0; i < distances.Length; i++)
                    {
                        ReadOnlySpan<ulong> c = codes.Slice(4 * i, 4);
                        int d = BitOperations.PopCount(q0 ^ c[0]) + BitOperations.PopCount(q1 ^ c[1])
                            + BitOperations.PopCount(q2 ^ c[2]) + BitOperations.PopCount(q3 ^ c[3]);
                        distances[i] = d;
                        histogram[d]++;
                    }

                    return;
                }

            default:
                for (int i = 0; i < distances.Length; i++)
                {
                    int d = Distance(query, codes.Slice(i * words, words));
                    distances[i] = d;
                    histogram[d]++;
                }

                return;
        }
    }

    /// <summary>
    /// The codes of <paramref name="codes"/> nearest to <paramref name="query"/>, as many as <paramref name="ids"/> holds,
    /// nearest first, ties by index, <paramref name="exclude"/> (or −1) left out; writes their distances into
    /// <paramref name="distances"/> (as long). One pass, nothing stored per code: once the list is full, a code
    /// enters only if strictly nearer than the farthest kept (a later index loses a tie), so the common case is a
    /// <c>popcnt</c> a word and one well-predicted compare. Specialised for codes of 1, 2 and 4 words.
    /// </summary>
    /// <returns>How many codes were found (the list's length, or fewer when there are fewer codes).</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Search(ReadOnlySpan<ulong> query, ReadOnlySpan<ulong> codes, int exclude, Span<int> ids, Span<int> distances)
    {
        Debug.Assert(ids.Length == distances.Length && ids.Length > 0);
        int words = query.Length;
        int count = codes.Length / words;
        int kept = 0;
        int worst = int.MaxValue; // a code enters while the list is not full, then only below the farthest kept
        ref ulong c = ref MemoryMarshal.GetReference(codes);
        switch (words)
        {
            case 1:
                {
                    ulong q0 = query[0];
                    for (int i = 0; i < count; i++)
                    {
                        int d = BitOperations.PopCount(q0 ^ Unsafe.Add(ref c, i));
                        if (d < worst && i != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d, i);
                        }
                    }

                    break;
                }

            case 2:
                {
                    ulong q0 = query[0], q1 = query[1];
                    int i = 0;
                    for (; i + 1 < count; i += 2)
                    {
                        // Two codes an iteration: their popcnts overlap; each is then offered in index order.
                        ref ulong code = ref Unsafe.Add(ref c, 2 * i);
                        int d0 = BitOperations.PopCount(q0 ^ code) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 1));
                        int d1 = BitOperations.PopCount(q0 ^ Unsafe.Add(ref code, 2)) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 3));
                        if (d0 < worst && i != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d0, i);
                        }

                        if (d1 < worst && i + 1 != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d1, i + 1);
                        }
                    }

                    for (; i < count; i++)
                    {
                        ref ulong code = ref Unsafe.Add(ref c, 2 * i);
                        int d = BitOperations.PopCount(q0 ^ code) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 1));
                        if (d < worst && i != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d, i);
                        }
                    }

                    break;
                }

            case 4:
                {
                    ulong q0 = query[0], q1 = query[1], q2 = query[2], q3 = query[3];
                    int i = 0;
                    for (; i + 1 < count; i += 2)
                    {
                        ref ulong code = ref Unsafe.Add(ref c, 4 * i);
                        int d0 = BitOperations.PopCount(q0 ^ code) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 1))
                            + BitOperations.PopCount(q2 ^ Unsafe.Add(ref code, 2)) + BitOperations.PopCount(q3 ^ Unsafe.Add(ref code, 3));
                        int d1 = BitOperations.PopCount(q0 ^ Unsafe.Add(ref code, 4)) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 5))
                            + BitOperations.PopCount(q2 ^ Unsafe.Add(ref code, 6)) + BitOperations.PopCount(q3 ^ Unsafe.Add(ref code, 7));
                        if (d0 < worst && i != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d0, i);
                        }

                        if (d1 < worst && i + 1 != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d1, i + 1);
                        }
                    }

                    for (; i < count; i++)
                    {
                        ref ulong code = ref Unsafe.Add(ref c, 4 * i);
                        int d = BitOperations.PopCount(q0 ^ code) + BitOperations.PopCount(q1 ^ Unsafe.Add(ref code, 1))
                            + BitOperations.PopCount(q2 ^ Unsafe.Add(ref code, 2)) + BitOperations.PopCount(q3 ^ Unsafe.Add(ref code, 3));
                        if (d < worst && i != exclude)
                        {
                            worst = Insert(ids, distances, ref kept, d, i);
                        }
                    }

                    break;
                }

            default:
                for (int i = 0; i < count; i++)
                {
                    int d = Distance(query, codes.Slice(i * words, words));
                    if (d < worst && i != exclude)
                    {
                        worst = Insert(ids, distances, ref kept, d, i);
                    }
                }

                break;
        }

        return kept;
    }

    /// <summary>Inserts code <paramref name="id"/> after every kept code at distance ≤ <paramref name="distance"/> (they have lower indices), dropping the farthest when full; returns the new entry bar.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Insert(Span<int> ids, Span<int> distances, ref int kept, int distance, int id)
    {
        int capacity = ids.Length;
        int at = kept < capacity ? kept++ : kept - 1;
        while (at > 0 && distances[at - 1] > distance)
        {
            distances[at] = distances[at - 1];
            ids[at] = ids[at - 1];
            at--;
        }

        distances[at] = distance;
        ids[at] = id;
        return kept == capacity ? distances[kept - 1] : int.MaxValue;
    }

    /// <summary>
    /// The <paramref name="topN"/> codes nearest to the query by <paramref name="distances"/> (each at most
    /// <paramref name="maxDistance"/>), nearest first, ties by index; <paramref name="exclude"/> (or −1) is left out.
    /// A counting selection: one pass for the histogram, one to collect.
    /// </summary>
    public static int[] Nearest(ReadOnlySpan<int> distances, int maxDistance, int topN, int exclude)
    {
        var histogram = new int[maxDistance + 1];
        foreach (int d in distances)
        {
            histogram[d]++;
        }

        return Nearest(distances, histogram, topN, exclude);
    }

    /// <summary><see cref="Nearest(ReadOnlySpan{int}, int, int, int)"/> from a histogram of all the distances (the excluded code's included); the histogram is modified.</summary>
    public static int[] Nearest(ReadOnlySpan<int> distances, Span<int> histogram, int topN, int exclude)
    {
        int maxDistance = histogram.Length - 1;
        if (exclude >= 0 && exclude < distances.Length)
        {
            histogram[distances[exclude]]--;
        }

        int available = distances.Length - (exclude >= 0 && exclude < distances.Length ? 1 : 0);
        int wanted = Math.Min(topN, available);
        int threshold = 0, below = 0;
        while (threshold <= maxDistance && below + histogram[threshold] < wanted)
        {
            below += histogram[threshold++];
        }

        // Codes nearer than the threshold all enter; of those at it, the lowest indices fill the rest.
        var chosen = new int[wanted];
        int taken = 0, atThreshold = wanted - below;
        for (int i = 0; i < distances.Length && taken < wanted; i++)
        {
            if (i == exclude)
            {
                continue;
            }

            int d = distances[i];
            if (d < threshold || (d == threshold && atThreshold-- > 0))
            {
                chosen[taken++] = i;
            }
        }

        int[] keys = new int[wanted];
        for (int i = 0; i < wanted; i++)
        {
            keys[i] = distances[chosen[i]];
        }

        Array.Sort(keys, chosen); // by distance; the ties are put back in index order below
        for (int start = 0; start < wanted;)
        {
            int end = start;
            while (end < wanted && keys[end] == keys[start])
            {
                end++;
            }

            Array.Sort(chosen, start, end - start);
            start = end;
        }

        return chosen;
    }
}
