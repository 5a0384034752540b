using System.Globalization;
using Embeddings.Core.Classification;
using Embeddings.Core.CountBased;
using Embeddings.Core.Formats;
using Embeddings.Core.Options;
using Embeddings.Core.Sequences;
using Embeddings.Core.Training;

namespace Embeddings.Quantization.Tests;

/// <summary>
/// Every public options type of Embeddings.Core and Embeddings.Quantization reports an invalid setting the same way:
/// one <see cref="InvalidOptionsException"/> (an <see cref="ArgumentOutOfRangeException"/>) whose ParamName is the
/// option and whose message, in the invariant culture, states the allowed range, the value and the setter to call.
/// </summary>
public class OptionsValidationTests
{
    /// <summary>An invalid instance of one options type, how it is validated, and what the exception must say.</summary>
    public sealed record InvalidOptions(Type Type, Action Validate, string ParamName, string Message)
    {
        public override string ToString() => Type.Name;
    }

    /// <summary>One case per public options type; <see cref="Cases_CoverEveryPublicOptionsType"/> keeps it complete.</summary>
    private static readonly InvalidOptions[] AllCases =
    [
        new InvalidOptions(typeof(Word2VecOptions), () => new Word2VecOptions { Dimensions = 0 }.Validate(),
            "Dimensions", "Dimensions must be 1–4096 (was 0); call Dimensions(int)."),
        new InvalidOptions(typeof(PpmiSvdOptions), () => new PpmiSvdOptions { ContextSmoothing = 1.5 }.Validate(),
            "ContextSmoothing", "ContextSmoothing must be greater than 0 and at most 1 (was 1.5); call ContextSmoothing(double), e.g. 0.75, or 1 for none."),
        new InvalidOptions(typeof(LanguageModelOptions), () => new LanguageModelOptions { Dropout = 1.5 }.Validate(),
            "Dropout", "Dropout must be in [0, 1) (was 1.5); call Dropout(double)."),
        new InvalidOptions(typeof(OptimizerOptions), () => OptimizerOptions.Adam(learningRate: -0.5),
            "LearningRate", "LearningRate must be finite and greater than 0 (was -0.5); call Sgd, Adam or AdamW(learningRate, …)."),
        new InvalidOptions(typeof(GenerationOptions), () => new GenerationOptions { Temperature = -0.5 }.Validate(),
            "Temperature", "Temperature must be finite and at least 0 (was -0.5); set GenerationOptions.Temperature."),
        new InvalidOptions(typeof(VectorFileLoadOptions), () => new VectorFileLoadOptions { Limit = 0 }.Validate(),
            "Limit", "Limit must be at least 1, or null to read every vector (was 0); set VectorFileLoadOptions.Limit."),
        new InvalidOptions(typeof(TextClassifierOptions), () => new TextClassifierOptions { Dimensions = 0 }.Validate(),
            "Dimensions", "Dimensions must be 1–4096 (was 0); call Dimensions(int)."),
        new InvalidOptions(typeof(KMeansOptions), () => new KMeansOptions { Tolerance = -0.5 }.Validate(),
            "Tolerance", "Tolerance must be finite and at least 0 (was -0.5); call Tolerance(double), e.g. 1e-4."),
        new InvalidOptions(typeof(ProductQuantizerOptions), () => new ProductQuantizerOptions { Centroids = 300 }.Validate(),
            "Centroids", "Centroids must be 1–256 (was 300); call Centroids(int)."),
        new InvalidOptions(typeof(CompressionOptions), () => new CompressionOptions { Bits = 0 }.Validate(),
            "Bits", "Bits must be 1–131072 (was 0); call Bits(int)."),
        new InvalidOptions(typeof(EmbeddingAutoencoderOptions), () => new EmbeddingAutoencoderOptions { CodeDimensions = 0 }.Validate(),
            "CodeDimensions", "CodeDimensions must be 1–65536 (was 0); call CodeDimensions(int)."),
    ];

