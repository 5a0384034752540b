using System.Diagnostics;
using System.Globalization;
using Embeddings.Core.Numerics;
using Embeddings.Core.Vectors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Quantization;

/// <summary>
/// Trains an autoencoder over word vectors: an encoder of dense layers down to a code of k values (or k bits, with
/// <see cref="EmbeddingAutoencoderOptions.BinaryCode"/>) and a decoder back up, fitted with Adam on mini-batches to
/// reconstruct the vectors, stopping early when a held-out share stops improving. Thread-safe: one trainer may fit
/// several data sets at once.
/// </summary>
/// <remarks>Reproducibility: with a seed the result is bit-identical for any <see cref="EmbeddingAutoencoderOptions.Threads"/> (every product element is one fixed chain of operations).</remarks>
public sealed class EmbeddingAutoencoder
{
    private readonly ILogger<EmbeddingAutoencoder> _logger;

    internal EmbeddingAutoencoder(EmbeddingAutoencoderOptions options, ILoggerFactory? loggerFactory = null)
    {
        Options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<EmbeddingAutoencoder>();
    }

    /// <summary>The settings.</summary>
    /// <value>The validated options.</value>
    public EmbeddingAutoencoderOptions Options { get; }

    /// <summary>Starts configuring a trainer from the defaults of <see cref="EmbeddingAutoencoderOptions"/>.</summary>
    /// <returns>A builder.</returns>
    public static EmbeddingAutoencoderBuilder CreateBuilder() => new();

    /// <summary>Trains on every vector of <paramref name="vectors"/>.</summary>
    /// <param name="vectors">The word vectors.</param>
    /// <param name="progress">Receives a report after each epoch; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between mini-batches.</param>
    /// <returns>The trained autoencoder.</returns>
    /// <exception cref="ArgumentException">See <see cref="Train(ReadOnlySpan{float}, int, IProgress{AutoencoderProgress}?, CancellationToken)"/>.</exception>
    public AutoencoderModel Train(WordVectors vectors, IProgress<AutoencoderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        return Train(vectors.Matrix, vectors.Dimensions, progress, cancellationToken);
    }

    /// <summary>Trains on <paramref name="vectors"/>, n × <paramref name="dimensions"/> floats in row-major order.</summary>
    /// <param name="vectors">The vectors; not modified.</param>
    /// <param name="dimensions">The length of each vector.</param>
    /// <param name="progress">Receives a report after each epoch; <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Checked between mini-batches.</param>
    /// <returns>The trained autoencoder.</returns>
    /// <exception cref="ArgumentException">No vectors; a value is NaN or infinite; the length is not a multiple of <paramref name="dimensions"/>; or a float code is longer than the vectors.</exception>
    /// <exception cref="OperationCanceledException">Cancellation was requested.</exception>
    public AutoencoderModel Train(ReadOnlySpan<float> vectors, int dimensions, IProgress<AutoencoderProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        EmbeddingAutoencoderOptions options = Options;
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        options.Validate(dimensions);
        if (vectors.Length == 0 || vectors.Length % dimensions != 0)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The vectors hold {vectors.Length} values; expected a positive multiple of the {dimensions} dimensions."), nameof(vectors));
        }

        for (int i = 0; i < vectors.Length; i++)
        {
            if (!float.IsFinite(vectors[i]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The vector {i / dimensions} holds {vectors[i]} at dimension {i % dimensions}; the autoencoder needs finite values."), nameof(vectors));
            }
        }

        int count = vectors.Length / dimensions;
        var clock = Stopwatch.StartNew();
        CompressionLog.AutoencoderStarted(_logger, count, dimensions, options.CodeDimensions, options.BinaryCode);

        float[] data = vectors.ToArray();
        if (options.NormalizeInputs)
        {
            KMeans.NormalizeRows(data, dimensions);
        }

        ulong seed = (ulong)(long)options.Seed;
        AutoencoderNetwork network = AutoencoderNetwork.Create(dimensions, options, SplitMix64Random.Mix(seed, 1, 0));

        // A seeded held-out share; the rest is shuffled again every epoch.
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        var random = new SplitMix64Random(SplitMix64Random.Mix(seed, 2, 0));
        Shuffle(order, ref random);
        int held = count > 1 ? Math.Min(count - 1, (int)(count * options.ValidationShare)) : 0;
        int[] validation = order[..held];
        int[] training = order[held..];

        int batchSize = Math.Min(options.BatchSize, training.Length);
        var trainer = new Step(network, dimensions, batchSize, options);
        using WorkerGang? gang = options.Threads > 1 ? new WorkerGang(options.Threads) : null;

        double best = double.PositiveInfinity;
        float[][]? bestParameters = null;
        int stale = 0;
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            Shuffle(training, ref random);
            double lossSum = 0;
            int batches = 0;
            for (int start = 0; start < training.Length; start += batchSize)
            {
                cancellationToken.ThrowIfCancellationRequested();
                int rows = Math.Min(batchSize, training.Length - start);
                lossSum += trainer.Train(data, training.AsSpan(start, rows), gang);
                batches++;
            }

            double validationLoss = held > 0 ? trainer.Evaluate(data, validation, gang) : double.NaN;
            double trainingLoss = lossSum / batches;
            CompressionLog.AutoencoderEpoch(_logger, epoch, trainingLoss, validationLoss);
            progress?.Report(new AutoencoderProgress(epoch, options.Epochs, trainingLoss, validationLoss, clock.Elapsed));
            if (held == 0)
            {
                continue;
            }

            if (validationLoss < best)
            {
                best = validationLoss;
                bestParameters = [.. network.Parameters().Select(p => (float[])p.Value.Clone())];
                stale = 0;
            }
            else if (++stale >= options.Patience)
            {
                break;
            }
        }

