using Embeddings.Core.Classification.Networks;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Classification;

/// <summary>
/// The MLP and recurrent families behind <see cref="TextClassifier"/>: a <see cref="NetworkClassifierEngine"/> (token ids
/// → softmax, trained in shuffled mini-batches) seen as a <see cref="ClassifierNetwork"/>, so that the trainer's epochs,
/// validation, best-epoch weights, checkpoints and threshold tuning serve every family alike.
/// </summary>
/// <remarks>
/// The engine reads an example's known words in order (for the MLP also its hashed n-gram rows) but not fastText's
/// end-of-line token, which would be the last step of every sequence. A run's place within an epoch is the count of
/// optimiser steps done, kept in worker 0's slot of <see cref="EpochPosition.Next"/>: the shuffle and dropout depend only
/// on (seed, epoch, step), so a checkpoint holding it, the weights and the optimiser's state resumes exactly.
/// </remarks>
internal sealed class NeuralClassifierNetwork : ClassifierNetwork
{
    private readonly NetworkClassifierEngine _engine;
    private readonly int _endOfLine;
    private readonly float[][] _weights;
    private ClassifierData? _prepared;
    private int[][] _inputs = [];
    private int[] _labels = [];

    private NeuralClassifierNetwork(TextClassifierFamily family, NetworkClassifierEngine engine, FastTextDictionary dictionary)
    {
        Family = family;
        _engine = engine;
        _endOfLine = dictionary.Words.TryGetId(FastTextDictionary.EndOfLine, out int id) ? id : -1;

        // Frozen parameters never change, so best-epoch copies and checkpoints leave them out.
        _weights = [.. engine.Network.Parameters.Where(p => p.Trainable).Select(p => p.Value)];
    }

    public override TextClassifierFamily Family { get; }

    /// <summary>The engine (tests read its embedding table).</summary>
    internal NetworkClassifierEngine Engine => _engine;

    public override int LabelCount => _engine.Classes;

    public override bool IndependentLabels => false;

    public override IReadOnlyList<float[]> Weights => _weights;

    /// <summary>
    /// A new network of <paramref name="options"/>' family. Without pretrained vectors the embedding rows are drawn
    /// from N(0, 1) (PyTorch's <c>nn.Embedding</c>); with them, rows start as fastText's (uniform in ±1/dim, the
    /// pretrained words' rows replaced by their vectors).
    /// </summary>
    public static NeuralClassifierNetwork Create(TextClassifierOptions options, FastTextDictionary dictionary, WordVectors? pretrained, float[] labelWeights)
    {
        float[]? rows = pretrained is null ? null : FastTextNetwork.InitialInput(options, dictionary, pretrained);
        return New(options, dictionary, labelWeights, rows);
    }

    /// <summary>Reads what <see cref="Write"/> wrote, checking the shapes against the dictionary and options.</summary>
    public static NeuralClassifierNetwork Read(NativePayloadReader reader, TextClassifierOptions options, FastTextDictionary dictionary, float[] labelWeights)
    {
        int rows = reader.ReadInt32();
        if (rows != dictionary.InputRows)
        {
            throw reader.Invalid($"has {rows} embedding rows where its {dictionary.Words.Count} words and {dictionary.Buckets} buckets need {dictionary.InputRows}");
        }

        NeuralClassifierNetwork network = New(options, dictionary, labelWeights, rows: null);
        try
        {
            network._engine.Read(reader);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid($"holds network weights that do not fit its settings ({e.Message})");
        }

        return network;
    }

