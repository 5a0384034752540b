using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Corpus;
using Embeddings.Core.Evaluation;
using Embeddings.Core.Formats;
using Embeddings.Core.Sequences;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary>
/// Every file the project writes, given to the commands that read word vectors: each that holds vectors gives the
/// answers of its vectors (exact, a model's input vectors, a checkpoint's, decoded centroids or codes); each that holds
/// none fails with one line that says what the file is.
/// </summary>
public class VectorInputTests(VectorFiles files) : IClassFixture<VectorFiles>
{
    public static readonly TheoryData<string> VectorKinds =
    [
        "word2vec binary", "word2vec text", "fastText .vec", "fastText .bin", "GloVe", "native", "gzip text", "train --save-model",
        "train --checkpoint folder", "checkpoint file", "quantize", "pq",
    ];

    /// <summary>Each file that holds no word vectors, and the message of <c>similar</c> after the quoted path (<c>*</c>: any text).</summary>
    public static readonly TheoryData<string, string> OtherKinds = new()
    {
        { "language model", "is a language-model file (EMLM); `similar` needs word vectors: pass the vectors the model was trained on." },
        { "language-model checkpoint folder", "is a language-model checkpoint folder; `similar` needs word vectors: pass the vectors the model was trained on." },
        { "quantized language model", "is a quantized language model file (EMQL); `similar` needs word vectors: pass the vectors or the quantize file the model was trained on." },
        { "encoded corpus", "is an encoded corpus file (EMBC); `similar` needs word vectors: train vectors on its text with `embeddings train` and pass those." },
        { "damaged fastText .bin", "byte 8: the dimension must be 1–1048576 (was 0)." },
        { "gzip of a token file", "is text, not word vectors: its first line is not a word followed by numbers ('*')." },
        { "gzip of binary data", "is binary data, not word vectors in a format read here (word2vec text or binary, fastText .vec, GloVe text or native EMBV)." },
        { "binary data", "is binary data, not word vectors in a format read here (word2vec text or binary, fastText .vec, GloVe text or native EMBV)." },
        { "empty folder", "is a folder without a word2vec checkpoint ('word2vec.checkpoint'); `similar` needs word vectors: pass a file of vectors or a train --checkpoint folder." },
    };

    [Theory]
    [MemberData(nameof(VectorKinds))]
    public void Similar_EveryFileWithVectors_PrintsTheNeighboursOfItsVectors(string kind)
    {
        (string path, WordVectors vectors) = files.WithVectors[kind];

        Tool.Result result = Tool.Run("similar", "--vectors", path, "--word", files.Query, "--top", "5");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be(Lines(vectors.MostSimilar(files.Query, 5)));
    }

    [Theory]
    [MemberData(nameof(VectorKinds))]
    public void Analogy_EveryFileWithVectors_PrintsTheAnswersOfItsVectors(string kind)
    {
        (string path, WordVectors vectors) = files.WithVectors[kind];
        string[] abc = files.Analogy;

        Tool.Result result = Tool.Run("analogy", "--vectors", path, abc[0], abc[1], abc[2], "--top", "3");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Be(Lines(vectors.MostSimilar(positive: [abc[1], abc[2]], negative: [abc[0]], topN: 3)));
    }

