using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Embeddings.Core.Classification;

/// <summary>
/// How well predicted labels match the expected ones: accuracy; per-label precision, recall, F1 and support; macro,
/// micro and weighted F1; the confusion matrix; ROC AUC and PR AUC for a binary task; and fastText's P@k and R@k.
/// The figures are scikit-learn's (<c>classification_report</c>, <c>confusion_matrix</c>, <c>roc_auc_score</c>,
/// <c>average_precision_score</c>, with <c>zero_division=0</c>) and fastText's (<c>fasttext test</c>).
/// </summary>
/// <remarks>
/// <para>
/// <b>Single-label data</b> (every example has exactly one expected label): the prediction is the top label of each
/// predicted list; accuracy is the share of examples whose top label is the expected one.
/// </para>
/// <para>
/// <b>Multi-label data</b> (some example has several labels): the prediction is the set of the first k labels of each
/// list (what <c>fasttext predict -k</c> gives); per-label figures count each label as its own yes/no decision, as
/// scikit-learn does for a label indicator matrix; accuracy is the share of examples whose predicted set is exactly the
/// expected one (scikit-learn's subset accuracy); there is no confusion matrix.
/// </para>
/// <para>
/// The labels of the report are those expected or predicted, in ordinal order: a label that is predicted but never
/// expected has support 0 and counts in the macro average, as in scikit-learn.
/// </para>
/// </remarks>
public sealed class ClassificationReport
{
    private readonly double _microPrecision;
    private readonly double _microRecall;

    private ClassificationReport(
        int examples,
        int k,
        bool multiLabel,
        double accuracy,
        IReadOnlyList<LabelMetrics> labels,
        double microPrecision,
        double microRecall,
        ConfusionMatrix? confusion,
        string? positiveLabel,
        double? rocAuc,
        double? prAuc,
        double precisionAtK,
        double recallAtK)
    {
        Examples = examples;
        K = k;
        IsMultiLabel = multiLabel;
        Accuracy = accuracy;
        Labels = labels;
        _microPrecision = microPrecision;
        _microRecall = microRecall;
        Confusion = confusion;
        PositiveLabel = positiveLabel;
        RocAuc = rocAuc;
        PrAuc = prAuc;
        PrecisionAtK = precisionAtK;
        RecallAtK = recallAtK;
        MacroF1 = labels.Count == 0 ? 0 : labels.Average(label => label.F1);
        MicroF1 = F1(microPrecision, microRecall);
        int support = labels.Sum(label => label.Support);
        WeightedF1 = support == 0 ? 0 : labels.Sum(label => label.F1 * label.Support) / support;
    }

    /// <summary>How many examples the report covers.</summary>
    public int Examples { get; }

    /// <summary>The k of <see cref="PrecisionAtK"/> and <see cref="RecallAtK"/> (and of the predicted sets of multi-label data).</summary>
    public int K { get; }

    /// <summary>Whether some example has more than one expected label.</summary>
    public bool IsMultiLabel { get; }

    /// <summary>
    /// The share of examples predicted exactly: the top label is the expected one (single-label data), or the first
    /// k labels are exactly the expected set (multi-label data).
    /// </summary>
    public double Accuracy { get; }

    /// <summary>Precision, recall, F1 and support of each label, in ordinal order of the labels.</summary>
    public IReadOnlyList<LabelMetrics> Labels { get; }

    /// <summary>The unweighted mean of the labels' F1 (scikit-learn's <c>average='macro'</c>).</summary>
    public double MacroF1 { get; }

    /// <summary>The F1 of all decisions pooled (scikit-learn's <c>average='micro'</c>); equals <see cref="Accuracy"/> for single-label data where every example has a prediction.</summary>
    public double MicroF1 { get; }

    /// <summary>The mean of the labels' F1 weighted by their support (scikit-learn's <c>average='weighted'</c>).</summary>
    public double WeightedF1 { get; }

    /// <summary>
    /// Expected labels (rows) against top predicted labels (columns); <see langword="null"/> for multi-label data.
    /// An example whose predicted list is empty (every label under a threshold) is in no column.
    /// </summary>
    public ConfusionMatrix? Confusion { get; }

    /// <summary>The label whose probability ranks the examples for <see cref="RocAuc"/> and <see cref="PrAuc"/>; <see langword="null"/> unless the task is binary.</summary>
    public string? PositiveLabel { get; }

