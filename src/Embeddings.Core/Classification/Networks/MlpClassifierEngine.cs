using System.Numerics.Tensors;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification.Networks;

/// <summary>
/// The bag-of-embeddings MLP (the ECI slides' classifier): each example's token vectors pooled (mean, or mean ‖ max)
/// → hidden layers with a nonlinearity and dropout → a linear layer → softmax over the labels.
/// </summary>
internal sealed class MlpClassifierEngine : NetworkClassifierEngine
{
    /// <summary>A network with its weights drawn from the options' seed.</summary>
    /// <exception cref="Options.InvalidOptionsException">An option or the embedding's sizes are out of range.</exception>
    public MlpClassifierEngine(MlpNetworkOptions options, int classes, NetworkEmbedding embedding)
        : base(Create(options, classes, embedding), options.Training) => Options = options;

    public MlpNetworkOptions Options { get; }

    private static MlpNetwork Create(MlpNetworkOptions options, int classes, NetworkEmbedding embedding)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embedding);
        options.Validate(classes);
        embedding.Validate();
        return new MlpNetwork(options, classes, embedding);
    }
}

/// <summary>The MLP's layers and the workspaces of one pass over a chunk of examples (rows).</summary>
internal sealed class MlpNetwork : ClassifierLayers
{
    private readonly MlpNetworkOptions _options;
    private readonly LinearLayer[] _hidden;
    private readonly Parameter[] _parameters;
    private float[][] _inputs = [];       // X_l, rows × width_l: the pooled features, then each (dropped-out) activation
    private float[][] _activations = [];  // A_l, rows × H_l
    private float[][] _masks = [];        // dropout masks, rows × H_l
    private float[] _gradient = [];       // rows × widest: ∂loss/∂A_l, then ∂loss/∂X_l
    private float[] _inputGradient = [];  // rows × widest
    private float[] _logits = [];         // rows × classes
    private int[] _argmax = [];           // rows × D: the step of each pooled maximum
    private float[] _steps = [];          // longest × D: one example's token vectors, then their gradients
    private int[] _targets = [];
    private int _rows;

    public MlpNetwork(MlpNetworkOptions options, int classes, NetworkEmbedding embedding)
        : this(options, CreateEmbedding(embedding, options.Training), CreateHidden(options, embedding.Dimensions), classes)
    {
        SplitMix64Random random = SplitMix64Random.For(options.Training.Seed, 0x494E4954);
        foreach (LinearLayer layer in _hidden)
        {
            Initialise(layer, options.Initialization, ref random);
        }

        Initialise(Output, options.Initialization, ref random);
    }

    private MlpNetwork(MlpNetworkOptions options, EmbeddingLayer embedding, LinearLayer[] hidden, int classes)
        : this(options, embedding, hidden, new LinearLayer("fc", hidden.Length == 0 ? PooledWidth(options, embedding.Dimensions) : hidden[^1].Outputs, classes))
    {
    }

    private MlpNetwork(MlpNetworkOptions options, EmbeddingLayer embedding, LinearLayer[] hidden, LinearLayer output)
        : base(embedding, output)
    {
        _options = options;
        _hidden = hidden;
        _parameters = [Embedding.Table, .. hidden.SelectMany(l => new[] { l.Weights, l.Bias }), Output.Weights, Output.Bias];
    }

    public override IReadOnlyList<Parameter> Parameters => _parameters;

    public override ClassifierLayers Replicate() =>
        new MlpNetwork(_options, Embedding.Replicate(), [.. _hidden.Select(l => l.Replicate())], Output.Replicate());

    public override double Train(in TrainingChunk chunk)
    {
        ReadOnlySpan<int> examples = chunk.Examples.Span;
        int rows = examples.Length;
        EnsureCapacity(rows, examples, chunk.Tokens);
        for (int r = 0; r < rows; r++)
        {
            Pool(chunk.Tokens[examples[r]], r);
        }

        Span<float> logits = Forward(rows, training: true, chunk.DropoutKey, chunk.FirstPosition);
        double loss = SoftmaxCrossEntropy.LossAndGradient(logits, Targets(chunk, _targets), Classes, chunk.GradientScale, chunk.ClassWeights);
        Backward(rows, logits, chunk);
        return loss;
    }

