using System.Xml.Linq;
using Embeddings.Core.Plotting;
using Embeddings.Tests.Infrastructure;

namespace Embeddings.Core.Tests.Plotting;

public class SvgScatterPlotTests
{
    private static readonly XNamespace Svg = ParsedSvg.Svg;

    private static readonly (double X, double Y, string Label)[] Words =
    [
        (-1.5, 0.2, "año"), (2.3, 1.1, "<b>"), (0.4, -2.2, "a&b"), (1.9, -0.7, "¿qué?"), (-0.3, 1.8, "señor"),
    ];

    private static SvgScatterPlot Plot((double X, double Y, string Label)[] points)
    {
        var plot = new SvgScatterPlot("Mapa de palabras");
        foreach ((double x, double y, string label) in points)
        {
            plot.AddPoint(x, y, label);
        }

        return plot;
    }

    [Fact]
    public void ToSvg_Default_IsAStandaloneSvg11Document()
    {
        XElement root = XDocument.Parse(Plot(Words).ToSvg()).Root!;

        root.Name.Should().Be(Svg + "svg");
        ((string?)root.Attribute("version")).Should().Be("1.1");
        ((string?)root.Attribute("viewBox")).Should().Be("0 0 900 700");
        ((string?)root.Attribute("width")).Should().Be("900");
        ((string?)root.Attribute("height")).Should().Be("700");
    }

    [Fact]
    public void ToSvg_Points_SitWhereTheTicksSayInsideThePlotArea()
    {
        var svg = new ParsedSvg(Plot(Words).ToSvg());

        List<XElement> circles = [.. svg.WithClass("point")];
        circles.Should().HaveCount(Words.Length);
        for (int i = 0; i < Words.Length; i++)
        {
            double cx = ParsedSvg.Number(circles[i], "cx");
            double cy = ParsedSvg.Number(circles[i], "cy");
            cx.Should().BeInRange(svg.Left, svg.Right);
            cy.Should().BeInRange(svg.Top, svg.Bottom);
            cx.Should().BeApproximately(svg.PixelOf("x-axis", Words[i].X), 0.02);
            cy.Should().BeApproximately(svg.PixelOf("y-axis", Words[i].Y), 0.02);
            circles[i].Element(Svg + "title")!.Value.Should().Be(Words[i].Label);
        }

        ParsedSvg.ShouldBeNiceAndCover([.. svg.Ticks("x-axis").Select(t => t.Value)], -1.5 - 0.16, 2.3 + 0.16);
        ParsedSvg.ShouldBeNiceAndCover([.. svg.Ticks("y-axis").Select(t => t.Value)], -2.2 - 0.16, 1.8 + 0.16);
    }

    [Fact]
    public void ToSvg_Labels_AreEscapedAndBesideTheirPoints()
    {
        string text = Plot(Words).ToSvg();

        text.Should().Contain(">&lt;b&gt;<").And.Contain(">a&amp;b<").And.Contain(">año<").And.Contain(">¿qué?<");
        var svg = new ParsedSvg(text);
        List<XElement> labels = [.. svg.WithClass("label")];
        labels.Select(l => l.Value).Should().Equal(Words.Select(w => w.Label));
        List<XElement> circles = [.. svg.WithClass("point")];
        for (int i = 0; i < labels.Count; i++)
        {
            double width = labels[i].Value.Length * 11 * 0.6;
            double left = ParsedSvg.Number(labels[i], "x");
            double baseline = ParsedSvg.Number(labels[i], "y");
            double cx = ParsedSvg.Number(circles[i], "cx");
            double cy = ParsedSvg.Number(circles[i], "cy");
            // The label's box [left, left + width] × [baseline − 9, baseline + 2] comes within 8 px of its point, and never covers it.
            double dx = Math.Max(0, Math.Max(left - cx, cx - (left + width)));
            double dy = Math.Max(0, Math.Max(baseline - 9 - cy, cy - (baseline + 2)));
            Math.Max(dx, dy).Should().BeInRange(2, 8, $"'{labels[i].Value}' should sit beside its point");
        }
    }

    [Fact]
    public void ToSvg_CoincidentPoints_SpreadTheirLabelsAround()
    {
        (double X, double Y, string Label)[] points = [(0, 0, "uno"), (0, 0, "dos"), (0, 0, "tres"), (0, 0, "cuatro"), (-5, -5, "a"), (5, 5, "b")];

        var svg = new ParsedSvg(Plot(points).ToSvg());

        var places = svg.WithClass("label").Select(l => (X: ParsedSvg.Number(l, "x"), Y: ParsedSvg.Number(l, "y"))).ToList();
        places.Should().OnlyHaveUniqueItems("each label takes another place around the shared point");
        svg.WithClass("crowded").Should().BeEmpty("four places around a point are enough for four labels");
    }

    [Fact]
    public void ToSvg_CrowdedLabels_AreKeptButFainter()
    {
        (double X, double Y, string Label)[] points = [.. Enumerable.Range(0, 12).Select(i => (0.0, 0.0, $"palabra{i}")).Append((10.0, 10.0, "lejos"))];

        var svg = new ParsedSvg(Plot(points).ToSvg());

        svg.WithClass("label").Should().HaveCount(13);
        svg.WithClass("crowded").Should().NotBeEmpty().And.NotContain(l => l.Value == "palabra0" || l.Value == "lejos");
    }

    [Fact]
    public void ToSvg_EmptyLabel_DrawsThePointOnly()
    {
        var svg = new ParsedSvg(new SvgScatterPlot("").AddPoint(1, 2, "").AddPoint(2, 3, "x").ToSvg());

        svg.WithClass("point").Should().HaveCount(2);
        svg.WithClass("label").Select(l => l.Value).Should().Equal("x");
        svg.WithClass("title").Should().BeEmpty();
    }

    [Theory]
    [InlineData(double.NaN, 0, "x", "Point 'rey' has x = NaN")]
    [InlineData(0, double.PositiveInfinity, "y", "Point 'rey' has y = Infinity")]
    public void AddPoint_NotFinite_ThrowsNamingTheLabel(double x, double y, string paramName, string message)
    {
        Action add = () => new SvgScatterPlot("t").AddPoint(x, y, "rey");

        add.Should().Throw<ArgumentException>()
            .Which.Should().Match<ArgumentException>(e => e.ParamName == paramName && e.Message.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public void AddPoint_NullLabel_ThrowsArgumentNull()
    {
        Action add = () => new SvgScatterPlot("t").AddPoint(0, 0, null!);

        add.Should().Throw<ArgumentNullException>().Which.ParamName.Should().Be("label");
    }

    [Fact]
    public void ToSvg_NoPoints_ThrowsInvalidOperation()
    {
        Action draw = () => new SvgScatterPlot("t").ToSvg();

        draw.Should().Throw<InvalidOperationException>().WithMessage("*AddPoint*");
    }

    [Fact]
    public void Save_WritesWhatToSvgGives()
    {
        using var temp = new TempDirectory();
        SvgScatterPlot plot = Plot(Words);

        plot.Save(temp.File("map.svg"), 600, 400);

        File.ReadAllText(temp.File("map.svg")).Should().Be(plot.ToSvg(600, 400));
    }
}
