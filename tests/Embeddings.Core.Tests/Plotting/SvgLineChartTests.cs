using System.Text;
using System.Xml.Linq;
using Embeddings.Core.Plotting;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Plotting;

public class SvgLineChartTests
{
    private static readonly XNamespace Svg = ParsedSvg.Svg;

    /// <summary>A bad series, the parameter it should name and a fragment of the message.</summary>
    public sealed record BadSeries(string Name, double[] X, double[] Y, string ParamName, string Message)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<BadSeries> BadSeriesCases =>
    [
        new BadSeries("empty", [], [], "x", "Series 'empty' is empty"),
        new BadSeries("lengths", [1, 2, 3], [1, 2], "y", "Series 'lengths' has 3 x values and 2 y values"),
        new BadSeries("nan", [1, 2, 3], [1, double.NaN, 3], "y", "Series 'nan' has y[1] = NaN"),
        new BadSeries("infinite", [1, double.PositiveInfinity], [1, 2], "x", "Series 'infinite' has x[1] = Infinity"),
        new BadSeries("minus infinity", [1, 2], [double.NegativeInfinity, 2], "y", "Series 'minus infinity' has y[0] = -Infinity"),
    ];

    [Fact]
    public void ToSvg_Default_IsAStandaloneSvg11Document()
    {
        string text = new SvgLineChart("Loss", "epoch", "loss").AddSeries("a", [0, 1], [2, 1]).ToSvg();

        XDocument document = XDocument.Parse(text);
        document.Declaration!.Encoding.Should().Be("UTF-8");
        XElement root = document.Root!;
        root.Name.Should().Be(Svg + "svg");
        ((string?)root.Attribute("version")).Should().Be("1.1");
        ((string?)root.Attribute("width")).Should().Be("800");
        ((string?)root.Attribute("height")).Should().Be("500");
        ((string?)root.Attribute("viewBox")).Should().Be("0 0 800 500");
    }

