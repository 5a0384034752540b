#region readme:classifying
using Embeddings.Core.Classification;
#endregion

namespace ReadmeSnippets;

/// <summary>README.md, "Classify text".</summary>
internal static class Classifying
{
    public static void Run()
    {
        #region readme:classifying
        // fastText's format, one tweet a line: "__label__1 tokens…" (CSV/TSV columns: Embeddings.Text's LabelledLineSource.FromCsv).
        var (training, test) = LabelledData.StratifiedSplit(LabelledData.ReadFastText("tweets.txt"), validationShare: 0.2, seed: 1);
        var (fit, validation) = LabelledData.StratifiedSplit(training, validationShare: 0.1, seed: 1);

        TextClassifier classifier = TextClassifier.CreateBuilder()
            .FastText().Epochs(25).LearningRate(0.5)                      // or .Mlp(128), .Recurrent(RecurrentCell.Gru)
            .PositiveLabel("1").Threads(2).Seed(1)                        // best epoch and decision threshold for label 1's F1
            .Build()
            .Train(fit, validation, new Progress<TextClassifierProgress>(p => Console.Error.Write($"\r{p.Fraction:P0}")));
        ClassificationReport report = ClassificationReport.Compute(
            [.. test.Select(t => t.Labels)], classifier.PredictAll(test.Select(t => t.Tokens), k: 2), positiveLabel: "1");
        Console.Write(report.ToTable());                                  // per-label F1, ROC/PR AUC, confusion matrix; or ToJson()
        classifier.Save("tweets.classifier");                             // TextClassifier.Load reads it back
        Console.WriteLine(classifier.Predict("another racist rant from the president #racism #bigot")[0].Label);
        #endregion
    }
}
