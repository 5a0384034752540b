using System.Text.Json;
using Embeddings.Core.Classification;

namespace Embeddings.Core.Tests.Classification;

public class ClassificationReportTests
{
    private const double Tolerance = 1e-12;

    // Expected a a b b c c a b; top-1 a b b a a b a d: 'c' is never predicted, 'd' never expected.
    private static readonly string[] MulticlassExpected = ["a", "a", "b", "b", "c", "c", "a", "b"];
    private static readonly string[] MulticlassPredicted = ["a", "b", "b", "a", "a", "b", "a", "d"];

    // A binary task whose probabilities of "1" have ties (0.1 twice, 0.4 three times, across both classes).
    private static readonly string[] BinaryExpected = ["0", "0", "1", "1", "0", "1", "0", "1", "0", "0"];
    private static readonly float[] BinaryScores = [0.1f, 0.4f, 0.35f, 0.8f, 0.4f, 0.4f, 0.2f, 0.9f, 0.55f, 0.1f];

    private static IReadOnlyList<string>[] Single(IEnumerable<string> labels) => [.. labels.Select(label => (IReadOnlyList<string>)[label])];

    private static IReadOnlyList<LabelPrediction>[] Top(IEnumerable<string> labels) => [.. labels.Select(label => (IReadOnlyList<LabelPrediction>)[new LabelPrediction(label, 0.9f)])];

    /// <summary>Both labels of the binary task, the more probable first.</summary>
    private static IReadOnlyList<LabelPrediction>[] BinaryPredictions() =>
        [.. BinaryScores.Select(score => (IReadOnlyList<LabelPrediction>)[.. new[] { new LabelPrediction("1", score), new LabelPrediction("0", 1 - score) }.OrderByDescending(p => p.Probability)])];

    [Fact]
    public void Compute_Multiclass_MatchesScikitLearn()
    {
        // scikit-learn 1.2.1: precision_recall_fscore_support(y, p, zero_division=0), f1_score(average=macro|micro|
        // weighted), accuracy_score, confusion_matrix(labels=['a','b','c','d']).
        ClassificationReport report = ClassificationReport.Compute(Single(MulticlassExpected), Top(MulticlassPredicted));

        report.Accuracy.Should().Be(0.375);
        report.Labels.Select(label => label.Label).Should().Equal("a", "b", "c", "d");
        report.Labels.Select(label => label.Precision).Should().Equal([0.5, 1 / 3.0, 0, 0], Close);
        report.Labels.Select(label => label.Recall).Should().Equal([2 / 3.0, 1 / 3.0, 0, 0], Close);
        report.Labels.Select(label => label.F1).Should().Equal([0.5714285714285714, 1 / 3.0, 0, 0], Close);
        report.Labels.Select(label => label.Support).Should().Equal(3, 3, 2, 0);
        report.MacroF1.Should().BeApproximately(0.22619047619047622, Tolerance);
        report.MicroF1.Should().BeApproximately(0.375, Tolerance);
        report.WeightedF1.Should().BeApproximately(0.3392857142857143, Tolerance);
        int[][] matrix = [[2, 1, 0, 0], [1, 1, 0, 1], [1, 1, 0, 0], [0, 0, 0, 0]];
        report.Confusion!.Labels.Should().Equal("a", "b", "c", "d");
        for (int row = 0; row < 4; row++)
        {
            for (int column = 0; column < 4; column++)
            {
                report.Confusion[row, column].Should().Be(matrix[row][column], "cell {0},{1}", row, column);
            }
        }

        report.Confusion.Count("b", "d").Should().Be(1);
        report.Confusion.Count("b", "unknown").Should().Be(0);
        report.RocAuc.Should().BeNull("the task has four labels");
        report.PrAuc.Should().BeNull();
        report.PrecisionAtK.Should().Be(0.375);
        report.RecallAtK.Should().Be(0.375);
    }

