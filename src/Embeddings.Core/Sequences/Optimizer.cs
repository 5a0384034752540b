using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// SGD (with momentum), Adam and AdamW over a list of parameters, as PyTorch's single-tensor implementations compute
/// them. <see cref="Update"/> works on a slice of one parameter, so workers can update disjoint slices at once; the
/// arithmetic of an element does not depend on the slicing.
/// </summary>
internal sealed class Optimizer
{
    private readonly OptimizerOptions _options;
    private float _learningRate;
    private float _stepSize;
    private float _correction2;

    public Optimizer(OptimizerOptions options, IReadOnlyList<Parameter> parameters, bool lazyTouchedRows = false)
    {
        LazyTouchedRows = lazyTouchedRows;
        _options = options;
        Parameters = [.. parameters.Where(p => p.Trainable)];
        int buffers = options.Kind == OptimizerKind.Sgd ? (options.Momentum > 0 ? 1 : 0) : 2;
        State = [.. Parameters.SelectMany(p => Enumerable.Range(0, buffers).Select(_ => new float[p.Length]))];
    }

    /// <summary>The trainable parameters, in order.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The per-element state (Adam's two moments, or SGD's momentum buffer) of each parameter in order, for checkpoints.</summary>
    public float[][] State { get; }

    /// <summary>
    /// Whether a step updates only the rows a batch touched of the parameters that track them
    /// (<see cref="Parameter.Touched"/>), the "lazy" update of PyTorch's <c>SparseAdam</c> and TensorFlow's
    /// <c>LazyAdam</c>: an untouched row keeps its weights and its moments (Adam's moments do not decay on it, AdamW's
    /// decoupled decay is not applied to it, SGD's momentum does not carry it on). A touched row's update is the dense
    /// one's, with the same step count. Off: every row is updated every step, as PyTorch's dense optimisers do.
    /// </summary>
    public bool LazyTouchedRows { get; }

    /// <summary>
    /// Whether parameter <paramref name="index"/>'s untouched rows can be skipped: lazily (<see cref="LazyTouchedRows"/>),
    /// or because the dense update leaves them unchanged bit for bit (plain SGD without momentum or weight decay:
    /// <c>p + (−lr)·0 = p</c>).
    /// </summary>
    public bool SkipsUntouchedRows(int index) =>
        Parameters[index].Touched is not null
        && (LazyTouchedRows || (_options.Kind == OptimizerKind.Sgd && _options.Momentum == 0 && _options.WeightDecay == 0));

    /// <summary>Whether <see cref="Update"/> with <paramref name="gradientScale"/> writes into the gradient (scaling it, or adding an L2 term).</summary>
    public bool WritesGradient(float gradientScale) =>
        gradientScale != 1f || (_options.WeightDecay != 0 && _options.Kind != OptimizerKind.AdamW);

    /// <summary>Steps taken (PyTorch's <c>state['step']</c>).</summary>
    public long Steps { get; set; }

    /// <summary>Starts a step with learning rate <paramref name="learningRate"/>: fixes the step's scalars.</summary>
    public void BeginStep(double learningRate)
    {
        Steps++;
        _learningRate = (float)learningRate;
        if (_options.Kind != OptimizerKind.Sgd)
        {
            double correction1 = 1 - Math.Pow((float)_options.Beta1, Steps);
            double correction2 = 1 - Math.Pow((float)_options.Beta2, Steps);
            _stepSize = (float)(learningRate / correction1);
            _correction2 = (float)Math.Sqrt(correction2);
        }
    }

    /// <summary>
    /// Updates elements [<paramref name="start"/>, +<paramref name="count"/>) of parameter <paramref name="index"/> from
    /// its gradient times <paramref name="gradientScale"/> (the clipping factor). Overwrites that slice of the gradient.
    /// </summary>
    public void Update(int index, int start, int count, float gradientScale)
    {
        Parameter parameter = Parameters[index];
        Span<float> weights = parameter.Value.AsSpan(start, count);
        Span<float> gradient = parameter.Gradient.AsSpan(start, count);
        if (gradientScale != 1f)
        {
            TensorPrimitives.Multiply(gradient, gradientScale, gradient);
        }

        float weightDecay = (float)_options.WeightDecay;
        if (weightDecay != 0 && _options.Kind != OptimizerKind.AdamW)
        {
            // L2 penalty: g ← g + wd·p (SGD and Adam's weight_decay).
            TensorPrimitives.MultiplyAdd(weights, weightDecay, gradient, gradient);
        }

        switch (_options.Kind)
        {
            case OptimizerKind.Sgd when _options.Momentum > 0:
                // b ← μ·b + g; p ← p − lr·b. The zero-initialised buffer makes the first step b = g, as PyTorch's clone.
                Span<float> buffer = State[index].AsSpan(start, count);
                TensorPrimitives.MultiplyAdd(buffer, (float)_options.Momentum, gradient, buffer);
                TensorPrimitives.MultiplyAdd(buffer, -_learningRate, weights, weights);
                break;
            case OptimizerKind.Sgd:
                TensorPrimitives.MultiplyAdd(gradient, -_learningRate, weights, weights);
                break;
            default:
                float decay = _options.Kind == OptimizerKind.AdamW ? 1f - _learningRate * weightDecay : 1f;
                VectorMath.AdamW(
                    weights, State[2 * index].AsSpan(start, count), State[(2 * index) + 1].AsSpan(start, count), gradient,
                    decay, _stepSize, _correction2, (float)_options.Beta1, (float)_options.Beta2, (float)_options.Epsilon);
                break;
        }
    }
}
