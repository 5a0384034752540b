using System.Text;
using Embeddings.Core.Projection;
using Embeddings.Core.Training;
using OxyPlot;
using OxyPlot.Annotations;
using OxyPlot.Axes;
using OxyPlot.Legends;
using OxyPlot.Series;

namespace Embeddings.Samples;

/// <summary>
/// The pictures the CLI and the samples draw from the libraries' data (a loss history, a 2-D projection), with
/// OxyPlot, written as standalone SVG files that any browser opens. The libraries compute; only this file draws.
/// </summary>
internal static class Charts
{
    /// <summary>
    /// Measured as Helvetica (see <see cref="TextMeasurer"/>), whose widths Arial and Liberation Sans (what browsers on
    /// Linux draw for Arial) share, so the layout fits the text a viewer shows.
    /// </summary>
    private const string Font = "Arial";

    private const double LabelSize = 11;
    private const double MarkerRadius = 3;
    private const double LabelGap = 5;

    /// <summary>Square pixels of cover too small to see (and the rounding of a box's area minus its part inside the plot).</summary>
    private const double Negligible = 0.5;

    /// <summary>
    /// Draws the loss of a word2vec run against epochs: the running mean of every progress report (it restarts at each
    /// epoch, so the line breaks there), and each epoch's mean marked at the epoch's end, with a gridline at each end.
    /// </summary>
    /// <param name="history">The run's reports (<see cref="TrainingReport.ProgressHistory"/>); may be empty.</param>
    /// <param name="epochLosses">The mean loss of each epoch (<see cref="TrainingReport.EpochLosses"/>).</param>
    /// <param name="path">The SVG file to write (800 × 500); its folder must exist.</param>
    public static void SaveTrainingLoss(IReadOnlyList<Word2VecProgress> history, IReadOnlyList<double> epochLosses, string path)
    {
        PlotModel model = LineChart("Training loss", "epoch", "mean loss per prediction", epochLosses.Count);
        var running = new LineSeries { Title = "since the epoch began", StrokeThickness = 1.5 };
        for (int i = 0; i < history.Count; i++)
        {
            if (i > 0 && history[i].Epoch != history[i - 1].Epoch)
            {
                running.Points.Add(DataPoint.Undefined); // no line from one epoch's end to the next one's noisy start
            }

            running.Points.Add(new DataPoint(history[i].EpochsDone, history[i].Loss));
        }

        if (running.Points.Count > 0)
        {
            model.Series.Add(running);
        }

        model.Series.Add(PerEpoch("epoch mean", epochLosses));
        Save(model, path, 800, 500);
    }

    /// <summary>Draws a language model's training loss, and its validation loss when sequences were held out, at each epoch's end.</summary>
    /// <param name="training">The training loss of each epoch.</param>
    /// <param name="validation">The validation loss of each epoch, or null when nothing was held out.</param>
    /// <param name="path">The SVG file to write (800 × 500); its folder must exist.</param>
    public static void SaveLanguageModelLoss(IReadOnlyList<double> training, IReadOnlyList<double>? validation, string path)
    {
        PlotModel model = LineChart("Language model loss", "epoch", "cross-entropy per prediction", training.Count);
        model.Series.Add(PerEpoch("training", training));
        if (validation is not null)
        {
            model.Series.Add(PerEpoch("validation", validation));
        }

        Save(model, path, 800, 500);
    }

    /// <summary>
    /// Draws words as labelled points on the plane of a projection. Each label goes beside its point where it covers the
    /// fewest labels and points already placed (right, left, above, below), so give the most frequent words first, as
    /// <see cref="PcaProjection"/> orders them: they get the clearest places. A label that cannot avoid others is grey.
    /// </summary>
    /// <param name="title">The title above the map.</param>
    /// <param name="points">The projected words.</param>
    /// <param name="path">The SVG file to write (900 × 700); its folder must exist.</param>
    public static void SaveWordMap(string title, IReadOnlyList<ProjectedWord> points, string path)
    {
        const int Width = 900, Height = 700;
        PlotModel model = Chart(title);
        LinearAxis x = Axis(AxisPosition.Bottom, "first principal component");
        LinearAxis y = Axis(AxisPosition.Left, "second principal component");
        model.Axes.Add(x);
        model.Axes.Add(y);
        var markers = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = MarkerRadius, MarkerFill = OxyColor.FromRgb(31, 119, 180) };
        foreach (ProjectedWord point in points)
        {
            markers.Points.Add(new ScatterPoint(point.X, point.Y));
        }

        model.Series.Add(markers);

