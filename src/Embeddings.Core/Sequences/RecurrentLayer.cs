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
/// An instance owns the workspaces of one pass, so each training worker has its own replica (<see cref="Replicate"/>),
/// sharing the weights. Not thread-safe.
/// </para>
/// </remarks>
internal abstract class RecurrentLayer
{
    private float[] _carried = [];   // B × H: ∂loss/∂h_(t−1) sent back by the step being back-propagated
    private float[] _arriving = [];  // B × H: ∂loss/∂h_t

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

    /// <summary>A layer with the same weights and its own gradients and workspaces.</summary>
    public abstract RecurrentLayer Replicate();

    /// <summary>Runs the layer over <paramref name="steps"/> × <paramref name="batch"/> inputs (time-major) into <paramref name="output"/> (T·B × H), keeping what <see cref="Backward"/> needs.</summary>
    public void Forward(ReadOnlySpan<float> input, Span<float> output, int steps, int batch)
    {
        int rows = steps * batch, g = GateWidth;
        EnsureCapacity(rows);
        Span<float> gates = InputGates.AsSpan(0, rows * g);
        MatrixProduct.Multiply(input, InputWeights.Transposed, gates, rows, InputSize, g, 0, rows);
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gates.Slice(r * g, g);
            TensorPrimitives.Add(row, InputBias.Value, row);
        }

        ForwardSteps(output[..(rows * HiddenSize)], steps, batch);
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (∂loss/∂output, T·B × H) through the last
    /// <see cref="Forward"/>: adds the parameters' gradients and, unless <paramref name="inputGradient"/> is empty,
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
        int rows = steps * batch, g = GateWidth, h = HiddenSize;
        BackwardSteps(output[..(rows * h)], outputGradient[..(rows * h)], steps, batch, Math.Clamp(carrySteps, 1, steps));
        ReadOnlySpan<float> inputSide = InputGateGradient.AsSpan(0, rows * g);
        ReadOnlySpan<float> hiddenSide = HiddenGateGradient.AsSpan(0, rows * g);

        // All steps at once: dW_ih += dGᵀ·X over T·B rows; dW_hh += dGᵀ·H_prev, where step t's previous hidden state is
        // output row block t − 1 (step 0's is zero and adds nothing).
        MatrixProduct.MultiplyTransposedAAdd(inputSide, input, InputWeights.Gradient, g, rows, InputSize, 0, g);
        if (steps > 1)
        {
            MatrixProduct.MultiplyTransposedAAdd(hiddenSide[(batch * g)..], output, HiddenWeights.Gradient, g, rows - batch, h, 0, g);
        }

        AddColumnSums(inputSide, rows, g, InputBias.Gradient);
        AddColumnSums(hiddenSide, rows, g, HiddenBias.Gradient);
        if (!inputGradient.IsEmpty)
        {
            MatrixProduct.Multiply(inputSide, InputWeights.Value, inputGradient, rows, g, InputSize, 0, rows);
        }
    }

    /// <summary>
    /// The hidden side of step <paramref name="step"/>'s gates, without bias: <c>h_(t−1)·W_hhᵀ</c> for the batch's rows
    /// (zero at step 0, whose previous state is zero), read from the layer's output of the previous step.
    /// </summary>
    protected void HiddenProduct(ReadOnlySpan<float> output, int step, int batch, Span<float> destination)
    {
        int h = HiddenSize, block = batch * h;
        if (step == 0)
        {
            destination[..(batch * GateWidth)].Clear();
        }
        else
        {
            MatrixProduct.Multiply(output.Slice((step - 1) * block, block), TransposedHiddenWeights, destination, batch, h, GateWidth, 0, batch);
        }
    }

    /// <summary>
    /// Truncated back-propagation's one rule: step <paramref name="step"/> receives the recurrent gradient of the step
    /// after it only when both lie within the last <paramref name="carrySteps"/> steps.
    /// </summary>
    protected static bool Receives(int step, int steps, int carrySteps) => step < steps - 1 && step >= steps - carrySteps;

    /// <summary>B × H: ∂loss/∂h_(t−1) that the step being back-propagated sends back (read by <see cref="ArrivingGradient"/> at the step before).</summary>
    protected Span<float> Carried(int batch)
    {
        EnsureStepBuffers(batch * HiddenSize);
        return _carried.AsSpan(0, batch * HiddenSize);
    }

    /// <summary>∂loss/∂h_t for the batch (B × H): step t's own output gradient, plus what step t + 1 sent back when it <see cref="Receives"/>.</summary>
    protected Span<float> ArrivingGradient(ReadOnlySpan<float> outputGradient, int step, int steps, int batch, int carrySteps)
    {
        int block = batch * HiddenSize;
        EnsureStepBuffers(block);
        Span<float> arriving = _arriving.AsSpan(0, block);
        outputGradient.Slice(step * block, block).CopyTo(arriving);
        if (Receives(step, steps, carrySteps))
        {
            TensorPrimitives.Add(arriving, _carried.AsSpan(0, block), arriving);
        }

        return arriving;
    }

    /// <summary>The recurrence: from <see cref="InputGates"/> and the hidden weights, writes every step's hidden state.</summary>
    protected abstract void ForwardSteps(Span<float> output, int steps, int batch);

    /// <summary>
    /// The recurrence backwards: fills <see cref="InputGateGradient"/> and <see cref="HiddenGateGradient"/> (every
    /// step, zero where nothing flows). The gradient arriving at step t is <c>outputGradient[t]</c> plus, for the last
    /// <paramref name="carrySteps"/> steps only, what step t + 1 sends back through the recurrence.
    /// </summary>
    protected abstract void BackwardSteps(ReadOnlySpan<float> output, ReadOnlySpan<float> outputGradient, int steps, int batch, int carrySteps);

    /// <summary>Grows the workspaces to <paramref name="rows"/> = T·B rows; cells grow their own caches in <see cref="OnCapacity"/>.</summary>
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
