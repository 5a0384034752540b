using Embeddings.Core.Numerics;

namespace Embeddings.Core.Corpus;

/// <summary>
/// The distribution negative samples are drawn from: P(w) ∝ count(w)^α (word2vec's unigram^0.75), sampled in O(1)
/// with Vose's alias method. Immutable and thread-safe; the random bits come from the caller's generator.
/// </summary>
public sealed class NoiseDistribution
{
    private readonly float[] _acceptance;
    private readonly int[] _alias;
    private readonly double[] _probabilities;

    private NoiseDistribution(float[] acceptance, int[] alias, double[] probabilities, double exponent)
    {
        _acceptance = acceptance;
        _alias = alias;
        _probabilities = probabilities;
        Exponent = exponent;
    }

    /// <summary>The exponent α applied to the counts (word2vec/gensim <c>ns_exponent</c>, default 0.75).</summary>
    public double Exponent { get; }

    /// <summary>The number of words that can be drawn.</summary>
    public int Count => _alias.Length;

    /// <summary>Builds the distribution from a vocabulary's counts.</summary>
    /// <param name="vocabulary">The words and counts; must not be empty.</param>
    /// <param name="exponent">α: 1 samples by frequency, 0 uniformly, 0.75 is word2vec's choice; negative values favour rare words, as gensim allows.</param>
    /// <exception cref="ArgumentException">The vocabulary is empty or the exponent is not finite.</exception>
    public static NoiseDistribution Create(Vocabulary vocabulary, double exponent = 0.75)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (vocabulary.Count == 0)
        {
            throw new ArgumentException("The noise distribution needs at least one word.", nameof(vocabulary));
        }

        if (!double.IsFinite(exponent))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "The noise exponent must be a finite number (word2vec uses 0.75).");
        }

        int n = vocabulary.Count;
        var probabilities = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            probabilities[i] = Math.Pow(vocabulary.GetCount(i), exponent);
            total += probabilities[i];
        }

        for (int i = 0; i < n; i++)
        {
            probabilities[i] /= total;
        }

        (float[] acceptance, int[] alias) = BuildAliasTable(probabilities);
        return new NoiseDistribution(acceptance, alias, probabilities, exponent);
    }

    /// <summary>The probability of drawing word <paramref name="id"/>.</summary>
    /// <param name="id">0 ≤ id &lt; <see cref="Count"/>.</param>
    public double Probability(int id) => _probabilities[id];

    /// <summary>Draws a word id from 64 random bits: the high 32 pick a column, the low 24 decide between it and its alias.</summary>
    /// <param name="randomBits">Uniform random bits, e.g. <see cref="Word2VecRandom.Next"/>.</param>
    public int Sample(ulong randomBits)
    {
        int column = (int)(((randomBits >> 32) * (ulong)_alias.Length) >> 32);
        float fraction = (randomBits & 0xFFFFFF) / 16777216f;
        return fraction < _acceptance[column] ? column : _alias[column];
    }

    /// <summary>The alias table's acceptance thresholds (for device backends that sample on their own).</summary>
    internal ReadOnlySpan<float> Acceptance => _acceptance;

    /// <summary>The alias table's alternatives (for device backends that sample on their own).</summary>
    internal ReadOnlySpan<int> Alias => _alias;

    private static (float[] Acceptance, int[] Alias) BuildAliasTable(double[] probabilities)
    {
        // Vose (1991): scale to mean 1, then pair each under-full column with an over-full donor.
        int n = probabilities.Length;
        var scaled = new double[n];
        var acceptance = new float[n];
        var alias = new int[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = probabilities[i] * n;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }

        while (small.Count > 0 && large.Count > 0)
        {
            int under = small.Pop();
            int over = large.Pop();
            acceptance[under] = (float)scaled[under];
            alias[under] = over;
            scaled[over] = scaled[over] + scaled[under] - 1.0;
            (scaled[over] < 1.0 ? small : large).Push(over);
        }

        // Whatever is left is full up to rounding error.
        foreach (int i in large)
        {
            acceptance[i] = 1f;
            alias[i] = i;
        }

        foreach (int i in small)
        {
            acceptance[i] = 1f;
            alias[i] = i;
        }

        return (acceptance, alias);
    }
}
