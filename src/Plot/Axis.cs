namespace Framework.Plot;

/// <summary>One axis's settings and its data ↔ pixel mapping; limits are data values, the mapping is linear in log10 on a log axis.</summary>
internal sealed class Axis
{
    public double? Min, Max;    // explicit limits, null = automatic
    public bool Log;
    public double Margin = 0.05; // fraction of the data range added on each side when automatic
    public (double[] Positions, string[] Labels)? ManualTicks;   // set by SetTicksX/Y: replaces the automatic ticks

    /// <summary>The value in the space where the axis is linear: log10(v) on a log axis, v otherwise.</summary>
    public double Forward(double v) => Log ? Math.Log10(v) : v;

    /// <summary>The inverse of Forward.</summary>
    public double Inverse(double t) => Log ? Math.Pow(10, t) : t;

    /// <summary>Whether v can be drawn on this axis (finite, and positive on a log axis).</summary>
    public bool Accepts(double v) => double.IsFinite(v) && (!Log || v > 0);

    /// <summary>The limits to draw: the explicit ones, or the data's extent padded by Margin (a sensible window for no data or zero range).</summary>
    public (double Min, double Max) Resolve(IEnumerable<double> data)
    {
        if (Min is double a && Max is double b)
        {
            if (Log && !(a > 0 && b > 0))
                throw new InvalidOperationException(
                    $"a log-scale axis needs positive limits, got [{a}, {b}]; call SetLimits with positive values or AutoScale()");
            return (a, b);
        }
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var v in data)
        {
            if (!Accepts(v))
                continue;
            double t = Forward(v);
            if (t < lo) lo = t;
            if (t > hi) hi = t;
        }
        if (lo > hi) // no drawable data
            (lo, hi) = (0, 1);
        else if (hi - lo == 0 || !double.IsFinite(hi - lo))
        {
            // a single value: centre it in a window of ±10% of its size (±1 around 0; half a decade when log)
            double half = Log ? 0.5 : (lo == 0 ? 1 : Math.Abs(lo) * 0.1);
            (lo, hi) = (lo - half, hi + half);
            if (!double.IsFinite(hi - lo))
                (lo, hi) = (-double.MaxValue / 4, double.MaxValue / 4);
        }
        else
        {
            double pad = (hi - lo) * Margin;
            (lo, hi) = (lo - pad, hi + pad);
        }
        return (Inverse(lo), Inverse(hi));
    }
}
