using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Framework.NN;

// 2-d convolution and max pooling as im2col + GEMM (and im2col + max), with PyTorch's grad_fn names.
public static partial class Functional
{
    /// <summary>out[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c] over k×k windows (stride, zero padding, dilation; channels in groups); x is [N, C, H, W].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1)
        => Conv2d(input, weight, bias, (stride, stride), (padding, padding), (dilation, dilation), groups);

    /// <summary>Conv2d with stride, padding and dilation as (height, width); the kernel is the weight's [out, in/groups, kH, kW].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1)
    {
        if (input.Dim != 4) throw new ArgumentException($"conv2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        if (weight.Dim != 4) throw new ArgumentException($"conv2d: expected a 4-d [out, in/groups, kH, kW] weight, got shape [{string.Join(", ", weight.Shape)}]");
        if (groups <= 0) throw new ArgumentException($"conv2d: non-positive groups is not supported (got {groups})");
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int o = weight.Shape[0], cg = weight.Shape[1], kh = weight.Shape[2], kw = weight.Shape[3];
        if (o % groups != 0)
            throw new ArgumentException($"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, but got weight of size [[{string.Join(", ", weight.Shape)}]] instead");
        if (cg * groups != c)
            throw new ArgumentException($"Given groups={groups}, weight of size [{string.Join(", ", weight.Shape)}], expected input[{string.Join(", ", input.Shape)}] to have {cg * groups} channels, but got {c} channels instead");
        if (bias is not null && (bias.Dim != 1 || bias.Shape[0] != o))
            throw new ArgumentException($"conv2d: expected a bias of shape [{o}], got shape [{string.Join(", ", bias.Shape)}]");
        var win = Tensor.MakeWindow((kh, kw), stride, padding, dilation);
        var (ho, wo) = win.Output(h, w);
        var cols = input.Unfold2d(win);                                         // [N, C·kH·kW, L]
        int kk = kh * kw, og = o / groups;
        Tensor y;
        if (groups == 1) y = weight.Reshape(o, c * kk).MatMul(cols);           // [N, O, L]
        else
        {
            var parts = new Tensor[groups];
            for (int g = 0; g < groups; g++)
                parts[g] = weight.Slice(0, g * og, (g + 1) * og).Reshape(og, cg * kk).MatMul(cols.Slice(1, g * cg * kk, (g + 1) * cg * kk));
            y = Tensor.Cat(parts, 1);
        }
        if (bias is not null) y = y + bias.Reshape(1, o, 1);
        return Renamed("ConvolutionBackward0", y.Reshape(n, o, ho, wo));
    }

    /// <summary>The maximum of each k×k window (stride defaults to k; −∞ padding; dilation; ceil mode keeps a last partial window); x is [N, C, H, W].</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
        => MaxPool2d(input, (kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>MaxPool2d with kernel, stride (defaults to the kernel), padding and dilation as (height, width).</summary>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode = false)
    {
        if (input.Dim != 4) throw new ArgumentException($"max_pool2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        if (padding.H > kernelSize.H / 2 || padding.W > kernelSize.W / 2)
        {
            var (p, k) = padding.H > kernelSize.H / 2 ? (padding.H, kernelSize.H) : (padding.W, kernelSize.W);
            throw new ArgumentException($"pad should be at most half of kernel size, but got pad={p} and kernel_size={k}");
        }
        var win = Tensor.MakeWindow(kernelSize, stride ?? kernelSize, padding, dilation) with { Ceil = ceilMode };
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        var (ho, wo) = win.Output(h, w);
        // The maximum's position in each window, then a gather: its backward scatters each gradient to that position.
        var indices = input.MaxPool2dIndices(win);                                          // [N·C, L]
        var pooled = input.Reshape(n * c, h * w).Gather(1, indices);                        // [N·C, L]
        return Renamed("MaxPool2DWithIndicesBackward0", pooled.Reshape(n, c, ho, wo));
    }

    /// <summary>The mean of each k×k window (stride defaults to k; zero padding at most half the kernel, counted in the divisor unless
    /// <paramref name="countIncludePad"/> is false; ceil mode keeps a last partial window; <paramref name="divisorOverride"/> replaces the divisor).</summary>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false,
                                   bool countIncludePad = true, int? divisorOverride = null)
        => AvgPool2d(input, (kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad, divisorOverride);

    /// <summary>AvgPool2d with kernel, stride (defaults to the kernel) and padding as (height, width).</summary>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, bool ceilMode = false,
                                   bool countIncludePad = true, int? divisorOverride = null)
    {
        if (input.Dim != 4) throw new ArgumentException($"avg_pool2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        if (padding.H > kernelSize.H / 2 || padding.W > kernelSize.W / 2)
        {
            var (p, k) = padding.H > kernelSize.H / 2 ? (padding.H, kernelSize.H) : (padding.W, kernelSize.W);
            throw new ArgumentException($"pad should be at most half of kernel size, but got pad={p} and kernel_size={k}");
        }
        if (divisorOverride == 0) throw new ArgumentException("divisor must be not zero");
        var win = Tensor.MakeWindow(kernelSize, stride ?? kernelSize, padding, null) with { Ceil = ceilMode };
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        var (ho, wo) = win.Output(h, w);
        var sums = input.Reshape(n * c, 1, h, w).Unfold2d(win).Sum(1);             // [N·C, L]
        // PyTorch's divisor per window: the window clipped to the padded input, or to the image without countIncludePad.
        var divisor = new double[ho * wo];
        for (int oy = 0; oy < ho; oy++)
            for (int ox = 0; ox < wo; ox++)
            {
                int hs = oy * win.SH - win.PH, ws = ox * win.SW - win.PW;
                int he = Math.Min(hs + win.KH, h + win.PH), we = Math.Min(ws + win.KW, w + win.PW);
                int poolSize = (he - hs) * (we - ws);
                int inside = (Math.Min(he, h) - Math.Max(hs, 0)) * (Math.Min(we, w) - Math.Max(ws, 0));
                divisor[oy * wo + ox] = divisorOverride ?? (countIncludePad ? poolSize : inside);
            }
        var y = sums / Tensor.FromArray(divisor, [ho * wo]).To(input.DType);
        return Renamed("AvgPool2DBackward0", y.Reshape(n, c, ho, wo));
    }

    /// <summary>Means over an <paramref name="outputSize"/> grid of windows covering the whole image (window i spans ⌊i·H/oh⌋ to ⌈(i+1)·H/oh⌉).</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        if (input.Dim != 4) throw new ArgumentException($"adaptive_avg_pool2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        var (oh, ow) = outputSize;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"adaptive_avg_pool2d: elements of output_size must be greater than or equal to 1 but got ({oh}, {ow})");
        int h = input.Shape[2], w = input.Shape[3];
        if ((oh, ow) == (1, 1)) return input.Mean([2, 3], keepDim: true);                  // as PyTorch: a mean (MeanBackward1)
        Tensor y;
        if (h % oh == 0 && w % ow == 0) y = AvgPool2d(input, (h / oh, w / ow), null, (0, 0));   // equal windows
        else
        {
            var rows = new Tensor[oh];
            for (int i = 0; i < oh; i++)
            {
                int hs = i * h / oh, he = ((i + 1) * h + oh - 1) / oh;
                var cells = new Tensor[ow];
                for (int j = 0; j < ow; j++)
                {
                    int ws = j * w / ow, we = ((j + 1) * w + ow - 1) / ow;
                    cells[j] = input.Slice(2, hs, he).Slice(3, ws, we).Mean([2, 3]);   // [N, C]
                }
                rows[i] = Tensor.Stack(cells, 2);                                      // [N, C, ow]
            }
            y = Tensor.Stack(rows, 2);                                                 // [N, C, oh, ow]
        }
        return Renamed("AdaptiveAvgPool2DBackward0", y);
    }
}
