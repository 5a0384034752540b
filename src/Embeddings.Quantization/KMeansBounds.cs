using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Embeddings.Quantization;

/// <summary>
/// Distance bounds that let Lloyd's assignment step skip most points once the centroids settle, in the family of
/// Elkan's and Hamerly's exact accelerations: a point keeps its label without a full row of distances when its distance
/// to its own centroid is below a lower bound on its distance to every other centroid.
/// </summary>
/// <remarks>
/// <para>
/// At a point's last full row we keep about a dozen of its nearest other centroids (up to <see cref="Slots"/>) with
/// their distances, and the distance of the farthest of them as a bound for all the rest. A centroid that moves by δ
/// brings every point at most δ nearer, so a listed centroid's bound loses that centroid's own total movement since
/// then, and the rest's bound loses the sum of the largest movement of each update. On word vectors most centroids stop
/// moving long before the last iteration while a few keep drifting, which is why the listed centroids keep their own
/// bounds: one shared bound (Hamerly's) pays the largest drift for every point and skipped only about half of them at
/// k = 256.
/// </para>
/// <para>
/// The bounds are widened by the rounding error of a computed squared distance, so a point is skipped only when
/// <see cref="KMeansKernels.Assign"/>'s own float arithmetic would pick the same centroid: labels, distances and
/// centroids stay bit-identical to a full assignment of every point, which the tests check. The error of
/// <c>‖x‖² + (‖c‖² − 2x·c)</c>, with each dot product a chain of d fused multiply-adds, is at most about
/// (2d + 4)·2⁻²⁴·(‖x‖² + ‖c‖²); <see cref="Rounding"/> doubles that. Bounds are stored with the movement totals of their
/// time added, so that an update touches k totals instead of every point's bounds.
/// </para>
/// </remarks>
internal sealed class KMeansBounds
{
    /// <summary>The most other centroids whose distance a point keeps from its last full row.</summary>
    public const int Slots = 15;

    /// <summary>Which smallest of the eight lane minima of a row is the cut for its listed centroids (see <see cref="Refresh"/>).</summary>
    private const int CutRank = 6;

    public KMeansBounds(int points, int clusters, int dimensions)
    {
        Listed = Math.Min(Slots, clusters - 1);
        Nearest = new int[points * Listed];
        NearestBound = new double[points * Listed];
        RestBound = new double[points];
        Array.Fill(RestBound, double.NegativeInfinity);
        Moved = new double[clusters];
        Rounding = ((4.0 * dimensions) + 8) * Math.ScaleB(1.0, -24);
    }

    /// <summary>Slots of listed centroids per point: <see cref="Slots"/>, or k − 1 when fewer; unused slots have an infinite bound.</summary>
    public int Listed { get; }

    /// <summary>Per point, <see cref="Listed"/> centroid ids: some of its nearest other centroids at its last full row (the nearest always among them).</summary>
    public int[] Nearest { get; }

    /// <summary>Per point and listed centroid: a lower bound on the distance then, plus that centroid's <see cref="Moved"/> then.</summary>
    public double[] NearestBound { get; }

    /// <summary>Per point: a lower bound on the distance to every other unlisted centroid then, plus <see cref="MovedMost"/> then; −∞ before the first full row.</summary>
    public double[] RestBound { get; }

    /// <summary>Per centroid: the total distance it has moved over all updates.</summary>
    public double[] Moved { get; }

    /// <summary>The total over all updates of the largest move of any centroid in that update.</summary>
    public double MovedMost { get; private set; }

    /// <summary>The rounding allowance of a computed squared distance, per unit of <c>‖x‖² + ‖c‖²</c>.</summary>
    public double Rounding { get; }

    /// <summary>The largest ‖c‖² of the current centroids.</summary>
    public float MaxCentroidNorm { get; set; }

    /// <summary>Points that needed a full row in the last assignment, summed over the workers.</summary>
    public int FullRows;

    /// <summary>Adds how far each centroid moved from its old to its new position (k × d each) to the totals.</summary>
    public void AddMoves(ReadOnlySpan<float> previous, ReadOnlySpan<float> next, int dimensions)
    {
        double largest = 0;
        for (int c = 0; c < Moved.Length; c++)
        {
            double squared = 0;
            for (int j = 0; j < dimensions; j++)
            {
                double diff = (double)next[(c * dimensions) + j] - previous[(c * dimensions) + j];
                squared += diff * diff;
            }

            // The double rounding here and in the bounds' subtractions is far inside the float allowance of Rounding.
            double move = Math.Sqrt(squared);
            Moved[c] += move;
            largest = Math.Max(largest, move);
        }

        MovedMost += largest;
    }

