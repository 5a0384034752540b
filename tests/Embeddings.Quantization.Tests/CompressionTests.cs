using Embeddings.Core.Corpus;
using Embeddings.Core.Options;
using Embeddings.Core.Vectors;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Quantization.Tests;

public class CompressionTests
{
    private const int Dimensions = 16;

    /// <summary>600 words whose 16-dimensional vectors lie near a 4-dimensional subspace: structure every method can code.</summary>
    internal static WordVectors Structured(int count = 600, int seed = 5, float? poison = null)
    {
        var random = new Random(seed);
        var basis = new float[4 * Dimensions];
        for (int i = 0; i < basis.Length; i++)
        {
            basis[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var matrix = new float[count * Dimensions];
        for (int w = 0; w < count; w++)
        {
            for (int l = 0; l < 4; l++)
            {
                float latent = (float)((random.NextDouble() * 2) - 1);
                for (int j = 0; j < Dimensions; j++)
                {
                    matrix[(w * Dimensions) + j] += latent * basis[(l * Dimensions) + j];
                }
            }

            for (int j = 0; j < Dimensions; j++)
            {
                matrix[(w * Dimensions) + j] += (float)(random.NextDouble() - 0.5) * 0.05f;
            }
        }

        if (poison is { } value)
        {
            matrix[(7 * Dimensions) + 3] = value;
        }

        return new WordVectors(Vocabulary.FromWordsInOrder([.. Enumerable.Range(0, count).Select(i => "w" + i)]), matrix, Dimensions);
    }

    private static CompressionTrainer Trainer(CompressionMethod method, int bits, int threads = 1, int seed = 0) =>
        Compression.CreateBuilder().Method(method).Bits(bits).Seed(seed).Threads(threads)
            .Autoencoder(method is CompressionMethod.Autoencoder or CompressionMethod.Binary ? new EmbeddingAutoencoderOptions { Epochs = 25, BatchSize = 64 } : null)
            .Build();

    public static TheoryData<CompressionMethod, int, int> Budgets => new()
    {
        // method, bits, expected code bits
        { CompressionMethod.KMeans, 8, 8 },             // k = 256 ≤ 600 words
        { CompressionMethod.KMeans, 30, 10 },           // k capped at 600 words: ⌈log2 600⌉ = 10
        { CompressionMethod.ProductQuantization, 32, 32 }, // 4 one-byte subspaces
        { CompressionMethod.ProductQuantization, 5, 5 },   // one subspace of 32 centroids
        { CompressionMethod.Autoencoder, 64, 64 },      // 8 code values of 8 bits
        { CompressionMethod.Autoencoder, 70, 64 },      // bits / 8 rounds down
        { CompressionMethod.Binary, 40, 40 },
        { CompressionMethod.Scalar8, 128, 128 },        // 8 bits × 16 dimensions
        { CompressionMethod.Scalar8, 200, 128 },
    };

    [Theory]
    [MemberData(nameof(Budgets))]
    public void Train_EachMethod_FitsTheBudgetAndReportsBytesAndRatio(CompressionMethod method, int bits, int codeBits)
    {
        using WordVectors vectors = Structured();

        CompressedVectors compressed = Trainer(method, bits).Train(vectors);

        compressed.CodeBits.Should().Be(codeBits);
        compressed.CodeBits.Should().BeLessThanOrEqualTo(bits);
        compressed.BytesPerVector.Should().Be(codeBits / 8.0);
        compressed.CompressionRatio.Should().BeApproximately(32.0 * Dimensions / codeBits, 1e-12);
        compressed.OverallCompressionRatio.Should().BeApproximately(4.0 * 600 * Dimensions / ((600 * codeBits / 8.0) + compressed.ModelBytes), 1e-9);
        compressed.Method.Should().Be(method);
        compressed.Count.Should().Be(600);
    }

    [Theory]
    [InlineData(CompressionMethod.KMeans, 8)]
    [InlineData(CompressionMethod.ProductQuantization, 32)]
    [InlineData(CompressionMethod.Autoencoder, 64)]
    [InlineData(CompressionMethod.Binary, 48)]
    [InlineData(CompressionMethod.Scalar8, 128)]
    public void SaveLoad_EachMethod_RoundTripsCodesSearchAndFigures(CompressionMethod method, int bits)
    {
        using var temp = new TempDirectory();
        using WordVectors vectors = Structured();
        CompressedVectors compressed = Trainer(method, bits).Train(vectors);
        string path = temp.File("v.emcz");

        compressed.Save(path);
        CompressedVectors loaded = CompressedVectors.Load(path);

        loaded.Method.Should().Be(method);
        loaded.Bits.Should().Be(bits);
        loaded.CodeBits.Should().Be(compressed.CodeBits);
        loaded.ModelBytes.Should().Be(compressed.ModelBytes);
        loaded.ReconstructionError.Should().Be(compressed.ReconstructionError);
        using WordVectors before = compressed.ToWordVectors();
        using WordVectors after = loaded.ToWordVectors();
        after.Matrix.ToArray().Should().Equal(before.Matrix.ToArray());
        loaded.MostSimilar("w3", 5).Should().Equal(compressed.MostSimilar("w3", 5));
        using var stream = new MemoryStream();
        loaded.Save(stream);
        stream.ToArray().Should().Equal(File.ReadAllBytes(path), "saving what was loaded gives the same bytes");
    }

    [Theory]
    [InlineData(CompressionMethod.KMeans, 8)]
    [InlineData(CompressionMethod.ProductQuantization, 32)]
    [InlineData(CompressionMethod.Autoencoder, 64)]
    [InlineData(CompressionMethod.Binary, 48)]
    [InlineData(CompressionMethod.Scalar8, 128)]
    public void Train_SameSeedOneThread_ByteIdenticalFiles(CompressionMethod method, int bits)
    {
        using WordVectors vectors = Structured();
        using var first = new MemoryStream();
        using var second = new MemoryStream();

        Trainer(method, bits).Train(vectors).Save(first);
        Trainer(method, bits).Train(vectors).Save(second);

        // The header's training seconds differ between runs; everything after them must not.
        byte[] a = first.ToArray(), b = second.ToArray();
        a.Length.Should().Be(b.Length);
        const int SecondsAt = 24 + 16 + 8; // frame header, four int32, the error
        a.AsSpan(24 + 8, SecondsAt - 24 - 8).ToArray().Should().Equal(b.AsSpan(24 + 8, SecondsAt - 24 - 8).ToArray());
        a.AsSpan(SecondsAt + 8).ToArray().Should().Equal(b.AsSpan(SecondsAt + 8).ToArray());
    }

    [Fact]
    public void Train_Autoencoder_OneOrTwoThreads_SameCodes()
    {
        using WordVectors vectors = Structured();

        CompressedVectors one = Trainer(CompressionMethod.Binary, 48, threads: 1).Train(vectors);
        CompressedVectors two = Trainer(CompressionMethod.Binary, 48, threads: 2).Train(vectors);

        using WordVectors a = one.ToWordVectors();
        using WordVectors b = two.ToWordVectors();
        b.Matrix.ToArray().Should().Equal(a.Matrix.ToArray());
    }

    [Theory]
    [InlineData(CompressionMethod.ProductQuantization, 32, 0.01)]
    [InlineData(CompressionMethod.Scalar8, 128, 1e-4)]
    [InlineData(CompressionMethod.Autoencoder, 64, 0.01)]
    public void Train_StructuredVectors_SmallReconstructionError(CompressionMethod method, int bits, double bound)
    {
        using WordVectors vectors = Structured();

        CompressedVectors compressed = Trainer(method, bits).Train(vectors);

        // Unit vectors of 16 values: a mean square of 1/16 per value; the bound is a small share of it.
        compressed.ReconstructionError.Should().BeLessThan(bound);
        compressed.MostSimilar("w10", 10).Should().HaveCount(10).And.NotContain(s => s.Word == "w10");
    }

    [Fact]
    public void Binary_MostSimilar_EqualsBruteForceHammingOverThePackedCodes()
    {
        using WordVectors vectors = Structured();
        CompressedVectors compressed = Trainer(CompressionMethod.Binary, 48).Train(vectors);
        var codes = (AutoencoderCodes)compressed.Codes;
        ulong[] bits = codes.Bits.ToArray();
        int query = 17;
        ulong own = bits[query];

        var expected = Enumerable.Range(0, 600).Where(i => i != query)
            .Select(i => (Id: i, Distance: System.Numerics.BitOperations.PopCount(own ^ bits[i])))
            .OrderBy(x => x.Distance).ThenBy(x => x.Id).Take(10).ToList();

        IReadOnlyList<WordSimilarity> found = compressed.MostSimilar("w17", 10);

        found.Select(s => s.Word).Should().Equal(expected.Select(x => "w" + x.Id));
        found.Select(s => s.Similarity).Should().Equal(expected.Select(x => 1f - (2f * x.Distance / 48)));
    }

    [Theory]
    [InlineData(0, "Bits must be 1–131072 (was 0)")]
    [InlineData(513, "Bits must be 1–512 for 16-dimensional vectors")]
    public void Train_BitsOutOfRange_ThrowsNamingBits(int bits, string message)
    {
        using WordVectors vectors = Structured();

        Action act = () => Compression.CreateBuilder().Bits(bits).Build().Train(vectors);

        act.Should().Throw<InvalidOptionsException>().Where(e => e.ParamName == "Bits").WithMessage($"*{message}*");
    }

    [Fact]
    public void Train_Scalar8BelowEightBitsADimension_Throws()
    {
        using WordVectors vectors = Structured();

        Action act = () => Trainer(CompressionMethod.Scalar8, 127).Train(vectors);

        act.Should().Throw<InvalidOptionsException>().Where(e => e.ParamName == "Bits").WithMessage("*at least 128 for scalar8*(was 127)*");
    }

    [Fact]
    public void Train_NoVectors_Throws()
    {
        using var empty = new WordVectors(Vocabulary.FromWordsInOrder([]), [], Dimensions);

        Action act = () => Trainer(CompressionMethod.ProductQuantization, 32).Train(empty);

        act.Should().Throw<ArgumentException>().WithMessage("There are no vectors to compress.*");
    }

    [Fact]
    public void Load_DamagedOrForeignFile_ThrowsInvalidData()
    {
        using var temp = new TempDirectory();
        using WordVectors vectors = Structured();
        string path = temp.File("v.emcz");
        Trainer(CompressionMethod.Scalar8, 128).Train(vectors).Save(path);
        byte[] bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x40;
        File.WriteAllBytes(temp.File("damaged.emcz"), bytes);
        File.WriteAllBytes(temp.File("truncated.emcz"), bytes[..(bytes.Length / 2)]);
        ProductQuantizer.CreateBuilder().Subspaces(4).Threads(1).Build().Train(vectors).Save(temp.File("pq.embp"));
        File.WriteAllText(temp.File("text.vec"), "2 2\na 1 2\nb 3 4\n");

        foreach (string name in new[] { "damaged.emcz", "truncated.emcz", "pq.embp", "text.vec" })
        {
            Action act = () => CompressedVectors.Load(temp.File(name));
            act.Should().Throw<InvalidDataException>(name).Which.Message.Should().Contain(name);
        }
    }

    [Fact]
    public void Train_Progress_ReportsEachEpochAndTheEnd()
    {
        using WordVectors vectors = Structured();
        var reports = new List<CompressionProgress>();

        Trainer(CompressionMethod.Autoencoder, 64).Train(vectors, new SynchronousProgress<CompressionProgress>(reports.Add));

        reports.Should().Contain(r => r.Stage == "trained" && r.Step == 1);
        reports[^1].Stage.Should().Be("measured");
    }

    [Fact]
    public void Train_Cancelled_Throws()
    {
        using WordVectors vectors = Structured();
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Action act = () => Trainer(CompressionMethod.Binary, 32).Train(vectors, cancellationToken: cancellation.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void Compress_Shortcut_MatchesTheBuilder()
    {
        using WordVectors vectors = Structured();

        CompressedVectors shortcut = Compression.Compress(vectors, CompressionMethod.Scalar8, 128);

        shortcut.CodeBits.Should().Be(128);
        shortcut.ReconstructionError.Should().Be(Trainer(CompressionMethod.Scalar8, 128).Train(vectors).ReconstructionError);
    }
}