    [Fact]
    public void ToSvg_OneSeries_DrawsOnePointPerValueWhereTheTicksSay()
    {
        double[] x = [0.13, 1.7, 2.2, 4.9, 9.7];
        double[] y = [0.031, 0.012, 0.02, -0.004, 0.001];

        var svg = new ParsedSvg(new SvgLineChart("t", "x", "y").AddSeries("loss", x, y).ToSvg(640, 480));

        List<(double X, double Y)> points = ParsedSvg.Points(svg.WithClass("line").Single());
        points.Should().HaveCount(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            points[i].X.Should().BeInRange(svg.Left, svg.Right);
            points[i].Y.Should().BeInRange(svg.Top, svg.Bottom);
            points[i].X.Should().BeApproximately(svg.PixelOf("x-axis", x[i]), 0.02);
            points[i].Y.Should().BeApproximately(svg.PixelOf("y-axis", y[i]), 0.02);
        }

        points.Select(p => p.X).Should().BeInAscendingOrder("larger x is further right");
        for (int i = 0; i < x.Length; i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                if (y[i] > y[j])
                {
                    points[i].Y.Should().BeLessThan(points[j].Y, "larger y is higher up, at a smaller pixel y");
                }
            }
        }
    }

    [Theory]
    [InlineData(0.13, 9.7, -0.004, 0.031)]
    [InlineData(0, 5, 1.2, 7.9)]
    [InlineData(1_000, 2_500_000, 0.3, 0.3)]
    [InlineData(-17, -3, 1e-7, 3e-7)]
    public void ToSvg_Ticks_AreNiceNumbersCoveringTheData(double x0, double x1, double y0, double y1)
    {
        var svg = new ParsedSvg(new SvgLineChart("t", "x", "y").AddSeries("s", [x0, x1], [y0, y1]).ToSvg());

        List<(double Value, double Pixel)> xTicks = svg.Ticks("x-axis");
        List<(double Value, double Pixel)> yTicks = svg.Ticks("y-axis");
        ParsedSvg.ShouldBeNiceAndCover([.. xTicks.Select(t => t.Value)], x0, x1);
        if (y0 != y1)
        {
            ParsedSvg.ShouldBeNiceAndCover([.. yTicks.Select(t => t.Value)], y0, y1);
        }
        else
        {
            yTicks.Should().Contain(t => t.Value < y0).And.Contain(t => t.Value > y0, "a flat series sits mid-axis");
        }

        xTicks[0].Pixel.Should().BeApproximately(svg.Left, 0.01);
        xTicks[^1].Pixel.Should().BeApproximately(svg.Right, 0.01);
        yTicks[0].Pixel.Should().BeApproximately(svg.Bottom, 0.01);
        yTicks[^1].Pixel.Should().BeApproximately(svg.Top, 0.01);
        svg.WithClass("grid").Single().Elements(Svg + "line").Should().HaveCount(xTicks.Count + yTicks.Count);
    }

    [Fact]
    public void ToSvg_TextWithMarkup_IsEscapedAndReadsBackUnchanged()
    {
        string text = new SvgLineChart("Pérdida <total> & más", "época \"1\"", "pérdida")
            .AddSeries("a<b", [0, 1], [1, 0]).AddSeries("c&d ñandú", [0, 1], [0, 1]).ToSvg();

        text.Should().Contain("Pérdida &lt;total&gt; &amp; más").And.Contain("a&lt;b").And.Contain("c&amp;d ñandú");
        var svg = new ParsedSvg(text);
        svg.WithClass("title").Single().Value.Should().Be("Pérdida <total> & más");
        svg.WithClass("axis-title").Select(t => t.Value).Should().Equal("época \"1\"", "pérdida");
        svg.WithClass("legend-label").Select(t => t.Value).Should().Equal("a<b", "c&d ñandú");
    }

    [Fact]
    public void ToSvg_ControlCharactersInNames_StillGiveWellFormedXml()
    {
        string text = new SvgLineChart("bell\u0007", "lone \uD800 surrogate", "ok 😀").AddSeries("s", [0], [0]).ToSvg();

        var svg = new ParsedSvg(text);
        svg.WithClass("title").Single().Value.Should().Be("bell\uFFFD");
        svg.WithClass("axis-title").Select(t => t.Value).Should().Equal("lone \uFFFD surrogate", "ok 😀");
    }

    [Fact]
    public void ToSvg_SeveralSeries_DistinctColoursAndALegend()
    {
        var chart = new SvgLineChart("t", "x", "y");
        for (int s = 0; s < 4; s++)
        {
            chart.AddSeries($"series {s}", [0, 1, 2], [s, s + 1, s * 2]);
        }

        var svg = new ParsedSvg(chart.ToSvg());

        var colours = svg.WithClass("series").Select(g => (string?)g.Element(Svg + "polyline")!.Attribute("stroke")).ToList();
        colours.Should().HaveCount(4).And.OnlyHaveUniqueItems();
        svg.WithClass("series").Select(g => g.Element(Svg + "title")!.Value).Should().Equal("series 0", "series 1", "series 2", "series 3");
        svg.WithClass("legend-label").Select(t => t.Value).Should().Equal("series 0", "series 1", "series 2", "series 3");
        svg.WithClass("legend-label").Select(t => ParsedSvg.Number(t, "x")).Should().OnlyContain(x => x > svg.Right, "the legend sits beside the plot, not over the data");
    }

    [Fact]
    public void ToSvg_OneSeries_HasNoLegend()
    {
        var svg = new ParsedSvg(new SvgLineChart("t", "x", "y").AddSeries("only", [0, 1], [0, 1]).ToSvg());

        svg.WithClass("legend").Should().BeEmpty();
    }

    [Fact]
    public void ToSvg_ShortSeries_MarksEveryPointAndLongSeriesNone()
    {
        double[] shortX = [1, 2, 3, 4, 5];
        double[] longX = [.. Enumerable.Range(0, 200).Select(i => i / 40.0)];

        var svg = new ParsedSvg(new SvgLineChart("t", "x", "y")
            .AddSeries("epochs", shortX, [5, 4, 3, 2.5, 2.2])
            .AddSeries("reports", longX, [.. longX.Select(x => 5 / (1 + x))]).ToSvg());

        List<XElement> series = [.. svg.WithClass("series")];
        List<XElement> markers = [.. series[0].Elements(Svg + "circle")];
        markers.Should().HaveCount(5);
        markers.Select(c => ParsedSvg.Number(c, "cx")).Should().Equal(ParsedSvg.Points(series[0].Element(Svg + "polyline")!).Select(p => p.X));
        series[1].Elements(Svg + "circle").Should().BeEmpty();
        ParsedSvg.Points(series[1].Element(Svg + "polyline")!).Should().HaveCount(200);
    }

    [Fact]
    public void AddSeries_ValuesChangedLater_DrawsTheValuesAsAdded()
    {
        var y = new List<double> { 1, 2 };
        var chart = new SvgLineChart("t", "x", "y").AddSeries("s", [0, 1], y);
        string before = chart.ToSvg();

        y[1] = 1000;

        chart.ToSvg().Should().Be(before);
    }

    [Theory]
    [MemberData(nameof(BadSeriesCases))]
    public void AddSeries_BadValues_ThrowsNamingTheSeries(BadSeries series)
    {
        var chart = new SvgLineChart("t", "x", "y");

        Action add = () => chart.AddSeries(series.Name, series.X, series.Y);

        add.Should().Throw<ArgumentException>()
            .Which.Should().Match<ArgumentException>(e => e.ParamName == series.ParamName && e.Message.StartsWith(series.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void ToSvg_NoSeries_ThrowsInvalidOperation()
    {
        Action draw = () => new SvgLineChart("t", "x", "y").ToSvg();

        draw.Should().Throw<InvalidOperationException>().WithMessage("*AddSeries*");
    }

    [Fact]
    public void ToSvg_TooSmall_ThrowsArgumentOutOfRange()
    {
        var chart = new SvgLineChart("t", "x", "y").AddSeries("s", [0], [0]);

        Action draw = () => chart.ToSvg(100, 500);

        draw.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("width");
    }

    [Fact]
    public void Save_WritesTheSvgAsUtf8WithoutBomAndNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var chart = new SvgLineChart("Pérdida", "x", "y").AddSeries("s", [0, 1], [1, 0]);
        string path = temp.File("loss.svg");
        File.WriteAllText(path, "old");

        chart.Save(path, 640, 400);

        byte[] bytes = File.ReadAllBytes(path);
        bytes.Take(3).Should().NotEqual(new byte[] { 0xEF, 0xBB, 0xBF });
        Encoding.UTF8.GetString(bytes).Should().Be(chart.ToSvg(640, 400));
        Directory.GetFiles(temp.Path).Should().ContainSingle();
    }
}
