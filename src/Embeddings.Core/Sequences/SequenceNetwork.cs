using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// The language model's network: embedding → recurrent layers (dropout between them) → linear → softmax
/// cross-entropy, with the forward and backward passes over a chunk of sequences.
/// </summary>
/// <remarks>
/// One instance holds the workspaces of one pass; training workers each use a <see cref="Replicate"/> that shares the
/// weights and accumulates its own gradients. Inputs are B sequences × T ids, sequence-major (as a batch is stored);
/// activations inside are time-major (see <see cref="RecurrentLayer"/>).
/// </remarks>
internal sealed class SequenceNetwork
{
    private float[][] _layerInputs = [];    // X_l, T·B × I_l: the embedding output, then each dropped-out hidden sequence
    private float[][] _layerOutputs = [];   // H_l, T·B × H
    private float[][] _masks = [];          // dropout masks between layers
    private float[] _logits = [];           // rows × V: logits, then ∂loss/∂logits
    private float[] _hiddenGradient = [];   // T·B × max(H, I): ∂loss/∂H_l
    private float[] _inputGradient = [];    // T·B × max(H, I): ∂loss/∂X_l
    private int[] _timeMajorTargets = [];
    private int _capacity;

    public SequenceNetwork(RecurrentCell cell, Parameter embedding, int hiddenSize, int layers, int outputs, float dropout)
    {
        Cell = cell;
        Dropout = dropout;
        Embedding = new EmbeddingLayer(embedding);
        Layers = new RecurrentLayer[layers];
        for (int l = 0; l < layers; l++)
        {
            Layers[l] = RecurrentLayer.Create(cell, l, l == 0 ? embedding.Columns : hiddenSize, hiddenSize);
        }

        Output = new LinearLayer("fc", hiddenSize, outputs);
        Parameters = [Embedding.Table, .. Layers.SelectMany(l => l.Parameters), Output.Weights, Output.Bias];
    }

    private SequenceNetwork(SequenceNetwork source)
    {
        Cell = source.Cell;
        Dropout = source.Dropout;
        Embedding = source.Embedding.Replicate();
        Layers = [.. source.Layers.Select(l => l.Replicate())];
        Output = source.Output.Replicate();
        Parameters = [Embedding.Table, .. Layers.SelectMany(l => l.Parameters), Output.Weights, Output.Bias];
    }

    public RecurrentCell Cell { get; }

    public float Dropout { get; }

    public EmbeddingLayer Embedding { get; }

    public RecurrentLayer[] Layers { get; }

    public LinearLayer Output { get; }

    public int HiddenSize => Output.Inputs;

    public int Classes => Output.Outputs;

    /// <summary>Every parameter, frozen ones included, in a fixed order (the order files store them in).</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The same weights, with gradients and workspaces of its own.</summary>
    public SequenceNetwork Replicate() => new(this);

    /// <summary>Recomputes every transposed weight copy, after the weights were set other than by the trainer's update.</summary>
    public void RefreshTransposes()
    {
        foreach (Parameter p in Parameters)
        {
            p.TransposeRows(0, p.Rows);
        }
    }

    public void ClearGradients()
    {
        foreach (Parameter p in Parameters)
        {
            p.ClearGradient();
        }
    }

