using System.Numerics;
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

    /// <summary>The window of a kernel size with stride (default 1), zero padding (default 0) and dilation (default 1), each as (height, width).</summary>
    public static Window2d MakeWindow((int H, int W) kernel, (int H, int W)? stride, (int H, int W)? padding, (int H, int W)? dilation)
    {
        var s = stride ?? (1, 1); var p = padding ?? (0, 0); var d = dilation ?? (1, 1);
        return new Window2d(kernel.H, kernel.W, s.H, s.W, p.H, p.W, d.H, d.W);
    }

    /// <summary>Unfold2d over a window (zeros outside the image).</summary>
    public Tensor Unfold2d(Window2d win)
    {
        var x = this;
        var (n, c, h, w, ho, wo) = WindowShape(shape, win, "unfold");
        var xc = Dispatch.Raw(x, DType);
        int rows = c * win.KH * win.KW, l = ho * wo;
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"unfold is not implemented for {DType.TorchName()} tensors");
        var y = new Tensor([n, rows, l], DType, clear: false);
        var unfold = new UnfoldKernel(xc, n, c, h, w, win, ho, wo, y);
        DTypeDispatch.Floating(DType, ref unfold);
        return Graph.Record("Im2ColBackward0", y, [x], [], (h, w, win), static (ctx, g, s) => [g.Fold2d(s.h, s.w, s.win)]);
    }

    /// <summary>Fold2d over a window.</summary>
    public Tensor Fold2d(int height, int width, Window2d win)
    {
        var cols = this;
        int kk = win.KH * win.KW;
        if (shape.Length != 3 || shape[1] % kk != 0)
            throw new ArgumentException($"fold: expected a [N, C·{win.KH}·{win.KW}, L] tensor, got shape {ShapeUtil.Format(shape)}");
        int n = shape[0], c = shape[1] / kk;
        var (_, _, _, _, ho, wo) = WindowShape([n, c, height, width], win, "fold");
        if (ho * wo != shape[2])
            throw new ArgumentException($"fold: {shape[2]} patches do not tile a {height}×{width} image with kernel ({win.KH}, {win.KW}), stride ({win.SH}, {win.SW}), padding ({win.PH}, {win.PW}), dilation ({win.DH}, {win.DW}) ({ho}×{wo} expected)");
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"fold is not implemented for {DType.TorchName()} tensors");
        var cc = Dispatch.Raw(cols, DType);
        var y = new Tensor([n, c, height, width], DType);
        var fold = new FoldKernel(cc, n, c, height, width, win, ho, wo, y);
        DTypeDispatch.Floating(DType, ref fold);
        return Graph.Record("Col2ImBackward0", y, [cols], [], win, static (ctx, g, win) => [g.Unfold2d(win)]);
    }

    /// <summary>For each window of each [H, W] plane of an [N, C, H, W] tensor, the flat index (y·W + x) of its maximum: Int64 [N·C, Ho·Wo], no graph.</summary>
    public Tensor MaxPool2dIndices(Window2d win)
    {
        var (n, c, h, w, ho, wo) = WindowShape(shape, win, "max_pool2d");
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"max_pool2d is not implemented for {DType.TorchName()} tensors");
        var xc = Dispatch.Raw(this, DType);
        var idx = new Tensor([n * c, ho * wo], DType.Int64, clear: false);
        var argmax = new ArgMaxPoolKernel(xc, n * c, h, w, win, ho, wo, idx);
        DTypeDispatch.Floating(DType, ref argmax);
        return idx;
    }

    /// <summary>cols[b] = im2col(x[b]) for each of the n contiguous [C, H, W] images of x.</summary>
    private readonly struct UnfoldKernel(Tensor x, int n, int c, int h, int w, Window2d win, int ho, int wo, Tensor cols) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int img = c * h * w, size = c * win.KH * win.KW * ho * wo;
            for (int b = 0; b < n; b++)
                Im2Col.Gather(x.Elems<T>().AsSpan(x.offset + b * img, img), c, h, w, win, ho, wo, cols.Elems<T>().AsSpan(b * size, size));
        }
    }

    /// <summary>y[b] += col2im(cols[b]) for each of the n [C·kH·kW, L] patch sets of cols.</summary>
    private readonly struct FoldKernel(Tensor cols, int n, int c, int h, int w, Window2d win, int ho, int wo, Tensor y) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int img = c * h * w, size = c * win.KH * win.KW * ho * wo;
            for (int b = 0; b < n; b++)
                Im2Col.Scatter(cols.Elems<T>().AsSpan(cols.offset + b * size, size), c, h, w, win, ho, wo, y.Elems<T>().AsSpan(b * img, img));
        }
    }

    /// <summary>idx = the flat position of each window's maximum in each of the planes of x.</summary>
    private readonly struct ArgMaxPoolKernel(Tensor x, int planes, int h, int w, Window2d win, int ho, int wo, Tensor idx) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => Im2Col.ArgMaxPool(x.Elems<T>().AsSpan(x.offset, planes * h * w), planes, h, w, win, ho, wo, idx.Span<long>());
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
