using System.Diagnostics;
using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// One recurrent layer over a batch of sequences, with PyTorch's parameters: <c>weight_ih</c> (G·H × I),
/// <c>weight_hh</c> (G·H × H), <c>bias_ih</c> and <c>bias_hh</c> (G·H), G gates of H units. A cell implements the
/// recurrence (<see cref="ForwardSteps"/>, <see cref="BackwardSteps"/>); this base does what every cell shares: the
/// input projection of all steps in one product before the recurrence, and the weight gradients of all steps in one
/// product after it.
/// </summary>
/// <remarks>
/// <para>
/// Activations are time-major: step t, sequence b, feature f at <c>[(t·B + b)·F + f]</c>, so one step's rows are
/// contiguous and the recurrent product of a step is a plain B × H by H × G·H product. The initial hidden (and cell)
/// state is zero.
/// </para>
/// <para>
/// Sequences of different lengths run packed, as PyTorch's <c>pack_padded_sequence</c>: sorted by length, longest
/// first, step t holds only the first n_t sequences (those still running), so its rows start at
/// <c>n_0 + … + n_(t−1)</c> and a sequence's previous state is the same row number of the step before. A batch of
/// equal lengths is the special case n_t = B, and computes exactly what it did before packing existed.
/// </para>
/// <para>
/// An instance owns the workspaces of one pass, so each training worker has its own replica (<see cref="Replicate"/>),
/// sharing the weights. Not thread-safe.
/// </para>
/// </remarks>
internal abstract class RecurrentLayer
{
    private float[] _carried = [];   // B × H: ∂loss/∂h_(t−1) sent back by the step being back-propagated
    private float[] _arriving = [];  // B × H: ∂loss/∂h_t
    private float[] _previous = [];  // packed batches: every step's previous states gathered for the hidden weights' gradient
    private int[] _offsets = [0];    // the first row of each step, then the number of rows (Steps + 1 values; grown, never shrunk)
    private int _steps;

    protected RecurrentLayer(int inputSize, int hiddenSize, int gates, Parameter[] parameters)
    {
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        Gates = gates;
        Parameters = parameters;
    }

    /// <summary>
    /// A layer of the given cell with PyTorch's parameter names for layer <paramref name="layer"/>; the reverse direction
    /// of a bidirectional layer takes PyTorch's suffix <c>_reverse</c>.
    /// </summary>
    public static RecurrentLayer Create(RecurrentCell cell, int layer, int inputSize, int hiddenSize, bool reverse = false) => cell switch
    {
        RecurrentCell.Rnn => new ElmanLayer(layer, inputSize, hiddenSize, reverse ? "_reverse" : ""),
        RecurrentCell.Gru => new GruLayer(layer, inputSize, hiddenSize, reverse ? "_reverse" : ""),
        RecurrentCell.Lstm => new LstmLayer(layer, inputSize, hiddenSize, reverse ? "_reverse" : ""),
        _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown recurrent cell."),
    };

    /// <summary>Creates the four parameters, named after PyTorch's for layer <paramref name="layer"/>.</summary>
    protected static Parameter[] CreateParameters(string prefix, int layer, int inputSize, int hiddenSize, int gates, string suffix = "") =>
    [
        new Parameter($"{prefix}.weight_ih_l{layer}{suffix}", gates * hiddenSize, inputSize).WithTransposedCopy(),
        new Parameter($"{prefix}.weight_hh_l{layer}{suffix}", gates * hiddenSize, hiddenSize).WithTransposedCopy(),
        new Parameter($"{prefix}.bias_ih_l{layer}{suffix}", 1, gates * hiddenSize),
        new Parameter($"{prefix}.bias_hh_l{layer}{suffix}", 1, gates * hiddenSize),
    ];

    public int InputSize { get; }

    public int HiddenSize { get; }

    public int Gates { get; }

    protected int GateWidth => Gates * HiddenSize;

    /// <summary>weight_ih, weight_hh, bias_ih, bias_hh.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    public Parameter InputWeights => Parameters[0];

    public Parameter HiddenWeights => Parameters[1];

    public Parameter InputBias => Parameters[2];

    public Parameter HiddenBias => Parameters[3];

    /// <summary>x·W_ihᵀ + b_ih for every step and row (T·B × G·H), filled before <see cref="ForwardSteps"/>.</summary>
    protected float[] InputGates { get; private set; } = [];