    /// <summary>
    /// Forward and backward over <paramref name="batch"/> sequences: adds the gradients of
    /// <c>gradientScale · Σ losses</c> to the parameters and returns the summed loss (of every predicted token).
    /// </summary>
    /// <param name="inputs">B × T ids, sequence-major.</param>
    /// <param name="targets">B ids (<see cref="SequencePrediction.LastStep"/>) or B × T (<see cref="SequencePrediction.EveryStep"/>).</param>
    /// <param name="steps">T.</param>
    /// <param name="batch">B.</param>
    /// <param name="gradientScale">1 / the number of predictions the whole step's loss averages over.</param>
    /// <param name="carrySteps">Truncated back-propagation length (≥ T for the full gradient).</param>
    /// <param name="dropoutKey">The step's dropout stream (ignored without dropout).</param>
    /// <param name="firstSequence">The chunk's position in the step's batch, which keys its dropout masks.</param>
    public double TrainChunk(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int steps, int batch, float gradientScale, int carrySteps, ulong dropoutKey, int firstSequence)
    {
        bool everyStep = targets.Length == steps * batch && steps > 1;
        Span<float> logits = Forward(inputs, steps, batch, everyStep, training: true, dropoutKey, firstSequence);
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, OrderTargets(targets, steps, batch, everyStep), Classes, gradientScale);
        Backward(inputs, logits, steps, batch, everyStep, carrySteps);
        return loss;
    }

    /// <summary>The summed loss over <paramref name="batch"/> sequences, without dropout and without gradients.</summary>
    public double Loss(ReadOnlySpan<int> inputs, ReadOnlySpan<int> targets, int steps, int batch)
    {
        bool everyStep = targets.Length == steps * batch && steps > 1;
        Span<float> logits = Forward(inputs, steps, batch, everyStep, training: false, 0, 0);
        return SoftmaxCrossEntropy.LossAndGradient(logits, OrderTargets(targets, steps, batch, everyStep), Classes, 0f);
    }

    /// <summary>The summed loss of sequences [<paramref name="first"/>, +<paramref name="count"/>) of <paramref name="data"/>, in chunks of <paramref name="chunkRows"/>.</summary>
    public double Loss(SequenceDataset data, int first, int count, int chunkRows)
    {
        int t = data.Steps, perSequence = data.TargetsPerSequence, most = Math.Clamp(count, 1, chunkRows);
        int[] indices = new int[most], inputs = new int[most * t], targets = new int[most * perSequence];
        double loss = 0;
        for (int c = 0; c < count; c += chunkRows)
        {
            int rows = Math.Min(chunkRows, count - c);
            for (int i = 0; i < rows; i++)
            {
                indices[i] = first + c + i;
            }

            data.Gather(indices.AsSpan(0, rows), inputs, targets);
            loss += Loss(inputs.AsSpan(0, rows * t), targets.AsSpan(0, rows * perSequence), t, rows);
        }

        return loss;
    }

    /// <summary>The logits of the token after one sequence of <paramref name="context"/>.Length ids (for generation).</summary>
    public ReadOnlySpan<float> NextTokenLogits(ReadOnlySpan<int> context) =>
        Forward(context, context.Length, 1, everyStep: false, training: false, 0, 0);

    /// <summary>Runs the layers and the classifier; returns the logits (B rows, or T·B time-major rows for every step).</summary>
    private Span<float> Forward(ReadOnlySpan<int> inputs, int steps, int batch, bool everyStep, bool training, ulong dropoutKey, int firstSequence)
    {
        int rows = steps * batch;
        EnsureCapacity(rows);
        Embedding.Forward(inputs, _layerInputs[0], steps, batch);
        for (int l = 0; l < Layers.Length; l++)
        {
            Layers[l].Forward(_layerInputs[l], _layerOutputs[l], steps, batch);
            if (l + 1 < Layers.Length)
            {
                if (training && Dropout > 0)
                {
                    Sequences.Dropout.Apply(_layerOutputs[l], _layerInputs[l + 1], _masks[l], steps, batch, HiddenSize, Dropout, SplitMix64Random.Mix(dropoutKey, (ulong)l, 1), firstSequence);
                }
                else
                {
                    _layerOutputs[l].AsSpan(0, rows * HiddenSize).CopyTo(_layerInputs[l + 1]);
                }
            }
        }

        int predicted = everyStep ? rows : batch;
        Span<float> logits = _logits.AsSpan(0, predicted * Classes);
        Output.Forward(TopStates(steps, batch, everyStep), logits, predicted);
        return logits;
    }

    /// <summary>The top layer's states that are classified: all T·B rows, or the last step's block of B rows (contiguous, time-major).</summary>
    private Span<float> TopStates(int steps, int batch, bool everyStep)
    {
        int h = HiddenSize;
        return everyStep
            ? _layerOutputs[^1].AsSpan(0, steps * batch * h)
            : _layerOutputs[^1].AsSpan((steps - 1) * batch * h, batch * h);
    }

    private void Backward(ReadOnlySpan<int> inputs, ReadOnlySpan<float> logitGradient, int steps, int batch, bool everyStep, int carrySteps)
    {
        int rows = steps * batch, h = HiddenSize;
        Span<float> hiddenGradient = _hiddenGradient.AsSpan(0, rows * h);
        if (everyStep)
        {
            Output.Backward(TopStates(steps, batch, everyStep), logitGradient, hiddenGradient, rows);
        }
        else
        {
            // Only the last step is classified: the earlier steps' states get no direct gradient.
            hiddenGradient[..((steps - 1) * batch * h)].Clear();
            Output.Backward(TopStates(steps, batch, everyStep), logitGradient, hiddenGradient[((steps - 1) * batch * h)..], batch);
        }

        for (int l = Layers.Length - 1; l >= 0; l--)
        {
            bool needInputGradient = l > 0 || Embedding.Table.Trainable;
            int inputWidth = Layers[l].InputSize;
            Span<float> inputGradient = needInputGradient ? _inputGradient.AsSpan(0, rows * inputWidth) : [];
            Layers[l].Backward(_layerInputs[l], _layerOutputs[l], hiddenGradient, inputGradient, steps, batch, carrySteps);
            if (l > 0)
            {
                // The layer below's output gradient is this layer's input gradient, through its dropout mask.
                if (Dropout > 0)
                {
                    Sequences.Dropout.Backward(inputGradient, _masks[l - 1], hiddenGradient, rows * h);
                }
                else
                {
                    inputGradient.CopyTo(hiddenGradient);
                }
            }
            else if (needInputGradient)
            {
                Embedding.Backward(inputs, inputGradient, steps, batch);
            }
        }
    }

    private ReadOnlySpan<int> OrderTargets(ReadOnlySpan<int> targets, int steps, int batch, bool everyStep)
    {
        if (!everyStep)
        {
            return targets;
        }

        // Logit rows are time-major (t·B + b); the targets arrive sequence-major (b·T + t).
        for (int b = 0; b < batch; b++)
        {
            for (int t = 0; t < steps; t++)
            {
                _timeMajorTargets[t * batch + b] = targets[b * steps + t];
            }
        }

        return _timeMajorTargets.AsSpan(0, steps * batch);
    }

    private void EnsureCapacity(int rows)
    {
        if (rows <= _capacity)
        {
            return;
        }

        int h = HiddenSize, widest = Math.Max(h, Embedding.Dimensions);
        _layerInputs = new float[Layers.Length][];
        _layerOutputs = new float[Layers.Length][];
        _masks = new float[Math.Max(0, Layers.Length - 1)][];
        for (int l = 0; l < Layers.Length; l++)
        {
            _layerInputs[l] = new float[rows * (l == 0 ? Embedding.Dimensions : h)];
            _layerOutputs[l] = new float[rows * h];
            if (l + 1 < Layers.Length && Dropout > 0)
            {
                _masks[l] = new float[rows * h];
            }
        }

        _logits = new float[(long)rows * Classes <= int.MaxValue ? rows * Classes : throw new ArgumentException("The chunk's logits exceed 2^31 values; use a smaller batch.")];
        _hiddenGradient = new float[rows * widest];
        _inputGradient = new float[rows * widest];
        _timeMajorTargets = new int[rows];
        _capacity = rows;
    }
}
