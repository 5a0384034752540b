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
/// Sequences of different lengths are not padded: a worker's examples run as one packed batch (PyTorch's
/// <c>pack_padded_sequence</c>), longest first, each step over the sequences still running, so every state is that of
/// the example's own tokens.
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

/// <summary>The recurrent classifier's layers and the workspaces of one pass over a packed batch of sequences.</summary>
/// <remarks>
/// A batch is packed (see <see cref="RecurrentLayer"/>): its sequences sorted by length, longest first, and step t's
/// rows, one per sequence still running, after those of the steps before it, so that sequence b's step t is row
/// <c>offset[t] + b</c>. The reverse layer reads each sequence's own tokens backwards, so its step t is token
/// len − 1 − t; the sequences running at that step are again the first n_t, and it uses the same packing, its rows
/// mirrored (<see cref="_mirror"/>) against the forward ones.
/// </remarks>
internal sealed class RecurrentClassifierNetwork : ClassifierLayers
{
    private readonly RecurrentNetworkOptions _options;
    private readonly RecurrentLayer[] _forward;
    private readonly RecurrentLayer[] _reverse;   // empty unless bidirectional
    private readonly Parameter[] _parameters;
    private float[][] _inputs = [];         // X_l, rows × I_l
    private float[][] _reversedInputs = []; // X_l in the reverse layer's row order
    private float[][] _forwardStates = [];  // rows × H
    private float[][] _reverseStates = [];  // rows × H, in the reverse layer's row order
    private float[][] _outputs = [];        // rows × W: the forward states ‖ the reverse states of the same token (the forward states alone when unidirectional)
    private float[][] _masks = [];          // dropout between layers, rows × W
    private float[] _stateGradient = [];    // rows × W: ∂loss/∂outputs of the layer being back-propagated
    private float[] _forwardGradient = [];  // rows × H
    private float[] _reverseGradient = [];  // rows × H
    private float[] _inputGradient = [];    // rows × max(D, W)
    private float[] _reversedInputGradient = [];
    private float[] _pooled = [];           // B × W: the representation before dropout
    private float[] _representation = [];   // B × W
    private float[] _representationMask = [];
    private float[] _representationGradient = [];
    private int[] _argmax = [];             // B × W
    private float[] _logits = [];           // B × classes
    private int[] _ids = [];                // rows, packed
    private int[] _mirror = [];             // rows: the reverse layer's row of the same token (and back)
    private int[] _targets = [];
    private int[] _positions = [];
    private int[] _lengths = [];            // B, non-increasing
    private int[] _batchSizes = [];         // n_t, T values
    private int[] _offsets = [0];           // the first row of each step, then the number of rows (T + 1 values)
    private long[] _sortKeys = [];
    private int[] _order = [];
    private int _steps;
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
        int batch = examples.Length;
        EnsureBatch(batch);

        // The whole chunk is one packed batch: longest first, ties in chunk order, so the packing is deterministic.
        if (_sortKeys.Length < batch)
        {
            _sortKeys = new long[batch];
            _order = new int[batch];
        }

        for (int i = 0; i < batch; i++)
        {
            _order[i] = i;
            _sortKeys[i] = (-(long)Length(chunk.Tokens[examples[i]]) << 32) | (uint)i;
        }

        Array.Sort(_sortKeys, _order, 0, batch);
        for (int b = 0; b < batch; b++)
        {
            int local = _order[b], example = examples[local];
            _lengths[b] = Length(chunk.Tokens[example]);
            _targets[b] = chunk.Labels[example];
            _positions[b] = chunk.FirstPosition + local;
        }

        Pack(batch);
        for (int b = 0; b < batch; b++)
        {
            Gather(chunk.Tokens[examples[_order[b]]], b);
        }

