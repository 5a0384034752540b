using System.Numerics.Tensors;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification.Networks;

/// <summary>
/// The sequence-to-vector recurrent classifier (the course notes' sentiment network): token vectors → stacked RNN, GRU
/// or LSTM layers, optionally bidirectional → the last step's state, or the mean or maximum of the top layer's states
/// → a linear layer → softmax over the labels.
/// </summary>
/// <remarks>
/// Sequences of different lengths are not padded: a worker's examples are grouped by length and each group runs as
/// one batch, so every state is that of the example's own tokens.
/// </remarks>
internal sealed class RecurrentClassifierEngine : NetworkClassifierEngine
{
    /// <summary>A network with its weights drawn from the options' seed (PyTorch's U(±1/√H)).</summary>
    /// <exception cref="Options.InvalidOptionsException">An option or the embedding's sizes are out of range.</exception>
    public RecurrentClassifierEngine(RecurrentNetworkOptions options, int classes, NetworkEmbedding embedding)
        : base(Create(options, classes, embedding), options.Training) => Options = options;

    public RecurrentNetworkOptions Options { get; }

    private static RecurrentClassifierNetwork Create(RecurrentNetworkOptions options, int classes, NetworkEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embedding);
        options.Validate(classes);
        embedding.Validate();
        return new RecurrentClassifierNetwork(options, classes, embedding);
    }
}

/// <summary>The recurrent classifier's layers and the workspaces of one pass over a batch of equal-length sequences.</summary>
/// <remarks>Activations are time-major (see <see cref="RecurrentLayer"/>); a reverse layer reads and writes its steps in reversed order.</remarks>
internal sealed class RecurrentClassifierNetwork : ClassifierLayers
{
    private readonly RecurrentNetworkOptions _options;
    private readonly RecurrentLayer[] _forward;
    private readonly RecurrentLayer[] _reverse;   // empty unless bidirectional
    private readonly Parameter[] _parameters;
    private float[][] _inputs = [];         // X_l, T·B × I_l
    private float[][] _reversedInputs = []; // X_l with its steps reversed, for the reverse layer
    private float[][] _forwardStates = [];  // T·B × H
    private float[][] _reverseStates = [];  // T·B × H, in the reverse layer's (reversed) step order
    private float[][] _outputs = [];        // T·B × W: the forward states ‖ the reverse states of the same step (the forward states alone when unidirectional)
    private float[][] _masks = [];          // dropout between layers, T·B × W
    private float[] _stateGradient = [];    // T·B × W: ∂loss/∂outputs of the layer being back-propagated
    private float[] _forwardGradient = [];  // T·B × H
    private float[] _reverseGradient = [];  // T·B × H
    private float[] _inputGradient = [];    // T·B × max(D, W)
    private float[] _reversedInputGradient = [];
    private float[] _pooled = [];           // B × W: the representation before dropout
    private float[] _representation = [];   // B × W
    private float[] _representationMask = [];
    private float[] _representationGradient = [];
    private int[] _argmax = [];             // B × W
    private float[] _logits = [];           // B × classes
    private int[] _ids = [];                // B × T, sequence-major
    private int[] _targets = [];
    private int[] _positions = [];
    private int _rows;
    private int _batch;

    public RecurrentClassifierNetwork(RecurrentNetworkOptions options, int classes, NetworkEmbedding embedding)
        : this(options, CreateEmbedding(embedding, options.Training), CreateLayers(options, embedding.Dimensions, reverse: false),
               options.Bidirectional ? CreateLayers(options, embedding.Dimensions, reverse: true) : [], null, classes)
    {
        SplitMix64Random random = SplitMix64Random.For(options.Training.Seed, 0x494E4954);
        float bound = 1f / MathF.Sqrt(options.HiddenSize);
        foreach (Parameter parameter in _parameters.Skip(1).SkipLast(2))
        {
            for (int i = 0; i < parameter.Length; i++)
            {
                parameter.Value[i] = random.NextUniform(-bound, bound);
            }
        }

        Initialise(Output, WeightInitialization.Uniform, ref random);
        RefreshTransposes();
    }

