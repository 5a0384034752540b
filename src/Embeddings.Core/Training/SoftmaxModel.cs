using System.Diagnostics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Training;

/// <summary>
/// The full-softmax word2vec model and its optimiser: <c>nn.Embedding(V, d)</c> → <c>nn.Linear(d, V)</c> → mean
/// cross-entropy, trained by <c>torch.optim.AdamW</c>. One <see cref="TrainBatch"/> is one PyTorch step: forward,
/// backward and <c>optimizer.step()</c>.
/// </summary>
/// <remarks>
/// <para>
/// The three products per step (logits H·Wᵀ, input error G·W, output gradient Gᵀ·H; O(B·V·d) each) run on
/// <see cref="MatrixProduct"/>, split over a <see cref="WorkerGang"/> by rows of their results; the softmax and the
/// AdamW update split the same way. Every element is computed by the same operations whatever the split, so a step is
/// bit-identical for any thread count. The softmax cross-entropy and the optimiser are the language models'
/// (<see cref="SoftmaxCrossEntropy"/>, <see cref="Optimizer"/>).
/// </para>
/// <para>
/// AdamW is PyTorch's (β = 0.9, 0.999, ε = 1e-8, decoupled decay <c>p ← p·(1 − lr·wd)</c> before the Adam step, bias
/// correction with the step count) and, as PyTorch's dense embedding gradient implies, it updates every row of the
/// embedding at every step: rows not in the batch have a zero gradient, but their moments decay, their weights decay
/// and they keep moving along their first moment. That costs O(V·d) per step, small next to the products.
/// </para>
/// </remarks>
internal sealed class SoftmaxModel : IDisposable
{
    private readonly int _words;
    private readonly int _dimensions;
    private readonly bool _cbowMean;
    private readonly WorkerGang _gang;
    private readonly Parameter _input;
    private readonly Parameter _output;
    private readonly Parameter _bias;
    private readonly Optimizer _optimizer;

    private readonly float[] _hidden;           // B × d: the batch's input vectors
    private readonly float[] _hiddenError;      // B × d: ∂loss/∂H
    private readonly float[] _transposedOutput; // d × V: Wᵀ for the logits product
    private readonly float[] _logits;           // B × V: logits, then probabilities, then ∂loss/∂logits
    private readonly double[] _rowLoss;
    private readonly float[] _scratch;
    private readonly bool[] _touched;
    private readonly List<int> _touchedRows = [];

    private readonly Action<int> _transposePhase;
    private readonly Action<int> _logitsPhase;
    private readonly Action<int> _gradientPhase;
    private readonly Action<int> _adamPhase;

    // The phase arguments, set by the calling thread before each gang run.
    private int _batch;
    private ReadOnlyMemory<int> _targets;

    /// <summary>Wraps the given weight arrays (updated in place) with zero Adam moments.</summary>
    /// <param name="words">V, the vocabulary size.</param>
    /// <param name="dimensions">d.</param>
    /// <param name="maxBatch">The largest batch <see cref="TrainBatch"/> will get.</param>
    /// <param name="threads">Workers for the products.</param>
    /// <param name="cbowMean">Inputs of several words are averaged (true) or summed.</param>
    /// <param name="weightDecay">AdamW's weight_decay.</param>
    /// <param name="input">V × d embedding E.</param>
    /// <param name="output">V × d linear weight W.</param>
    /// <param name="bias">V linear bias b.</param>
    public SoftmaxModel(int words, int dimensions, int maxBatch, int threads, bool cbowMean, float weightDecay, float[] input, float[] output, float[] bias)
    {
        Debug.Assert(input.Length == (long)words * dimensions && output.Length == input.Length && bias.Length == words);
        _words = words;
        _dimensions = dimensions;
        _cbowMean = cbowMean;
        long values = (long)words * dimensions;
        _input = Parameter.Over("embedding.weight", input, words, dimensions);
        _output = Parameter.Over("linear.weight", output, words, dimensions);
        _bias = Parameter.Over("linear.bias", bias, 1, words);
        _optimizer = new Optimizer(OptimizerOptions.AdamW(weightDecay: weightDecay), [_input, _output, _bias]);
        _hidden = new float[maxBatch * dimensions];
        _hiddenError = new float[maxBatch * dimensions];
        _transposedOutput = new float[values];
        _logits = new float[(long)maxBatch * words];
        _rowLoss = new double[maxBatch];
        _scratch = new float[dimensions];
        _touched = new bool[words];
        _gang = new WorkerGang(Math.Max(1, threads));
        _transposePhase = TransposePhase;
        _logitsPhase = LogitsPhase;
        _gradientPhase = GradientPhase;
        _adamPhase = AdamPhase;
    }

