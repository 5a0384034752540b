using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// SGD (with momentum), Adam and AdamW over a list of parameters, as PyTorch's single-tensor implementations compute
/// them. <see cref="Update"/> works on a slice of one parameter, so workers can update disjoint slices at once; the
/// arithmetic of an element does not depend on the slicing.
/// </summary>
/// <remarks>
/// A parameter that tracks its touched rows (an embedding table) has its untouched rows' updates deferred, unless the
/// update is lazy or a no-op (<see cref="DefersUntouchedRows"/>): a step updates the rows its batch touched, and a row
/// left behind replays the steps it missed, with a zero gradient and each step's own scalars, before it is read again
/// (<see cref="CatchUp"/>, <see cref="CatchUpAll"/>). The replay runs the dense update's operations in the same order,
/// so the weights and moments are the dense run's bit for bit; what changes is where the work happens: on a row
/// held in registers for many steps instead of a pass over the whole table, from memory, every step.
/// </remarks>
internal sealed class Optimizer
{
    private readonly OptimizerOptions _options;
    private readonly List<OptimizerStep> _deferredSteps = []; // the scalars of steps _deferredFrom + 1, + 2, …
    private readonly long[]?[] _rowsCurrentThrough;         // per deferring parameter: the last step each row has had
    private readonly bool _defers;                          // whether any parameter defers its untouched rows
    private OptimizerStep _step;
    private long _deferredFrom = -1;                        // −1: no step is deferred (every row is current)

