using System.Globalization;
using Embeddings.Core.Options;

namespace Embeddings.Core.CountBased;

/// <summary>
/// The settings of count-based embeddings: co-occurrence counts in a symmetric window → positive pointwise mutual
/// information (PPMI) → truncated SVD. Build them with <see cref="PpmiSvd.CreateBuilder"/>; the defaults follow
/// Levy, Goldberg &amp; Dagan (2015), "Improving Distributional Similarity with Lessons Learned from Word Embeddings",
/// whose <c>hyperwords</c> option names are given below.
/// </summary>
/// <remarks>A record made with <c>with</c> skips the builder's checks; <see cref="PpmiSvdBuilder.Build"/> and <see cref="PpmiSvd.Train"/> validate it again.</remarks>
public sealed record PpmiSvdOptions
{
    /// <summary>The largest accepted <see cref="WindowSize"/>.</summary>
    public const int MaxWindowSize = 100;

    /// <summary>The largest accepted <see cref="Dimensions"/>.</summary>
    public const int MaxDimensions = 4096;

    /// <summary>The largest accepted <see cref="Oversampling"/>.</summary>
    public const int MaxOversampling = 1000;

    /// <summary>The largest accepted <see cref="PowerIterations"/>.</summary>
    public const int MaxPowerIterations = 100;

    /// <summary>The largest accepted <see cref="Threads"/>.</summary>
    public const int MaxThreads = 1024;

    /// <summary>Context words up to this distance on either side count (hyperwords <c>--win</c>, gensim <c>window</c>, fastText <c>-ws</c>); default 5, range 1–100.</summary>
    /// <value>The window radius; the window never crosses a sentence boundary.</value>
    public int WindowSize { get; init; } = 5;

    /// <summary>How a context counts by its distance; default <see cref="WindowWeighting.Uniform"/> (every context counts 1, as in the course slides).</summary>
    /// <value>The weighting of window positions.</value>
    public WindowWeighting WindowWeighting { get; init; } = WindowWeighting.Uniform;

    /// <summary>The length of the word vectors, the number of singular vectors kept (hyperwords <c>--dim</c>, gensim <c>vector_size</c>, fastText <c>-dim</c>); default 100, range 1–4096.</summary>
    /// <value>The rank of the truncated SVD.</value>
    public int Dimensions { get; init; } = 100;

    /// <summary>
    /// Context-distribution smoothing α (hyperwords <c>--cds</c>): contexts are weighted by <c>P_α(c) = #(c)^α / Σ #(c')^α</c>,
    /// which lifts rare contexts' probability and so damps their PMI. Default 0.75 as Levy et al. recommend (and as
    /// word2vec's noise distribution); 1 gives the textbook PPMI of the course slides. Range: 0 &lt; α ≤ 1.
    /// </summary>
    /// <value>The exponent α.</value>
    public double ContextSmoothing { get; init; } = 0.75;

    /// <summary>
    /// Eigenvalue weighting p (hyperwords <c>--eig</c>): the word vectors are <c>U_d · Σ_d^p</c>. Default 0.5, which
    /// Levy et al. found better than the "proper" factorization p = 1 on similarity tasks; 0 keeps U alone. Range 0–1.
    /// </summary>
    /// <value>The exponent p.</value>
    public double EigenvalueWeighting { get; init; } = 0.5;

    /// <summary>Words seen fewer times are dropped before counting windows (gensim <c>min_count</c>, fastText <c>-minCount</c>); default 5, at least 1.</summary>
    /// <value>The minimum count.</value>
    public int MinCount { get; init; } = 5;

    /// <summary>Keep at most this many words, the rarest dropped first (gensim <c>max_final_vocab</c>); default <see langword="null"/>, no limit.</summary>
    /// <value>The vocabulary limit, or <see langword="null"/>.</value>
    public int? MaxVocabularySize { get; init; }

    /// <summary>Extra random test vectors of the randomized SVD beyond <see cref="Dimensions"/> (Halko et al.'s p); default 10, range 0–1000.</summary>
    /// <value>The oversampling.</value>
    public int Oversampling { get; init; } = 10;

    /// <summary>
    /// Subspace (power) iterations of the randomized SVD, each two sparse products; default 4. More iterations give
    /// singular vectors closer to the exact truncated SVD (scikit-learn's <c>randomized_svd</c> uses 4–7). Range 0–100.
    /// </summary>
    /// <value>The number of power iterations.</value>
    public int PowerIterations { get; init; } = 4;

    /// <summary>Seed of the Gaussian test matrix of the randomized SVD (gensim <c>seed</c>); default 0.</summary>
    /// <value>The seed.</value>
    public int Seed { get; init; }

    /// <summary>
    /// Worker threads (gensim <c>workers</c>, fastText <c>-thread</c>); default <see cref="Environment.ProcessorCount"/>,
    /// range 1–1024. The result is bit-identical for any number of threads: every row and every product is summed
    /// in a fixed order.
    /// </summary>
    /// <value>The number of threads.</value>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>Throws if any setting is out of range, listing every problem.</summary>
    /// <exception cref="InvalidOptionsException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    public void Validate() =>
        new OptionsValidator("PPMI-SVD")
            .InRange(nameof(WindowSize), WindowSize, 1, MaxWindowSize, "WindowSize(int)")
            .Defined(nameof(WindowWeighting), WindowWeighting, "WindowWeighting(WindowWeighting)")
            .InRange(nameof(Dimensions), Dimensions, 1, MaxDimensions, "Dimensions(int)")
            .Require(
                ContextSmoothing > 0 && ContextSmoothing <= 1,
                nameof(ContextSmoothing),
                ContextSmoothing,
                "greater than 0 and at most 1",
                "ContextSmoothing(double), e.g. 0.75, or 1 for none")
            .InRange(nameof(EigenvalueWeighting), EigenvalueWeighting, 0, 1, "EigenvalueWeighting(double), e.g. 0.5")
            .InRange(nameof(MinCount), MinCount, 1, int.MaxValue, "MinCount(int)")
            .Require(MaxVocabularySize is null or >= 1, nameof(MaxVocabularySize), MaxVocabularySize, "at least 1 or null", "MaxVocabularySize(int?)")
            .Require(
                MaxVocabularySize is not { } max || max < 1 || Dimensions < 1 || Dimensions <= max,
                nameof(Dimensions),
                Dimensions,
                string.Create(CultureInfo.InvariantCulture, $"at most MaxVocabularySize = {MaxVocabularySize}"),
                "Dimensions(int) or MaxVocabularySize(int?)")
            .InRange(nameof(Oversampling), Oversampling, 0, MaxOversampling, "Oversampling(int)")
            .InRange(nameof(PowerIterations), PowerIterations, 0, MaxPowerIterations, "PowerIterations(int)")
            .InRange(nameof(Threads), Threads, 1, MaxThreads, "Threads(int)")
            .ThrowIfInvalid();
}
