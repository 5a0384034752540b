using Embeddings.Core.Corpus;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Classification;

/// <summary>
/// A trained text classifier: it gives the labels of a token list (or of raw text split on whitespace, as fastText
/// does) with their probabilities. Made by <see cref="TextClassifierTrainer"/> from <see cref="CreateBuilder"/>, or read
/// with <see cref="Load(string)"/>. Prediction is thread-safe.
/// </summary>
/// <remarks>
/// A model loaded from a file with <see cref="Load(string)"/> reads its largest weights (the fastText family's word and
/// n-gram rows) from a read-only memory mapping of the file instead of copying them; <see cref="Dispose"/> releases it,
/// after which the model cannot predict. Other models hold nothing to release.
/// </remarks>
public sealed class TextClassifier : IDisposable
{
    private readonly int _positive;
    private readonly IDisposable? _mapping;

    internal TextClassifier(TextClassifierOptions options, FastTextDictionary dictionary, ClassifierNetwork network, float? decisionThreshold, int bestEpoch, IDisposable? mapping = null)
    {
        _mapping = mapping;
        Options = options;
        Dictionary = dictionary;
        Network = network;
        DecisionThreshold = decisionThreshold;
        BestEpoch = bestEpoch;
        _positive = options.PositiveLabel is null ? -1 : dictionary.LabelId(options.PositiveLabel);
    }

    /// <summary>Starts configuring a classifier from fastText's supervised defaults.</summary>
    /// <returns>A builder.</returns>
    public static TextClassifierBuilder CreateBuilder() => new();

    /// <summary>The settings the model was trained with.</summary>
    public TextClassifierOptions Options { get; }

    /// <summary>The labels, most frequent in the training data first (fastText's order).</summary>
    public IReadOnlyList<string> Labels => Dictionary.Labels;

    /// <summary>How often each of <see cref="Labels"/> occurred in the training data.</summary>
    public IReadOnlyList<long> LabelCounts => Dictionary.LabelCounts;

    /// <summary>The words the model embeds (with the end-of-line token <c>&lt;/s&gt;</c>) and their training counts.</summary>
    public Vocabulary Words => Dictionary.Words;

    /// <summary>
    /// The probability of <see cref="TextClassifierOptions.PositiveLabel"/> at which it becomes the prediction, tuned for
    /// its F1 on the validation set; null without a positive label and a validation set.
    /// </summary>
    public float? DecisionThreshold { get; }

    /// <summary>The epoch (from 1) whose weights the model holds: the best on the validation set, or the last.</summary>
    public int BestEpoch { get; }

    /// <summary>
    /// The text pipeline's settings used on the training text (JSON, as the CLI records them), so that raw text can be
    /// processed the same way before <see cref="Predict(string, int, float?)"/>; the library only stores it. Null when none.
    /// </summary>
    public string? Preprocessing { get; set; }

    internal FastTextDictionary Dictionary { get; }

    internal ClassifierNetwork Network { get; }

    /// <summary>
    /// The <paramref name="k"/> most probable labels of <paramref name="tokens"/>, most probable first, as
    /// <c>fasttext predict-prob</c> gives them.
    /// </summary>
    /// <param name="tokens">The tokens; words the model does not know are skipped (their n-grams still count).</param>
    /// <param name="k">How many labels at most (fastText's <c>k</c>); at least 1.</param>
    /// <param name="threshold">The least probability a returned label has (fastText's <c>threshold</c>). When null: 0,
    /// and where the model has a tuned <see cref="DecisionThreshold"/>, it decides: the positive label alone when its
    /// probability reaches the threshold, otherwise the other labels (without the positive one).</param>
    /// <returns>Up to <paramref name="k"/> labels with their probabilities.</returns>
    public IReadOnlyList<LabelPrediction> Predict(IReadOnlyList<string> tokens, int k = 1, float? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var probabilities = new float[Network.LabelCount];
        Network.Probabilities(Dictionary.Encode(tokens), probabilities);
        return Rank(probabilities, k, threshold);
    }

    /// <summary>The <paramref name="k"/> most probable labels of raw text, split on whitespace as fastText splits it.</summary>
    /// <param name="text">One example's text.</param>
    /// <param name="k">How many labels at most; at least 1.</param>
    /// <param name="threshold">The least probability a returned label has; see <see cref="Predict(IReadOnlyList{string}, int, float?)"/>.</param>
    /// <returns>Up to <paramref name="k"/> labels with their probabilities.</returns>
    public IReadOnlyList<LabelPrediction> Predict(string text, int k = 1, float? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Predict(FastTextDictionary.SplitText(text), k, threshold);
    }