        Span<float> logits = Forward(batch, training: true, chunk.DropoutKey);
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, _targets.AsSpan(0, batch), Classes, chunk.GradientScale, chunk.ClassWeights);
        Backward(logits, batch);
        return loss;
    }

    public override void Logits(int[] tokens, Span<float> logits)
    {
        EnsureBatch(1);
        _lengths[0] = Length(tokens);
        Pack(1);
        Gather(tokens, 0);
        Forward(1, training: false, 0).CopyTo(logits);
    }

    private static int Width(RecurrentNetworkOptions options) => options.Bidirectional ? 2 * options.HiddenSize : options.HiddenSize;

    private static RecurrentLayer[] CreateLayers(RecurrentNetworkOptions options, int dimensions, bool reverse) =>
        [.. Enumerable.Range(0, options.Layers).Select(l => RecurrentLayer.Create(options.Cell, l, l == 0 ? dimensions : Width(options), options.HiddenSize, reverse))];

    /// <summary>The number of steps an example runs: its tokens, cut at the maximum length.</summary>
    private int Length(int[] tokens) => _options.MaxLength > 0 ? Math.Min(tokens.Length, _options.MaxLength) : tokens.Length;

    /// <summary>The packing of <see cref="_lengths"/> (sorted, longest first): n_t, the step offsets and the reverse layer's mirrored rows.</summary>
    private void Pack(int batch)
    {
        int steps = batch == 0 ? 0 : _lengths[0];
        if (_batchSizes.Length < steps)
        {
            _batchSizes = new int[steps];
            _offsets = new int[steps + 1];
        }

        int running = batch;
        for (int t = 0; t < steps; t++)
        {
            while (_lengths[running - 1] <= t)
            {
                running--;
            }

            _batchSizes[t] = running;
            _offsets[t + 1] = _offsets[t] + running;
        }

        _steps = steps;
        int rows = _offsets[steps];
        EnsureRows(rows);

        // Sequence b's token t is the forward layer's step t and the reverse layer's step len − 1 − t.
        for (int b = 0; b < batch; b++)
        {
            int length = _lengths[b];
            for (int t = 0; t < length; t++)
            {
                _mirror[_offsets[t] + b] = _offsets[length - 1 - t] + b;
            }
        }
    }

    /// <summary>Writes the ids of sequence <paramref name="b"/>'s steps into their packed rows.</summary>
    private void Gather(int[] tokens, int b)
    {
        for (int t = 0; t < _lengths[b]; t++)
        {
            _ids[_offsets[t] + b] = tokens[t];
        }
    }

    private ReadOnlySpan<int> BatchSizes => _batchSizes.AsSpan(0, _steps);

    private ReadOnlySpan<int> Offsets => _offsets.AsSpan(0, _steps + 1);

    private Span<float> Forward(int batch, bool training, ulong dropoutKey)
    {
        int rows = _offsets[_steps], h = Hidden, width = Width(_options), layers = _forward.Length;
        bool dropout = training && _options.Dropout > 0;
        Span<float> pooled = _pooled.AsSpan(0, batch * width);
        if (_steps == 0)
        {
            pooled.Clear();
        }
        else
        {
            Embedding.Forward(_ids.AsSpan(0, rows), _inputs[0], 1, rows);
            for (int l = 0; l < layers; l++)
            {
                _forward[l].Forward(_inputs[l], _forwardStates[l], BatchSizes);
                if (Bidirectional)
                {
                    int inputs = _forward[l].InputSize;
                    Mirror(_inputs[l], _reversedInputs[l], rows, inputs);
                    _reverse[l].Forward(_reversedInputs[l], _reverseStates[l], BatchSizes);
                    Concatenate(_forwardStates[l], _reverseStates[l], _outputs[l], rows, h);
                }

                if (l + 1 < layers)
                {
                    if (dropout)
                    {
                        Dropout.Apply(_outputs[l], _inputs[l + 1], _masks[l], Offsets, _lengths.AsSpan(0, batch), width, _options.Dropout, SplitMix64Random.Mix(dropoutKey, (ulong)l, 1), _positions.AsSpan(0, batch));
                    }
                    else
                    {
                        _outputs[l].AsSpan(0, rows * width).CopyTo(_inputs[l + 1]);
                    }
                }
            }

            Represent(batch, pooled);
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

    /// <summary>One vector per sequence from the top layer over its own steps: its last step (the reverse direction's last, i.e. the first token), or pooled.</summary>
    private void Represent(int batch, Span<float> pooled)
    {
        int h = Hidden, width = Width(_options);
        float[] top = _outputs[^1];
        ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
        switch (_options.Representation)
        {
            case SequenceRepresentation.Mean:
                SequencePooling.Mean(top, pooled, Offsets, lengths, width);
                break;
            case SequenceRepresentation.Max:
                SequencePooling.Max(top, pooled, _argmax, Offsets, lengths, width);
                break;
            default:
                for (int b = 0; b < batch; b++)
                {
                    if (lengths[b] == 0)
                    {
                        pooled.Slice(b * width, width).Clear();
                        continue;
                    }

                    // Both directions' last step is the same packed row number, step len − 1, in their own order.
                    int last = _offsets[lengths[b] - 1] + b;
                    _forwardStates[^1].AsSpan(last * h, h).CopyTo(pooled.Slice(b * width, h));
                    if (Bidirectional)
                    {
                        _reverseStates[^1].AsSpan(last * h, h).CopyTo(pooled.Slice((b * width) + h, h));
                    }
                }

                break;
        }
    }

    private void Backward(ReadOnlySpan<float> logitGradient, int batch)
    {
        int rows = _offsets[_steps], h = Hidden, width = Width(_options), layers = _forward.Length;
        Span<float> representationGradient = _representationGradient.AsSpan(0, batch * width);
        Output.Backward(_representation, logitGradient, _steps == 0 ? [] : representationGradient, batch);
        if (_steps == 0)
        {
            return;
        }

        if (_options.Dropout > 0)
        {
            Dropout.Backward(representationGradient, _representationMask, representationGradient, batch * width);
        }

        Span<float> stateGradient = _stateGradient.AsSpan(0, rows * width);
        stateGradient.Clear();
        ReadOnlySpan<int> lengths = _lengths.AsSpan(0, batch);
        switch (_options.Representation)
        {
            case SequenceRepresentation.Mean:
                SequencePooling.MeanBackward(representationGradient, stateGradient, Offsets, lengths, width);
                break;
            case SequenceRepresentation.Max:
                SequencePooling.MaxBackward(representationGradient, _argmax, stateGradient, Offsets, lengths, width);
                break;
            default:
                for (int b = 0; b < batch && lengths[b] > 0; b++)
                {
                    // The forward half belongs to the last token's row; the reverse half to the first token's (its own last).
                    representationGradient.Slice(b * width, h).CopyTo(stateGradient.Slice((_offsets[lengths[b] - 1] + b) * width, h));
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
                Split(stateGradient, forwardGradient, _reverseGradient, rows, h);
            }

            _forward[l].Backward(_inputs[l], _forwardStates[l], forwardGradient, inputGradient, BatchSizes);
            if (Bidirectional)
            {
                Span<float> reversedInputGradient = needInputGradient ? _reversedInputGradient.AsSpan(0, rows * inputs) : [];
                _reverse[l].Backward(_reversedInputs[l], _reverseStates[l], _reverseGradient, reversedInputGradient, BatchSizes);
                if (needInputGradient)
                {
                    AddMirrored(reversedInputGradient, inputGradient, rows, inputs);
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
                Embedding.Backward(_ids.AsSpan(0, rows), inputGradient, 1, rows);
            }
        }
    }

    /// <summary><c>destination</c> row r = <c>source</c> row <c>mirror[r]</c>: the forward layer's rows in the reverse layer's order.</summary>
    private void Mirror(ReadOnlySpan<float> source, Span<float> destination, int rows, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            source.Slice(_mirror[r] * width, width).CopyTo(destination.Slice(r * width, width));
        }
    }

    /// <summary><c>destination</c> row r += <c>source</c> row <c>mirror[r]</c>.</summary>
    private void AddMirrored(ReadOnlySpan<float> source, Span<float> destination, int rows, int width)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> target = destination.Slice(r * width, width);
            TensorPrimitives.Add(target, source.Slice(_mirror[r] * width, width), target);
        }
    }

    /// <summary>Output row r = forward state r ‖ the reverse state of the same token, which saw that token last.</summary>
    private void Concatenate(ReadOnlySpan<float> forward, ReadOnlySpan<float> reverse, Span<float> output, int rows, int h)
    {
        for (int r = 0; r < rows; r++)
        {
            forward.Slice(r * h, h).CopyTo(output.Slice(r * 2 * h, h));
            reverse.Slice(_mirror[r] * h, h).CopyTo(output.Slice((r * 2 * h) + h, h));
        }
    }

    /// <summary>The inverse of <see cref="Concatenate"/> for gradients.</summary>
    private void Split(ReadOnlySpan<float> output, Span<float> forward, Span<float> reverse, int rows, int h)
    {
        for (int r = 0; r < rows; r++)
        {
            output.Slice(r * 2 * h, h).CopyTo(forward.Slice(r * h, h));
            output.Slice((r * 2 * h) + h, h).CopyTo(reverse.Slice(_mirror[r] * h, h));
        }
    }

    private void EnsureBatch(int batch)
    {
        int width = Width(_options), classes = Classes;
        if (batch <= _batch)
        {
            return;
        }

        _pooled = new float[batch * width];
        _representation = new float[batch * width];
        _representationMask = new float[batch * width];
        _representationGradient = new float[batch * width];
        _argmax = new int[batch * width];
        _logits = new float[batch * classes];
        _targets = new int[batch];
        _positions = new int[batch];
        _lengths = new int[batch];
        _batch = batch;
    }

    private void EnsureRows(int rows)
    {
        if (rows <= _rows)
        {
            return;
        }

        int layers = _forward.Length, h = Hidden, width = Width(_options), widest = Math.Max(Embedding.Dimensions, width);
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
        _mirror = new int[rows];
        _rows = rows;
    }
}
