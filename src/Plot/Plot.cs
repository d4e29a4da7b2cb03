namespace Framework.Plot;

/// <summary>A 2-D plot of line and scatter series with title, axis labels, ticks and legend, rendered to SVG; shaped like ScottPlot 5's Plot.</summary>
public sealed class Plot
{
    /// <summary>Default image width in pixels.</summary>
    public const int DefaultWidth = 800;

    /// <summary>Default image height in pixels.</summary>
    public const int DefaultHeight = 600;

    /// <summary>Creates an empty plot.</summary>
    public Plot()
    {
        Add = new PlottableAdder(this);
        Axes = new AxisManager(this);
    }

    /// <summary>Adds series: <c>plt.Add.Line(xs, ys, label: "train")</c>, <c>plt.Add.Scatter(...)</c>, <c>plt.Add.Signal(ys)</c>.</summary>
    public PlottableAdder Add { get; }

    /// <summary>Axis limits and scales: <c>plt.Axes.SetLimits(...)</c>, <c>plt.Axes.LogY()</c>.</summary>
    public AxisManager Axes { get; }

    /// <summary>The series in drawing order (later ones on top).</summary>
    public IReadOnlyList<Series> Series => SeriesList;

    internal List<Series> SeriesList { get; } = [];

    internal string? TitleText { get; private set; }

    internal string? XLabelText { get; private set; }

    internal string? YLabelText { get; private set; }

    internal bool LegendVisible { get; private set; }

    internal LegendLocation LegendCorner { get; private set; } = LegendLocation.UpperRight;

    /// <summary>Sets the title drawn above the data area (null or "" removes it).</summary>
    public void Title(string? text) => TitleText = text;

    /// <summary>Sets the label under the x axis.</summary>
    public void XLabel(string? text) => XLabelText = text;

    /// <summary>Sets the label beside the y axis (drawn rotated).</summary>
    public void YLabel(string? text) => YLabelText = text;

    /// <summary>Shows (or hides) a legend box listing every series that has a label.</summary>
    public void Legend(bool show = true) => LegendVisible = show;

    /// <summary>Shows the legend box in the given corner of the data area.</summary>
    public void Legend(LegendLocation location)
    {
        LegendVisible = true;
        LegendCorner = location;
    }

    /// <summary>Shows the legend (ScottPlot's name for Legend()).</summary>
    public void ShowLegend() => Legend(true);

    /// <summary>Hides the legend.</summary>
    public void HideLegend() => Legend(false);

    /// <summary>Removes every series (titles, labels and axis settings stay).</summary>
    public void Clear() => SeriesList.Clear();

    /// <summary>The plot as a standalone SVG document of width × height pixels.</summary>
    public string ToSvg(int width = DefaultWidth, int height = DefaultHeight)
    {
        CheckSize(width, height);
        var svg = new SvgBuilder(width, height);
        PlotRenderer.Render(this, svg, 0, 0, width, height, "p0");
        return svg.Finish();
    }

    /// <summary>Writes ToSvg(width, height) to path atomically (a temporary file renamed over the target).</summary>
    public void SaveSvg(string path, int width = DefaultWidth, int height = DefaultHeight) =>
        AtomicFile.WriteAllText(path, ToSvg(width, height));

    internal static void CheckSize(int width, int height)
    {
        if (width < 1 || height < 1 || width > 100_000 || height > 100_000)
            throw new ArgumentException($"image size must be between 1 and 100000 pixels, got {width} × {height}");
    }
}
