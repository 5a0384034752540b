using System.Diagnostics;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Trains a <see cref="LanguageModel"/> on a stream of token ids; built by <see cref="LanguageModelBuilder"/>.
/// </summary>
/// <remarks>
/// <para>
/// A step's batch is split over the worker threads by contiguous rows; each worker runs the forward and backward passes
/// of its rows on its own replica of the network (shared weights, own gradients), in chunks small enough for the caches.
/// The workers' gradients are then summed in worker order, clipped by their global norm, and the optimiser updates
/// disjoint slices of the weights in parallel. A full batch is the same step with every training sequence in it: the
/// gradient of the mean loss, accumulated chunk by chunk, so memory stays flat whatever the batch.
/// </para>
/// <para>
/// Shuffling is keyed by (seed, epoch) and dropout by (seed, epoch, step, sequence), so a checkpoint needs only the
/// weights, the optimiser's state and the position: a resumed run repeats the uninterrupted one bit for bit with the
/// same thread count.
/// </para>
/// </remarks>
public sealed class LanguageModelTrainer
{
    /// <summary>The file name a trainer writes in its checkpoint folder.</summary>
    public const string CheckpointFileName = "language-model.checkpoint";

    private readonly float[] _embedding;
    private readonly int _dimensions;
    private readonly ILogger _logger;
    private readonly Action<LanguageModelEpoch>? _onEpochEnd;
    private readonly string? _checkpointDirectory;
    private readonly int _checkpointEvery;

    internal LanguageModelTrainer(
        LanguageModelOptions options, IReadOnlyList<string> tokens, float[] embedding, int dimensions, ILogger? logger,
        Action<LanguageModelEpoch>? onEpochEnd, string? checkpointDirectory, int checkpointEvery)
    {
        Options = options;
        Tokens = tokens;
        _embedding = embedding;
        _dimensions = dimensions;
        _logger = logger ?? NullLogger.Instance;
        _onEpochEnd = onEpochEnd;
        _checkpointDirectory = checkpointDirectory;
        _checkpointEvery = checkpointEvery;
    }

    /// <summary>The validated settings.</summary>
    public LanguageModelOptions Options { get; }

    /// <summary>The token vocabulary: id i is <c>Tokens[i]</c>, for inputs and predictions alike.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Called after every optimiser step with the epoch (from 0) and the steps done in it (tests stop runs mid-epoch with it).</summary>
    internal Action<int, int>? AfterStep { get; set; }

    /// <summary>Trains a new model on <paramref name="ids"/>, one stream of token ids (sequences cross line ends, as in PC3).</summary>
    /// <param name="ids">The token ids, each below the vocabulary's size; an array is read in place (not copied), so it must not change during training.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end, from the training thread.</param>
    /// <param name="cancellationToken">Stops training between chunks of a step.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">An id is outside the vocabulary, or the stream is too short for one sequence.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; with a checkpoint folder, a checkpoint of the last finished step is written first.</exception>
    public LanguageModel Train(IReadOnlyList<int> ids, IProgress<LanguageModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        int[] stream = SequenceDataset.CheckIds(ids, Tokens.Count);
        SequenceNetwork network = CreateNetwork();
        var state = new LanguageModelState(network, new Optimizer(Options.Optimizer, network.Parameters));
        return Run(state, stream, progress, cancellationToken);
    }

    /// <summary>
    /// Goes on with the run a checkpoint (or a saved model, to train more epochs) recorded, on the same id stream. The
    /// checkpoint must have been written with this trainer's settings and vocabulary.
    /// </summary>
    /// <param name="checkpointPath">The checkpoint (or model) file, or the checkpoint folder holding <see cref="CheckpointFileName"/>.</param>
    /// <param name="ids">The same id stream the interrupted run trained on.</param>
    /// <param name="progress">Receives progress about once a second and at every epoch's end, from the training thread.</param>
    /// <param name="cancellationToken">Stops training between chunks of a step.</param>
    /// <returns>The trained model.</returns>
    /// <exception cref="ArgumentException">The checkpoint's settings or vocabulary differ from this trainer's.</exception>
    /// <exception cref="InvalidDataException">The file is not a language-model file, or is corrupt.</exception>
    public LanguageModel Resume(
        string checkpointPath, IReadOnlyList<int> ids, IProgress<LanguageModelProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpointPath);
        string file = Directory.Exists(checkpointPath) ? Path.Combine(checkpointPath, CheckpointFileName) : checkpointPath;
        LanguageModelFile saved = LanguageModelFile.Read(file);
        if (Options.FirstDifference(saved.Options) is { } difference)
        {
            throw new ArgumentException($"'{file}' was written by a run with other settings: {difference}.", nameof(checkpointPath));
        }