        // Labels do not move the axes, so one layout pass gives the pixels of every point, to place the labels in.
        Render(model, Stream.Null, Width, Height);
        var measurer = new TextMeasurer();
        var centres = points.Select(p => new ScreenPoint(x.Transform(p.X), y.Transform(p.Y))).ToList();
        var taken = centres.Select(c => new OxyRect(c.X - MarkerRadius, c.Y - MarkerRadius, 2 * MarkerRadius, 2 * MarkerRadius)).ToList();
        var labels = new List<TextAnnotation>(points.Count);
        for (int i = 0; i < points.Count; i++)
        {
            string word = XmlSafe(points[i].Word);
            OxySize size = measurer.MeasureText(word, Font, LabelSize, FontWeights.Normal);
            (Placement place, OxyRect box, bool crowded) = Place(centres[i], size, taken, model.PlotArea);
            taken.Add(box);
            labels.Add(new TextAnnotation
            {
                TextPosition = new DataPoint(points[i].X, points[i].Y),
                Text = word,
                Offset = place.Offset,
                TextHorizontalAlignment = place.Horizontal,
                TextVerticalAlignment = place.Vertical,
                FontSize = LabelSize,
                TextColor = crowded ? OxyColors.Gray : OxyColors.Black,
                StrokeThickness = 0,
            });
        }

        // Drawn in reverse, so that where labels do overlap, the more frequent word's is on top.
        for (int i = labels.Count - 1; i >= 0; i--)
        {
            model.Annotations.Add(labels[i]);
        }

