namespace Framework.Plot;

/// <summary>Axis limits and scales of one plot (<c>plt.Axes</c>), as ScottPlot's AxisManager.</summary>
public sealed class AxisManager
{
    private readonly Plot _plot;

    internal AxisManager(Plot plot) => _plot = plot;

    internal Axis X { get; } = new();

    internal Axis Y { get; } = new();

    /// <summary>Shows x in [xMin, xMax] and y in [yMin, yMax]; a min above its max flips that axis.</summary>
    public void SetLimits(double xMin, double xMax, double yMin, double yMax)
    {
        SetLimitsX(xMin, xMax);
        SetLimitsY(yMin, yMax);
    }

    /// <summary>Shows the given limits.</summary>
    public void SetLimits(AxisLimits limits) => SetLimits(limits.XMin, limits.XMax, limits.YMin, limits.YMax);

    /// <summary>Shows x in [left, right] (a fixed window: later data does not change it).</summary>
    public void SetLimitsX(double left, double right) => Set(X, left, right, "x");

    /// <summary>Shows y in [bottom, top] (a fixed window: later data does not change it).</summary>
    public void SetLimitsY(double bottom, double top) => Set(Y, bottom, top, "y");

    /// <summary>Goes back to automatic limits on both axes: the data's extent plus the margins.</summary>
    public void AutoScale()
    {
        AutoScaleX();
        AutoScaleY();
    }

    /// <summary>Goes back to automatic x limits.</summary>
    public void AutoScaleX() => (X.Min, X.Max) = ((double?)null, (double?)null);

    /// <summary>Goes back to automatic y limits.</summary>
    public void AutoScaleY() => (Y.Min, Y.Max) = ((double?)null, (double?)null);

    /// <summary>Padding added to each side by automatic limits, as a fraction of the data range (default 0.05).</summary>
    public void Margins(double horizontal = 0.05, double vertical = 0.05)
    {
        if (!(horizontal >= 0 && horizontal < 10) || !(vertical >= 0 && vertical < 10))
            throw new ArgumentException($"margins must be in [0, 10), got {horizontal} and {vertical}");
        (X.Margin, Y.Margin) = (horizontal, vertical);
    }

    /// <summary>Log10 scale on y (true) or linear (false): ticks at powers of ten; points with y ≤ 0 are skipped.</summary>
    public void LogY(bool enable = true) => Y.Log = enable;

    /// <summary>Log10 scale on x (true) or linear (false): ticks at powers of ten; points with x ≤ 0 are skipped.</summary>
    public void LogX(bool enable = true) => X.Log = enable;

    /// <summary>Whether y is drawn on a log10 scale.</summary>
    public bool IsLogY => Y.Log;

    /// <summary>Whether x is drawn on a log10 scale.</summary>
    public bool IsLogX => X.Log;

    /// <summary>The limits the next render will use (explicit ones, or computed from the data now).</summary>
    public AxisLimits GetLimits()
    {
        var (xMin, xMax) = X.Resolve(_plot.SeriesList.SelectMany(s => Drawable(s, xs: true)));
        var (yMin, yMax) = Y.Resolve(_plot.SeriesList.SelectMany(s => Drawable(s, xs: false)));
        return new AxisLimits(xMin, xMax, yMin, yMax);
    }

    /// <summary>Puts ticks only at <paramref name="positions"/> on the x axis, labelled with <paramref name="labels"/> (e.g. category names).</summary>
    public void SetTicksX(double[] positions, string[] labels) => SetTicks(X, positions, labels);

    /// <summary>Puts ticks only at <paramref name="positions"/> on the y axis, labelled with <paramref name="labels"/>.</summary>
    public void SetTicksY(double[] positions, string[] labels) => SetTicks(Y, positions, labels);

    private static void SetTicks(Axis axis, double[] positions, string[] labels)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(labels);
        if (positions.Length != labels.Length)
            throw new ArgumentException($"positions and labels must have the same length, but positions has {positions.Length} and labels {labels.Length}");
        axis.ManualTicks = ((double[])positions.Clone(), (string[])labels.Clone());
    }

    // only points drawable on both axes count towards the limits; bars also reach their base, 0
    private IEnumerable<double> Drawable(Series s, bool xs)
    {
        for (int i = 0; i < s.Count; i++)
            if (X.Accepts(s.Xs[i]) && Y.Accepts(s.Ys[i]))
            {
                double v = xs ? s.Xs[i] : s.Ys[i];
                yield return v;
                if (s.BarWidth > 0)
                {
                    bool valueAxis = s.Horizontal == xs;
                    var axis = xs ? X : Y;
                    if (valueAxis && !axis.Log) yield return 0;
                    if (!valueAxis) { yield return v - s.BarWidth / 2; yield return v + s.BarWidth / 2; }
                }
            }
    }

    private static void Set(Axis axis, double min, double max, string name)
    {
        if (!double.IsFinite(min) || !double.IsFinite(max))
            throw new ArgumentException($"{name} limits must be finite, got [{min}, {max}]");
        if (min == max)
            throw new ArgumentException($"{name} limits must differ, got [{min}, {max}]");
        if (axis.Log && !(min > 0 && max > 0))
            throw new ArgumentException($"{name} is on a log scale, so its limits must be positive, got [{min}, {max}]");
        (axis.Min, axis.Max) = (min, max);
    }
}