    public Optimizer(OptimizerOptions options, IReadOnlyList<Parameter> parameters, bool lazyTouchedRows = false)
    {
        LazyTouchedRows = lazyTouchedRows;
        _options = options;
        Parameters = [.. parameters.Where(p => p.Trainable)];
        int buffers = options.Kind == OptimizerKind.Sgd ? (options.Momentum > 0 ? 1 : 0) : 2;
        State = [.. Parameters.SelectMany(p => Enumerable.Range(0, buffers).Select(_ => new float[p.Length]))];
        _rowsCurrentThrough = [.. Parameters.Select((p, i) => DefersUntouchedRows(i) ? new long[p.Rows] : null)];
        _defers = _rowsCurrentThrough.Any(r => r is not null);
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

    /// <summary>
    /// Whether parameter <paramref name="index"/>'s untouched rows are updated late, bit for bit as the dense step would
    /// have (see the remarks): it tracks its rows, and the dense update of a zero-gradient row is neither skipped
    /// (<see cref="SkipsUntouchedRows"/>) nor a no-op.
    /// </summary>
    public bool DefersUntouchedRows(int index) => Parameters[index].Touched is not null && !SkipsUntouchedRows(index);

    /// <summary>Whether the update adds an L2 term to the gradient (SGD's and Adam's weight decay; AdamW's is decoupled).</summary>
    private bool AddsL2Term => _options.WeightDecay != 0 && _options.Kind != OptimizerKind.AdamW;

    /// <summary>Steps taken (PyTorch's <c>state['step']</c>).</summary>
    public long Steps { get; set; }

    /// <summary>Starts a step with learning rate <paramref name="learningRate"/>: fixes the step's scalars.</summary>
    public void BeginStep(double learningRate)
    {
        if (_deferredFrom < 0 && _defers)
        {
            // Every row is current through Steps (it may have been set by a checkpoint): defer from here.
            _deferredFrom = Steps;
            foreach (long[]? rows in _rowsCurrentThrough)
            {
                rows?.AsSpan().Fill(Steps);
            }
        }

        Steps++;
        float rate = (float)learningRate;
        if (_options.Kind == OptimizerKind.Sgd)
        {
            _step = new OptimizerStep(rate, 1f, 0f, 0f, 0f);
        }
        else
        {
            float stepSize = (float)(learningRate / (1 - Math.Pow((float)_options.Beta1, Steps)));
            _step = new OptimizerStep(
                rate,
                _options.Kind == OptimizerKind.AdamW ? 1f - rate * (float)_options.WeightDecay : 1f,
                stepSize,
                (float)Math.Sqrt(1 - Math.Pow((float)_options.Beta2, Steps)),
                VectorMath.NegligibleMoment(stepSize, (float)_options.Epsilon));
        }
        if (_deferredFrom >= 0)
        {
            _deferredSteps.Add(_step);
        }
    }

    /// <summary>
    /// Updates elements [<paramref name="start"/>, +<paramref name="count"/>) of parameter <paramref name="index"/> from
    /// its gradient times <paramref name="gradientScale"/> (the clipping factor). Overwrites that slice of the gradient.
    /// </summary>
    public void Update(int index, int start, int count, float gradientScale) =>
        Apply(index, start, count, Parameters[index].Gradient.AsSpan(start, count), _step, gradientScale);

    /// <summary>
    /// Updates row <paramref name="row"/> of parameter <paramref name="index"/> from its gradient (one that was touched),
    /// after replaying the steps a deferring parameter's row missed.
    /// </summary>
    public void UpdateRow(int index, int row, float gradientScale)
    {
        if (_rowsCurrentThrough[index] is { } current)
        {
            if (gradientScale != 1f)
            {
                throw new InvalidOperationException("Deferred row updates replay steps with unscaled gradients; clipping is not supported with them.");
            }

            Replay(index, row, Steps - 1);
            current[row] = Steps;
        }

        int columns = Parameters[index].Columns;
        Update(index, row * columns, columns, gradientScale);
    }

    /// <summary>
    /// Brings row <paramref name="row"/> of a deferring parameter up to the last finished step, so that it can be read
    /// (nothing for one that does not defer, or a row already current). Rows are independent: workers may catch up
    /// different rows at once.
    /// </summary>
    public void CatchUp(int index, int row)
    {
        if (_rowsCurrentThrough[index] is not null)
        {
            Replay(index, row, Steps);
        }
    }

    /// <summary>
    /// Brings every row of every deferring parameter up to the last finished step: call from each of
    /// <paramref name="workers"/> workers at once (each takes every workers-th block of rows), then
    /// <see cref="EndDeferral"/> on one thread, before the weights or the state are read as a whole.
    /// </summary>
    public void CatchUpAll(int workers, int worker)
    {
        // Blocks of rows dealt in turn: the rows are in frequency order, so each worker gets its share of rare rows,
        // which have the most steps to replay.
        const int BlockRows = 64;
        for (int index = 0; index < Parameters.Count; index++)
        {
            if (_rowsCurrentThrough[index] is null)
            {
                continue;
            }

            int rows = Parameters[index].Rows;
            for (int first = worker * BlockRows; first < rows; first += workers * BlockRows)
            {
                for (int row = first, end = Math.Min(rows, first + BlockRows); row < end; row++)
                {
                    Replay(index, row, Steps);
                }
            }
        }
    }

    /// <summary>Ends the deferral after <see cref="CatchUpAll"/>: every row is current, and the steps' scalars are dropped.</summary>
    public void EndDeferral()
    {
        _deferredFrom = -1;
        _deferredSteps.Clear();
    }

    /// <summary>Replays on row <paramref name="row"/> the deferred steps after the last it had, through <paramref name="throughStep"/>.</summary>
    private void Replay(int index, int row, long throughStep)
    {
        long[] current = _rowsCurrentThrough[index]!;
        long from = current[row];
        if (_deferredFrom < 0 || from >= throughStep)
        {
            return;
        }

        Parameter parameter = Parameters[index];
        int columns = parameter.Columns, start = row * columns;
        ReadOnlySpan<OptimizerStep> missed = CollectionsMarshal.AsSpan(_deferredSteps)[(int)(from - _deferredFrom)..(int)(throughStep - _deferredFrom)];
        if (_options.Kind != OptimizerKind.Sgd && !AddsL2Term)
        {
            // Adam(W) without an L2 term, the common case: a kernel that keeps each element in registers across the steps.
            VectorMath.AdamWWithoutGradient(
                parameter.Value.AsSpan(start, columns), State[2 * index].AsSpan(start, columns), State[(2 * index) + 1].AsSpan(start, columns),
                missed, (float)_options.Beta1, (float)_options.Beta2, (float)_options.Epsilon);
        }
        else
        {
            // Otherwise each missed step is the dense update itself, on a zero gradient it may overwrite.
            Span<float> gradient = columns <= 1024 ? stackalloc float[columns] : new float[columns];
            foreach (OptimizerStep step in missed)
            {
                gradient.Clear();
                Apply(index, start, columns, gradient, step, 1f);
            }
        }

        current[row] = throughStep;
        parameter.TransposeRows(row, 1);
    }

    /// <summary>One step's update of elements [<paramref name="start"/>, +<paramref name="count"/>) from <paramref name="gradient"/> (overwritten).</summary>
    private void Apply(int index, int start, int count, Span<float> gradient, in OptimizerStep step, float gradientScale)
    {
        Parameter parameter = Parameters[index];
        Span<float> weights = parameter.Value.AsSpan(start, count);
        float learningRate = step.LearningRate;
        if (gradientScale != 1f)
        {
            TensorPrimitives.Multiply(gradient, gradientScale, gradient);
        }

        if (AddsL2Term)
        {
            // L2 penalty: g ← g + wd·p (SGD and Adam's weight_decay).
            TensorPrimitives.MultiplyAdd(weights, (float)_options.WeightDecay, gradient, gradient);
        }

        switch (_options.Kind)
        {
            case OptimizerKind.Sgd when _options.Momentum > 0:
                // b ← μ·b + g; p ← p − lr·b. The zero-initialised buffer makes the first step b = g, as PyTorch's clone.
                Span<float> buffer = State[index].AsSpan(start, count);
                TensorPrimitives.MultiplyAdd(buffer, (float)_options.Momentum, gradient, buffer);
                TensorPrimitives.MultiplyAdd(buffer, -learningRate, weights, weights);
                break;
            case OptimizerKind.Sgd:
                TensorPrimitives.MultiplyAdd(gradient, -learningRate, weights, weights);
                break;
            default:
                VectorMath.AdamW(
                    weights, State[2 * index].AsSpan(start, count), State[(2 * index) + 1].AsSpan(start, count), gradient,
                    step.Decay, step.StepSize, step.Correction2, (float)_options.Beta1, (float)_options.Beta2, (float)_options.Epsilon);
                break;
        }
    }
}
