using Framework.Autograd;
using Framework.NN;
using F = Framework.NN.Functional;

namespace Tests.NN;

/// <summary>
/// The batched convolution, the max-pool kernels and the fused batch norm agree with the tensor-op compositions they replace
/// (unfold + matmul, argmax + gather, mean/var arithmetic), forward and backward, on shapes large enough to take every
/// kernel path (split over cores, one-block patch rows, strided and dilated windows, groups).
/// </summary>
public class ConvFusedTests
{
    private static readonly Generator Gen = new(1234);
    private static Tensor R(DType dtype, params int[] s) => Tensor.Randn(s, generator: Gen, dtype: dtype);

    private static void Close(Tensor expected, Tensor actual, double tol, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        double diff = (expected - actual).Abs().Max().Item<double>();
        double scale = 1 + expected.Abs().Max().Item<double>();
        Assert.True(diff <= tol * scale, $"{what}: max |difference| {diff} (scale {scale})");
    }

    /// <summary>The convolution as unfold + matmul per group, differentiated through those ops.</summary>
    private static Tensor ReferenceConv(Tensor x, Tensor w, Tensor? b, (int, int) stride, (int, int) padding, (int, int) dilation, int groups)
    {
        int n = x.Shape[0], o = w.Shape[0], og = o / groups, rows = w.Shape[1] * w.Shape[2] * w.Shape[3];
        var win = Tensor.MakeWindow((w.Shape[2], w.Shape[3]), stride, padding, dilation);
        var (ho, wo) = win.Output(x.Shape[2], x.Shape[3]);
        var cols = x.Unfold2d(win);
        var w2 = w.Reshape(o, rows);
        var parts = new Tensor[groups];
        for (int k = 0; k < groups; k++)
            parts[k] = w2.Slice(0, k * og, (k + 1) * og).MatMul(cols.Slice(1, k * rows, (k + 1) * rows));
        var y = groups == 1 ? parts[0] : Tensor.Cat(parts, 1);
        if (b is not null) y = y + b.Reshape(1, o, 1);
        return y.Reshape(n, o, ho, wo);
    }

    public static TheoryData<string, int[], int[], int, int, int, int, int, bool> ConvCases => new()
    {
        // name, input shape, weight shape, stride, padding, dilation, groups, (unused), bias
        { "cnn conv1", [64, 1, 28, 28], [16, 1, 3, 3], 1, 1, 1, 1, 0, true },
        { "cnn conv2", [64, 16, 14, 14], [32, 16, 3, 3], 1, 1, 1, 1, 0, true },
        { "5x5 same padding 2", [3, 2, 9, 7], [4, 2, 5, 5], 1, 2, 1, 1, 0, true },
        { "dilated same", [2, 3, 8, 8], [2, 3, 3, 3], 1, 2, 2, 1, 0, false },
        { "no padding", [4, 3, 10, 9], [5, 3, 3, 3], 1, 0, 1, 1, 0, true },
        { "1x1", [8, 6, 5, 5], [4, 6, 1, 1], 1, 0, 1, 1, 0, true },
        { "stride 2 padding 1", [16, 4, 11, 12], [6, 4, 3, 3], 2, 1, 1, 1, 0, true },
        { "groups 2 big batch", [32, 4, 12, 12], [6, 2, 3, 3], 1, 1, 1, 2, 0, true },
        { "groups 2 wide weight", [4, 8, 9, 9], [6, 4, 3, 3], 1, 1, 1, 2, 0, true },
        { "depthwise stride 2 dilated", [5, 3, 13, 13], [3, 1, 3, 3], 2, 2, 2, 3, 0, false },
        { "kernel wider than padding", [2, 2, 6, 6], [3, 2, 3, 3], 1, 3, 1, 1, 0, true },
    };