    public static TheoryData<InvalidOptions> Cases => [.. AllCases];

    /// <summary>Each builder runs the same validation on options given whole (a record made with <c>with</c> skips the setters).</summary>
    public static TheoryData<string, Action, string> BuildersWithInvalidOptions => new()
    {
        { "word2vec", () => Word2Vec.CreateBuilder().WithOptions(new Word2VecOptions { Dimensions = 0 }).Build(), "Dimensions" },
        { "ppmi", () => PpmiSvd.CreateBuilder().WithOptions(new PpmiSvdOptions { ContextSmoothing = 1.5 }).Build(), "ContextSmoothing" },
        {
            "language model",
            () => LanguageModel.CreateBuilder().WithOptions(new LanguageModelOptions { Dropout = 1.5 }).Embedding(["a", "b"], 2).Build(),
            "Dropout"
        },
        { "text classifier", () => TextClassifier.CreateBuilder().WithOptions(new TextClassifierOptions { Dimensions = 0 }).Build(), "Dimensions" },
        { "k-means", () => KMeans.CreateBuilder().WithOptions(new KMeansOptions { Tolerance = -0.5 }).Build(), "Tolerance" },
        { "product quantizer", () => ProductQuantizer.CreateBuilder().WithOptions(new ProductQuantizerOptions { Centroids = 300 }).Build(), "Centroids" },
        { "compression", () => Compression.CreateBuilder().WithOptions(new CompressionOptions { Bits = 0 }).Build(), "Bits" },
        { "autoencoder", () => EmbeddingAutoencoder.CreateBuilder().WithOptions(new EmbeddingAutoencoderOptions { CodeDimensions = 0 }).Build(), "CodeDimensions" },
    };

    [Fact]
    public void Cases_CoverEveryPublicOptionsType()
    {
        Type[] optionsTypes =
        [
            .. typeof(Word2VecOptions).Assembly.GetExportedTypes().Concat(typeof(KMeansOptions).Assembly.GetExportedTypes())
                .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal)),
        ];

        optionsTypes.Should().BeEquivalentTo(AllCases.Select(c => c.Type));
        optionsTypes.Should().OnlyContain(t => t.GetMethod("Validate", Type.EmptyTypes) != null, "every options type has a public Validate()");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validate_InvalidSetting_NamesOptionValueRangeAndSetter_InTheInvariantCulture(InvalidOptions invalid)
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE"); // a decimal comma: the message must still say 1.5
        try
        {
            InvalidOptionsException error = invalid.Validate.Should().Throw<InvalidOptionsException>().Which;

            error.Should().BeAssignableTo<ArgumentOutOfRangeException>();
            error.ParamName.Should().Be(invalid.ParamName);
            error.Message.Should().Be(invalid.Message);
            error.Problems.Should().Equal(invalid.Message);
            error.Message.Should().NotContain("(Parameter").And.NotContain("Actual value");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [MemberData(nameof(BuildersWithInvalidOptions))]
    public void Build_InvalidWholeOptions_ThrowsTheSameException(string capability, Action build, string paramName)
    {
        build.Should().Throw<InvalidOptionsException>(capability).Which.ParamName.Should().Be(paramName);
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEachOneUnderAHeading_NamingTheFirst()
    {
        Action validate = () => new Word2VecOptions { Dimensions = 0, Threads = 0 }.Validate();

        InvalidOptionsException error = validate.Should().Throw<InvalidOptionsException>().Which;

        error.Should().BeAssignableTo<ArgumentException>();
        error.ParamName.Should().Be("Dimensions");
        error.Message.Should().Be(
            "2 word2vec settings are invalid:" + Environment.NewLine
            + "- Dimensions must be 1–4096 (was 0); call Dimensions(int)." + Environment.NewLine
            + "- Threads must be 1–1024 (was 0); call Threads(int).");
    }
}
