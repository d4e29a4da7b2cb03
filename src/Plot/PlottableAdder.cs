namespace Framework.Plot;

/// <summary>Adds series to a plot (<c>plt.Add.Scatter(...)</c>, <c>plt.Add.Line(...)</c>), as ScottPlot's <c>plt.Add</c>.</summary>
public sealed class PlottableAdder
{
    /// <summary>Default marker diameter of a scatter series, in pixels.</summary>
    public const double DefaultMarkerSize = 6;

    /// <summary>Default line width of a line series, in pixels.</summary>
    public const double DefaultLineWidth = 2;

    private readonly Plot _plot;

    internal PlottableAdder(Plot plot) => _plot = plot;

    /// <summary>Adds markers at (xs[i], ys[i]) with no connecting line; the colour defaults to the next palette colour.</summary>
    public Series Scatter(double[] xs, double[] ys, string? label = null, Color? color = null,
        double markerSize = DefaultMarkerSize)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        Series.CheckLengths(xs.Length, ys.Length);
        return Add(Series.Copy(xs), Series.Copy(ys), label, color, lineWidth: 0, markerSize);
    }

    /// <summary>Adds markers at (xs[i], ys[i]) from float data; see the double[] overload.</summary>
    public Series Scatter(float[] xs, float[] ys, string? label = null, Color? color = null,
        double markerSize = DefaultMarkerSize)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        Series.CheckLengths(xs.Length, ys.Length);
        return Add(Series.Copy(xs), Series.Copy(ys), label, color, lineWidth: 0, markerSize);
    }

    /// <summary>Adds a polyline through (xs[i], ys[i]) in order; NaN/∞ points break the line; markerSize &gt; 0 also marks the points.</summary>
    public Series Line(double[] xs, double[] ys, string? label = null, Color? color = null,
        double lineWidth = DefaultLineWidth, double markerSize = 0)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        Series.CheckLengths(xs.Length, ys.Length);
        return Add(Series.Copy(xs), Series.Copy(ys), label, color, lineWidth, markerSize);
    }

    /// <summary>Adds a polyline through (xs[i], ys[i]) from float data; see the double[] overload.</summary>
    public Series Line(float[] xs, float[] ys, string? label = null, Color? color = null,
        double lineWidth = DefaultLineWidth, double markerSize = 0)
    {
        ArgumentNullException.ThrowIfNull(xs);
        ArgumentNullException.ThrowIfNull(ys);
        Series.CheckLengths(xs.Length, ys.Length);
        return Add(Series.Copy(xs), Series.Copy(ys), label, color, lineWidth, markerSize);
    }

    /// <summary>Adds a line through (xOffset + i·period, ys[i]), as ScottPlot's Signal: e.g. a loss per step.</summary>
    public Series Signal(double[] ys, double period = 1, double xOffset = 0, string? label = null,
        Color? color = null, double lineWidth = DefaultLineWidth)
    {
        ArgumentNullException.ThrowIfNull(ys);
        var xs = new double[ys.Length];
        for (int i = 0; i < xs.Length; i++)
            xs[i] = xOffset + i * period;
        return Add(xs, Series.Copy(ys), label, color, lineWidth, markerSize: 0);
    }

    /// <summary>Adds a line through (xOffset + i·period, ys[i]) from float data; see the double[] overload.</summary>
    public Series Signal(float[] ys, double period = 1, double xOffset = 0, string? label = null,
        Color? color = null, double lineWidth = DefaultLineWidth)
    {
        ArgumentNullException.ThrowIfNull(ys);
        return Signal(Series.Copy(ys), period, xOffset, label, color, lineWidth);
    }

    /// <summary>Adds a bar of height values[i] at positions[i] (from 0); with <paramref name="horizontal"/> the bars run along x at y = positions[i].</summary>
    public Series Bars(double[] positions, double[] values, string? label = null, Color? color = null, double width = 0.8, bool horizontal = false)
    {
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(values);
        Series.CheckLengths(positions.Length, values.Length);
        if (!(width > 0) || double.IsInfinity(width)) throw new ArgumentException($"width must be a finite number > 0, got {width}", nameof(width));
        var s = horizontal
            ? Add(Series.Copy(values), Series.Copy(positions), label, color, lineWidth: 0, markerSize: 0)
            : Add(Series.Copy(positions), Series.Copy(values), label, color, lineWidth: 0, markerSize: 0);
        s.BarWidth = width;
        s.Horizontal = horizontal;
        return s;
    }

    private Series Add(double[] xs, double[] ys, string? label, Color? color, double lineWidth, double markerSize)
    {
        if (!(lineWidth >= 0) || double.IsInfinity(lineWidth))
            throw new ArgumentException($"lineWidth must be a finite number >= 0, got {lineWidth}", nameof(lineWidth));
        if (!(markerSize >= 0) || double.IsInfinity(markerSize))
            throw new ArgumentException($"markerSize must be a finite number >= 0, got {markerSize}", nameof(markerSize));
        var series = new Series(xs, ys, label, color ?? Palette.Get(_plot.SeriesList.Count), lineWidth, markerSize);
        _plot.SeriesList.Add(series);
        return series;
    }
}
