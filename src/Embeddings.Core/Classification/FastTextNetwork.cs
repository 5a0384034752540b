using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Classification;

/// <summary>
/// fastText's supervised model ("Bag of Tricks"): the hidden vector is the mean of the input rows of an example's words
/// and word n-grams; a linear output layer scores the labels under one of four losses. Trained by Hogwild SGD: every
/// worker updates the shared weights without locks, with fastText's learning rate decaying linearly over all tokens.
/// </summary>
internal sealed class FastTextNetwork : ClassifierNetwork
{
    private readonly Memory<float> _input; // InputRows × Dimensions: words, then n-gram buckets
    private readonly float[]? _trainable;  // the same rows when they are an array: a new network's, not a mapped file's
    private readonly float[] _output;      // OutputRows × Dimensions: labels, or the inner nodes of the label tree
    private readonly int _labels;
    private readonly TextClassifierLoss _loss;
    private readonly int _negatives;
    private readonly bool _freeze;
    private readonly double _learningRate;
    private readonly int _updateRate;
    private readonly ulong _seed;
    private readonly double[] _negativeCumulative;   // running sums of √count, for negative sampling
    private readonly LabelTree? _tree;

    private FastTextNetwork(TextClassifierOptions options, long[] labelCounts, Memory<float> input, float[] output)
    {
        Dimensions = options.Dimensions;
        _labels = labelCounts.Length;
        _loss = options.Loss;
        _negatives = options.NegativeSamples;
        _freeze = options.FreezeEmbeddings;
        _learningRate = options.LearningRate;
        _updateRate = options.LearningRateUpdateRate;
        _seed = options.Seed;
        _input = input;
        _trainable = MemoryMarshal.TryGetArray(input, out ArraySegment<float> rows) && rows.Count == rows.Array!.Length ? rows.Array : null;
        _output = output;
        _negativeCumulative = new double[_labels];
        double sum = 0;
        for (int i = 0; i < _labels; i++)
        {
            sum += Math.Sqrt(labelCounts[i]);
            _negativeCumulative[i] = sum;
        }

        _tree = _loss == TextClassifierLoss.HierarchicalSoftmax ? new LabelTree(labelCounts) : null;
    }

    public int Dimensions { get; }

    public override TextClassifierFamily Family => TextClassifierFamily.FastText;

    public override int LabelCount => _labels;

    public override bool IndependentLabels => _loss == TextClassifierLoss.OneVsAll;

    public override IReadOnlyList<float[]> Weights => [Trainable, _output];

    /// <summary>The input rows to update; a model loaded from a mapped file (read-only) is never trained.</summary>
    private float[] Trainable => _trainable ?? throw new InvalidOperationException("The input rows of a loaded classifier lie in its mapped file and are read-only.");

    private static int OutputRows(TextClassifierLoss loss, int labels) => loss == TextClassifierLoss.HierarchicalSoftmax ? labels - 1 : labels;

    /// <summary>
    /// A new network: input rows uniform in ±1/dim (fastText's initialisation) drawn from the seed, the rows of words
    /// that <paramref name="pretrained"/> holds replaced by its vectors, and a zero output layer.
    /// </summary>
    public static FastTextNetwork Create(TextClassifierOptions options, FastTextDictionary dictionary, WordVectors? pretrained)
    {
        float[] input = InitialInput(options, dictionary, pretrained);
        var output = new float[checked(OutputRows(options.Loss, dictionary.Labels.Length) * options.Dimensions)];
        return new FastTextNetwork(options, dictionary.LabelCounts, input, output);
    }

    /// <summary>
    /// fastText's initial input rows: uniform in ±1/dim drawn from the seed, with the rows of the words that
    /// <paramref name="pretrained"/> holds replaced by its vectors.
    /// </summary>
    public static float[] InitialInput(TextClassifierOptions options, FastTextDictionary dictionary, WordVectors? pretrained)
    {
        int dim = options.Dimensions;
        var input = new float[checked(dictionary.InputRows * dim)];
        SplitMix64Random random = SplitMix64Random.For(options.Seed, 0x494E505554);
        float bound = 1f / dim;
        for (long i = 0; i < input.LongLength; i++)
        {
            input[i] = random.NextUniform(-bound, bound);
        }

        if (pretrained is not null)
        {
            for (int id = 0; id < dictionary.Words.Count; id++)
            {
                if (pretrained.TryGetVector(dictionary.Words[id], out ReadOnlySpan<float> vector))
                {
                    vector.CopyTo(input.AsSpan(id * dim, dim));
                }
            }
        }

        return input;
    }

