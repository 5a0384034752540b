using Embeddings.Core.Plotting;

namespace Embeddings.Core.Tests.Plotting;

public class NiceScaleTests
{
    [Theory]
    [InlineData(0.13, 9.7, 5, 0, 10, 2)]
    [InlineData(0, 1, 5, 0, 1, 0.2)]
    [InlineData(0.3, 0.9, 6, 0.3, 0.9, 0.1)]
    [InlineData(-17, -3, 5, -20, 0, 5)]
    [InlineData(1_000, 2_500_000, 10, 0, 2_500_000, 500_000)]
    public void Create_Range_WidensToNiceTicks(double min, double max, int target, double niceMin, double niceMax, double step)
    {
        NiceScale scale = NiceScale.Create(min, max, target);

        scale.Min.Should().Be(niceMin);
        scale.Max.Should().Be(niceMax);
        scale.Step.Should().BeApproximately(step, step * 1e-12);
    }

    [Fact]
    public void Create_RandomRanges_CoverTheDataWithAFewNiceTicks()
    {
        var random = new Random(11);
        for (int i = 0; i < 2_000; i++)
        {
            double scale = Math.Pow(10, random.Next(-12, 13));
            double a = (random.NextDouble() - 0.5) * scale;
            double b = a + (random.NextDouble() * scale);
            int target = random.Next(2, 11);

            NiceScale nice = NiceScale.Create(a, b, target);

            double[] ticks = [.. Enumerable.Range(0, nice.TickCount).Select(nice.Tick)];
            ticks.Length.Should().BeInRange(2, target + 3, $"[{a}, {b}] with {target} ticks");
            ParsedSvg.ShouldBeNiceAndCover(ticks, a, b);
            ticks.Select(nice.Format).Should().OnlyHaveUniqueItems($"labels of [{a}, {b}] must differ");
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-2.5e-9)]
    [InlineData(1e12)]
    public void Create_OneValue_SitsInsideAWidenedRange(double value)
    {
        NiceScale scale = NiceScale.Create(value, value, 5);

        scale.Min.Should().BeLessThan(value);
        scale.Max.Should().BeGreaterThan(value);
        scale.TickCount.Should().BeInRange(3, 8);
    }

    [Theory]
    [InlineData(-1, 1, 0, "0")]
    [InlineData(-1, 1, -0.6, "-0.6")]
    [InlineData(0, 2_000, 1_500, "1500")]
    [InlineData(0, 3e-7, 2e-7, "2E-07")]
    [InlineData(0, 5e9, 2e9, "2E+09")]
    public void Format_Tick_UsesInvariantDigitsThatTheStepNeeds(double min, double max, double value, string expected)
    {
        NiceScale.Create(min, max, 5).Format(value).Should().Be(expected);
    }
}
