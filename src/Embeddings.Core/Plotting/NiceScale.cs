using System.Diagnostics;
using System.Globalization;

namespace Embeddings.Core.Plotting;

/// <summary>
/// An axis range widened to "nice" ticks, steps of 1, 2 or 5 × 10^k, so that labels read 0, 0.5, 1 rather than
/// 0.13, 0.47, 0.81. The range always covers the data it was made for.
/// </summary>
internal readonly struct NiceScale
{
    private NiceScale(double min, double max, double step)
    {
        Step = step;
        Decimals = Math.Max(0, -(int)Math.Floor(Math.Log10(step) + 1e-9));
        Min = Round(min);
        Max = Round(max);
    }

    /// <summary>The first tick, at or below the smallest value.</summary>
    public double Min { get; }

    /// <summary>The last tick, at or above the largest value.</summary>
    public double Max { get; }

    /// <summary>The distance between ticks.</summary>
    public double Step { get; }

    /// <summary>The number of ticks, both ends included.</summary>
    public int TickCount => (int)Math.Round((Max - Min) / Step) + 1;

    /// <summary>Decimals that tell the ticks apart (0 for steps of 1 and more).</summary>
    private int Decimals { get; }

    /// <summary>A scale over [<paramref name="min"/>, <paramref name="max"/>] with about <paramref name="targetTicks"/> steps.</summary>
    public static NiceScale Create(double min, double max, int targetTicks)
    {
        Debug.Assert(double.IsFinite(min) && double.IsFinite(max) && min <= max && targetTicks >= 1);
        if (max - min <= 1e-9 * Math.Max(Math.Abs(min), Math.Abs(max)))
        {
            // One value (or all equal): widen so that it sits mid-axis instead of dividing by a zero range.
            double pad = min == 0 ? 1 : Math.Abs(min) * 0.1;
            min -= pad;
            max += pad;
        }

        // Halves first, so that ranges near double.MaxValue do not overflow.
        double rough = ((max / 2) - (min / 2)) * 2 / targetTicks;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double fraction = (rough / magnitude) - 1e-9; // 0.6 / 6 comes out as 0.10000000000000002: still a step of 0.1
        double step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;

        // The small slack keeps 0.3 / 0.1 = 2.9999999999999996 from adding a needless tick.
        return new NiceScale(Math.Floor((min / step) + 1e-9) * step, Math.Ceiling((max / step) - 1e-9) * step, step);
    }

    /// <summary>Tick <paramref name="index"/>, from 0 at <see cref="Min"/>.</summary>
    public double Tick(int index) => Round(Min + (index * Step));

    /// <summary>A tick's label in the invariant culture, with as many decimals as the step needs.</summary>
    public string Format(double value)
    {
        if (value == 0)
        {
            return "0"; // never "-0"
        }

        double largest = Math.Max(Math.Abs(Min), Math.Abs(Max));
        if (Decimals > 6 || largest >= 1e7)
        {
            // Too small or too large for plain digits: enough significant digits to tell neighbouring ticks apart.
            int digits = Math.Clamp((int)Math.Floor(Math.Log10(largest)) - (int)Math.Floor(Math.Log10(Step)) + 1, 1, 15);
            return value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return value.ToString("F" + Decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private double Round(double value) => Decimals <= 15 ? Math.Round(value, Decimals) : value;
}