    /// <summary>E, V × d.</summary>
    public float[] Input => _input.Value;

    /// <summary>W, V × d.</summary>
    public float[] Output => _output.Value;

    /// <summary>b, V.</summary>
    public float[] Bias => _bias.Value;

    /// <summary>AdamW's moments (PyTorch <c>exp_avg</c>, <c>exp_avg_sq</c>) of E, W and b, in that order: E, E², W, W², b, b².</summary>
    public IReadOnlyList<float[]> Moments => _optimizer.State;

    /// <summary>AdamW steps taken (PyTorch <c>state['step']</c>).</summary>
    public long Steps
    {
        get => _optimizer.Steps;
        set => _optimizer.Steps = value;
    }

    /// <summary>∂loss/∂E after <see cref="ComputeGradients"/> (dense; zero outside the batch's rows).</summary>
    internal float[] InputGradient => _input.Gradient;

    /// <summary>∂loss/∂W after <see cref="ComputeGradients"/>.</summary>
    internal float[] OutputGradient => _output.Gradient;

    /// <summary>∂loss/∂b after <see cref="ComputeGradients"/>.</summary>
    internal float[] BiasGradient => _bias.Gradient;

    /// <summary>One AdamW step on a batch; returns the batch's summed cross-entropy (its mean is what is minimised).</summary>
    /// <param name="inputOffsets">B + 1 offsets into <paramref name="inputs"/>: example i's input words are [offsets[i], offsets[i+1]).</param>
    /// <param name="inputs">The input word ids (one per example for skip-gram, the context for CBOW).</param>
    /// <param name="targets">B target word ids.</param>
    /// <param name="learningRate">lr.</param>
    public double TrainBatch(ReadOnlySpan<int> inputOffsets, ReadOnlySpan<int> inputs, ReadOnlyMemory<int> targets, float learningRate)
    {
        double loss = ComputeGradients(inputOffsets, inputs, targets);
        Step(learningRate);
        return loss;
    }

    /// <summary>Forward and backward: fills the gradients of the batch's mean loss and returns its summed loss.</summary>
    /// <remarks>Call <see cref="Step"/> (or <see cref="ClearInputGradient"/>) before the next call: E's gradient is cleared there.</remarks>
    public double ComputeGradients(ReadOnlySpan<int> inputOffsets, ReadOnlySpan<int> inputs, ReadOnlyMemory<int> targets)
    {
        int batch = targets.Length;
        int d = _dimensions;
        Debug.Assert(batch >= 1 && batch <= _rowLoss.Length && inputOffsets.Length == batch + 1);
        for (int i = 0; i < batch; i++)
        {
            Span<float> h = _hidden.AsSpan(i * d, d);
            ReadOnlySpan<int> words = inputs[inputOffsets[i]..inputOffsets[i + 1]];
            Input.AsSpan(words[0] * d, d).CopyTo(h);
            for (int w = 1; w < words.Length; w++)
            {
                TensorPrimitives.Add(h, Input.AsSpan(words[w] * d, d), h);
            }

            if (words.Length > 1 && _cbowMean)
            {
                TensorPrimitives.Divide(h, words.Length, h);
            }
        }

        _batch = batch;
        _targets = targets;
        _gang.Run(_transposePhase);
        _gang.Run(_logitsPhase);
        _gang.Run(_gradientPhase);

        // E's gradient: scatter each example's error into its input rows, in example order (PyTorch's index_add).
        for (int i = 0; i < batch; i++)
        {
            ReadOnlySpan<float> error = _hiddenError.AsSpan(i * d, d);
            ReadOnlySpan<int> words = inputs[inputOffsets[i]..inputOffsets[i + 1]];
            if (words.Length > 1 && _cbowMean)
            {
                TensorPrimitives.Divide(error, words.Length, _scratch);
                error = _scratch;
            }

            foreach (int word in words)
            {
                Span<float> row = InputGradient.AsSpan(word * d, d);
                TensorPrimitives.Add(row, error, row);
                if (!_touched[word])
                {
                    _touched[word] = true;
                    _touchedRows.Add(word);
                }
            }
        }

        double loss = 0;
        for (int i = 0; i < batch; i++)
        {
            loss += _rowLoss[i];
        }

        return loss;
    }