    public override void Logits(int[] tokens, Span<float> logits)
    {
        EnsureCapacity(1, [0], [tokens]);
        Pool(tokens, 0);
        Forward(1, training: false, 0, 0).CopyTo(logits);
    }

    private static int PooledWidth(MlpNetworkOptions options, int dimensions) => options.Pooling == BagPooling.MeanMax ? 2 * dimensions : dimensions;

    private static LinearLayer[] CreateHidden(MlpNetworkOptions options, int dimensions)
    {
        var layers = new LinearLayer[options.HiddenSizes.Count];
        int inputs = PooledWidth(options, dimensions);
        for (int l = 0; l < layers.Length; l++)
        {
            layers[l] = new LinearLayer($"hidden{l}", inputs, options.HiddenSizes[l]);
            inputs = options.HiddenSizes[l];
        }

        return layers;
    }

    /// <summary>Row <paramref name="row"/> of X_0: the example's token vectors pooled.</summary>
    private void Pool(int[] tokens, int row)
    {
        int d = Embedding.Dimensions, n = tokens.Length, width = PooledWidth(_options, d);
        Span<float> steps = _steps.AsSpan(0, n * d);
        Span<float> pooled = _inputs[0].AsSpan(row * width, width);
        Embedding.Forward(tokens, steps, n, 1);
        SequencePooling.Mean(steps, pooled, n, 1, d, width);
        if (_options.Pooling == BagPooling.MeanMax)
        {
            SequencePooling.Max(steps, pooled[d..], _argmax.AsSpan(row * d, d), n, 1, d, width);
        }
    }

    private Span<float> Forward(int rows, bool training, ulong dropoutKey, int firstPosition)
    {
        for (int l = 0; l < _hidden.Length; l++)
        {
            int h = _hidden[l].Outputs;
            Span<float> activation = _activations[l].AsSpan(0, rows * h);
            _hidden[l].Forward(_inputs[l], activation, rows);
            Activate(activation);
            if (training && _options.Dropout > 0)
            {
                Dropout.Apply(activation, _inputs[l + 1], _masks[l], 1, rows, h, _options.Dropout, SplitMix64Random.Mix(dropoutKey, (ulong)l, 2), firstPosition);
            }
            else
            {
                activation.CopyTo(_inputs[l + 1]);
            }
        }

        Span<float> logits = _logits.AsSpan(0, rows * Classes);
        Output.Forward(_inputs[_hidden.Length], logits, rows);
        return logits;
    }

    private void Backward(int rows, ReadOnlySpan<float> logitGradient, in TrainingChunk chunk)
    {
        bool embeddingLearns = Embedding.Table.Trainable;
        Span<float> gradient = _gradient.AsSpan(0, rows * Output.Inputs);
        Output.Backward(_inputs[_hidden.Length], logitGradient, _hidden.Length > 0 || embeddingLearns ? gradient : [], rows);
        for (int l = _hidden.Length - 1; l >= 0; l--)
        {
            // gradient: ∂loss/∂X_(l+1); through dropout and the nonlinearity to ∂loss/∂(the layer's pre-activation).
            int h = _hidden[l].Outputs;
            Span<float> outputGradient = _gradient.AsSpan(0, rows * h);
            if (_options.Dropout > 0)
            {
                Dropout.Backward(outputGradient, _masks[l], outputGradient, rows * h);
            }

            MultiplyByDerivative(_activations[l].AsSpan(0, rows * h), outputGradient);
            bool needInputGradient = l > 0 || embeddingLearns;
            Span<float> inputGradient = needInputGradient ? _inputGradient.AsSpan(0, rows * _hidden[l].Inputs) : [];
            _hidden[l].Backward(_inputs[l], outputGradient, inputGradient, rows);
            inputGradient.CopyTo(_gradient);
        }

        if (embeddingLearns)
        {
            ScatterToEmbedding(rows, chunk);
        }
    }

