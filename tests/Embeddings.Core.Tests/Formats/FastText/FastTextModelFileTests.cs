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
        // -cutoff 300 keeps 300 rows: the words and the kept buckets, each bucket mapped to its own row after the words.
        model.Input.Rows.Should().Be(300);
        model.Dictionary.PruneIndex!.Values.Should().BeEquivalentTo(Enumerable.Range(0, 300 - model.Dictionary.Words.Count));
        var input = model.Input.Should().BeOfType<QuantizedFastTextMatrix>().Subject;
        input.NormCodes!.Length.Should().Be(model.Input.Rows, "-qnorm keeps one norm code per row");
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

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Write_WhatWasRead_GivesTheSameBytes(string kind)
    {
        string path = PathOf(kind);
        using var written = new MemoryStream();

        FastTextModelFile.Read(path).Write(written);

        written.ToArray().Should().Equal(File.ReadAllBytes(path));
    }

    [Fact]
    public void Read_Version11Classifier_HasNoCharacterNgramsAsInFastText()
    {
        byte[] bytes = File.ReadAllBytes(models.Supervised);
        bytes[4] = 11;
        string path = models.File("version11.bin");
        File.WriteAllBytes(path, bytes);

        FastTextModelFile model = FastTextModelFile.Read(path);

        model.Version.Should().Be(11);
        model.Args.MaxN.Should().Be(0);
        string[] words = [.. model.Dictionary.Words.Take(10), .. UnseenWords().Take(10)];
        AssertClose(model, FastTextCli.PrintWordVectors(path, words));
    }

    [Fact]
    public void Read_UnknownVersion_NamesTheFileTheVersionAndTheSupportedOnes()
    {
        byte[] bytes = File.ReadAllBytes(models.SkipGram);
        bytes[4] = 13;
        string path = models.File("version13.bin");
        File.WriteAllBytes(path, bytes);

        Action read = () => FastTextModelFile.Read(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}': fastText model format version 13 is not supported (versions 11 and 12 are).");
    }

    [Theory]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(-1)]
    public void Read_TruncatedFile_SaysWhereItEnds(int keep)
    {
        byte[] bytes = File.ReadAllBytes(models.SkipGram);
        string path = models.File($"truncated{keep}.bin");
        File.WriteAllBytes(path, bytes[..(keep < 0 ? bytes.Length - 3 : keep)]);

        Action read = () => FastTextModelFile.Read(path);

        read.Should().Throw<InvalidDataException>().Which.Message.Should().StartWith($"'{path}' byte ").And.MatchRegex("ends|truncated");
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

    private string PathOf(string kind) => PathOf(models, kind);

    internal static string PathOf(FastTextTestModels models, string kind) => kind switch
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