    /// <summary>W_hhᵀ (H × G·H), for the recurrent product of each step.</summary>
    protected float[] TransposedHiddenWeights => HiddenWeights.Transposed!;

    /// <summary>∂loss/∂(the input-side gate pre-activations), T·B × G·H, filled by <see cref="BackwardSteps"/>.</summary>
    protected float[] InputGateGradient { get; private set; } = [];

    /// <summary>
    /// ∂loss/∂(the hidden-side gate pre-activations h·W_hhᵀ + b_hh), T·B × G·H. The same array as
    /// <see cref="InputGateGradient"/> unless a cell treats the two sides differently (GRU's reset gate scales the
    /// hidden side of its candidate); see <see cref="SeparateHiddenGateGradient"/>.
    /// </summary>
    protected float[] HiddenGateGradient { get; private set; } = [];

    /// <summary>Whether <see cref="HiddenGateGradient"/> needs its own array.</summary>
    protected virtual bool SeparateHiddenGateGradient => false;

    /// <summary>The number of steps of the pass (the longest sequence's length).</summary>
    protected int Steps => _steps;

    /// <summary>The first row of step <paramref name="step"/>.</summary>
    protected int Offset(int step) => _offsets[step];

    /// <summary>n_t: the number of sequences still running at step <paramref name="step"/>, zero past the last step.</summary>
    protected int Count(int step) => step < Steps ? _offsets[step + 1] - _offsets[step] : 0;

    /// <summary>A layer with the same weights and its own gradients and workspaces.</summary>
    public abstract RecurrentLayer Replicate();

    /// <summary>Runs the layer over <paramref name="steps"/> × <paramref name="batch"/> inputs (time-major) into <paramref name="output"/> (T·B × H), keeping what <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/> needs.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, int steps, int batch)
    {
        SetUniformLayout(steps, batch);
        Forward(input, output);
    }

    /// <summary>
    /// Runs the layer over a packed batch: step t has <paramref name="batchSizes"/>[t] rows (non-increasing, the
    /// sequences sorted longest first), all steps' rows one after the other in <paramref name="input"/> and
    /// <paramref name="output"/>.
    /// </summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> batchSizes)
    {
        SetPackedLayout(batchSizes);
        Forward(input, output);
    }

    /// <summary>
    /// Back-propagates a packed batch's <paramref name="outputGradient"/> through the last
    /// <see cref="Forward(ReadOnlySpan{float}, Span{float}, ReadOnlySpan{int})"/>, through every step of each sequence;
    /// otherwise as <see cref="Backward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int)"/>.
    /// </summary>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, ReadOnlySpan<int> batchSizes)
    {
        SetPackedLayout(batchSizes);
        Backward(input, output, outputGradient, inputGradient, Steps);
    }

    private void SetUniformLayout(int steps, int batch)
    {
        EnsureSteps(steps);

        for (int t = 0; t <= steps; t++)
        {
            _offsets[t] = t * batch;
        }
    }

    private void SetPackedLayout(ReadOnlySpan<int> batchSizes)
    {
        EnsureSteps(batchSizes.Length);

        for (int t = 0; t < batchSizes.Length; t++)
        {
            Debug.Assert(batchSizes[t] > 0 && (t == 0 || batchSizes[t] <= batchSizes[t - 1]), "Packed steps shrink and are never empty.");
            _offsets[t + 1] = _offsets[t] + batchSizes[t];
        }
    }

    private void EnsureSteps(int steps)
    {
        if (_offsets.Length < steps + 1)
        {
            _offsets = new int[steps + 1];
        }

        _steps = steps;
    }

