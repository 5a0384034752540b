using System.IO.Compression;
using System.Text;
using Embeddings.Core.Classification;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Classification;

public class LabelledDataTests
{
    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));

    private static LabelledExample Example(string[] labels, params string[] tokens) => new(labels, tokens);

    [Fact]
    public void ReadFastText_LabelsAndTokens_SplitAsFastTextDoes()
    {
        const string Text = "\uFEFF__label__pos great\tfilm \n\n   \n__label__a __label__b x\vy\fz\r\n__label__neg\nword __label__late\n";

        IReadOnlyList<LabelledExample> examples = LabelledData.ReadFastText(Utf8(Text));

        examples.Should().HaveCount(4);
        examples[0].Labels.Should().Equal("pos");
        examples[0].Tokens.Should().Equal("great", "film");
        examples[1].Labels.Should().Equal("a", "b");
        examples[1].Tokens.Should().Equal("x", "y", "z");
        examples[2].Labels.Should().Equal("neg");
        examples[2].Tokens.Should().BeEmpty();
        examples[3].Labels.Should().Equal("late");
        examples[3].Tokens.Should().Equal("word");
    }

    [Fact]
    public void ReadFastText_OtherPrefix_ReadsThoseLabels()
    {
        IReadOnlyList<LabelledExample> examples = LabelledData.ReadFastText(Utf8("#spam buy __label__x\n"), labelPrefix: "#");

        examples[0].Labels.Should().Equal("spam");
        examples[0].Tokens.Should().Equal("buy", "__label__x");
    }

    [Fact]
    public void ReadFastText_GzipFile_IsRecognisedByContent()
    {
        using var folder = new TempDirectory();
        string path = folder.File("data.txt");
        using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gzip.Write(Encoding.UTF8.GetBytes("__label__1 héllo wörld\n__label__0 bye\n"));
        }

        IReadOnlyList<LabelledExample> examples = LabelledData.ReadFastText(path);

        examples.Select(e => e.Labels[0]).Should().Equal("1", "0");
        examples[0].Tokens.Should().Equal("héllo", "wörld");
    }

    [Fact]
    public void ReadFastText_LineWithoutLabel_NamesFileAndLine()
    {
        using var folder = new TempDirectory();
        string path = folder.File("train.txt");
        File.WriteAllText(path, "__label__a one\n\n just words\n");

        Action read = () => LabelledData.ReadFastText(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}' line 3: the example has no label*'__label__'*");
    }

    [Fact]
    public void ReadFastText_EmptyLabel_NamesTheLine()
    {
        Action read = () => LabelledData.ReadFastText(Utf8("__label__a one\n__label__ two\n"));

        read.Should().Throw<InvalidDataException>().WithMessage("Stream line 2: a label '__label__' has no name.");
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n  \n\t\n")]
    public void ReadFastText_EmptyOrBlankFile_SaysSo(string text)
    {
        using var folder = new TempDirectory();
        string path = folder.File("empty.txt");
        File.WriteAllText(path, text);

        Action read = () => LabelledData.ReadFastText(path);

        read.Should().Throw<InvalidDataException>().WithMessage($"'{path}': has no examples (it is empty or blank)*");
    }

    [Fact]
    public void ReadFastText_InvalidUtf8_NamesTheLine()
    {
        var bytes = new MemoryStream([.. "__label__a ok\n__label__b "u8.ToArray(), 0xFF, 0xFE, (byte)'\n']);

        Action read = () => LabelledData.ReadFastText(bytes);

        read.Should().Throw<InvalidDataException>().WithMessage("Stream line *: the text is not valid UTF-8*");
    }

    [Fact]
    public void ReadFastText_LineOverTheLimit_NamesTheLine()
    {
        Action read = () => LabelledData.ReadFastText(Utf8("__label__a short\n__label__b " + new string('x', 100) + "\n"), maxLineLength: 50);

        read.Should().Throw<InvalidDataException>().WithMessage("'the stream' line 2 is longer than 50 characters*");
    }

    [Fact]
    public void StratifiedSplit_KeepsEachLabelsShareAndIsSeeded()
    {
        // 90 of "0" and 10 of "1", interleaved; 20 % to validation: 18 and 2.
        LabelledExample[] examples = [.. Enumerable.Range(0, 100).Select(i => Example([i % 10 == 3 ? "1" : "0"], $"w{i}"))];

        var (training, validation) = LabelledData.StratifiedSplit(examples, 0.2, seed: 1);
        var again = LabelledData.StratifiedSplit(examples, 0.2, seed: 1);
        var other = LabelledData.StratifiedSplit(examples, 0.2, seed: 2);

        validation.Should().HaveCount(20);
        training.Should().HaveCount(80);
        LabelledData.CountLabels(validation).Should().Equal(new Dictionary<string, int> { ["0"] = 18, ["1"] = 2 });
        training.Concat(validation).Should().BeEquivalentTo(examples);
        validation.Select(e => Array.IndexOf(examples, e)).Should().BeInAscendingOrder("both sets keep the input's order");
        again.Validation.Should().Equal(validation);
        other.Validation.Should().NotEqual(validation);
    }

    [Fact]
    public void StratifiedSplit_ALabelWithOneExample_StaysInTraining()
    {
        LabelledExample[] examples = [Example(["rare"], "x"), Example(["a"], "y"), Example(["a"], "z")];

        var (training, validation) = LabelledData.StratifiedSplit(examples, 0.5, seed: 3);

        training.Should().Contain(examples[0]);
        validation.Should().HaveCount(1);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void StratifiedSplit_ShareOutOfRange_Throws(double share)
    {
        Action split = () => LabelledData.StratifiedSplit([Example(["a"], "x")], share, seed: 1);

        split.Should().Throw<ArgumentOutOfRangeException>().And.ParamName.Should().Be("validationShare");
    }

    [Fact]
    public void CountLabels_CountsEveryLabelOfAnExampleOnce_InOrdinalOrder()
    {
        LabelledExample[] examples = [Example(["b", "a", "b"], "x"), Example(["a"], "y"), Example(["B"])];

        IReadOnlyDictionary<string, int> counts = LabelledData.CountLabels(examples);

        counts.Keys.Should().Equal("B", "a", "b");
        counts.Values.Should().Equal(1, 2, 1);
    }

    [Fact]
    public void EnsureTrainable_OneLabel_IsRefusedWithTheFileName()
    {
        Action check = () => LabelledData.EnsureTrainable([Example(["1"], "x"), Example(["1"], "y")], "train.txt");

        check.Should().Throw<InvalidDataException>().WithMessage("'train.txt' has only one label ('1'); a classifier needs examples of at least two.");
    }

    [Fact]
    public void EnsureTrainable_NoExamplesOrAnUnlabelledOne_IsRefused()
    {
        Action empty = () => LabelledData.EnsureTrainable([]);
        Action unlabelled = () => LabelledData.EnsureTrainable([Example(["a"], "x"), Example([], "y")]);

        empty.Should().Throw<InvalidDataException>().WithMessage("The training data has no examples.");
        unlabelled.Should().Throw<InvalidDataException>().WithMessage("The training data: example 2 has no label.");
    }

    [Fact]
    public void EnsureTrainable_TwoLabels_Passes()
    {
        Action check = () => LabelledData.EnsureTrainable([Example(["a"], "x"), Example(["b"], "y")]);

        check.Should().NotThrow();
    }
}
