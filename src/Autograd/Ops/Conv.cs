using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Sliding windows (im2col) and their adjoint (col2im): the building blocks of Conv2d and MaxPool2d.
public partial class Tensor
{
    /// <summary>Extracts k×k patches of an [N, C, H, W] tensor (stride s, zero padding p) as [N, C·k·k, Ho·Wo] (torch.nn.functional.unfold).</summary>
    public Tensor Unfold2d(int kernelSize, int stride = 1, int padding = 0)
    {
        var x = this;
        var (n, c, h, w, ho, wo) = WindowShape(shape, kernelSize, stride, padding, "unfold");
        var xc = Dispatch.Raw(x, DType);
        int k = kernelSize, rows = c * k * k, l = ho * wo;
        var y = new Tensor([n, rows, l], DType, clear: false);
        for (int b = 0; b < n; b++)
        {
            if (DType == DType.Float32)
                Im2Col.Gather<float>(xc.Elems<float>().AsSpan(xc.offset + b * c * h * w, c * h * w), c, h, w, k, stride, padding, ho, wo, y.Elems<float>().AsSpan(b * rows * l, rows * l));
            else if (DType == DType.Float64)
                Im2Col.Gather<double>(xc.Elems<double>().AsSpan(xc.offset + b * c * h * w, c * h * w), c, h, w, k, stride, padding, ho, wo, y.Elems<double>().AsSpan(b * rows * l, rows * l));
            else throw new ArgumentException($"unfold is not implemented for {DType.TorchName()} tensors");
        }
        int[] inShape = x.shape;
        return Graph.Record("Im2ColBackward0", y, [x], g => [g.Fold2d(inShape[2], inShape[3], kernelSize, stride, padding)]);
    }

    /// <summary>Sums [N, C·k·k, L] patches back into an [N, C, H, W] image (torch.nn.functional.fold), the adjoint of Unfold2d.</summary>
    public Tensor Fold2d(int height, int width, int kernelSize, int stride = 1, int padding = 0)
    {
        var cols = this;
        int k = kernelSize;
        if (shape.Length != 3 || shape[1] % (k * k) != 0)
            throw new ArgumentException($"fold: expected a [N, C·{k}·{k}, L] tensor, got shape {ShapeUtil.Format(shape)}");
        int n = shape[0], c = shape[1] / (k * k);
        var (_, _, _, _, ho, wo) = WindowShape([n, c, height, width], k, stride, padding, "fold");
        if (ho * wo != shape[2]) throw new ArgumentException($"fold: {shape[2]} patches do not tile a {height}×{width} image with kernel {k}, stride {stride}, padding {padding} ({ho}×{wo} expected)");
        var cc = Dispatch.Raw(cols, DType);
        var y = new Tensor([n, c, height, width], DType);
        int rows = c * k * k, l = ho * wo, img = c * height * width;
        for (int b = 0; b < n; b++)
        {
            if (DType == DType.Float32)
                Im2Col.Scatter<float>(cc.Elems<float>().AsSpan(cc.offset + b * rows * l, rows * l), c, height, width, k, stride, padding, ho, wo, y.Elems<float>().AsSpan(b * img, img));
            else if (DType == DType.Float64)
                Im2Col.Scatter<double>(cc.Elems<double>().AsSpan(cc.offset + b * rows * l, rows * l), c, height, width, k, stride, padding, ho, wo, y.Elems<double>().AsSpan(b * img, img));
            else throw new ArgumentException($"fold is not implemented for {DType.TorchName()} tensors");
        }
        return Graph.Record("Col2ImBackward0", y, [cols], g => [g.Unfold2d(kernelSize, stride, padding)]);
    }

    private static (int N, int C, int H, int W, int Ho, int Wo) WindowShape(int[] shape, int k, int s, int p, string op)
    {
        if (shape.Length != 4) throw new ArgumentException($"{op}: expected a 4-d [N, C, H, W] input, got shape {ShapeUtil.Format(shape)}");
        if (k <= 0 || s <= 0 || p < 0) throw new ArgumentException($"{op}: kernel size and stride must be positive and padding non-negative (got {k}, {s}, {p})");
        int h = shape[2], w = shape[3];
        int ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1;
        if (h + 2 * p < k || w + 2 * p < k)
            throw new ArgumentException($"{op}: kernel size {k} is larger than the padded input {h + 2 * p}×{w + 2 * p} (input shape {ShapeUtil.Format(shape)})");
        return (shape[0], shape[1], h, w, ho, wo);
    }
}
