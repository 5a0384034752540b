using Embeddings.Core.Options;

namespace Embeddings.Quantization;

/// <summary>
/// Configures a <see cref="CompressionTrainer"/>:
/// <c>Compression.CreateBuilder().Method(CompressionMethod.ProductQuantization).Bits(200).Seed(0).Build()</c>.
/// Every method records a value; <see cref="Build"/> checks them all at once.
/// </summary>
public sealed class CompressionBuilder : TrainerBuilder<CompressionBuilder, CompressionOptions>
{
    internal CompressionBuilder()
        : base(new CompressionOptions())
    {
    }

    /// <summary>Sets <see cref="CompressionOptions.Method"/> (default product quantization).</summary>
    /// <param name="method">The method.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder Method(CompressionMethod method) => Set(Options with { Method = method });

    /// <summary>Sets <see cref="CompressionOptions.Bits"/> (default 200).</summary>
    /// <param name="bits">The budget a word, 1 to 32 × dimensions.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder Bits(int bits) => Set(Options with { Bits = bits });

    /// <summary>Sets <see cref="CompressionOptions.MaxClusters"/> (default 1,024).</summary>
    /// <param name="maxClusters">At least 1.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder MaxClusters(int maxClusters) => Set(Options with { MaxClusters = maxClusters });

    /// <summary>Sets <see cref="CompressionOptions.BalancedRotation"/> (default <see langword="true"/>).</summary>
    /// <param name="rotate">Whether product quantization rotates the vectors first.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder BalancedRotation(bool rotate = true) => Set(Options with { BalancedRotation = rotate });

    /// <summary>Sets <see cref="CompressionOptions.Autoencoder"/> (default <see langword="null"/>: the built-in settings).</summary>
    /// <param name="autoencoder">The autoencoder's settings.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder Autoencoder(EmbeddingAutoencoderOptions? autoencoder) => Set(Options with { Autoencoder = autoencoder });

    /// <summary>Sets <see cref="CompressionOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder Seed(int seed) => Set(Options with { Seed = seed });

    /// <summary>Sets <see cref="CompressionOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the codes do not depend on it.</param>
    /// <returns>This builder.</returns>
    public CompressionBuilder Threads(int threads) => Set(Options with { Threads = threads });

    /// <summary>Checks every setting and creates the trainer. Has no side effects; may be called again.</summary>
    /// <returns>The trainer.</returns>
    /// <exception cref="InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public CompressionTrainer Build()
    {
        Options.Validate();
        return new CompressionTrainer(Options, LoggerFactory);
    }
}
