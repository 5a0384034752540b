using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Quantization;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class QuantizeCommandsTests
{
    /// <summary>Word2vec text vectors: 40 words in 4 tight groups along the axes of 8 dimensions.</summary>
    private static string WriteVectors(TempDirectory temp, string? poison = null)
    {
        var text = new StringBuilder("40 8\n");
        var random = new Random(1);
        for (int i = 0; i < 40; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < 8; j++)
            {
                double value = (j == i % 4 ? 5 : 0) + (random.NextDouble() * 0.1);
                text.Append(' ').Append(i == 7 && j == 3 && poison is not null ? poison : value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        string path = temp.File("vectors.txt");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Fact]
    public void Quantize_Json_ReportsSecondsInertiaIterations_AndWritesLoadableFile()
    {
        using var temp = new TempDirectory();
        string output = temp.File("q.embk");

        Tool.Result result = Tool.Run("quantize", "--vectors", WriteVectors(temp), "--clusters", "4", "--seed", "0", "--threads", "2", "--output", output, "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        json.RootElement.GetProperty("inertia").GetDouble().Should().BeLessThan(40 * 8 * 0.01, "the groups are recovered");
        json.RootElement.GetProperty("iterations").GetInt32().Should().BeGreaterThan(0);
        QuantizedVectors loaded = QuantizedVectors.Load(output);
        loaded.Clusters.Should().Be(4);
        loaded.Members(loaded.ClusterOf("w1")).Should().Equal(Enumerable.Range(0, 10).Select(i => "w" + (1 + (4 * i))));
    }

    [Fact]
    public void Quantize_SameSeed_SameFileForOneAndTwoThreads()
    {
        using var temp = new TempDirectory();
        string vectors = WriteVectors(temp);

        Tool.Run("quantize", "--vectors", vectors, "-k", "6", "--spherical", "--threads", "1", "--output", temp.File("a")).ExitCode.Should().Be(0);
        Tool.Run("quantize", "--vectors", vectors, "-k", "6", "--spherical", "--threads", "2", "--output", temp.File("b")).ExitCode.Should().Be(0);

        File.ReadAllBytes(temp.File("b")).Should().Equal(File.ReadAllBytes(temp.File("a")));
    }

    [Theory]
    [InlineData("41", null, "Clusters (41) must not exceed the number of points (40)")]
    [InlineData("0", null, "--clusters must be at least 1 (was 0)")]
    [InlineData("4", "inf", "is not a number: 'inf'")] // the loader rejects it before k-means sees it
    public void Quantize_BadInput_FailsCleanlyAndWritesNothing(string clusters, string? poison, string message)
    {
        using var temp = new TempDirectory();
        string vectors = WriteVectors(temp, poison);
        string output = temp.File("q.embk");

        Tool.Result result = Tool.Run("quantize", "--vectors", vectors, "--clusters", clusters, "--output", output);

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().Contain(message);
        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(temp.Path).Should().ContainSingle("no temporary file is left either");
    }

    [Fact]
    public void Pq_Json_ReportsRecallAndCompression()
    {
        using var temp = new TempDirectory();
        string output = temp.File("v.embp");

        // 40 words cannot fill 256 centroids: the option is out of reach, so train on enough words.
        var text = new StringBuilder("400 8\n");
        var random = new Random(2);
        for (int i = 0; i < 400; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < 8; j++)
            {
                text.Append(' ').Append(((j == i % 8 ? 3 : 0) + random.NextDouble()).ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        File.WriteAllText(temp.File("big.txt"), text.ToString());

        Tool.Result result = Tool.Run("pq", "--vectors", temp.File("big.txt"), "--subspaces", "4", "--threads", "2", "--recall-queries", "50", "--output", output, "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        json.RootElement.GetProperty("code_compression_ratio").GetDouble().Should().Be(8);
        json.RootElement.GetProperty("recall_at_10").GetDouble().Should().BeInRange(0.3, 1);
        ProductQuantizedVectors.Load(output).Codes.Length.Should().Be(400 * 4);
    }
}
