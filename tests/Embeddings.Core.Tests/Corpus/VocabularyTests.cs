using Embeddings.Core.Corpus;

namespace Embeddings.Core.Tests.Corpus;

public class VocabularyTests
{
    private static readonly string[][] Sentences =
    [
        ["b", "a", "c", "a"],
        ["c", "a", "d"],
        [],
        ["b", "c", "e"],
    ];

    [Fact]
    public void Build_OrdersByCountDescendingThenOrdinal()
    {
        Vocabulary vocabulary = Vocabulary.Build(Sentences, minCount: 1);

        vocabulary.Words.Should().Equal("a", "c", "b", "d", "e");
        Enumerable.Range(0, vocabulary.Count).Select(vocabulary.GetCount).Should().Equal(3L, 3L, 2L, 1L, 1L);
        vocabulary.TotalTokens.Should().Be(10);
    }

    [Fact]
    public void Build_MinCountAndMaxSize_DropTheRarest()
    {
        Vocabulary.Build(Sentences, minCount: 2).Words.Should().Equal("a", "c", "b");
        Vocabulary.Build(Sentences, minCount: 1, maxSize: 2).Words.Should().Equal("a", "c");
        Vocabulary.Build(Sentences, minCount: 2).TotalTokens.Should().Be(8);
    }

    [Fact]
    public void Build_OrderOfSentences_DoesNotChangeIds()
    {
        Vocabulary forward = Vocabulary.Build(Sentences, minCount: 1);
        Vocabulary backward = Vocabulary.Build(Sentences.Reverse(), minCount: 1);

        backward.Words.Should().Equal(forward.Words);
    }

    [Fact]
    public void TryGetId_SpanLookup_FindsWordsAndRejectsOthers()
    {
        Vocabulary vocabulary = Vocabulary.Build(Sentences, minCount: 1);

        vocabulary.TryGetId("xxcxx".AsSpan(2, 1), out int id).Should().BeTrue();
        id.Should().Be(1);
        vocabulary.TryGetId("zzz", out int missing).Should().BeFalse();
        missing.Should().Be(-1);
    }

    [Theory]
    [InlineData(0, null, "minCount")]
    [InlineData(1, 0, "maxSize")]
    public void Build_BadLimits_ThrowArgumentOutOfRange(int minCount, int? maxSize, string parameter)
    {
        Action build = () => Vocabulary.Build(Sentences, minCount, maxSize);

        build.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be(parameter);
    }

    [Fact]
    public void FromWordsInOrder_KeepsFileOrderWithPlaceholderCounts()
    {
        Vocabulary vocabulary = Vocabulary.FromWordsInOrder(["the", "zebra", "a"]);

        vocabulary.Words.Should().Equal("the", "zebra", "a");
        vocabulary.GetCount(0).Should().Be(3);
        vocabulary.GetCount(2).Should().Be(1);
    }

    [Fact]
    public void FromWordsInOrder_Duplicate_ThrowsNamingTheWord()
    {
        Action build = () => Vocabulary.FromWordsInOrder(["a", "b", "a"]);

        build.Should().Throw<ArgumentException>().WithMessage("*'a' appears twice (ids 0 and 2)*");
    }

    [Fact]
    public void WriteCounts_WritesWordCountLines()
    {
        using var writer = new StringWriter { NewLine = "\n" };

        Vocabulary.Build(Sentences, minCount: 2).WriteCounts(writer);

        writer.ToString().Should().Be("a 3\nc 3\nb 2\n");
    }
}

public class VocabularyFileTests
{
    [Fact]
    public void SaveThenLoad_KeepsWordsCountsAndOrder()
    {
        using var temp = new Embeddings.Tests.Infrastructure.TempDirectory();
        Vocabulary vocabulary = Vocabulary.FromCounts([new("año", 5), new("b", 9), new("c d", 2)]);

        vocabulary.Save(temp.File("vocab.txt"));
        Vocabulary loaded = Vocabulary.Load(temp.File("vocab.txt"));

        loaded.Words.Should().Equal("b", "año", "c d");
        Enumerable.Range(0, 3).Select(loaded.GetCount).Should().Equal(9L, 5L, 2L);
        File.ReadAllText(temp.File("vocab.txt")).Should().Be("b 9\naño 5\nc d 2\n");
    }

    [Theory]
    [InlineData("a 3\nb x\n", "line 2")]
    [InlineData("a 3\nb 0\n", "line 2")]
    [InlineData("a 3\na 2\n", "already appeared on line 1")]
    [InlineData("lonely\n", "line 1")]
    public void Load_Malformed_ThrowsInvalidDataNamingFileAndLine(string content, string expected)
    {
        using var temp = new Embeddings.Tests.Infrastructure.TempDirectory();
        File.WriteAllText(temp.File("bad.txt"), content);

        Action load = () => Vocabulary.Load(temp.File("bad.txt"));

        load.Should().Throw<InvalidDataException>().WithMessage($"*bad.txt*{expected}*");
    }
}
