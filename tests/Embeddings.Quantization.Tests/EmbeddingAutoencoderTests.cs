using Embeddings.Core.Options;
using Embeddings.Core.Vectors;

namespace Embeddings.Quantization.Tests;

public class EmbeddingAutoencoderTests
{
    private static double Error(AutoencoderModel model, WordVectors vectors)
    {
        float[] unit = vectors.Matrix.ToArray();
        KMeans.NormalizeRows(unit, vectors.Dimensions);
        float[] codes = model.Encode(vectors.Matrix);
        var decoded = new float[unit.Length];
        model.Decode(codes, vectors.Count, decoded);
        double sum = 0;
        for (int i = 0; i < unit.Length; i++)
        {
            sum += (decoded[i] - unit[i]) * (decoded[i] - unit[i]);
        }

        return sum / unit.Length;
    }

    public static TheoryData<string, EmbeddingAutoencoderOptions> Shapes => new()
    {
        { "linear, cosine", new EmbeddingAutoencoderOptions { CodeDimensions = 6, CodeActivation = AutoencoderActivation.Linear, Threads = 1 } },
        { "tanh code, MSE", new EmbeddingAutoencoderOptions { CodeDimensions = 6, Loss = AutoencoderLoss.MeanSquaredError, Threads = 1 } },
        { "stacked 12-6, tied", new EmbeddingAutoencoderOptions { HiddenLayers = [12], CodeDimensions = 6, TiedWeights = true, Threads = 1 } },
        { "stacked relu, untied", new EmbeddingAutoencoderOptions { HiddenLayers = [24], Activation = AutoencoderActivation.Relu, CodeDimensions = 6, Threads = 1 } },
        { "binary 32 bits", new EmbeddingAutoencoderOptions { CodeDimensions = 32, BinaryCode = true, Threads = 1 } },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Train_ReconstructsBetterThanUntrained(string shape, EmbeddingAutoencoderOptions options)
    {
        using WordVectors vectors = CompressionTests.Structured();
        var trained = new EmbeddingAutoencoder(options with { Epochs = 40, BatchSize = 64 }).Train(vectors);
        var untrained = new EmbeddingAutoencoder(options with { Epochs = 1, BatchSize = 600, LearningRate = 1e-9, ValidationShare = 0 }).Train(vectors);

        double after = Error(trained, vectors), before = Error(untrained, vectors);

        after.Should().BeLessThan(before * 0.5, shape);
        trained.CodeDimensions.Should().Be(options.CodeDimensions);
        trained.IsBinary.Should().Be(options.BinaryCode);
    }

    [Fact]
    public void Train_BinaryCode_EncodesSignsThatPackAndUnpack()
    {
        using WordVectors vectors = CompressionTests.Structured();
        AutoencoderModel model = EmbeddingAutoencoder.CreateBuilder().BinaryCode().CodeDimensions(70).Epochs(3).Threads(1).Build().Train(vectors);
        var code = new float[70];
        var bits = new ulong[2];
        var fromCode = new float[16];
        var fromBits = new float[16];

        model.Encode(vectors.GetVector(3), code);
        model.EncodeBits(vectors.GetVector(3), bits);
        model.Decode(code, fromCode);
        model.DecodeBits(bits, fromBits);

        code.Should().OnlyContain(v => v == 1f || v == -1f);
        model.CodeWords.Should().Be(2);
        (bits[1] >> 6).Should().Be(0UL, "bits past the 70th stay clear");
        fromBits.Should().Equal(fromCode);
    }

    [Fact]
    public void Train_Progress_OneReportAnEpochWithHeldOutLoss_AndEarlyStoppingKeepsItBounded()
    {
        using WordVectors vectors = CompressionTests.Structured();
        var reports = new List<AutoencoderProgress>();

        EmbeddingAutoencoder.CreateBuilder().CodeDimensions(4).Epochs(200).Patience(2).LearningRate(0.05).Threads(1).Build()
            .Train(vectors, new SynchronousProgress<AutoencoderProgress>(reports.Add));

        reports.Select(r => r.Epoch).Should().Equal(Enumerable.Range(1, reports.Count));
        reports.Should().OnlyContain(r => r.Epochs == 200 && !double.IsNaN(r.ValidationLoss));
        reports.Count.Should().BeLessThan(200, "a large learning rate stops improving the held-out loss well before 200 epochs");
    }

    [Fact]
    public void Build_InvalidOptions_ListsEveryProblem()
    {
        Action act = () => EmbeddingAutoencoder.CreateBuilder().CodeDimensions(0).Epochs(0).ValidationShare(1).LearningRate(-1).Build();

        act.Should().Throw<InvalidOptionsException>().Where(e => e.ParamName == "CodeDimensions")
            .Which.Problems.Should().HaveCount(4);
    }

    [Fact]
    public void Train_FloatCodeLongerThanTheVectors_Throws()
    {
        using WordVectors vectors = CompressionTests.Structured();

        Action act = () => EmbeddingAutoencoder.CreateBuilder().CodeDimensions(17).Build().Train(vectors);

        act.Should().Throw<InvalidOptionsException>().Where(e => e.ParamName == "CodeDimensions").WithMessage("*at most the vectors' 16 dimensions*(was 17)*");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void Train_NonFiniteValue_ThrowsNamingTheVector(float poison)
    {
        float[] values = CompressionTests.Structured().Matrix.ToArray();
        values[(7 * 16) + 3] = poison;

        Action act = () => EmbeddingAutoencoder.CreateBuilder().CodeDimensions(4).Build().Train(values, 16);

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "vectors").WithMessage("*vector 7*");
    }

    [Fact]
    public void Train_NoVectors_Throws()
    {
        Action act = () => EmbeddingAutoencoder.CreateBuilder().CodeDimensions(4).Build().Train(ReadOnlySpan<float>.Empty, 16);

        act.Should().Throw<ArgumentException>().WithMessage("The vectors hold 0 values*");
    }

    [Fact]
    public void SaveLoad_TiedStackedModel_EncodesAndDecodesTheSame()
    {
        using var temp = new Embeddings.Tests.Infrastructure.TempDirectory();
        using WordVectors vectors = CompressionTests.Structured();
        AutoencoderModel model = EmbeddingAutoencoder.CreateBuilder().HiddenLayers(12).CodeDimensions(6).TiedWeights().Epochs(3).Threads(1).Build().Train(vectors);

        model.Save(temp.File("m.emae"));
        AutoencoderModel loaded = AutoencoderModel.Load(temp.File("m.emae"));

        float[] codes = model.Encode(vectors.Matrix);
        loaded.Encode(vectors.Matrix).Should().Equal(codes);
        var a = new float[16];
        var b = new float[16];
        model.Decode(codes.AsSpan(0, 6), a);
        loaded.Decode(codes.AsSpan(0, 6), b);
        b.Should().Equal(a);
        loaded.NormalizeOutputs.Should().BeTrue();
        Action foreign = () => CompressedVectors.Load(temp.File("m.emae"));
        foreign.Should().Throw<InvalidDataException>();
    }
}
