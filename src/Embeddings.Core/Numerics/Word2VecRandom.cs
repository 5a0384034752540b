namespace Embeddings.Core.Numerics;

/// <summary>
/// word2vec.c's linear congruential generator (<c>next_random = next_random * 25214903917 + 11</c>): tiny state,
/// a multiply and an add per draw, and the same stream of numbers as the reference implementation for a given seed.
/// A value type on purpose: each worker owns one, and checkpoints save its <see cref="State"/>.
/// </summary>
/// <remarks>
/// The member of the seeded random family (see <see cref="SplitMix64Random"/>) kept for parity with word2vec.c and
/// gensim: the word2vec trainers' windows, subsampling and negative samples draw from it. Its low bits are weak, so
/// use <see cref="SplitMix64Random"/> for anything new.
/// </remarks>
public struct Word2VecRandom
{
    private const ulong Multiplier = 25214903917;
    private const ulong Increment = 11;

    /// <summary>Starts the stream at <paramref name="seed"/>.</summary>
    /// <param name="seed">Any value; word2vec.c seeds worker i with i.</param>
    public Word2VecRandom(ulong seed) => State = seed;

    /// <summary>The generator's state, to save in a checkpoint and restore with the constructor.</summary>
    public ulong State { get; private set; }

    /// <summary>Advances and returns the new state (all 64 bits; word2vec.c uses the bits above 16 for fractions).</summary>
    public ulong Next()
    {
        State = State * Multiplier + Increment;
        return State;
    }

    /// <summary>A value in [0, <paramref name="bound"/>) as word2vec.c draws it: <c>next_random % bound</c>.</summary>
    /// <param name="bound">Exclusive upper bound, at least 1.</param>
    public int NextInt(int bound) => (int)(Next() % (ulong)bound);

    /// <summary>A fraction in [0, 1) from the 16 bits word2vec.c compares against subsampling thresholds: <c>(next_random &amp; 0xFFFF) / 65536</c>.</summary>
    public double NextFraction16() => (Next() & 0xFFFF) / 65536.0;
}
