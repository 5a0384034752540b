using System.Collections.Concurrent;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification.Networks;

/// <summary>
/// Trains and runs a <see cref="ClassifierLayers"/> on token-id arrays: epochs over seeded shuffles in mini-batches,
/// each batch split over worker threads (own replicas, gradients summed in worker order, then one optimiser step);
/// softmax probabilities for one example at a time, from any number of threads; the weights to and from a binary
/// stream (the model file's frame is the caller's).
/// </summary>
/// <remarks>
/// Training is not thread-safe (one epoch at a time); <see cref="Predict"/> is, as long as no epoch runs. With one
/// thread and a seed, runs are bit-identical.
/// </remarks>
internal abstract class NetworkClassifierEngine : IDisposable
{
    private const uint FormatVersion = 1;

    private readonly ConcurrentBag<ClassifierLayers> _predictors = [];
    private readonly float[]? _classWeights;
    private readonly int _deferredTable; // the embedding table's index in the optimiser when its untouched rows' updates are deferred, else −1
    private ClassifierLayers[] _replicas = [];
    private Parameter[][] _gradients = [];
    private WorkerGang? _gang;

    protected NetworkClassifierEngine(ClassifierLayers network, NetworkTraining training)
    {
        Network = network;
        Training = training;
        Optimizer = new Optimizer(training.Optimizer, network.Parameters, training.LazyEmbeddingUpdates);
        _classWeights = training.ClassWeights is { } weights ? [.. weights] : null;
        _deferredTable = Enumerable.Range(0, Optimizer.Parameters.Count)
            .FirstOrDefault(i => Optimizer.Parameters[i] == network.Embedding.Table && Optimizer.DefersUntouchedRows(i), -1);
    }

    /// <summary>The number of labels (output classes).</summary>
    public int Classes => Network.Classes;

    /// <summary>The vocabulary size of the embedding table.</summary>
    public int Tokens => Network.Embedding.Tokens;

    /// <summary>The training settings.</summary>
    public NetworkTraining Training { get; }

    /// <summary>The network whose weights are trained (replica 0).</summary>
    internal ClassifierLayers Network { get; }

    /// <summary>The optimiser and its state (for checkpoints).</summary>
    internal Optimizer Optimizer { get; }

    /// <summary>Optimiser steps finished in the epoch being trained (or last trained): where a cancelled epoch resumes.</summary>
    public int StepsDone { get; private set; }

    /// <summary>The loss of the last optimiser step (weighted by the class weights, as the epoch's mean is), for progress reports.</summary>
    public double StepLoss { get; private set; }

    /// <summary>Called after every optimiser step with the steps done in the epoch (tests cancel runs mid-epoch with it).</summary>
    internal Action<int>? AfterStep { get; set; }

