// The ML.NET baseline of the classification benchmark: FeaturizeText (ML.NET's default word and character n-gram bag)
// + SdcaMaximumEntropy on the same fastText-format train/test files that fastText and `embeddings classify` read.
// Prints one JSON line: accuracy, macro F1, precision/recall/F1 of the positive label, training and prediction seconds.
//
//   dotnet MlNetBaseline.dll --train train.txt --test test.txt [--seed 1] [--threads 2] [--positive 1]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Trainers;

Dictionary<string, string> options = ParseArguments(args);
string trainPath = options["--train"];
string testPath = options["--test"];
int seed = int.Parse(options.GetValueOrDefault("--seed", "1"), CultureInfo.InvariantCulture);
int threads = int.Parse(options.GetValueOrDefault("--threads", "2"), CultureInfo.InvariantCulture);
string positive = options.GetValueOrDefault("--positive", "1");

var ml = new MLContext(seed);
IDataView training = ml.Data.LoadFromEnumerable(ReadFastText(trainPath));
IDataView test = ml.Data.LoadFromEnumerable(ReadFastText(testPath));

var trainer = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(new SdcaMaximumEntropyMulticlassTrainer.Options
{
    LabelColumnName = "Key",
    FeatureColumnName = "Features",
    NumberOfThreads = threads,
});
var pipeline = ml.Transforms.Conversion.MapValueToKey("Key", nameof(Example.Label))
    .Append(ml.Transforms.Text.FeaturizeText("Features", nameof(Example.Text)))
    .Append(trainer)
    .Append(ml.Transforms.Conversion.MapKeyToValue(nameof(Prediction.PredictedLabel)));

var clock = Stopwatch.StartNew();
var model = pipeline.Fit(training);
double trainSeconds = clock.Elapsed.TotalSeconds;

clock.Restart();
List<Prediction> predictions = [.. ml.Data.CreateEnumerable<Prediction>(model.Transform(test), reuseRowObject: false)];
double predictSeconds = clock.Elapsed.TotalSeconds;

int correct = predictions.Count(prediction => prediction.Label == prediction.PredictedLabel);
(double precision, double recall, double f1) = Score(predictions, positive);
string[] labels = [.. predictions.Select(prediction => prediction.Label).Distinct()];
double macroF1 = labels.Average(label => Score(predictions, label).F1);
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["tool"] = "mlnet",
    ["seed"] = seed,
    ["threads"] = threads,
    ["test_examples"] = predictions.Count,
    ["accuracy"] = (double)correct / predictions.Count,
    ["macro_f1"] = macroF1,
    ["positive_label"] = positive,
    ["precision"] = precision,
    ["recall"] = recall,
    ["f1"] = f1,
    ["train_seconds"] = trainSeconds,
    ["predict_seconds"] = predictSeconds,
}));

// Precision, recall and F1 of one label, as score.py computes them for the other tools.
static (double Precision, double Recall, double F1) Score(List<Prediction> predictions, string label)
{
    int truePositives = predictions.Count(p => p.Label == label && p.PredictedLabel == label);
    int falsePositives = predictions.Count(p => p.Label != label && p.PredictedLabel == label);
    int falseNegatives = predictions.Count(p => p.Label == label && p.PredictedLabel != label);
    double precision = truePositives + falsePositives == 0 ? 0 : (double)truePositives / (truePositives + falsePositives);
    double recall = truePositives + falseNegatives == 0 ? 0 : (double)truePositives / (truePositives + falseNegatives);
    return (precision, recall, precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall));
}

// fastText's format: leading `__label__X` words are the labels (the first one is the example's class), the rest the text.
static IEnumerable<Example> ReadFastText(string path)
{
    foreach (string line in File.ReadLines(path))
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string? label = words.FirstOrDefault(word => word.StartsWith("__label__", StringComparison.Ordinal));
        if (label is null)
        {
            continue;
        }

        yield return new Example
        {
            Label = label["__label__".Length..],
            Text = string.Join(' ', words.Where(word => !word.StartsWith("__label__", StringComparison.Ordinal))),
        };
    }
}

static Dictionary<string, string> ParseArguments(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (int i = 0; i + 1 < args.Length; i += 2)
    {
        options[args[i]] = args[i + 1];
    }

    foreach (string required in new[] { "--train", "--test" })
    {
        if (!options.ContainsKey(required))
        {
            Console.Error.WriteLine($"error: {required} is required (usage: --train F --test F [--seed N] [--threads N] [--positive LABEL])");
            Environment.Exit(1);
        }
    }

    return options;
}

/// <summary>One labelled example as ML.NET loads it.</summary>
internal sealed class Example
{
    public string Label { get; set; } = "";

    public string Text { get; set; } = "";
}

/// <summary>The columns read back after prediction: the true label and the predicted one.</summary>
internal sealed class Prediction
{
    public string Label { get; set; } = "";

    public string PredictedLabel { get; set; } = "";
}
