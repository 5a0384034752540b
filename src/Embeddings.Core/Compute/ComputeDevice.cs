using Embeddings.Core.Corpus;
using Embeddings.Core.Training;

namespace Embeddings.Core.Compute;

/// <summary>
/// Where a trainer runs: the CPU (worker threads with SIMD kernels) or another backend. Pass one to
/// <see cref="Word2VecBuilder.OnDevice"/>. Every backend trains the same model from the same options, vocabulary,
/// subsampling, windows and noise distribution, so their results are comparable and their checkpoints interchangeable.
/// </summary>
public abstract partial class ComputeDevice
{
    private protected ComputeDevice()
    {
    }

    /// <summary>A short human-readable name, e.g. <c>cpu (2 threads)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The CPU backend.</summary>
    /// <param name="threads">Worker threads; null keeps the trainer's <see cref="Word2VecOptions.Threads"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is below 1.</exception>
    public static ComputeDevice Cpu(int? threads = null)
    {
        if (threads is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, 1, nameof(threads));
        }

        return new CpuDevice(threads);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>The options as this device will run them (e.g. its thread count).</summary>
    internal virtual Word2VecOptions Adjust(Word2VecOptions options) => options;

    /// <summary>Why this device cannot train <paramref name="options"/>, or null when it can.</summary>
    internal virtual string? Unsupported(Word2VecOptions options) => null;

    /// <summary>Creates the engine that trains <paramref name="vocabulary"/> with <paramref name="options"/> on this device.</summary>
    internal abstract Word2VecEngine CreateWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start);
}

/// <summary>The CPU backend: Hogwild worker threads with SIMD kernels.</summary>
internal sealed class CpuDevice(int? threads) : ComputeDevice
{
    public override string Name => threads is { } t ? $"cpu ({t} threads)" : "cpu";

    internal override Word2VecOptions Adjust(Word2VecOptions options) =>
        threads is { } t ? options with { Threads = t } : options;

    internal override Word2VecEngine CreateWord2VecEngine(Word2VecOptions options, Vocabulary vocabulary, TrainedWeights? start) =>
        options.Objective == Word2VecObjective.FullSoftmax
            ? new SoftmaxWord2VecEngine(options, vocabulary, start)
            : new CpuWord2VecEngine(options, vocabulary, start);
}
