using System.Globalization;
using System.Text;
using System.Text.Json;
using Embeddings.Cli.Tests.Infrastructure;
using Embeddings.Core.Formats;
using Embeddings.Core.Vectors;
using Embeddings.Quantization;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Cli.Tests;

public class CompressCommandTests
{
    /// <summary>Word2vec text vectors: 300 words in 4 groups along the axes of 8 dimensions.</summary>
    private static string WriteVectors(TempDirectory temp, string? poison = null, int count = 300)
    {
        var text = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"{count} 8\n"));
        var random = new Random(1);
        for (int i = 0; i < count; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"w{i}");
            for (int j = 0; j < 8; j++)
            {
                double value = (j == i % 4 ? 5 : 0) + random.NextDouble();
                text.Append(' ').Append(i == 7 && j == 3 && poison is not null ? poison : value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.Append('\n');
        }

        string path = temp.File("vectors.txt");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    [Theory]
    [InlineData("kmeans", 8, 8)]
    [InlineData("pq", 32, 32)]
    [InlineData("autoencoder", 48, 48)]
    [InlineData("binary", 40, 40)]
    [InlineData("scalar8", 64, 64)]
    public void Compress_Json_ReportsSizeErrorAndTime_AndWritesLoadableFile(string method, int bits, int codeBits)
    {
        using var temp = new TempDirectory();
        string output = temp.File("v.emcz");

        Tool.Result result = Tool.Run("compress", "--vectors", WriteVectors(temp), "--method", method, "--bits", bits.ToString(CultureInfo.InvariantCulture),
            "--seed", "1", "--threads", "1", "--output", output, "--json");

        result.ExitCode.Should().Be(0, result.StandardError);
        using JsonDocument json = JsonDocument.Parse(result.StandardOutput);
        JsonElement root = json.RootElement;
        root.GetProperty("bytes_per_vector").GetDouble().Should().Be(codeBits / 8.0);
        root.GetProperty("ratio").GetDouble().Should().BeApproximately(256.0 / codeBits, 1e-9);
        root.GetProperty("seconds").GetDouble().Should().BeGreaterThan(0);
        root.GetProperty("reconstruction_mse").GetDouble().Should().BeInRange(0, 0.1, "a unit vector of 8 values has a mean square of 0.125");
        CompressedVectors loaded = CompressedVectors.Load(output);
        loaded.CodeBits.Should().Be(codeBits);
        loaded.Count.Should().Be(300);
    }

    [Fact]
    public void Compress_SameSeedOneThread_SameCodes()
    {
        using var temp = new TempDirectory();
        string vectors = WriteVectors(temp);

        Tool.Run("compress", "--vectors", vectors, "--method", "binary", "--bits", "32", "--threads", "1", "--output", temp.File("a")).ExitCode.Should().Be(0);
        Tool.Run("compress", "--vectors", vectors, "--method", "binary", "--bits", "32", "--threads", "1", "--output", temp.File("b")).ExitCode.Should().Be(0);

        using WordVectors a = CompressedVectors.Load(temp.File("a")).ToWordVectors();
        using WordVectors b = CompressedVectors.Load(temp.File("b")).ToWordVectors();
        b.Matrix.ToArray().Should().Equal(a.Matrix.ToArray());
    }

    [Fact]
    public void Convert_CompressedFile_WritesTheDecodedVectors()
    {
        using var temp = new TempDirectory();
        string compressed = temp.File("v.emcz");
        Tool.Run("compress", "--vectors", WriteVectors(temp), "--method", "pq", "--bits", "32", "--threads", "1", "--output", compressed).ExitCode.Should().Be(0);

        Tool.Result result = Tool.Run("convert", "--input", compressed, "--output", temp.File("out.bin"), "--format", "binary");

        result.ExitCode.Should().Be(0, result.StandardError);
        using WordVectors converted = WordVectorsFile.Load(temp.File("out.bin"));
        using WordVectors decoded = CompressedVectors.Load(compressed).ToWordVectors();
        converted.Matrix.ToArray().Should().Equal(decoded.Matrix.ToArray());
        converted.Vocabulary.Words.Should().Equal(decoded.Vocabulary.Words);
    }

    [Theory]
    [InlineData("binary", "32")]
    [InlineData("pq", "32")]
    public void Similar_CompressedFile_AnswersFromTheCodes(string method, string bits)
    {
        using var temp = new TempDirectory();
        string compressed = temp.File("v.emcz");
        Tool.Run("compress", "--vectors", WriteVectors(temp), "--method", method, "--bits", bits, "--threads", "1", "--output", compressed).ExitCode.Should().Be(0);

        Tool.Result result = Tool.Run("similar", "--vectors", compressed, "--word", "w1", "--top", "5");

        result.ExitCode.Should().Be(0, result.StandardError);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        IReadOnlyList<WordSimilarity> expected = CompressedVectors.Load(compressed).MostSimilar("w1", 5);
        lines.Should().Equal(expected.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Word}\t{s.Similarity:F6}")));
        lines.Select(l => int.Parse(l.Split('\t')[0][1..], CultureInfo.InvariantCulture) % 4).Should().OnlyContain(g => g == 1, "w1's neighbours are its own group");
    }

    [Fact]
    public void Similar_CompressedFile_UnknownWord_FailsWithOneLine()
    {
        using var temp = new TempDirectory();
        string compressed = temp.File("v.emcz");
        Tool.Run("compress", "--vectors", WriteVectors(temp), "--method", "scalar8", "--bits", "64", "--output", compressed).ExitCode.Should().Be(0);

        Tool.Result result = Tool.Run("similar", "--vectors", compressed, "--word", "W1");

        result.ExitCode.Should().Be(1);
        result.StandardError.Trim().Should().Be("error: 'W1' is not in the vocabulary of 300 words; did you mean 'w1'?");
    }

    [Theory]
    [InlineData("pq", "257", null, "--bits must be 1–256 for 8-dimensional vectors")]
    [InlineData("scalar8", "63", null, "--bits must be at least 64 for scalar8")]
    [InlineData("pq", "0", null, "--bits must be at least 1 (was 0)")]
    [InlineData("zip", "8", null, "zip")]
    [InlineData("binary", "16", "nan", "is 'nan'; vectors must be finite")]
    public void Compress_BadInput_FailsCleanlyAndWritesNothing(string method, string bits, string? poison, string message)
    {
        using var temp = new TempDirectory();
        string vectors = WriteVectors(temp, poison);
        string output = temp.File("v.emcz");

        Tool.Result result = Tool.Run("compress", "--vectors", vectors, "--method", method, "--bits", bits, "--output", output);

        result.ExitCode.Should().NotBe(0);
        result.StandardError.Should().StartWith("error: ").And.Contain(message);
        result.StandardError.Trim().Split('\n').Should().ContainSingle();
        File.Exists(output).Should().BeFalse();
        Directory.GetFiles(temp.Path).Should().ContainSingle("no temporary file is left either");
    }

    [Fact]
    public void Compress_EmptyVectorFile_FailsCleanly()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("empty.txt"), string.Empty);

        Tool.Result result = Tool.Run("compress", "--vectors", temp.File("empty.txt"), "--method", "pq", "--bits", "8", "--output", temp.File("v.emcz"));

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: ");
        File.Exists(temp.File("v.emcz")).Should().BeFalse();
    }

    [Fact]
    public void Convert_DamagedCompressedFile_FailsWithInvalidData()
    {
        using var temp = new TempDirectory();
        string compressed = temp.File("v.emcz");
        Tool.Run("compress", "--vectors", WriteVectors(temp), "--method", "scalar8", "--bits", "64", "--output", compressed).ExitCode.Should().Be(0);
        byte[] bytes = File.ReadAllBytes(compressed);
        bytes[^3] ^= 1;
        File.WriteAllBytes(compressed, bytes);

        Tool.Result result = Tool.Run("convert", "--input", compressed, "--output", temp.File("out.txt"), "--format", "text");

        result.ExitCode.Should().Be(1);
        result.StandardError.Should().StartWith("error: ").And.Contain("v.emcz");
        File.Exists(temp.File("out.txt")).Should().BeFalse();
    }
}
