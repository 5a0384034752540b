using System.Globalization;
using System.Xml.Linq;

namespace Embeddings.Core.Tests.Plotting;

/// <summary>A chart's SVG read back with System.Xml.Linq: the parts the tests look at, in pixels and data values.</summary>
internal sealed class ParsedSvg
{
    public static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public ParsedSvg(string text)
    {
        Text = text;
        Root = XDocument.Parse(text).Root!;
        XElement frame = WithClass("frame").Single();
        Left = Number(frame, "x");
        Top = Number(frame, "y");
        Right = Left + Number(frame, "width");
        Bottom = Top + Number(frame, "height");
    }

    public string Text { get; }

    public XElement Root { get; }

    public double Left { get; }

    public double Top { get; }

    public double Right { get; }

    public double Bottom { get; }

    public IEnumerable<XElement> WithClass(string cssClass) =>
        Root.Descendants().Where(e => ((string?)e.Attribute("class"))?.Split(' ').Contains(cssClass) == true);

    /// <summary>Each tick of an axis ("x-axis" or "y-axis"): the value its label shows and the pixel its tick mark sits at.</summary>
    public List<(double Value, double Pixel)> Ticks(string axis)
    {
        XElement group = WithClass(axis).Single();
        string coordinate = axis == "x-axis" ? "x1" : "y1";
        var marks = group.Elements(Svg + "line").Select(line => Number(line, coordinate)).ToList();
        var labels = group.Elements(Svg + "text").Where(t => (string?)t.Attribute("class") == "tick-label")
            .Select(t => double.Parse(t.Value, CultureInfo.InvariantCulture)).ToList();
        labels.Should().HaveSameCount(marks);
        return [.. labels.Zip(marks)];
    }

    /// <summary>Where the axis puts <paramref name="value"/>, from its first and last labelled ticks.</summary>
    public double PixelOf(string axis, double value)
    {
        List<(double Value, double Pixel)> ticks = Ticks(axis);
        (double v0, double p0) = ticks[0];
        (double v1, double p1) = ticks[^1];
        return p0 + ((value - v0) / (v1 - v0) * (p1 - p0));
    }

    public static double Number(XElement element, string attribute) =>
        double.Parse((string)element.Attribute(attribute)!, CultureInfo.InvariantCulture);

    public static List<(double X, double Y)> Points(XElement polyline) =>
        [.. ((string)polyline.Attribute("points")!).Split(' ').Select(pair => pair.Split(','))
            .Select(xy => (double.Parse(xy[0], CultureInfo.InvariantCulture), double.Parse(xy[1], CultureInfo.InvariantCulture)))];

    /// <summary>Ticks are evenly spaced multiples of 1, 2 or 5 × 10^k that cover [min, max] with less than one step to spare.</summary>
    public static void ShouldBeNiceAndCover(IReadOnlyList<double> ticks, double min, double max)
    {
        ticks.Count.Should().BeGreaterThanOrEqualTo(2);
        double step = ticks[1] - ticks[0];
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(step) + 1e-9));
        new[] { 1.0, 2, 5, 10 }.Should().Contain(m => Math.Abs((step / magnitude) - m) < 1e-6, $"step {step} should be 1, 2 or 5 × 10^k");
        for (int i = 1; i < ticks.Count; i++)
        {
            (ticks[i] - ticks[i - 1]).Should().BeApproximately(step, step * 1e-6);
        }

        (ticks[0] / step).Should().BeApproximately(Math.Round(ticks[0] / step), 1e-6, "ticks are multiples of the step");
        ticks[0].Should().BeLessThanOrEqualTo(min).And.BeGreaterThan(min - step);
        ticks[^1].Should().BeGreaterThanOrEqualTo(max).And.BeLessThan(max + step);
    }
}
