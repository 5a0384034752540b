namespace Embeddings.Core.Numerics;

/// <summary>
/// SplitMix64, the library's default seeded generator: a tiny, fast, well-mixed stream whose whole state is one
/// <see cref="ulong"/>, and whose numbers are fixed by this code (not by the runtime), so a seed gives the same run on
/// every .NET version.
/// </summary>
/// <remarks>
/// <para>
/// Streams are derived, not shared: <see cref="For(ulong, ulong, ulong)"/> keys a stream by a seed and two counters
/// (say, epoch and batch, or seed and worker index), so nothing but the seed and the position needs saving for an
/// exact resume, and each worker owns its own stream. The language models draw every number this way.
/// </para>
/// <para>
/// The family has two other members, each kept only to reproduce someone's numbers: <see cref="Word2VecRandom"/>
/// (word2vec.c's generator, for parity with word2vec.c and gensim) and <see cref="SubtractiveRandom"/> (the sequence
/// of .NET's seeded <c>System.Random</c>, so that k-means, product quantization and the randomized SVD keep the
/// results their seeds gave in 0.1.0). Use this one for anything new.
/// </para>
/// <para>A value type: copy it and both copies continue the same stream.</para>
/// </remarks>
/// <param name="seed">The starting state; any value.</param>
public struct SplitMix64Random(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private ulong _state = seed;

    /// <summary>A stream keyed by a seed and two counters (say, epoch and batch).</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="a">The first counter.</param>
    /// <param name="b">The second counter, 0 when there is only one.</param>
    /// <returns>A generator started at <see cref="Mix(ulong, ulong, ulong)"/>'s value.</returns>
    public static SplitMix64Random For(ulong seed, ulong a, ulong b = 0) => new(Mix(seed, a, b));

    /// <summary>Hashes a seed and two counters into one well-mixed value (three SplitMix64 finalisations).</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="a">The first counter.</param>
    /// <param name="b">The second counter.</param>
    /// <returns>The mixed value: a seed for a derived stream, or a random value keyed by the three inputs.</returns>
    public static ulong Mix(ulong seed, ulong a, ulong b)
    {
        ulong x = Finalise(seed + Golden);
        x = Finalise(x ^ (a + Golden));
        return Finalise(x ^ (b * Golden + 0x632BE59BD9B4E019));
    }

    /// <summary>Advances the stream and returns 64 random bits.</summary>
    /// <returns>The next value.</returns>
    public ulong Next()
    {
        _state += Golden;
        return Finalise(_state);
    }

    /// <summary>A float in [0, 1) with 24 random bits.</summary>
    /// <returns>The next fraction.</returns>
    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    /// <returns>The next fraction.</returns>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A value in [0, <paramref name="bound"/>), unbiased (Lemire's multiply-shift with rejection).</summary>
    /// <param name="bound">The exclusive upper bound, at least 1.</param>
    /// <returns>The next value.</returns>
    public int NextInt(int bound)
    {
        ulong range = (ulong)bound;
        while (true)
        {
            ulong x = Next() >> 32;
            ulong product = x * range;
            if ((uint)product >= (uint)((1UL << 32) % range) || range == 1)
            {
                return (int)(product >> 32);
            }
        }
    }

    /// <summary>Uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    /// <param name="low">The inclusive lower end.</param>
    /// <param name="high">The exclusive upper end.</param>
    /// <returns>The next value.</returns>
    public float NextUniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>A standard normal draw (Box–Muller; one of the pair is used).</summary>
    /// <returns>The next value.</returns>
    public float NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