    [Theory]
    [MemberData(nameof(ConvCases))]
    public void Conv2dMatchesUnfoldMatmul(string name, int[] xs, int[] ws, int stride, int padding, int dilation, int groups, int unused, bool bias)
    {
        _ = unused;
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            double tol = dtype == DType.Float64 ? 1e-12 : 2e-5;
            var x = R(dtype, xs).RequiresGrad_();
            var w = R(dtype, ws).RequiresGrad_();
            var b = bias ? R(dtype, ws[0]).RequiresGrad_() : null;
            var y = F.Conv2d(x, w, b, (stride, stride), (padding, padding), (dilation, dilation), groups);
            var g = R(dtype, y.Shape);
            y.Backward(g);
            var (dx, dw, db) = (x.Grad!, w.Grad!, b?.Grad);
            x.Grad = null; w.Grad = null;
            if (b is not null) b.Grad = null;
            var yr = ReferenceConv(x, w, b, (stride, stride), (padding, padding), (dilation, dilation), groups);
            yr.Backward(g);
            Close(yr, y, tol, $"{name} {dtype} forward");
            Close(x.Grad!, dx, tol, $"{name} {dtype} dx");
            Close(w.Grad!, dw, tol * 10, $"{name} {dtype} dw");
            if (b is not null) Close(b.Grad!, db!, tol * 10, $"{name} {dtype} db");
            Assert.Equal("ConvolutionBackward0", y.GradFn!.Name);
        }
    }

    [Fact]
    public void Conv2dOfANonContiguousInputAndWeight()
    {
        var x = R(DType.Float64, 3, 2, 7, 6).Transpose(2, 3).RequiresGrad_();
        var w = R(DType.Float64, 4, 2, 3, 3).Transpose(2, 3);
        Close(ReferenceConv(x, w, null, (1, 1), (1, 1), (1, 1), 1), F.Conv2d(x, w, padding: 1), 1e-12, "forward");
    }

    /// <summary>Max pooling as argmax + gather, differentiated through the gather.</summary>
    private static Tensor ReferenceMaxPool(Tensor x, int k, int stride, int padding, int dilation, bool ceil)
    {
        var win = Tensor.MakeWindow((k, k), (stride, stride), (padding, padding), (dilation, dilation)) with { Ceil = ceil };
        int n = x.Shape[0], c = x.Shape[1];
        var (ho, wo) = win.Output(x.Shape[2], x.Shape[3]);
        Tensor idx;
        using (new NoGrad()) idx = x.MaxPool2dIndices(win);
        return x.Reshape(n * c, -1).Gather(1, idx).Reshape(n, c, ho, wo);
    }

    [Theory]
    [InlineData(new[] { 64, 16, 28, 28 }, 2, 2, 0, 1, false)]
    [InlineData(new[] { 3, 2, 7, 9 }, 2, 2, 0, 1, false)]
    [InlineData(new[] { 3, 2, 7, 9 }, 2, 2, 0, 1, true)]
    [InlineData(new[] { 8, 4, 11, 10 }, 3, 2, 1, 1, false)]
    [InlineData(new[] { 8, 4, 11, 10 }, 3, 2, 1, 2, true)]
    [InlineData(new[] { 2, 3, 6, 6 }, 3, 1, 1, 1, false)]
    public void MaxPool2dMatchesArgmaxGather(int[] shape, int k, int stride, int padding, int dilation, bool ceil)
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            // Rounded values make ties, which must go to the first maximum in row-major order as in PyTorch.
            var x = (R(dtype, shape) * 2).Round().RequiresGrad_();
            var y = F.MaxPool2d(x, k, stride, padding, dilation, ceil);
            var g = R(dtype, y.Shape);
            y.Backward(g);
            var dx = x.Grad!;
            x.Grad = null;
            var yr = ReferenceMaxPool(x, k, stride, padding, dilation, ceil);
            yr.Backward(g);
            Close(yr, y, 0, "forward");
            Close(x.Grad!, dx, 1e-6, "dx");
            Assert.Equal("MaxPool2DWithIndicesBackward0", y.GradFn!.Name);
        }
    }

    [Fact]
    public void MaxPool2dPicksTheLastNaNAndKeepsMinusInfinity()
    {
        var x = Tensor.FromArray(new[] { 1.0, double.NaN, double.NaN, 2, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity, double.NegativeInfinity }, [1, 2, 2, 2]).RequiresGrad_();
        var y = F.MaxPool2d(x, 2);
        Assert.True(double.IsNaN(y[0, 0, 0, 0].Item<double>()));
        Assert.Equal(double.NegativeInfinity, y[0, 1, 0, 0].Item<double>());
        y.Sum().Backward();
        Assert.Equal(new[] { 0.0, 0, 1, 0, 1, 0, 0, 0 }, x.Grad!.Reshape(-1).ToArray<double>());
    }

    [Fact]
    public void MaxPool2dWithoutGradKeepsNoGraph()
    {
        var x = R(DType.Float32, 2, 3, 8, 8);
        Assert.Null(F.MaxPool2d(x, 2).GradFn);
    }

    [Theory]
    [InlineData(new[] { 64, 16, 28, 28 }, true)]
    [InlineData(new[] { 64, 16, 28, 28 }, false)]
    [InlineData(new[] { 5, 3, 4, 3 }, true)]
    [InlineData(new[] { 7, 3, 5 }, true)]
    [InlineData(new[] { 6, 4 }, true)]
    [InlineData(new[] { 6, 4 }, false)]
    public void FusedBatchNormMatchesTheComposition(int[] shape, bool training)
    {
        foreach (var dtype in new[] { DType.Float64, DType.Float32 })
        {
            double tol = dtype == DType.Float64 ? 1e-10 : 1e-4;
            int c = shape[1];
            var x = (R(dtype, shape) * 3 + 5).RequiresGrad_();
            var w = R(dtype, c).RequiresGrad_();
            var b = R(dtype, c).RequiresGrad_();
            var (rm, rv) = (R(dtype, c), R(dtype, c).Abs() + 0.5);
            var (rm2, rv2) = (rm.Clone(), rv.Clone());
            var y = F.BatchNorm(x, rm, rv, w, b, training, 0.1, 1e-5);
            var g = R(dtype, y.Shape);
            y.Backward(g);
            var (dx, dw, db) = (x.Grad!, w.Grad!, b.Grad!);
            x.Grad = null; w.Grad = null; b.Grad = null;
            var yr = F.CompositeBatchNorm(x, rm2, rv2, w, b, training, 0.1, 1e-5);
            yr.Backward(g);
            Close(yr, y, tol, "forward");
            Close(x.Grad!, dx, tol, "dx");
            Close(w.Grad!, dw, tol * 10, "dw");
            Close(b.Grad!, db, tol * 10, "db");
            Close(rm2, rm, tol, "running mean");
            Close(rv2, rv, tol, "running var");
            Assert.Equal("NativeBatchNormBackward0", y.GradFn!.Name);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2dLayerPassesGradChecks(bool training)
    {
        var bn = (BatchNorm2d)new BatchNorm2d(3).Double();
        bn.Weight.Set_(R(DType.Float64, 3));
        bn.Bias.Set_(R(DType.Float64, 3));
        bn.Train(training);
        Func<Tensor[], Tensor> f = a => bn.Forward(a[0]);
        var x = R(DType.Float64, 2, 3, 3, 2).RequiresGrad_();
        Assert.True(Autograd.GradCheck(f, [x]));
        Tensor y;
        using (new NoGrad()) y = f([x]);
        Assert.True(Autograd.GradGradCheck(f, [x], R(DType.Float64, y.Shape)));
    }

    [Fact]
    public void BatchNorm2dLayerReportsOneValuePerChannel()
    {
        var bn = new BatchNorm2d(2);
        var e = Assert.Throws<ArgumentException>(() => bn.Forward(Tensor.Randn(1, 2, 1, 1)));
        Assert.Equal("Expected more than 1 value per channel when training, got input size [1, 2, 1, 1]", e.Message);
    }
}
