namespace Embeddings.Core.Classification;

/// <summary>How well a score ranks the positive examples of a binary task above the negative ones.</summary>
internal static class RankingMetrics
{
    /// <summary>
    /// The area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive scores above a
    /// random negative, a tie counting half (the same figure as the trapezoids of scikit-learn's <c>roc_auc_score</c>).
    /// </summary>
    /// <param name="isPositive">Whether each example is positive; both kinds must occur.</param>
    /// <param name="scores">Each example's score.</param>
    public static double RocAuc(IReadOnlyList<bool> isPositive, IReadOnlyList<float> scores)
    {
        int[] order = Ascending(scores);
        double positiveRankSum = 0;
        long positives = 0;
        for (int start = 0; start < order.Length;)
        {
            int end = GroupEnd(order, scores, start);

            // Tied scores share the mean of their 1-based ranks start + 1 … end.
            double rank = (start + 1 + end) / 2.0;
            for (int i = start; i < end; i++)
            {
                if (isPositive[order[i]])
                {
                    positiveRankSum += rank;
                    positives++;
                }
            }

            start = end;
        }

        long negatives = order.Length - positives;
        return (positiveRankSum - (positives * (positives + 1) / 2.0)) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision (scikit-learn's <c>average_precision_score</c>): the precision at each distinct score, from
    /// the highest down, weighted by the recall it adds; tied scores form one step.
    /// </summary>
    /// <param name="isPositive">Whether each example is positive; at least one must be.</param>
    /// <param name="scores">Each example's score.</param>
    public static double AveragePrecision(IReadOnlyList<bool> isPositive, IReadOnlyList<float> scores)
    {
        int[] order = Ascending(scores);
        int positives = isPositive.Count(positive => positive);
        double sum = 0;
        int truePositives = 0;
        int taken = 0;
        for (int end = order.Length; end > 0;)
        {
            int start = GroupStart(order, scores, end);
            int added = 0;
            for (int i = start; i < end; i++)
            {
                added += isPositive[order[i]] ? 1 : 0;
            }

            truePositives += added;
            taken += end - start;
            sum += (double)added / positives * truePositives / taken;
            end = start;
        }

        return sum;
    }

    private static int[] Ascending(IReadOnlyList<float> scores)
    {
        int[] order = new int[scores.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[a].CompareTo(scores[b]));
        return order;
    }

    private static int GroupEnd(int[] order, IReadOnlyList<float> scores, int start)
    {
        int end = start + 1;
        while (end < order.Length && scores[order[end]] == scores[order[start]])
        {
            end++;
        }

        return end;
    }

    private static int GroupStart(int[] order, IReadOnlyList<float> scores, int end)
    {
        int start = end - 1;
        while (start > 0 && scores[order[start - 1]] == scores[order[end - 1]])
        {
            start--;
        }

        return start;
    }
}
