using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Embeddings.Quantization;

/// <summary>
/// Configures a <see cref="ProductQuantizerTrainer"/>: <c>ProductQuantizer.CreateBuilder().Subspaces(50).Seed(0).Build()</c>.
/// Every method records a value; <see cref="Build"/> checks them all at once.
/// </summary>
public sealed class ProductQuantizerBuilder
{
    private ProductQuantizerOptions _options = new();
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;

    internal ProductQuantizerBuilder()
    {
    }

    /// <summary>Starts from existing options instead of the defaults.</summary>
    /// <param name="options">The options; validated by <see cref="Build"/>.</param>
    public ProductQuantizerBuilder WithOptions(ProductQuantizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        return this;
    }

    /// <summary>Sets <see cref="ProductQuantizerOptions.Subspaces"/> (default 50; at most the vectors' dimensions).</summary>
    /// <param name="subspaces">m, the codes per vector.</param>
    public ProductQuantizerBuilder Subspaces(int subspaces) => Set(_options with { Subspaces = subspaces });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Centroids"/> (default 256, range 1–256).</summary>
    /// <param name="centroids">Centroids per subspace.</param>
    public ProductQuantizerBuilder Centroids(int centroids) => Set(_options with { Centroids = centroids });

    /// <summary>Sets <see cref="ProductQuantizerOptions.MaxIterations"/> (default 25).</summary>
    /// <param name="maxIterations">At least 1.</param>
    public ProductQuantizerBuilder MaxIterations(int maxIterations) => Set(_options with { MaxIterations = maxIterations });

    /// <summary>Sets <see cref="ProductQuantizerOptions.TrainingSampleSize"/> (default 65,536).</summary>
    /// <param name="sampleSize">At least the centroids per subspace.</param>
    public ProductQuantizerBuilder TrainingSampleSize(int sampleSize) => Set(_options with { TrainingSampleSize = sampleSize });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    public ProductQuantizerBuilder Seed(int seed) => Set(_options with { Seed = seed });

    /// <summary>Sets <see cref="ProductQuantizerOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the codebooks do not depend on it.</param>
    public ProductQuantizerBuilder Threads(int threads) => Set(_options with { Threads = threads });

    /// <summary>Logs each subspace's k-means through <paramref name="loggerFactory"/>.</summary>
    /// <param name="loggerFactory">The factory; the default logs nothing.</param>
    public ProductQuantizerBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>Checks every setting and creates the trainer. Has no side effects; may be called again.</summary>
    /// <exception cref="Core.Options.InvalidOptionsException">A setting is out of range; the message lists every problem.</exception>
    public ProductQuantizerTrainer Build()
    {
        _options.Validate();
        return new ProductQuantizerTrainer(_options, _loggerFactory);
    }

    private ProductQuantizerBuilder Set(ProductQuantizerOptions options)
    {
        _options = options;
        return this;
    }
}
