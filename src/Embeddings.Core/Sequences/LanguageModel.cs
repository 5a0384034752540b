using System.Numerics.Tensors;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// A trained recurrent language model over a token vocabulary: next-token probabilities, text generation with a
/// temperature and top-k, evaluation, and a native file (<see cref="Save(string)"/>, <see cref="Load(string)"/>) that holds only
/// numbers and names, never code.
/// </summary>
/// <remarks>Queries share one set of workspaces and are serialised with a lock; load one model per thread for parallel generation.</remarks>
public sealed class LanguageModel
{
    private readonly Dictionary<string, int> _ids;
    private readonly object _gate = new();

    internal LanguageModel(LanguageModelOptions options, IReadOnlyList<string> tokens, LanguageModelReport report, LanguageModelState state)
    {
        Options = options;
        Tokens = tokens;
        Report = report;
        State = state;
        _ids = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Count; i++)
        {
            _ids.TryAdd(tokens[i], i);
        }
    }

    /// <summary>Starts configuring a language model and its training with PyTorch's defaults.</summary>
    public static LanguageModelBuilder CreateBuilder() => new();

    /// <summary>The settings the model was trained with.</summary>
    public LanguageModelOptions Options { get; }

    /// <summary>The vocabulary: id i is <c>Tokens[i]</c>.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>The training run's figures.</summary>
    public LanguageModelReport Report { get; }

    /// <summary>The embedding's width.</summary>
    public int Dimensions => Network.Embedding.Dimensions;

    internal SequenceNetwork Network => State.Network;

    /// <summary>The run's final state (optimiser moments included), so that a saved model can be trained further.</summary>
    internal LanguageModelState State { get; }

    /// <summary>Loads a model (or a checkpoint) written by <see cref="Save(string)"/> or by a trainer.</summary>
    /// <exception cref="InvalidDataException">Not a language-model file, a newer version, truncated or corrupt (the message names the file).</exception>
    /// <param name="path">The file.</param>
    public static LanguageModel Load(string path) => LanguageModelFile.Read(path).ToModel();

    /// <summary>Loads a model written by <see cref="Save(Stream)"/> from a stream, from its current position.</summary>
    /// <exception cref="InvalidDataException">Not a language model, a newer version, truncated or corrupt.</exception>
    /// <param name="stream">The stream; not closed.</param>
    public static LanguageModel Load(Stream stream) => LanguageModelFile.Read(stream).ToModel();

    /// <summary>The id of <paramref name="token"/>, or −1 when it is not in the vocabulary.</summary>
    public int IdOf(string token) => _ids.TryGetValue(token, out int id) ? id : -1;

    /// <summary>Writes the model atomically in the native format (weights, vocabulary, settings, report and optimiser state).</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        LanguageModelFile.Write(path, Options, Tokens, State, Report);
    }

    /// <summary>Writes the model in the native format to a stream, from its current position.</summary>
    /// <param name="stream">Where to write; not closed.</param>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        LanguageModelFile.Write(stream, Options, Tokens, State, Report);
    }

    /// <summary>Writes the model as part of another native file's payload (a quantized language model's): what <see cref="Save(string)"/> writes as its payload.</summary>
    /// <param name="writer">The other file's payload writer.</param>
    public void WritePayload(NativePayloadWriter writer) => LanguageModelFile.WriteBody(writer, Options, Tokens, State, Report);

    /// <summary>Reads a model <see cref="WritePayload"/> wrote, from inside another native file's payload.</summary>
    /// <param name="reader">The other file's payload reader, where the model starts.</param>
    /// <exception cref="InvalidDataException">The model is truncated or inconsistent (the message names the file).</exception>
    public static LanguageModel ReadPayload(NativePayloadReader reader) => LanguageModelFile.ReadBody(reader, hasReport: true).ToModel();

    /// <summary>P(next token | <paramref name="context"/>): the softmax of the logits after the context's last id.</summary>
    public float[] NextTokenProbabilities(IReadOnlyList<int> context)
    {
        float[] probabilities = NextTokenLogits(context);
        float max = TensorPrimitives.Max(probabilities);
        TensorPrimitives.Subtract(probabilities, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        TensorPrimitives.Divide(probabilities, TensorPrimitives.Sum(probabilities), probabilities);
        return probabilities;
    }

    /// <summary>
    /// Generates <see cref="GenerationOptions.Length"/> tokens after a prompt of words; words outside the vocabulary are
    /// skipped (as the PC3 notebook does). Each step reads the last <see cref="LanguageModelOptions.SequenceLength"/> ids.
    /// </summary>
    /// <returns>The generated tokens, without the prompt.</returns>
    /// <exception cref="ArgumentException">No word of the prompt is in the vocabulary.</exception>
    public IReadOnlyList<string> Generate(IEnumerable<string> prompt, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        string[] words = [.. prompt];
        int[] ids = [.. words.Select(IdOf).Where(id => id >= 0)];
        if (ids.Length == 0)
        {
            throw new ArgumentException($"None of the prompt's {words.Length} word(s) ('{string.Join(' ', words)}') is in the model's vocabulary of {Tokens.Count} tokens.", nameof(prompt));
        }

        return [.. GenerateIds(ids, options).Select(id => Tokens[id])];
    }

    /// <summary>Generates ids after a prompt of ids (see <see cref="Generate"/>).</summary>
    public IReadOnlyList<int> GenerateIds(IReadOnlyList<int> prompt, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= new GenerationOptions();
        options.Validate();
        if (prompt.Count == 0)
        {
            throw new ArgumentException("The prompt has no id.", nameof(prompt));
        }

        var sequence = new List<int>(prompt);
        var generated = new List<int>(options.Length);
        var random = new SplitMix64Random(options.Seed);
        for (int i = 0; i < options.Length; i++)
        {
            float[] logits = NextTokenLogits(sequence);
            int next = TokenSampler.Sample(logits, options.Temperature, options.TopK, ref random);
            generated.Add(next);
            sequence.Add(next);
        }

        return generated;
    }

    /// <summary>The mean cross-entropy (nats) and perplexity of the model on every sequence of a stream of ids.</summary>
    public (double Loss, double Perplexity) Evaluate(IReadOnlyList<int> ids)
    {
        int[] stream = SequenceDataset.CheckIds(ids, Tokens.Count);
        var data = new SequenceDataset(stream, Options.SequenceLength, Options.Stride, Options.Prediction, 0);
        if (data.Count == 0)
        {
            throw new ArgumentException($"The stream of {stream.Length} ids is shorter than one sequence and its target.", nameof(ids));
        }

        double loss;
        lock (_gate)
        {
            loss = Network.Loss(data, 0, data.Count, chunkRows: 256);
        }

        double mean = loss / ((double)data.Count * data.TargetsPerSequence);
        return (mean, Math.Exp(mean));
    }

    internal float[] NextTokenLogits(IReadOnlyList<int> context)
    {
        int length = Math.Min(context.Count, Options.SequenceLength);
        if (length == 0)
        {
            throw new ArgumentException("The context has no id.", nameof(context));
        }

        int[] window = new int[length];
        for (int i = 0; i < length; i++)
        {
            int id = context[context.Count - length + i];
            window[i] = (uint)id < (uint)Tokens.Count ? id : throw new ArgumentException($"Id {id} is outside the vocabulary of {Tokens.Count} tokens.", nameof(context));
        }

        lock (_gate)
        {
            return Network.NextTokenLogits(window).ToArray();
        }
    }
}
