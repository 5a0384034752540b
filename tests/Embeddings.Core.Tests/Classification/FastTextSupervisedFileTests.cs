using System.Globalization;
using System.Text;
using Embeddings.Core.Classification;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Classification;

/// <summary>
/// Supervised models trained by the <c>fasttext</c> CLI inside the test (each loss, word n-grams, character n-grams,
/// quantized <c>.ftz</c>) read as <see cref="TextClassifier"/>: on every line of a test file, our k = 1, 2 and 3
/// predictions are the labels <c>fasttext predict-prob</c> prints, in its order, with its probabilities within 1e-5.
/// </summary>
public class FastTextSupervisedFileTests
{
    private static readonly string[][] TopicWords =
    [
        ["fútbol", "gol", "partido", "equipo", "jugador", "balón", "árbitro", "liga"],
        ["comida", "cena", "pan", "vino", "queso", "tomate", "cocina", "sabor"],
        ["ordenador", "código", "programa", "red", "datos", "memoria", "chip", "pantalla"],
        ["canción", "guitarra", "piano", "ritmo", "banda", "concierto", "voz", "nota"],
    ];

    private static readonly string[] TopicNames = ["deporte", "comida", "técnica", "música"];

    private static readonly string[] Common = ["el", "la", "de", "que", "y", "en", "un", "una", "es", "por", "con", "para", "año", "niño"];

    [Theory]
    [InlineData("-loss softmax")]
    [InlineData("-loss hs")]
    [InlineData("-loss ova")]
    [InlineData("-loss ova -epoch 2 -lr 0.1")]   // undertrained: labels tie under fastText's sigmoid table, and its heap orders them
    [InlineData("-loss ns -neg 3")]
    [InlineData("-loss softmax -wordNgrams 2 -bucket 5000")]
    [InlineData("-loss softmax -minn 2 -maxn 4 -bucket 5000")]
    [InlineData("-loss hs -minn 2 -maxn 4 -wordNgrams 2 -bucket 5000")]
    [InlineData("-loss ova -minn 3 -maxn 3 -wordNgrams 3 -bucket 5000")]
    public void SupervisedBin_PredictsAsFastTextPredictProb(string arguments)
    {
        using var temp = new TempDirectory();
        string model = TrainFastText(temp, arguments, labels: 0);
        PredictionsShouldEqualFastText(temp, model);
    }

    /// <summary>Quantized models, pruned (<c>-cutoff</c>) or not; fastText quantizes the output layer (<c>-qout</c>) only with at least 256 labels.</summary>
    [Theory]
    [InlineData("-wordNgrams 2", "-qnorm", 0)]
    [InlineData("-minn 2 -maxn 4", "-dsub 5", 0)]
    [InlineData("-minn 2 -maxn 4 -wordNgrams 2", "-qnorm -cutoff 300 -retrain -epoch 2", 0)]
    [InlineData("-loss ova -wordNgrams 2", "-cutoff 400", 0)]
    [InlineData("-loss hs -minn 2 -maxn 3", "-qnorm -cutoff 260 -retrain -epoch 1", 0)]
    [InlineData("-wordNgrams 2", "-qout -qnorm", 300)]
    public void QuantizedFtz_PredictsAsFastTextPredictProb(string training, string quantizing, int labels)
    {
        using var temp = new TempDirectory();
        string model = TrainFastText(temp, training + " -bucket 5000", labels);
        FastText($"quantize -input {temp.File("train.txt")} -output {Path.ChangeExtension(model, null)} {quantizing} -thread 1 -verbose 0");
        PredictionsShouldEqualFastText(temp, Path.ChangeExtension(model, ".ftz"));
    }

    [Fact]
    public void SupervisedBin_FromAStream_PredictsAsFromItsPath_AndIsNotSavedNatively()
    {
        using var temp = new TempDirectory();
        string model = TrainFastText(temp, "-loss softmax -minn 2 -maxn 4 -bucket 5000", labels: 0);
        TextClassifier fromPath = TextClassifier.Load(model);
        using FileStream stream = File.OpenRead(model);
        TextClassifier fromStream = TextClassifier.Load(stream);

        fromStream.Labels.Should().Equal(fromPath.Labels);
        fromStream.Options.Dimensions.Should().Be(10);
        fromStream.Predict("el partido de fútboll", k: 4).Should().Equal(fromPath.Predict("el partido de fútboll", k: 4));
        fromPath.Invoking(m => m.Save(new MemoryStream())).Should().Throw<NotSupportedException>().WithMessage("*fastText file*");
    }

