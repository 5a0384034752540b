namespace Embeddings.Core.CountBased;

/// <summary>How much a context word counts, by its distance d (1 ≤ d ≤ window size w) from the center word.</summary>
public enum WindowWeighting
{
    /// <summary>Every context in the window counts 1, as in the classic co-occurrence matrix of the course slides (the default).</summary>
    Uniform = 0,

    /// <summary>A context at distance d counts 1/d, as GloVe's co-occurrence counts.</summary>
    InverseDistance = 1,

    /// <summary>
    /// A context at distance d counts (w − d + 1)/w: the expected weight under word2vec's dynamic window, which draws the
    /// effective window uniformly from 1..w (Levy, Goldberg &amp; Dagan 2015, "dynamic context window").
    /// </summary>
    Linear = 2,
}
