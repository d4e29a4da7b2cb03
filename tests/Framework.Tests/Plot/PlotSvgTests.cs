using Framework.Plot;
using PlotT = Framework.Plot.Plot;

namespace Tests.Plot;

/// <summary>The SVG a Plot writes: valid XML with the expected elements, robust to awkward data.</summary>
public class PlotSvgTests
{
    private static readonly double[] Xs = [0, 0.25, 0.5, 0.75, 1];
    private static readonly double[] Ys = [0, 0.6, 1.1, 1.6, 2];

    [Fact]
    public void LineAndScatter_ProduceParsableSvgWithExpectedElements()
    {
        var plt = new PlotT();
        plt.Add.Scatter(Xs, Ys, label: "true");
        plt.Add.Line(Xs, Ys, label: "predict");
        plt.Title("Fit"); plt.XLabel("input x"); plt.YLabel("output y"); plt.Legend();
        var doc = SvgTestUtil.Parse(plt.ToSvg(800, 500));

        var root = doc.Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal("800", (string?)root.Attribute("width"));
        Assert.Equal("500", (string?)root.Attribute("height"));
        Assert.Equal("sans-serif", (string?)root.Attribute("font-family"));

        Assert.Single(doc.WithClass("series-line"));
        Assert.Equal("path", doc.WithClass("series-line").Single().Name.LocalName);
        Assert.Equal(Xs.Length, doc.WithClass("scatter").Single().Elements(SvgTestUtil.Ns + "circle").Count());

        var ticks = doc.Texts("tick-label");
        Assert.Contains("0.5", ticks);
        Assert.Contains("1", ticks);
        Assert.Contains("0", ticks);
        Assert.DoesNotContain(ticks, t => t.Length > 6);  // tidy labels, no float noise
        Assert.Equal(["true", "predict"], doc.Texts("legend-text"));
        Assert.Equal(["Fit"], doc.Texts("title"));
        Assert.Equal(["input x"], doc.Texts("xlabel"));
        Assert.Equal(["output y"], doc.Texts("ylabel"));
    }

    [Fact]
    public void Series_GetDistinctPaletteColours_OrTheirOwn()
    {
        var plt = new PlotT();
        var a = plt.Add.Line(Xs, Ys);
        var b = plt.Add.Line(Xs, Ys);
        var c = plt.Add.Scatter(Xs, Ys, color: Color.FromHex("#123456"), markerSize: 10);
        var d = plt.Add.Line(Xs, Ys, lineWidth: 4.5);
        Assert.NotEqual(a.Color, b.Color);
        Assert.NotEqual(b.Color, d.Color);
        Assert.Equal(Palette.Category10[0], a.Color);
        var doc = SvgTestUtil.Parse(plt.ToSvg());
        var circles = doc.WithClass("scatter").Single().Elements(SvgTestUtil.Ns + "circle").ToList();
        Assert.All(circles, e => Assert.Equal("#123456", (string?)e.Attribute("fill")));
        Assert.All(circles, e => Assert.Equal(5, e.Num("r")));
        var lines = doc.WithClass("series-line").ToList();
        Assert.Equal(3, lines.Select(e => (string?)e.Attribute("stroke")).Distinct().Count());
        Assert.Equal(4.5, lines[2].Num("stroke-width"));
    }

    [Fact]
    public void Text_IsEscaped_AndNoUnsupportedFeaturesAreUsed()
    {
        var plt = new PlotT();
        plt.Add.Line(Xs, Ys, label: "a < b & c > \"d\"");
        plt.Title("loss <&> 'accuracy'\u0001");
        plt.Legend();
        string svg = plt.ToSvg();
        var doc = SvgTestUtil.Parse(svg);
        Assert.Equal(["loss <&> 'accuracy'"], doc.Texts("title"));
        Assert.Equal(["a < b & c > \"d\""], doc.Texts("legend-text"));
        Assert.DoesNotContain("foreignObject", svg);
        Assert.DoesNotContain("var(", svg);
        Assert.DoesNotContain("<style", svg);
        Assert.DoesNotContain("NaN", svg);
        Assert.DoesNotContain("Infinity", svg);
    }

    [Fact]
    public void NonFinitePoints_AreSkipped()
    {
        var plt = new PlotT();
        double[] xs = [0, 1, 2, double.NaN, 4, 5, 6];
        double[] ys = [0, 1, double.PositiveInfinity, 3, 4, double.NegativeInfinity, 6];
        plt.Add.Scatter(xs, ys);
        plt.Add.Line(xs, ys);
        string svg = plt.ToSvg();
        var doc = SvgTestUtil.Parse(svg);
        Assert.DoesNotContain("NaN", svg);
        Assert.DoesNotContain("Infinity", svg);
        Assert.Equal(4, doc.WithClass("scatter").Single().Elements(SvgTestUtil.Ns + "circle").Count());
        var d = (string)doc.WithClass("series-line").Single().Attribute("d")!;
        Assert.Equal(1, d.Count(ch => ch == 'M')); // only 0-1 joins; 4 and 6 are isolated
        Assert.Equal(2, doc.WithClass("line").Single().Elements(SvgTestUtil.Ns + "circle").Count()); // isolated points as dots
        var limits = plt.Axes.GetLimits();
        Assert.True(limits.YMax < 7 && limits.YMin > -1);
    }

