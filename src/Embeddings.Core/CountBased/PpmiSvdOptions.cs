using System.Globalization;
using System.Text;

namespace Embeddings.Core.CountBased;

/// <summary>
/// The settings of count-based embeddings: co-occurrence counts in a symmetric window → positive pointwise mutual
/// information (PPMI) → truncated SVD. Build them with <see cref="PpmiSvd.CreateBuilder"/>; the defaults follow
/// Levy, Goldberg &amp; Dagan (2015), "Improving Distributional Similarity with Lessons Learned from Word Embeddings",
/// whose <c>hyperwords</c> option names are given below.
/// </summary>
/// <remarks>A record made with <c>with</c> skips the builder's checks; <see cref="PpmiSvd"/> validates it again.</remarks>
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
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; <see cref="ArgumentException.ParamName"/> names the first.</exception>
    internal void Validate()
    {
        var problems = new List<(string Name, string Message)>();
        if (WindowSize is < 1 or > MaxWindowSize)
        {
            problems.Add((nameof(WindowSize), Invariant($"WindowSize must be 1–{MaxWindowSize} (was {WindowSize}); call WindowSize(…).")));
        }

        if (!Enum.IsDefined(WindowWeighting))
        {
            problems.Add((nameof(WindowWeighting), Invariant($"WindowWeighting must be Uniform, InverseDistance or Linear (was {(int)WindowWeighting}); call WindowWeighting(…).")));
        }

        if (Dimensions is < 1 or > MaxDimensions)
        {
            problems.Add((nameof(Dimensions), Invariant($"Dimensions must be 1–{MaxDimensions} (was {Dimensions}); call Dimensions(…).")));
        }

        if (!(ContextSmoothing > 0 && ContextSmoothing <= 1))
        {
            problems.Add((nameof(ContextSmoothing), Invariant($"ContextSmoothing must be greater than 0 and at most 1 (was {ContextSmoothing}); call ContextSmoothing(0.75), or ContextSmoothing(1) for none.")));
        }

        if (!(EigenvalueWeighting >= 0 && EigenvalueWeighting <= 1))
        {
            problems.Add((nameof(EigenvalueWeighting), Invariant($"EigenvalueWeighting must be 0–1 (was {EigenvalueWeighting}); call EigenvalueWeighting(…), e.g. 0.5.")));
        }

        if (MinCount < 1)
        {
            problems.Add((nameof(MinCount), Invariant($"MinCount must be at least 1 (was {MinCount}); call MinCount(…).")));
        }

        if (MaxVocabularySize is < 1)
        {
            problems.Add((nameof(MaxVocabularySize), Invariant($"MaxVocabularySize must be at least 1 or null (was {MaxVocabularySize}); call MaxVocabularySize(…).")));
        }
        else if (MaxVocabularySize is { } max && Dimensions >= 1 && Dimensions > max)
        {
            problems.Add((nameof(Dimensions), Invariant($"Dimensions ({Dimensions}) must not exceed MaxVocabularySize ({max}); lower Dimensions(…) or raise MaxVocabularySize(…).")));
        }

        if (Oversampling is < 0 or > MaxOversampling)
        {
            problems.Add((nameof(Oversampling), Invariant($"Oversampling must be 0–{MaxOversampling} (was {Oversampling}); call Oversampling(…).")));
        }

        if (PowerIterations is < 0 or > MaxPowerIterations)
        {
            problems.Add((nameof(PowerIterations), Invariant($"PowerIterations must be 0–{MaxPowerIterations} (was {PowerIterations}); call PowerIterations(…).")));
        }

        if (Threads is < 1 or > MaxThreads)
        {
            problems.Add((nameof(Threads), Invariant($"Threads must be 1–{MaxThreads} (was {Threads}); call Threads(…).")));
        }

        if (problems.Count == 0)
        {
            return;
        }

        string message;
        if (problems.Count == 1)
        {
            message = problems[0].Message;
        }
        else
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{problems.Count} PPMI-SVD settings are invalid:");
            foreach ((_, string problem) in problems)
            {
                text.AppendLine().Append("- ").Append(problem);
            }

            message = text.ToString();
        }

        throw new ArgumentOutOfRangeException(problems[0].Name, message);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