    private RecurrentClassifierNetwork(RecurrentNetworkOptions options, EmbeddingLayer embedding, RecurrentLayer[] forward, RecurrentLayer[] reverse, LinearLayer? output, int classes)
        : base(embedding, output ?? new LinearLayer("fc", Width(options), classes))
    {
        _options = options;
        _forward = forward;
        _reverse = reverse;
        _parameters =
        [
            Embedding.Table,
            .. Enumerable.Range(0, forward.Length).SelectMany(l => reverse.Length == 0 ? forward[l].Parameters : [.. forward[l].Parameters, .. reverse[l].Parameters]),
            Output.Weights,
            Output.Bias,
        ];
    }

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    private bool Bidirectional => _reverse.Length > 0;

    private int Hidden => _options.HiddenSize;

    public override ClassifierLayers Replicate() =>
        new RecurrentClassifierNetwork(
            _options, Embedding.Replicate(), [.. _forward.Select(l => l.Replicate())], [.. _reverse.Select(l => l.Replicate())], Output.Replicate(), Classes);

    public override double Train(in TrainingChunk chunk)
    {
        ReadOnlySpan<int> examples = chunk.Examples.Span;

        // Equal lengths run together: sort the chunk by (length, position) and take each run of one length as a batch.
        int[] byLength = new int[examples.Length];
        long[] keys = new long[examples.Length];
        for (int i = 0; i < examples.Length; i++)
        {
            byLength[i] = i;
            keys[i] = ((long)Length(chunk.Tokens[examples[i]]) << 32) | (uint)i;
        }

        Array.Sort(keys, byLength);
        double loss = 0;
        for (int first = 0; first < byLength.Length;)
        {
            int steps = Length(chunk.Tokens[examples[byLength[first]]]), batch = 1;
            while (first + batch < byLength.Length && Length(chunk.Tokens[examples[byLength[first + batch]]]) == steps)
            {
                batch++;
            }

            EnsureCapacity(steps * batch, batch);
            for (int b = 0; b < batch; b++)
            {
                int local = byLength[first + b], example = examples[local];
                chunk.Tokens[example].AsSpan(0, steps).CopyTo(_ids.AsSpan(b * steps, steps));
                _targets[b] = chunk.Labels[example];
                _positions[b] = chunk.FirstPosition + local;
            }

            Span<float> logits = Forward(steps, batch, training: true, chunk.DropoutKey);
            loss += SoftmaxCrossEntropy.LossAndGradient(logits, _targets.AsSpan(0, batch), Classes, chunk.GradientScale, chunk.ClassWeights);
            Backward(logits, steps, batch);
            first += batch;
        }

        return loss;
    }

    public override void Logits(int[] tokens, Span<float> logits)
    {
        int steps = Length(tokens);
        EnsureCapacity(steps, 1);
        tokens.AsSpan(0, steps).CopyTo(_ids);
        Forward(steps, 1, training: false, 0).CopyTo(logits);
    }

    private static int Width(RecurrentNetworkOptions options) => options.Bidirectional ? 2 * options.HiddenSize : options.HiddenSize;

    private static RecurrentLayer[] CreateLayers(RecurrentNetworkOptions options, int dimensions, bool reverse) =>
        [.. Enumerable.Range(0, options.Layers).Select(l => RecurrentLayer.Create(options.Cell, l, l == 0 ? dimensions : Width(options), options.HiddenSize, reverse))];

    /// <summary>The number of steps an example runs: its tokens, cut at the maximum length.</summary>
    private int Length(int[] tokens) => _options.MaxLength > 0 ? Math.Min(tokens.Length, _options.MaxLength) : tokens.Length;

    private Span<float> Forward(int steps, int batch, bool training, ulong dropoutKey)
    {
        int rows = steps * batch, h = Hidden, width = Width(_options), layers = _forward.Length;
        bool dropout = training && _options.Dropout > 0;
        Span<float> pooled = _pooled.AsSpan(0, batch * width);
        if (steps == 0)
        {
            pooled.Clear();
        }
        else
        {
            Embedding.Forward(_ids.AsSpan(0, rows), _inputs[0], steps, batch);
            for (int l = 0; l < layers; l++)
            {
                _forward[l].Forward(_inputs[l], _forwardStates[l], steps, batch);
                if (Bidirectional)
                {
                    int inputs = _forward[l].InputSize;
                    ReverseSteps(_inputs[l], _reversedInputs[l], steps, batch, inputs);
                    _reverse[l].Forward(_reversedInputs[l], _reverseStates[l], steps, batch);
                    Concatenate(_forwardStates[l], _reverseStates[l], _outputs[l], steps, batch, h);
                }

                if (l + 1 < layers)
                {
                    if (dropout)
                    {
                        Dropout.Apply(_outputs[l], _inputs[l + 1], _masks[l], steps, width, _options.Dropout, SplitMix64Random.Mix(dropoutKey, (ulong)l, 1), _positions.AsSpan(0, batch));
                    }
                    else
                    {
                        _outputs[l].AsSpan(0, rows * width).CopyTo(_inputs[l + 1]);
                    }
                }
            }

            Represent(steps, batch, pooled);
        }

        Span<float> representation = _representation.AsSpan(0, batch * width);
        if (dropout)
        {
            Dropout.Apply(pooled, representation, _representationMask, 1, width, _options.Dropout, SplitMix64Random.Mix(dropoutKey, (ulong)layers, 2), _positions.AsSpan(0, batch));
        }
        else
        {
            pooled.CopyTo(representation);
        }

        Span<float> logits = _logits.AsSpan(0, batch * Classes);
        Output.Forward(representation, logits, batch);
        return logits;
    }

