using System.IO.Compression;
using System.Numerics.Tensors;
using Embeddings.Core.CountBased;
using Embeddings.Tests.Infrastructure;
using Embeddings.Core.Vectors;

namespace Embeddings.Core.Tests.CountBased;

[Trait("Category", "Conformance")]
public class PpmiSvdConformanceTests
{
    private const int Lines = 20_000;

    [Fact]
    public void Train_FirstLinesOfEnglishCorpus_RelatedWordsAreCloserThanRandomPairs()
    {
        string path = SharedData.RequireFile("corpus/en.txt.gz");
        List<string[]> sentences = ReadLines(path, Lines);

        PpmiSvdResult result = PpmiSvd.CreateBuilder()
            .WindowSize(5).Dimensions(50).ContextSmoothing(0.75).EigenvalueWeighting(0.5).MinCount(5)
            .PowerIterations(3).Seed(0).Threads(1)
            .Build()
            .Train(sentences, cancellationToken: TestContext.Current.CancellationToken);

        // Measured: king/queen 0.548, man/woman 0.575, day/night 0.651, father/mother 0.755, good/evil 0.619;
        // 95th percentile of random pairs 0.360, median 0.110.
        WordVectors vectors = result.Vectors;
        double[] random = RandomPairSimilarities(vectors, pairs: 2000, seed: 0);
        Array.Sort(random);
        double percentile95 = random[(int)(0.95 * random.Length)];
        foreach ((string a, string b) in new[] { ("king", "queen"), ("man", "woman"), ("day", "night"), ("father", "mother"), ("good", "evil") })
        {
            Similarity(vectors, a, b).Should().BeGreaterThan(percentile95, $"{a}/{b} should be closer than 95 % of random pairs (median {random[random.Length / 2]:F3})");
        }
    }

    private static double Similarity(WordVectors vectors, string a, string b)
    {
        vectors.Vocabulary.TryGetId(a, out int first).Should().BeTrue($"'{a}' is frequent in the corpus");
        vectors.Vocabulary.TryGetId(b, out int second).Should().BeTrue($"'{b}' is frequent in the corpus");
        return TensorPrimitives.Dot(vectors.GetUnitVector(first), vectors.GetUnitVector(second));
    }

    private static double[] RandomPairSimilarities(WordVectors vectors, int pairs, int seed)
    {
        var random = new Random(seed);
        var similarities = new double[pairs];
        int words = Math.Min(vectors.Count, 5000); // comparable frequencies: the 5,000 most frequent words
        for (int i = 0; i < pairs; i++)
        {
            int a = random.Next(words);
            int b = random.Next(words);
            similarities[i] = TensorPrimitives.Dot(vectors.GetUnitVector(a), vectors.GetUnitVector(b));
        }

        return similarities;
    }

    private static List<string[]> ReadLines(string path, int count)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var sentences = new List<string[]>(count);
        while (sentences.Count < count && reader.ReadLine() is { } line)
        {
            sentences.Add(line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }

        return sentences;
    }
}
