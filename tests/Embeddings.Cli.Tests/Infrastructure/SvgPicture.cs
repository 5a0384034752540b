using System.Globalization;
using System.Xml.Linq;

namespace Embeddings.Cli.Tests.Infrastructure;

/// <summary>
/// An SVG file the CLI drew (with OxyPlot), read back with System.Xml.Linq: loading it proves it well formed; the
/// texts, the legend's colours, the lines and the markers are what the tests look at, in pixels.
/// </summary>
internal sealed class SvgPicture
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    public SvgPicture(string path)
    {
        Root = XDocument.Load(path).Root!;
        Root.Name.Should().Be(Svg + "svg");
    }

    public XElement Root { get; }

    /// <summary>Every text drawn: title, axis titles, tick labels, legend entries, point labels.</summary>
    public IEnumerable<string> Texts => Root.Descendants(Svg + "text").Select(t => t.Value);

    /// <summary>The point a text is anchored at (its <c>translate</c>); the text must be drawn exactly once.</summary>
    public (double X, double Y) Anchor(string text)
    {
        string transform = (string)Root.Descendants(Svg + "text").Single(t => t.Value == text).Attribute("transform")!;
        string[] xy = transform["translate(".Length..transform.IndexOf(')', StringComparison.Ordinal)].Split(',');
        return (Number(xy[0]), Number(xy[1]));
    }

    /// <summary>The colour of a series: the stroke of the sample line its legend entry draws after the name.</summary>
    public string LegendColour(string series) => Stroke(LegendSample(series));

    /// <summary>The lines drawn in <paramref name="colour"/> (legend samples left out), each as its points.</summary>
    public List<List<(double X, double Y)>> Lines(string colour) =>
        [.. Root.Descendants(Svg + "polyline")
            .Where(line => Stroke(line) == colour && !IsLegendSample(line))
            .Select(line => ((string)line.Attribute("points")!).Split(' ').Select(Point).ToList())];

    /// <summary>The centres of the round markers (OxyPlot draws them as ellipses).</summary>
    public List<(double X, double Y)> Markers(string? colour = null) =>
        [.. Root.Descendants(Svg + "ellipse")
            .Where(e => colour is null || ((string?)e.Attribute("style"))?.Contains($"fill:{colour};", StringComparison.Ordinal) == true)
            .Select(e => (Number((string)e.Attribute("cx")!), Number((string)e.Attribute("cy")!)))];

    private XElement LegendSample(string series) =>
        Root.Descendants(Svg + "text").Single(t => t.Value == series).ElementsAfterSelf(Svg + "polyline").First();

    /// <summary>A legend entry is its name (a left-anchored text) followed at once by a sample of its line.</summary>
    private static bool IsLegendSample(XElement line) =>
        line.PreviousNode is XElement { Name.LocalName: "text" } name && (string?)name.Attribute("text-anchor") == "start";

    private static string Stroke(XElement element)
    {
        string style = (string)element.Attribute("style")!;
        int start = style.IndexOf("stroke:", StringComparison.Ordinal) + "stroke:".Length;
        return style[start..style.IndexOf(';', start)];
    }

    private static (double X, double Y) Point(string pair)
    {
        string[] xy = pair.Split(',');
        return (Number(xy[0]), Number(xy[1]));
    }

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);
}
