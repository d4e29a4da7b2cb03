using System.Diagnostics;
using Framework.Plot;
using PlotT = Framework.Plot.Plot;

namespace Tests.Plot;

/// <summary>The SVG rendered by librsvg (rsvg-convert): right size, and series pixels inside the data area.</summary>
public class RenderTests
{
    private const string Rsvg = "/usr/bin/rsvg-convert";

    /// <summary>Renders svg to PNG bytes with rsvg-convert; the PNG is also left at pngPath to look at.</summary>
    private static byte[] Render(string svg, string pngPath)
    {
        var svgPath = Path.ChangeExtension(pngPath, ".svg");
        File.WriteAllText(svgPath, svg);
        var psi = new ProcessStartInfo(Rsvg) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-f", "png", "-o", pngPath, svgPath })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000), "rsvg-convert timed out");
        Assert.True(p.ExitCode == 0, $"rsvg-convert failed ({p.ExitCode}): {err}");
        Assert.True(string.IsNullOrWhiteSpace(err), $"rsvg-convert warned: {err}");
        return File.ReadAllBytes(pngPath);
    }

    private static (int X0, int Y0, int X1, int Y1) DataArea(string svg, int index = 0)
    {
        var area = SvgTestUtil.Parse(svg).WithClass("data-area").ElementAt(index);
        double x = area.Num("x"), y = area.Num("y");
        return ((int)Math.Ceiling(x) + 2, (int)Math.Ceiling(y) + 2,
            (int)Math.Floor(x + area.Num("width")) - 2, (int)Math.Floor(y + area.Num("height")) - 2);
    }

    private static int CountNear(PngImage img, (int X0, int Y0, int X1, int Y1) r, Color c, int tolerance = 40)
    {
        int n = 0;
        for (int y = r.Y0; y <= r.Y1; y++)
            for (int x = r.X0; x <= r.X1; x++)
            {
                var p = img[x, y];
                if (Math.Abs(p.R - c.R) + Math.Abs(p.G - c.G) + Math.Abs(p.B - c.B) <= tolerance)
                    n++;
            }
        return n;
    }

    private static int CountNonBackground(PngImage img, (int X0, int Y0, int X1, int Y1) r)
    {
        int n = 0;
        for (int y = r.Y0; y <= r.Y1; y++)
            for (int x = r.X0; x <= r.X1; x++)
                if (img[x, y] is var p && (p.R < 200 || p.G < 200 || p.B < 200))
                    n++;
        return n;
    }

    [SkippableFact]
    public void LineAndScatter_RenderAtRequestedSize_WithSeriesPixelsInDataArea()
    {
        Skip.IfNot(File.Exists(Rsvg), "rsvg-convert (Debian librsvg2-bin) is not installed");
        var xs = Enumerable.Range(0, 50).Select(i => i / 49.0 * 6).ToArray();
        var plt = new PlotT();
        var truth = plt.Add.Scatter(xs, xs.Select(x => Math.Sin(x) + 0.1 * Math.Cos(9 * x)).ToArray(), label: "true");
        var pred = plt.Add.Line(xs, xs.Select(Math.Sin).ToArray(), label: "predict");
        plt.Title("Regression"); plt.XLabel("x"); plt.YLabel("y"); plt.Legend();
        string svg = plt.ToSvg(800, 500);

        var png = Render(svg, "/tmp/framework-plot-test.png");
        Assert.Equal((800, 500), PngImage.ReadSize(png));
        var img = PngImage.Decode(png);
        var area = DataArea(svg);
        Assert.True(CountNonBackground(img, area) > 1000);
        Assert.True(CountNear(img, area, truth.Color) > 200, "no scatter-coloured pixels");
        Assert.True(CountNear(img, area, pred.Color) > 200, "no line-coloured pixels");
        Assert.Equal((255, 255, 255, 255), img[2, 2]); // background outside the data area
    }

    [SkippableFact]
    public void Figure_LogScaleAndEdgeCases_RenderWithoutWarnings()
    {
        Skip.IfNot(File.Exists(Rsvg), "rsvg-convert (Debian librsvg2-bin) is not installed");
        var fig = new Figure(rows: 1, cols: 2);
        var epochs = Enumerable.Range(1, 20).Select(e => (double)e).ToArray();
        fig[0, 0].Add.Line(epochs, epochs.Select(e => 2.3 * Math.Exp(-e / 3)).ToArray(), label: "train loss");
        fig[0, 0].Axes.LogY();
        fig[0, 0].Title("Loss");
        fig[0, 0].Legend();
        var acc = fig[0, 1].Add.Line(epochs, epochs.Select(e => 1 - Math.Exp(-e / 4)).ToArray(), label: "accuracy",
            color: Color.FromHex("#d62728"), markerSize: 5);
        fig[0, 1].Add.Scatter([5.0], [double.NaN]);   // nothing drawable
        fig[0, 1].Add.Line([1.0, 20], [0.5, 0.5]);      // constant
        fig[0, 1].Title("Accuracy");
        string svg = fig.ToSvg(1000, 400);

        var png = Render(svg, "/tmp/framework-plot-figure-test.png");
        Assert.Equal((1000, 400), PngImage.ReadSize(png));
        var img = PngImage.Decode(png);
        Assert.True(CountNear(img, DataArea(svg, 0), Palette.Category10[0]) > 100, "no loss pixels in the left panel");
        Assert.True(CountNear(img, DataArea(svg, 1), acc.Color) > 100, "no accuracy pixels in the right panel");
        Assert.Equal(0, CountNear(img, DataArea(svg, 0), acc.Color, tolerance: 10));
    }
}
