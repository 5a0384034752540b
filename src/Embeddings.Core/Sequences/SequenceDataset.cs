using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>
/// Training examples cut from one stream of token ids: a sequence is <c>ids[i .. i + T)</c> at positions
/// i = 0, stride, 2·stride, …; its target is <c>ids[i + T]</c> (<see cref="SequencePrediction.LastStep"/>) or
/// <c>ids[i + 1 .. i + T]</c> (<see cref="SequencePrediction.EveryStep"/>). The last <c>validationFraction</c> of the
/// sequences are held out for validation: a contiguous tail, so that no validation target is also a training input
/// through overlapping windows (except at the one boundary).
/// </summary>
internal sealed class SequenceDataset
{
    private readonly int[] _ids;

    public SequenceDataset(int[] ids, int steps, int stride, SequencePrediction prediction, double validationFraction)
    {
        _ids = ids;
        Steps = steps;
        Stride = stride;
        Prediction = prediction;
        long available = ids.Length <= steps ? 0 : ((ids.Length - steps - 1L) / stride) + 1;
        if (available > int.MaxValue)
        {
            throw new ArgumentException($"The id stream gives {available:N0} sequences; at most {int.MaxValue:N0} are supported (raise the stride).", nameof(ids));
        }

        Count = (int)available;
        ValidationCount = validationFraction > 0 ? Math.Max(1, (int)Math.Round(Count * validationFraction)) : 0;
        TrainingCount = Count - ValidationCount;
    }

    public int Steps { get; }

    /// <summary><paramref name="ids"/> as an array (the caller's own when it is one, not a copy), every id checked to lie in [0, <paramref name="tokens"/>).</summary>
    /// <exception cref="ArgumentException">An id is outside the vocabulary (the message gives its position).</exception>
    public static int[] CheckIds(IReadOnlyList<int> ids, int tokens)
    {
        ArgumentNullException.ThrowIfNull(ids);
        // An array is used as it is (it is only read), so that a long stream is not held twice.
        int[] stream = ids as int[] ?? [.. ids];
        for (int i = 0; i < stream.Length; i++)
        {
            if ((uint)stream[i] >= (uint)tokens)
            {
                throw new ArgumentException($"Id {stream[i]} at position {i} of the stream is outside the vocabulary of {tokens} tokens.", nameof(ids));
            }
        }

        return stream;
    }

    public int Stride { get; }

    public SequencePrediction Prediction { get; }

    /// <summary>All sequences in the stream.</summary>
    public int Count { get; }

    /// <summary>Sequences [0, TrainingCount) train.</summary>
    public int TrainingCount { get; }

    /// <summary>Sequences [TrainingCount, Count) validate.</summary>
    public int ValidationCount { get; }

    /// <summary>Target ids per sequence.</summary>
    public int TargetsPerSequence => Prediction == SequencePrediction.EveryStep ? Steps : 1;

    /// <summary>Copies sequences <paramref name="sequences"/> (indices) into <paramref name="inputs"/> (B × T) and <paramref name="targets"/>.</summary>
    public void Gather(ReadOnlySpan<int> sequences, Span<int> inputs, Span<int> targets)
    {
        int t = Steps, perSequence = TargetsPerSequence;
        for (int b = 0; b < sequences.Length; b++)
        {
            int start = sequences[b] * Stride;
            _ids.AsSpan(start, t).CopyTo(inputs.Slice(b * t, t));
            _ids.AsSpan(start + t + 1 - perSequence, perSequence).CopyTo(targets.Slice(b * perSequence, perSequence));
        }
    }

    /// <summary>The training sequences of an epoch in the order they are trained: shuffled by a stream keyed by (seed, epoch), or in stream order.</summary>
    public int[] EpochOrder(bool shuffle, ulong seed, int epoch)
    {
        int[] order = new int[TrainingCount];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        if (shuffle)
        {
            SplitMix64Random random = SplitMix64Random.For(seed, (ulong)epoch, 0x5348);
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = random.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
        }

        return order;
    }
}
