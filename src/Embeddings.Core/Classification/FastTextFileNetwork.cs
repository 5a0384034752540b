using Embeddings.Core.Formats.FastText;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Classification;

/// <summary>
/// The network of a supervised model read from a fastText <c>.bin</c>/<c>.ftz</c> file: its input and output matrices
/// (dense or product-quantized) used as <c>fasttext predict</c> uses them, so that predictions and probabilities equal
/// fastText's. The hidden vector is the mean of the input rows; the probabilities are fastText's printed ones,
/// <c>exp(log(p + 1e-5))</c>; one-vs-all and negative sampling score with fastText's 512-step sigmoid table, hierarchical
/// softmax with the exact sigmoid along the Huffman tree of the label counts. It predicts only: it is not trained and
/// not written in the native format.
/// </summary>
internal sealed class FastTextFileNetwork : ClassifierNetwork
{
    private const int SigmoidTableSize = 512;
    private const int MaxSigmoid = 8;

    private static readonly float[] SigmoidTable = BuildSigmoidTable();

    private readonly FastTextMatrix _input;
    private readonly FastTextMatrix _output;
    private readonly FastTextLossName _loss;
    private readonly int _labels;
    private readonly LabelTree? _tree;

    public FastTextFileNetwork(FastTextModelFile file)
    {
        _input = file.Input;
        _output = file.Output;
        _loss = file.Args.Loss;
        _labels = file.Dictionary.Labels.Count;
        _tree = _loss == FastTextLossName.HierarchicalSoftmax ? new LabelTree(file.Dictionary.LabelCounts) : null;
    }

    public int Dimensions => _input.Columns;

    public override TextClassifierFamily Family => TextClassifierFamily.FastText;

    public override int LabelCount => _labels;

    public override bool IndependentLabels => _loss == FastTextLossName.OneVsAll;

    public override IReadOnlyList<float[]> Weights => [];

    public override bool TrainEpoch(ClassifierData data, EpochPosition position, WorkerGang gang, CancellationToken cancellationToken) =>
        throw new NotSupportedException("A model read from a fastText file predicts only; train it with the fastText CLI or with TextClassifier.CreateBuilder().");

    public override void Write(NativePayloadWriter writer) =>
        throw new NotSupportedException("A model read from a fastText file cannot be saved in this library's format; keep the fastText file.");

    /// <summary>Every label's probability as fastText prints it; all equal to 1e-5 for an input with no rows.</summary>
    public override void Probabilities(ReadOnlySpan<int> input, Span<float> probabilities)
    {
        float[] hidden = Hidden(input);
        if (_tree is not null)
        {
            Descend(hidden, _tree.Root, 0f, probabilities);
            return;
        }

        Output(hidden, probabilities[.._labels]);
        for (int i = 0; i < _labels; i++)
        {
            probabilities[i] = MathF.Exp(StdLog(probabilities[i]));
        }
    }

    /// <summary>
    /// The <paramref name="k"/> best labels of an input whose probability reaches <paramref name="threshold"/>, best
    /// first, with fastText's probabilities and tie order (fastText's <c>Model::predict</c>); none for an empty input.
    /// </summary>
    public IReadOnlyList<(float Probability, int Label)> Predict(ReadOnlySpan<int> input, int k, float threshold)
    {
        if (input.IsEmpty)
        {
            return [];   // fastText predicts nothing for a line without a known word or n-gram
        }

        float[] hidden = Hidden(input);
        var heap = new FastTextPredictionHeap(k);
        if (_tree is not null)
        {
            Search(hidden, k, threshold, _tree.Root, 0f, heap);
        }
        else
        {
            float[] output = new float[_labels];
            Output(hidden, output);
            for (int i = 0; i < output.Length; i++)
            {
                if (output[i] < threshold)
                {
                    continue;
                }

                float score = StdLog(output[i]);
                if (heap.IsFull && score < heap.Least)
                {
                    continue;
                }

                heap.Add(score, i);
            }
        }

        return [.. heap.Sorted().Select(p => (MathF.Exp(p.Score), p.Label))];
    }

