using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Sliding windows (im2col) and their adjoint (col2im): the building blocks of Conv2d and MaxPool2d.
public partial class Tensor
{
    /// <summary>Extracts k×k patches of an [N, C, H, W] tensor (stride, zero padding, dilation) as [N, C·k·k, Ho·Wo] (torch.nn.functional.unfold).</summary>
    public Tensor Unfold2d(int kernelSize, int stride = 1, int padding = 0, int dilation = 1)
        => Unfold2d(new Window2d(kernelSize, kernelSize, stride, stride, padding, padding, dilation, dilation));

    /// <summary>Extracts kH×kW patches of an [N, C, H, W] tensor as [N, C·kH·kW, Ho·Wo]; stride, padding and dilation as (height, width).</summary>
    public Tensor Unfold2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
        => Unfold2d(MakeWindow(kernelSize, stride, padding, dilation));

    /// <summary>Sums [N, C·k·k, L] patches back into an [N, C, H, W] image (torch.nn.functional.fold), the adjoint of Unfold2d.</summary>
    public Tensor Fold2d(int height, int width, int kernelSize, int stride = 1, int padding = 0, int dilation = 1)
        => Fold2d(height, width, new Window2d(kernelSize, kernelSize, stride, stride, padding, padding, dilation, dilation));

    /// <summary>Sums [N, C·kH·kW, L] patches back into an [N, C, H, W] image; stride, padding and dilation as (height, width).</summary>
    public Tensor Fold2d(int height, int width, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
        => Fold2d(height, width, MakeWindow(kernelSize, stride, padding, dilation));

    internal static Window2d MakeWindow((int H, int W) kernel, (int H, int W)? stride, (int H, int W)? padding, (int H, int W)? dilation)
    {
        var s = stride ?? (1, 1); var p = padding ?? (0, 0); var d = dilation ?? (1, 1);
        return new Window2d(kernel.H, kernel.W, s.H, s.W, p.H, p.W, d.H, d.W);
    }

    /// <summary>Unfold2d over a window (zeros outside the image).</summary>
    internal Tensor Unfold2d(Window2d win)
    {
        var x = this;
        var (n, c, h, w, ho, wo) = WindowShape(shape, win, "unfold");
        var xc = Dispatch.Raw(x, DType);
        int rows = c * win.KH * win.KW, l = ho * wo;
        var y = new Tensor([n, rows, l], DType, clear: false);
        for (int b = 0; b < n; b++)
        {
            if (DType == DType.Float32)
                Im2Col.Gather(xc.Elems<float>().AsSpan(xc.offset + b * c * h * w, c * h * w), c, h, w, win, ho, wo, y.Elems<float>().AsSpan(b * rows * l, rows * l));
            else if (DType == DType.Float64)
                Im2Col.Gather(xc.Elems<double>().AsSpan(xc.offset + b * c * h * w, c * h * w), c, h, w, win, ho, wo, y.Elems<double>().AsSpan(b * rows * l, rows * l));
            else throw new ArgumentException($"unfold is not implemented for {DType.TorchName()} tensors");
        }
        return Graph.Record("Im2ColBackward0", y, [x], [], (h, w, win), static (ctx, g, s) => [g.Fold2d(s.h, s.w, s.win)]);
    }

    /// <summary>Fold2d over a window.</summary>
    internal Tensor Fold2d(int height, int width, Window2d win)
    {
        var cols = this;
        int kk = win.KH * win.KW;
        if (shape.Length != 3 || shape[1] % kk != 0)
            throw new ArgumentException($"fold: expected a [N, C·{win.KH}·{win.KW}, L] tensor, got shape {ShapeUtil.Format(shape)}");
        int n = shape[0], c = shape[1] / kk;
        var (_, _, _, _, ho, wo) = WindowShape([n, c, height, width], win, "fold");
        if (ho * wo != shape[2])
            throw new ArgumentException($"fold: {shape[2]} patches do not tile a {height}×{width} image with kernel ({win.KH}, {win.KW}), stride ({win.SH}, {win.SW}), padding ({win.PH}, {win.PW}), dilation ({win.DH}, {win.DW}) ({ho}×{wo} expected)");
        var cc = Dispatch.Raw(cols, DType);
        var y = new Tensor([n, c, height, width], DType);
        int rows = c * kk, l = ho * wo, img = c * height * width;
        for (int b = 0; b < n; b++)
        {
            if (DType == DType.Float32)
                Im2Col.Scatter(cc.Elems<float>().AsSpan(cc.offset + b * rows * l, rows * l), c, height, width, win, ho, wo, y.Elems<float>().AsSpan(b * img, img));
            else if (DType == DType.Float64)
                Im2Col.Scatter(cc.Elems<double>().AsSpan(cc.offset + b * rows * l, rows * l), c, height, width, win, ho, wo, y.Elems<double>().AsSpan(b * img, img));
            else throw new ArgumentException($"fold is not implemented for {DType.TorchName()} tensors");
        }
        return Graph.Record("Col2ImBackward0", y, [cols], [], win, static (ctx, g, win) => [g.Unfold2d(win)]);
    }

    /// <summary>For each window of each [H, W] plane of an [N, C, H, W] tensor, the flat index (y·W + x) of its maximum: Int64 [N·C, Ho·Wo], no graph.</summary>
    internal Tensor MaxPool2dIndices(Window2d win)
    {
        var (n, c, h, w, ho, wo) = WindowShape(shape, win, "max_pool2d");
        var xc = Dispatch.Raw(this, DType);
        var idx = new Tensor([n * c, ho * wo], DType.Int64, clear: false);
        if (DType == DType.Float32) Im2Col.ArgMaxPool(xc.Elems<float>().AsSpan(xc.offset, n * c * h * w), n * c, h, w, win, ho, wo, idx.Span<long>());
        else if (DType == DType.Float64) Im2Col.ArgMaxPool(xc.Elems<double>().AsSpan(xc.offset, n * c * h * w), n * c, h, w, win, ho, wo, idx.Span<long>());
        else throw new ArgumentException($"max_pool2d is not implemented for {DType.TorchName()} tensors");
        return idx;
    }

    private static (int N, int C, int H, int W, int Ho, int Wo) WindowShape(int[] shape, Window2d win, string op)
    {
        if (shape.Length != 4) throw new ArgumentException($"{op}: expected a 4-d [N, C, H, W] input, got shape {ShapeUtil.Format(shape)}");
        if (win.KH <= 0 || win.KW <= 0 || win.SH <= 0 || win.SW <= 0 || win.DH <= 0 || win.DW <= 0 || win.PH < 0 || win.PW < 0)
            throw new ArgumentException($"{op}: kernel size, stride and dilation must be positive and padding non-negative (got kernel ({win.KH}, {win.KW}), stride ({win.SH}, {win.SW}), padding ({win.PH}, {win.PW}), dilation ({win.DH}, {win.DW}))");
        int h = shape[2], w = shape[3];
        int spanH = win.DH * (win.KH - 1) + 1, spanW = win.DW * (win.KW - 1) + 1;
        if (h + 2 * win.PH < spanH || w + 2 * win.PW < spanW)
            throw new ArgumentException($"{op}: the kernel spans {spanH}×{spanW}, larger than the padded input {h + 2 * win.PH}×{w + 2 * win.PW} (input shape {ShapeUtil.Format(shape)})");
        var (ho, wo) = win.Output(h, w);
        return (shape[0], shape[1], h, w, ho, wo);
    }
}
