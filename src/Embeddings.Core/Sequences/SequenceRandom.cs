namespace Embeddings.Core.Sequences;

/// <summary>
/// SplitMix64: a tiny, fast, well-mixed stream whose whole state is one <see cref="ulong"/>. The language model derives
/// every stream it needs (initialisation, shuffling, dropout masks, sampling) from the seed and a few counters with
/// <see cref="Mix(ulong, ulong, ulong)"/>, so nothing but the seed and the position needs saving for an exact resume,
/// and the numbers do not change between .NET versions (<see cref="Random"/> makes no such promise).
/// </summary>
internal struct SequenceRandom(ulong seed)
{
    private const ulong Golden = 0x9E3779B97F4A7C15;

    private ulong _state = seed;

    /// <summary>A stream keyed by a seed and two counters (say, epoch and batch).</summary>
    public static SequenceRandom For(ulong seed, ulong a, ulong b = 0) => new(Mix(seed, a, b));

    public static ulong Mix(ulong seed, ulong a, ulong b)
    {
        ulong x = Finalise(seed + Golden);
        x = Finalise(x ^ (a + Golden));
        return Finalise(x ^ (b * Golden + 0x632BE59BD9B4E019));
    }

    public ulong Next()
    {
        _state += Golden;
        return Finalise(_state);
    }

    /// <summary>A float in [0, 1) with 24 random bits.</summary>
    public float NextFloat() => (Next() >> 40) * (1f / (1 << 24));

    /// <summary>A double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A value in [0, <paramref name="bound"/>), unbiased (Lemire's multiply-shift with rejection).</summary>
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
    public float NextUniform(float low, float high) => low + (high - low) * NextFloat();

    /// <summary>A standard normal draw (Box–Muller; one of the pair is used).</summary>
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