    /// <summary>The mean of the input rows (fastText's <c>computeHidden</c>).</summary>
    private float[] Hidden(ReadOnlySpan<int> input)
    {
        float[] hidden = new float[Dimensions];
        foreach (int row in input)
        {
            _input.AddRowTo(row, hidden);
        }

        if (input.Length > 0)
        {
            float scale = (float)(1.0 / input.Length);
            for (int i = 0; i < hidden.Length; i++)
            {
                hidden[i] *= scale;
            }
        }

        return hidden;
    }

    /// <summary>The labels' probabilities before fastText's logarithm: a softmax, or each label's table sigmoid.</summary>
    private void Output(float[] hidden, Span<float> output)
    {
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = _output.DotRow(i, hidden);
        }

        if (_loss == FastTextLossName.Softmax)
        {
            // As fastText's SoftmaxLoss::computeOutput, in single precision.
            float max = output[0];
            foreach (float score in output)
            {
                max = Math.Max(max, score);
            }

            float sum = 0f;
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = MathF.Exp(output[i] - max);
                sum += output[i];
            }

            for (int i = 0; i < output.Length; i++)
            {
                output[i] /= sum;
            }
        }
        else
        {
            for (int i = 0; i < output.Length; i++)
            {
                output[i] = TableSigmoid(output[i]);
            }
        }
    }

    /// <summary>fastText's <c>HierarchicalSoftmaxLoss::dfs</c>: walks the tree, pruning branches that cannot enter the k best.</summary>
    private void Search(float[] hidden, int k, float threshold, int node, float score, FastTextPredictionHeap heap)
    {
        if (score < StdLog(threshold) || (heap.Count == k && score < heap.Least))
        {
            return;
        }

        if (node < _labels)
        {
            heap.Add(score, node);
            return;
        }

        float f = ExactSigmoid(_output.DotRow(node - _labels, hidden));
        Search(hidden, k, threshold, _tree!.LeftOf(node), score + StdLog(1f - f), heap);
        Search(hidden, k, threshold, _tree.RightOf(node), score + StdLog(f), heap);
    }

    /// <summary>Every leaf's probability as the hierarchical search scores it, without pruning.</summary>
    private void Descend(float[] hidden, int node, float score, Span<float> probabilities)
    {
        if (node < _labels)
        {
            probabilities[node] = MathF.Exp(score);
            return;
        }

        float f = ExactSigmoid(_output.DotRow(node - _labels, hidden));
        Descend(hidden, _tree!.LeftOf(node), score + StdLog(1f - f), probabilities);
        Descend(hidden, _tree.RightOf(node), score + StdLog(f), probabilities);
    }

    /// <summary>fastText's <c>std_log</c>: the logarithm of a probability nudged off 0, in double, kept as a float.</summary>
    private static float StdLog(float x) => (float)Math.Log(x + 1e-5);

    private static float ExactSigmoid(float x) => (float)(1.0 / (1f + MathF.Exp(-x)));

    /// <summary>fastText's <c>Loss::sigmoid</c>: 0 or 1 beyond ±8, else the table entry below x.</summary>
    private static float TableSigmoid(float x)
    {
        if (x < -MaxSigmoid)
        {
            return 0f;
        }

        if (x > MaxSigmoid)
        {
            return 1f;
        }

        long i = (long)((x + MaxSigmoid) * SigmoidTableSize / MaxSigmoid / 2);
        return SigmoidTable[i];
    }

    private static float[] BuildSigmoidTable()
    {
        var table = new float[SigmoidTableSize + 1];
        for (int i = 0; i <= SigmoidTableSize; i++)
        {
            float x = (float)(i * 2 * MaxSigmoid) / SigmoidTableSize - MaxSigmoid;
            table[i] = (float)(1.0 / (1.0 + MathF.Exp(-x)));
        }

        return table;
    }
}