    /// <summary>
    /// One epoch: the examples in an order shuffled by (seed, <paramref name="epoch"/>), one optimiser step per batch.
    /// Returns the mean loss of the batches it trained (weighted by the class weights, as PyTorch's mean reduction).
    /// </summary>
    /// <remarks>
    /// The shuffle and the dropout masks depend only on (seed, epoch, step), so a run cancelled after
    /// <see cref="StepsDone"/> steps, saved (<see cref="Write"/>, <see cref="WriteOptimizerState"/>) and resumed with
    /// <paramref name="firstStep"/> = that count repeats the uninterrupted run bit for bit with the same thread count.
    /// </remarks>
    /// <param name="examples">Token ids per example (each below <see cref="Tokens"/>; an empty one is classified by the biases alone).</param>
    /// <param name="labels">The class of each example, below <see cref="Classes"/>.</param>
    /// <param name="epoch">The epoch's number from 0: it keys the shuffle and the dropout masks.</param>
    /// <param name="learningRate">This epoch's learning rate, or null for the optimiser's.</param>
    /// <param name="firstStep">The step (batch) of the epoch to start at: 0, or <see cref="StepsDone"/> of a cancelled run.</param>
    /// <param name="cancellationToken">Checked before each batch: a cancelled epoch leaves the weights of the last finished step.</param>
    /// <exception cref="ArgumentException">The lists differ in length or are empty, or an id or label is out of range.</exception>
    public double TrainEpoch(
        IReadOnlyList<int[]> examples, IReadOnlyList<int> labels, int epoch, double? learningRate = null, int firstStep = 0, CancellationToken cancellationToken = default)
    {
        CheckData(examples, labels);
        int batchSize = Math.Min(Training.BatchSize, examples.Count);
        EnsureWorkers(Math.Max(1, Math.Min(Training.Threads, batchSize)));
        int[] order = ShuffledOrder(examples.Count, Training.Seed, epoch);
        double rate = learningRate ?? Training.Optimizer.LearningRate;
        double loss = 0, weight = 0;
        double[] losses = new double[_gang!.Workers];
        ArgumentOutOfRangeException.ThrowIfNegative(firstStep);
        StepsDone = firstStep;
        try
        {
            for (int step = firstStep, first = step * batchSize; first < order.Length; first += batchSize, step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ReadOnlyMemory<int> batch = order.AsMemory(first, Math.Min(batchSize, order.Length - first));
                double batchWeight = BatchWeight(batch.Span, labels);
                ulong dropoutKey = SplitMix64Random.Mix(Training.Seed, (ulong)epoch, (ulong)step);
                if (_deferredTable >= 0)
                {
                    // The rows this batch reads get the updates they missed first, each from one worker.
                    _gang.Run(worker => CatchUpRows(examples, batch.Span, _gang.Workers, worker));
                }

                _gang.Run(worker =>
                {
                    ClassifierLayers network = _replicas[worker];
                    network.ClearGradients();
                    (int start, int count) = ReplicaGradients.Split(batch.Length, _gang.Workers, worker);
                    var chunk = new TrainingChunk(examples, labels, batch.Slice(start, count), start, (float)(1 / batchWeight), _classWeights, dropoutKey);
                    losses[worker] = count == 0 ? 0 : network.Train(chunk);
                });
                ReplicaGradients.MergeTouchedRows(_gradients);
                Optimizer.BeginStep(rate);
                _gang.Run(worker =>
                {
                    ReplicaGradients.Sum(_gradients, _gang.Workers, worker, squares: false);
                    ReplicaGradients.Update(Optimizer, _gradients[0], _gang.Workers, worker, 1f);
                });
                loss += losses.Sum();
                weight += batchWeight;
                StepLoss = losses.Sum() / batchWeight;
                StepsDone = step + 1;
                AfterStep?.Invoke(StepsDone);
            }
        }
        finally
        {
            // Whatever reads the weights next (validation, a checkpoint, the model file) sees the dense run's.
            if (_deferredTable >= 0)
            {
                _gang.Run(worker => Optimizer.CatchUpAll(_gang.Workers, worker));
                Optimizer.EndDeferral();
            }
        }

        return weight > 0 ? loss / weight : double.NaN;
    }

    /// <summary>The probability of each class for one example (softmax of the logits). Thread-safe.</summary>
    /// <param name="tokens">The example's token ids, each below <see cref="Tokens"/>.</param>
    public float[] Predict(int[] tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        CheckIds(tokens, 0);

        // Each caller takes a network of its own from the pool (its workspaces are not shared), and puts it back.
        if (!_predictors.TryTake(out ClassifierLayers? network))
        {
            network = Network.Replicate();
        }

        float[] probabilities = new float[Classes];
        network.Logits(tokens, probabilities);
        _predictors.Add(network);
        SoftmaxCrossEntropy.Softmax(probabilities);
        return probabilities;
    }

    /// <summary>Writes every parameter (name, shape, values), the frozen embedding included.</summary>
    public void Write(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(FormatVersion);
        writer.Write(Network.Parameters.Count);
        foreach (Parameter p in Network.Parameters)
        {
            writer.Write(p.Name);
            writer.Write(p.Rows);
            writer.Write(p.Columns);
            WriteValues(writer, p.Value);
        }
    }

    /// <summary>Reads weights <see cref="Write"/> wrote for a network of the same shape, replacing this one's.</summary>
    /// <exception cref="InvalidDataException">The stream holds other parameters or shapes, or ends early.</exception>
    public void Read(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            uint version = reader.ReadUInt32();
            int count = reader.ReadInt32();
            if (version != FormatVersion || count != Network.Parameters.Count)
            {
                throw new InvalidDataException($"The network weights are of version {version} with {count} parameters; expected version {FormatVersion} with {Network.Parameters.Count}.");
            }

            foreach (Parameter p in Network.Parameters)
            {
                string name = reader.ReadString();
                int rows = reader.ReadInt32(), columns = reader.ReadInt32();
                if (name != p.Name || rows != p.Rows || columns != p.Columns)
                {
                    throw new InvalidDataException($"The network weights hold '{name}' ({rows} × {columns}) where '{p.Name}' ({p.Rows} × {p.Columns}) was expected.");
                }

                ReadValues(reader, p.Value);
            }
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The network weights end early.", e);
        }

