using System.Globalization;

namespace Embeddings.Core.Plotting;

/// <summary>
/// A line chart written as a standalone SVG 1.1 file, for loss curves and other series over a shared x axis: nice
/// ticks (1, 2 or 5 × 10^k) with gridlines, axis titles, one colour per series, markers on short series, and a
/// legend when there is more than one series. Needs no plotting package; any browser shows the file.
/// </summary>
/// <example>
/// <code>
/// new SvgLineChart("Training loss", "epoch", "loss")
///     .AddSeries("skip-gram", epochs, losses)
///     .Save("loss.svg");
/// </code>
/// </example>
public sealed class SvgLineChart
{
    /// <summary>Series of at most this many points get a marker at each point.</summary>
    private const int MaxMarkedPoints = 40;

    // matplotlib's "tab10": distinct hues that stay apart for common colour blindness.
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    private readonly string _title;
    private readonly string _xLabel;
    private readonly string _yLabel;
    private readonly List<Series> _series = [];

    /// <summary>Starts an empty chart.</summary>
    /// <param name="title">The title above the chart (empty for none).</param>
    /// <param name="xLabel">The title of the x axis (empty for none).</param>
    /// <param name="yLabel">The title of the y axis (empty for none).</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SvgLineChart(string title, string xLabel, string yLabel)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(xLabel);
        ArgumentNullException.ThrowIfNull(yLabel);
        _title = title;
        _xLabel = xLabel;
        _yLabel = yLabel;
    }

    /// <summary>Adds a series, drawn as a line through its points in the order given. The values are copied.</summary>
    /// <param name="name">The series' name in the legend, and in error messages.</param>
    /// <param name="x">The x values.</param>
    /// <param name="y">The y values, one per x value.</param>
    /// <returns>This chart, to chain calls.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The series is empty, <paramref name="x"/> and <paramref name="y"/> differ in length, or a value is NaN or infinite;
    /// the message names the series.
    /// </exception>
    public SvgLineChart AddSeries(string name, IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
        {
            throw new ArgumentException($"Series '{name}' has {x.Count} x values and {y.Count} y values; give one y per x.", nameof(y));
        }

        if (x.Count == 0)
        {
            throw new ArgumentException($"Series '{name}' is empty; give it at least one point.", nameof(x));
        }

        var points = new (double X, double Y)[x.Count];
        for (int i = 0; i < points.Length; i++)
        {
            RequireFinite(name, x[i], i, nameof(x));
            RequireFinite(name, y[i], i, nameof(y));
            points[i] = (x[i], y[i]);
        }

        _series.Add(new Series(name, points));
        return this;
    }

    /// <summary>Draws the chart.</summary>
    /// <param name="width">The width in pixels, at least 200.</param>
    /// <param name="height">The height in pixels, at least 150.</param>
    /// <returns>The SVG document, UTF-8 declared, with <c>width</c>, <c>height</c> and <c>viewBox</c> set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is too small to hold the axes.</exception>
    /// <exception cref="InvalidOperationException">No series was added.</exception>
    public string ToSvg(int width = 800, int height = 500)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        if (_series.Count == 0)
        {
            throw new InvalidOperationException("The chart has no series to draw; call AddSeries first.");
        }

        (double minX, double maxX, double minY, double maxY) = Bounds();
        NiceScale xScale = NiceScale.Create(minX, maxX, PlotFrame.TargetTicks(width));
        NiceScale yScale = NiceScale.Create(minY, maxY, PlotFrame.TargetTicks(height * 1.3));
        double legendWidth = _series.Count > 1 ? Math.Min(_series.Max(s => SvgDocument.TextWidth(s.Name)) + 54, width / 3.0) : 0;
        PlotFrame frame = PlotFrame.Create(width, height, xScale, yScale, _title.Length > 0, _xLabel.Length > 0, _yLabel.Length > 0, legendWidth);

        var svg = new SvgDocument(width, height);
        frame.DrawGrid(svg);
        for (int s = 0; s < _series.Count; s++)
        {
            Series series = _series[s];
            string colour = Palette[s % Palette.Length];
            var pixels = Array.ConvertAll(series.Points, p => (frame.PixelX(p.X), frame.PixelY(p.Y)));
            svg.BeginGroup("series", series.Name);
            svg.Polyline(pixels, "line", colour);
            if (pixels.Length <= MaxMarkedPoints)
            {
                foreach ((double px, double py) in pixels)
                {
                    svg.Circle(px, py, 3.5, "marker", colour);
                }
            }

            svg.EndGroup();
        }

        frame.DrawAxes(svg, _title, NullIfEmpty(_xLabel), NullIfEmpty(_yLabel));
        if (_series.Count > 1)
        {
            DrawLegend(svg, frame);
        }

        return svg.ToString();
    }

    /// <summary>Draws the chart and writes it to <paramref name="path"/> atomically (a temporary file, then a rename), UTF-8.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="width">The width in pixels, at least 200.</param>
    /// <param name="height">The height in pixels, at least 150.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is too small to hold the axes.</exception>
    /// <exception cref="InvalidOperationException">No series was added.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path, int width = 800, int height = 500)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SvgDocument.Save(path, ToSvg(width, height));
    }

    private (double MinX, double MaxX, double MinY, double MaxY) Bounds()
    {
        double minX = double.MaxValue, maxX = double.MinValue, minY = double.MaxValue, maxY = double.MinValue;
        foreach (Series series in _series)
        {
            foreach ((double x, double y) in series.Points)
            {
                minX = Math.Min(minX, x);
                maxX = Math.Max(maxX, x);
                minY = Math.Min(minY, y);
                maxY = Math.Max(maxY, y);
            }
        }

        return (minX, maxX, minY, maxY);
    }

    /// <summary>One row per series in the right margin: a sample of its line (and marker), then its name.</summary>
    private void DrawLegend(SvgDocument svg, PlotFrame frame)
    {
        svg.BeginGroup("legend");
        double x = frame.Right + 14;
        for (int s = 0; s < _series.Count; s++)
        {
            string colour = Palette[s % Palette.Length];
            double y = frame.Top + 10 + (s * 20);
            svg.Line(x, y, x + 24, y, "line", colour);
            if (_series[s].Points.Length <= MaxMarkedPoints)
            {
                svg.Circle(x + 12, y, 3.5, "marker", colour);
            }

            svg.Text(x + 30, y + 4, _series[s].Name, "legend-label");
        }

        svg.EndGroup();
    }

    private static void RequireFinite(string series, double value, int index, string parameter)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Series '{series}' has {parameter}[{index}] = {value}; every value must be finite."), parameter);
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private sealed record Series(string Name, (double X, double Y)[] Points);
}