    [Theory]
    [MemberData(nameof(VectorKinds))]
    public void Evaluate_EveryFileWithVectors_ScoresItsVectors(string kind)
    {
        (string path, WordVectors vectors) = files.WithVectors[kind];

        Tool.Result result = Tool.Run("evaluate", "--vectors", path, "--analogies", files.Questions, "--similarity", files.Pairs, "--threads", "1", "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("analogy_accuracy").GetDouble().Should().Be(vectors.EvaluateAnalogies(files.Questions).Accuracy);
        json.RootElement.GetProperty("spearman").GetDouble().Should().Be(vectors.EvaluateWordPairs(files.Pairs).Spearman);
    }

    [Theory]
    [MemberData(nameof(OtherKinds))]
    public void Similar_FileWithoutVectors_FailsWithOneLineSayingWhatItIs(string kind, string message)
    {
        string path = files.WithoutVectors[kind];

        Tool.Result result = Tool.Run("similar", "--vectors", path, "--word", files.Query);

        result.ExitCode.Should().Be(1);
        result.StandardOutput.Should().BeEmpty();
        result.StandardError.Should().Match($"error: '{path}' {message}\n");
        result.StandardError.TrimEnd('\n').Should().NotContain("\n", "the error is one line");
    }

    [Theory]
    [InlineData("analogy", "a b c")]
    [InlineData("evaluate", "--similarity pairs.tsv")]
    [InlineData("map", "--output map.svg")]
    [InlineData("quantize", "--output q.embk")]
    [InlineData("pq", "--output q.embp")]
    public void EveryVectorsCommand_LanguageModel_NamesTheCommandInItsOneLine(string command, string rest)
    {
        string path = files.WithoutVectors["language model"];

        Tool.Result result = Tool.Run([command, "--vectors", path, .. rest.Split(' ')]);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: '{path}' is a language-model file (EMLM); `{command}` needs word vectors: pass the vectors the model was trained on.\n");
    }

    [Fact]
    public void Convert_QuantizeFileWithALimit_WritesTheFirstWordsDecoded()
    {
        (string path, WordVectors decoded) = files.WithVectors["quantize"];
        using var temp = new TempDirectory();
        string output = temp.File("first.txt");

        Tool.Result result = Tool.Run("convert", "--input", path, "--output", output, "--format", "text", "--limit", "20");

        result.ExitCode.Should().Be(0, result.StandardError);
        using WordVectors converted = WordVectorsFile.Load(output);
        converted.Vocabulary.Words.Should().Equal(decoded.Vocabulary.Words.Take(20));
        converted.Matrix.ToArray().Should().Equal(decoded.Matrix[..(20 * decoded.Dimensions)].ToArray());
    }

    [Fact]
    public void Similar_MissingFile_SaysItDoesNotExist()
    {
        string path = Path.Combine(files.Folder, "no-such-vectors.bin");

        Tool.Result result = Tool.Run("similar", "--vectors", path, "--word", files.Query);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be($"error: '{path}' does not exist.\n");
    }

    private static string Lines(IEnumerable<WordSimilarity> similarities) =>
        string.Concat(similarities.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Word}\t{s.Similarity:F6}\n")));
}

/// <summary>
/// Word vectors trained once by <c>embeddings train</c> on the demo's tokens (with <c>--save-model</c> and
/// <c>--checkpoint</c>), written again in every vector format and quantized both ways; and a file of each kind that
/// holds no word vectors.
/// </summary>
public sealed class VectorFiles : IDisposable
{
    private readonly TempDirectory _temp = new();