    [Fact]
    public void Compute_BinaryWithTies_MatchesScikitLearn()
    {
        // scikit-learn 1.2.1: roc_auc_score(y, s) and average_precision_score(y, s) with s as float32; the metrics of
        // the top label (s > 0.5) as above.
        ClassificationReport report = ClassificationReport.Compute(Single(BinaryExpected), BinaryPredictions());

        report.PositiveLabel.Should().Be("1");
        report.RocAuc.Should().BeApproximately(0.7916666666666667, Tolerance);
        report.PrAuc.Should().BeApproximately(0.7678571428571428, Tolerance);
        report.Accuracy.Should().BeApproximately(0.7, Tolerance);
        report.Labels.Select(label => label.F1).Should().Equal([0.7692307692307693, 0.5714285714285714], Close);
        report.MacroF1.Should().BeApproximately(0.6703296703296704, Tolerance);
        report.WeightedF1.Should().BeApproximately(0.6901098901098901, Tolerance);
    }

    [Fact]
    public void Compute_PositiveLabelGiven_RanksByThatLabel()
    {
        // scikit-learn 1.2.1: roc_auc_score(y == 0, 1 - s) and average_precision_score(y == 0, 1 - s), float32. The ROC
        // AUC is symmetric in the classes; average precision is not.
        ClassificationReport report = ClassificationReport.Compute(Single(BinaryExpected), BinaryPredictions(), positiveLabel: "0");

        report.PositiveLabel.Should().Be("0");
        report.RocAuc.Should().BeApproximately(0.7916666666666667, Tolerance);
        report.PrAuc.Should().BeApproximately(0.8630952380952381, Tolerance);
    }

    [Fact]
    public void Compute_PositiveLabelMissingFromLists_TakesOneMinusTheTopProbability()
    {
        IReadOnlyList<LabelPrediction>[] topOnly = [.. BinaryPredictions().Select(list => (IReadOnlyList<LabelPrediction>)[list[0]])];

        ClassificationReport report = ClassificationReport.Compute(Single(BinaryExpected), topOnly);

        report.RocAuc.Should().BeApproximately(0.7916666666666667, Tolerance);
    }

    [Fact]
    public void Compute_MultiLabelAtK2_MatchesScikitLearnAndFastText()
    {
        // scikit-learn 1.2.1 on MultiLabelBinarizer(classes=['w','x','y','z']) indicator matrices of the expected sets
        // and of the first two predictions: precision_recall_fscore_support(zero_division=0), f1_score(average=...),
        // accuracy_score (subset accuracy). fastText's test: 4 of the 10 predictions are right, of 7 expected labels.
        IReadOnlyList<string>[] expected = [["x", "y"], ["x"], ["z"], ["y", "z"], ["x"]];
        string[][] top = [["x", "z"], ["x", "y"], ["y", "x"], ["z", "y"], ["z", "w"]];
        IReadOnlyList<LabelPrediction>[] predicted = [.. top.Select(labels => (IReadOnlyList<LabelPrediction>)[new LabelPrediction(labels[0], 0.6f), new LabelPrediction(labels[1], 0.3f), new LabelPrediction("v", 0.1f)])];

        ClassificationReport report = ClassificationReport.Compute(expected, predicted, k: 2);

        report.IsMultiLabel.Should().BeTrue();
        report.Accuracy.Should().BeApproximately(0.2, Tolerance);
        report.Labels.Select(label => label.Label).Should().Equal("w", "x", "y", "z");
        report.Labels.Select(label => label.Precision).Should().Equal([0, 2 / 3.0, 1 / 3.0, 1 / 3.0], Close);
        report.Labels.Select(label => label.Recall).Should().Equal([0, 2 / 3.0, 0.5, 0.5], Close);
        report.Labels.Select(label => label.Support).Should().Equal(0, 3, 2, 2);
        report.MacroF1.Should().BeApproximately(0.3666666666666667, Tolerance);
        report.MicroF1.Should().BeApproximately(0.47058823529411764, Tolerance);
        report.WeightedF1.Should().BeApproximately(0.5142857142857142, Tolerance);
        report.PrecisionAtK.Should().BeApproximately(0.4, Tolerance);
        report.RecallAtK.Should().BeApproximately(4 / 7.0, Tolerance);
        report.Confusion.Should().BeNull();
        report.RocAuc.Should().BeNull();
    }