    /// <summary>One vector per sequence from the top layer: the last step (the reverse direction's last, i.e. the first token), or pooled over the steps.</summary>
    private void Represent(int steps, int batch, Span<float> pooled)
    {
        int h = Hidden, width = Width(_options), last = (steps - 1) * batch;
        float[] top = _outputs[^1];
        switch (_options.Representation)
        {
            case SequenceRepresentation.Mean:
                SequencePooling.Mean(top, pooled, steps, batch, width, width);
                break;
            case SequenceRepresentation.Max:
                SequencePooling.Max(top, pooled, _argmax, steps, batch, width, width);
                break;
            default:
                for (int b = 0; b < batch; b++)
                {
                    _forwardStates[^1].AsSpan((last + b) * h, h).CopyTo(pooled.Slice(b * width, h));
                    if (Bidirectional)
                    {
                        _reverseStates[^1].AsSpan((last + b) * h, h).CopyTo(pooled.Slice((b * width) + h, h));
                    }
                }

                break;
        }
    }

    private void Backward(ReadOnlySpan<float> logitGradient, int steps, int batch)
    {
        int rows = steps * batch, h = Hidden, width = Width(_options), layers = _forward.Length;
        Span<float> representationGradient = _representationGradient.AsSpan(0, batch * width);
        Output.Backward(_representation, logitGradient, steps == 0 ? [] : representationGradient, batch);
        if (steps == 0)
        {
            return;
        }

        if (_options.Dropout > 0)
        {
            Dropout.Backward(representationGradient, _representationMask, representationGradient, batch * width);
        }

        Span<float> stateGradient = _stateGradient.AsSpan(0, rows * width);
        stateGradient.Clear();
        switch (_options.Representation)
        {
            case SequenceRepresentation.Mean:
                SequencePooling.MeanBackward(representationGradient, stateGradient, steps, batch, width, width);
                break;
            case SequenceRepresentation.Max:
                SequencePooling.MaxBackward(representationGradient, _argmax, stateGradient, steps, batch, width, width);
                break;
            default:
                for (int b = 0; b < batch; b++)
                {
                    // The forward half belongs to the last step; the reverse half to the first (its own last).
                    representationGradient.Slice(b * width, h).CopyTo(stateGradient.Slice(((steps - 1) * batch + b) * width, h));
                    if (Bidirectional)
                    {
                        representationGradient.Slice((b * width) + h, h).CopyTo(stateGradient.Slice((b * width) + h, h));
                    }
                }

                break;
        }

        for (int l = layers - 1; l >= 0; l--)
        {
            int inputs = _forward[l].InputSize;
            bool needInputGradient = l > 0 || Embedding.Table.Trainable;
            Span<float> inputGradient = needInputGradient ? _inputGradient.AsSpan(0, rows * inputs) : [];
            Span<float> forwardGradient = Bidirectional ? _forwardGradient.AsSpan(0, rows * h) : stateGradient;
            if (Bidirectional)
            {
                Split(stateGradient, forwardGradient, _reverseGradient, steps, batch, h);
            }

            _forward[l].Backward(_inputs[l], _forwardStates[l], forwardGradient, inputGradient, steps, batch, steps);
            if (Bidirectional)
            {
                Span<float> reversedInputGradient = needInputGradient ? _reversedInputGradient.AsSpan(0, rows * inputs) : [];
                _reverse[l].Backward(_reversedInputs[l], _reverseStates[l], _reverseGradient, reversedInputGradient, steps, batch, steps);
                if (needInputGradient)
                {
                    AddReversedSteps(reversedInputGradient, inputGradient, steps, batch, inputs);
                }
            }

            if (l > 0)
            {
                if (_options.Dropout > 0)
                {
                    Dropout.Backward(inputGradient, _masks[l - 1], stateGradient, rows * width);
                }
                else
                {
                    inputGradient.CopyTo(stateGradient);
                }
            }
            else if (needInputGradient)
            {
                Embedding.Backward(_ids.AsSpan(0, rows), inputGradient, steps, batch);
            }
        }
    }

