using Framework.Autograd;
using ScottPlot;
using ScottPlot.Plottables;

namespace Framework.Plot;

/// <summary>ScottPlot's <c>plt.Add</c> taking tensors: 1-d or [N, 1] tensors of Float32, Float64 or Int64 (values copied, no graph).</summary>
public static class TensorPlotExtensions
{
    /// <summary>Markers joined by lines at (x[i], y[i]), as ScottPlot's Add.Scatter.</summary>
    public static Scatter Scatter(this PlottableAdder add, Tensor x, Tensor y, Color? color = null)
    {
        var (xs, ys) = Pair(x, y);
        return add.Scatter(xs, ys, color);
    }

    /// <summary>Markers only at (x[i], y[i]), as ScottPlot's Add.ScatterPoints.</summary>
    public static Scatter ScatterPoints(this PlottableAdder add, Tensor x, Tensor y, Color? color = null)
    {
        var (xs, ys) = Pair(x, y);
        return add.ScatterPoints(xs, ys, color);
    }

    /// <summary>A line through (x[i], y[i]) without markers, as ScottPlot's Add.ScatterLine.</summary>
    public static Scatter ScatterLine(this PlottableAdder add, Tensor x, Tensor y, Color? color = null)
    {
        var (xs, ys) = Pair(x, y);
        return add.ScatterLine(xs, ys, color);
    }

    /// <summary>A line through (x[i], y[i]) without markers: ScottPlot's Add.ScatterLine (ScottPlot's own Add.Line draws one segment between two points).</summary>
    public static Scatter Line(this PlottableAdder add, Tensor x, Tensor y, Color? color = null) => add.ScatterLine(x, y, color);

    /// <summary>A line through (i·period, y[i]), as ScottPlot's Add.Signal: e.g. a loss per step.</summary>
    public static Signal Signal(this PlottableAdder add, Tensor y, double period = 1, Color? color = null)
    {
        ArgumentNullException.ThrowIfNull(add);
        return add.Signal(Values(y, nameof(y)), period, color);
    }

    /// <summary>Vertical bars of height values[i] at positions[i], as ScottPlot's Add.Bars.</summary>
    public static BarPlot Bars(this PlottableAdder add, Tensor positions, Tensor values)
    {
        var (xs, ys) = Pair(positions, values, nameof(positions), nameof(values));
        return add.Bars(xs, ys);
    }

    /// <summary>The elements of a 1-d or [N, 1] Float32, Float64 or Int64 tensor as double[]; anything else throws an ArgumentException naming the shape or dtype.</summary>
    public static double[] Values(Tensor t, string name = "tensor")
    {
        ArgumentNullException.ThrowIfNull(t, name);
        if (t.DType is not (DType.Float32 or DType.Float64 or DType.Int64))
            throw new ArgumentException($"{name} must be a Float32, Float64 or Int64 tensor to plot, got dtype {t.DType.TorchName()}", name);
        if (!(t.Shape.Length == 1 || (t.Shape.Length == 2 && t.Shape[1] == 1)))
            throw new ArgumentException($"{name} must be 1-d or of shape [N, 1] to plot, got shape {Format(t.Shape)}", name);
        using var _ = new NoGrad();
        return t.Detach().ToArray<double>();
    }

    private static (double[] X, double[] Y) Pair(Tensor x, Tensor y, string xName = "x", string yName = "y")
    {
        var xs = Values(x, xName);
        var ys = Values(y, yName);
        if (xs.Length != ys.Length)
            throw new ArgumentException($"{xName} and {yName} must have the same number of points, got {xName} of shape {Format(x.Shape)} and {yName} of shape {Format(y.Shape)}");
        return (xs, ys);
    }

    internal static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";
}