        Save(model, path, Width, Height);
    }

    /// <summary>Writes the chart to <paramref name="path"/>: a temporary file in the same folder, then a rename.</summary>
    private static void Save(PlotModel model, string path, int width, int height)
    {
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (FileStream stream = File.Create(temporary))
            {
                Render(model, stream, width, height);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    private static void Render(PlotModel model, Stream stream, int width, int height) =>
        new SvgExporter { Width = width, Height = height, TextMeasurer = new TextMeasurer() }.Export(model, stream);

    private static PlotModel Chart(string title) => new()
    {
        Title = title,
        DefaultFont = Font,
        Background = OxyColors.White,
        PlotAreaBorderColor = OxyColors.Gray,
    };

    /// <summary>A chart with an epoch axis from 0 and a value axis; a gridline at every epoch's end when there are few.</summary>
    private static PlotModel LineChart(string title, string xTitle, string yTitle, int epochs)
    {
        PlotModel model = Chart(title);
        LinearAxis x = Axis(AxisPosition.Bottom, xTitle);
        x.Minimum = 0;
        if (epochs <= 20)
        {
            x.MajorStep = 1;
        }

        model.Axes.Add(x);
        model.Axes.Add(Axis(AxisPosition.Left, yTitle));
        model.Legends.Add(new Legend { LegendPosition = LegendPosition.TopRight, LegendBackground = OxyColor.FromAColor(220, OxyColors.White) });
        return model;
    }

    private static LinearAxis Axis(AxisPosition position, string title) => new()
    {
        Position = position,
        Title = title,
        MajorGridlineStyle = LineStyle.Solid,
        MajorGridlineColor = OxyColor.FromRgb(230, 230, 230),
        MinimumPadding = 0.04,
        MaximumPadding = 0.04,
    };

    /// <summary>One marked point per epoch, at the epoch's end (x = 1, 2, …).</summary>
    private static LineSeries PerEpoch(string title, IReadOnlyList<double> values)
    {
        var series = new LineSeries { Title = title, MarkerType = MarkerType.Circle, MarkerSize = 4, StrokeThickness = 1.5 };
        for (int epoch = 1; epoch <= values.Count; epoch++)
        {
            series.Points.Add(new DataPoint(epoch, values[epoch - 1]));
        }

        return series;
    }

    /// <summary>
    /// Tries the places around a point in turn and keeps the first whose box covers nothing taken and stays inside the
    /// plot area, or else the one that covers least (leaving the area counts as covering).
    /// </summary>
    private static (Placement Place, OxyRect Box, bool Crowded) Place(ScreenPoint centre, OxySize size, List<OxyRect> taken, OxyRect area)
    {
        Placement best = Placement.Around[0];
        OxyRect bestBox = best.Box(centre, size);
        double least = double.MaxValue;
        foreach (Placement place in Placement.Around)
        {
            OxyRect box = place.Box(centre, size);
            double covered = (box.Width * box.Height) - Overlap(box, area);
            foreach (OxyRect other in taken)
            {
                covered += Overlap(box, other);
            }

            if (covered < least)
            {
                (best, bestBox, least) = (place, box, covered);
                if (covered < Negligible)
                {
                    break;
                }
            }
        }

        return (best, bestBox, least >= Negligible);
    }

    private static double Overlap(OxyRect a, OxyRect b) =>
        Math.Max(0, Math.Min(a.Right, b.Right) - Math.Max(a.Left, b.Left)) * Math.Max(0, Math.Min(a.Bottom, b.Bottom) - Math.Max(a.Top, b.Top));

    /// <summary>
    /// A vocabulary may hold tokens that XML 1.0 cannot carry at all (control characters, lone surrogates), which
    /// OxyPlot's XML writer would refuse; each such character becomes U+FFFD so the file stays well formed.
    /// </summary>
    private static string XmlSafe(string text)
    {
        var safe = new StringBuilder(text.Length);
        foreach (Rune rune in text.EnumerateRunes())
        {
            bool allowed = rune.Value is 0x9 or 0xA or 0xD or (>= 0x20 and <= 0xD7FF) or (>= 0xE000 and <= 0xFFFD) or >= 0x10000;
            safe.Append(allowed ? rune.ToString() : "\uFFFD");
        }

        return safe.ToString();
    }

    /// <summary>Where a label sits beside its point: the screen offset from the point and which side of the text the offset anchors.</summary>
    private sealed record Placement(ScreenVector Offset, HorizontalAlignment Horizontal, VerticalAlignment Vertical)
    {
        /// <summary>Right first, as people read; then left, above and below.</summary>
        public static readonly Placement[] Around =
        [
            new(new ScreenVector(LabelGap, 0), HorizontalAlignment.Left, VerticalAlignment.Middle),
            new(new ScreenVector(-LabelGap, 0), HorizontalAlignment.Right, VerticalAlignment.Middle),
            new(new ScreenVector(0, -LabelGap), HorizontalAlignment.Center, VerticalAlignment.Bottom),
            new(new ScreenVector(0, LabelGap), HorizontalAlignment.Center, VerticalAlignment.Top),
        ];

        /// <summary>The box the label covers when its point is at <paramref name="centre"/>.</summary>
        public OxyRect Box(ScreenPoint centre, OxySize size)
        {
            double left = centre.X + Offset.X - Horizontal switch
            {
                HorizontalAlignment.Right => size.Width,
                HorizontalAlignment.Center => size.Width / 2,
                _ => 0,
            };
            double top = centre.Y + Offset.Y - Vertical switch
            {
                VerticalAlignment.Bottom => size.Height,
                VerticalAlignment.Middle => size.Height / 2,
                _ => 0,
            };
            return new OxyRect(left, top, size.Width, size.Height);
        }
    }

    /// <summary>
    /// Text sizes for OxyPlot's SVG writer, which needs a render context to measure with. OxyPlot's PDF context measures
    /// with the metrics of the PDF standard fonts, built into OxyPlot.Core (managed code, no font library or native
    /// renderer), but in points (1/72 inch), while SVG user units are pixels (1/96 inch): its sizes are scaled up here,
    /// or every label, tick and legend entry would be laid out a quarter too small. Measures only; it draws nothing.
    /// </summary>
    private sealed class TextMeasurer : RenderContextBase
    {
        private const double PixelsPerPoint = 96.0 / 72.0;

        private readonly PdfRenderContext _pdf = new(100, 100, OxyColors.Undefined);

        public override OxySize MeasureText(string text, string fontFamily, double fontSize, double fontWeight)
        {
            OxySize points = _pdf.MeasureText(text, fontFamily, fontSize, fontWeight);
            return new OxySize(points.Width * PixelsPerPoint, points.Height * PixelsPerPoint);
        }

        public override int ClipCount => 0;

        public override void PushClip(OxyRect clippingRectangle) => throw new NotSupportedException();

        public override void PopClip() => throw new NotSupportedException();

        public override void DrawLine(
            IList<ScreenPoint> points, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[] dashArray, LineJoin lineJoin) =>
            throw new NotSupportedException();

        public override void DrawPolygon(
            IList<ScreenPoint> points, OxyColor fill, OxyColor stroke, double thickness, EdgeRenderingMode edgeRenderingMode, double[] dashArray, LineJoin lineJoin) =>
            throw new NotSupportedException();

        public override void DrawText(
            ScreenPoint p, string text, OxyColor fill, string fontFamily, double fontSize, double fontWeight, double rotation,
            HorizontalAlignment horizontalAlignment, VerticalAlignment verticalAlignment, OxySize? maxSize) =>
            throw new NotSupportedException();
    }
}
