using System.Xml.Linq;
using Framework.Plot;

namespace Tests.Plot;

/// <summary>Bar series and manual category ticks.</summary>
public class BarsTests
{
    private static List<XElement> Rects(string svg, string group) =>
        XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "g" && (string?)e.Attribute("class") == group)
                 .SelectMany(g => g.Elements().Where(e => e.Name.LocalName == "rect")).ToList();

    [Fact]
    public void VerticalBars_RiseFromZero_OnePerValue()
    {
        var plt = new Framework.Plot.Plot();
        plt.Add.Bars([0, 1, 2], [1.0, 3.0, 2.0], label: "ratio");
        plt.Axes.SetTicksX([0, 1, 2], ["a", "b", "c"]);
        plt.Legend();
        var svg = plt.ToSvg(600, 400);
        var bars = Rects(svg, "series bars");
        Assert.Equal(3, bars.Count);
        var heights = bars.Select(r => double.Parse((string)r.Attribute("height")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(heights[1] > heights[2] && heights[2] > heights[0]);
        Assert.Equal(heights[1] / 3, heights[0], 1);    // the base is 0, so heights are proportional to the values
        var texts = XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains("a", texts);
        Assert.Contains("c", texts);
        Assert.Contains("ratio", texts);
    }

    [Fact]
    public void HorizontalBars_RunAlongX_WithCategoryLabelsOnY()
    {
        var plt = new Framework.Plot.Plot();
        plt.Add.Bars([0, 1], [0.5, 2.0], horizontal: true);
        plt.Axes.SetTicksY([0, 1], ["matmul n=1024", "mlp batch 64"]);
        var svg = plt.ToSvg(600, 300);
        var bars = Rects(svg, "series bars");
        Assert.Equal(2, bars.Count);
        var widths = bars.Select(r => double.Parse((string)r.Attribute("width")!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(widths[1] / 4, widths[0], 1);   // SVG coordinates carry two decimals
        Assert.Contains("mlp batch 64", XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
    }

    [Fact]
    public void MismatchedTicks_Throw()
    {
        var plt = new Framework.Plot.Plot();
        Assert.Contains("positions has 2 and labels 1", Assert.Throws<ArgumentException>(() => plt.Axes.SetTicksX([0, 1], ["a"])).Message);
    }
}