    /// <summary>
    /// The area under the ROC curve of the positive label's probability (scikit-learn's <c>roc_auc_score</c>, tied
    /// probabilities counting half); <see langword="null"/> unless the data is single-label with exactly two labels,
    /// both expected somewhere.
    /// </summary>
    public double? RocAuc { get; }

    /// <summary>
    /// The area under the precision-recall curve of the positive label's probability, as average precision
    /// (scikit-learn's <c>average_precision_score</c>); <see langword="null"/> when <see cref="RocAuc"/> is.
    /// </summary>
    public double? PrAuc { get; }

    /// <summary>
    /// fastText's P@k: of the labels predicted among the first k of each list, the share that are expected
    /// (0 when nothing was predicted).
    /// </summary>
    public double PrecisionAtK { get; }

    /// <summary>fastText's R@k: of the expected labels, the share found among the first k predicted of their example.</summary>
    public double RecallAtK { get; }

    /// <summary>Computes the report of a set of predictions.</summary>
    /// <param name="expected">Each example's expected labels (at least one each).</param>
    /// <param name="predicted">
    /// Each example's predicted labels, sorted by probability, highest first (what a classifier's <c>Predict</c>
    /// returns). For the AUCs of a binary task, give both labels' probabilities (k = 2); where the positive label is
    /// missing from a list, its probability is taken as 1 − the top label's.
    /// </param>
    /// <param name="k">How many of each list's labels count for P@k and R@k (fastText's <c>-k</c>), at least 1.</param>
    /// <param name="positiveLabel">
    /// For a binary task, the label whose probability ranks the examples for the AUCs; by default the second of the
    /// two labels in ordinal order (<c>1</c> of <c>0</c>/<c>1</c>), as scikit-learn takes the greater one.
    /// </param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException">A list or label is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is less than 1.</exception>
    /// <exception cref="ArgumentException">
    /// The lists differ in length or are empty, an example has no expected label, a predicted list is not sorted, or
    /// <paramref name="positiveLabel"/> is no label of the data.
    /// </exception>
    public static ClassificationReport Compute(
        IReadOnlyList<IReadOnlyList<string>> expected,
        IReadOnlyList<IReadOnlyList<LabelPrediction>> predicted,
        int k = 1,
        string? positiveLabel = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int count = CheckLengths(expected, predicted.Count, nameof(predicted));
        bool multiLabel = false;
        for (int i = 0; i < count; i++)
        {
            IReadOnlyList<string> labels = CheckExpected(expected, i);
            multiLabel |= labels.Count != 1;
            CheckPredicted(predicted, i);
        }

        // The labels each example is predicted with: its top label, or its first k for multi-label data.
        var predictedSets = new HashSet<string>[count];
        var labelSet = new SortedSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < count; i++)
        {
            IReadOnlyList<LabelPrediction> list = predicted[i];
            var set = new HashSet<string>(StringComparer.Ordinal);
            for (int j = 0; j < Math.Min(multiLabel ? k : 1, list.Count); j++)
            {
                set.Add(list[j].Label);
            }

            predictedSets[i] = set;
            labelSet.UnionWith(set);
            labelSet.UnionWith(expected[i]);
        }

