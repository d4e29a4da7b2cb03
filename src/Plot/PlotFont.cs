using SkiaSharp;

namespace Framework.Plot;

/// <summary>The font every plot of the library names (DejaVu Sans, Debian's fonts-dejavu-core), so text looks the same on every machine.</summary>
public static class PlotFont
{
    /// <summary>The family the library's plots use: "DejaVu Sans".</summary>
    public const string Family = "DejaVu Sans";

    private static readonly HashSet<string> Warned = [];

    /// <summary>True when Skia finds a font of exactly this family on this machine (not a substitute).</summary>
    public static bool IsInstalled(string family = Family)
    {
        using var typeface = SKTypeface.FromFamilyName(family);
        return typeface is not null && string.Equals(typeface.FamilyName, family, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Sets every text of plot (title, labels, ticks, legend) to family and returns the plot; when the family is missing, leaves ScottPlot's default font and warns once on stderr.</summary>
    public static ScottPlot.Plot ApplyFont(this ScottPlot.Plot plot, string family = Family)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentException.ThrowIfNullOrEmpty(family);
        if (IsInstalled(family))
        {
            plot.Font.Set(family);
            plot.Legend.FontName = family;
        }
        else
        {
            lock (Warned)
                if (Warned.Add(family))
                    Console.Error.WriteLine($"Framework.Plot: the font '{family}' is not installed (Debian: apt-get install fonts-dejavu-core); " +
                                            "plots use ScottPlot's default font instead");
        }
        return plot;
    }

    /// <summary>A new ScottPlot plot with the library's font: <c>var plt = PlotFont.NewPlot();</c>.</summary>
    public static ScottPlot.Plot NewPlot() => new ScottPlot.Plot().ApplyFont();
}