    [Theory]
    [InlineData("skipgram", "skip-gram")]
    [InlineData("cbow", "CBOW")]
    public void UnsupervisedBin_IsRefusedAsAClassifier_NamingWhatItIs(string command, string kind)
    {
        using var temp = new TempDirectory();
        WriteData(temp, labels: 0);
        FastText($"{command} -input {temp.File("train.txt")} -output {temp.File("vectors")} -dim 5 -epoch 1 -minCount 1 -thread 1 -verbose 0");

        Action load = () => TextClassifier.Load(temp.File("vectors.bin"));

        load.Should().Throw<InvalidDataException>()
            .WithMessage($"'{temp.File("vectors.bin")}' is a fastText {kind} model (word vectors), not a supervised classifier*");
    }

    /// <summary>Writes train.txt and test.txt, trains <c>fasttext supervised</c> (one thread: deterministic) and returns the .bin.</summary>
    private static string TrainFastText(TempDirectory temp, string arguments, int labels)
    {
        WriteData(temp, labels);
        FastText($"supervised -input {temp.File("train.txt")} -output {temp.File("model")} -dim 10 -lr 0.5 -epoch 10 -minCount 1 -thread 1 -seed 1 -verbose 0 {arguments}");
        return temp.File("model.bin");
    }

    private static void PredictionsShouldEqualFastText(TempDirectory temp, string model)
    {
        TextClassifier classifier = TextClassifier.Load(model);
        string[] lines = File.ReadAllLines(temp.File("test.txt"));
        foreach (int k in new[] { 1, 2, 3 })
        {
            string[] expected = FastText($"predict-prob {model} {temp.File("test.txt")} {k}").Split('\n')[..lines.Length];
            int compared = 0;
            for (int i = 0; i < lines.Length; i++)
            {
                string[] fields = expected[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                IReadOnlyList<LabelPrediction> ours = classifier.Predict(lines[i], k);
                ours.Select(p => "__label__" + p.Label).Should().Equal(fields.Where((_, j) => j % 2 == 0), $"line {i + 1} (k = {k}): {lines[i]}");
                for (int j = 0; j < ours.Count; j++)
                {
                    ours[j].Probability.Should().BeApproximately(float.Parse(fields[(2 * j) + 1], CultureInfo.InvariantCulture), 1e-5f, $"line {i + 1} (k = {k})");
                }

                compared += ours.Count;
            }

            compared.Should().BeGreaterThanOrEqualTo(lines.Length * Math.Min(k, classifier.Labels.Count) * 9 / 10);
        }
    }

    /// <summary>
    /// A seeded task in fastText's format: four Spanish topics (some lines with two labels), or <paramref name="labels"/>
    /// labels with words of their own; the test lines carry their labels (which prediction ignores, as fastText does) and
    /// misspelt words the model never saw, so character n-grams matter.
    /// </summary>
    private static void WriteData(TempDirectory temp, int labels)
    {
        var random = new Random(7);
        File.WriteAllText(temp.File("train.txt"), Lines(random, 400, misspell: false));
        File.WriteAllText(temp.File("test.txt"), Lines(random, 120, misspell: true));

        string Lines(Random random, int count, bool misspell)
        {
            var text = new StringBuilder();
            count = labels > 0 ? labels * 3 : count;
            for (int i = 0; i < count; i++)
            {
                var words = new List<string>();
                if (labels > 0)
                {
                    int label = labels * i / count;
                    text.Append(CultureInfo.InvariantCulture, $"__label__t{label} ");
                    words.Add($"w{label}");
                    words.Add($"w{(label + random.Next(3)) % labels}");
                }
                else
                {
                    int topic = random.Next(TopicNames.Length);
                    text.Append("__label__").Append(TopicNames[topic]).Append(' ');
                    if (random.Next(5) == 0)
                    {
                        text.Append("__label__").Append(TopicNames[random.Next(TopicNames.Length)]).Append(' ');
                    }

                    for (int j = random.Next(3, 12); j > 0; j--)
                    {
                        words.Add(random.Next(10) < 4 ? TopicWords[topic][random.Next(8)] : Common[random.Next(Common.Length)]);
                    }
                }

                for (int j = 0; j < words.Count; j++)
                {
                    words[j] = misspell && random.Next(4) == 0 ? words[j] + "s" : words[j];
                }

                text.AppendJoin(' ', words).Append('\n');
            }

            return text.ToString();
        }
    }

    /// <summary>Runs the fastText CLI (arguments split on spaces; the temporary paths have none).</summary>
    private static string FastText(string arguments) => FastTextCli.Run(null, arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
