using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Inverted dropout between recurrent layers (PyTorch's <c>dropout</c> argument of <c>nn.RNN/GRU/LSTM</c>): each value
/// is kept with probability 1 − p and scaled by 1 / (1 − p). The mask of a value depends only on a key and the
/// sequence's position in the batch, so it is the same whatever thread computes it and after a resume.
/// </summary>
internal static class Dropout
{
    /// <summary>Draws the mask (0 or 1 / (1 − p) per value) for <paramref name="batch"/> sequences × <paramref name="steps"/> steps × <paramref name="width"/>, time-major, and applies it: <c>output = input · mask</c>.</summary>
    /// <remarks><paramref name="key"/> is the pass's stream (seed, epoch, step and layer mixed); <paramref name="firstSequence"/> the batch position of this chunk's first sequence.</remarks>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, int steps, int batch, int width, float probability, ulong key, int firstSequence)
    {
        Span<int> offsets = steps <= 512 ? stackalloc int[steps] : new int[steps];
        Uniform(offsets, batch);
        for (int b = 0; b < batch; b++)
        {
            DrawMask(mask, steps, offsets, width, probability, key, b, firstSequence + b);
        }

        int values = steps * batch * width;
        TensorPrimitives.Multiply(input[..values], mask[..values], output[..values]);
    }

    /// <summary>
    /// The same for a batch whose sequences are not consecutive in the step's batch (a classifier groups them by
    /// length): sequence b's mask is keyed by <paramref name="positions"/>[b].
    /// </summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, int steps, int width, float probability, ulong key, ReadOnlySpan<int> positions)
    {
        int batch = positions.Length;
        Span<int> offsets = steps <= 512 ? stackalloc int[steps] : new int[steps];
        Uniform(offsets, batch);
        for (int b = 0; b < batch; b++)
        {
            DrawMask(mask, steps, offsets, width, probability, key, b, positions[b]);
        }

        int values = steps * batch * width;
        TensorPrimitives.Multiply(input[..values], mask[..values], output[..values]);
    }

    /// <summary>
    /// The same for a packed batch (see <see cref="RecurrentLayer"/>): sequence b's step t is row
    /// <c>offsets[t] + b</c> for its own <paramref name="lengths"/>[b] steps, and its mask is keyed by
    /// <paramref name="positions"/>[b], drawn step by step as for a batch of its length alone.
    /// </summary>
    public static void Apply(ReadOnlySpan<float> input, Span<float> output, Span<float> mask, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, int width, float probability, ulong key, ReadOnlySpan<int> positions)
    {
        for (int b = 0; b < lengths.Length; b++)
        {
            DrawMask(mask, lengths[b], offsets, width, probability, key, b, positions[b]);
        }

        int values = offsets[^1] * width;
        TensorPrimitives.Multiply(input[..values], mask[..values], output[..values]);
    }

    /// <summary>
    /// Fills the mask rows of sequence <paramref name="b"/> (row <c>offsets[t] + b</c> of step t, for its
    /// <paramref name="steps"/> steps) from the stream of its batch position.
    /// </summary>
    private static void DrawMask(Span<float> mask, int steps, ReadOnlySpan<int> offsets, int width, float probability, ulong key, int b, int position)
    {
        float scale = 1f / (1f - probability);
        var random = new SplitMix64Random(SplitMix64Random.Mix(key, (ulong)position, 0));
        for (int t = 0; t < steps; t++)
        {
            Span<float> row = mask.Slice((offsets[t] + b) * width, width);
            for (int i = 0; i < row.Length; i++)
            {
                row[i] = random.NextFloat() < probability ? 0f : scale;
            }
        }
    }

    /// <summary>The first row of each step of a batch whose <paramref name="batch"/> sequences all run every step.</summary>
    private static void Uniform(Span<int> offsets, int batch)
    {
        for (int t = 0; t < offsets.Length; t++)
        {
            offsets[t] = t * batch;
        }
    }

    /// <summary><c>inputGradient = outputGradient · mask</c>.</summary>
    public static void Backward(ReadOnlySpan<float> outputGradient, ReadOnlySpan<float> mask, Span<float> inputGradient, int values) =>
        TensorPrimitives.Multiply(outputGradient[..values], mask[..values], inputGradient[..values]);
}