    /// <summary><c>destination</c> step t = <c>source</c> step T − 1 − t (blocks of B rows of <paramref name="width"/>).</summary>
    private static void ReverseSteps(ReadOnlySpan<float> source, Span<float> destination, int steps, int batch, int width)
    {
        int block = batch * width;
        for (int t = 0; t < steps; t++)
        {
            source.Slice((steps - 1 - t) * block, block).CopyTo(destination.Slice(t * block, block));
        }
    }

    /// <summary><c>destination</c> step t += <c>source</c> step T − 1 − t.</summary>
    private static void AddReversedSteps(ReadOnlySpan<float> source, Span<float> destination, int steps, int batch, int width)
    {
        int block = batch * width;
        for (int t = 0; t < steps; t++)
        {
            Span<float> target = destination.Slice(t * block, block);
            TensorPrimitives.Add(target, source.Slice((steps - 1 - t) * block, block), target);
        }
    }

    /// <summary>Output row (t, b) = forward state (t, b) ‖ reverse state (T − 1 − t, b), which saw the same token last.</summary>
    private static void Concatenate(ReadOnlySpan<float> forward, ReadOnlySpan<float> reverse, Span<float> output, int steps, int batch, int h)
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (t * batch) + b, reversedRow = ((steps - 1 - t) * batch) + b;
                forward.Slice(row * h, h).CopyTo(output.Slice(row * 2 * h, h));
                reverse.Slice(reversedRow * h, h).CopyTo(output.Slice((row * 2 * h) + h, h));
            }
        }
    }

    /// <summary>The inverse of <see cref="Concatenate"/> for gradients.</summary>
    private static void Split(ReadOnlySpan<float> output, Span<float> forward, Span<float> reverse, int steps, int batch, int h)
    {
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                int row = (t * batch) + b, reversedRow = ((steps - 1 - t) * batch) + b;
                output.Slice(row * 2 * h, h).CopyTo(forward.Slice(row * h, h));
                output.Slice((row * 2 * h) + h, h).CopyTo(reverse.Slice(reversedRow * h, h));
            }
        }
    }

    private void EnsureCapacity(int rows, int batch)
    {
        int width = Width(_options), classes = Classes;
        if (batch > _batch)
        {
            _pooled = new float[batch * width];
            _representation = new float[batch * width];
            _representationMask = new float[batch * width];
            _representationGradient = new float[batch * width];
            _argmax = new int[batch * width];
            _logits = new float[batch * classes];
            _targets = new int[batch];
            _positions = new int[batch];
            _batch = batch;
        }

        if (rows <= _rows)
        {
            return;
        }

        int layers = _forward.Length, h = Hidden, widest = Math.Max(Embedding.Dimensions, width);
        _inputs = new float[layers][];
        _reversedInputs = new float[layers][];
        _forwardStates = new float[layers][];
        _reverseStates = new float[layers][];
        _outputs = new float[layers][];
        _masks = new float[layers][];
        for (int l = 0; l < layers; l++)
        {
            int inputs = _forward[l].InputSize;
            _inputs[l] = new float[rows * inputs];
            _forwardStates[l] = new float[rows * h];
            _reversedInputs[l] = Bidirectional ? new float[rows * inputs] : [];
            _reverseStates[l] = Bidirectional ? new float[rows * h] : [];
            _outputs[l] = Bidirectional ? new float[rows * width] : _forwardStates[l];
            _masks[l] = _options.Dropout > 0 ? new float[rows * width] : [];
        }

        _stateGradient = new float[rows * width];
        _forwardGradient = Bidirectional ? new float[rows * h] : [];
        _reverseGradient = Bidirectional ? new float[rows * h] : [];
        _inputGradient = new float[rows * widest];
        _reversedInputGradient = Bidirectional ? new float[rows * widest] : [];
        _ids = new int[rows];
        _rows = rows;
    }
}
