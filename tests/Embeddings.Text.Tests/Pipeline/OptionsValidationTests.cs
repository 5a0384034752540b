using System.Globalization;
using System.Reflection;
using Embeddings.Text.Sources;

namespace Embeddings.Text.Tests.Pipeline;

/// <summary>
/// Embeddings.Text reports invalid settings as the other libraries do (the same validator source, compiled in): an
/// <see cref="ArgumentOutOfRangeException"/> whose ParamName is the setting and whose message, in the invariant culture,
/// states the range, the value and the setter, without .NET's suffixes.
/// </summary>
public class OptionsValidationTests
{
    [Fact]
    public void EveryPublicOptionsType_IsMadeOnlyByItsValidatingBuilder()
    {
        Type[] optionsTypes = [.. typeof(TextPipeline).Assembly.GetExportedTypes().Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal))];

        // TextPipelineOptions describes a built pipeline; only TextPipelineBuilder.Build, which validates, creates one.
        // LineSourceOptions is a record like Core's GenerationOptions: the LineSource factories call its Validate.
        optionsTypes.Should().BeEquivalentTo([typeof(TextPipelineOptions), typeof(LineSourceOptions)]);
        typeof(TextPipelineOptions).GetConstructors(BindingFlags.Public | BindingFlags.Instance).Should().BeEmpty();
    }

    [Fact]
    public void LineSourceFactories_ValidateTheirOptions()
    {
        var invalid = new LineSourceOptions { Encoding = (TextEncoding)(-1500) };

        Action file = () => LineSource.FromStream(new MemoryStream(), "stream", leaveOpen: false, invalid);

        ArgumentOutOfRangeException error = file.Should().Throw<ArgumentOutOfRangeException>().Which;
        error.ParamName.Should().Be("Encoding");
        error.Message.Should().Be("Encoding must be one of Utf8, Utf8ReplaceInvalid, Latin1, Windows1252 (was -1500); set LineSourceOptions.Encoding.");
    }

    [Fact]
    public void Build_OneInvalidSetting_NamesOptionValueRangeAndSetter_InTheInvariantCulture()
    {
        CultureInfo culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("de-DE");
        try
        {
            Action build = () => TextPipeline.CreateBuilder().MinTokenLength(-1500).Build();

            ArgumentOutOfRangeException error = build.Should().Throw<ArgumentOutOfRangeException>().Which;

            error.ParamName.Should().Be("MinTokenLength");
            error.Message.Should().Be("MinTokenLength must be at least 1 (was -1500); call MinTokenLength(int).");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }

    [Fact]
    public void Build_SeveralProblems_ListsEachOne_WithoutDotNetSuffixes()
    {
        Action build = () => TextPipeline.CreateBuilder().KeepOnly("z-a").MinTokenLength(0).Build();

        ArgumentOutOfRangeException error = build.Should().Throw<ArgumentOutOfRangeException>().Which;

        error.ParamName.Should().Be("KeepOnly");
        error.Message.Should().StartWith("2 text pipeline settings are invalid:" + Environment.NewLine + "- KeepOnly: ")
            .And.EndWith(Environment.NewLine + "- MinTokenLength must be at least 1 (was 0); call MinTokenLength(int).")
            .And.NotContain("(Parameter");
    }
}
