using Embeddings.Core.IO;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification;

/// <summary>Where a training run stands, as a checkpoint records it beside the model's current weights.</summary>
internal sealed class ClassifierRunState(EpochPosition position)
{
    public EpochPosition Position { get; } = position;

    /// <summary>The best epoch so far (from 1), or 0 before any validation.</summary>
    public int BestEpoch { get; set; }

    public double BestScore { get; set; } = double.NegativeInfinity;

    public int EpochsSinceBest { get; set; }

    public bool StoppedEarly { get; set; }

    /// <summary>The weights at <see cref="BestEpoch"/>, kept while a later epoch is worse.</summary>
    public float[][]? BestWeights { get; set; }
}

/// <summary>
/// The text-classifier file (kind <see cref="NativeFileKind.TextClassifier"/>): options, preprocessing, words with
/// counts, labels with counts, decision threshold, the network's weights, and for a checkpoint (flag 1) the run's state.
/// Flag 2 marks an MLP or recurrent network trained with <see cref="TextClassifierOptions.LazyEmbeddingUpdates"/>
/// (a flag rather than a field, so that files of the dense update are laid out as before the option existed).
/// </summary>
internal static class TextClassifierFile
{
    private const ushort CheckpointFlag = 1;
    private const ushort LazyEmbeddingFlag = 2;

    public static void Write(string path, TextClassifier model, ClassifierRunState? run) =>
        NativeFile.Write(path, NativeFileKind.TextClassifier, Flags(model, run), (model, run), static (w, s) => WritePayload(w, s.model, s.run));

    public static void Write(Stream destination, TextClassifier model, ClassifierRunState? run) =>
        NativeFile.Write(destination, NativeFileKind.TextClassifier, Flags(model, run), (model, run), static (w, s) => WritePayload(w, s.model, s.run));

    private static ushort Flags(TextClassifier model, ClassifierRunState? run) =>
        (ushort)((run is null ? 0 : CheckpointFlag)
            | (model.Options.Family != TextClassifierFamily.FastText && model.Options.LazyEmbeddingUpdates ? LazyEmbeddingFlag : 0));

    public static (TextClassifier Model, ClassifierRunState? Run) Read(string path) => NativeFile.Read(path, NativeFileKind.TextClassifier, ReadPayload);

    public static (TextClassifier Model, ClassifierRunState? Run) Read(Stream source) => NativeFile.Read(source, NativeFileKind.TextClassifier, ReadPayload);

    /// <summary>A model read from a mapping of its file: its fastText-family input rows stay there, read-only, owned by the model.</summary>
    public static TextClassifier ReadMapped(string path) => NativeFile.ReadMapped(path, NativeFileKind.TextClassifier, ReadPayload).Item1;

    private static void WritePayload(NativePayloadWriter writer, TextClassifier model, ClassifierRunState? run)
    {
        WriteOptions(writer, model.Options);
        WriteOptional(writer, model.Preprocessing);
        writer.WriteVocabulary(model.Words);
        writer.Write(model.Labels.Count);
        for (int i = 0; i < model.Labels.Count; i++)
        {
            writer.Write(model.LabelCounts[i]);
            writer.Write(model.Labels[i]);
        }

        writer.Write(model.DecisionThreshold.HasValue);
        writer.Write(model.DecisionThreshold ?? 0f);
        writer.Write(model.BestEpoch);
        writer.Write((int)model.Network.Family);
        model.Network.Write(writer);
        if (run is not null)
        {
            WriteRun(writer, run);
            model.Network.WriteTrainingState(writer);
        }
    }

