using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Embeddings.Core.Vectors;

/// <summary>
/// A bounded binary heap of (score, id) candidates kept in two caller-owned spans, so per-query heaps live in one
/// pooled buffer. The root is the worst candidate kept. Candidates rank by score descending, then id ascending,
/// which makes results independent of how rows were split between blocks or threads.
/// </summary>
internal static class TopK
{
    /// <summary>Whether (score1, id1) ranks below (score2, id2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWorse(float score1, int id1, float score2, int id2) => score1 < score2 || (score1 == score2 && id1 > id2);

    /// <summary>Offers a candidate to a heap whose capacity is <c>scores.Length</c>.</summary>
    /// <returns>
    /// The threshold: the lowest score that can still enter (<see cref="float.NegativeInfinity"/> while the heap is not full).
    /// A score equal to the threshold may enter if its id is lower, so callers skip only scores strictly below it.
    /// </returns>
    public static float Offer(Span<float> scores, Span<int> ids, ref int count, float score, int id)
    {
        Debug.Assert(scores.Length == ids.Length && scores.Length > 0);
        int capacity = scores.Length;
        if (count < capacity)
        {
            int i = count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (!IsWorse(score, id, scores[parent], ids[parent]))
                {
                    break;
                }

                scores[i] = scores[parent];
                ids[i] = ids[parent];
                i = parent;
            }

            scores[i] = score;
            ids[i] = id;
            return count < capacity ? float.NegativeInfinity : scores[0];
        }

        if (IsWorse(scores[0], ids[0], score, id))
        {
            SiftDown(scores, ids, count, score, id);
        }

        return scores[0];
    }

    /// <summary>Sorts the first <paramref name="count"/> entries of a heap best first, in place (heap sort).</summary>
    public static void SortBestFirst(Span<float> scores, Span<int> ids, int count)
    {
        for (int end = count - 1; end > 0; end--)
        {
            float score = scores[end];
            int id = ids[end];
            scores[end] = scores[0];
            ids[end] = ids[0];
            SiftDown(scores, ids, end, score, id);
        }
    }

    /// <summary>Puts (score, id) at the root of a heap of <paramref name="count"/> entries and restores the order.</summary>
    private static void SiftDown(Span<float> scores, Span<int> ids, int count, float score, int id)
    {
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= count)
            {
                break;
            }

            int right = child + 1;
            if (right < count && IsWorse(scores[right], ids[right], scores[child], ids[child]))
            {
                child = right;
            }

            if (!IsWorse(scores[child], ids[child], score, id))
            {
                break;
            }

            scores[i] = scores[child];
            ids[i] = ids[child];
            i = child;
        }

        scores[i] = score;
        ids[i] = id;
    }
}