    /// <summary>∂loss/∂X_0 (in the gradient workspace) back through the pooling to the rows of each example's tokens.</summary>
    private void ScatterToEmbedding(int rows, in TrainingChunk chunk)
    {
        int d = Embedding.Dimensions, width = PooledWidth(_options, d);
        ReadOnlySpan<int> examples = chunk.Examples.Span;
        for (int r = 0; r < rows; r++)
        {
            int[] tokens = chunk.Tokens[examples[r]];
            int n = tokens.Length;
            Span<float> steps = _steps.AsSpan(0, n * d);
            steps.Clear();
            ReadOnlySpan<float> pooled = _gradient.AsSpan(r * width, width);
            SequencePooling.MeanBackward(pooled, steps, n, 1, d, width);
            if (_options.Pooling == BagPooling.MeanMax)
            {
                SequencePooling.MaxBackward(pooled[d..], _argmax.AsSpan(r * d, d), steps, n, 1, d, width);
            }

            Embedding.Backward(tokens, steps, n, 1);
        }
    }

    private void Activate(Span<float> values)
    {
        switch (_options.Activation)
        {
            case HiddenActivation.Relu:
                TensorPrimitives.Max(values, 0f, values);
                break;
            case HiddenActivation.LeakyRelu:
                float slope = _options.LeakySlope;
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = values[i] > 0 ? values[i] : slope * values[i];
                }

                break;
            case HiddenActivation.Tanh:
                TensorPrimitives.Tanh(values, values);
                break;
            default:
                TensorPrimitives.Sigmoid(values, values);
                break;
        }
    }

    /// <summary><c>gradient ⊙= f′</c>, from the activations y = f(x): ReLU's and LeakyReLU's slopes follow y's sign, tanh's is 1 − y², sigmoid's y(1 − y).</summary>
    private void MultiplyByDerivative(ReadOnlySpan<float> y, Span<float> gradient)
    {
        HiddenActivation activation = _options.Activation;
        float slope = activation == HiddenActivation.LeakyRelu ? _options.LeakySlope : 0f;
        for (int i = 0; i < y.Length; i++)
        {
            float derivative = activation switch
            {
                HiddenActivation.Relu or HiddenActivation.LeakyRelu => y[i] > 0 ? 1f : slope,
                HiddenActivation.Tanh => 1f - (y[i] * y[i]),
                _ => y[i] * (1f - y[i]),
            };
            gradient[i] *= derivative;
        }
    }

    private void EnsureCapacity(int rows, ReadOnlySpan<int> examples, IReadOnlyList<int[]> tokens)
    {
        int d = Embedding.Dimensions, longest = 1;
        foreach (int e in examples)
        {
            longest = Math.Max(longest, tokens[e].Length);
        }

        if (_steps.Length < longest * d)
        {
            _steps = new float[longest * d];
        }

        if (rows <= _rows)
        {
            return;
        }

        int layers = _hidden.Length, widest = Math.Max(PooledWidth(_options, d), _hidden.Length == 0 ? 0 : _hidden.Max(l => l.Outputs));
        _inputs = new float[layers + 1][];
        _activations = new float[layers][];
        _masks = new float[layers][];
        _inputs[0] = new float[rows * PooledWidth(_options, d)];
        for (int l = 0; l < layers; l++)
        {
            int h = _hidden[l].Outputs;
            _activations[l] = new float[rows * h];
            _inputs[l + 1] = new float[rows * h];
            _masks[l] = _options.Dropout > 0 ? new float[rows * h] : [];
        }

        _gradient = new float[rows * widest];
        _inputGradient = new float[rows * widest];
        _logits = new float[rows * Classes];
        _argmax = new int[rows * d];
        _targets = new int[rows];
        _rows = rows;
    }
}