    private void Forward(ReadOnlySpan<float> input, Span<float> output)
    {
        int rows = _offsets[_steps], g = GateWidth;
        EnsureCapacity(rows);
        Span<float> gates = InputGates.AsSpan(0, rows * g);
        MatrixProduct.Multiply(input, InputWeights.Transposed, gates, rows, InputSize, g, 0, rows);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g, g);
            TensorPrimitives.Add(row, InputBias.Value, row);
        }

        ForwardSteps(output[..(rows * HiddenSize)]);
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (∂loss/∂output, T·B × H) through the last
    /// <see cref="Forward(ReadOnlySpan{float}, Span{float}, int, int)"/>: adds the parameters' gradients and, unless <paramref name="inputGradient"/> is empty,
    /// writes ∂loss/∂input (T·B × I).
    /// </summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="output">The output of the last forward pass.</param>
    /// <param name="outputGradient">∂loss/∂output.</param>
    /// <param name="inputGradient">Receives ∂loss/∂input, or empty when the input needs none (a frozen embedding).</param>
    /// <param name="steps">T.</param>
    /// <param name="batch">B.</param>
    /// <param name="carrySteps">Truncated back-propagation: the recurrent gradient is carried back through at most this many of the last steps.</param>
    public void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int steps, int batch, int carrySteps)
    {
        SetUniformLayout(steps, batch);
        Backward(input, output, outputGradient, inputGradient, carrySteps);
    }

    private void Backward(ReadOnlySpan<float> input, ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int carrySteps)
    {
        int steps = Steps, rows = _offsets[steps], first = Count(0), g = GateWidth, h = HiddenSize;
        BackwardSteps(output[..(rows * h)], outputGradient[..(rows * h)], Math.Clamp(carrySteps, 1, steps));
        ReadOnlySpan<float> inputSide = InputGateGradient.AsSpan(0, rows * g);
        ReadOnlySpan<float> hiddenSide = HiddenGateGradient.AsSpan(0, rows * g);

        // All steps at once: dW_ih += dGᵀ·X over all rows; dW_hh += dGᵀ·H_prev over the rows after step 0 (whose previous
        // state is zero and adds nothing). With equal lengths the previous states are the output itself, one block
        // behind; packed, step t's previous states are the first n_t rows of step t − 1's block, gathered first.
        MatrixProduct.MultiplyTransposedAAdd(inputSide, input, InputWeights.Gradient, g, rows, InputSize, 0, g);
        if (steps > 1)
        {
            ReadOnlySpan<float> previous = Count(steps - 1) == first ? output : GatherPrevious(output, rows - first);
            MatrixProduct.MultiplyTransposedAAdd(hiddenSide[(first * g)..], previous, HiddenWeights.Gradient, g, rows - first, h, 0, g);
        }

        AddColumnSums(inputSide, rows, g, InputBias.Gradient);
        AddColumnSums(hiddenSide, rows, g, HiddenBias.Gradient);
        if (!inputGradient.IsEmpty)
        {
            MatrixProduct.Multiply(inputSide, InputWeights.Value, inputGradient, rows, g, InputSize, 0, rows);
        }
    }

    /// <summary>Row t − 1's states of the sequences running at each step t ≥ 1, one after the other (<paramref name="rows"/> × H).</summary>
    private ReadOnlySpan<float> GatherPrevious(ReadOnlySpan<float> output, int rows)
    {
        int h = HiddenSize;
        if (_previous.Length < rows * h)
        {
            _previous = new float[rows * h];
        }

        for (int t = 1, row = 0; t < Steps; t++)
        {
            int block = Count(t) * h;
            output.Slice(Offset(t - 1) * h, block).CopyTo(_previous.AsSpan(row, block));
            row += block;
        }

        return _previous.AsSpan(0, rows * h);
    }

    /// <summary>
    /// The hidden side of step <paramref name="step"/>'s gates, without bias: <c>h_(t−1)·W_hhᵀ</c> for the step's n_t
    /// rows (zero at step 0, whose previous state is zero), read from the first n_t rows of the previous step's output.
    /// </summary>
    protected void HiddenProduct(ReadOnlySpan<float> output, int step, Span<float> destination)
    {
        int h = HiddenSize, batch = Count(step);
        if (step == 0)
        {
            destination[..(batch * GateWidth)].Clear();
        }
        else
        {
            MatrixProduct.Multiply(output.Slice(Offset(step - 1) * h, batch * h), TransposedHiddenWeights, destination, batch, h, GateWidth, 0, batch);
        }
    }

    /// <summary>
    /// Truncated back-propagation's one rule: step <paramref name="step"/> receives the recurrent gradient of the step
    /// after it only when both lie within the last <paramref name="carrySteps"/> steps.
    /// </summary>
    protected static bool Receives(int step, int steps, int carrySteps) => step < steps - 1 && step >= steps - carrySteps;

    /// <summary>n_0 × H: ∂loss/∂h_(t−1) that the step being back-propagated sends back (read by <see cref="ArrivingGradient"/> at the step before); step t fills its first n_t rows.</summary>
    protected Span<float> Carried()
    {
        EnsureStepBuffers(Count(0) * HiddenSize);
        return _carried.AsSpan(0, Count(0) * HiddenSize);
    }

    /// <summary>
    /// ∂loss/∂h_t for the step's n_t rows: step t's own output gradient, plus, when it <see cref="Receives"/>, what step
    /// t + 1 sent back to its first n_(t+1) rows (the sequences that end at step t receive nothing).
    /// </summary>
    protected Span<float> ArrivingGradient(ReadOnlySpan<float> outputGradient, int step, int carrySteps)
    {
        int h = HiddenSize, block = Count(step) * h;
        EnsureStepBuffers(Count(0) * h);
        Span<float> arriving = _arriving.AsSpan(0, block);
        outputGradient.Slice(Offset(step) * h, block).CopyTo(arriving);
        if (Receives(step, Steps, carrySteps))
        {
            Span<float> continuing = arriving[..(Count(step + 1) * h)];
            TensorPrimitives.Add(continuing, _carried.AsSpan(0, continuing.Length), continuing);
        }

        return arriving;
    }

    /// <summary>The recurrence: from <see cref="InputGates"/> and the hidden weights, writes every step's hidden state.</summary>
    protected abstract void ForwardSteps(Span<float> output);

    /// <summary>
    /// The recurrence backwards: fills <see cref="InputGateGradient"/> and <see cref="HiddenGateGradient"/> (every
    /// step, zero where nothing flows). The gradient arriving at step t is <c>outputGradient[t]</c> plus, for the last
    /// <paramref name="carrySteps"/> steps only, what step t + 1 sends back through the recurrence.
    /// </summary>
    protected abstract void BackwardSteps(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int carrySteps);

    /// <summary>Grows the workspaces to <paramref name="rows"/> rows (T·B, or Σ n_t packed); cells grow their own caches in <see cref="OnCapacity"/>.</summary>
    private void EnsureCapacity(int rows)
    {
        int g = GateWidth;
        if (InputGates.Length >= rows * g)
        {
            return;
        }

        InputGates = new float[rows * g];
        InputGateGradient = new float[rows * g];
        HiddenGateGradient = SeparateHiddenGateGradient ? new float[rows * g] : InputGateGradient;
        OnCapacity(rows);
    }

    private void EnsureStepBuffers(int block)
    {
        if (_carried.Length < block)
        {
            _carried = new float[block];
            _arriving = new float[block];
        }
    }

    /// <summary>Called when the workspaces grow to <paramref name="rows"/> rows.</summary>
    protected virtual void OnCapacity(int rows)
    {
    }

    /// <summary><c>gradient ⊙= 1 − y²</c>: through <c>y = tanh(x)</c>. <paramref name="scratch"/> holds at least y.Length values.</summary>
    protected static void MultiplyByTanhDerivative(ReadOnlySpan<float> y, Span<float> gradient, Span<float> scratch)
    {
        Span<float> derivative = scratch[..y.Length];
        TensorPrimitives.Multiply(y, y, derivative);
        TensorPrimitives.Subtract(1f, derivative, derivative);
        TensorPrimitives.Multiply(gradient, derivative, gradient);
    }

    /// <summary><c>gradient ⊙= y ⊙ (1 − y)</c>: through <c>y = σ(x)</c>. <paramref name="scratch"/> holds at least y.Length values.</summary>
    protected static void MultiplyBySigmoidDerivative(ReadOnlySpan<float> y, Span<float> gradient, Span<float> scratch)
    {
        Span<float> derivative = scratch[..y.Length];
        TensorPrimitives.Subtract(1f, y, derivative);
        TensorPrimitives.Multiply(derivative, y, derivative);
        TensorPrimitives.Multiply(gradient, derivative, gradient);
    }

    /// <summary><c>sums += Σ rows</c>, rows in order (a fixed order keeps runs bit-identical).</summary>
    internal static void AddColumnSums(ReadOnlySpan<float> values, int rows, int width, Span<float> sums)
    {
        for (int r = 0; r < rows; r++)
        {
            TensorPrimitives.Add(sums, values.Slice(r * width, width), sums);
        }
    }
}