    private static NeuralClassifierNetwork New(TextClassifierOptions options, FastTextDictionary dictionary, float[] labelWeights, float[]? rows)
    {
        var embedding = new NetworkEmbedding(checked((int)dictionary.InputRows), options.Dimensions, rows, options.FreezeEmbeddings);
        var training = new NetworkTraining
        {
            Optimizer = options.Optimizer switch
            {
                OptimizerKind.AdamW => OptimizerOptions.AdamW(options.LearningRate, options.WeightDecay),
                OptimizerKind.Sgd => OptimizerOptions.Sgd(options.LearningRate, weightDecay: options.WeightDecay),
                _ => OptimizerOptions.Adam(options.LearningRate, options.WeightDecay),
            },
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            Threads = options.Threads,
            ClassWeights = labelWeights.All(w => w == 1f) ? null : labelWeights,
            LazyEmbeddingUpdates = options.LazyEmbeddingUpdates,
        };
        int classes = dictionary.Labels.Length;
        NetworkClassifierEngine engine = options.Family == TextClassifierFamily.Mlp
            ? new MlpClassifierEngine(
                new MlpNetworkOptions
                {
                    HiddenSizes = [.. options.HiddenSizes],
                    Activation = options.Activation,
                    Pooling = options.Pooling,
                    Initialization = options.Initialization,
                    Dropout = (float)options.Dropout,
                    Training = training,
                },
                classes,
                embedding)
            : new RecurrentClassifierEngine(
                new RecurrentNetworkOptions
                {
                    Cell = options.Cell,
                    HiddenSize = options.HiddenSize,
                    Layers = options.Layers,
                    Bidirectional = options.Bidirectional,
                    Representation = options.SequenceRepresentation,
                    MaxLength = options.MaxLength,
                    Dropout = (float)options.Dropout,
                    Training = training,
                },
                classes,
                embedding);
        return new NeuralClassifierNetwork(options.Family, engine, dictionary);
    }

    public override void Probabilities(ReadOnlySpan<int> input, Span<float> probabilities) =>
        _engine.Predict(EngineInput(input)).CopyTo(probabilities);

    public override bool TrainEpoch(ClassifierData data, EpochPosition position, WorkerGang gang, CancellationToken cancellationToken)
    {
        Prepare(data);
        int epoch = position.Epoch;
        int count = _inputs.Length;
        int batch = Math.Min(_engine.Training.BatchSize, count);
        int firstStep = position.Next[0];
        // Progress reports read the epoch's running mean loss from the position; the epoch's own mean replaces it at the end.
        double lossBefore = position.Loss[0];
        long examplesBefore = position.Examples[0];
        _engine.AfterStep = steps =>
        {
            position.Loss[0] += _engine.StepLoss;
            position.Examples[0]++;
            position.Next[0] = steps;
            long seen = Math.Min((long)steps * batch, count);
            Interlocked.Exchange(ref position.TokensDone, (epoch * data.EpochTokens) + (data.EpochTokens * seen / count));
            data.AfterExample?.Invoke(epoch, (int)seen - 1);
            data.Tick?.Invoke();
        };

        try
        {
            double loss = _engine.TrainEpoch(_inputs, _labels, epoch, learningRate: null, firstStep, cancellationToken);
            int trained = _engine.StepsDone - firstStep;
            position.Loss[0] = lossBefore + (double.IsNaN(loss) ? 0 : loss * trained);
            position.Examples[0] = examplesBefore + trained;
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // As before progress reports existed: a cancelled epoch's partial loss is not kept in the checkpoint.
            (position.Loss[0], position.Examples[0]) = (lossBefore, examplesBefore);
            position.Next[0] = _engine.StepsDone;
            return false;
        }
        finally
        {
            _engine.AfterStep = null;
        }
    }

    public override void Restore(float[][] snapshot)
    {
        base.Restore(snapshot);
        _engine.Network.RefreshTransposes();
    }

    public override void Write(NativePayloadWriter writer)
    {
        writer.Write(_engine.Tokens);
        _engine.Write(writer);
    }

    public override void WriteTrainingState(NativePayloadWriter writer) => _engine.WriteOptimizerState(writer);

    public override void ReadTrainingState(NativePayloadReader reader)
    {
        try
        {
            _engine.ReadOptimizerState(reader);
        }
        catch (InvalidDataException e)
        {
            throw reader.Invalid($"holds an optimiser state that does not fit its network ({e.Message})");
        }
    }

    public override void EndTraining() => _engine.Dispose();

    /// <summary>The engine's inputs and labels of <paramref name="data"/>, made once per run (every epoch reads the same examples).</summary>
    private void Prepare(ClassifierData data)
    {
        if (ReferenceEquals(_prepared, data))
        {
            return;
        }

        _inputs = [.. data.Examples.Select(e => EngineInput(e.Input))];
        _labels = [.. data.Examples.Select(e => e.Labels[0])];
        _prepared = data;
    }

    /// <summary>The encoded input without the end-of-line token.</summary>
    private int[] EngineInput(ReadOnlySpan<int> input)
    {
        var ids = new List<int>(input.Length);
        foreach (int id in input)
        {
            if (id != _endOfLine)
            {
                ids.Add(id);
            }
        }

        return [.. ids];
    }
}