    [Fact]
    public void EmptySinglePointAndConstantData_RenderSensibly()
    {
        var empty = new PlotT();
        empty.Add.Line(Array.Empty<double>(), Array.Empty<double>(), label: "nothing");
        empty.Legend();
        var doc = SvgTestUtil.Parse(empty.ToSvg());
        Assert.NotEmpty(doc.Texts("tick-label"));
        Assert.Equal(["nothing"], doc.Texts("legend-text"));
        Assert.Equal(new AxisLimits(0, 1, 0, 1), empty.Axes.GetLimits());

        var single = new PlotT();
        single.Add.Scatter([3.0], [7.0]);
        doc = SvgTestUtil.Parse(single.ToSvg());
        var circle = doc.WithClass("scatter").Single().Elements(SvgTestUtil.Ns + "circle").Single();
        var area = doc.WithClass("data-area").Single();
        Assert.Equal(area.Num("x") + area.Num("width") / 2, circle.Num("cx"), 0.02);
        Assert.Equal(area.Num("y") + area.Num("height") / 2, circle.Num("cy"), 0.02);
        Assert.True(doc.Texts("tick-label").Length >= 4);

        var constant = new PlotT();
        constant.Add.Line([0.0, 1, 2, 3], [5.0, 5, 5, 5]);
        var limits = constant.Axes.GetLimits();
        Assert.True(limits.YMin < 5 && limits.YMax > 5);
        doc = SvgTestUtil.Parse(constant.ToSvg());
        Assert.Contains("5", doc.Texts("tick-label"));

        var zeros = new PlotT();
        zeros.Add.Line([1.0, 1], [0.0, 0]);
        Assert.Equal(new AxisLimits(0.9, 1.1, -1, 1), zeros.Axes.GetLimits()); // ±10% around 1, ±1 around 0
        SvgTestUtil.Parse(zeros.ToSvg());
    }

    [Fact]
    public void MismatchedLengths_ThrowNamingBoth()
    {
        var plt = new PlotT();
        var e = Assert.Throws<ArgumentException>(() => plt.Add.Line(new double[3], new double[5]));
        Assert.Contains("3", e.Message);
        Assert.Contains("5", e.Message);
        e = Assert.Throws<ArgumentException>(() => plt.Add.Scatter(new float[7], new float[2]));
        Assert.Contains("7", e.Message);
        Assert.Contains("2", e.Message);
        Assert.Empty(plt.Series);
    }

    [Fact]
    public void FloatData_AndSignal_AreAccepted()
    {
        var plt = new PlotT();
        var s = plt.Add.Scatter(new float[] { 1, 2 }, new float[] { 0.1f, 0.2f });
        Assert.Equal([1.0, 2.0], s.Xs);
        var sig = plt.Add.Signal(new float[] { 3, 2, 1 }, period: 0.5, xOffset: 1);
        Assert.Equal([1.0, 1.5, 2.0], sig.Xs);
        SvgTestUtil.Parse(plt.ToSvg());
    }

    [Fact]
    public void Limits_AutoWithPadding_OrSet()
    {
        var plt = new PlotT();
        plt.Add.Line([0.0, 10], [-1.0, 1]);
        var auto = plt.Axes.GetLimits();
        Assert.Equal(-0.5, auto.XMin, 9);
        Assert.Equal(10.5, auto.XMax, 9);
        Assert.Equal(-1.1, auto.YMin, 9);
        Assert.Equal(1.1, auto.YMax, 9);

        plt.Axes.SetLimits(0, 100, -5, 5);
        Assert.Equal(new AxisLimits(0, 100, -5, 5), plt.Axes.GetLimits());
        var doc = SvgTestUtil.Parse(plt.ToSvg());
        Assert.Contains("100", doc.Texts("tick-label"));
        Assert.Contains("-4", doc.Texts("tick-label"));

        plt.Axes.SetLimitsX(2, 3);
        plt.Axes.SetLimitsY(-0.55, -0.45);
        Assert.Equal(new AxisLimits(2, 3, -0.55, -0.45), plt.Axes.GetLimits());
        doc = SvgTestUtil.Parse(plt.ToSvg());
        var d = (string)doc.WithClass("series-line").Single().Attribute("d")!;
        Assert.DoesNotContain("e", d); // clipped: no huge coordinates
        plt.Axes.AutoScale();
        Assert.Equal(auto, plt.Axes.GetLimits());

        Assert.Throws<ArgumentException>(() => plt.Axes.SetLimitsX(1, 1));
        Assert.Throws<ArgumentException>(() => plt.Axes.SetLimitsY(0, double.NaN));
    }