    [Fact]
    public void Compute_SingleLabelAtK2_CountsEveryPredictionForPrecision()
    {
        // Two predictions an example, one of them right: P@2 = 10/20, R@2 = 10/10 (fastText's Meter).
        ClassificationReport report = ClassificationReport.Compute(Single(BinaryExpected), BinaryPredictions(), k: 2);

        report.PrecisionAtK.Should().Be(0.5);
        report.RecallAtK.Should().Be(1);
        report.Accuracy.Should().BeApproximately(0.7, Tolerance, "the per-label figures still use the top label");
    }

    [Fact]
    public void Compute_EmptyPrediction_IsAMissForItsLabelOnly()
    {
        IReadOnlyList<LabelPrediction>[] predicted = [[new LabelPrediction("a", 0.9f)], [], [new LabelPrediction("b", 0.8f)]];

        ClassificationReport report = ClassificationReport.Compute(Single(["a", "a", "b"]), predicted);

        report.Accuracy.Should().BeApproximately(2 / 3.0, Tolerance);
        report.Labels[0].Should().Be(new LabelMetrics("a", 1, 0.5, 2 / 3.0, 2));
        report.Confusion!.Count("a", "a").Should().Be(1);
        report.Confusion.Count("a", "b").Should().Be(0);
        report.PrecisionAtK.Should().Be(1);
        report.RecallAtK.Should().BeApproximately(2 / 3.0, Tolerance);
    }

    [Fact]
    public void ToJson_HasTheSnakeCaseKeysAndFigures()
    {
        ClassificationReport report = ClassificationReport.Compute(Single(BinaryExpected), BinaryPredictions());

        using JsonDocument json = JsonDocument.Parse(report.ToJson());
        JsonElement root = json.RootElement;

        root.EnumerateObject().Select(property => property.Name).Should().Equal(
            "examples", "accuracy", "macro_f1", "micro_f1", "weighted_f1", "labels", "confusion", "positive_label", "roc_auc", "pr_auc", "k", "precision_at_k", "recall_at_k");
        root.GetProperty("examples").GetInt32().Should().Be(10);
        root.GetProperty("macro_f1").GetDouble().Should().Be(report.MacroF1);
        JsonElement label = root.GetProperty("labels")[1];
        label.GetProperty("label").GetString().Should().Be("1");
        label.GetProperty("f1").GetDouble().Should().Be(report.Labels[1].F1);
        label.GetProperty("support").GetInt32().Should().Be(4);
        root.GetProperty("confusion").GetProperty("labels").EnumerateArray().Select(e => e.GetString()).Should().Equal("0", "1");
        root.GetProperty("confusion").GetProperty("matrix")[1].EnumerateArray().Select(e => e.GetInt32()).Should().Equal(2, 2);
        root.GetProperty("roc_auc").GetDouble().Should().Be(report.RocAuc);
        root.GetProperty("k").GetInt32().Should().Be(1);
    }

