using Embeddings.Core.Corpus;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Corpus;

public class EncodedCorpusTests
{
    private static readonly string[][] Sentences =
    [
        ["a", "b", "oov", "c"],
        ["oov"],
        [],
        ["c", "c", "a", "b", "a", "c", "b"],
    ];

    private static Vocabulary Vocabulary => Vocabulary.FromWordsInOrder(["a", "b", "c"]);

    private static List<int[]> AllSentences(EncodedCorpus corpus, int targetTokens) =>
        [.. corpus.ReadChunks(targetTokens).SelectMany(chunk => Enumerable.Range(0, chunk.SentenceCount).Select(i => chunk.Sentence(i).ToArray()))];

    [Fact]
    public void Encode_DropsUnknownTokensAndEmptySentences()
    {
        EncodedCorpus corpus = EncodedCorpus.Encode(Sentences, Vocabulary);

        corpus.TokenCount.Should().Be(10);
        corpus.SentenceCount.Should().Be(2);
        AllSentences(corpus, 100).Should().BeEquivalentTo(new[] { new[] { 0, 1, 2 }, new[] { 2, 2, 0, 1, 0, 2, 1 } }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void Encode_LongSentences_AreSplitAtTheMaximum()
    {
        EncodedCorpus corpus = EncodedCorpus.Encode(Sentences, Vocabulary, maxSentenceLength: 3);

        AllSentences(corpus, 100).Select(s => s.Length).Should().Equal(3, 3, 3, 1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void ReadChunks_AnyTarget_CoversEverySentenceOnceWithPositions(int target)
    {
        EncodedCorpus corpus = EncodedCorpus.FromIds([.. Enumerable.Range(1, 30).Select(n => Enumerable.Range(0, n % 7 + 1).ToArray())], 10);

        var chunks = corpus.ReadChunks(target).ToList();

        chunks.Sum(c => c.SentenceCount).Should().Be((int)corpus.SentenceCount);
        chunks.Sum(c => c.Tokens.Length).Should().Be((int)corpus.TokenCount);
        chunks.Select(c => c.FirstToken).Should().Equal(chunks.Select((c, i) => chunks.Take(i).Sum(p => (long)p.Tokens.Length)));
    }

    [Fact]
    public void FileCorpus_RoundTrip_EqualsInMemory()
    {
        using var temp = new TempDirectory();
        string[][] sentences = [.. Enumerable.Range(0, 500).Select(i => Enumerable.Range(0, i % 13).Select(j => ((i * j) % 5) switch { 0 => "a", 1 => "b", 2 => "c", _ => "oov" }).ToArray())];

        EncodedCorpusFile written = EncodedCorpusFile.Write(temp.File("corpus.embc"), sentences, Vocabulary, maxSentenceLength: 7);
        EncodedCorpusFile opened = EncodedCorpusFile.Open(temp.File("corpus.embc"));
        EncodedCorpus memory = EncodedCorpus.Encode(sentences, Vocabulary, maxSentenceLength: 7);

        opened.TokenCount.Should().Be(memory.TokenCount).And.Be(written.TokenCount);
        opened.SentenceCount.Should().Be(memory.SentenceCount);
        AllSentences(opened, 50).Should().BeEquivalentTo(AllSentences(memory, 50), o => o.WithStrictOrdering());
        Directory.GetFiles(temp.Path).Should().ContainSingle("no temporary file is left behind");
    }

    [Fact]
    public void FileCorpus_Cancelled_LeavesNoFile()
    {
        using var temp = new TempDirectory();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action write = () => EncodedCorpusFile.Write(temp.File("c.embc"), Enumerable.Repeat(new[] { "a" }, 10_000), Vocabulary, cancellationToken: cancellation.Token);

        write.Should().Throw<OperationCanceledException>();
        Directory.GetFiles(temp.Path).Should().BeEmpty();
    }

    [Fact]
    public void FileCorpus_Corrupt_ThrowsInvalidDataNamingTheFile()
    {
        using var temp = new TempDirectory();
        string path = temp.File("c.embc");
        EncodedCorpusFile.Write(path, Sentences, Vocabulary);
        byte[] bytes = File.ReadAllBytes(path);

        File.WriteAllBytes(path, bytes[..^4]);
        Action truncated = () => EncodedCorpusFile.Open(path);
        truncated.Should().Throw<InvalidDataException>().WithMessage("*c.embc*truncated or damaged*");

        bytes[^17] = 0x7F; // an id far outside the vocabulary (the last id, before the two counts that close the payload)
        File.WriteAllBytes(path, bytes);
        Action badId = () => _ = EncodedCorpusFile.Open(path).ReadChunks().ToList();
        badId.Should().Throw<InvalidDataException>().WithMessage("*c.embc*outside the vocabulary*");

        File.WriteAllText(path, "not a corpus at all, just some text");
        Action notACorpus = () => EncodedCorpusFile.Open(path);
        notACorpus.Should().Throw<InvalidDataException>().WithMessage("*not an encoded corpus file*");
    }
}