    private static (TextClassifier, ClassifierRunState?) ReadPayload(NativePayloadReader reader)
    {
        TextClassifierOptions options = ReadOptions(reader);
        if (options.Family != TextClassifierFamily.FastText)
        {
            options = options with { LazyEmbeddingUpdates = (reader.Flags & LazyEmbeddingFlag) != 0 };
        }
        string? preprocessing = ReadOptional(reader);
        var words = reader.ReadVocabulary();
        int labelCount = reader.ReadCount("label count");
        if (labelCount < 2)
        {
            throw reader.Invalid($"has {labelCount} labels; a classifier has at least 2");
        }

        var labels = new string[labelCount];
        var counts = new long[labelCount];
        for (int i = 0; i < labelCount; i++)
        {
            counts[i] = reader.ReadInt64();
            labels[i] = reader.ReadString();
        }

        if (labels.Distinct(StringComparer.Ordinal).Count() != labelCount)
        {
            throw reader.Invalid("has a label twice");
        }

        bool hasThreshold = reader.ReadBoolean();
        float threshold = reader.ReadSingle();
        int bestEpoch = reader.ReadInt32();
        var family = (TextClassifierFamily)reader.ReadInt32();
        if (family != options.Family)
        {
            throw reader.Invalid($"holds a network of family {(int)family} where its settings name {options.Family}");
        }

        var dictionary = new FastTextDictionary(words, labels, counts, options.WordNgrams, options.UsedBuckets);
        ClassifierNetwork network = family == TextClassifierFamily.FastText
            ? FastTextNetwork.Read(reader, options, dictionary)
            : NeuralClassifierNetwork.Read(reader, options, dictionary, TextClassifierTrainer.LabelWeights(dictionary, options));
        var model = new TextClassifier(options, dictionary, network, hasThreshold ? threshold : null, bestEpoch, reader.MappingInUse) { Preprocessing = preprocessing };
        ClassifierRunState? run = null;
        if ((reader.Flags & CheckpointFlag) != 0)
        {
            run = ReadRun(reader, network);
            network.ReadTrainingState(reader);
        }

        return (model, run);
    }

    private static void WriteOptions(NativePayloadWriter writer, TextClassifierOptions o)
    {
        writer.Write((int)o.Family);
        writer.Write(o.Dimensions);
        writer.Write(o.LearningRate);
        writer.Write(o.Epochs);
        writer.Write(o.WordNgrams);
        writer.Write(o.Buckets);
        writer.Write((int)o.Loss);
        writer.Write(o.NegativeSamples);
        writer.Write(o.MinCount);
        writer.Write(o.LearningRateUpdateRate);
        writer.Write(o.Threads);
        writer.Write(o.Seed);
        writer.Write(o.FreezeEmbeddings);
        writer.Write(o.BalancedClassWeights);
        WriteOptional(writer, o.PositiveLabel);
        writer.Write(o.EarlyStoppingPatience);
        writer.Write(o.ClassWeights?.Count ?? -1);
        foreach ((string label, double weight) in (o.ClassWeights ?? new Dictionary<string, double>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.Write(label);
            writer.Write(weight);
        }

        if (o.Family != TextClassifierFamily.FastText)
        {
            WriteNetworkOptions(writer, o);
        }
    }

    /// <summary>
    /// The MLP and recurrent families' settings, written after the common ones and only for those families, so that a
    /// fastText-family file is laid out as before they existed.
    /// </summary>
    private static void WriteNetworkOptions(NativePayloadWriter writer, TextClassifierOptions o)
    {
        writer.Write((int)o.Optimizer);
        writer.Write(o.WeightDecay);
        writer.Write(o.BatchSize);
        writer.Write(o.Dropout);
        writer.Write(o.HiddenSizes.Count);
        foreach (int size in o.HiddenSizes)
        {
            writer.Write(size);
        }

        writer.Write((int)o.Activation);
        writer.Write((int)o.Pooling);
        writer.Write((int)o.Initialization);
        writer.Write((int)o.Cell);
        writer.Write(o.HiddenSize);
        writer.Write(o.Layers);
        writer.Write(o.Bidirectional);
        writer.Write((int)o.SequenceRepresentation);
        writer.Write(o.MaxLength);
    }

    private static TextClassifierOptions ReadNetworkOptions(NativePayloadReader reader, TextClassifierOptions o)
    {
        o = o with
        {
            Optimizer = (OptimizerKind)reader.ReadInt32(),
            WeightDecay = reader.ReadDouble(),
            BatchSize = reader.ReadInt32(),
            Dropout = reader.ReadDouble(),
        };
        var hidden = new int[reader.ReadCount("hidden layer count")];
        for (int i = 0; i < hidden.Length; i++)
        {
            hidden[i] = reader.ReadInt32();
        }

        return o with
        {
            HiddenSizes = hidden,
            Activation = (HiddenActivation)reader.ReadInt32(),
            Pooling = (BagPooling)reader.ReadInt32(),
            Initialization = (WeightInitialization)reader.ReadInt32(),
            Cell = (RecurrentCell)reader.ReadInt32(),
            HiddenSize = reader.ReadInt32(),
            Layers = reader.ReadInt32(),
            Bidirectional = reader.ReadBoolean(),
            SequenceRepresentation = (SequenceRepresentation)reader.ReadInt32(),
            MaxLength = reader.ReadInt32(),
        };
    }

    private static TextClassifierOptions ReadOptions(NativePayloadReader reader)
    {
        var options = new TextClassifierOptions
        {
            Family = (TextClassifierFamily)reader.ReadInt32(),
            Dimensions = reader.ReadInt32(),
            LearningRate = reader.ReadDouble(),
            Epochs = reader.ReadInt32(),
            WordNgrams = reader.ReadInt32(),
            Buckets = reader.ReadInt32(),
            Loss = (TextClassifierLoss)reader.ReadInt32(),
            NegativeSamples = reader.ReadInt32(),
            MinCount = reader.ReadInt32(),
            LearningRateUpdateRate = reader.ReadInt32(),
            Threads = reader.ReadInt32(),
            Seed = reader.ReadUInt64(),
            FreezeEmbeddings = reader.ReadBoolean(),
            BalancedClassWeights = reader.ReadBoolean(),
            PositiveLabel = ReadOptional(reader),
            EarlyStoppingPatience = reader.ReadInt32(),
        };
        int weights = reader.ReadInt32();
        if (weights >= 0)
        {
            var table = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int i = 0; i < weights; i++)
            {
                table[reader.ReadString()] = reader.ReadDouble();
            }

            options = options with { ClassWeights = table };
        }

        if (options.Family is TextClassifierFamily.Mlp or TextClassifierFamily.Recurrent)
        {
            options = ReadNetworkOptions(reader, options);
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw reader.Invalid($"holds invalid settings ({e.Message})");
        }

        return options;
    }