        Network.RefreshTransposes();
    }

    /// <summary>Writes the optimiser's step count and state (Adam's moments), so that a checkpoint resumes exactly.</summary>
    public void WriteOptimizerState(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Optimizer.Steps);
        writer.Write(Optimizer.State.Length);
        foreach (float[] state in Optimizer.State)
        {
            writer.Write(state.Length);
            WriteValues(writer, state);
        }
    }

    /// <summary>Reads what <see cref="WriteOptimizerState"/> wrote for the same network and optimiser.</summary>
    /// <exception cref="InvalidDataException">The state does not fit this optimiser, or ends early.</exception>
    public void ReadOptimizerState(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        try
        {
            long steps = reader.ReadInt64();
            int buffers = reader.ReadInt32();
            if (steps < 0 || buffers != Optimizer.State.Length)
            {
                throw new InvalidDataException($"The optimiser state has {buffers} buffers where {Optimizer.State.Length} were expected.");
            }

            foreach (float[] state in Optimizer.State)
            {
                int length = reader.ReadInt32();
                if (length != state.Length)
                {
                    throw new InvalidDataException($"An optimiser buffer has {length} values where {state.Length} were expected.");
                }

                ReadValues(reader, state);
            }

            Optimizer.Steps = steps;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The optimiser state ends early.", e);
        }
    }

    public void Dispose()
    {
        _gang?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static void WriteValues(BinaryWriter writer, float[] values)
    {
        foreach (float v in values)
        {
            writer.Write(v);
        }
    }

    private static void ReadValues(BinaryReader reader, float[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadSingle();
        }
    }

    /// <summary>0, 1, …, count − 1 shuffled (Fisher–Yates) by a stream keyed by (seed, epoch).</summary>
    private static int[] ShuffledOrder(int count, ulong seed, int epoch)
    {
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        SplitMix64Random random = SplitMix64Random.For(seed, (ulong)epoch, 0x5348);
        for (int i = count - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        return order;
    }

    /// <summary>Worker <paramref name="worker"/>'s share (by row number) of the embedding rows the batch's examples read, brought up to date.</summary>
    private void CatchUpRows(IReadOnlyList<int[]> examples, ReadOnlySpan<int> batch, int workers, int worker)
    {
        foreach (int example in batch)
        {
            foreach (int id in examples[example])
            {
                if (id % workers == worker)
                {
                    Optimizer.CatchUp(_deferredTable, id);
                }
            }
        }
    }

    /// <summary>What the batch's loss is averaged over: its examples' class weights summed (their count without weights).</summary>
    private double BatchWeight(ReadOnlySpan<int> batch, IReadOnlyList<int> labels)
    {
        if (_classWeights is null)
        {
            return batch.Length;
        }

        double sum = 0;
        foreach (int example in batch)
        {
            sum += _classWeights[labels[example]];
        }

        return sum;
    }

    private void EnsureWorkers(int workers)
    {
        if (_gang?.Workers == workers)
        {
            return;
        }

        _gang?.Dispose();
        _gang = new WorkerGang(workers);
        _replicas = [Network, .. Enumerable.Range(1, workers - 1).Select(_ => Network.Replicate())];
        _gradients = [.. _replicas.Select(r => r.Parameters.Where(p => p.Trainable).ToArray())];
    }

    private void CheckData(IReadOnlyList<int[]> examples, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(labels);
        if (examples.Count == 0 || examples.Count != labels.Count)
        {
            throw new ArgumentException($"Training needs one label per example and at least one example ({examples.Count} examples, {labels.Count} labels).", nameof(labels));
        }

        for (int i = 0; i < examples.Count; i++)
        {
            if ((uint)labels[i] >= (uint)Classes)
            {
                throw new ArgumentException($"Example {i} has label {labels[i]}, outside the {Classes} classes.", nameof(labels));
            }

            CheckIds(examples[i] ?? throw new ArgumentException($"Example {i} is null.", nameof(examples)), i);
        }
    }

    private void CheckIds(int[] tokens, int example)
    {
        foreach (int id in tokens)
        {
            if ((uint)id >= (uint)Tokens)
            {
                throw new ArgumentException($"Example {example} has token id {id}, outside the vocabulary of {Tokens}.", nameof(tokens));
            }
        }
    }
}
