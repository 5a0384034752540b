using System.Numerics.Tensors;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Pooling over the steps of time-major sequences (step t, sequence b at row <c>t·B + b</c>, rows of W values) into one
/// row per sequence (B × W): the mean or the elementwise maximum, with their gradients. A classifier turns a sequence
/// of token vectors or recurrent states into one vector with them (PyTorch: <c>x.mean(dim)</c>, <c>x.max(dim)</c>).
/// </summary>
internal static class SequencePooling
{
    /// <summary><c>output[b] = (1/T)·Σ_t input[t, b]</c>; zero when there is no step.</summary>
    public static void Mean(ReadOnlySpan<float> input, Span<float> output, int steps, int batch, int width, int outputStride)
    {
        for (int b = 0; b < batch; b++)
        {
            Span<float> pooled = output.Slice(b * outputStride, width);
            pooled.Clear();
            for (int t = 0; t < steps; t++)
            {
                TensorPrimitives.Add(pooled, input.Slice(((t * batch) + b) * width, width), pooled);
            }

            if (steps > 0)
            {
                TensorPrimitives.Multiply(pooled, 1f / steps, pooled);
            }
        }
    }

    /// <summary>Adds the mean's gradient: <c>inputGradient[t, b] += outputGradient[b] / T</c>.</summary>
    public static void MeanBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, int steps, int batch, int width, int outputStride)
    {
        float scale = 1f / Math.Max(1, steps);
        for (int t = 0; t < steps; t++)
        {
            for (int b = 0; b < batch; b++)
            {
                Span<float> row = inputGradient.Slice(((t * batch) + b) * width, width);
                TensorPrimitives.MultiplyAdd(outputGradient.Slice(b * outputStride, width), scale, row, row);
            }
        }
    }

    /// <summary>
    /// <c>output[b, f] = max_t input[t, b, f]</c>, with the step of each maximum (the first on ties) in
    /// <paramref name="argmax"/> (B × W); zero when there is no step.
    /// </summary>
    public static void Max(ReadOnlySpan<float> input, Span<float> output, Span<int> argmax, int steps, int batch, int width, int outputStride)
    {
        for (int b = 0; b < batch; b++)
        {
            Span<float> pooled = output.Slice(b * outputStride, width);
            Span<int> from = argmax.Slice(b * width, width);
            from.Clear();
            if (steps == 0)
            {
                pooled.Clear();
                continue;
            }

            input.Slice(b * width, width).CopyTo(pooled);
            for (int t = 1; t < steps; t++)
            {
                ReadOnlySpan<float> row = input.Slice(((t * batch) + b) * width, width);
                for (int f = 0; f < width; f++)
                {
                    if (row[f] > pooled[f])
                    {
                        pooled[f] = row[f];
                        from[f] = t;
                    }
                }
            }
        }
    }

    /// <summary>Adds the maximum's gradient: each <c>outputGradient[b, f]</c> goes to the step that held the maximum.</summary>
    public static void MaxBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient, int steps, int batch, int width, int outputStride)
    {
        if (steps == 0)
        {
            return;
        }

        for (int b = 0; b < batch; b++)
        {
            for (int f = 0; f < width; f++)
            {
                inputGradient[(((argmax[(b * width) + f] * batch) + b) * width) + f] += outputGradient[(b * outputStride) + f];
            }
        }
    }
}
