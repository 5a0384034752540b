using System.Collections.Concurrent;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;

namespace Embeddings.Text.Tests.Pipeline;

public class TextPipelineTests
{
    /// <summary>Chops a trailing "s": enough to see where stemming happens.</summary>
    private sealed class PluralStemmer : IStemmer
    {
        public int Calls;

        public string Stem(string word) => word.EndsWith('s') ? word[..^1] : word;

        public int Stem(ReadOnlySpan<char> word, Span<char> destination)
        {
            Interlocked.Increment(ref Calls);
            int length = word.EndsWith("s") ? word.Length - 1 : word.Length;
            word[..length].CopyTo(destination);
            return length;
        }

        public override string ToString() => "plural";
    }

    private static TextPipeline LabLike(IStemmer? stemmer = null)
    {
        TextPipelineBuilder builder = TextPipeline.CreateBuilder()
            .Lowercase()
            .KeepOnly("a-z@# ")
            .TokenizeOnWhitespace()
            .RemoveStopwords(StopwordList.English);
        return (stemmer is null ? builder : builder.Stem(stemmer)).Build();
    }

    [Fact]
    public void Tokenize_LabSteps_NormaliseSplitDropStopwordsThenStem()
    {
        TextPipeline pipeline = LabLike(new PluralStemmer());

        pipeline.Tokenize("  @User Loves THE dogs!!! #Cats ðŸ˜ is 100% happy ")
            .Should().Equal("@user", "love", "dog", "#cat", "happy");
    }

    [Fact]
    public void Tokenize_StopwordsAreCheckedBeforeStemming()
    {
        // "its" is a stopword; stemmed first it would have become "it" (also a stopword), "thi" would not be.
        TextPipeline pipeline = LabLike(new PluralStemmer());

        pipeline.Tokenize("this its ours").Should().BeEmpty();
    }

    [Fact]
    public void Tokenize_RepeatedWords_AreStemmedOnceAndShareOneString()
    {
        var stemmer = new PluralStemmer();
        TextPipeline pipeline = LabLike(stemmer);

        IReadOnlyList<string> tokens = pipeline.Tokenize("dogs dogs dogs cats");

        tokens.Should().Equal("dog", "dog", "dog", "cat");
        stemmer.Calls.Should().Be(2);
        ReferenceEquals(tokens[0], tokens[1]).Should().BeTrue();
    }

    [Fact]
    public void Tokenize_SpanOverloads_AgreeWithString()
    {
        TextPipeline pipeline = LabLike(new PluralStemmer());
        const string line = "xx Hello worlds yy";
        var appended = new List<string> { "existing" };

        int count = pipeline.Tokenize(line.AsSpan(3, 12), appended);

        count.Should().Be(2);
        appended.Should().Equal("existing", "hello", "world");
        pipeline.Tokenize(line.AsSpan(3, 12)).Should().Equal(pipeline.Tokenize("Hello worlds"));
    }

    [Fact]
    public void MinTokenLength_DropsShortTokens()
    {
        TextPipeline pipeline = TextPipeline.CreateBuilder().TokenizeWords().MinTokenLength(3).Build();

        pipeline.Tokenize("a bb ccc dddd").Should().Equal("ccc", "dddd");
    }

    [Fact]
    public void Build_Misconfigured_ListsEveryProblem()
    {
        TextPipelineBuilder builder = TextPipeline.CreateBuilder()
            .KeepOnly("z-a")
            .TokenizeOnWhitespace()
            .TokenizeWords()
            .MinTokenLength(0);

        Action build = () => builder.Build();

        build.Should().Throw<ArgumentException>()
            .WithMessage("*reversed range*")
            .WithMessage("*tokenizer is already set*")
            .WithMessage("*MinTokenLength must be at least 1 (was 0)*");
    }

    [Fact]
    public void Options_DescribeTheSteps()
    {
        LabLike(new PluralStemmer()).ToString()
            .Should().Be("lowercase → keep [a-z@# ] → tokenize whitespace → stopwords english (179 words) → stem plural");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Process_AnyParallelism_KeepsOrderAndEmptyLines(int degreeOfParallelism)
    {
        TextPipeline pipeline = LabLike(new PluralStemmer());
        string[] lines = [.. Enumerable.Range(0, 5_000).Select(i => i % 7 == 0 ? string.Empty : $"word{i} dogs")];

        List<IReadOnlyList<string>> results = [.. pipeline.Process(lines, degreeOfParallelism)];

        results.Should().HaveCount(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            // "word123" loses its digits to the a-z filter, so check the shape instead of the text.
            results[i].Should().Equal(i % 7 == 0 ? [] : new[] { "word", "dog" }, $"line {i} is '{lines[i]}'");
        }
    }

    [Fact]
    public void Process_Parallel_MatchesSequentialOnVariedText()
    {
        TextPipeline pipeline = TextPipeline.CreateBuilder().Lowercase().TokenizeWords(keepMentionsAndHashtags: true).Build();
        var random = new Random(7);
        string[] words = ["Hola", "#tag", "@user", "mundo", "¿qué?", "Árbol", "x"];
        string[] lines = [.. Enumerable.Range(0, 3_000).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(0, 12)).Select(_ => words[random.Next(words.Length)])))];

        var sequential = pipeline.Process(lines).Select(t => string.Join('|', t)).ToList();
        var parallel = pipeline.Process(lines, degreeOfParallelism: 4).Select(t => string.Join('|', t)).ToList();

        parallel.Should().Equal(sequential);
    }

    [Fact]
    public void Process_Cancelled_StopsWithOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        TextPipeline pipeline = LabLike();
        int produced = 0;

        Action run = () =>
        {
            foreach (var _ in pipeline.Process(EndlessLines(), degreeOfParallelism: 2, cancellation.Token))
            {
                if (++produced == 10_000)
                {
                    cancellation.Cancel();
                }
            }
        };

        run.Should().Throw<OperationCanceledException>();
        produced.Should().BeLessThan(20_000);
    }

    [Fact]
    public void Tokenize_ConcurrentCallers_GetTheSameResults()
    {
        TextPipeline pipeline = LabLike(new PluralStemmer());
        string[] lines = [.. Enumerable.Range(0, 2_000).Select(i => $"Dogs{i % 13} and cats{i % 5} run")];
        string[] expected = [.. lines.Select(l => string.Join(' ', pipeline.Tokenize(l)))];
        var failures = new ConcurrentBag<int>();

        Parallel.For(0, lines.Length * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int line = i % lines.Length;
            if (string.Join(' ', pipeline.Tokenize(lines[line])) != expected[line])
            {
                failures.Add(line);
            }
        });

        failures.Should().BeEmpty();
    }

    [Fact]
    public void Process_LineSource_TokenizesEveryRecordInOrder()
    {
        LineSource source = LineSource.FromStrings(["Dogs run", "", "THE cats"]);

        LabLike(new PluralStemmer()).Process(source, degreeOfParallelism: 2).Should()
            .BeEquivalentTo(new[] { new[] { "dog", "run" }, [], new[] { "cat" } }, o => o.WithStrictOrdering());
    }

    private static IEnumerable<string> EndlessLines()
    {
        for (long i = 0; ; i++)
        {
            yield return "the quick brown fox jumps over the lazy dog";
        }
    }
}
