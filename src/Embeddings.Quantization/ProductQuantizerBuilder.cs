using Embeddings.Core.Options;
using Microsoft.Extensions.Logging;

namespace Embeddings.Quantization;

/// <summary>
/// Configures a <see cref="ProductQuantizerTrainer"/>: <c>ProductQuantizer.CreateBuilder().Subspaces(50).Seed(0).Build()</c>.
/// Every method records a value; <see cref="Build"/> checks them all at once.
/// </summary>
public sealed class ProductQuantizerBuilder : TrainerBuilder<ProductQuantizerBuilder, ProductQuantizerOptions>
{

    internal ProductQuantizerBuilder()
        : base(new ProductQuantizerOptions())
    {
    }

    /// <summary>Sets <see cref="ProductQuantizerOptions.Subspaces"/> (default 50; at most the vectors' dimensions).</summary>
    /// <param name="subspaces">m, the codes per vector.</param>
    public ProductQuantizerBuilder Subspaces(int subspaces) => Set(Options with { Subspaces = subspaces });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Centroids"/> (default 256, range 1–256).</summary>
    /// <param name="centroids">Centroids per subspace.</param>
    public ProductQuantizerBuilder Centroids(int centroids) => Set(Options with { Centroids = centroids });

    /// <summary>Sets <see cref="ProductQuantizerOptions.MaxIterations"/> (default 25).</summary>
    /// <param name="maxIterations">At least 1.</param>
    public ProductQuantizerBuilder MaxIterations(int maxIterations) => Set(Options with { MaxIterations = maxIterations });

    /// <summary>Sets <see cref="ProductQuantizerOptions.TrainingSampleSize"/> (default 65,536).</summary>
    /// <param name="sampleSize">At least the centroids per subspace.</param>
    public ProductQuantizerBuilder TrainingSampleSize(int sampleSize) => Set(Options with { TrainingSampleSize = sampleSize });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    public ProductQuantizerBuilder Seed(int seed) => Set(Options with { Seed = seed });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the codebooks do not depend on it.</param>
    public ProductQuantizerBuilder Threads(int threads) => Set(Options with { Threads = threads });

    /// <summary>Checks every setting and creates the trainer. Has no side effects; may be called again.</summary>
    /// <exception cref="Core.Options.InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public ProductQuantizerTrainer Build()
    {
        Options.Validate();
        return new ProductQuantizerTrainer(Options, LoggerFactory);
    }
}
