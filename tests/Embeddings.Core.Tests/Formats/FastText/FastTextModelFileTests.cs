using Embeddings.Core.Formats.FastText;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Formats.FastText;

/// <summary>The fastText file reader against files and values of the <c>fasttext</c> program.</summary>
public class FastTextModelFileTests(FastTextTestModels models) : IClassFixture<FastTextTestModels>
{
    public static readonly TheoryData<string> Kinds = ["SkipGram", "Cbow", "SkipGramWithoutNgrams", "Supervised", "SupervisedQuantized", "SupervisedQuantizedUnpruned"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_FastTextFile_VocabularyVectorsEqualPrintWordVectors(string kind)
    {
        string path = PathOf(kind);
        FastTextModelFile model = FastTextModelFile.Read(path);

        model.Version.Should().Be(12);
        List<(string Word, float[] Vector)> printed = FastTextCli.PrintWordVectors(path, model.Dictionary.Words);
        printed.Select(p => p.Word).Should().Equal(model.Dictionary.Words);
        AssertClose(model, printed);
    }

    [Fact]
    public void Read_SkipGram_HasTheArgumentsAndDictionaryFastTextWasGiven()
    {
        FastTextModelFile model = FastTextModelFile.Read(models.SkipGram);

        model.Args.Should().Be(model.Args with
        {
            Dimensions = 10, Model = FastTextModelName.SkipGram, Loss = FastTextLossName.NegativeSampling, Buckets = 2000, MinN = 3, MaxN = 6, Epochs = 2,
        });
        model.Dictionary.Words.Should().Contain(["corazón", "niño", "</s>", "привет", "東京", "😀"]);
        model.Dictionary.Labels.Should().BeEmpty();
        model.Dictionary.PruneIndex.Should().BeNull();
        model.Input.Should().BeOfType<DenseFastTextMatrix>().Which.Rows.Should().Be(model.Dictionary.Words.Count + 2000);
        model.Output.Rows.Should().Be(model.Dictionary.Words.Count);
        model.Dictionary.WordCounts.Should().BeInDescendingOrder();
    }

    [Fact]
    public void Read_PrunedQuantizedClassifier_HasLabelsPruningIndexAndQuantizedNorms()
    {
        FastTextModelFile model = FastTextModelFile.Read(models.SupervisedQuantized);

        model.QuantizedInput.Should().BeTrue();
        model.QuantizedOutput.Should().BeFalse();
        model.Dictionary.Labels.Should().BeEquivalentTo(["__label__amor", "__label__casa", "__label__otro"]);
        model.Dictionary.PruneIndex.Should().NotBeNull();
        model.Input.Rows.Should().Be(model.Dictionary.Words.Count + model.Dictionary.PruneIndex!.Count);
        var input = model.Input.Should().BeOfType<QuantizedFastTextMatrix>().Subject;
        input.NormCodes.Should().NotBeNull();
        input.Quantizer.SubDimensions.Should().Be(2);
        model.Output.Rows.Should().Be(3);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Read_FastTextFile_UnseenWordVectorsEqualPrintWordVectors(string kind)
    {
        string path = PathOf(kind);
        FastTextModelFile model = FastTextModelFile.Read(path);
        string[] unseen = [.. UnseenWords()];
        unseen.Should().HaveCountGreaterThanOrEqualTo(100);

        List<(string Word, float[] Vector)> printed = FastTextCli.PrintWordVectors(path, unseen);

        printed.Select(p => p.Word).Should().Equal(unseen);
        unseen.Should().NotIntersectWith(model.Dictionary.Words);
        AssertClose(model, printed);
    }

    /// <summary>At least 100 words the models never saw: inflections, misspellings, other scripts.</summary>
    internal static IEnumerable<string> UnseenWords() => Candidates().Except(FastTextTestModels.VocabularyWords).Distinct();

    private static IEnumerable<string> Candidates()
    {
        string[] suffixes = ["ito", "ita", "s", "ísimo", "cillo", "zzz", "ción", "мир", "日"];
        foreach (string word in FastTextTestModels.VocabularyWords.Where(w => w != "</s>").Take(14))
        {
            foreach (string suffix in suffixes)
            {
                yield return word + suffix;
            }
        }

        yield return "corazoncito";
        yield return "graciasss";
        yield return "x";
    }

    internal static void AssertClose(FastTextModelFile model, List<(string Word, float[] Vector)> printed)
    {
        foreach ((string word, float[] expected) in printed)
        {
            float[] ours = FastTextTestModels.ComposeLikeFastText(model, word);
            ours.Should().HaveCount(expected.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Math.Abs(ours[i] - expected[i]).Should().BeLessThanOrEqualTo(FastTextCli.PrintTolerance(expected[i]), $"{word}[{i}]");
            }
        }
    }

    private string PathOf(string kind) => kind switch
    {
        "SkipGram" => models.SkipGram,
        "Cbow" => models.Cbow,
        "SkipGramWithoutNgrams" => models.SkipGramWithoutNgrams,
        "Supervised" => models.Supervised,
        "SupervisedQuantized" => models.SupervisedQuantized,
        "SupervisedQuantizedUnpruned" => models.SupervisedQuantizedUnpruned,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
