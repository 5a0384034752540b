using Embeddings.Core.Options;
using Microsoft.Extensions.Logging;

namespace Embeddings.Core.CountBased;

/// <summary>
/// Configures a <see cref="PpmiSvd"/> trainer. Every method records a value; <see cref="Build"/> checks them all at once.
/// </summary>
/// <example>
/// <code>
/// PpmiSvd trainer = PpmiSvd.CreateBuilder()
///     .WindowSize(5).Dimensions(100).ContextSmoothing(0.75).EigenvalueWeighting(0.5)
///     .MinCount(5).Seed(0).Threads(2)
///     .Build();
/// PpmiSvdResult result = trainer.Train(sentences);
/// </code>
/// </example>
public sealed class PpmiSvdBuilder : TrainerBuilder<PpmiSvdBuilder, PpmiSvdOptions>
{

    internal PpmiSvdBuilder()
        : base(new PpmiSvdOptions())
    {
    }

    /// <summary>Sets <see cref="PpmiSvdOptions.WindowSize"/> (default 5, range 1–100).</summary>
    /// <param name="windowSize">Context words up to this distance on either side count.</param>
    public PpmiSvdBuilder WindowSize(int windowSize) => Set(Options with { WindowSize = windowSize });

    /// <summary>Sets <see cref="PpmiSvdOptions.WindowWeighting"/> (default <see cref="CountBased.WindowWeighting.Uniform"/>).</summary>
    /// <param name="weighting">How a context counts by its distance.</param>
    public PpmiSvdBuilder WindowWeighting(WindowWeighting weighting) => Set(Options with { WindowWeighting = weighting });

    /// <summary>Sets <see cref="PpmiSvdOptions.Dimensions"/> (default 100, range 1–4096).</summary>
    /// <param name="dimensions">The length of the word vectors.</param>
    public PpmiSvdBuilder Dimensions(int dimensions) => Set(Options with { Dimensions = dimensions });

    /// <summary>Sets <see cref="PpmiSvdOptions.ContextSmoothing"/> α (default 0.75; 1 for none).</summary>
    /// <param name="alpha">0 &lt; α ≤ 1.</param>
    public PpmiSvdBuilder ContextSmoothing(double alpha) => Set(Options with { ContextSmoothing = alpha });

    /// <summary>Sets <see cref="PpmiSvdOptions.EigenvalueWeighting"/> p (default 0.5; 0 keeps U alone, 1 is U·Σ).</summary>
    /// <param name="exponent">0 ≤ p ≤ 1.</param>
    public PpmiSvdBuilder EigenvalueWeighting(double exponent) => Set(Options with { EigenvalueWeighting = exponent });

    /// <summary>Sets <see cref="PpmiSvdOptions.MinCount"/> (default 5).</summary>
    /// <param name="minCount">At least 1.</param>
    public PpmiSvdBuilder MinCount(int minCount) => Set(Options with { MinCount = minCount });

    /// <summary>Sets <see cref="PpmiSvdOptions.MaxVocabularySize"/> (default <see langword="null"/>, no limit).</summary>
    /// <param name="maxVocabularySize">At least 1, or <see langword="null"/>.</param>
    public PpmiSvdBuilder MaxVocabularySize(int? maxVocabularySize) => Set(Options with { MaxVocabularySize = maxVocabularySize });

    /// <summary>Sets <see cref="PpmiSvdOptions.Oversampling"/> (default 10).</summary>
    /// <param name="oversampling">0–1000 extra test vectors.</param>
    public PpmiSvdBuilder Oversampling(int oversampling) => Set(Options with { Oversampling = oversampling });

    /// <summary>Sets <see cref="PpmiSvdOptions.PowerIterations"/> (default 4).</summary>
    /// <param name="powerIterations">0–100.</param>
    public PpmiSvdBuilder PowerIterations(int powerIterations) => Set(Options with { PowerIterations = powerIterations });

    /// <summary>Sets <see cref="PpmiSvdOptions.Seed"/> (default 0).</summary>
    /// <param name="seed">Any value.</param>
    public PpmiSvdBuilder Seed(int seed) => Set(Options with { Seed = seed });

    /// <summary>Sets <see cref="PpmiSvdOptions.Threads"/> (default <see cref="Environment.ProcessorCount"/>).</summary>
    /// <param name="threads">1–1024; the result does not depend on it.</param>
    public PpmiSvdBuilder Threads(int threads) => Set(Options with { Threads = threads });

    /// <summary>Checks every setting and creates the trainer. Has no side effects; may be called again.</summary>
    /// <exception cref="Options.InvalidOptionsException">A setting is out of range. The message lists every problem;
    /// <see cref="ArgumentException.ParamName"/> names the first (e.g. <c>Dimensions</c>).</exception>
    public PpmiSvd Build()
    {
        Options.Validate();
        return new(Options, LoggerFactory);
    }
}
