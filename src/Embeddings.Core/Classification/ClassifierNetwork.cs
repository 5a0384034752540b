using Embeddings.Core.IO;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Classification;

/// <summary>
/// One family's network behind <see cref="TextClassifier"/> and <see cref="TextClassifierTrainer"/>: it maps an encoded
/// example (input row ids) to label probabilities, trains an epoch, and writes and reads its weights. The trainer owns
/// the epochs, validation, best-epoch weights and checkpoints, so a new family (MLP, recurrent) only implements this.
/// </summary>
internal abstract class ClassifierNetwork
{
    public abstract TextClassifierFamily Family { get; }

    public abstract int LabelCount { get; }

    /// <summary>Whether the labels' probabilities are independent (one-vs-all) rather than summing to 1.</summary>
    public abstract bool IndependentLabels { get; }

    /// <summary>Writes every label's probability for one encoded input into <paramref name="probabilities"/>; safe to call from several threads at once.</summary>
    public abstract void Probabilities(ReadOnlySpan<int> input, Span<float> probabilities);

    /// <summary>
    /// Trains over <paramref name="data"/> from where <paramref name="position"/> stands to the end of its epoch, on the
    /// workers of <paramref name="gang"/>. Returns false when cancelled, with <paramref name="position"/> at the first
    /// example not yet trained on, so that a resumed run continues exactly there.
    /// </summary>
    public abstract bool TrainEpoch(ClassifierData data, EpochPosition position, WorkerGang gang, CancellationToken cancellationToken);

    /// <summary>The weights' values, in a fixed order (for best-epoch copies and files).</summary>
    public abstract IReadOnlyList<float[]> Weights { get; }

    /// <summary>Writes the network's shape and weights.</summary>
    public abstract void Write(NativePayloadWriter writer);

    /// <summary>Writes what a checkpoint needs beyond the weights to resume exactly (an optimiser's state); nothing by default.</summary>
    public virtual void WriteTrainingState(NativePayloadWriter writer)
    {
    }

    /// <summary>Reads what <see cref="WriteTrainingState"/> wrote.</summary>
    public virtual void ReadTrainingState(NativePayloadReader reader)
    {
    }

    /// <summary>Releases what only training needs (worker threads); the network still predicts.</summary>
    public virtual void EndTraining()
    {
    }

    /// <summary>A copy of the weights, to restore with <see cref="Restore"/>.</summary>
    public float[][] Snapshot() => [.. Weights.Select(w => (float[])w.Clone())];

    /// <summary>Puts back the weights of a <see cref="Snapshot"/>.</summary>
    public virtual void Restore(float[][] snapshot)
    {
        for (int i = 0; i < snapshot.Length; i++)
        {
            snapshot[i].CopyTo(Weights[i], 0);
        }
    }
}

/// <summary>An encoded training or validation example: input rows, label ids (-1: a label the model lacks) and the tokens fastText counts for it.</summary>
internal sealed record EncodedExample(int[] Input, int[] Labels, int Tokens);

/// <summary>The encoded training examples and the counts the learning-rate schedule needs.</summary>
internal sealed class ClassifierData(EncodedExample[] examples, float[] labelWeights, int epochs)
{
    public EncodedExample[] Examples { get; } = examples;

    /// <summary>Each label's loss weight (1 without class weights).</summary>
    public float[] LabelWeights { get; } = labelWeights;

    /// <summary>Tokens of one epoch, as fastText counts them (words, labels and the end of line of every example).</summary>
    public long EpochTokens { get; } = examples.Sum(e => (long)e.Tokens);

    /// <summary>Tokens over all epochs.</summary>
    public long TotalTokens => epochs * EpochTokens;

    /// <summary>Called after each training example with the epoch (from 0) and the example's index (the MLP and recurrent families: after each optimiser step, with the count of examples done less 1); tests cancel runs at a chosen point with it.</summary>
    public Action<int, int>? AfterExample { get; init; }

    /// <summary>Called by the first worker every few hundred examples, so the trainer can report progress.</summary>
    public Action? Tick { get; init; }
}

/// <summary>Where a run stands: the epoch, each worker's next example and its own counters. A checkpoint stores it whole.</summary>
internal sealed class EpochPosition
{
    public EpochPosition(int workers) => Reset(0, workers, 0);

    public int Epoch { get; set; }

    /// <summary>Tokens trained on so far by all workers (shared; each worker adds its count every lrUpdateRate tokens).</summary>
    public long TokensDone;

    public int[] Next { get; private set; } = [];

    public long[] LocalTokens { get; private set; } = [];

    public double[] Loss { get; private set; } = [];

    public long[] Examples { get; private set; } = [];

    /// <summary>Starts <paramref name="epoch"/>: each worker at the start of its share; token counts carry over.</summary>
    public void Reset(int epoch, int workers, int exampleCount)
    {
        Epoch = epoch;
        long[] local = LocalTokens.Length == workers ? LocalTokens : new long[workers];
        Next = [.. Enumerable.Range(0, workers).Select(w => Share(w, workers, exampleCount).Start)];
        LocalTokens = local;
        Loss = new double[workers];
        Examples = new long[workers];
    }

    public void Set(int epoch, long tokensDone, int[] next, long[] localTokens, double[] loss, long[] examples)
    {
        (Epoch, TokensDone, Next, LocalTokens, Loss, Examples) = (epoch, tokensDone, next, localTokens, loss, examples);
    }

    /// <summary>The mean loss of the epoch's examples so far.</summary>
    public double MeanLoss => Loss.Sum() / Math.Max(1, Examples.Sum());

    /// <summary>The examples of worker <paramref name="worker"/>: a contiguous share, as fastText's threads each start at their own offset of the file.</summary>
    public static (int Start, int End) Share(int worker, int workers, int count) =>
        ((int)((long)worker * count / workers), (int)((long)(worker + 1) * count / workers));
}
