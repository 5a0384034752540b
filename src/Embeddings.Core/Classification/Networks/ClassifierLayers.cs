using Embeddings.Core.Numerics;
using Embeddings.Core.Sequences;

namespace Embeddings.Core.Classification.Networks;

/// <summary>
/// The examples one worker trains in an optimiser step: <see cref="Examples"/> indexes <see cref="Tokens"/> and
/// <see cref="Labels"/>; the i-th of them sits at position <see cref="FirstPosition"/> + i of the step's batch, which
/// keys its dropout masks (so they do not depend on the number of workers).
/// </summary>
internal readonly record struct TrainingChunk(
    IReadOnlyList<int[]> Tokens, IReadOnlyList<int> Labels, ReadOnlyMemory<int> Examples, int FirstPosition,
    float GradientScale, float[]? ClassWeights, ulong DropoutKey);

/// <summary>
/// A classifier network's layers and the workspaces of one pass. Training workers and concurrent predictions each use
/// their own <see cref="Replicate"/>, which shares the weights and has gradients and workspaces of its own.
/// </summary>
internal abstract class ClassifierLayers
{
    protected ClassifierLayers(EmbeddingLayer embedding, LinearLayer output)
    {
        Embedding = embedding;
        Output = output;
    }

    public EmbeddingLayer Embedding { get; }

    public LinearLayer Output { get; }

    public int Classes => Output.Outputs;

    /// <summary>Every parameter, the frozen embedding included, in a fixed order (the order <see cref="NetworkClassifierEngine.Write"/> stores them in).</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The same weights, with gradients and workspaces of its own.</summary>
    public abstract ClassifierLayers Replicate();

    /// <summary>Forward and backward over the chunk: adds the gradients of <c>GradientScale · Σ w·loss</c>; returns <c>Σ w·loss</c>.</summary>
    public abstract double Train(in TrainingChunk chunk);

    /// <summary>The logits of one example (without dropout) into <paramref name="logits"/> (<see cref="Classes"/> values).</summary>
    public abstract void Logits(int[] tokens, Span<float> logits);

    public void ClearGradients()
    {
        foreach (Parameter p in Parameters)
        {
            p.ClearGradient();
        }
    }

    /// <summary>Recomputes every transposed weight copy, after the weights were set other than by an optimiser step.</summary>
    public void RefreshTransposes()
    {
        foreach (Parameter p in Parameters)
        {
            p.TransposeRows(0, p.Rows);
        }
    }

    /// <summary>
    /// The embedding table: the pretrained rows, or N(0, 1) as PyTorch's <c>nn.Embedding</c>; it lists the rows each
    /// batch touches (<see cref="Parameter.WithRowTracking"/>) unless <paramref name="training"/> turns that off.
    /// </summary>
    protected static EmbeddingLayer CreateEmbedding(NetworkEmbedding embedding, NetworkTraining training)
    {
        ulong seed = training.Seed;
        var table = new Parameter("embedding.weight", embedding.Tokens, embedding.Dimensions, trainable: !embedding.Frozen);
        if (embedding.Pretrained is { } rows)
        {
            rows.CopyTo(table.Value, 0);
        }
        else
        {
            SplitMix64Random random = SplitMix64Random.For(seed, 0x454D4244);
            for (int i = 0; i < table.Length; i++)
            {
                table.Value[i] = random.NextGaussian();
            }
        }

        if (training.SparseEmbeddingGradients || training.LazyEmbeddingUpdates)
        {
            table.WithRowTracking();
        }

        return new EmbeddingLayer(table);
    }

    /// <summary>Draws a linear layer's weights and biases (<paramref name="random"/> advances), then its transposed copy.</summary>
    protected static void Initialise(LinearLayer layer, WeightInitialization initialization, ref SplitMix64Random random)
    {
        int fanIn = layer.Inputs, fanOut = layer.Outputs;
        float bound = initialization switch
        {
            WeightInitialization.Xavier => MathF.Sqrt(6f / (fanIn + fanOut)),
            WeightInitialization.He => MathF.Sqrt(6f / fanIn),
            _ => 1f / MathF.Sqrt(fanIn),
        };
        float[] weights = layer.Weights.Value, biases = layer.Bias.Value;
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = random.NextUniform(-bound, bound);
        }

        float biasBound = initialization == WeightInitialization.Uniform ? bound : 0f;
        for (int i = 0; i < biases.Length; i++)
        {
            biases[i] = biasBound == 0 ? 0f : random.NextUniform(-biasBound, biasBound);
        }

        layer.Weights.TransposeRows(0, layer.Weights.Rows);
    }

    /// <summary>The chunk's labels in order, into <paramref name="targets"/>.</summary>
    protected static Span<int> Targets(in TrainingChunk chunk, Span<int> targets)
    {
        ReadOnlySpan<int> examples = chunk.Examples.Span;
        for (int i = 0; i < examples.Length; i++)
        {
            targets[i] = chunk.Labels[examples[i]];
        }

        return targets[..examples.Length];
    }
}
