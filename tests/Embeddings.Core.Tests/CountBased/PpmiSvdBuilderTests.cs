using Embeddings.Core.CountBased;

namespace Embeddings.Core.Tests.CountBased;

public class PpmiSvdBuilderTests
{
    /// <summary>One out-of-range setting, the option it names and the message it gives.</summary>
    public sealed record InvalidSetting(string Name, Func<PpmiSvdBuilder, PpmiSvdBuilder> Configure, string ParamName, string Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<InvalidSetting> InvalidSettings =>
    [
        new InvalidSetting("window 0", b => b.WindowSize(0), "WindowSize", "WindowSize must be 1–100 (was 0); call WindowSize(int)."),
        new InvalidSetting("window 101", b => b.WindowSize(101), "WindowSize", "WindowSize must be 1–100 (was 101); call WindowSize(int)."),
        new InvalidSetting("weighting 7", b => b.WindowWeighting((WindowWeighting)7), "WindowWeighting", "WindowWeighting must be one of Uniform, InverseDistance, Linear (was 7); call WindowWeighting(WindowWeighting)."),
        new InvalidSetting("dimensions 0", b => b.Dimensions(0), "Dimensions", "Dimensions must be 1–4096 (was 0); call Dimensions(int)."),
        new InvalidSetting("dimensions 4097", b => b.Dimensions(4097), "Dimensions", "Dimensions must be 1–4096 (was 4097); call Dimensions(int)."),
        new InvalidSetting("smoothing 0", b => b.ContextSmoothing(0), "ContextSmoothing", "ContextSmoothing must be greater than 0 and at most 1 (was 0); call ContextSmoothing(double), e.g. 0.75, or 1 for none."),
        new InvalidSetting("smoothing 1.5", b => b.ContextSmoothing(1.5), "ContextSmoothing", "ContextSmoothing must be greater than 0 and at most 1 (was 1.5); call ContextSmoothing(double), e.g. 0.75, or 1 for none."),
        new InvalidSetting("smoothing NaN", b => b.ContextSmoothing(double.NaN), "ContextSmoothing", "ContextSmoothing must be greater than 0 and at most 1 (was NaN)"),
        new InvalidSetting("eigenvalue weighting -0.5", b => b.EigenvalueWeighting(-0.5), "EigenvalueWeighting", "EigenvalueWeighting must be 0–1 (was -0.5); call EigenvalueWeighting(double), e.g. 0.5."),
        new InvalidSetting("min count 0", b => b.MinCount(0), "MinCount", "MinCount must be at least 1 (was 0); call MinCount(int)."),
        new InvalidSetting("max vocabulary 0", b => b.MaxVocabularySize(0), "MaxVocabularySize", "MaxVocabularySize must be at least 1 or null (was 0); call MaxVocabularySize(int?)."),
        new InvalidSetting("dimensions over max vocabulary", b => b.Dimensions(300).MaxVocabularySize(200), "Dimensions", "Dimensions must be at most MaxVocabularySize = 200 (was 300); call Dimensions(int) or MaxVocabularySize(int?)."),
        new InvalidSetting("oversampling -1", b => b.Oversampling(-1), "Oversampling", "Oversampling must be 0–1000 (was -1); call Oversampling(int)."),
        new InvalidSetting("power iterations 101", b => b.PowerIterations(101), "PowerIterations", "PowerIterations must be 0–100 (was 101); call PowerIterations(int)."),
        new InvalidSetting("threads 0", b => b.Threads(0), "Threads", "Threads must be 1–1024 (was 0); call Threads(int)."),
    ];

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Build_SettingOutOfRange_ThrowsArgumentOutOfRangeNamingIt(InvalidSetting setting)
    {
        PpmiSvdBuilder builder = setting.Configure(PpmiSvd.CreateBuilder());

        Action build = () => builder.Build();

        build.Should().Throw<ArgumentOutOfRangeException>()
            .Which.Should().Match<ArgumentOutOfRangeException>(e => e.ParamName == setting.ParamName && e.Message.StartsWith(setting.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Build_ZeroDimensions_ThrowsArgumentOutOfRange()
    {
        Action build = () => PpmiSvd.CreateBuilder().Dimensions(0).Build();

        build.Should().Throw<ArgumentOutOfRangeException>()
            .WithParameterName("Dimensions")
            .WithMessage("Dimensions must be 1–4096 (was 0); call Dimensions(int).*");
    }

    [Fact]
    public void Build_SeveralProblems_ListsEveryOne()
    {
        Action build = () => PpmiSvd.CreateBuilder().WindowSize(0).ContextSmoothing(2).Threads(0).Build();

        ArgumentOutOfRangeException error = build.Should().Throw<ArgumentOutOfRangeException>().Which;
        error.ParamName.Should().Be("WindowSize");
        error.Message.Should().StartWith("3 PPMI-SVD settings are invalid:")
            .And.Contain("- WindowSize must be 1–100 (was 0)")
            .And.Contain("- ContextSmoothing must be greater than 0 and at most 1 (was 2)")
            .And.Contain("- Threads must be 1–1024 (was 0)");
    }

    [Fact]
    public void Build_Defaults_FollowLevyGoldbergDagan()
    {
        PpmiSvdOptions options = PpmiSvd.CreateBuilder().Build().Options;

        options.WindowSize.Should().Be(5);
        options.WindowWeighting.Should().Be(WindowWeighting.Uniform);
        options.Dimensions.Should().Be(100);
        options.ContextSmoothing.Should().Be(0.75);
        options.EigenvalueWeighting.Should().Be(0.5);
        options.MinCount.Should().Be(5);
        options.MaxVocabularySize.Should().BeNull();
        options.Oversampling.Should().Be(10);
        options.PowerIterations.Should().Be(4);
        options.Seed.Should().Be(0);
        options.Threads.Should().Be(Environment.ProcessorCount);
    }

    [Fact]
    public void Build_FluentSettings_AreRecorded()
    {
        PpmiSvdBuilder builder = PpmiSvd.CreateBuilder()
            .WindowSize(2).WindowWeighting(WindowWeighting.Linear).Dimensions(50).ContextSmoothing(1).EigenvalueWeighting(0)
            .MinCount(3).MaxVocabularySize(1000).Oversampling(5).PowerIterations(2).Seed(9).Threads(3);

        PpmiSvd first = builder.Build();
        PpmiSvd second = builder.Build();

        first.Options.Should().Be(new PpmiSvdOptions
        {
            WindowSize = 2,
            WindowWeighting = WindowWeighting.Linear,
            Dimensions = 50,
            ContextSmoothing = 1,
            EigenvalueWeighting = 0,
            MinCount = 3,
            MaxVocabularySize = 1000,
            Oversampling = 5,
            PowerIterations = 2,
            Seed = 9,
            Threads = 3,
        });
        second.Options.Should().Be(first.Options, "Build has no side effects");
    }

    [Fact]
    public void Constructor_OptionsMadeWithWith_AreValidatedToo()
    {
        PpmiSvdOptions options = new PpmiSvdOptions() with { Dimensions = -3 };

        Action create = () => _ = PpmiSvd.CreateBuilder().WithOptions(options).Build();

        create.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("Dimensions");
    }
}
