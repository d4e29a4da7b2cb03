using Framework.Autograd;
using Framework.Plot;
using ScottPlot;

namespace Tests.Plot;

/// <summary>ScottPlot's plt.Add taking tensors: shapes, dtypes, errors, and what the PNG shows.</summary>
public class TensorPlotTests
{
    private static double[] Xs(ScottPlot.Plottables.Scatter s) => s.Data.GetScatterPoints().Select(p => p.X).ToArray();

    private static double[] Ys(ScottPlot.Plottables.Scatter s) => s.Data.GetScatterPoints().Select(p => p.Y).ToArray();

    [Fact]
    public void Scatter_Takes1dAndColumnTensors_OfFloat32Float64AndInt64()
    {
        var plt = new ScottPlot.Plot();
        var a = plt.Add.Scatter(Tensor.From(new float[] { 1, 2, 3 }), Tensor.From(new double[] { 4, 5, 6 }).Reshape(3, 1));
        Assert.Equal([1.0, 2, 3], Xs(a));
        Assert.Equal([4.0, 5, 6], Ys(a));
        var b = plt.Add.ScatterLine(Tensor.From(new long[] { 7, 8 }), Tensor.From(new float[] { 0.5f, 0.25f }).Reshape(2, 1));
        Assert.Equal([7.0, 8], Xs(b));
        Assert.Equal([0.5, 0.25], Ys(b));
        Assert.Equal(0, b.MarkerSize);
        var c = plt.Add.ScatterPoints(Tensor.From(new double[] { 1 }), Tensor.From(new double[] { 2 }));
        Assert.Equal(0, c.LineWidth);
        Assert.Equal(3, plt.GetPlottables().Count());
    }

    [Fact]
    public void Line_IsAMarkerlessScatterLine_AndSignalAndBarsTakeTensors()
    {
        var plt = new ScottPlot.Plot();
        var line = plt.Add.Line(Tensor.Linspace(0, 1, 5), Tensor.Linspace(1, 0, 5).Unsqueeze(1));
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1], Xs(line));
        Assert.Equal(0, line.MarkerSize);
        var signal = plt.Add.Signal(Tensor.From(new double[] { 3, 1, 2 }), period: 2);
        Assert.Equal(2, signal.Data.Period);
        Assert.Equal([3.0, 1, 2], signal.Data.GetYs());
        var bars = plt.Add.Bars(Tensor.From(new long[] { 0, 1 }), Tensor.From(new double[] { 2.5, 4 }));
        Assert.Equal([2.5, 4], bars.Bars.Select(b => b.Value).ToArray());
    }

    [Fact]
    public void TensorsThatRequireGrad_ArePlottedWithoutTouchingTheGraph()
    {
        var w = Tensor.From(new double[] { 1, 2 }).RequiresGrad_();
        var y = w * 3;
        var s = new ScottPlot.Plot().Add.Scatter(w, y);
        Assert.Equal([3.0, 6], Ys(s));
        Assert.Null(w.Grad);
        Assert.NotNull(y.GradFn);
    }

    [Fact]
    public void NonContiguousTensors_ArePlottedInLogicalOrder()
    {
        var m = Tensor.From(new double[] { 1, 2, 3, 4, 5, 6 }).Reshape(2, 3);
        var s = new ScottPlot.Plot().Add.Scatter(m.T()[.., 0], m.T()[.., 1..2]);   // [3] and [3, 1], both strided
        Assert.Equal([1.0, 2, 3], Xs(s));
        Assert.Equal([4.0, 5, 6], Ys(s));
    }

    [Fact]
    public void BadShapesDtypesAndLengths_ThrowNamingThem()
    {
        var add = new ScottPlot.Plot().Add;
        var e = Assert.Throws<ArgumentException>(() => add.Scatter(Tensor.Zeros([2, 3]), Tensor.Zeros([6])));
        Assert.Equal("x must be 1-d or of shape [N, 1] to plot, got shape [2, 3] (Parameter 'x')", e.Message);
        e = Assert.Throws<ArgumentException>(() => add.Line(Tensor.Zeros([3]), Tensor.Zeros([])));
        Assert.Equal("y must be 1-d or of shape [N, 1] to plot, got shape [] (Parameter 'y')", e.Message);
        e = Assert.Throws<ArgumentException>(() => add.ScatterLine(Tensor.Zeros([3]), Tensor.Zeros([4, 1])));
        Assert.Equal("x and y must have the same number of points, got x of shape [3] and y of shape [4, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => add.Scatter(Tensor.Zeros([2]) > 0, Tensor.Zeros([2])));
        Assert.Equal("x must be a Float32, Float64 or Int64 tensor to plot, got dtype torch.bool (Parameter 'x')", e.Message);
        e = Assert.Throws<ArgumentException>(() => add.Bars(Tensor.Zeros([2]), Tensor.Zeros([3])));
        Assert.Equal("positions and values must have the same number of points, got positions of shape [2] and values of shape [3]", e.Message);
        e = Assert.Throws<ArgumentException>(() => add.Signal(Tensor.Zeros([1, 2])));
        Assert.Equal("y must be 1-d or of shape [N, 1] to plot, got shape [1, 2] (Parameter 'y')", e.Message);
        Assert.Throws<ArgumentNullException>(() => add.Scatter(null!, Tensor.Zeros([2])));
    }

    [Fact]
    public void ScatterAndLine_RenderToAPngOfTheRequestedSize_WithEachSeriesColourInTheDataArea()
    {
        var x = Tensor.Linspace(0, 6, 50).Unsqueeze(1);
        var plt = PlotFont.NewPlot();
        var truth = plt.Add.ScatterPoints(x, x.Sin() + 0.1 * (9 * x).Cos());
        truth.LegendText = "true";
        var pred = plt.Add.Line(x, x.Sin());
        pred.LegendText = "predict";
        pred.LineWidth = 2;
        plt.Title("Regression");
        plt.XLabel("x");
        plt.YLabel("y");
        plt.ShowLegend();

        using var png = new PngProbe(plt.GetImageBytes(800, 500, ImageFormat.Png));
        Assert.Equal((800, 500), (png.Width, png.Height));
        var area = plt.LastRender.DataRect;
        Assert.True(area.Width > 500 && area.Height > 300, $"data area {area}");
        Assert.True(png.CountNonBackground(area) > 1000, "the data area is blank");
        Assert.True(png.CountNear(area, truth.Color) > 200, "no scatter-coloured pixels");
        Assert.True(png.CountNear(area, pred.Color) > 200, "no line-coloured pixels");
        Assert.NotEqual(truth.Color, pred.Color);
        Assert.Equal(new SkiaSharp.SKColor(255, 255, 255, 255), png[1, 1]);   // the figure's background
    }
}