        if (bestParameters is not null)
        {
            int i = 0;
            foreach ((float[] value, _) in network.Parameters())
            {
                bestParameters[i++].CopyTo(value, 0);
            }
        }

        CompressionLog.AutoencoderFinished(_logger, clock.Elapsed.TotalSeconds);
        return new AutoencoderModel(network, options.NormalizeInputs, options.NormalizeInputs && options.Loss == AutoencoderLoss.Cosine, clock.Elapsed);
    }

    private static void Shuffle(int[] items, ref SplitMix64Random random)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = random.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>One trainer's buffers: a batch, each layer's outputs and gradients, and Adam's moments.</summary>
    private sealed class Step
    {
        private const float Beta1 = 0.9f, Beta2 = 0.999f, Epsilon = 1e-8f;

        private readonly AutoencoderNetwork _network;
        private readonly EmbeddingAutoencoderOptions _options;
        private readonly int _dimensions;
        private readonly int _batchSize;
        private readonly float[] _batch;
        private readonly float[][] _outputs;
        private readonly float[][] _scratch;
        private readonly float[] _outputGradient;
        private readonly float[]? _codeInput;
        private readonly float[]? _codeGradient;
        private readonly float[]? _correlation;
        private readonly float[]? _product;
        private readonly (float[] Value, float[] Gradient, float[] First, float[] Second)[] _parameters;
        private long _steps;

        public Step(AutoencoderNetwork network, int dimensions, int batchSize, EmbeddingAutoencoderOptions options)
        {
            _network = network;
            _options = options;
            _dimensions = dimensions;
            _batchSize = batchSize;
            _batch = new float[batchSize * dimensions];
            _outputs = [.. network.Layers.Select(layer => new float[batchSize * layer.Outputs])];
            _scratch = [.. network.Layers.Select(layer => new float[batchSize * layer.Outputs])];
            _outputGradient = new float[batchSize * dimensions];
            if (network.Binary)
            {
                int bits = network.CodeDimensions;
                _codeInput = new float[batchSize * bits];
                _codeGradient = new float[batchSize * bits];
                _correlation = options.DecorrelationWeight > 0 ? new float[bits * bits] : null;
                _product = options.DecorrelationWeight > 0 ? new float[batchSize * bits] : null;
            }

            _parameters = [.. network.Parameters().Select(p => (p.Value, p.Gradient, new float[p.Value.Length], new float[p.Value.Length]))];
        }

        /// <summary>One Adam step on the rows <paramref name="ids"/>; returns the batch's loss.</summary>
        public double Train(float[] data, ReadOnlySpan<int> ids, WorkerGang? gang)
        {
            int rows = ids.Length;
            Gather(data, ids);
            _network.Forward(_batch, rows, 0, _network.Layers.Length - 1, _outputs, _codeInput, gang);
            double loss = LossAndGradient(rows, _outputs[^1], _outputGradient);
            if (_codeGradient is not null)
            {
                loss += Regularise(rows, gang);
            }

            foreach ((_, float[] gradient, _, _) in _parameters)
            {
                Array.Clear(gradient);
            }

            _network.Backward(_batch, rows, _outputs, _codeInput, _codeGradient, _outputGradient, _scratch, gang);
            Adam();
            return loss;
        }

        /// <summary>The mean reconstruction loss over <paramref name="ids"/>, without training.</summary>
        public double Evaluate(float[] data, int[] ids, WorkerGang? gang)
        {
            double sum = 0;
            for (int start = 0; start < ids.Length; start += _batchSize)
            {
                int rows = Math.Min(_batchSize, ids.Length - start);
                Gather(data, ids.AsSpan(start, rows));
                _network.Forward(_batch, rows, 0, _network.Layers.Length - 1, _outputs, _codeInput, gang);
                sum += LossAndGradient(rows, _outputs[^1], _outputGradient) * rows;
            }

            return sum / ids.Length;
        }

        private void Gather(float[] data, ReadOnlySpan<int> ids)
        {
            int d = _dimensions;
            for (int r = 0; r < ids.Length; r++)
            {
                data.AsSpan(ids[r] * d, d).CopyTo(_batch.AsSpan(r * d, d));
            }
        }

        /// <summary>The loss of a batch and its gradient at the output (mean over the batch).</summary>
        private double LossAndGradient(int rows, float[] output, float[] gradient)
        {
            int d = _dimensions;
            double loss = 0;
            if (_options.Loss == AutoencoderLoss.MeanSquaredError)
            {
                float scale = 2f / (rows * d);
                for (int i = 0; i < rows * d; i++)
                {
                    float diff = output[i] - _batch[i];
                    loss += diff * diff;
                    gradient[i] = scale * diff;
                }

                return loss / (rows * d);
            }

            for (int r = 0; r < rows; r++)
            {
                ReadOnlySpan<float> y = output.AsSpan(r * d, d);
                ReadOnlySpan<float> x = _batch.AsSpan(r * d, d);
                Span<float> g = gradient.AsSpan(r * d, d);
                float yy = 0, xx = 0, xy = 0;
                for (int j = 0; j < d; j++)
                {
                    yy = MathF.FusedMultiplyAdd(y[j], y[j], yy);
                    xx = MathF.FusedMultiplyAdd(x[j], x[j], xx);
                    xy = MathF.FusedMultiplyAdd(x[j], y[j], xy);
                }

                float ny = MathF.Sqrt(Math.Max(yy, 1e-12f)), nx = MathF.Sqrt(Math.Max(xx, 1e-12f));
                float cosine = xy / (nx * ny);
                loss += 1 - cosine;

                // d(1 − cos)/dy = −(x/(|x||y|) − cos·y/|y|²), averaged over the batch.
                float a = -1f / (rows * nx * ny), b = cosine / (rows * ny * ny);
                for (int j = 0; j < d; j++)
                {
                    g[j] = (a * x[j]) + (b * y[j]);
                }
            }

            return loss / rows;
        }

        /// <summary>The binary code's balance and decorrelation penalties on t = tanh(z); writes their gradient with respect to z.</summary>
        private double Regularise(int rows, WorkerGang? gang)
        {
            Debug.Assert(_codeInput is not null && _codeGradient is not null);
            int bits = _network.CodeDimensions;
            float[] t = _scratch[_network.CodeLayer]; // free until the backward pass reaches the code layer
            float[] dt = _codeGradient;
            System.Numerics.Tensors.TensorPrimitives.Tanh(_codeInput.AsSpan(0, rows * bits), t.AsSpan(0, rows * bits));
            Array.Clear(dt);
            double loss = 0;
            float balance = (float)_options.BalanceWeight;
            if (balance > 0)
            {
                Span<float> mean = bits <= 4096 ? stackalloc float[bits] : new float[bits];
                mean.Clear();
                for (int r = 0; r < rows; r++)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(mean, t.AsSpan(r * bits, bits), mean);
                }

                System.Numerics.Tensors.TensorPrimitives.Multiply(mean, 1f / rows, mean);
                loss += balance * System.Numerics.Tensors.TensorPrimitives.Dot(mean, mean) / bits;
                float scale = 2f * balance / (rows * bits);
                for (int r = 0; r < rows; r++)
                {
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(mean, scale, dt.AsSpan(r * bits, bits), dt.AsSpan(r * bits, bits));
                }
            }

            float decorrelation = (float)_options.DecorrelationWeight;
            if (_correlation is not null && decorrelation > 0)
            {
                // C = tᵀt / rows with its diagonal cleared; loss w·Σ C²/bits²; dL/dt = 4w/(rows·bits²) · t·C.
                float[] c = _correlation;
                Products.MultiplyTransposedA(t, t, c, bits, rows, bits, gang);
                System.Numerics.Tensors.TensorPrimitives.Multiply(c, 1f / rows, c);
                for (int j = 0; j < bits; j++)
                {
                    c[(j * bits) + j] = 0;
                }

                loss += decorrelation * System.Numerics.Tensors.TensorPrimitives.Dot(c, c) / ((double)bits * bits);
                float[] product = _product!;
                Products.Multiply(t, c, product, rows, bits, bits, gang);
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(product.AsSpan(0, rows * bits), 4f * decorrelation / ((float)rows * bits * bits), dt.AsSpan(0, rows * bits), dt.AsSpan(0, rows * bits));
            }

            // Through tanh: dz = dt·(1 − t²).
            for (int i = 0; i < rows * bits; i++)
            {
                dt[i] *= 1f - (t[i] * t[i]);
            }

            return loss;
        }

        private void Adam()
        {
            _steps++;
            float learningRate = (float)_options.LearningRate;
            float stepSize = (float)(learningRate / (1 - Math.Pow(Beta1, _steps)));
            float correction2 = (float)Math.Sqrt(1 - Math.Pow(Beta2, _steps));
            foreach ((float[] value, float[] gradient, float[] first, float[] second) in _parameters)
            {
                for (int i = 0; i < value.Length; i++)
                {
                    float g = gradient[i];
                    first[i] = (Beta1 * first[i]) + ((1 - Beta1) * g);
                    second[i] = (Beta2 * second[i]) + ((1 - Beta2) * g * g);
                    value[i] -= stepSize * first[i] / ((MathF.Sqrt(second[i]) / correction2) + Epsilon);
                }
            }
        }
    }
}
