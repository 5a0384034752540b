using System.Text;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.Subwords;
using Embeddings.Core.Numerics;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Formats.FastText;

/// <summary>
/// Small fastText models trained by the <c>fasttext</c> program once per test run, on a few thousand tokens of generated
/// Spanish with accents (and a few Cyrillic, CJK and emoji words), in a temporary folder.
/// </summary>
public sealed class FastTextTestModels : IDisposable
{
    private static readonly string[] Words =
    [
        "corazón", "niño", "niña", "canción", "árbol", "pingüino", "mañana", "está", "café", "aquí", "también", "había",
        "el", "la", "de", "que", "y", "en", "un", "una", "los", "las", "casa", "perro", "gato", "agua", "camino", "ciudad",
        "señor", "señora", "dijo", "caballero", "escudero", "molino", "gigante", "libro", "ventana", "noche", "día",
        "привет", "мир", "книга", "東京", "日本語", "😀", "🎉emoji", "niñito", "corazones", "cancioncilla",
    ];

    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string> _models = [];
    private readonly Lock _lock = new();

    public FastTextTestModels()
    {
        TextPath = _folder.File("text.txt");
        LabelledPath = _folder.File("labelled.txt");
        var random = new SplitMix64Random(17);
        var text = new StringBuilder();
        var labelled = new StringBuilder();
        for (int line = 0; line < 400; line++)
        {
            int length = 5 + random.NextInt(10);
            var words = new string[length];
            for (int i = 0; i < length; i++)
            {
                // The smaller of two draws: skewed towards the first words, so that counts differ, yet every word occurs.
                words[i] = Words[Math.Min(random.NextInt(Words.Length), random.NextInt(Words.Length))];
            }

            text.AppendLine(string.Join(' ', words));
            string label = words.Contains("corazón") || words.Contains("niño") ? "__label__amor" : line % 3 == 0 ? "__label__casa" : "__label__otro";
            labelled.Append(label).Append(' ').AppendLine(string.Join(' ', words));
        }

        System.IO.File.WriteAllText(TextPath, text.ToString(), new UTF8Encoding(false));
        System.IO.File.WriteAllText(LabelledPath, labelled.ToString(), new UTF8Encoding(false));
    }

    /// <summary>The unsupervised training text.</summary>
    public string TextPath { get; }

    /// <summary>The supervised training text: a <c>__label__</c> and the words, per line.</summary>
    public string LabelledPath { get; }

    /// <summary>The vocabulary the generator draws from, and the words of the unseen-word tests.</summary>
    public static IReadOnlyList<string> VocabularyWords => Words;

    /// <summary>A temporary file path for a test.</summary>
    public string File(string name) => _folder.File(name);

    /// <summary>Skip-gram with n-grams 3–6 in 2,000 buckets, 10 dimensions.</summary>
    public string SkipGram => Model("skipgram", "skipgram", "-dim", "10", "-minCount", "1", "-bucket", "2000", "-epoch", "2", "-minn", "3", "-maxn", "6");

    /// <summary>CBOW with n-grams 2–4 in 1,500 buckets, 8 dimensions.</summary>
    public string Cbow => Model("cbow", "cbow", "-dim", "8", "-minCount", "2", "-bucket", "1500", "-epoch", "2", "-minn", "2", "-maxn", "4");

    /// <summary>Skip-gram without n-grams (<c>-maxn 0</c>).</summary>
    public string SkipGramWithoutNgrams => Model("plain", "skipgram", "-dim", "6", "-minCount", "1", "-epoch", "1", "-maxn", "0");

    /// <summary>A classifier with word bigrams and character n-grams 2–3.</summary>
    public string Supervised => Model("supervised", "supervised", "-dim", "10", "-minCount", "1", "-bucket", "1000", "-epoch", "2", "-wordNgrams", "2", "-minn", "2", "-maxn", "3");

    /// <summary>
    /// <see cref="Supervised"/> quantized by <c>fasttext quantize</c> with separately quantized norms, slices of 2 values
    /// and the dictionary pruned to 300 rows (so the file has a pruning index).
    /// </summary>
    public string SupervisedQuantized => Quantized(Supervised, "-qnorm", "-dsub", "2", "-cutoff", "300");

    /// <summary>A classifier with n-grams 3–5 quantized without pruning or norm quantization (slices of 4 values).</summary>
    public string SupervisedQuantizedUnpruned => Quantized(
        Model("supervised2", "supervised", "-dim", "12", "-minCount", "1", "-bucket", "600", "-epoch", "1", "-minn", "3", "-maxn", "5"), "-dsub", "4");

    /// <summary>A tiny skip-gram file (4 dimensions, 50 buckets) for fuzzing.</summary>
    public string TinySkipGram => Model("tiny", "skipgram", "-dim", "4", "-minCount", "3", "-bucket", "50", "-epoch", "1", "-minn", "3", "-maxn", "4");

    /// <summary>A tiny quantized classifier (4 dimensions, norms quantized, pruned to 260 rows) for fuzzing.</summary>
    public string TinyQuantized => Quantized(
        Model("tinysup", "supervised", "-dim", "4", "-minCount", "3", "-bucket", "300", "-epoch", "1", "-minn", "2", "-maxn", "3"), "-qnorm", "-dsub", "2", "-cutoff", "260");

    public void Dispose() => _folder.Dispose();

    /// <summary>fastText's vector of <paramref name="word"/> computed from the file's matrices as its <c>getWordVector</c> does.</summary>
    internal static float[] ComposeLikeFastText(FastTextModelFile model, string word)
    {
        var vector = new float[model.Args.Dimensions];
        var rows = new List<int>();
        int id = -1;
        for (int i = 0; i < model.Dictionary.Words.Count; i++)
        {
            if (model.Dictionary.Words[i] == word)
            {
                id = i;
                break;
            }
        }

        if (id >= 0)
        {
            rows.Add(id);
        }

        var buckets = new List<int>();
        if (model.Args.Buckets > 0)
        {
            FastTextSubwords.AddNgramBuckets(word, model.Args.MinN, model.Args.MaxN, model.Args.Buckets, buckets);
        }

        rows.AddRange(buckets.Select(model.Dictionary.NgramRow).Where(row => row >= 0));
        foreach (int row in rows)
        {
            model.Input.AddRowTo(row, vector);
        }

        for (int i = 0; i < vector.Length && rows.Count > 0; i++)
        {
            vector[i] /= rows.Count;
        }

        return vector;
    }

    /// <summary>The <c>.ftz</c> that <c>fasttext quantize</c> makes of the classifier at <paramref name="binPath"/> (at least 256 rows: the quantizer's centroids).</summary>
    private string Quantized(string binPath, params string[] options)
    {
        lock (_lock)
        {
            string stem = binPath[..^".bin".Length];
            if (!System.IO.File.Exists(stem + ".ftz"))
            {
                FastTextCli.Run(null, ["quantize", "-input", LabelledPath, "-output", stem, "-thread", "1", "-verbose", "0", .. options]);
            }

            return stem + ".ftz";
        }
    }

    private string Model(string name, string command, params string[] options)
    {
        lock (_lock)
        {
            if (!_models.TryGetValue(name, out string? path))
            {
                path = FastTextCli.Train(command, command == "supervised" ? LabelledPath : TextPath, _folder.File(name), options);
                _models[name] = path;
            }

            return path;
        }
    }
}
