namespace Framework.Plot;

/// <summary>One data series: points (x[i], y[i]) drawn as a line, markers, or both.</summary>
public sealed class Series
{
    internal Series(double[] xs, double[] ys, string? label, Color color, double lineWidth, double markerSize)
    {
        Xs = xs;
        Ys = ys;
        Label = label;
        Color = color;
        LineWidth = lineWidth;
        MarkerSize = markerSize;
    }

    /// <summary>The x values (a copy of the data passed in).</summary>
    public double[] Xs { get; }

    /// <summary>The y values (a copy of the data passed in).</summary>
    public double[] Ys { get; }

    /// <summary>The text shown in the legend; null or empty leaves the series out of the legend.</summary>
    public string? Label { get; set; }

    /// <summary>Colour of the line and the markers.</summary>
    public Color Color { get; set; }

    /// <summary>Line width in pixels; 0 draws no line (a scatter series).</summary>
    public double LineWidth { get; set; }

    /// <summary>Marker diameter in pixels; 0 draws no markers (a line series).</summary>
    public double MarkerSize { get; set; }

    /// <summary>Bar thickness in data units (0: not a bar series). Bars rise from 0 to y[i] at x[i], or run from 0 to x[i] at y[i] when horizontal.</summary>
    public double BarWidth { get; internal set; }

    /// <summary>True for bars that run along the x axis (category positions on y).</summary>
    public bool Horizontal { get; internal set; }

    /// <summary>Number of points, including any NaN/∞ ones that are skipped when drawing.</summary>
    public int Count => Xs.Length;

    internal static double[] Copy(double[] data) => (double[])data.Clone();

    internal static double[] Copy(float[] data) => Array.ConvertAll(data, v => (double)v);

    internal static void CheckLengths(int xs, int ys)
    {
        if (xs != ys)
            throw new ArgumentException(
                $"xs and ys must have the same length, but xs has {xs} elements and ys has {ys}", "ys");
    }
}
