using System.IO.Compression;
using System.Reflection;
using Embeddings.Core.Formats;
using Embeddings.Core.Training;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Samples;
using Embeddings.Text;
using Embeddings.Text.Sources;

namespace ReadmeSnippets;

/// <summary>
/// The files the readme snippets read, made from data embedded in this program: the samples' toy English world (king,
/// queen, capitals; its analogy and word-pair files), Don Quijote chapters I–VIII (the CLI demo's text) and the
/// TweetsLab and TweetsClassifier samples' tweets. Small, so that every snippet runs in seconds.
/// </summary>
internal static class Inputs
{
    /// <summary>Words of the novel the language-model snippet trains on: enough to learn something, quick to train.</summary>
    private const int LanguageModelWords = 3_000;

    /// <summary>Writes every input file into <paramref name="folder"/>.</summary>
    public static void Prepare(string folder)
    {
        Directory.CreateDirectory(folder);
        string In(string name) => Path.Combine(folder, name);

        string tweets = Resource("tweets.csv");
        using (var gzip = new GZipStream(File.Create(In("train.csv.gz")), CompressionLevel.Optimal))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(tweets));
        }

        // What `embeddings preprocess --lowercase --keep "a-z@# " --tokenizer whitespace` writes; the embedded tweets are
        // few, so they are repeated until the lab's words pass its minimum count of 11.
        TextPipeline clean = TextPipeline.CreateBuilder().Lowercase().KeepOnly("a-z@# ").TokenizeOnWhitespace().Build();
        string[] tweetLines = [.. clean.Process(LineSource.FromCsvColumn(In("train.csv.gz"), "tweet")).Select(tokens => string.Join(' ', tokens))];
        File.WriteAllLines(In("tweets.tok"), Enumerable.Repeat(tweetLines, 10).SelectMany(lines => lines));

        // The TweetsClassifier sample's labelled tweets in fastText's format ("__label__1 tokens…"), for the classifier.
        File.WriteAllText(In("labelled-tweets.csv"), Resource("labelled-tweets.csv"));
        File.WriteAllLines(In("tweets.txt"), LabelledLineSource.FromCsv(In("labelled-tweets.csv"), "tweet", "label").ReadLines()
            .Select(row => $"__label__{row.Label} {string.Join(' ', clean.Tokenize(row.Text))}"));

        // The corpus: the toy world's sentences and the first half of the novel; the second half is the "new text".
        TextPipeline words = TextPipeline.CreateBuilder().Lowercase().TokenizeWords().Build();
        string[] novel = [.. words.Process(Resource("quijote-i-viii.txt").Split('\n')).Where(tokens => tokens.Count > 0).Select(tokens => string.Join(' ', tokens))];
        string[] toy = [.. ToyCorpus.Sentences().Select(tokens => string.Join(' ', tokens))];
        File.WriteAllLines(In("corpus.txt"), toy.Concat(novel.Take(novel.Length / 2)));
        File.WriteAllLines(In("more.txt"), novel.Skip(novel.Length / 2));
        File.WriteAllText(In("questions-words.txt"), ToyCorpus.Analogies());
        File.WriteAllText(In("wordsim353.tsv"), ToyCorpus.WordPairs());
        File.WriteAllLines(In("quijote.tok"), FirstWords(novel, LanguageModelWords));

        // What the training and quantizing snippets save, for the snippets that load them.
        IReadOnlyList<string>[] sentences = [.. toy.Concat(novel).Select(line => line.Split(' '))];
        Word2VecModel model = Word2Vec.CreateBuilder().Threads(2).Seed(1).Build().Train(sentences);
        model.Save(In("model.w2v"));
        model.Vectors.Save(In("vectors.bin"), VectorFileFormat.Word2VecBinary);
        model.Vectors.Save(In("glove.6B.100d.txt"), VectorFileFormat.GloVeText);
        KMeansResult clusters = KMeans.CreateBuilder().Clusters(100).Seed(0).Threads(2).Build().Train(model.Vectors);
        QuantizedVectors.Create(model.Vectors, clusters).Save(In("vectors.kmeans"));
        File.WriteAllLines(In("quijote.txt"), novel);
    }

    private static IEnumerable<string> FirstWords(IEnumerable<string> lines, int count)
    {
        int words = 0;
        foreach (string line in lines.TakeWhile(_ => words < count))
        {
            words += line.Split(' ').Length;
            yield return line;
        }
    }

    private static string Resource(string name)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ReadmeSnippets." + name)
            ?? throw new InvalidOperationException($"The embedded file '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