    /// <summary>Predicts many examples at once over <paramref name="threads"/> threads; the results are in the input's order.</summary>
    /// <param name="examples">The examples' tokens.</param>
    /// <param name="k">How many labels at most per example; at least 1.</param>
    /// <param name="threshold">The least probability a returned label has; see <see cref="Predict(IReadOnlyList{string}, int, float?)"/>.</param>
    /// <param name="threads">Threads to use; 0 (default) for the processor count.</param>
    /// <param name="cancellationToken">Stops between examples.</param>
    /// <returns>Each example's predictions.</returns>
    public IReadOnlyList<IReadOnlyList<LabelPrediction>> PredictAll(
        IEnumerable<IReadOnlyList<string>> examples, int k = 1, float? threshold = null, int threads = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        IReadOnlyList<string>[] inputs = [.. examples];
        var results = new IReadOnlyList<LabelPrediction>[inputs.Length];
        const int Batch = 256;
        int batches = (inputs.Length + Batch - 1) / Batch;
        using var gang = new WorkerGang(Math.Max(1, Math.Min(threads == 0 ? Environment.ProcessorCount : threads, batches)));
        gang.For(
            batches,
            (batch, _) =>
            {
                for (int i = batch * Batch; i < Math.Min(inputs.Length, (batch + 1) * Batch); i++)
                {
                    results[i] = Predict(inputs[i], k, threshold);
                }
            },
            cancellationToken: cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return results;
    }

    /// <summary>The labels by probability (ties by label order), filtered by the threshold and cut at k.</summary>
    internal IReadOnlyList<LabelPrediction> Rank(float[] probabilities, int k, float? threshold)
    {
        int[] order = [.. Enumerable.Range(0, probabilities.Length).OrderByDescending(i => probabilities[i])];
        if (threshold is null && DecisionThreshold is { } decision && _positive >= 0 && !Network.IndependentLabels)
        {
            // The tuned threshold decides: the positive label alone when its probability reaches it, otherwise the
            // other labels. Either list stays sorted by probability, and for a binary task the one label returned
            // still gives the other's probability (1 − its own).
            order = probabilities[_positive] >= decision ? [_positive] : [.. order.Where(i => i != _positive)];
        }

        float least = threshold ?? 0f;
        var predictions = new List<LabelPrediction>(Math.Min(k, order.Length));
        foreach (int label in order)
        {
            if (predictions.Count == k)
            {
                break;
            }

            if (probabilities[label] >= least)
            {
                predictions.Add(new LabelPrediction(Labels[label], probabilities[label]));
            }
        }

        return predictions;
    }

    /// <summary>Writes the model to a file, atomically, in the native checksummed frame.</summary>
    /// <param name="path">The file to create or replace.</param>
    public void Save(string path) => TextClassifierFile.Write(path, this, run: null);

    /// <summary>Writes the model to a stream in the native checksummed frame.</summary>
    /// <param name="destination">Where to write; not closed.</param>
    public void Save(Stream destination) => TextClassifierFile.Write(destination, this, run: null);

    /// <summary>
    /// Reads a model (or a training checkpoint's model) written by <see cref="Save(string)"/>, checking its checksum.
    /// The fastText family's input rows are not copied: they are read from a memory mapping of the file, which the model
    /// holds until <see cref="Dispose"/> (the file itself may be replaced or deleted meanwhile on Linux and macOS).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The model.</returns>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a text-classifier file (the message names the file and the kind it is), or damaged.</exception>
    public static TextClassifier Load(string path) => TextClassifierFile.ReadMapped(path);

    /// <summary>Reads a model from a stream, from its current position.</summary>
    /// <param name="source">The stream.</param>
    /// <returns>The model.</returns>
    /// <exception cref="InvalidDataException">Not a text-classifier file, or damaged.</exception>
    public static TextClassifier Load(Stream source) => TextClassifierFile.Read(source).Model;

    /// <summary>
    /// Releases the memory mapping of a model read with <see cref="Load(string)"/>; predicting afterwards throws
    /// <see cref="ObjectDisposedException"/>. Call it only once no prediction runs. Nothing to release for other models.
    /// </summary>
    public void Dispose() => _mapping?.Dispose();
}
