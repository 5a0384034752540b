using Embeddings.Core.Corpus;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Corpus;

/// <summary>The low-memory path from token-file lines (spans) must give what the token-list path gives.</summary>
public class SpanCorpusPathTests
{
    private static readonly string[] Lines =
    [
        "the cat  sat on\tthe mat",
        "",
        "   ",
        "a cat a dog a cow the end",
        string.Join(' ', Enumerable.Repeat("the cat", 9)),
    ];

    private static IEnumerable<IReadOnlyList<string>> Tokenized =>
        Lines.Select(l => (IReadOnlyList<string>)l.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));

    private static List<int[]> Sentences(EncodedCorpus corpus) =>
        [.. corpus.ReadChunks(4).SelectMany(c => Enumerable.Range(0, c.SentenceCount).Select(i => c.Sentence(i).ToArray()))];

    [Fact]
    public void VocabularyCounter_EqualsVocabularyBuild()
    {
        var counter = new VocabularyCounter();
        var other = new VocabularyCounter();
        foreach (string line in Lines.Take(2))
        {
            counter.AddWords(line);
        }

        foreach (string line in Lines.Skip(2))
        {
            other.AddWords(line);
        }

        counter.Merge(other);
        Vocabulary expected = Vocabulary.Build(Tokenized, minCount: 2);
        Vocabulary actual = counter.ToVocabulary(minCount: 2);

        actual.Words.Should().Equal(expected.Words);
        Enumerable.Range(0, actual.Count).Select(actual.GetCount).Should().Equal(Enumerable.Range(0, expected.Count).Select(expected.GetCount));
        counter.Tokens.Should().Be(Tokenized.Sum(t => t.Count));
    }

    [Fact]
    public void EncodedCorpusBuilder_FromSpans_EqualsEncode()
    {
        Vocabulary vocabulary = Vocabulary.Build(Tokenized, minCount: 2);
        var builder = new EncodedCorpusBuilder(vocabulary, maxSentenceLength: 5);
        foreach (string line in Lines)
        {
            builder.AddSentence(line.AsSpan());
        }

        Sentences(builder.Build()).Should().BeEquivalentTo(
            Sentences(EncodedCorpus.Encode(Tokenized, vocabulary, maxSentenceLength: 5)), o => o.WithStrictOrdering());
    }

    [Fact]
    public void EncodedCorpusFile_FromLines_EqualsEncode()
    {
        using var temp = new TempDirectory();
        Vocabulary vocabulary = Vocabulary.Build(Tokenized, minCount: 1);

        EncodedCorpusFile file = EncodedCorpusFile.Write(temp.File("c.embc"), Lines, vocabulary, maxSentenceLength: 4);

        Sentences(file).Should().BeEquivalentTo(
            Sentences(EncodedCorpus.Encode(Tokenized, vocabulary, maxSentenceLength: 4)), o => o.WithStrictOrdering());
    }
}