        if (saved.Tokens.Count != Tokens.Count || !saved.Tokens.SequenceEqual(Tokens))
        {
            throw new ArgumentException($"'{file}' has a vocabulary of {saved.Tokens.Count} tokens that differs from this trainer's {Tokens.Count}.", nameof(checkpointPath));
        }

        int[] stream = SequenceDataset.CheckIds(ids, Tokens.Count);
        LanguageModelState state = saved.ToState();
        SequenceLog.Resuming(_logger, file, state.Epoch + 1, state.Step);
        return Run(state, stream, progress, cancellationToken);
    }


    /// <summary>A network with PyTorch's initialisation drawn from the seed: U(±1/√H) for the recurrent and linear layers.</summary>
    private SequenceNetwork CreateNetwork()
    {
        var table = new Parameter("embedding.weight", Tokens.Count, _dimensions, trainable: !Options.FreezeEmbedding);
        _embedding.CopyTo(table.Value, 0);
        var network = new SequenceNetwork(Options.Cell, table, Options.HiddenSize, Options.Layers, Tokens.Count, (float)Options.Dropout);
        SplitMix64Random random = SplitMix64Random.For(Options.Seed, 0x494E4954);
        float bound = 1f / MathF.Sqrt(Options.HiddenSize);
        foreach (Parameter parameter in network.Parameters.Skip(1))
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value[i] = random.NextUniform(-bound, bound);
            }
        }

        network.RefreshTransposes();
        return network;
    }

    private LanguageModel Run(LanguageModelState state, int[] ids, IProgress<LanguageModelProgress>? progress, CancellationToken cancellationToken)
    {
        LanguageModelOptions options = Options;
        var data = new SequenceDataset(ids, options.SequenceLength, options.Stride, options.Prediction, options.ValidationFraction);
        if (data.TrainingCount == 0)
        {
            throw new ArgumentException($"The stream of {ids.Length} ids gives no training sequence of {options.SequenceLength} tokens and a target (with a validation fraction of {options.ValidationFraction}).", nameof(ids));
        }

        int batchSize = options.BatchSize == 0 ? data.TrainingCount : Math.Min(options.BatchSize, data.TrainingCount);
        int stepsPerEpoch = (int)(((long)data.TrainingCount + batchSize - 1) / batchSize);
        int workers = Math.Max(1, Math.Min(options.Threads, batchSize));
        long trainable = state.Optimizer.Parameters.Sum(p => (long)p.Length);
        SequenceLog.Started(
            _logger, options.Cell, options.Layers, options.HiddenSize, Tokens.Count, trainable,
            data.TrainingCount, data.ValidationCount, options.SequenceLength, batchSize, options.Epochs, workers);

        using CheckpointLock? folderLock = _checkpointDirectory is null ? null : CheckpointLock.Acquire(_checkpointDirectory, _logger);
        using var step = new StepRunner(state, data, workers, options);
        var clock = new Stopwatch();
        long lastReport = 0;
        try
        {
            while (state.Epoch < options.Epochs && !state.StoppedEarly)
            {
                int epoch = state.Epoch;
                bool shuffle = options.Shuffle && batchSize < data.TrainingCount;
                int[] order = data.EpochOrder(shuffle, options.Seed, epoch);
                double learningRate = options.Optimizer.LearningRate * options.Schedule.Factor(epoch, options.Epochs);
                clock.Restart();
                double secondsBefore = state.EpochSeconds;
                while (state.Step < stepsPerEpoch)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int first = state.Step * batchSize;
                    ReadOnlyMemory<int> batch = order.AsMemory(first, Math.Min(batchSize, order.Length - first));
                    state.EpochLoss += step.Run(batch, epoch, state.Step, learningRate, cancellationToken);
                    state.EpochPredictions += (long)batch.Length * data.TargetsPerSequence;
                    state.Step++;
                    state.EpochSeconds = secondsBefore + clock.Elapsed.TotalSeconds;
                    AfterStep?.Invoke(epoch, state.Step);
                    if (progress is not null && (clock.ElapsedMilliseconds - lastReport >= 1000 || state.Step == stepsPerEpoch))
                    {
                        lastReport = clock.ElapsedMilliseconds;
                        double rate = (double)state.Step * batchSize / Math.Max(1e-9, state.EpochSeconds);
                        progress.Report(new LanguageModelProgress(epoch + 1, options.Epochs, state.Step, stepsPerEpoch, state.EpochLoss / state.EpochPredictions, rate));
                    }
                }

                FinishEpoch(state, step, data, learningRate);
                lastReport = 0;
                if (_checkpointDirectory is not null && _checkpointEvery > 0 && state.Epoch % _checkpointEvery == 0 && state.Epoch < options.Epochs && !state.StoppedEarly)
                {
                    WriteCheckpoint(state);
                }
            }
        }
        catch (OperationCanceledException) when (_checkpointDirectory is not null)
        {
            WriteCheckpoint(state);
            throw;
        }

        var report = new LanguageModelReport([.. state.Epochs])
        {
            TrainingSequences = data.TrainingCount,
            ValidationSequences = data.ValidationCount,
            StoppedEarly = state.StoppedEarly,
            BestEpoch = state.BestWeights is null ? state.Epoch : state.BestEpoch,
        };
        return new LanguageModel(options, Tokens, report, state);
    }

    private void FinishEpoch(LanguageModelState state, StepRunner step, SequenceDataset data, double learningRate)
    {
        LanguageModelOptions options = Options;
        double trainingLoss = state.EpochLoss / Math.Max(1, state.EpochPredictions);
        double validationLoss = data.ValidationCount > 0 ? step.ValidationLoss() : double.NaN;
        var summary = new LanguageModelEpoch(state.Epoch + 1, trainingLoss, validationLoss, learningRate, state.EpochSeconds);
        state.Epochs.Add(summary);
        state.Epoch++;
        state.Step = 0;
        state.EpochLoss = 0;
        state.EpochPredictions = 0;
        state.EpochSeconds = 0;
        SequenceLog.EpochFinished(_logger, summary.Epoch, options.Epochs, trainingLoss, summary.TrainingPerplexity, validationLoss, summary.Seconds);

        if (options.EarlyStoppingPatience > 0)
        {
            if (validationLoss < state.BestValidationLoss)
            {
                state.BestValidationLoss = validationLoss;
                state.BestEpoch = summary.Epoch;
                state.EpochsSinceBest = 0;
                state.BestWeights = [.. state.Optimizer.Parameters.Select(p => (float[])p.Value.Clone())];
            }
            else if (++state.EpochsSinceBest >= options.EarlyStoppingPatience)
            {
                state.StoppedEarly = true;
                for (int i = 0; i < state.Optimizer.Parameters.Count; i++)
                {
                    state.BestWeights![i].CopyTo(state.Optimizer.Parameters[i].Value, 0);
                }

                state.Network.RefreshTransposes();

                SequenceLog.StoppedEarly(_logger, summary.Epoch, options.EarlyStoppingPatience, state.BestEpoch);
            }
        }

        _onEpochEnd?.Invoke(summary);
    }

    private void WriteCheckpoint(LanguageModelState state)
    {
        string path = Path.Combine(_checkpointDirectory!, CheckpointFileName);
        LanguageModelFile.Write(path, Options, Tokens, state, report: null);
        SequenceLog.CheckpointWritten(_logger, path, state.Epoch + 1, state.Step);
    }

    /// <summary>One optimiser step at a time over a worker gang, with the workers' replicas and buffers.</summary>
    private sealed class StepRunner : IDisposable
    {
        private readonly LanguageModelState _state;
        private readonly SequenceDataset _data;
        private readonly LanguageModelOptions _options;
        private readonly WorkerGang _gang;
        private readonly SequenceNetwork[] _replicas;
        private readonly Parameter[][] _gradients;    // each replica's trainable parameters, in the optimiser's order
        private readonly int[][] _inputs;
        private readonly int[][] _targets;
        private readonly double[] _losses;
        private readonly double[] _squares;
        private readonly int _chunkRows;
        private readonly Action<int> _trainPhase;
        private readonly Action<int> _reducePhase;
        private readonly Action<int> _updatePhase;
        private readonly Action<int> _reduceAndUpdatePhase;
        private readonly Action<int> _validatePhase;

        private ReadOnlyMemory<int> _batch;
        private CancellationToken _cancellation;
        private float _gradientScale;
        private float _clipScale;
        private ulong _dropoutKey;

        public StepRunner(LanguageModelState state, SequenceDataset data, int workers, LanguageModelOptions options)
        {
            _state = state;
            _data = data;
            _options = options;
            _gang = new WorkerGang(workers);
            _replicas = new SequenceNetwork[workers];
            _replicas[0] = state.Network;
            for (int w = 1; w < workers; w++)
            {
                _replicas[w] = state.Network.Replicate();
            }

            _gradients = [.. _replicas.Select(r => r.Parameters.Where(p => p.Trainable).ToArray())];

            // Chunks of sequences whose logits take about 2 MB: the classifier's products then stay in the L2 cache.
            int perSequence = data.TargetsPerSequence;
            _chunkRows = Math.Clamp((1 << 19) / (state.Network.Classes * perSequence), 16, 1024);
            _inputs = [.. Enumerable.Range(0, workers).Select(_ => new int[_chunkRows * data.Steps])];
            _targets = [.. Enumerable.Range(0, workers).Select(_ => new int[_chunkRows * perSequence])];
            _losses = new double[workers];
            _squares = new double[workers];
            _trainPhase = TrainPhase;
            _reducePhase = ReducePhase;
            _updatePhase = UpdatePhase;
            _reduceAndUpdatePhase = worker =>
            {
                // Without clipping nothing needs the global norm: each worker updates the slices it has just summed.
                ReducePhase(worker);
                UpdatePhase(worker);
            };
            _validatePhase = ValidatePhase;
        }

        /// <summary>
        /// One optimiser step on the sequences <paramref name="batch"/>; returns the summed loss of their predictions.
        /// Cancellation is seen between chunks: the step is then abandoned before any weight changes, so the state is
        /// that of the last finished step (a full batch need not run to its end to stop).
        /// </summary>
        public double Run(ReadOnlyMemory<int> batch, int epoch, int step, double learningRate, CancellationToken cancellationToken)
        {
            _batch = batch;
            _cancellation = cancellationToken;
            _gradientScale = 1f / (batch.Length * _data.TargetsPerSequence);
            _dropoutKey = SplitMix64Random.Mix(_options.Seed, (ulong)epoch, (ulong)step);
            _gang.Run(_trainPhase);
            cancellationToken.ThrowIfCancellationRequested();
            _state.Optimizer.BeginStep(learningRate);
            _clipScale = 1f;
            bool clipping = _options.ClipGradientNorm > 0;
            _gang.Run(clipping ? _reducePhase : _reduceAndUpdatePhase);

            double squares = 0;
            double loss = 0;
            for (int w = 0; w < _gang.Workers; w++)
            {
                squares += _squares[w];
                loss += _losses[w];
            }

            if (clipping)
            {
                // clip_grad_norm_: scale by max / (norm + 1e-6) when the global norm exceeds max.
                double norm = Math.Sqrt(squares), clip = _options.ClipGradientNorm;
                _clipScale = norm > clip ? (float)(clip / (norm + 1e-6)) : 1f;
                _gang.Run(_updatePhase);
            }

            return loss;
        }

        /// <summary>The mean loss over the validation sequences, without dropout.</summary>
        public double ValidationLoss()
        {
            _gang.Run(_validatePhase);
            double loss = 0;
            for (int w = 0; w < _gang.Workers; w++)
            {
                loss += _losses[w];
            }

            return loss / ((double)_data.ValidationCount * _data.TargetsPerSequence);
        }

        public void Dispose() => _gang.Dispose();

        private void TrainPhase(int worker)
        {
            SequenceNetwork network = _replicas[worker];
            network.ClearGradients();
            (int start, int count) = ReplicaGradients.Split(_batch.Length, _gang.Workers, worker);
            ReadOnlySpan<int> sequences = _batch.Span.Slice(start, count);
            int t = _data.Steps, perSequence = _data.TargetsPerSequence, carry = _options.CarrySteps;
            double loss = 0;
            for (int c = 0; c < count && !_cancellation.IsCancellationRequested; c += _chunkRows)
            {
                int rows = Math.Min(_chunkRows, count - c);
                _data.Gather(sequences.Slice(c, rows), _inputs[worker], _targets[worker]);
                loss += network.TrainChunk(
                    _inputs[worker].AsSpan(0, rows * t), _targets[worker].AsSpan(0, rows * perSequence), t, rows,
                    _gradientScale, carry, _dropoutKey, start + c);
            }

            _losses[worker] = loss;
        }

        private void ReducePhase(int worker) =>
            _squares[worker] = ReplicaGradients.Sum(_gradients, _gang.Workers, worker, _options.ClipGradientNorm > 0);

        private void UpdatePhase(int worker) => ReplicaGradients.Update(_state.Optimizer, _gradients[0], _gang.Workers, worker, _clipScale);

        private void ValidatePhase(int worker)
        {
            (int start, int count) = ReplicaGradients.Split(_data.ValidationCount, _gang.Workers, worker);
            _losses[worker] = _replicas[worker].Loss(_data, _data.TrainingCount + start, count, _chunkRows);
        }
    }
}
