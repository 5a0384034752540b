using Embeddings.Core.IO;
using Embeddings.Core.Options;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The native file of a language model or of a training checkpoint (they are the same thing: a model is the
/// checkpoint of a finished run with its report). Magic <c>EMLM</c>, version 2, framed and checksummed by
/// <see cref="NativeFile"/> (version 1, the earlier frame, still loads); see docs/file-formats.md for the layout.
/// </summary>
internal sealed class LanguageModelFile
{
    private const ushort HasReport = 1;

    private static readonly NativeFileKind FileKind = NativeFileKind.LanguageModel;

    private LanguageModelFile(string path, LanguageModelOptions options, string[] tokens, List<(string Name, int Rows, int Columns, bool Trainable, float[] Values)> parameters)
    {
        (Path, Options, Tokens, Parameters) = (path, options, tokens, parameters);
    }

    public string Path { get; }

    public LanguageModelOptions Options { get; }

    public IReadOnlyList<string> Tokens { get; }

    public List<(string Name, int Rows, int Columns, bool Trainable, float[] Values)> Parameters { get; }

    private int Epoch { get; set; }

    private int Step { get; set; }

    private double EpochLoss { get; set; }

    private long EpochPredictions { get; set; }

    private double EpochSeconds { get; set; }

    private long OptimizerSteps { get; set; }

    private List<float[]> OptimizerState { get; } = [];

    private double BestValidationLoss { get; set; }

    private int BestEpoch { get; set; }

    private int EpochsSinceBest { get; set; }

    private bool StoppedEarly { get; set; }

    private List<float[]> BestWeights { get; } = [];

    private List<LanguageModelEpoch> Epochs { get; } = [];

    private (int Training, int Validation, bool StoppedEarly, int BestEpoch)? Report { get; set; }

    public static void Write(string path, LanguageModelOptions options, IReadOnlyList<string> tokens, LanguageModelState state, LanguageModelReport? report) =>
        NativeFile.Write(path, FileKind, report is null ? (ushort)0 : HasReport, (options, tokens, state, report), static (writer, s) => WriteBody(writer, s.options, s.tokens, s.state, s.report));

    public static void Write(Stream stream, LanguageModelOptions options, IReadOnlyList<string> tokens, LanguageModelState state, LanguageModelReport? report) =>
        NativeFile.Write(stream, FileKind, report is null ? (ushort)0 : HasReport, (options, tokens, state, report), static (writer, s) => WriteBody(writer, s.options, s.tokens, s.state, s.report));

    /// <summary>The file's body (also embedded in a quantized language model's file); whether a report follows is the caller's to record.</summary>
    public static void WriteBody(NativePayloadWriter writer, LanguageModelOptions options, IReadOnlyList<string> tokens, LanguageModelState state, LanguageModelReport? report)
    {
        WriteOptions(writer, options);
        writer.Write(tokens.Count);
        foreach (string token in tokens)
        {
            writer.Write(token);
        }

        IReadOnlyList<Parameter> parameters = state.Network.Parameters;
        writer.Write(parameters.Count);
        foreach (Parameter p in parameters)
        {
            writer.Write(p.Name);
            writer.Write(p.Rows);
            writer.Write(p.Columns);
            writer.Write(p.Trainable);
            writer.WriteFloats(p.Value);
        }

        writer.Write(state.Epoch);
        writer.Write(state.Step);
        writer.Write(state.EpochLoss);
        writer.Write(state.EpochPredictions);
        writer.Write(state.EpochSeconds);
        writer.Write(state.Optimizer.Steps);
        WriteArrays(writer, state.Optimizer.State);
        writer.Write(state.BestValidationLoss);
        writer.Write(state.BestEpoch);
        writer.Write(state.EpochsSinceBest);
        writer.Write(state.StoppedEarly);
        WriteArrays(writer, state.BestWeights ?? []);
        writer.Write(state.Epochs.Count);
        foreach (LanguageModelEpoch e in state.Epochs)
        {
            writer.Write(e.Epoch);
            writer.Write(e.TrainingLoss);
            writer.Write(e.ValidationLoss);
            writer.Write(e.LearningRate);
            writer.Write(e.Seconds);
        }

        if (report is { } r)
        {
            writer.Write(r.TrainingSequences);
            writer.Write(r.ValidationSequences);
            writer.Write(r.StoppedEarly);
            writer.Write(r.BestEpoch);
        }
    }

    public static LanguageModelFile Read(string path) => NativeFile.Read(path, FileKind, ReadWhole);

    public static LanguageModelFile Read(Stream stream) => NativeFile.Read(stream, FileKind, ReadWhole);

    private static LanguageModelFile ReadWhole(NativePayloadReader reader) => ReadBody(reader, (reader.Flags & HasReport) != 0);

    /// <summary>Reads the body <see cref="WriteBody"/> wrote.</summary>
    public static LanguageModelFile ReadBody(NativePayloadReader reader, bool hasReport)
    {
        string path = reader.Name;
        LanguageModelOptions options = ReadOptions(reader, path);
        string[] tokens = new string[reader.ReadCount("token count")];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = reader.ReadString();
        }

        int count = reader.ReadCount("parameter count");
        var parameters = new List<(string, int, int, bool, float[])>(count);
        for (int i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            int rows = reader.ReadCount($"row count of {name}");
            int columns = reader.ReadCount($"column count of {name}");
            bool trainable = reader.ReadBoolean();
            parameters.Add((name, rows, columns, trainable, reader.ReadFloats((long)rows * columns)));
        }

        var file = new LanguageModelFile(path, options, tokens, parameters)
        {
            Epoch = reader.ReadInt32(),
            Step = reader.ReadInt32(),
            EpochLoss = reader.ReadDouble(),
            EpochPredictions = reader.ReadInt64(),
            EpochSeconds = reader.ReadDouble(),
            OptimizerSteps = reader.ReadInt64(),
        };
        file.OptimizerState.AddRange(ReadArrays(reader));
        file.BestValidationLoss = reader.ReadDouble();
        file.BestEpoch = reader.ReadInt32();
        file.EpochsSinceBest = reader.ReadInt32();
        file.StoppedEarly = reader.ReadBoolean();
        file.BestWeights.AddRange(ReadArrays(reader));
        int epochs = reader.ReadCount("epoch count");
        for (int i = 0; i < epochs; i++)
        {
            file.Epochs.Add(new LanguageModelEpoch(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble()));
        }

        if (hasReport)
        {
            file.Report = (reader.ReadInt32(), reader.ReadInt32(), reader.ReadBoolean(), reader.ReadInt32());
        }

        return file;
    }

    /// <summary>The network and the training state, checked against the settings.</summary>
    public LanguageModelState ToState()
    {
        if (Parameters.Count == 0 || Parameters[0].Name != "embedding.weight" || Parameters[0].Rows != Tokens.Count)
        {
            throw Corrupt("its first parameter is not an embedding of one row per token");
        }

        var table = new Parameter("embedding.weight", Tokens.Count, Parameters[0].Columns, Parameters[0].Trainable);
        var network = new SequenceNetwork(Options.Cell, table, Options.HiddenSize, Options.Layers, Tokens.Count, (float)Options.Dropout);
        if (network.Parameters.Count != Parameters.Count)
        {
            throw Corrupt($"it holds {Parameters.Count} parameters where its settings need {network.Parameters.Count}");
        }

        for (int i = 0; i < Parameters.Count; i++)
        {
            Parameter target = network.Parameters[i];
            (string name, int rows, int columns, _, float[] values) = Parameters[i];
            if (name != target.Name || rows != target.Rows || columns != target.Columns)
            {
                throw Corrupt($"parameter {i} is {name} ({rows}×{columns}) where {target.Name} ({target.Rows}×{target.Columns}) was expected");
            }

            values.CopyTo(target.Value, 0);
        }

        network.RefreshTransposes();

        var optimizer = new Optimizer(Options.Optimizer, network.Parameters) { Steps = OptimizerSteps };
        if (OptimizerState.Count != 0)
        {
            if (OptimizerState.Count != optimizer.State.Length || OptimizerState.Where((a, i) => a.Length != optimizer.State[i].Length).Any())
            {
                throw Corrupt("its optimiser state does not match its parameters");
            }

            for (int i = 0; i < OptimizerState.Count; i++)
            {
                OptimizerState[i].CopyTo(optimizer.State[i], 0);
            }
        }

        var state = new LanguageModelState(network, optimizer)
        {
            Epoch = Epoch,
            Step = Step,
            EpochLoss = EpochLoss,
            EpochPredictions = EpochPredictions,
            EpochSeconds = EpochSeconds,
            BestValidationLoss = BestValidationLoss,
            BestEpoch = BestEpoch,
            EpochsSinceBest = EpochsSinceBest,
            StoppedEarly = StoppedEarly,
            BestWeights = BestWeights.Count == 0 ? null : [.. BestWeights],
        };
        state.Epochs.AddRange(Epochs);
        return state;
    }

    public LanguageModel ToModel()
    {
        LanguageModelState state = ToState();
        (int training, int validation, bool stoppedEarly, int bestEpoch) = Report ?? (0, 0, state.StoppedEarly, state.Epoch);
        var report = new LanguageModelReport([.. state.Epochs])
        {
            TrainingSequences = training,
            ValidationSequences = validation,
            StoppedEarly = stoppedEarly,
            BestEpoch = bestEpoch,
        };
        return new LanguageModel(Options, Tokens, report, state);
    }

    private InvalidDataException Corrupt(string problem) => new($"'{Path}' is not a consistent language model: {problem}.");

    private static void WriteOptions(BinaryWriter writer, LanguageModelOptions o)
    {
        writer.Write((int)o.Cell);
        writer.Write(o.HiddenSize);
        writer.Write(o.Layers);
        writer.Write(o.Dropout);
        writer.Write(o.SequenceLength);
        writer.Write((int)o.Prediction);
        writer.Write(o.Stride);
        writer.Write(o.BatchSize);
        writer.Write(o.Epochs);
        OptimizerOptions opt = o.Optimizer;
        writer.Write((int)opt.Kind);
        writer.Write(opt.LearningRate);
        writer.Write(opt.WeightDecay);
        writer.Write(opt.Momentum);
        writer.Write(opt.Beta1);
        writer.Write(opt.Beta2);
        writer.Write(opt.Epsilon);
        writer.Write((int)o.Schedule.Kind);
        writer.Write(o.Schedule.Every);
        writer.Write(o.Schedule.Value);
        writer.Write(o.ClipGradientNorm);
        writer.Write(o.BackpropagationSteps);
        writer.Write(o.Shuffle);
        writer.Write(o.ValidationFraction);
        writer.Write(o.EarlyStoppingPatience);
        writer.Write(o.FreezeEmbedding);
        writer.Write(o.Seed);
        writer.Write(o.Threads);
    }

    private static LanguageModelOptions ReadOptions(BinaryReader reader, string path)
    {
        try
        {
            var cell = (RecurrentCell)reader.ReadInt32();
            int hidden = reader.ReadInt32(), layers = reader.ReadInt32();
            double dropout = reader.ReadDouble();
            int steps = reader.ReadInt32();
            var prediction = (SequencePrediction)reader.ReadInt32();
            int stride = reader.ReadInt32(), batch = reader.ReadInt32(), epochs = reader.ReadInt32();
            var kind = (OptimizerKind)reader.ReadInt32();
            double lr = reader.ReadDouble(), wd = reader.ReadDouble(), momentum = reader.ReadDouble();
            double beta1 = reader.ReadDouble(), beta2 = reader.ReadDouble(), epsilon = reader.ReadDouble();
            var scheduleKind = (LearningRateScheduleKind)reader.ReadInt32();
            int every = reader.ReadInt32();
            double scheduleValue = reader.ReadDouble();
            var builder = new LanguageModelBuilder()
                .Cell(cell).HiddenSize(hidden).Layers(layers).Dropout(dropout).SequenceLength(steps).Predict(prediction)
                .Stride(stride).BatchSize(batch).Epochs(epochs)
                .Optimizer(OptimizerOptions.Create(kind, lr, wd, momentum, beta1, beta2, epsilon))
                .Schedule(LearningRateSchedule.Create(scheduleKind, every, scheduleValue))
                .ClipGradientNorm(reader.ReadDouble())
                .BackpropagationSteps(reader.ReadInt32())
                .Shuffle(reader.ReadBoolean())
                .ValidationFraction(reader.ReadDouble())
                .EarlyStopping(reader.ReadInt32());
            bool freeze = reader.ReadBoolean();
            ulong seed = reader.ReadUInt64();
            int threads = reader.ReadInt32();
            return builder.FreezeEmbedding(freeze).Seed(seed).Threads(threads).ValidatedOptions();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"'{path}' holds invalid language-model settings: {OptionsValidator.PlainMessage(e)}", e);
        }
    }

    private static void WriteArrays(NativePayloadWriter writer, float[][] arrays)
    {
        writer.Write(arrays.Length);
        foreach (float[] array in arrays)
        {
            writer.Write(array.Length);
            writer.WriteFloats(array);
        }
    }

    private static List<float[]> ReadArrays(NativePayloadReader reader)
    {
        int count = reader.ReadCount("array count");
        var arrays = new List<float[]>(count);
        for (int i = 0; i < count; i++)
        {
            arrays.Add(reader.ReadFloats(reader.ReadCount("array length")));
        }

        return arrays;
    }
}