    /// <summary>One AdamW step with the gradients <see cref="ComputeGradients"/> left; clears E's gradient.</summary>
    public void Step(float learningRate)
    {
        _optimizer.BeginStep(learningRate);
        _gang.Run(_adamPhase);
        ClearInputGradient();
    }

    /// <summary>Zeroes the rows of E's gradient that the last batch touched.</summary>
    public void ClearInputGradient()
    {
        int d = _dimensions;
        foreach (int word in _touchedRows)
        {
            InputGradient.AsSpan(word * d, d).Clear();
            _touched[word] = false;
        }

        _touchedRows.Clear();
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => _gang.Dispose();

    private void TransposePhase(int part)
    {
        (int start, int count) = MatrixProduct.Partition(_words, _gang.Workers, part);
        MatrixProduct.Transpose(Output, _transposedOutput, _words, _dimensions, start, count);
    }

    private void LogitsPhase(int part)
    {
        int v = _words;
        (int start, int count) = MatrixProduct.Partition(_batch, _gang.Workers, part);
        MatrixProduct.Multiply(_hidden, _transposedOutput, _logits, _batch, _dimensions, v, start, count);
        ReadOnlySpan<int> targets = _targets.Span;
        float scale = 1f / _batch;
        for (int i = start; i < start + count; i++)
        {
            // Stable log-sum-exp; the row becomes (softmax − one-hot) / B, the gradient of the mean loss.
            // Normalised first, then scaled: the order this model's results were fixed with (the language models fold
            // the two scales into one multiplication).
            Span<float> z = _logits.AsSpan(i * v, v);
            TensorPrimitives.Add(z, Bias, z);
            _rowLoss[i] = SoftmaxCrossEntropy.ExponentiateRow(z, targets[i], out float sum);
            TensorPrimitives.Multiply(z, 1f / sum, z);
            z[targets[i]] -= 1f;
            TensorPrimitives.Multiply(z, scale, z);
        }
    }

    private void GradientPhase(int part)
    {
        int v = _words, d = _dimensions, batch = _batch;
        (int rowStart, int rowCount) = MatrixProduct.Partition(batch, _gang.Workers, part);
        MatrixProduct.Multiply(_logits, Output, _hiddenError, batch, v, d, rowStart, rowCount);
        (int wordStart, int wordCount) = MatrixProduct.Partition(v, _gang.Workers, part);
        MatrixProduct.MultiplyTransposedA(_logits, _hidden, OutputGradient, v, batch, d, wordStart, wordCount);
        Span<float> biasGradient = BiasGradient.AsSpan(wordStart, wordCount);
        biasGradient.Clear();
        for (int i = 0; i < batch; i++)
        {
            TensorPrimitives.Add(biasGradient, _logits.AsSpan(i * v + wordStart, wordCount), biasGradient);
        }
    }

    private void AdamPhase(int part)
    {
        int workers = _gang.Workers;
        (int start, int count) = MatrixProduct.Partition(Input.Length, workers, part);
        _optimizer.Update(0, start, count, 1f);
        _optimizer.Update(1, start, count, 1f);
        (start, count) = MatrixProduct.Partition(Bias.Length, workers, part);
        _optimizer.Update(2, start, count, 1f);
    }
}
