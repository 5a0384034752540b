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

    /// <summary>
    /// <see cref="Mean(ReadOnlySpan{float}, Span{float}, int, int, int, int)"/> over a packed batch (see
    /// <see cref="RecurrentLayer"/>): sequence b's step t is row <c>offsets[t] + b</c>, for its own
    /// <paramref name="lengths"/>[b] steps; output rows are <paramref name="width"/> apart.
    /// </summary>
    public static void Mean(ReadOnlySpan<float> input, Span<float> output, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int width)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            Span<float> pooled = output.Slice(b * width, width);
            pooled.Clear();
            for (int t = 0; t < lengths[b]; t++)
            {
                TensorPrimitives.Add(pooled, input.Slice((offsets[t] + b) * width, width), pooled);
            }

            if (lengths[b] > 0)
            {
                TensorPrimitives.Multiply(pooled, 1f / lengths[b], pooled);
            }
        }
    }

    /// <summary>The packed mean's gradient: <c>inputGradient[t, b] += outputGradient[b] / len_b</c>.</summary>
    public static void MeanBackward(ReadOnlySpan<float> outputGradient, Span<float> inputGradient, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int width)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            float scale = 1f / Math.Max(1, lengths[b]);
            for (int t = 0; t < lengths[b]; t++)
            {
                Span<float> row = inputGradient.Slice((offsets[t] + b) * width, width);
                TensorPrimitives.MultiplyAdd(outputGradient.Slice(b * width, width), scale, row, row);
            }
        }
    }

    /// <summary>The packed maximum over each sequence's own steps, with the step of each maximum (the first on ties); zero for an empty sequence.</summary>
    public static void Max(ReadOnlySpan<float> input, Span<float> output, Span<int> argmax, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int width)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            Span<float> pooled = output.Slice(b * width, width);
            Span<int> from = argmax.Slice(b * width, width);
            from.Clear();
            if (lengths[b] == 0)
            {
                pooled.Clear();
                continue;
            }

            input.Slice((offsets[0] + b) * width, width).CopyTo(pooled);
            for (int t = 1; t < lengths[b]; t++)
            {
                ReadOnlySpan<float> row = input.Slice((offsets[t] + b) * width, width);
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

    /// <summary>The packed maximum's gradient: each <c>outputGradient[b, f]</c> goes to the step that held the maximum.</summary>
    public static void MaxBackward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<int> argmax, Span<float> inputGradient, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int width)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            if (lengths[b] == 0)
            {
                continue;
            }

            for (int f = 0; f < width; f++)
            {
                inputGradient[((offsets[argmax[(b * width) + f]] + b) * width) + f] += outputGradient[(b * width) + f];
            }
        }
    }
}
