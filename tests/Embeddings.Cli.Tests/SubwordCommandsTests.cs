using System.Globalization;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Corpus;
using Embeddings.Core.Formats;
using Embeddings.Core.Subwords;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

/// <summary>The query commands given subword vectors (EMSW): words outside the vocabulary get vectors from their n-grams.</summary>
public sealed class SubwordCommandsTests : IDisposable
{
    private const string Notice = "notice: 'gatito' is not in the vocabulary; its vector comes from its character n-grams.\n";

    private readonly TempDirectory _folder = new();

    /// <summary>
    /// "gato", "perro", "casa" in 3 dimensions, trigrams in 257 buckets, all zero but those of "gatito", which point
    /// along "gato"'s own row: the unseen "gatito" is nearest "gato".
    /// </summary>
    private readonly SubwordVectors _vectors;

    private readonly string _path;

    public SubwordCommandsTests()
    {
        const int Buckets = 257;
        var ngrams = new float[Buckets * 3];
        var buckets = new List<int>();
        FastTextSubwords.AddNgramBuckets("gatito", 3, 3, Buckets, buckets);
        buckets.ForEach(bucket => ngrams[bucket * 3] = 2f);
        _vectors = new SubwordVectors(Vocabulary.FromWordsInOrder(["gato", "perro", "casa"]), [1, 0.2f, 0, 0, 1, 0, 0.1f, 0, 1], ngrams, 3, 3, 3);
        _path = _folder.File("gatos.emsw");
        _vectors.Save(_path);
    }

    public void Dispose()
    {
        _vectors.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void PrintVectors_SubwordVectors_PrintsEveryWord_UnseenOnesFromTheirNgrams()
    {
        Tool.Result result = Tool.RunWithInput("gato gatito\nperro\n", "print-vectors", "--vectors", _path);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().BeEmpty("fastText's print-word-vectors prints vectors only");
        string[] lines = result.StandardOutput.Split('\n');
        lines.Select(line => line.Split(' ')[0]).Should().Equal("gato", "gatito", "perro", string.Empty);
        Values(lines[1]).Should().Equal(_vectors.GetVector("gatito"));
        Values(lines[0]).Should().Equal(_vectors.GetVector("gato"));
        Values(lines[1])[0].Should().BeGreaterThan(1f, "gatito's n-grams point along the first axis");
    }

    [Fact]
    public void Similar_UnseenWord_SaysItsVectorComesFromNgrams_AndRanksGatoFirst()
    {
        Tool.Result result = Tool.Run("similar", "--vectors", _path, "--word", "gatito", "--top", "3");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().Be(Notice);
        string[] words = [.. result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\t')[0])];
        words.Should().Equal(_vectors.MostSimilar("gatito", 3).Select(r => r.Word));
        words[0].Should().Be("gato");
        words.Should().HaveCount(3, "an unseen word excludes no vocabulary word");
    }

    [Fact]
    public void SimilarityAndAnalogy_AcceptUnseenWords()
    {
        Tool.Result similarity = Tool.Run("similarity", "--vectors", _path, "gatito", "gato");
        Tool.Result analogy = Tool.Run("analogy", "--vectors", _path, "gato", "gatito", "perro", "--top", "1");

        similarity.ExitCode.Should().Be(0, similarity.StandardError);
        similarity.StandardError.Should().Be(Notice);
        float.Parse(similarity.StandardOutput, CultureInfo.InvariantCulture).Should().Be(_vectors.Similarity("gatito", "gato"));
        analogy.ExitCode.Should().Be(0, analogy.StandardError);
        analogy.StandardError.Should().Be(Notice);
        analogy.StandardOutput.Should().StartWith(_vectors.MostSimilar(["gatito", "perro"], ["gato"], 1)[0].Word + "\t");
    }

    [Fact]
    public void Query_UnseenWord_AnswersFromItsNgrams_WithTheNotice()
    {
        Tool.Result result = Tool.RunWithInput("gatito\n", "query", "--vectors", _path, "--top", "1");

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardError.Should().Be(Notice);
        result.StandardOutput.Should().StartWith("gato\t").And.EndWith("\n\n");
    }

    [Fact]
    public void Evaluate_SubwordVectors_CountsPairsWithUnseenWordsOutOfVocabulary_AsGensim()
    {
        string pairs = _folder.File("pairs.tsv");
        File.WriteAllText(pairs, "gato\tperro\t3\ngato\tcasa\t1\nperro\tcasa\t2\ngatito\tgato\t9\n");

        Tool.Result result = Tool.Run("evaluate", "--vectors", _path, "--similarity", pairs);

        result.ExitCode.Should().Be(0, result.StandardError);
        result.StandardOutput.Should().Contain("3 pairs scored, 1 skipped (25.0 % out of vocabulary)");
    }

    [Fact]
    public void Similar_PlainVectorsOfTheSameWords_StillRefuseTheUnseenWord()
    {
        string plain = _folder.File("gatos.vec");
        _vectors.Words.Save(plain, VectorFileFormat.FastTextVec);

        Tool.Result result = Tool.Run("similar", "--vectors", plain, "--word", "gatito");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Be("error: 'gatito' is not in the vocabulary of 3 words.\n");
    }

    [Fact]
    public void Convert_SubwordVectors_WritesTheVocabularyWordsVectors()
    {
        string output = _folder.File("out.vec");

        Tool.Result result = Tool.Run("convert", "--input", _path, "--output", output, "--format", "vec");

        result.ExitCode.Should().Be(0, result.StandardError);
        using var converted = Core.Vectors.WordVectors.Load(output);
        converted.Vocabulary.Words.Should().Equal("gato", "perro", "casa");
        converted.Matrix.ToArray().Should().Equal(_vectors.Words.Matrix.ToArray());
    }

    private static float[] Values(string line) =>
        [.. line.Split(' ').Skip(1).Select(value => float.Parse(value, CultureInfo.InvariantCulture))];
}
