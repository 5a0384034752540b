namespace Embeddings.Core.Plotting;

/// <summary>
/// The plot area of a chart and the scales it shows: maps data to pixels (SVG's y grows downwards) and draws the
/// title, gridlines, ticks, tick labels and axis titles around it. Shared by both charts so they look alike.
/// </summary>
internal sealed class PlotFrame
{
    private const double TickLength = 5;
    private const double Gap = 12;

    private readonly int _width;
    private readonly int _height;

    private PlotFrame(int width, int height, double left, double top, double right, double bottom, NiceScale x, NiceScale y)
    {
        _width = width;
        _height = height;
        Left = left;
        Top = top;
        Right = right;
        Bottom = bottom;
        X = x;
        Y = y;
    }

    public double Left { get; }

    public double Top { get; }

    public double Right { get; }

    public double Bottom { get; }

    public NiceScale X { get; }

    public NiceScale Y { get; }

    /// <summary>Lays out the plot area: room on the left for the widest y tick label, and <paramref name="rightMargin"/> on the right (a legend).</summary>
    public static PlotFrame Create(
        int width, int height, NiceScale x, NiceScale y, bool title, bool xLabel, bool yLabel, double rightMargin)
    {
        double widestTick = 0;
        for (int i = 0; i < y.TickCount; i++)
        {
            widestTick = Math.Max(widestTick, SvgDocument.TextWidth(y.Format(y.Tick(i))));
        }

        double left = Gap + (yLabel ? 20 : 0) + widestTick + TickLength + 4;
        double top = title ? 48 : Gap + 8;
        double bottom = height - (Gap + TickLength + 16 + (xLabel ? 22 : 0));
        return new PlotFrame(width, height, left, top, width - Math.Max(rightMargin, Gap + 8), bottom, x, y);
    }

    /// <summary>The number of ticks that suits an axis of <paramref name="pixels"/>: one about every 80 pixels.</summary>
    public static int TargetTicks(double pixels) => Math.Clamp((int)(pixels / 80), 2, 10);

    public double PixelX(double value) => Left + ((value - X.Min) / (X.Max - X.Min) * (Right - Left));

    public double PixelY(double value) => Bottom - ((value - Y.Min) / (Y.Max - Y.Min) * (Bottom - Top));

    /// <summary>Gridlines at every tick, drawn first so that the data lies on top.</summary>
    public void DrawGrid(SvgDocument svg)
    {
        svg.BeginGroup("grid");
        for (int i = 0; i < X.TickCount; i++)
        {
            double x = PixelX(X.Tick(i));
            svg.Line(x, Top, x, Bottom, "gridline");
        }

        for (int i = 0; i < Y.TickCount; i++)
        {
            double y = PixelY(Y.Tick(i));
            svg.Line(Left, y, Right, y, "gridline");
        }

        svg.EndGroup();
    }

    /// <summary>The frame, ticks with their labels, the axis titles and the chart title, drawn last so that data never hides them.</summary>
    public void DrawAxes(SvgDocument svg, string title, string? xLabel, string? yLabel)
    {
        svg.Rect(Left, Top, Right - Left, Bottom - Top, "frame");

        svg.BeginGroup("x-axis");
        for (int i = 0; i < X.TickCount; i++)
        {
            double value = X.Tick(i);
            double x = PixelX(value);
            svg.Line(x, Bottom, x, Bottom + TickLength, "tick");
            svg.Text(x, Bottom + TickLength + 13, X.Format(value), "tick-label", "middle");
        }

        if (xLabel is not null)
        {
            svg.Text((Left + Right) / 2, _height - Gap, xLabel, "axis-title", "middle");
        }

        svg.EndGroup();

        svg.BeginGroup("y-axis");
        for (int i = 0; i < Y.TickCount; i++)
        {
            double value = Y.Tick(i);
            double y = PixelY(value);
            svg.Line(Left - TickLength, y, Left, y, "tick");
            svg.Text(Left - TickLength - 3, y + 4, Y.Format(value), "tick-label", "end");
        }

        if (yLabel is not null)
        {
            double x = Gap + 10;
            double y = (Top + Bottom) / 2;
            svg.Text(x, y, yLabel, "axis-title", "middle", rotate: -90);
        }

        svg.EndGroup();

        if (title.Length > 0)
        {
            svg.Text(_width / 2.0, 30, title, "title", "middle");
        }
    }
}
