using System.Diagnostics;
using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Quantization;

/// <summary>One dense layer y = f(x·W + b) of an autoencoder.</summary>
internal sealed class AutoencoderLayer
{
    public AutoencoderLayer(int inputs, int outputs, AutoencoderActivation activation, float[] weights, float[] weightGradient, bool transposed)
    {
        Inputs = inputs;
        Outputs = outputs;
        Activation = activation;
        Weights = weights;
        WeightGradient = weightGradient;
        Transposed = transposed;
        Bias = new float[outputs];
        BiasGradient = new float[outputs];
    }

    public int Inputs { get; }

    public int Outputs { get; }

    public AutoencoderActivation Activation { get; }

    /// <summary>Inputs × Outputs, or, for a tied decoder layer (<see cref="Transposed"/>), its mirror encoder layer's Outputs × Inputs array itself.</summary>
    public float[] Weights { get; }

    /// <summary>The gradient of <see cref="Weights"/>; shared with the mirror layer when tied.</summary>
    public float[] WeightGradient { get; }

    /// <summary>Whether <see cref="Weights"/> is read transposed (tied weights).</summary>
    public bool Transposed { get; }

    public float[] Bias { get; }

    public float[] BiasGradient { get; }
}

/// <summary>
/// The dense layers of an autoencoder: encoder layers 0…<see cref="CodeLayer"/>, decoder layers after it. Forward and
/// backward passes over row-major batches with <see cref="MatrixProduct"/>, whose rows may be split over a
/// <see cref="WorkerGang"/> without changing any element's arithmetic.
/// </summary>
internal sealed class AutoencoderNetwork
{
    private AutoencoderNetwork(AutoencoderLayer[] layers, int codeLayer, bool binary)
    {
        Layers = layers;
        CodeLayer = codeLayer;
        Binary = binary;
    }

    public AutoencoderLayer[] Layers { get; }

    /// <summary>The index of the layer whose output is the code.</summary>
    public int CodeLayer { get; }

    /// <summary>Whether the code is the sign (±1) of the code layer's input.</summary>
    public bool Binary { get; }

    public int Dimensions => Layers[0].Inputs;

    public int CodeDimensions => Layers[CodeLayer].Outputs;

    /// <summary>The distinct trainable arrays (tied weights once), with their gradients, in a fixed order.</summary>
    public IEnumerable<(float[] Value, float[] Gradient)> Parameters()
    {
        foreach (AutoencoderLayer layer in Layers)
        {
            if (!layer.Transposed)
            {
                yield return (layer.Weights, layer.WeightGradient);
            }

            yield return (layer.Bias, layer.BiasGradient);
        }
    }

    /// <summary>A new network with Glorot-uniform weights drawn from <paramref name="seed"/> and zero biases.</summary>
    public static AutoencoderNetwork Create(int dimensions, EmbeddingAutoencoderOptions options, ulong seed)
    {
        int[] widths = [dimensions, .. options.HiddenLayers, options.CodeDimensions];
        int encoderLayers = widths.Length - 1;
        var layers = new AutoencoderLayer[2 * encoderLayers];
        var random = new SplitMix64Random(seed);
        for (int l = 0; l < encoderLayers; l++)
        {
            int inputs = widths[l], outputs = widths[l + 1];
            AutoencoderActivation activation = l == encoderLayers - 1 ? (options.BinaryCode ? AutoencoderActivation.Linear : options.CodeActivation) : options.Activation;
            layers[l] = new AutoencoderLayer(inputs, outputs, activation, Glorot(inputs, outputs, ref random), new float[inputs * outputs], transposed: false);
        }

        for (int l = 0; l < encoderLayers; l++)
        {
            // Decoder layer l mirrors encoder layer encoderLayers − 1 − l; the last one is linear (it reconstructs the input).
            AutoencoderLayer mirror = layers[encoderLayers - 1 - l];
            AutoencoderActivation activation = l == encoderLayers - 1 ? AutoencoderActivation.Linear : options.Activation;
            layers[encoderLayers + l] = options.TiedWeights
                ? new AutoencoderLayer(mirror.Outputs, mirror.Inputs, activation, mirror.Weights, mirror.WeightGradient, transposed: true)
                : new AutoencoderLayer(mirror.Outputs, mirror.Inputs, activation, Glorot(mirror.Outputs, mirror.Inputs, ref random), new float[mirror.Weights.Length], transposed: false);
        }

        return new AutoencoderNetwork(layers, encoderLayers - 1, options.BinaryCode);
    }

    private static float[] Glorot(int inputs, int outputs, ref SplitMix64Random random)
    {
        float limit = MathF.Sqrt(6f / (inputs + outputs));
        var weights = new float[inputs * outputs];
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextUniform(-limit, limit);
        }

