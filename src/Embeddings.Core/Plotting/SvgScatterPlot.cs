using System.Globalization;

namespace Embeddings.Core.Plotting;

/// <summary>
/// A scatter plot of labelled points written as a standalone SVG 1.1 file, for 2-D maps of words (e.g. a
/// <see cref="Projection.PcaProjection"/>): nice ticks with gridlines, and each label set beside its point where it
/// covers the fewest labels and points already drawn. Needs no plotting package; any browser shows the file.
/// </summary>
/// <remarks>
/// Labels are placed greedily in the order the points were added, so add the most important points (the most
/// frequent words) first: they get the clearest places. A label that cannot avoid others is drawn fainter.
/// </remarks>
/// <example>
/// <code>
/// var map = new SvgScatterPlot("200 frequent words");
/// foreach (ProjectedWord p in PcaProjection.Fit(vectors, 200).Points)
/// {
///     map.AddPoint(p.X, p.Y, p.Word);
/// }
///
/// map.Save("map.svg");
/// </code>
/// </example>
public sealed class SvgScatterPlot
{
    private const double LabelSize = 11;
    private const double PointRadius = 3;

    private readonly string _title;
    private readonly List<(double X, double Y, string Label)> _points = [];

    /// <summary>Starts an empty plot.</summary>
    /// <param name="title">The title above the plot (empty for none).</param>
    /// <exception cref="ArgumentNullException"><paramref name="title"/> is null.</exception>
    public SvgScatterPlot(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        _title = title;
    }

    /// <summary>Adds a point and its label.</summary>
    /// <param name="x">The horizontal coordinate.</param>
    /// <param name="y">The vertical coordinate (up is larger).</param>
    /// <param name="label">The text beside the point (empty for none).</param>
    /// <returns>This plot, to chain calls.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is null.</exception>
    /// <exception cref="ArgumentException">A coordinate is NaN or infinite; the message names the label.</exception>
    public SvgScatterPlot AddPoint(double x, double y, string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        RequireFinite(label, x, nameof(x));
        RequireFinite(label, y, nameof(y));
        _points.Add((x, y, label));
        return this;
    }

    /// <summary>Draws the plot.</summary>
    /// <param name="width">The width in pixels, at least 200.</param>
    /// <param name="height">The height in pixels, at least 150.</param>
    /// <returns>The SVG document, UTF-8 declared, with <c>width</c>, <c>height</c> and <c>viewBox</c> set.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The size is too small to hold the axes.</exception>
    /// <exception cref="InvalidOperationException">No point was added.</exception>
    public string ToSvg(int width = 900, int height = 700)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 200);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 150);
        if (_points.Count == 0)
        {
            throw new InvalidOperationException("The plot has no points to draw; call AddPoint first.");
        }

        PlotFrame frame = PlotFrame.Create(
            width, height, Scale(p => p.X, width), Scale(p => p.Y, height * 1.3), _title.Length > 0, xLabel: false, yLabel: false, rightMargin: 0);
        var svg = new SvgDocument(width, height);
        frame.DrawGrid(svg);

        var pixels = _points.ConvertAll(p => (X: frame.PixelX(p.X), Y: frame.PixelY(p.Y)));
        svg.BeginGroup("points");
        for (int i = 0; i < pixels.Count; i++)
        {
            svg.Circle(pixels[i].X, pixels[i].Y, PointRadius, "point", title: _points[i].Label);
        }

        svg.EndGroup();

        svg.BeginGroup("labels");
        var taken = new List<Box>(pixels.Count * 2);
        foreach ((double x, double y) in pixels)
        {
            taken.Add(new Box(x - PointRadius, y - PointRadius, x + PointRadius, y + PointRadius));
        }

        var area = new Box(frame.Left, frame.Top, frame.Right, frame.Bottom);
        for (int i = 0; i < pixels.Count; i++)
        {
            string label = _points[i].Label;
            if (label.Length == 0)
            {
                continue;
            }

            (Box box, double overlap) = PlaceLabel(pixels[i].X, pixels[i].Y, SvgDocument.TextWidth(label, LabelSize), taken, area);
            taken.Add(box);
            svg.Text(box.Left, box.Bottom - (0.22 * LabelSize), label, overlap > 0 ? "label crowded" : "label");
        }

        svg.EndGroup();
        frame.DrawAxes(svg, _title, xLabel: null, yLabel: null);
        return svg.ToString();
    }

    /// <summary>Draws the plot and writes it to <paramref name="path"/> atomically (a temporary file, then a rename), UTF-8.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="width">The width in pixels, at least 200.</param>
    /// <param name="height">The height in pixels, at least 150.</param>
    /// <exception cref="ArgumentOutOfRangeException">The size is too small to hold the axes.</exception>
    /// <exception cref="InvalidOperationException">No point was added.</exception>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void Save(string path, int width = 900, int height = 700)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        SvgDocument.Save(path, ToSvg(width, height));
    }

    /// <summary>A scale over one coordinate with a 4 % margin, so that no point sits on the frame.</summary>
    private NiceScale Scale(Func<(double X, double Y, string Label), double> coordinate, double pixels)
    {
        double min = _points.Min(coordinate);
        double max = _points.Max(coordinate);
        double pad = (max - min) * 0.04;
        return NiceScale.Create(min - pad, max + pad, PlotFrame.TargetTicks(pixels));
    }

    /// <summary>
    /// Tries eight places around the point (right first, as people read) and keeps the first that covers nothing, or
    /// else the one that covers least. Leaving the plot area counts as covering, so labels stay inside the frame.
    /// </summary>
    private static (Box Box, double Overlap) PlaceLabel(double x, double y, double width, List<Box> taken, Box area)
    {
        const double Height = LabelSize;
        const double Offset = PointRadius + 3;
        ReadOnlySpan<(double Left, double Top)> candidates =
        [
            (x + Offset, y - (Height / 2)),
            (x - Offset - width, y - (Height / 2)),
            (x - (width / 2), y - Offset - Height),
            (x - (width / 2), y + Offset),
            (x + Offset - 2, y - Offset - Height + 2),
            (x + Offset - 2, y + Offset - 2),
            (x - Offset + 2 - width, y - Offset - Height + 2),
            (x - Offset + 2 - width, y + Offset - 2),
        ];

        Box best = default;
        double bestOverlap = double.MaxValue;
        foreach ((double left, double top) in candidates)
        {
            var box = new Box(left, top, left + width, top + Height);
            double overlap = box.Area - box.Overlap(area);
            foreach (Box other in taken)
            {
                overlap += box.Overlap(other);
            }

            if (overlap < bestOverlap)
            {
                (best, bestOverlap) = (box, overlap);
                if (overlap == 0)
                {
                    break;
                }
            }
        }

        return (best, bestOverlap);
    }

    private static void RequireFinite(string label, double value, string parameter)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Point '{label}' has {parameter} = {value}; coordinates must be finite."), parameter);
        }
    }

    private readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public double Area => (Right - Left) * (Bottom - Top);

        public double Overlap(Box other) =>
            Math.Max(0, Math.Min(Right, other.Right) - Math.Max(Left, other.Left)) *
            Math.Max(0, Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top));
    }
}
