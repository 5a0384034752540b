using System.Globalization;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Classification;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary>
/// <c>embeddings classify train|test|predict</c> run as a user runs them: a small two-topic task in fastText's format
/// and as CSV, the report's JSON, fastText's prediction lines, the recorded text pipeline, determinism and bad input.
/// </summary>
public class ClassifyCommandsTests
{
    private static readonly string[] Sports = ["goal", "match", "team", "score", "league", "coach", "referee", "striker"];
    private static readonly string[] Cooking = ["recipe", "oven", "flour", "butter", "sauce", "simmer", "garlic", "bake"];
    private static readonly string[] Common = ["the", "a", "today", "really", "was", "and", "with", "great"];

    /// <summary>Examples of two topics, each a few topic words among common ones; seeded, so every run writes the same file.</summary>
    private static IEnumerable<(string Label, string Text)> Examples(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            bool sports = i % 2 == 0;
            string[] topic = sports ? Sports : Cooking;
            IEnumerable<string> words = Enumerable.Range(0, 8).Select(j => j % 2 == 0 ? topic[random.Next(topic.Length)] : Common[random.Next(Common.Length)]);
            yield return (sports ? "sports" : "cooking", string.Join(' ', words));
        }
    }

    private static string WriteFastText(TempDirectory temp, string name, int count = 200, int seed = 1)
    {
        string path = temp.File(name);
        File.WriteAllLines(path, Examples(count, seed).Select(e => $"__label__{e.Label} {e.Text}"));
        return path;
    }

    private static string[] TrainArguments(string input, string output) =>
        ["classify", "train", "--input", input, "--output", output, "--dim", "10", "--epochs", "10", "--lr", "0.5", "--threads", "1", "--seed", "3"];

    [Fact]
    public void TrainTestPredict_FastTextFormat_LearnsTheTopics_AndPredictsOneLinePerLine()
    {
        using var temp = new TempDirectory();
        string training = WriteFastText(temp, "train.txt"), testing = WriteFastText(temp, "test.txt", count: 60, seed: 2), model = temp.File("topics.emtc");

        Tool.Result trained = Tool.Run(TrainArguments(training, model));
        Tool.Result table = Tool.Run("classify", "test", "--model", model, "--input", testing);
        Tool.Result json = Tool.Run("classify", "test", "--model", model, "--input", testing, "--json");
        Tool.Result predicted = Tool.RunWithInput("goal match team\n\nRECIPE oven\nflour butter\n", "classify", "predict", "--model", model);
        Tool.Result withProbabilities = Tool.RunWithInput("goal match team\n", "classify", "predict", "--model", model, "--prob", "-k", "2");

        trained.ExitCode.Should().Be(0, trained.StandardError);
        trained.StandardOutput.Should().StartWith("trained fasttext on 200 examples, 2 labels,").And.EndWith($" → {model}\n");
        table.ExitCode.Should().Be(0, table.StandardError);
        table.StandardOutput.Should().Contain("precision").And.Contain("sports").And.Contain("Confusion matrix");
        using JsonDocument report = JsonDocument.Parse(json.StandardOutput);
        JsonElement root = report.RootElement;
        root.GetProperty("accuracy").GetDouble().Should().Be(1.0, "the topics share no words");
        root.GetProperty("macro_f1").GetDouble().Should().Be(1.0);
        JsonElement sports = root.GetProperty("labels").EnumerateArray().Single(l => l.GetProperty("label").GetString() == "sports");
        sports.GetProperty("support").GetInt32().Should().Be(30);
        sports.GetProperty("precision").GetDouble().Should().Be(1.0);
        sports.GetProperty("recall").GetDouble().Should().Be(1.0);
        sports.GetProperty("f1").GetDouble().Should().Be(1.0);
        root.GetProperty("confusion").GetProperty("matrix").EnumerateArray().Select(row => row.EnumerateArray().Sum(c => c.GetInt32())).Should().Equal(30, 30);

        // As fasttext predict: one line out per line in, an empty line included (fastText predicts it from the line's
        // end-of-line token), the label with its prefix; case matters since no --lowercase was given.
        predicted.ExitCode.Should().Be(0, predicted.StandardError);
        string[] lines = predicted.StandardOutput.Split('\n');
        lines.Should().HaveCount(5).And.EndWith(string.Empty);
        lines[0].Should().Be("__label__sports");
        lines[1].Should().MatchRegex("^__label__(sports|cooking)$");
        lines[3].Should().Be("__label__cooking");
        string[] fields = withProbabilities.StandardOutput.TrimEnd('\n').Split(' ');
        fields.Should().HaveCount(4);
        (fields[0], fields[2]).Should().Be(("__label__sports", "__label__cooking"));
        double first = double.Parse(fields[1], CultureInfo.InvariantCulture), second = double.Parse(fields[3], CultureInfo.InvariantCulture);
        first.Should().BeGreaterThan(second);
        (first + second).Should().BeApproximately(1, 1e-4);
    }

    [Fact]
    public void Train_Csv_RecordsColumnsAndPipeline_ThatTestAndPredictApply()
    {
        using var temp = new TempDirectory();
        string csv = temp.File("train.csv"), model = temp.File("csv.emtc");
        File.WriteAllLines(csv, ["id,topic,body", .. Examples(200, 4).Select((e, i) => $"{i},{e.Label},\"{e.Text.ToUpperInvariant()}, ok\"")]);

        Tool.Result trained = Tool.Run([.. TrainArguments(csv, model), "--text-column", "body", "--label-column", "topic", "--lowercase", "--tokenizer", "word"]);
        Tool.Result tested = Tool.Run("classify", "test", "--model", model, "--input", csv, "--json");
        Tool.Result predicted = Tool.RunWithInput("Goal, MATCH!\nflour; Butter\n", "classify", "predict", "--model", model);

        trained.ExitCode.Should().Be(0, trained.StandardError);
        TextClassifier.Load(model).Preprocessing.Should().Contain("\"text_column\":\"body\"").And.Contain("\"lowercase\":true");
        tested.ExitCode.Should().Be(0, tested.StandardError);
        JsonDocument.Parse(tested.StandardOutput).RootElement.GetProperty("accuracy").GetDouble().Should().Be(1.0, "test reads the recorded columns and lowercases as training did");
        predicted.StandardOutput.Should().Be("__label__sports\n__label__cooking\n", "the recorded pipeline lowercases and drops punctuation");
    }

    [Fact]
    public void Train_OneThread_SameSeed_WritesByteIdenticalModels()
    {
        using var temp = new TempDirectory();
        string training = WriteFastText(temp, "train.txt");

        Tool.Result a = Tool.Run([.. TrainArguments(training, temp.File("a.emtc")), "--word-ngrams", "2", "--validation", "0.2", "--positive-label", "sports"]);
        Tool.Result b = Tool.Run([.. TrainArguments(training, temp.File("b.emtc")), "--word-ngrams", "2", "--validation", "0.2", "--positive-label", "sports"]);

        a.ExitCode.Should().Be(0, a.StandardError);
        b.ExitCode.Should().Be(0, b.StandardError);
        File.ReadAllBytes(temp.File("a.emtc")).Should().Equal(File.ReadAllBytes(temp.File("b.emtc")));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("rnn")]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void Train_NetworkFamilies_LearnTheTopics_ByteIdenticalWithOneThread(string family)
    {
        using var temp = new TempDirectory();
        string training = WriteFastText(temp, "train.txt"), testing = WriteFastText(temp, "test.txt", count: 60, seed: 2);
        string[] arguments = ["classify", "train", "--input", training, "--model", family, "--dim", "16", "--hidden", "16", "--epochs", "8", "--lr", "0.02", "--threads", "1", "--seed", "3"];

        Tool.Result a = Tool.Run([.. arguments, "--output", temp.File("a.emtc")]);
        Tool.Result b = Tool.Run([.. arguments, "--output", temp.File("b.emtc")]);
        Tool.Result tested = Tool.Run("classify", "test", "--model", temp.File("a.emtc"), "--input", testing, "--json");

        a.ExitCode.Should().Be(0, a.StandardError);
        a.StandardOutput.Should().StartWith($"trained {family} on 200 examples");
        b.ExitCode.Should().Be(0, b.StandardError);
        File.ReadAllBytes(temp.File("a.emtc")).Should().Equal(File.ReadAllBytes(temp.File("b.emtc")));
        JsonDocument.Parse(tested.StandardOutput).RootElement.GetProperty("accuracy").GetDouble().Should().BeGreaterThanOrEqualTo(0.9);
    }

    [Theory]
    [InlineData("fasttext", new[] { "--hidden", "32" }, "error: --hidden applies to --model mlp, rnn, gru and lstm, not fasttext")]
    [InlineData("lstm", new[] { "--activation", "tanh" }, "error: --activation applies to --model mlp, not lstm")]
    [InlineData("gru", new[] { "--loss", "ns" }, "error: --loss ns applies to --model fasttext; gru is trained with softmax")]
    [InlineData("rnn", new[] { "--word-ngrams", "2" }, "error: --word-ngrams applies to --model fasttext and mlp; rnn reads the words in order")]
    [InlineData("mlp", new[] { "--pooling", "last" }, "error: --pooling last does not apply to --model mlp; use mean or mean-max")]
    public void Train_OptionOfAnotherFamily_OneLine(string family, string[] more, string expected)
    {
        using var temp = new TempDirectory();
        string training = WriteFastText(temp, "train.txt", count: 10);

        Tool.Result result = Tool.Run(["classify", "train", "--input", training, "--output", temp.File("m.emtc"), "--model", family, .. more]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be(expected + "\n");
        File.Exists(temp.File("m.emtc")).Should().BeFalse();
    }

    [Fact]
    public void Train_Json_GivesTheRunsFigures()
    {
        using var temp = new TempDirectory();
        string training = WriteFastText(temp, "train.txt");

        Tool.Result result = Tool.Run([.. TrainArguments(training, temp.File("m.emtc")), "--validation", "0.25", "--json"]);

        result.ExitCode.Should().Be(0, result.StandardError);
        JsonElement root = JsonDocument.Parse(result.StandardOutput).RootElement;
        root.GetProperty("examples").GetInt32().Should().Be(150);
        root.GetProperty("validation_examples").GetInt32().Should().Be(50);
        root.GetProperty("labels").EnumerateArray().Select(l => l.GetString()).Should().BeEquivalentTo(["sports", "cooking"]);
        root.GetProperty("validation_accuracy").GetDouble().Should().Be(1.0);
    }

    /// <summary>Bad input: one line naming the file (and the line where there is one), exit 1, no model written.</summary>
    [Theory]
    [InlineData("nolabel.txt", new string[0], "error: '{dir}/nolabel.txt' line 2: the example has no label (labels are tokens starting with '__label__', as in '__label__positive great film').")]
    [InlineData("one.txt", new string[0], "error: '{dir}/one.txt' has only one label ('a'); a classifier needs examples of at least two.")]
    [InlineData("empty.txt", new string[0], "error: '{dir}/empty.txt': has no examples (it is empty or blank); expected lines like '__label__positive great film'.")]
    [InlineData("rows.csv", new[] { "--text-column", "tweet", "--label-column", "lable" }, "error: --label-column: '{dir}/rows.csv' has no column 'lable'. Its 3 columns are: 'id', 'label', 'tweet'. Did you mean --label-column label?")]
    [InlineData("rows.csv", new[] { "--text-column", "tweet", "--label-column", "label", "--positive-label", "2" }, "error: --positive-label: unknown label '2'; use 0 or 1 ('{dir}/rows.csv' has 0 and 1)")]
    public void Train_BadInput_OneLine_NothingWritten(string file, string[] more, string expected)
    {
        using var temp = new TempDirectory();
        Prepare(temp.Path);

        Tool.Result result = Tool.Run(["classify", "train", "--input", Path.Combine(temp.Path, file), "--output", temp.File("m.emtc"), .. more]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be(expected.Replace("{dir}", temp.Path, StringComparison.Ordinal) + "\n");
        result.StandardOutput.Should().BeEmpty();
        File.Exists(temp.File("m.emtc")).Should().BeFalse();
        Directory.EnumerateFiles(temp.Path, "*.tmp").Should().BeEmpty();
    }

    [Theory]
    [InlineData("test")]
    [InlineData("predict")]
    public void TestAndPredict_ModelOfAnotherKind_OneLine(string verb)
    {
        using var temp = new TempDirectory();
        Prepare(temp.Path);
        string vectors = temp.File("vectors.txt");
        string[] arguments = verb == "test"
            ? ["classify", "test", "--model", vectors, "--input", temp.File("one.txt")]
            : ["classify", "predict", "--model", vectors];

        Tool.Result result = Tool.RunWithInput("some text\n", arguments);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: '{vectors}' is not a text classifier; `classify {verb}` needs a model written by `embeddings classify train`\n");
        result.StandardOutput.Should().BeEmpty();
    }

    [Fact]
    public void Train_ResumeFromAFinishedModelOrAnotherKind_OneLine_NothingWritten()
    {
        using var temp = new TempDirectory();
        Prepare(temp.Path);
        string training = WriteFastText(temp, "train.txt"), model = temp.File("topics.emtc"), vectors = temp.File("vectors.txt"), output = temp.File("again.emtc");
        Tool.Run(TrainArguments(training, model)).ExitCode.Should().Be(0);

        Tool.Result finished = Tool.Run([.. TrainArguments(training, output), "--resume", model]);
        Tool.Result foreign = Tool.Run([.. TrainArguments(training, output), "--resume", vectors]);

        finished.ExitCode.Should().Be(1);
        finished.StandardError.Should().Be($"error: '{model}' is a finished model, not a checkpoint of a run.\n");
        foreign.ExitCode.Should().Be(1);
        foreign.StandardError.Should().Be($"error: '{vectors}' is not a text classifier; `classify train --resume` needs a model written by `embeddings classify train`\n");
        File.Exists(output).Should().BeFalse();
    }

    /// <summary>The files the bad-input rows name.</summary>
    internal static void Prepare(string folder)
    {
        File.WriteAllText(Path.Combine(folder, "nolabel.txt"), "__label__a good film\nno label here\n");
        File.WriteAllText(Path.Combine(folder, "one.txt"), "__label__a good film\n__label__a fine film\n");
        File.WriteAllText(Path.Combine(folder, "empty.txt"), string.Empty);
        File.WriteAllText(Path.Combine(folder, "rows.csv"), "id,label,tweet\n1,0,hello there\n2,1,awful day\n");
        File.WriteAllText(Path.Combine(folder, "vectors.txt"), "2 2\nmadrid 1 0\nparis 0 1\n");
    }
}