    /// <summary>
    /// Whether <paramref name="point"/>, at squared distance <paramref name="distance"/> (as computed) from its own
    /// centroid, is certainly still nearest to it.
    /// </summary>
    public bool Settles(int point, float distance, float pointNorm)
    {
        double upper = Math.Sqrt(distance + (Rounding * (pointNorm + MaxCentroidNorm)));
        if (upper >= RestBound[point] - MovedMost)
        {
            return false;
        }

        int first = point * Listed;
        for (int j = 0; j < Listed; j++)
        {
            if (upper >= NearestBound[first + j] - Moved[Nearest[first + j]])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Records the bounds of <paramref name="point"/> from its full row of scores <c>‖c‖² − 2x·c</c>, whose minimum is at <paramref name="best"/>.</summary>
    /// <param name="point">The point.</param>
    /// <param name="scores">The row; overwritten.</param>
    /// <param name="pointNorm">‖x‖².</param>
    /// <param name="best">The index of the row's minimum.</param>
    public void Refresh(int point, Span<float> scores, float pointNorm, int best)
    {
        // The list needs no order and no exact count: any few smallest scores serve, with the largest of them as the
        // bound of everything else. The sixth smallest of the eight lane minima is a cut that at least six scores meet,
        // typically nine and more than Slots + 1 in about one row in thirty (which then takes the slow path below),
        // found with vector minimums instead of a sort or a search per listed centroid.
        scores[best] = float.PositiveInfinity;
        int lanes = Vector256<float>.Count;
        int vectorEnd = scores.Length - (scores.Length % lanes);
        Vector256<float> laneMinima = Vector256.Create(float.PositiveInfinity);
        for (int c = 0; c < vectorEnd; c += lanes)
        {
            laneMinima = Vector256.Min(laneMinima, Vector256.Create<float>(scores.Slice(c, lanes)));
        }

        Span<float> minima = stackalloc float[Vector256<float>.Count];
        laneMinima.CopyTo(minima);
        minima.Sort();
        float cut = minima[CutRank - 1];

        Span<int> ids = stackalloc int[Slots + 1];
        int found = 0;
        var cutVector = Vector256.Create(cut);
        for (int c = 0; c < scores.Length && found <= Slots; c += lanes)
        {
            uint meets = c < vectorEnd
                ? Vector256.LessThanOrEqual(Vector256.Create<float>(scores.Slice(c, lanes)), cutVector).ExtractMostSignificantBits()
                : TailMask(scores[c..], cut);
            for (; meets != 0 && found <= Slots; meets &= meets - 1)
            {
                ids[found++] = c + BitOperations.TrailingZeroCount(meets);
            }
        }

        double allowance = Rounding * (pointNorm + MaxCentroidNorm);
        int first = point * Listed;
        if (found > Slots || found < 2)
        {
            // Ties at the cut (or very few centroids): list the smallest one by one instead.
            for (int j = 0; j < Listed; j++)
            {
                int nearest = TensorPrimitives.IndexOfMin(scores);
                Set(j, nearest, scores[nearest]);
                scores[nearest] = float.PositiveInfinity;
            }

            float rest = TensorPrimitives.Min(scores);
            RestBound[point] = rest < float.PositiveInfinity ? Lower(rest) + MovedMost : double.PositiveInfinity;
            return;
        }

        int largest = 0;
        for (int j = 1; j < found; j++)
        {
            largest = scores[ids[j]] > scores[ids[largest]] ? j : largest;
        }

        RestBound[point] = Lower(scores[ids[largest]]) + MovedMost;
        ids[largest] = ids[--found];
        for (int j = 0; j < Listed; j++)
        {
            if (j < found)
            {
                Set(j, ids[j], scores[ids[j]]);
            }
            else
            {
                Nearest[first + j] = 0;
                NearestBound[first + j] = double.PositiveInfinity;
            }
        }

        void Set(int slot, int centroid, float score)
        {
            Nearest[first + slot] = centroid;
            NearestBound[first + slot] = Lower(score) + Moved[centroid];
        }

        double Lower(float score) => Math.Sqrt(Math.Max(0, (double)pointNorm + score - allowance));
    }

    /// <summary>Which of the last (fewer than a vector's) scores are at most <paramref name="cut"/>, as bits.</summary>
    private static uint TailMask(ReadOnlySpan<float> tail, float cut)
    {
        uint mask = 0;
        for (int i = 0; i < tail.Length; i++)
        {
            mask |= tail[i] <= cut ? 1u << i : 0;
        }

        return mask;
    }
}
