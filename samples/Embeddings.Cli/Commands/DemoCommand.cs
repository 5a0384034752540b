using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using Embeddings.Cli.Infrastructure;
using Embeddings.Core.Corpus;
using Embeddings.Core.Training;
using Embeddings.Text;
using Embeddings.Text.Sources;
using Embeddings.Text.Stemming;
using Embeddings.Text.Stopwords;
using Embeddings.Text.Tokenization;

namespace Embeddings.Cli.Commands;

/// <summary>
/// <c>embeddings demo</c>: the main job on a corpus embedded in the program (chapters I–VIII of Don Quijote),
/// so it runs on a fresh machine with no data: text → sentences → tokens → stems → vocabulary → skip-gram → neighbours.
/// </summary>
internal static class DemoCommand
{
    private const string CorpusResource = "Embeddings.Cli.DemoData.quijote-i-viii.txt";

    public static Command Create()
    {
        var threads = CliOptions.Threads();
        var command = new Command("demo", "Run the main job on the embedded demo corpus (Don Quijote, chapters I–VIII)") { threads };
        command.SetAction(parse => CommandRunner.Run(parse.GetValue(CliOptions.Verbose), cancellationToken =>
        {
            Run(parse.GetValue(threads), Console.Out, cancellationToken);
            return CommandRunner.Success;
        }));
        return command;
    }

    private static void Run(int threads, TextWriter output, CancellationToken cancellationToken)
    {
        // 1. Read the embedded text, skipping its two-line credit.
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(CorpusResource)
            ?? throw new InvalidOperationException($"The demo corpus '{CorpusResource}' is missing from the program.");
        string[] lines = [.. LineSource.FromStream(stream, "quijote-i-viii.txt", leaveOpen: true)
            .ReadLines(cancellationToken).Skip(2).Select(line => line.Text)];
        output.WriteLine($"1. Corpus: Don Quijote, chapters I–VIII: {lines.Length:N0} lines");

        // 2. Prose → sentences: paragraphs are separated by blank lines in the Gutenberg text.
        string prose = string.Join('\n', lines);
        IReadOnlyList<string> sentences = SentenceSplitter.Default.Split(prose);
        string opening = sentences.First(s => s.StartsWith("En un lugar", StringComparison.Ordinal)).ReplaceLineEndings(" ");
        output.WriteLine($"2. Sentences: {sentences.Count:N0}; the novel opens with «{opening[..Math.Min(opening.Length, 90)]}…»");

        // 3. Sentences → tokens: lowercase, words, NLTK's Spanish stopwords, Snowball Spanish stems.
        TextPipeline spanish = TextPipeline.CreateBuilder()
            .Lowercase()
            .TokenizeWords()
            .RemoveStopwords(StopwordList.Spanish)
            .Stem(new SpanishStemmer())
            .Build();
        var clock = Stopwatch.StartNew();
        List<IReadOnlyList<string>> tokenized = [.. spanish.Process(sentences.Select(s => s.ReplaceLineEndings(" ")), threads, cancellationToken)];
        long tokenCount = tokenized.Sum(s => (long)s.Count);
        output.WriteLine($"3. Pipeline: {spanish}");
        output.WriteLine($"   {tokenCount:N0} tokens in {clock.Elapsed.TotalMilliseconds:F0} ms; the title of chapter I → [{string.Join(", ", tokenized[1])}]");

        // 4. Stems gather the forms of a word.
        string[] forms = ["caballero", "caballeros", "caballería", "caballerías", "andante", "andantes", "aventura", "aventuras"];
        output.WriteLine($"4. Stems: {string.Join(", ", forms.Select(f => $"{f} → {spanish.Tokenize(f).Single()}"))}");

        // 5. Tokens → vocabulary: the most frequent stems.
        Vocabulary vocabulary = Vocabulary.Build(tokenized, minCount: 3, cancellationToken: cancellationToken);
        output.WriteLine($"5. Vocabulary (min count 3): {vocabulary.Count:N0} stems covering {vocabulary.TotalTokens:N0} tokens; the top 12:");
        output.WriteLine("   " + string.Join("  ", Enumerable.Range(0, Math.Min(12, vocabulary.Count)).Select(id => $"{vocabulary[id]} {vocabulary.GetCount(id)}")));

        // 6. Words → skip-gram vectors: lowercase words without stemming, so that neighbours read as words.
        TextPipeline words = TextPipeline.CreateBuilder().Lowercase().TokenizeWords().Build();
        List<IReadOnlyList<string>> wordSentences = [.. words.Process(sentences.Select(s => s.ReplaceLineEndings(" ")), threads, cancellationToken)];
        Word2VecModel model = Word2Vec.CreateBuilder()
            .SkipGram().Dimensions(50).WindowSize(5).NegativeSamples(5).MinCount(3).SubsamplingThreshold(1e-3)
            .Epochs(30).Threads(1).Seed(1)
            .Build()
            .Train(wordSentences, cancellationToken: cancellationToken);
        output.WriteLine($"6. Skip-gram: {model.Vectors.Count:N0} words × {model.Vectors.Dimensions}, {model.Report.Epochs} epochs in " +
            $"{model.Report.TrainingTime.TotalSeconds:F1} s, loss {model.Report.EpochLosses[0]:F3} → {model.Report.EpochLosses[^1]:F3}");
        foreach (string query in new[] { "rocinante", "caballero", "libros" })
        {
            output.WriteLine($"   {query}: {string.Join(", ", model.Vectors.MostSimilar(query, 5).Select(n => n.Word))}");
        }
    }
}
