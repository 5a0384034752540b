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
    /// OxyPlot's SVG writer asks a render context for text sizes (to lay out the axes, the legend and the labels). Its
    /// PDF context measures with the built-in metrics of the PDF standard fonts, in managed code; it maps Arial to
    /// Helvetica, whose widths Arial (and Liberation Sans, what browsers on Linux draw for it) share.
    /// </summary>
    private const string Font = "Arial";

    /// <summary>
    /// The loss of a word2vec run against epochs: the running mean of every progress report (it restarts at each
    /// epoch, so the line breaks there), and each epoch's mean marked at the epoch's end, with a gridline at each end.
    /// </summary>
    /// <param name="history">The run's reports (<see cref="TrainingReport.ProgressHistory"/>); may be empty.</param>
    /// <param name="epochLosses">The mean loss of each epoch (<see cref="TrainingReport.EpochLosses"/>).</param>
    public static PlotModel TrainingLoss(IReadOnlyList<TrainingProgress> history, IReadOnlyList<double> epochLosses)
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
        return model;
    }

    /// <summary>A language model's training loss, and its validation loss when it held sequences out, at each epoch's end.</summary>
    /// <param name="training">The training loss of each epoch.</param>
    /// <param name="validation">The validation loss of each epoch, or null when nothing was held out.</param>
    public static PlotModel LanguageModelLoss(IReadOnlyList<double> training, IReadOnlyList<double>? validation)
    {
        PlotModel model = LineChart("Language model loss", "epoch", "cross-entropy per prediction", training.Count);
        model.Series.Add(PerEpoch("training", training));
        if (validation is not null)
        {
            model.Series.Add(PerEpoch("validation", validation));
        }

        return model;
    }

    /// <summary>
    /// Words as labelled points on the plane of a projection, each label to the right of its point. Give the most
    /// frequent words first, as <see cref="PcaProjection"/> orders them: their labels are drawn last, on top.
    /// </summary>
    /// <param name="title">The title above the map.</param>
    /// <param name="points">The projected words.</param>
    public static PlotModel WordMap(string title, IReadOnlyList<ProjectedWord> points)
    {
        PlotModel model = Chart(title);
        Axis x = Axis(AxisPosition.Bottom, "first principal component");
        x.MaximumPadding = 0.1; // room for the labels of the rightmost words
        model.Axes.Add(x);
        model.Axes.Add(Axis(AxisPosition.Left, "second principal component"));
        var markers = new ScatterSeries { MarkerType = MarkerType.Circle, MarkerSize = 3, MarkerFill = OxyColor.FromRgb(31, 119, 180) };
        foreach (ProjectedWord point in points)
        {
            markers.Points.Add(new ScatterPoint(point.X, point.Y));
        }

        model.Series.Add(markers);
        for (int i = points.Count - 1; i >= 0; i--)
        {
            model.Annotations.Add(new TextAnnotation
            {
                TextPosition = new DataPoint(points[i].X, points[i].Y),
                Text = XmlSafe(points[i].Word),
                Offset = new ScreenVector(5, 0),
                TextHorizontalAlignment = HorizontalAlignment.Left,
                TextVerticalAlignment = VerticalAlignment.Middle,
                FontSize = 11,
                StrokeThickness = 0,
            });
        }

        return model;
    }

    /// <summary>Writes <paramref name="model"/> as an SVG document to <paramref name="path"/>: a temporary file in the same folder, then a rename.</summary>
    /// <param name="model">The chart.</param>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="width">The width in pixels.</param>
    /// <param name="height">The height in pixels.</param>
    public static void SaveSvg(PlotModel model, string path, int width, int height)
    {
        var exporter = new SvgExporter
        {
            Width = width,
            Height = height,
            TextMeasurer = new PdfRenderContext(width, height, model.Background),
        };
        string temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (FileStream stream = File.Create(temporary))
            {
                exporter.Export(model, stream);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

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
        Axis x = Axis(AxisPosition.Bottom, xTitle);
        x.Minimum = 0;
        x.MinimumPadding = 0;
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
}
