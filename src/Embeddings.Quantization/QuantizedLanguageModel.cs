using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Quantization;

/// <summary>
/// The PC3 language model, made to yield words: a recurrent model over k-means clusters whose input is each cluster's
/// centroid (a frozen embedding), with a factorized output <c>P(word | h) = P(cluster | h) · P(word | cluster)</c>.
/// The network predicts the next cluster exactly as the notebook's does; <c>P(word | cluster)</c> is each word's share
/// of its cluster's occurrences in the training text, so generation draws a cluster, then one of its real words,
/// instead of printing one representative per cluster.
/// </summary>
public sealed class QuantizedLanguageModel
{
    private static readonly NativeFileKind FileKind = NativeFileKind.QuantizedLanguageModel;

    private readonly long[] _wordCounts;    // occurrences of each vocabulary word in the training stream
    private readonly long[] _clusterCounts; // their sums per cluster

    private QuantizedLanguageModel(QuantizedVectors quantization, LanguageModel clusterModel, long[] wordCounts)
    {
        Quantization = quantization;
        ClusterModel = clusterModel;
        _wordCounts = wordCounts;
        _clusterCounts = new long[quantization.Clusters];
        for (int id = 0; id < wordCounts.Length; id++)
        {
            _clusterCounts[quantization.ClusterOf(id)] += wordCounts[id];
        }
    }

    /// <summary>The clusters: every word's cluster and the centroids that are the model's input.</summary>
    public QuantizedVectors Quantization { get; }

    /// <summary>The recurrent model over cluster ids (token i is cluster i, named <c>c{i}</c>).</summary>
    public LanguageModel ClusterModel { get; }

