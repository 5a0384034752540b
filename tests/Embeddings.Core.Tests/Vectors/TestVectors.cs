using Embeddings.Core.Corpus;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.Vectors;

/// <summary>Small word vectors for tests.</summary>
internal static class TestVectors
{
    /// <summary>Vectors from (word, vector) rows, ids in the order given.</summary>
    public static WordVectors FromRows(params (string Word, float[] Vector)[] rows)
    {
        int dimensions = rows[0].Vector.Length;
        var matrix = new float[rows.Length * dimensions];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i].Vector.CopyTo(matrix, i * dimensions);
        }

        return new WordVectors(Vocabulary.FromWordsInOrder([.. rows.Select(r => r.Word)]), matrix, dimensions);
    }

    /// <summary><paramref name="count"/> words <c>w0, w1, …</c> with seeded Gaussian-ish vectors.</summary>
    public static WordVectors Random(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var matrix = new float[count * dimensions];
        for (int i = 0; i < matrix.Length; i++)
        {
            matrix[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        }

        return new WordVectors(Vocabulary.FromWordsInOrder([.. Enumerable.Range(0, count).Select(i => "w" + i)]), matrix, dimensions);
    }

    /// <summary>A value in [−1, 1) from an integer hash; <c>make_evaluation_golden.py</c> computes the same bits.</summary>
    public static float Hash(int i, int k)
    {
        uint h = unchecked(((uint)i * 2654435761u) + ((uint)k * 40503u) + 1u);
        h ^= h >> 15;
        h = unchecked(h * 2246822519u);
        h ^= h >> 13;
        return (float)((h / 4294967296.0 * 2.0) - 1.0);
    }

    /// <summary>Seeded random floats in [−1, 1).</summary>
    public static float[] RandomFloats(Random random, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