        if (positiveLabel is not null && !labelSet.Contains(positiveLabel) && !predicted.Any(list => list.Any(p => p.Label == positiveLabel)))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The positive label '{positiveLabel}' is not a label of the data ({string.Join(", ", labelSet)})."),
                nameof(positiveLabel));
        }

        string[] labelNames = [.. labelSet];
        var index = new Dictionary<string, int>(labelNames.Length, StringComparer.Ordinal);
        for (int i = 0; i < labelNames.Length; i++)
        {
            index[labelNames[i]] = i;
        }

        int[] truePositives = new int[labelNames.Length];
        int[] falsePositives = new int[labelNames.Length];
        int[] support = new int[labelNames.Length];
        int[]? confusion = multiLabel ? null : new int[labelNames.Length * labelNames.Length];
        int exact = 0;
        long predictedAtK = 0;
        long correctAtK = 0;
        long gold = 0;
        for (int i = 0; i < count; i++)
        {
            var expectedSet = new HashSet<string>(expected[i], StringComparer.Ordinal);
            HashSet<string> predictedSet = predictedSets[i];
            foreach (string label in expectedSet)
            {
                support[index[label]]++;
            }

            foreach (string label in predictedSet)
            {
                if (expectedSet.Contains(label))
                {
                    truePositives[index[label]]++;
                }
                else
                {
                    falsePositives[index[label]]++;
                }
            }

            if (expectedSet.SetEquals(predictedSet))
            {
                exact++;
            }

            if (confusion is not null && predicted[i].Count > 0)
            {
                confusion[(index[expected[i][0]] * labelNames.Length) + index[predicted[i][0].Label]]++;
            }

            // fastText's Meter: every prediction among the first k counts, right or wrong, against every expected label.
            IReadOnlyList<LabelPrediction> list = predicted[i];
            int taken = Math.Min(k, list.Count);
            predictedAtK += taken;
            gold += expectedSet.Count;
            for (int j = 0; j < taken; j++)
            {
                if (expectedSet.Contains(list[j].Label))
                {
                    correctAtK++;
                }
            }
        }

        var metrics = new LabelMetrics[labelNames.Length];
        long pooledTruePositives = 0;
        long pooledPredicted = 0;
        long pooledSupport = 0;
        for (int i = 0; i < labelNames.Length; i++)
        {
            int tp = truePositives[i];
            int fp = falsePositives[i];
            int fn = support[i] - tp;
            metrics[i] = new LabelMetrics(labelNames[i], Ratio(tp, tp + fp), Ratio(tp, tp + fn), Ratio(2.0 * tp, (2.0 * tp) + fp + fn), support[i]);
            pooledTruePositives += tp;
            pooledPredicted += tp + fp;
            pooledSupport += support[i];
        }

        string? positive = null;
        double? rocAuc = null;
        double? prAuc = null;
        if (!multiLabel && labelNames.Length == 2 && (positiveLabel is null || index.ContainsKey(positiveLabel)) && support[0] > 0 && support[1] > 0)
        {
            positive = positiveLabel ?? labelNames[1];
            bool[] isPositive = new bool[count];
            float[] scores = new float[count];
            for (int i = 0; i < count; i++)
            {
                isPositive[i] = expected[i][0] == positive;
                scores[i] = PositiveProbability(predicted[i], positive);
            }

            rocAuc = RankingMetrics.RocAuc(isPositive, scores);
            prAuc = RankingMetrics.AveragePrecision(isPositive, scores);
        }

        return new ClassificationReport(
            count,
            k,
            multiLabel,
            (double)exact / count,
            metrics,
            Ratio(pooledTruePositives, pooledPredicted),
            Ratio(pooledTruePositives, pooledSupport),
            confusion is null ? null : new ConfusionMatrix(labelNames, confusion),
            positive,
            rocAuc,
            prAuc,
            Ratio(correctAtK, predictedAtK),
            Ratio(correctAtK, gold));
    }

    /// <summary>
    /// Chooses the decision threshold on one label's probability that maximises that label's F1 on the given data
    /// (for an imbalanced binary task, tune it on the validation set, then predict with it). Of the thresholds with the
    /// best F1, the highest range is chosen, and the threshold returned lies halfway into it (halfway between the
    /// lowest probability predicted with the label and the next lower one), so that it does not sit on a training score.
    /// </summary>
    /// <param name="expected">Each example's expected labels.</param>
    /// <param name="scores">Each example's probability of <paramref name="positiveLabel"/>.</param>
    /// <param name="positiveLabel">The label whose F1 is maximised.</param>
    /// <returns>The threshold, with the label's F1, precision and recall there.</returns>
    /// <exception cref="ArgumentNullException">An argument, list or label is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// The lists differ in length or are empty, an example has no expected label, a score is not a number, or no
    /// example has <paramref name="positiveLabel"/>.
    /// </exception>
    public static ThresholdChoice TuneThreshold(IReadOnlyList<IReadOnlyList<string>> expected, IReadOnlyList<float> scores, string positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(positiveLabel);
        int count = CheckLengths(expected, scores.Count, nameof(scores));
        bool[] isPositive = new bool[count];
        int positives = 0;
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            isPositive[i] = CheckExpected(expected, i).Contains(positiveLabel);
            positives += isPositive[i] ? 1 : 0;
            if (float.IsNaN(scores[i]))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The score of example {i} is not a number."), nameof(scores));
            }

            order[i] = i;
        }

        if (positives == 0)
        {
            throw new ArgumentException($"No example has the label '{positiveLabel}', so no threshold can be tuned for it.", nameof(positiveLabel));
        }

        // Highest score first; every distinct score is a candidate threshold (predict the label at or above it).
        Array.Sort(order, (a, b) => scores[b].CompareTo(scores[a]));
        ThresholdChoice best = default;
        int bestEnd = -1;
        int truePositives = 0;
        int falsePositives = 0;
        for (int start = 0; start < count;)
        {
            float score = scores[order[start]];
            int end = start;
            while (end < count && scores[order[end]] == score)
            {
                if (isPositive[order[end]])
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }

                end++;
            }

            double f1 = Ratio(2.0 * truePositives, (2.0 * truePositives) + falsePositives + (positives - truePositives));
            if (bestEnd < 0 || f1 > best.F1)
            {
                best = new ThresholdChoice(score, f1, Ratio(truePositives, truePositives + falsePositives), (double)truePositives / positives);
                bestEnd = end;
            }

            start = end;
        }

        if (bestEnd < count)
        {
            float lower = scores[order[bestEnd]];
            float halfway = (float)((best.Threshold + (double)lower) / 2);
            if (halfway > lower && halfway <= best.Threshold)
            {
                best = best with { Threshold = halfway };
            }
        }

        return best;
    }

    /// <summary>
    /// The report as a fixed-width table like scikit-learn's <c>classification_report</c> (precision, recall, F1 and
    /// support per label, accuracy, macro and weighted averages), then the AUCs, P@k and R@k and the confusion matrix.
    /// </summary>
    /// <returns>The table, lines ending with <c>\n</c>.</returns>
    public string ToTable()
    {
        const string WeightedAverage = "weighted avg";
        int width = Math.Max(WeightedAverage.Length, Labels.Count == 0 ? 0 : Labels.Max(label => label.Label.Length));
        int totalSupport = Labels.Sum(label => label.Support);
        var table = new StringBuilder();
        AppendLine(table, $"{string.Empty.PadLeft(width)}  {"precision",9} {"recall",9} {"f1-score",9} {"support",9}");
        table.Append('\n');
        foreach (LabelMetrics label in Labels)
        {
            AppendRow(table, width, label.Label, label.Precision, label.Recall, label.F1, label.Support);
        }

        table.Append('\n');
        if (IsMultiLabel)
        {
            AppendRow(table, width, "micro avg", _microPrecision, _microRecall, MicroF1, totalSupport);
        }

        AppendLine(table, $"{"accuracy".PadLeft(width)}  {string.Empty,9} {string.Empty,9} {Accuracy,9:F4} {Examples,9}");
        AppendRow(table, width, "macro avg", Average(label => label.Precision), Average(label => label.Recall), MacroF1, totalSupport);
        AppendRow(table, width, WeightedAverage, Weighted(label => label.Precision), Weighted(label => label.Recall), WeightedF1, totalSupport);
        table.Append('\n');
        if (RocAuc is double roc && PrAuc is double pr)
        {
            AppendLine(table, $"ROC AUC ({PositiveLabel}): {roc:F4}");
            AppendLine(table, $"PR AUC ({PositiveLabel}):  {pr:F4}");
        }

        AppendLine(table, $"P@{K}: {PrecisionAtK:F4}  R@{K}: {RecallAtK:F4}  examples: {Examples}");
        if (Confusion is not null)
        {
            table.Append('\n');
            table.Append("Confusion matrix (rows: expected, columns: predicted)\n");
            int cell = Math.Max(Examples.ToString(CultureInfo.InvariantCulture).Length, Labels.Max(label => label.Label.Length)) + 1;
            table.Append(string.Empty.PadLeft(width));
            foreach (string label in Confusion.Labels)
            {
                table.Append(' ').Append(label.PadLeft(cell));
            }

            table.Append('\n');
            for (int row = 0; row < Confusion.Labels.Count; row++)
            {
                table.Append(Confusion.Labels[row].PadLeft(width));
                for (int column = 0; column < Confusion.Labels.Count; column++)
                {
                    table.Append(' ').Append(Confusion[row, column].ToString(CultureInfo.InvariantCulture).PadLeft(cell));
                }

                table.Append('\n');
            }
        }

        return table.ToString();

        double Average(Func<LabelMetrics, double> value) => Labels.Count == 0 ? 0 : Labels.Average(value);

        double Weighted(Func<LabelMetrics, double> value) => totalSupport == 0 ? 0 : Labels.Sum(label => value(label) * label.Support) / totalSupport;
    }

    /// <summary>
    /// The report as one line of JSON with snake_case keys: <c>examples</c>, <c>accuracy</c>, <c>macro_f1</c>,
    /// <c>micro_f1</c>, <c>weighted_f1</c>, <c>labels</c> (an array of <c>{label, precision, recall, f1, support}</c>),
    /// <c>confusion</c> (<c>{labels: [...], matrix: [[...]]}</c>, rows expected, or <see langword="null"/>),
    /// <c>positive_label</c>, <c>roc_auc</c>, <c>pr_auc</c> (or <see langword="null"/>), <c>k</c>,
    /// <c>precision_at_k</c>, <c>recall_at_k</c>.
    /// </summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("examples", Examples);
            json.WriteNumber("accuracy", Accuracy);
            json.WriteNumber("macro_f1", MacroF1);
            json.WriteNumber("micro_f1", MicroF1);
            json.WriteNumber("weighted_f1", WeightedF1);
            json.WriteStartArray("labels");
            foreach (LabelMetrics label in Labels)
            {
                json.WriteStartObject();
                json.WriteString("label", label.Label);
                json.WriteNumber("precision", label.Precision);
                json.WriteNumber("recall", label.Recall);
                json.WriteNumber("f1", label.F1);
                json.WriteNumber("support", label.Support);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (Confusion is null)
            {
                json.WriteNull("confusion");
            }
            else
            {
                json.WriteStartObject("confusion");
                json.WriteStartArray("labels");
                foreach (string label in Confusion.Labels)
                {
                    json.WriteStringValue(label);
                }

                json.WriteEndArray();
                json.WriteStartArray("matrix");
                for (int row = 0; row < Confusion.Labels.Count; row++)
                {
                    json.WriteStartArray();
                    for (int column = 0; column < Confusion.Labels.Count; column++)
                    {
                        json.WriteNumberValue(Confusion[row, column]);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (PositiveLabel is null)
            {
                json.WriteNull("positive_label");
            }
            else
            {
                json.WriteString("positive_label", PositiveLabel);
            }

            WriteOptional(json, "roc_auc", RocAuc);
            WriteOptional(json, "pr_auc", PrAuc);
            json.WriteNumber("k", K);
            json.WriteNumber("precision_at_k", PrecisionAtK);
            json.WriteNumber("recall_at_k", RecallAtK);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void AppendRow(StringBuilder table, int width, string name, double precision, double recall, double f1, int support) =>
        AppendLine(table, $"{name.PadLeft(width)}  {precision,9:F4} {recall,9:F4} {f1,9:F4} {support,9}");

    private static void AppendLine(StringBuilder table, FormattableString line) =>
        table.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static double Ratio(double numerator, double denominator) => denominator == 0 ? 0 : numerator / denominator;

    private static double F1(double precision, double recall) => Ratio(2 * precision * recall, precision + recall);

    private static int CheckLengths(IReadOnlyList<IReadOnlyList<string>> expected, int otherCount, string otherName)
    {
        if (expected.Count != otherCount)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"There are {expected.Count} expected label lists but {otherCount} {otherName}; give one of each per example."),
                otherName);
        }

        if (expected.Count == 0)
        {
            throw new ArgumentException("There are no examples to evaluate.", nameof(expected));
        }

        return expected.Count;
    }

    private static IReadOnlyList<string> CheckExpected(IReadOnlyList<IReadOnlyList<string>> expected, int i)
    {
        IReadOnlyList<string>? labels = expected[i];
        if (labels is null || labels.Any(label => label is null))
        {
            throw new ArgumentNullException(nameof(expected), string.Create(CultureInfo.InvariantCulture, $"Example {i}'s expected labels are or contain null."));
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Example {i} has no expected label."), nameof(expected));
        }

        return labels;
    }

    private static void CheckPredicted(IReadOnlyList<IReadOnlyList<LabelPrediction>> predicted, int i)
    {
        IReadOnlyList<LabelPrediction>? list = predicted[i];
        if (list is null || list.Any(prediction => prediction.Label is null))
        {
            throw new ArgumentNullException(nameof(predicted), string.Create(CultureInfo.InvariantCulture, $"Example {i}'s predictions are or contain null."));
        }

        for (int j = 1; j < list.Count; j++)
        {
            if (list[j].Probability > list[j - 1].Probability)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Example {i}'s predictions are not sorted by probability, highest first."),
                    nameof(predicted));
            }
        }
    }

    /// <summary>The positive label's probability from a binary task's list; 1 − the other label's when it is missing.</summary>
    private static float PositiveProbability(IReadOnlyList<LabelPrediction> list, string positive)
    {
        foreach (LabelPrediction prediction in list)
        {
            if (prediction.Label == positive)
            {
                return prediction.Probability;
            }
        }

        return list.Count == 0 ? 0 : Math.Clamp(1 - list[0].Probability, 0, 1);
    }
}