    public override void Write(NativePayloadWriter writer)
    {
        writer.Write(_input.Length / Dimensions);
        writer.WriteFloats(_input.Span);
        writer.WriteFloats(_output);
    }

    /// <summary>
    /// Reads what <see cref="Write"/> wrote, checking the shape against the dictionary and options. From a mapped file
    /// (<see cref="NativeFile.ReadMapped"/>) the input rows stay in the file, read-only: such a network predicts, and is
    /// saved, but is not trained.
    /// </summary>
    public static FastTextNetwork Read(NativePayloadReader reader, TextClassifierOptions options, FastTextDictionary dictionary)
    {
        int rows = reader.ReadInt32();
        if (rows != dictionary.InputRows)
        {
            throw reader.Invalid($"has {rows} input rows where its {dictionary.Words.Count} words and {dictionary.Buckets} buckets need {dictionary.InputRows}");
        }

        Memory<float> input = reader.ReadFloatsInPlace((long)rows * options.Dimensions);
        float[] output = reader.ReadFloats((long)OutputRows(options.Loss, dictionary.Labels.Length) * options.Dimensions);
        return new FastTextNetwork(options, dictionary.LabelCounts, input, output);
    }

    public override void Probabilities(ReadOnlySpan<int> input, Span<float> probabilities)
    {
        float[] hidden = new float[Dimensions];
        Hidden(input, hidden);
        Scores(hidden, probabilities);
    }

    private void Hidden(ReadOnlySpan<int> input, Span<float> hidden)
    {
        hidden.Clear();
        if (input.Length == 0)
        {
            return;
        }

        ReadOnlySpan<float> rows = _input.Span;
        foreach (int id in input)
        {
            TensorPrimitives.Add(hidden, rows.Slice(id * Dimensions, Dimensions), hidden);
        }

        TensorPrimitives.Multiply(hidden, 1f / input.Length, hidden);
    }

    private ReadOnlySpan<float> OutputRow(int row) => _output.AsSpan(row * Dimensions, Dimensions);

