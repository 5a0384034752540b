using Embeddings.Core.Formats;
using Embeddings.Core.Formats.FastText;
using Embeddings.Core.Subwords;
using Embeddings.Core.Tests.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;
using FsCheck;
using FsCheck.Fluent;

namespace Embeddings.Core.Tests.Formats.FastText;

/// <summary>
/// fastText files as <see cref="SubwordVectors"/> and <see cref="WordVectors"/>, checked against the <c>fasttext</c>
/// program: its n-grams and hashes, its word vectors, and the files written here that it loads.
/// </summary>
public class FastTextVectorsTests(FastTextTestModels models) : IClassFixture<FastTextTestModels>
{
    /// <summary>ASCII, accented Spanish, Cyrillic, CJK and emoji words, none of them in the models' vocabulary.</summary>
    public static readonly TheoryData<string> NgramWords = ["hello", "corazoncito", "niñitos", "pingüinos", "приветик", "東京都庁", "😀🎉x", "graciasss", "ñ"];

    [Theory]
    [MemberData(nameof(NgramWords))]
    public void Ngrams_AndTheirBuckets_AreThoseFastTextPrints(string word)
    {
        foreach ((string path, int minN, int maxN) in new[] { (models.SkipGram, 3, 6), (models.Cbow, 2, 4) })
        {
            FastTextModelFile model = FastTextModelFile.Read(path);
            List<(string Ngram, float[] Vector)> printed = FastTextCli.PrintNgrams(path, word);
            var buckets = new List<int>();
            FastTextSubwords.AddNgramBuckets(word, minN, maxN, model.Args.Buckets, buckets);

            FastTextSubwords.Ngrams(word, minN, maxN).Should().Equal(printed.Select(p => p.Ngram), $"fastText's n-grams of {word}");
            buckets.Should().HaveCount(printed.Count);
            for (int i = 0; i < printed.Count; i++)
            {
                // The bucket's row is the vector fastText prints for the n-gram: the hash and the modulo agree.
                var row = new float[model.Args.Dimensions];
                model.Input.AddRowTo(model.Dictionary.Words.Count + buckets[i], row);
                AssertClose(row, printed[i].Vector, $"{word} n-gram {printed[i].Ngram}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(FastTextModelFileTests.Kinds), MemberType = typeof(FastTextModelFileTests))]
    public void LoadFastText_VocabularyAndUnseenWords_EqualPrintWordVectors(string kind)
    {
        string path = FastTextModelFileTests.PathOf(models, kind);
        using SubwordVectors vectors = SubwordVectors.LoadFastText(path);
        string[] words = [.. vectors.Vocabulary.Words, .. FastTextModelFileTests.UnseenWords()];

        List<(string Word, float[] Vector)> printed = FastTextCli.PrintWordVectors(path, words);

        printed.Should().HaveCount(words.Length);
        foreach ((string word, float[] expected) in printed)
        {
            AssertClose(vectors.GetVector(word), expected, word);
        }

        // The composed vocabulary is the same vectors.
        for (int id = 0; id < vectors.Vocabulary.Count; id++)
        {
            vectors.Words.GetVector(id).ToArray().Should().Equal(vectors.GetVector(vectors.Vocabulary[id]));
        }
    }

    [Theory]
    [MemberData(nameof(FastTextModelFileTests.Kinds), MemberType = typeof(FastTextModelFileTests))]
    public void SaveFastText_LoadsInFastTextWithTheSameVectors(string kind)
    {
        using SubwordVectors vectors = SubwordVectors.LoadFastText(FastTextModelFileTests.PathOf(models, kind));
        string path = models.File($"ours-{kind}.bin");
        if (kind == "SupervisedQuantized")
        {
            // Pruned buckets: fastText itself refuses a dense model with a pruned dictionary.
            vectors.Invoking(v => v.SaveFastText(path)).Should().Throw<InvalidOperationException>().WithMessage("*pruned*");
            File.Exists(path).Should().BeFalse();
            return;
        }

        vectors.SaveFastText(path);

        string[] words = [.. vectors.Vocabulary.Words, .. FastTextModelFileTests.UnseenWords()];
        foreach ((string word, float[] expected) in FastTextCli.PrintWordVectors(path, words))
        {
            AssertClose(vectors.GetVector(word), expected, word);
        }

        using SubwordVectors again = SubwordVectors.LoadFastText(path);
        again.WordRows.ToArray().Should().Equal(vectors.WordRows.ToArray());
        again.NgramRows.ToArray().Should().Equal(vectors.NgramRows.ToArray());
        (again.MinN, again.MaxN, again.Buckets).Should().Be((vectors.MinN, vectors.MaxN, vectors.Buckets));
    }

    [Fact]
    public void WordVectorsLoad_FastTextBin_IsDetectedAndGivesTheComposedVectors()
    {
        string path = models.SkipGram;
        using SubwordVectors subwords = SubwordVectors.LoadFastText(path);

        WordVectorsFile.DetectFormat(path).Should().Be(VectorFileFormat.FastTextBinary);
        using WordVectors vectors = WordVectorsFile.Load(path);
        using WordVectors first = WordVectorsFile.Load(path, limit: 5);

        vectors.Vocabulary.Words.Should().Equal(subwords.Vocabulary.Words);
        vectors.Matrix.ToArray().Should().Equal(subwords.Words.Matrix.ToArray());
        first.Count.Should().Be(5);
        foreach ((string word, float[] expected) in FastTextCli.PrintWordVectors(path, vectors.Vocabulary.Words))
        {
            AssertClose(vectors[word].ToArray(), expected, word);
        }
    }

    [Fact]
    public void WordVectorsSave_FastTextBinary_LoadsInFastText()
    {
        WordVectors vectors = FormatTestData.Random(20, 7, seed: 5);
        string path = models.File("plain.bin");

        WordVectorsFile.Save(vectors, path, VectorFileFormat.FastTextBinary);

        List<(string Word, float[] Vector)> printed = FastTextCli.PrintWordVectors(path, vectors.Vocabulary.Words);
        printed.Select(p => p.Word).Should().Equal(vectors.Vocabulary.Words);
        foreach ((string word, float[] expected) in printed)
        {
            AssertClose(vectors[word].ToArray(), expected, word);
        }

        WordVectorsFile.Load(path).Matrix.ToArray().Should().Equal(vectors.Matrix.ToArray());
    }

    [Fact]
    public void LoadFastText_OtherFile_SaysItIsNotAFastTextModel()
    {
        string path = models.TextPath;

        Action load = () => SubwordVectors.LoadFastText(path);

        load.Should().Throw<InvalidDataException>().WithMessage($"'{path}': this is not a fastText model*");
    }

    [Fact(Timeout = 120_000)]
    public async Task LoadFastText_FuzzedFastTextFiles_ThrowOnlyInvalidData()
    {
        await Task.Yield();
        byte[][] seeds = [File.ReadAllBytes(models.TinySkipGram), File.ReadAllBytes(models.TinyQuantized)];
        byte[][] inputs = VectorFileFuzzTests.Mutations(seeds, VectorFileFormat.FastTextBinary).Sample(3_000, new Rnd(1717), 200);

        VectorFileFuzzTests.FuzzResult result = VectorFileFuzzTests.Run(inputs, (bytes, seekable) =>
        {
            using Stream stream = seekable ? new MemoryStream(bytes) : new NonSeekableStream(bytes);
            return SubwordVectors.LoadFastText(stream).Words;
        });

        TestContext.Current.TestOutputHelper?.WriteLine(
            $"fastText files: {inputs.Length} inputs ({seeds[0].Length:N0} and {seeds[1].Length:N0} byte seeds), {result.Loaded} loaded, {result.Rejected} rejected; " +
            $"allocated at most {result.MaxAllocated:N0} B; slowest {result.Slowest.TotalMilliseconds:F1} ms");
        result.Failures.Should().BeEmpty();
        result.Rejected.Should().BeGreaterThan(inputs.Length / 2, "most mutations break the file");
    }

    private static void AssertClose(float[] ours, float[] printed, string what)
    {
        ours.Should().HaveCount(printed.Length, what);
        for (int i = 0; i < printed.Length; i++)
        {
            Math.Abs(ours[i] - printed[i]).Should().BeLessThanOrEqualTo(FastTextCli.PrintTolerance(printed[i]), $"{what}[{i}]");
        }
    }
}
