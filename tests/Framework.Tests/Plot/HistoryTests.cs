using Framework.Plot;
using ScottPlot;

namespace Tests.Plot;

/// <summary>History: CSV through CsvHelper (saved whole, or appended as training goes), smoothing, and its ScottPlot panels.</summary>
public class HistoryTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-history-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static void AssertSeries(double[] x, double[] y, (double[] X, double[] Y) series)
    {
        Assert.Equal(x, series.X);
        Assert.Equal(y, series.Y);
    }

    private static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    [Fact]
    public void SaveCsv_WritesEveryRowInLoggingOrder_AndSeriesComeBackPerMetric()
    {
        var h = new History();
        h.LogStep(1, "loss", 2.5);
        h.LogStep(2, "loss", 1.25);
        h.LogEpoch(1, "accuracy", 0.75);
        h.LogStep(3, "loss", 0.1 + 0.2);
        var csv = Path.Combine(dir, "h.csv");
        h.SaveCsv(csv);
        Assert.Equal("kind,index,metric,value\nstep,1,loss,2.5\nstep,2,loss,1.25\nepoch,1,accuracy,0.75\nstep,3,loss,0.30000000000000004\n",
            File.ReadAllText(csv));
        var (x, y) = h.StepSeries("loss");
        Assert.Equal([1.0, 2, 3], x);
        Assert.Equal([2.5, 1.25, 0.30000000000000004], y);
        AssertSeries([1.0], [0.75], h.EpochSeries("accuracy"));
        Assert.Empty(h.EpochSeries("loss").X);
        Assert.Equal(["loss"], h.Metrics.Steps);
        Assert.Equal(["accuracy"], h.Metrics.Epochs);
        Assert.Equal(["h.csv"], Directory.GetFiles(dir).Select(Path.GetFileName));   // no temporary file left
    }

    [Fact]
    public void NamesWithCommasAndQuotes_AreQuotedAndReadBack()
    {
        var h = new History();
        h.LogEpoch(1, "loss, \"val\"", double.NaN);
        var csv = Path.Combine(dir, "q.csv");
        h.SaveCsv(csv);
        Assert.Equal("kind,index,metric,value\nepoch,1,\"loss, \"\"val\"\"\",NaN\n", File.ReadAllText(csv));
        var back = History.LoadCsv(csv);
        Assert.Equal(["loss, \"val\""], back.Metrics.Epochs);
        Assert.True(double.IsNaN(back.EpochSeries("loss, \"val\"").Y[0]));
    }

    [Fact]
    public void AHistoryGivenAPath_AppendsEachRowAsItIsLogged_SoACrashedRunKeepsItsMetrics()
    {
        var csv = Path.Combine(dir, "live.csv");
        File.WriteAllText(csv, "an old run\n");
        var h = new History(csv);
        Assert.Equal(Path.GetFullPath(csv), h.CsvPath);
        Assert.Equal("kind,index,metric,value\n", ReadShared(csv));
        h.LogStep(1, "loss", 0.5);
        Assert.Equal("kind,index,metric,value\nstep,1,loss,0.5\n", ReadShared(csv));
        h.LogEpoch(1, "accuracy", 0.25);
        h.SaveCsv(csv);              // its own live file: kept open and complete, not replaced
        h.SaveCsv(Path.Combine(dir, "copy.csv"));
        Assert.Equal(ReadShared(csv), File.ReadAllText(Path.Combine(dir, "copy.csv")));
        // the run "crashes" here: nothing is disposed, yet the file holds every row
        var back = History.LoadCsv(csv);
        AssertSeries([1.0], [0.5], back.StepSeries("loss"));
        AssertSeries([1.0], [0.25], back.EpochSeries("accuracy"));
        Assert.Null(back.CsvPath);
        h.Dispose();
        h.Dispose();   // twice is harmless
        Assert.Equal("kind,index,metric,value\nstep,1,loss,0.5\nepoch,1,accuracy,0.25\n", File.ReadAllText(csv));
    }

    [Fact]
    public void LoadCsv_RejectsAFileThatIsNotAHistory()
    {
        var bad = Path.Combine(dir, "bad.csv");
        File.WriteAllText(bad, "a,b\n1,2\n");
        var e = Assert.Throws<InvalidDataException>(() => History.LoadCsv(bad));
        Assert.Equal($"{bad} is not a History CSV: its first line must be 'kind,index,metric,value'", e.Message);
        File.WriteAllText(bad, "kind,index,metric,value\nbatch,1,loss,2\n");
        e = Assert.Throws<InvalidDataException>(() => History.LoadCsv(bad));
        Assert.Equal($"{bad} line 2: kind must be 'step' or 'epoch', got 'batch'", e.Message);
        File.WriteAllText(bad, "kind,index,metric,value\nstep,one,loss,2\n");
        e = Assert.Throws<InvalidDataException>(() => History.LoadCsv(bad));
        Assert.Equal($"{bad} line 2: index must be an integer and value a number, got 'one' and '2'", e.Message);
    }

    [Fact]
    public void Smooth_IsTensorBoardsDebiasedExponentialMovingAverage()
    {
        var s = History.Smooth([1, 2, 3], 0.5);
        Assert.Equal(1, s[0], 12);
        Assert.Equal(1.25 / 0.75, s[1], 12);
        Assert.Equal(2.125 / 0.875, s[2], 12);
        var n = History.Smooth([2, double.NaN, 4], 0.5);   // NaN passes through and is left out
        Assert.Equal(2, n[0]);
        Assert.True(double.IsNaN(n[1]));
        Assert.Equal((0.5 * 1 + 0.5 * 4) / 0.75, n[2], 12);
        Assert.Equal([5.0, 5, 5], History.Smooth([5, 5, 5], 0.9).Select(v => Math.Round(v, 12)));
        Assert.Equal([1.0, 2], History.Smooth([1, 2], 0));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => History.Smooth([1], 1));
        Assert.StartsWith("weight must be in [0, 1), got 1", e.Message);
        var h = new History();
        e = Assert.Throws<ArgumentOutOfRangeException>(() => h.Smoothing = -0.5);
        Assert.StartsWith("Smoothing must be in [0, 1), got -0.5", e.Message);
        Assert.Equal(0.6, History.AutoSmoothing(10));
        Assert.Equal(0.98, History.AutoSmoothing(5000), 12);
        Assert.Equal(0.999, History.AutoSmoothing(1_000_000));
    }

    [Fact]
    public void ToMultiplot_HasOnePanelPerMetric_StepsAndEpochsOnTheirOwnAxes()
    {
        var h = new History();
        for (int i = 1; i <= 40; i++) h.LogStep(i, "batch loss", 1.0 / i + (i % 2) * 0.1);
        for (int e = 1; e <= 4; e++)
        {
            h.LogEpoch(e, "batch loss", 0.5 / e);
            h.LogEpoch(e, "accuracy", 0.5 + 0.1 * e);
        }
        var multiplot = h.ToMultiplot();
        var panels = multiplot.GetPlots();
        Assert.Equal(2, panels.Length);
        Assert.Equal(["batch loss", "accuracy"], panels.Select(p => p.Axes.Title.Label.Text));
        Assert.Equal("step", panels[0].Axes.Bottom.Label.Text);
        Assert.Equal("epoch", panels[0].Axes.Top.Label.Text);            // the same metric per epoch, on the top axis
        Assert.Equal("epoch", panels[1].Axes.Bottom.Label.Text);
        var lossSeries = panels[0].GetPlottables<ScottPlot.Plottables.Scatter>().ToArray();
        Assert.Equal(["batch loss", "batch loss, smoothed (0.6)", "batch loss per epoch"], lossSeries.Select(s => s.LegendText));
        Assert.Same(panels[0].Axes.Top, lossSeries[2].Axes.XAxis);
        Assert.True(panels[0].Legend.IsVisible);
        Assert.False(panels[1].Legend.IsVisible);                        // one series: the title names it
        Assert.All(panels, p => Assert.Equal(PlotFont.Family, p.Axes.Title.Label.FontName));

        h.Smoothing = 0;
        Assert.Equal(["batch loss", "batch loss per epoch"],
            h.ToPlot("batch loss").GetPlottables<ScottPlot.Plottables.Scatter>().Select(s => s.LegendText));
        var e2 = Assert.Throws<ArgumentException>(() => h.ToPlot("loss"));
        Assert.Equal("History has no metric 'loss'; logged: 'batch loss', 'accuracy' (Parameter 'metric')", e2.Message);
    }

    [Fact]
    public void SavePng_DrawsEveryPanel_WithEachSeriesColour()
    {
        var h = new History();
        var rng = new System.Random(1);
        for (int i = 1; i <= 300; i++) h.LogStep(i, "batch loss", 2.0 / Math.Sqrt(i) + 0.3 * rng.NextDouble());
        for (int e = 1; e <= 5; e++)
        {
            h.LogEpoch(e, "train loss", 1.0 / e);
            h.LogEpoch(e, "test accuracy", 0.6 + 0.05 * e);
        }
        var path = Path.Combine(dir, "history.png");
        h.SavePng(path, 1200, 400);
        var multiplot = h.ToMultiplot();
        using var png = PngProbe.Load(path);
        Assert.Equal((1200, 400), (png.Width, png.Height));

        multiplot.Render(1200, 400).Dispose();   // the same layout, to learn where each data area is
        var panels = multiplot.GetPlots();
        Assert.Equal(3, panels.Length);
        var palette = new ScottPlot.Palettes.Category10();
        for (int i = 0; i < 3; i++)
        {
            var area = panels[i].LastRender.DataRect;
            Assert.True(area.Left >= i * 400 - 1 && area.Right <= (i + 1) * 400 + 1, $"panel {i} data area {area}");
            Assert.True(png.CountNonBackground(area) > 300, $"panel {i} is blank");
            var colour = i == 0 ? palette.GetColor(0).Darken(0.4) : palette.GetColor(i);   // the smoothed line is the darker shade
            Assert.True(png.CountNear(area, colour) > 100, $"panel {i}: no pixels of its series colour {colour}");
        }
        var first = panels[0].LastRender.DataRect;
        Assert.True(png.CountNear(first, PngProbe.OverWhite(palette.GetColor(0), 0.2), tolerance: 30) > 100, "no faint raw-loss pixels under the smoothed line");
        Assert.Equal(0, png.CountNear(first, palette.GetColor(2), tolerance: 10));   // accuracy's green stays in its own panel

        var svg = Path.Combine(dir, "history.svg");
        h.SaveSvg(svg);
        var text = File.ReadAllText(svg);
        Assert.StartsWith("<?xml", text);
        Assert.Contains("<svg", text);
        Assert.Contains("test accuracy", text);
        if (PlotFont.IsInstalled()) Assert.Contains("font-family=\"DejaVu Sans\"", text);
        Assert.Equal(["history.png", "history.svg"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void AnEmptyHistory_HasNothingToPlot()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new History().SavePng(Path.Combine(dir, "x.png")));
        Assert.Equal("History has nothing to plot: no metric has been logged", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
        Assert.Throws<ArgumentException>(() => new History().LogStep(1, "", 1));
    }
}