    /// <summary>The cluster-id tokens of <paramref name="quantization"/>: <c>c0</c>, <c>c1</c>, ….</summary>
    public static IReadOnlyList<string> ClusterTokens(QuantizedVectors quantization)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        return [.. Enumerable.Range(0, quantization.Clusters).Select(c => "c" + c.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    }

    /// <summary>Starts configuring the training of a quantized language model: <c>CreateBuilder().Clusters(q).Configure(m => m.HiddenSize(128)).Build().Train(words)</c>.</summary>
    public static QuantizedLanguageModelBuilder CreateBuilder() => new();

    /// <summary>The cluster-id stream of <paramref name="words"/> (words outside the vocabulary dropped).</summary>
    public static int[] ToClusterIds(QuantizedVectors quantization, IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(quantization);
        ArgumentNullException.ThrowIfNull(words);
        var ids = new List<int>();
        foreach (string word in words)
        {
            if (quantization.Vocabulary.TryGetId(word, out int id))
            {
                ids.Add(quantization.ClusterOf(id));
            }
        }

        return [.. ids];
    }

    /// <summary>P(<paramref name="word"/> | cluster of the word): its share of its cluster's training occurrences (0 for an unknown word).</summary>
    public double WordGivenCluster(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (!Quantization.Vocabulary.TryGetId(word, out int id))
        {
            return 0;
        }

        long total = _clusterCounts[Quantization.ClusterOf(id)];
        return total == 0 ? 0 : (double)_wordCounts[id] / total;
    }

    /// <summary>P(next word = <paramref name="word"/> | <paramref name="context"/>) = P(cluster | context) · P(word | cluster).</summary>
    /// <exception cref="ArgumentException">No context word is in the vocabulary.</exception>
    public double NextWordProbability(IEnumerable<string> context, string word)
    {
        int[] clusters = PromptClusters(context);
        if (!Quantization.Vocabulary.TryGetId(word, out int id))
        {
            return 0;
        }

        return ClusterModel.NextTokenProbabilities(clusters)[Quantization.ClusterOf(id)] * WordGivenCluster(word);
    }

    /// <summary>
    /// Generates words after a prompt: each step samples a cluster from the model (temperature, top-k) and then a word
    /// of that cluster by its frequency; the next input is that cluster. Prompt words outside the vocabulary are skipped.
    /// </summary>
    /// <exception cref="ArgumentException">No word of the prompt is in the vocabulary.</exception>
    public IReadOnlyList<string> Generate(IEnumerable<string> prompt, GenerationOptions? options = null)
    {
        options ??= new GenerationOptions();
        var context = new List<int>(PromptClusters(prompt));
        // The word draws have their own stream: reusing the cluster draws' numbers would tie a word's rank to its cluster's.
        SplitMix64Random random = SplitMix64Random.For(options.Seed, 0x574F5244);
        var words = new List<string>(options.Length);
        IReadOnlyList<int> clusters = ClusterModel.GenerateIds(context, options);
        foreach (int cluster in clusters)
        {
            words.Add(DrawWord(cluster, options.Temperature, ref random));
        }

        return words;
    }

    /// <summary>Writes the clusters, the word counts and the model into one native file, atomically.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path) => NativeFile.Write(path, FileKind, Quantization.FileFlags, this, static (writer, m) => m.WritePayload(writer));

    /// <summary>Writes the native file to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream) => NativeFile.Write(stream, FileKind, Quantization.FileFlags, this, static (writer, m) => m.WritePayload(writer));

    /// <summary>Reads a file written by <see cref="Save(string)"/>.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="InvalidDataException">Not a quantized language model, truncated or corrupt (the message names the file).</exception>
    public static QuantizedLanguageModel Load(string path) => NativeFile.Read(path, FileKind, ReadPayload);

    /// <summary>Reads a file written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <param name="stream">The stream; not closed.</param>
    /// <exception cref="InvalidDataException">Not a quantized language model, truncated or corrupt.</exception>
    public static QuantizedLanguageModel Load(Stream stream) => NativeFile.Read(stream, FileKind, ReadPayload);

    /// <summary>The quantized vectors' payload, the word counts, then the language model's payload (with its report).</summary>
    private void WritePayload(NativePayloadWriter writer)
    {
        Quantization.WriteBody(writer);
        writer.Write(_wordCounts.Length);
        foreach (long count in _wordCounts)
        {
            writer.Write(count);
        }

        ClusterModel.WritePayload(writer);
    }

    private static QuantizedLanguageModel ReadPayload(NativePayloadReader reader)
    {
        string path = reader.Name;
        QuantizedVectors quantization = QuantizedVectors.ReadBody(reader);
        int words = reader.ReadCount("word count");
        if (words != quantization.Count)
        {
            throw new InvalidDataException($"'{path}' has counts for {words} words but {quantization.Count} quantized words.");
        }

        var counts = new long[words];
        for (int i = 0; i < words; i++)
        {
            counts[i] = reader.ReadInt64();
        }

        LanguageModel model = LanguageModel.ReadPayload(reader);
        if (model.Tokens.Count != quantization.Clusters || model.Dimensions != quantization.Dimensions)
        {
            throw new InvalidDataException($"'{path}' holds a model of {model.Tokens.Count} tokens × {model.Dimensions} for {quantization.Clusters} clusters × {quantization.Dimensions}.");
        }

        return new QuantizedLanguageModel(quantization, model, counts);
    }

    /// <summary>
    /// Trains (or, with a checkpoint, resumes) on a stream of words: each word in the quantization's vocabulary becomes
    /// its cluster id (others are dropped, as PC3 drops words below the minimum count), and the recurrent model learns
    /// to predict the next cluster.
    /// </summary>
    internal static QuantizedLanguageModel Train(
        QuantizedVectors quantization,
        LanguageModelTrainer trainer,
        IEnumerable<string> words,
        string? checkpointPath,
        IProgress<LanguageModelProgress>? progress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(words);
        var counts = new long[quantization.Count];
        var clusters = new List<int>();
        foreach (string word in words)
        {
            if (quantization.Vocabulary.TryGetId(word, out int id))
            {
                counts[id]++;
                clusters.Add(quantization.ClusterOf(id));
            }
        }

        LanguageModel model = checkpointPath is null
            ? trainer.Train(clusters, progress, cancellationToken)
            : trainer.Resume(checkpointPath, clusters, progress, cancellationToken);
        return new QuantizedLanguageModel(quantization, model, counts);
    }

    private int[] PromptClusters(IEnumerable<string> prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        string[] words = [.. prompt];
        int[] clusters = ToClusterIds(Quantization, words);
        return clusters.Length > 0
            ? clusters
            : throw new ArgumentException($"None of the prompt's {words.Length} word(s) ('{string.Join(' ', words)}') is in the vocabulary of {Quantization.Count} words.", nameof(prompt));
    }

    /// <summary>A word of <paramref name="cluster"/> drawn by its frequency (the most frequent one at temperature 0).</summary>
    private string DrawWord(int cluster, double temperature, ref SplitMix64Random random)
    {
        IReadOnlyList<string> members = Quantization.Members(cluster);
        if (temperature == 0 || _clusterCounts[cluster] == 0)
        {
            return members[0];
        }

        long draw = (long)(random.NextDouble() * _clusterCounts[cluster]);
        foreach (string member in members)
        {
            Quantization.Vocabulary.TryGetId(member, out int id);
            draw -= _wordCounts[id];
            if (draw < 0)
            {
                return member;
            }
        }

        return members[0];
    }
}