    private void Scores(float[] hidden, Span<float> probabilities)
    {
        if (_tree is not null)
        {
            _tree.LeafProbabilities(node => Sigmoid(TensorPrimitives.Dot(hidden, OutputRow(node))), probabilities);
            return;
        }

        for (int i = 0; i < _labels; i++)
        {
            probabilities[i] = TensorPrimitives.Dot(hidden, OutputRow(i));
        }

        if (_loss == TextClassifierLoss.Softmax)
        {
            SoftmaxCrossEntropy.Softmax(probabilities[.._labels]);
        }
        else
        {
            for (int i = 0; i < _labels; i++)
            {
                probabilities[i] = Sigmoid(probabilities[i]);
            }
        }
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public override bool TrainEpoch(ClassifierData data, EpochPosition position, WorkerGang gang, CancellationToken cancellationToken)
    {
        int workers = position.Next.Length;
        bool finished = true;
        gang.Run(worker =>
        {
            if (worker < workers && !TrainShare(data, position, worker, workers, cancellationToken))
            {
                Volatile.Write(ref finished, false);
            }
        });
        return finished;
    }

    private bool TrainShare(ClassifierData data, EpochPosition position, int worker, int workers, CancellationToken cancellationToken)
    {
        int end = EpochPosition.Share(worker, workers, data.Examples.Length).End;
        float[] hidden = new float[Dimensions];
        float[] gradient = new float[Dimensions];
        float[] scores = new float[_labels];
        long local = position.LocalTokens[worker];
        double loss = 0;
        long examples = 0;
        int epoch = position.Epoch;
        int i = position.Next[worker];
        for (; i < end; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            EncodedExample example = data.Examples[i];
            double progress = (double)Interlocked.Read(ref position.TokensDone) / data.TotalTokens;
            float rate = (float)(_learningRate * (1.0 - progress));
            local += example.Tokens;
            if (example.Input.Length > 0 && example.Labels.Length > 0)
            {
                // Randomness keyed by the example, so a resumed run draws what the uninterrupted one drew.
                SplitMix64Random random = SplitMix64Random.For(_seed, (ulong)epoch, (ulong)i);
                loss += Update(example, data.LabelWeights, rate, hidden, gradient, scores, ref random);
                examples++;
            }

            if (local > _updateRate)
            {
                Interlocked.Add(ref position.TokensDone, local);
                local = 0;
            }

            data.AfterExample?.Invoke(epoch, i);
            if (worker == 0 && (i & 255) == 0)
            {
                data.Tick?.Invoke();
            }
        }

        position.Next[worker] = i;
        position.LocalTokens[worker] = local;
        position.Loss[worker] += loss;
        position.Examples[worker] += examples;
        return i == end;
    }

    /// <summary>One SGD step on one example (fastText's <c>Model::update</c>); returns its loss.</summary>
    private double Update(EncodedExample example, float[] labelWeights, float rate, float[] hidden, float[] gradient, float[] scores, ref SplitMix64Random random)
    {
        Hidden(example.Input, hidden);
        Array.Clear(gradient);
        double loss;
        if (_loss == TextClassifierLoss.OneVsAll)
        {
            float weight = 0;
            foreach (int label in example.Labels)
            {
                weight += labelWeights[label];
            }

            rate *= weight / example.Labels.Length;
            loss = 0;
            for (int i = 0; i < _labels; i++)
            {
                loss += BinaryLogistic(i, Array.IndexOf(example.Labels, i) >= 0, rate, hidden, gradient);
            }
        }
        else
        {
            int target = example.Labels.Length == 1 ? example.Labels[0] : example.Labels[random.NextInt(example.Labels.Length)];
            rate *= labelWeights[target];
            loss = _loss switch
            {
                TextClassifierLoss.Softmax => SoftmaxStep(target, rate, hidden, gradient, scores),
                TextClassifierLoss.NegativeSampling => NegativeSamplingStep(target, rate, hidden, gradient, ref random),
                _ => HierarchicalStep(target, rate, hidden, gradient),
            };
        }

        if (!_freeze)
        {
            TensorPrimitives.Multiply(gradient, 1f / example.Input.Length, gradient);
            float[] rows = Trainable;
            foreach (int id in example.Input)
            {
                Span<float> row = rows.AsSpan(id * Dimensions, Dimensions);
                TensorPrimitives.Add(row, gradient, row);
            }
        }

        return loss;
    }

    private double SoftmaxStep(int target, float rate, float[] hidden, float[] gradient, float[] scores)
    {
        for (int i = 0; i < _labels; i++)
        {
            scores[i] = TensorPrimitives.Dot(hidden, OutputRow(i));
        }

        SoftmaxCrossEntropy.Softmax(scores);
        for (int i = 0; i < _labels; i++)
        {
            float alpha = rate * ((i == target ? 1f : 0f) - scores[i]);
            Span<float> row = _output.AsSpan(i * Dimensions, Dimensions);
            TensorPrimitives.MultiplyAdd(row, alpha, gradient, gradient);
            TensorPrimitives.MultiplyAdd(hidden, alpha, row, row);
        }

        return -Math.Log(scores[target] + 1e-5);
    }

    private double NegativeSamplingStep(int target, float rate, float[] hidden, float[] gradient, ref SplitMix64Random random)
    {
        double loss = BinaryLogistic(target, true, rate, hidden, gradient);
        double total = _negativeCumulative[^1];
        for (int n = 0; n < _negatives; n++)
        {
            int negative;
            do
            {
                int found = Array.BinarySearch(_negativeCumulative, random.NextDouble() * total);
                negative = found >= 0 ? Math.Min(found + 1, _labels - 1) : ~found;
            }
            while (negative == target);
            loss += BinaryLogistic(negative, false, rate, hidden, gradient);
        }

        return loss;
    }

    private double HierarchicalStep(int target, float rate, float[] hidden, float[] gradient)
    {
        double loss = 0;
        (int[] path, bool[] code) = _tree!.PathOf(target);
        for (int i = 0; i < path.Length; i++)
        {
            loss += BinaryLogistic(path[i], code[i], rate, hidden, gradient);
        }

        return loss;
    }

    /// <summary>A logistic step on one output row (fastText's <c>Loss::binaryLogistic</c>); returns its loss.</summary>
    private double BinaryLogistic(int row, bool positive, float rate, float[] hidden, float[] gradient)
    {
        Span<float> weights = _output.AsSpan(row * Dimensions, Dimensions);
        float score = Sigmoid(TensorPrimitives.Dot(hidden, weights));
        float alpha = rate * ((positive ? 1f : 0f) - score);
        TensorPrimitives.MultiplyAdd(weights, alpha, gradient, gradient);
        TensorPrimitives.MultiplyAdd(hidden, alpha, weights, weights);
        return -Math.Log((positive ? score : 1f - score) + 1e-5);
    }
}
