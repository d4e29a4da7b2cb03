using Framework.Plot;

namespace Tests.Plot;

/// <summary>The library's plots name DejaVu Sans (Debian fonts-dejavu-core) and fall back to ScottPlot's default font with one warning when it is missing.</summary>
public class PlotFontTests
{
    private const string DejaVuFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    [SkippableFact]
    public void NewPlot_NamesDejaVuSans_ForEveryText()
    {
        Skip.IfNot(File.Exists(DejaVuFile), "DejaVu Sans (Debian fonts-dejavu-core) is not installed");
        Assert.True(PlotFont.IsInstalled());
        var plt = PlotFont.NewPlot();
        Assert.Equal("DejaVu Sans", plt.Axes.Title.Label.FontName);
        Assert.Equal("DejaVu Sans", plt.Axes.Bottom.Label.FontName);
        Assert.Equal("DejaVu Sans", plt.Axes.Left.TickLabelStyle.FontName);
        Assert.Equal("DejaVu Sans", plt.Legend.FontName);
    }

    [Fact]
    public void AMissingFont_KeepsScottPlotsDefault_AndWarnsOnce()
    {
        const string family = "No Such Font Family 12";
        Assert.False(PlotFont.IsInstalled(family));
        var original = Console.Error;
        var sw = new StringWriter();
        Console.SetError(sw);
        ScottPlot.Plot a, b;
        try
        {
            a = new ScottPlot.Plot().ApplyFont(family);
            b = new ScottPlot.Plot().ApplyFont(family);
        }
        finally { Console.SetError(original); }
        Assert.Equal("Framework.Plot: the font 'No Such Font Family 12' is not installed (Debian: apt-get install fonts-dejavu-core); " +
                     "plots use ScottPlot's default font instead\n", sw.ToString());
        Assert.Equal(new ScottPlot.Plot().Axes.Title.Label.FontName, a.Axes.Title.Label.FontName);
        Assert.NotEqual(family, b.Axes.Title.Label.FontName);
    }
}