    private static void WriteRun(NativePayloadWriter writer, ClassifierRunState run)
    {
        EpochPosition p = run.Position;
        writer.Write(p.Epoch);
        writer.Write(p.TokensDone);
        writer.Write(p.Next.Length);
        for (int w = 0; w < p.Next.Length; w++)
        {
            writer.Write(p.Next[w]);
            writer.Write(p.LocalTokens[w]);
            writer.Write(p.Loss[w]);
            writer.Write(p.Examples[w]);
        }

        writer.Write(run.BestEpoch);
        writer.Write(run.BestScore);
        writer.Write(run.EpochsSinceBest);
        writer.Write(run.StoppedEarly);
        writer.Write(run.BestWeights is not null);
        foreach (float[] weights in run.BestWeights ?? [])
        {
            writer.WriteFloats(weights);
        }
    }

    private static ClassifierRunState ReadRun(NativePayloadReader reader, ClassifierNetwork network)
    {
        int epoch = reader.ReadInt32();
        long tokensDone = reader.ReadInt64();
        int workers = reader.ReadCount("worker count");
        var next = new int[workers];
        var local = new long[workers];
        var loss = new double[workers];
        var examples = new long[workers];
        for (int w = 0; w < workers; w++)
        {
            (next[w], local[w], loss[w], examples[w]) = (reader.ReadInt32(), reader.ReadInt64(), reader.ReadDouble(), reader.ReadInt64());
        }

        var position = new EpochPosition(workers);
        position.Set(epoch, tokensDone, next, local, loss, examples);
        var run = new ClassifierRunState(position)
        {
            BestEpoch = reader.ReadInt32(),
            BestScore = reader.ReadDouble(),
            EpochsSinceBest = reader.ReadInt32(),
            StoppedEarly = reader.ReadBoolean(),
        };
        if (reader.ReadBoolean())
        {
            run.BestWeights = [.. network.Weights.Select(w => reader.ReadFloats(w.Length))];
        }

        return run;
    }

    private static void WriteOptional(NativePayloadWriter writer, string? value)
    {
        writer.Write(value is not null);
        writer.Write(value ?? string.Empty);
    }

    private static string? ReadOptional(NativePayloadReader reader)
    {
        bool present = reader.ReadBoolean();
        string value = reader.ReadString();
        return present ? value : null;
    }
}