    [Fact]
    public void LogY_TicksAtPowersOfTen_SkipsNonPositive()
    {
        var plt = new PlotT();
        double[] xs = [1, 2, 3, 4, 5];
        plt.Add.Scatter(xs, [1e-3, 1e-1, 0, -5, 1e3]);
        plt.Axes.LogY();
        Assert.True(plt.Axes.IsLogY);
        var limits = plt.Axes.GetLimits();
        Assert.True(limits.YMin > 0 && limits.YMin < 1e-3 && limits.YMax > 1e3);
        var doc = SvgTestUtil.Parse(plt.ToSvg(800, 600));
        var labels = doc.Texts("tick-label");
        foreach (var t in new[] { "0.001", "0.01", "0.1", "1", "10", "100", "1000" })
            Assert.Contains(t, labels);
        Assert.Equal(3, doc.WithClass("scatter").Single().Elements(SvgTestUtil.Ns + "circle").Count());
        Assert.Throws<ArgumentException>(() => plt.Axes.SetLimitsY(0, 10));
        plt.Axes.LogY(false);
        plt.Axes.SetLimitsY(-1, 1);
        plt.Axes.LogY();
        Assert.Throws<InvalidOperationException>(() => plt.ToSvg());
    }

    [Fact]
    public void Legend_OnlyWhenAsked_AndOnlyLabelledSeries()
    {
        var plt = new PlotT();
        plt.Add.Line(Xs, Ys, label: "train");
        plt.Add.Line(Xs, Ys);
        plt.Add.Scatter(Xs, Ys, label: "val");
        Assert.Empty(SvgTestUtil.Parse(plt.ToSvg()).WithClass("legend"));
        plt.Legend(LegendLocation.LowerLeft);
        var doc = SvgTestUtil.Parse(plt.ToSvg());
        Assert.Equal(["train", "val"], doc.Texts("legend-text"));
        Assert.Single(doc.WithClass("legend-box"));
        plt.HideLegend();
        Assert.Empty(SvgTestUtil.Parse(plt.ToSvg()).WithClass("legend"));
    }

    [Fact]
    public void Figure_TwoPanelsSideBySide()
    {
        var fig = new Figure(rows: 1, cols: 2);
        fig.Title("Training");
        double[] epochs = [1, 2, 3, 4];
        fig[0, 0].Add.Line(epochs, [2.3, 1.1, 0.6, 0.4], label: "loss");
        fig[0, 0].Title("Loss");
        fig[0, 0].Axes.LogY();
        fig[0, 1].Add.Line(epochs, [0.2, 0.6, 0.8, 0.9], label: "accuracy");
        fig[0, 1].Title("Accuracy");
        var doc = SvgTestUtil.Parse(fig.ToSvg(1200, 500));
        Assert.Equal("1200", (string?)doc.Root!.Attribute("width"));
        Assert.Equal(2, doc.WithClass("plot").Count());
        Assert.Equal(["Loss", "Accuracy"], doc.Texts("title"));
        Assert.Equal(["Training"], doc.Texts("figure-title"));
        var areas = doc.WithClass("data-area").ToList();
        Assert.True(areas[0].Num("x") + areas[0].Num("width") < areas[1].Num("x"));
        Assert.Equal(2, doc.All("clipPath").Select(e => (string?)e.Attribute("id")).Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => fig[1, 0]);
        Assert.Throws<ArgumentException>(() => new Figure(0, 2));
    }

    [Fact]
    public void SaveSvg_WritesAtomically_AndOverwrites()
    {
        var dir = Directory.CreateTempSubdirectory("plot-test-").FullName;
        try
        {
            var path = Path.Combine(dir, "loss.svg");
            var plt = new PlotT();
            plt.Add.Line(Xs, Ys);
            plt.SaveSvg(path, width: 640, height: 480);
            File.WriteAllText(path, "old");
            plt.SaveSvg(path, width: 640, height: 480);
            var text = File.ReadAllText(path);
            Assert.Equal(plt.ToSvg(640, 480), text);
            Assert.Equal([path], Directory.GetFiles(dir));
            var fig = new Figure(2, 1);
            fig.SaveSvg(Path.Combine(dir, "fig.svg"), 600, 800);
            SvgTestUtil.Parse(File.ReadAllText(Path.Combine(dir, "fig.svg")));
            Assert.Throws<ArgumentException>(() => plt.SaveSvg(path, 0, 10));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