    public VectorFiles()
    {
        string tokens = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tokens.txt.gz");
        string binary = File("vectors.bin"), model = File("model.w2v"), checkpoints = File("checkpoints");
        Tool.Result train = Tool.Run("train", "--input", tokens, "--output", binary, "--dim", "24", "--min-count", "3", "--epochs", "2",
            "--threads", "1", "--seed", "1", "--save-model", model, "--checkpoint", checkpoints);
        if (train.ExitCode != 0)
        {
            throw new InvalidOperationException($"training the fixture failed: {train.StandardError}");
        }

        WordVectors exact = WordVectorsFile.Load(binary);
        Query = exact.Vocabulary[40];
        Analogy = [exact.Vocabulary[50], exact.Vocabulary[51], exact.Vocabulary[52]];
        Questions = WriteText("questions.txt", ": ranks\n" + string.Join('\n', Enumerable.Range(0, 12).Select(i =>
            string.Join(' ', Enumerable.Range(0, 4).Select(j => exact.Vocabulary[20 + (7 * i) + j])))) + '\n');
        Pairs = WriteText("pairs.tsv", string.Concat(Enumerable.Range(0, 12).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{exact.Vocabulary[30 + i]}\t{exact.Vocabulary[60 + (3 * i)]}\t{i % 5}\n"))));

        WithVectors["word2vec binary"] = (binary, exact);
        WithVectors["word2vec text"] = (Save(exact, "vectors.txt", VectorFileFormat.Word2VecText), exact);
        WithVectors["fastText .vec"] = (Save(exact, "vectors.vec", VectorFileFormat.FastTextVec), exact);
        WithVectors["fastText .bin"] = (Save(exact, "vectors.fasttext.bin", VectorFileFormat.FastTextBinary), exact);
        WithVectors["GloVe"] = (Save(exact, "glove.txt", VectorFileFormat.GloVeText), exact);
        WithVectors["native"] = (Save(exact, "vectors.embv", VectorFileFormat.Native), exact);
        WithVectors["gzip text"] = (Gzip(System.IO.File.ReadAllBytes(WithVectors["word2vec text"].Path), "vectors.txt.gz"), exact);
        WithVectors["train --save-model"] = (model, Word2VecModel.Load(model).Vectors);
        string checkpoint = Path.Combine(checkpoints, Word2VecCheckpoint.FileName);
        WithVectors["train --checkpoint folder"] = (checkpoints, Word2VecModel.Load(checkpoint).Vectors);
        WithVectors["checkpoint file"] = (checkpoint, Word2VecModel.Load(checkpoint).Vectors);

        QuantizedVectors kmeans = QuantizedVectors.Quantize(exact, KMeans.CreateBuilder().Clusters(32).Seed(0).Threads(1).Build());
        kmeans.Save(File("vectors.embk"));
        WithVectors["quantize"] = (File("vectors.embk"), QuantizedVectors.Load(File("vectors.embk")).ToWordVectors());
        ProductQuantizer.CreateBuilder().Subspaces(6).Seed(0).Threads(1).Build().Train(exact).Save(File("vectors.embp"));
        WithVectors["pq"] = (File("vectors.embp"), ProductQuantizedVectors.Load(File("vectors.embp")).ToWordVectors());

        WriteFilesWithoutVectors(exact, kmeans, tokens);
    }

    public string Folder => _temp.Path;

    public string Query { get; }

    public string[] Analogy { get; }

    public string Questions { get; }

    public string Pairs { get; }

    public Dictionary<string, (string Path, WordVectors Vectors)> WithVectors { get; } = [];

    public Dictionary<string, string> WithoutVectors { get; } = [];

    public void Dispose()
    {
        foreach ((_, WordVectors vectors) in WithVectors.Values)
        {
            vectors.Dispose();
        }

        _temp.Dispose();
    }

    private void WriteFilesWithoutVectors(WordVectors exact, QuantizedVectors kmeans, string tokens)
    {
        string[] words = [.. Enumerable.Range(0, 300).Select(i => exact.Vocabulary[i % 40])];
        LanguageModel model = LanguageModel.CreateBuilder().PretrainedEmbedding(exact).HiddenSize(8).SequenceLength(3).Epochs(1).Threads(1).Build()
            .Train([.. Enumerable.Range(0, 300).Select(i => i % 40)]);
        model.Save(File("regenta.lm"));
        WithoutVectors["language model"] = File("regenta.lm");
        string lmCheckpoints = File("lm-checkpoints");
        Directory.CreateDirectory(lmCheckpoints);
        model.Save(Path.Combine(lmCheckpoints, LanguageModelTrainer.CheckpointFileName));
        WithoutVectors["language-model checkpoint folder"] = lmCheckpoints;
        QuantizedLanguageModel.CreateBuilder().Clusters(kmeans).Configure(m => m.HiddenSize(8).SequenceLength(3).Epochs(1).Threads(1)).Build()
            .Train(words).Save(File("regenta.qlm"));
        WithoutVectors["quantized language model"] = File("regenta.qlm");
        EncodedCorpusFile.Write(File("corpus.embc"), [(IReadOnlyList<string>)words], exact.Vocabulary);
        WithoutVectors["encoded corpus"] = File("corpus.embc");

        // fastText's .bin: its magic 793712314 and version 12, little-endian, then a model whose dimension is 0.
        WithoutVectors["damaged fastText .bin"] = WriteBytes("cc.es.300.bin", [0xBA, 0x16, 0x4F, 0x2F, 12, 0, 0, 0, .. new byte[256]]);
        WithoutVectors["gzip of a token file"] = tokens;
        var noise = new byte[8192];
        new Random(5).NextBytes(noise);
        noise[0] = 0; // neither a gzip nor a native magic
        WithoutVectors["binary data"] = WriteBytes("noise.bin", noise);
        WithoutVectors["gzip of binary data"] = Gzip(noise, "noise.bin.gz");
        WithoutVectors["empty folder"] = File("empty");
        Directory.CreateDirectory(File("empty"));
    }

    private string File(string name) => _temp.File(name);

    private string Save(WordVectors vectors, string name, VectorFileFormat format)
    {
        WordVectorsFile.Save(vectors, File(name), format);
        return File(name);
    }

    private string WriteText(string name, string text) => WriteBytes(name, Encoding.UTF8.GetBytes(text));

    private string WriteBytes(string name, byte[] bytes)
    {
        System.IO.File.WriteAllBytes(File(name), bytes);
        return File(name);
    }

    private string Gzip(byte[] bytes, string name)
    {
        using (var gzip = new GZipStream(System.IO.File.Create(File(name)), CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return File(name);
    }
}
