namespace Embeddings.Core.Numerics;

/// <summary>
/// Knuth's subtractive generator, seeded exactly as .NET seeds <c>System.Random(int)</c>: for a given seed it returns
/// the same sequence from <see cref="Next(int)"/>, <see cref="Next(int, int)"/> and <see cref="NextDouble"/> as that
/// class does today.
/// </summary>
/// <remarks>
/// <para>
/// Why it exists: k-means, product quantization and the randomized SVD of 0.1.0 drew from <c>System.Random(seed)</c>.
/// .NET documents that <c>System.Random</c>'s sequence may change between versions, so a seed would not keep giving
/// the same clusters; this copy of the algorithm freezes the sequence, so seeds keep giving 0.1.0's results on every
/// runtime. It is the member of the seeded random family (see <see cref="SplitMix64Random"/>) kept for that one
/// purpose; new code uses <see cref="SplitMix64Random"/>.
/// </para>
/// <para>
/// The algorithm (Knuth, The Art of Computer Programming, vol. 2, 3.6): a table of 55 values, each draw replacing
/// one of them by its difference with another a fixed distance away, modulo 2³¹ − 1. Seeding spreads the seed over
/// the table in steps of 21 and then stirs it four times. Not thread-safe: one instance per worker.
/// </para>
/// </remarks>
public sealed class SubtractiveRandom
{
    private const int TableSize = 56; // entry 0 unused: Knuth's indices run from 1 to 55
    private const int Lag = 21;       // the second index starts 21 ahead of the first, as in .NET (Numerical Recipes' ran3 has 31)
    private const int SeedBase = 161803398;

    private readonly int[] _table = new int[TableSize];
    private int _first;
    private int _second = Lag;

    /// <summary>Seeds the table from <paramref name="seed"/> (its absolute value; <see cref="int.MinValue"/> counts as <see cref="int.MaxValue"/>).</summary>
    /// <param name="seed">Any value: the same seed as a former <c>new Random(seed)</c> gives the same numbers.</param>
    public SubtractiveRandom(int seed)
    {
        int[] table = _table;
        int value = SeedBase - (seed == int.MinValue ? int.MaxValue : Math.Abs(seed));
        table[55] = value;
        int previous = 1;
        int index = 0;
        for (int i = 1; i < 55; i++)
        {
            index += Lag;
            if (index >= 55)
            {
                index -= 55;
            }

            table[index] = previous;
            previous = value - previous;
            if (previous < 0)
            {
                previous += int.MaxValue;
            }

            value = table[index];
        }

        for (int round = 0; round < 4; round++)
        {
            for (int i = 1; i < TableSize; i++)
            {
                int other = i + 30;
                if (other >= 55)
                {
                    other -= 55;
                }

                table[i] -= table[1 + other];
                if (table[i] < 0)
                {
                    table[i] += int.MaxValue;
                }
            }
        }
    }

    /// <summary>A value in [0, <paramref name="maxValue"/>), as <c>System.Random.Next(maxValue)</c> draws it.</summary>
    /// <param name="maxValue">The exclusive upper bound, at least 0.</param>
    /// <returns>The next value (0 when <paramref name="maxValue"/> is 0).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxValue"/> is negative.</exception>
    public int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return (int)(NextDouble() * maxValue);
    }

    /// <summary>A value in [<paramref name="minValue"/>, <paramref name="maxValue"/>), as <c>System.Random.Next(minValue, maxValue)</c> draws it.</summary>
    /// <param name="minValue">The inclusive lower bound.</param>
    /// <param name="maxValue">The exclusive upper bound, at least <paramref name="minValue"/>.</param>
    /// <returns>The next value (<paramref name="minValue"/> when the bounds are equal).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxValue"/> is less than <paramref name="minValue"/>.</exception>
    public int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        long range = (long)maxValue - minValue;
        if (range <= int.MaxValue)
        {
            return (int)(NextDouble() * range) + minValue;
        }

        // Ranges wider than 2³¹ − 1 take a second draw for the sign, as System.Random does.
        double wide = NextRaw();
        if (NextRaw() % 2 == 0)
        {
            wide = -wide;
        }

        wide = (wide + (int.MaxValue - 1)) / (2.0 * int.MaxValue - 1);
        return (int)((long)(wide * range) + minValue);
    }

    /// <summary>A double in [0, 1), as <c>System.Random.NextDouble()</c> draws it: a 31-bit value over 2³¹ − 1.</summary>
    /// <returns>The next fraction.</returns>
    public double NextDouble() => NextRaw() * (1.0 / int.MaxValue);

    /// <summary>The next value of the table, in [0, 2³¹ − 1).</summary>
    private int NextRaw()
    {
        int first = _first + 1;
        if (first >= TableSize)
        {
            first = 1;
        }

        int second = _second + 1;
        if (second >= TableSize)
        {
            second = 1;
        }

        int value = _table[first] - _table[second];
        if (value == int.MaxValue)
        {
            value--;
        }

        if (value < 0)
        {
            value += int.MaxValue;
        }

        _table[first] = value;
        _first = first;
        _second = second;
        return value;
    }
}
