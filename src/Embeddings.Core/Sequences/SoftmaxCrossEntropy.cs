using System.Numerics.Tensors;
using Embeddings.Core.Numerics;

namespace Embeddings.Core.Sequences;

/// <summary>Softmax cross-entropy (PyTorch's <c>CrossEntropyLoss</c>) on rows of logits, with its gradient written in place.</summary>
internal static class SoftmaxCrossEntropy
{
    /// <summary>
    /// For each row: the loss <c>log Σ exp(z) − z[target]</c> (stable: shifted by the row's maximum), then the row is
    /// replaced by <c>(softmax(z) − onehot(target)) · <paramref name="gradientScale"/></c>. Returns the summed loss.
    /// </summary>
    /// <param name="logits">rows × classes; overwritten with the gradient.</param>
    /// <param name="targets">One target class per row.</param>
    /// <param name="classes">Row width.</param>
    /// <param name="gradientScale">1 / (the number of rows the loss is averaged over, over the whole batch).</param>
    public static double LossAndGradient(Span<float> logits, ReadOnlySpan<int> targets, int classes, float gradientScale) =>
        LossAndGradient(logits, targets, classes, gradientScale, []);

    /// <summary>
    /// The same with class weights (PyTorch's <c>CrossEntropyLoss(weight=w)</c>): row r's loss and gradient are
    /// multiplied by <c>w[target_r]</c>; returns <c>Σ w[target]·loss</c>. No weights (empty) means weight 1 for every class.
    /// </summary>
    /// <param name="logits">rows × classes; overwritten with the gradient.</param>
    /// <param name="targets">One target class per row.</param>
    /// <param name="classes">Row width.</param>
    /// <param name="gradientScale">1 / the weight the loss is averaged over (PyTorch: Σ w[target] over the whole batch).</param>
    /// <param name="classWeights">One weight per class, or empty.</param>
    public static double LossAndGradient(Span<float> logits, ReadOnlySpan<int> targets, int classes, float gradientScale, ReadOnlySpan<float> classWeights)
    {
        double loss = 0;
        for (int r = 0; r < targets.Length; r++)
        {
            Span<float> z = logits.Slice(r * classes, classes);
            int target = targets[r];
            float weight = classWeights.IsEmpty ? 1f : classWeights[target];
            float scale = weight * gradientScale;
            loss += weight * ExponentiateRow(z, target, out float sum);
            TensorPrimitives.Multiply(z, scale / sum, z);
            z[target] -= scale;
        }

        return loss;
    }

    /// <summary>
    /// The softmax of <paramref name="z"/> in place, shifted by its maximum first (as fastText and PyTorch compute it):
    /// <c>TensorPrimitives.SoftMax</c> alone exponentiates the raw scores, and e^x overflows a float above x ≈ 88.
    /// </summary>
    /// <param name="z">Scores; overwritten with their probabilities.</param>
    public static void Softmax(Span<float> z)
    {
        TensorPrimitives.Subtract(z, TensorPrimitives.Max(z), z);
        TensorPrimitives.SoftMax(z, z);
    }

    /// <summary>
    /// One row's loss <c>log Σ exp(z) − z[target]</c>, stable: the row is shifted by its maximum and replaced by
    /// <c>exp(z − max)</c>, whose sum is returned in <paramref name="sum"/> (the softmax is the row divided by it).
    /// </summary>
    /// <param name="z">The row of logits; overwritten.</param>
    /// <param name="target">The target class.</param>
    /// <param name="sum">Σ exp(z − max), at least 1.</param>
    public static double ExponentiateRow(Span<float> z, int target, out float sum)
    {
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, z);
        float shiftedTarget = z[target];
        TensorPrimitives.Exp(z, z);
        sum = VectorMath.Sum(z);
        return Math.Log(sum) - shiftedTarget;
    }
}
