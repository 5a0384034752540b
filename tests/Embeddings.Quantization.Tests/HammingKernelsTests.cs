using System.Runtime.Intrinsics.X86;

namespace Embeddings.Quantization.Tests;

public class HammingKernelsTests
{
    private static ulong[] Random64(int count, int seed)
    {
        var random = new Random(seed);
        var values = new ulong[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (ulong)random.NextInt64() ^ ((ulong)random.Next() << 40);
        }

        return values;
    }

    [Fact]
    public void Distance_EveryLengthTo20Words_EqualsTheScalarTwin()
    {
        for (int words = 0; words <= 20; words++)
        {
            ulong[] a = Random64(words, words), b = Random64(words, 100 + words);

            HammingKernels.Distance(a, b).Should().Be(HammingKernels.DistanceScalar(a, b), $"{words} words");
            if (Avx2.IsSupported)
            {
                HammingKernels.DistanceAvx2(a, b).Should().Be(HammingKernels.DistanceScalar(a, b), $"{words} words (AVX2)");
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    public void Distances_EqualTheScalarTwinForEachCode(int words)
    {
        ulong[] codes = Random64(300 * words, words);
        ulong[] query = Random64(words, 7);
        var distances = new int[300];
        var fused = new int[300];
        var histogram = new int[(64 * words) + 1];

        HammingKernels.Distances(query, codes, distances);
        HammingKernels.Distances(query, codes, fused, histogram);

        for (int i = 0; i < 300; i++)
        {
            distances[i].Should().Be(HammingKernels.DistanceScalar(query, codes.AsSpan(i * words, words)));
        }

        fused.Should().Equal(distances);
        histogram.Should().Equal(Enumerable.Range(0, histogram.Length).Select(d => distances.Count(x => x == d)));
    }

    [Theory]
    [InlineData(1, -1)]
    [InlineData(10, 5)]
    [InlineData(50, 0)]
    [InlineData(400, 399)]
    [InlineData(500, 3)]
    public void Nearest_EqualsSortingByDistanceThenIndex(int topN, int exclude)
    {
        var random = new Random(topN);
        int[] distances = [.. Enumerable.Range(0, 400).Select(_ => random.Next(0, 12))]; // many ties

        int[] nearest = HammingKernels.Nearest(distances, 64, topN, exclude);

        nearest.Should().Equal(Enumerable.Range(0, 400).Where(i => i != exclude).OrderBy(i => distances[i]).ThenBy(i => i).Take(topN));
    }

    [Theory]
    [InlineData(1, 10, -1)]
    [InlineData(2, 10, 3)]
    [InlineData(3, 1, 0)]
    [InlineData(4, 25, 299)]
    [InlineData(7, 300, 5)]
    public void Search_EqualsBruteForceOverTheScalarDistances(int words, int topN, int exclude)
    {
        // Few distinct codes: many ties, which the index must break.
        var random = new Random(words);
        ulong[] pool = Random64(5 * words, 11);
        ulong[] codes = [.. Enumerable.Range(0, 300).SelectMany(_ => pool.Skip(random.Next(5) * words).Take(words))];
        ulong[] query = Random64(words, 13);
        int capacity = Math.Min(topN, 300 - (exclude >= 0 ? 1 : 0));
        var ids = new int[capacity];
        var distances = new int[capacity];

        int found = HammingKernels.Search(query, codes, exclude, ids, distances);

        int[] expected = [.. Enumerable.Range(0, 300).Where(i => i != exclude)
            .OrderBy(i => HammingKernels.DistanceScalar(query, codes.AsSpan(i * words, words))).ThenBy(i => i).Take(topN)];
        found.Should().Be(expected.Length);
        ids.Should().Equal(expected);
        distances.Should().Equal(expected.Select(i => HammingKernels.DistanceScalar(query, codes.AsSpan(i * words, words))));
    }
}