    [Fact]
    public void ToJson_MultiLabel_HasNullConfusionAndAucs()
    {
        ClassificationReport report = ClassificationReport.Compute([["a", "b"], ["a"]], [[new LabelPrediction("a", 1)], [new LabelPrediction("b", 1)]]);

        using JsonDocument json = JsonDocument.Parse(report.ToJson());

        json.RootElement.GetProperty("confusion").ValueKind.Should().Be(JsonValueKind.Null);
        json.RootElement.GetProperty("roc_auc").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Fact]
    public void ToTable_LaysOutLikeScikitLearnsReport()
    {
        // The rows of scikit-learn 1.2.1's classification_report(y, p, digits=4, zero_division=0).
        string table = ClassificationReport.Compute(Single(MulticlassExpected), Top(MulticlassPredicted)).ToTable();

        string[] lines = table.Split('\n');
        lines[0].Should().Be("              precision    recall  f1-score   support");
        lines[2].Should().Be("           a     0.5000    0.6667    0.5714         3");
        lines[5].Should().Be("           d     0.0000    0.0000    0.0000         0");
        lines[7].Should().Be("    accuracy                         0.3750         8");
        lines[8].Should().Be("   macro avg     0.2083    0.2500    0.2262         8");
        lines[9].Should().Be("weighted avg     0.3125    0.3750    0.3393         8");
        table.Should().Contain("Confusion matrix (rows: expected, columns: predicted)");
        lines.Should().Contain("           b  1  1  0  1");
    }

    [Fact]
    public void TuneThreshold_BinaryWithTies_FindsScikitLearnsBestF1()
    {
        // scikit-learn 1.2.1: precision_recall_curve(y, s) gives the best F1 0.7272727 at threshold 0.35 (precision 4/7,
        // recall 1); the next lower score is 0.2, so the threshold returned is halfway, 0.275.
        ThresholdChoice choice = ClassificationReport.TuneThreshold(Single(BinaryExpected), BinaryScores, "1");

        choice.F1.Should().BeApproximately(0.7272727272727273, Tolerance);
        choice.Precision.Should().BeApproximately(4 / 7.0, Tolerance);
        choice.Recall.Should().Be(1);
        choice.Threshold.Should().BeApproximately(0.275f, 1e-6f);
    }

    [Fact]
    public void TuneThreshold_BestAtTheLowestScore_ReturnsThatScore()
    {
        ThresholdChoice choice = ClassificationReport.TuneThreshold(Single(["1", "1"]), [0.3f, 0.6f], "1");

        choice.Threshold.Should().Be(0.3f);
        choice.F1.Should().Be(1);
    }

    [Fact]
    public void TuneThreshold_NoPositiveExample_Throws()
    {
        Action tune = () => ClassificationReport.TuneThreshold(Single(["0", "0"]), [0.3f, 0.6f], "1");

        tune.Should().Throw<ArgumentException>().WithMessage("No example has the label '1'*").And.ParamName.Should().Be("positiveLabel");
    }

    [Fact]
    public void Compute_BadArguments_Throw()
    {
        Action lengths = () => ClassificationReport.Compute(Single(["a", "b"]), Top(["a"]));
        Action empty = () => ClassificationReport.Compute([], []);
        Action noLabel = () => ClassificationReport.Compute([[]], Top(["a"]));
        Action unsorted = () => ClassificationReport.Compute(Single(["a"]), [[new LabelPrediction("a", 0.2f), new LabelPrediction("b", 0.8f)]]);
        Action unknownPositive = () => ClassificationReport.Compute(Single(["a", "b"]), Top(["a", "b"]), positiveLabel: "c");
        Action zeroK = () => ClassificationReport.Compute(Single(["a"]), Top(["a"]), k: 0);

        lengths.Should().Throw<ArgumentException>().WithMessage("There are 2 expected label lists but 1 predicted*");
        empty.Should().Throw<ArgumentException>().WithMessage("There are no examples*");
        noLabel.Should().Throw<ArgumentException>().WithMessage("Example 0 has no expected label*");
        unsorted.Should().Throw<ArgumentException>().WithMessage("*not sorted by probability*");
        unknownPositive.Should().Throw<ArgumentException>().WithMessage("The positive label 'c' is not a label of the data (a, b)*");
        zeroK.Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("k");
    }

    private static bool Close(double actual, double expected) => Math.Abs(actual - expected) <= Tolerance;
}