        return weights;
    }

    /// <summary>
    /// Runs layers [<paramref name="first"/>, <paramref name="last"/>] over <paramref name="rows"/> rows of
    /// <paramref name="input"/>, writing each layer's output into <paramref name="outputs"/>[l] (and, for a binary code
    /// layer, its input z into <paramref name="codeInput"/> when given).
    /// </summary>
    public void Forward(float[] input, int rows, int first, int last, float[][] outputs, float[]? codeInput, WorkerGang? gang)
    {
        float[] x = input;
        for (int l = first; l <= last; l++)
        {
            AutoencoderLayer layer = Layers[l];
            float[] y = outputs[l];
            if (layer.Transposed)
            {
                Products.MultiplyTransposedB(x, layer.Weights, y, rows, layer.Inputs, layer.Outputs, gang);
            }
            else
            {
                Products.Multiply(x, layer.Weights, y, rows, layer.Inputs, layer.Outputs, gang);
            }

            int n = layer.Outputs;
            bool sign = Binary && l == CodeLayer;
            for (int r = 0; r < rows; r++)
            {
                Span<float> row = y.AsSpan(r * n, n);
                for (int j = 0; j < n; j++)
                {
                    row[j] += layer.Bias[j];
                }

                if (sign)
                {
                    if (codeInput is not null)
                    {
                        row.CopyTo(codeInput.AsSpan(r * n, n));
                    }

                    for (int j = 0; j < n; j++)
                    {
                        row[j] = row[j] >= 0 ? 1f : -1f;
                    }
                }
                else
                {
                    Activate(layer.Activation, row);
                }
            }

            x = y;
        }
    }

    private static void Activate(AutoencoderActivation activation, Span<float> row)
    {
        switch (activation)
        {
            case AutoencoderActivation.Tanh:
                System.Numerics.Tensors.TensorPrimitives.Tanh(row, row);
                break;
            case AutoencoderActivation.Relu:
                for (int j = 0; j < row.Length; j++)
                {
                    row[j] = Math.Max(row[j], 0f);
                }

                break;
        }
    }

    /// <summary>
    /// Back-propagates <paramref name="outputGradient"/> (the loss's gradient at the last layer's output), adding the
    /// parameters' gradients. <paramref name="codeGradient"/>, when given, adds the regularisers' gradient with respect
    /// to the binary code layer's input z. Overwrites the scratch buffers.
    /// </summary>
    public void Backward(float[] input, int rows, float[][] outputs, float[]? codeInput, float[]? codeGradient, float[] outputGradient, float[][] scratch, WorkerGang? gang)
    {
        float[] dy = outputGradient;
        for (int l = Layers.Length - 1; l >= 0; l--)
        {
            AutoencoderLayer layer = Layers[l];
            int n = layer.Outputs;
            float[] y = outputs[l];
            for (int r = 0; r < rows; r++)
            {
                Span<float> g = dy.AsSpan(r * n, n);
                ReadOnlySpan<float> yr = y.AsSpan(r * n, n);
                if (Binary && l == CodeLayer)
                {
                    // Straight-through estimator: the sign's gradient is that of hard tanh.
                    Debug.Assert(codeInput is not null);
                    ReadOnlySpan<float> z = codeInput.AsSpan(r * n, n);
                    for (int j = 0; j < n; j++)
                    {
                        g[j] = Math.Abs(z[j]) <= 1f ? g[j] : 0f;
                    }

                    if (codeGradient is not null)
                    {
                        ReadOnlySpan<float> extra = codeGradient.AsSpan(r * n, n);
                        for (int j = 0; j < n; j++)
                        {
                            g[j] += extra[j];
                        }
                    }
                }
                else
                {
                    switch (layer.Activation)
                    {
                        case AutoencoderActivation.Tanh:
                            for (int j = 0; j < n; j++)
                            {
                                g[j] *= 1f - (yr[j] * yr[j]);
                            }

                            break;
                        case AutoencoderActivation.Relu:
                            for (int j = 0; j < n; j++)
                            {
                                g[j] = yr[j] > 0 ? g[j] : 0f;
                            }

                            break;
                    }
                }

                for (int j = 0; j < n; j++)
                {
                    layer.BiasGradient[j] += g[j];
                }
            }

            float[] x = l == 0 ? input : outputs[l - 1];
            if (layer.Transposed)
            {
                Products.MultiplyTransposedAAdd(dy, x, layer.WeightGradient, n, rows, layer.Inputs, gang);
            }
            else
            {
                Products.MultiplyTransposedAAdd(x, dy, layer.WeightGradient, layer.Inputs, rows, n, gang);
            }

            if (l == 0)
            {
                break;
            }

            float[] dx = scratch[l - 1];
            if (layer.Transposed)
            {
                Products.Multiply(dy, layer.Weights, dx, rows, n, layer.Inputs, gang);
            }
            else
            {
                Products.MultiplyTransposedB(dy, layer.Weights, dx, rows, n, layer.Inputs, gang);
            }

            dy = dx;
        }
    }

    /// <summary>Writes the layers: count, code layer, binary flag, then per layer its sizes, activation, tied flag, weights (unless tied) and bias.</summary>
    public void Write(NativePayloadWriter writer)
    {
        writer.Write(Layers.Length);
        writer.Write(CodeLayer);
        writer.Write(Binary);
        foreach (AutoencoderLayer layer in Layers)
        {
            writer.Write(layer.Inputs);
            writer.Write(layer.Outputs);
            writer.Write((int)layer.Activation);
            writer.Write(layer.Transposed);
            if (!layer.Transposed)
            {
                writer.WriteFloats(layer.Weights);
            }

            writer.WriteFloats(layer.Bias);
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote, checking every size.</summary>
    public static AutoencoderNetwork Read(NativePayloadReader reader)
    {
        int count = reader.ReadInt32();
        int codeLayer = reader.ReadInt32();
        bool binary = reader.ReadBoolean();
        if (count < 2 || count % 2 != 0 || count > 64 || codeLayer != (count / 2) - 1)
        {
            throw reader.Invalid($"has an invalid autoencoder ({count} layers, code layer {codeLayer})");
        }

        var layers = new AutoencoderLayer[count];
        for (int l = 0; l < count; l++)
        {
            int inputs = reader.ReadInt32();
            int outputs = reader.ReadInt32();
            int activation = reader.ReadInt32();
            bool transposed = reader.ReadBoolean();
            if (inputs is < 1 or > EmbeddingAutoencoderOptions.MaxCodeDimensions || outputs is < 1 or > EmbeddingAutoencoderOptions.MaxCodeDimensions
                || !Enum.IsDefined((AutoencoderActivation)activation) || (l > 0 && inputs != layers[l - 1].Outputs) || (transposed && l <= codeLayer))
            {
                throw reader.Invalid($"has an invalid autoencoder layer {l} ({inputs} × {outputs}, activation {activation})");
            }

            AutoencoderLayer? mirror = transposed ? layers[count - 1 - l] : null;
            if (mirror is not null && (mirror.Inputs != outputs || mirror.Outputs != inputs))
            {
                throw reader.Invalid($"has a tied layer {l} whose mirror has other sizes");
            }

            float[] weights = mirror?.Weights ?? reader.ReadFloats((long)inputs * outputs);
            var layer = new AutoencoderLayer(inputs, outputs, (AutoencoderActivation)activation, weights, mirror?.WeightGradient ?? new float[weights.Length], transposed);
            reader.ReadFloats(outputs).CopyTo(layer.Bias, 0);
            layers[l] = layer;
        }

        if (layers[^1].Outputs != layers[0].Inputs)
        {
            throw reader.Invalid("has an autoencoder whose output is not the size of its input");
        }

        return new AutoencoderNetwork(layers, codeLayer, binary);
    }
}

/// <summary>The dense products of the autoencoder, their rows split over a gang when there is one and the batch is large enough.</summary>
internal static class Products
{
    private const int MinRowsToSplit = 64;

    public static void Multiply(float[] a, float[] b, float[] c, int m, int k, int n, WorkerGang? gang)
    {
        if (gang is null || gang.Workers == 1 || m < MinRowsToSplit)
        {
            MatrixProduct.Multiply(a, b, c, m, k, n);
            return;
        }

        gang.Run(w =>
        {
            (int start, int count) = MatrixProduct.Partition(m, gang.Workers, w);
            MatrixProduct.Multiply(a, b, c, m, k, n, start, count);
        });
    }

    /// <summary>C = A·Bᵀ with B n×k.</summary>
    public static void MultiplyTransposedB(float[] a, float[] b, float[] c, int m, int k, int n, WorkerGang? gang)
    {
        float[] transposed = System.Buffers.ArrayPool<float>.Shared.Rent(k * n);
        try
        {
            MatrixProduct.Transpose(b, transposed, n, k);
            Multiply(a, transposed, c, m, k, n, gang);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(transposed);
        }
    }

    /// <summary>C += Aᵀ·B with A k×m, B k×n, C m×n.</summary>
    public static void MultiplyTransposedAAdd(float[] a, float[] b, float[] c, int m, int k, int n, WorkerGang? gang)
    {
        if (gang is null || gang.Workers == 1 || m < MinRowsToSplit)
        {
            MatrixProduct.MultiplyTransposedAAdd(a, b, c, m, k, n, 0, m);
            return;
        }

        gang.Run(w =>
        {
            (int start, int count) = MatrixProduct.Partition(m, gang.Workers, w);
            MatrixProduct.MultiplyTransposedAAdd(a, b, c, m, k, n, start, count);
        });
    }

    /// <summary>C = Aᵀ·B with A k×m, B k×n, C m×n.</summary>
    public static void MultiplyTransposedA(float[] a, float[] b, float[] c, int m, int k, int n, WorkerGang? gang)
    {
        Array.Clear(c, 0, m * n);
        MultiplyTransposedAAdd(a, b, c, m, k, n, gang);
    }
}
