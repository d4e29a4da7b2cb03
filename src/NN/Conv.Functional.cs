using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Framework.NN;

// 2-d convolution and pooling, each recorded as one node with PyTorch's name: the forward runs without a graph (im2col + GEMM,
// argmax + gather, im2col + sum) and the rule computes the gradient with tensor ops, so higher-order gradients work.
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
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"unfold is not implemented for {input.DType.TorchName()} tensors");
        if (bias is not null && bias.DType != input.DType)
            throw new ArgumentException($"conv2d: expected the bias to have the input's dtype {input.DType.TorchName()}, got {bias.DType.TorchName()}");
        var win = Tensor.MakeWindow((kh, kw), stride, padding, dilation);
        var (ho, wo) = win.Output(h, w);
        if (!ValidWindow(win, h, w)) input.Unfold2d(win);                                   // throws Unfold2d's message for the bad window
        Tensor y, cols;
        using (new NoGrad())
        {
            // The whole batch as one GEMM: [O, C·kH·kW]·[C·kH·kW, N·L] per group, then moved to [N, O, L] with the bias added.
            cols = Tensor.Empty([c * kh * kw, n * ho * wo], input.DType);
            var im2col = new BatchIm2ColKernel(input.Contiguous(), win, ho, wo, cols);
            DTypeDispatch.Floating(input.DType, ref im2col);
            var yt = GroupedMm(weight.Contiguous().Reshape(o, cg * kh * kw), cols, groups, transposeA: false);   // [O, N·L]
            y = Tensor.Empty([n, o, ho, wo], input.DType);
            var move = new FromChannelMajorKernel(yt, bias?.Contiguous(), y);
            DTypeDispatch.Floating(input.DType, ref move);
        }
        return Graph.Record("ConvolutionBackward0", y, [input, weight, bias], [input, weight, weight.RequiresGrad ? cols : null], (win, groups),
            static (ctx, g, s) => GradMode.IsEnabled ? ConvolutionBackward(ctx, g, s.win, s.groups) : FusedConvolutionBackward(ctx, g, s.win, s.groups));
    }

    /// <summary>Whether the window has positive kernel, stride and dilation, non-negative padding and fits the padded h×w input (Unfold2d's checks).</summary>
    private static bool ValidWindow(Window2d win, int h, int w)
        => win.KH > 0 && win.KW > 0 && win.SH > 0 && win.SW > 0 && win.DH > 0 && win.DW > 0 && win.PH >= 0 && win.PW >= 0
           && h + 2 * win.PH >= win.DH * (win.KH - 1) + 1 && w + 2 * win.PW >= win.DW * (win.KW - 1) + 1;

    /// <summary>op(a)·b per group: a's rows (or, transposed, columns) and b's rows split into <paramref name="groups"/> equal blocks, products stacked by rows.</summary>
    private static Tensor GroupedMm(Tensor a, Tensor b, int groups, bool transposeA)
    {
        if (groups == 1) return transposeA ? a.T().Mm(b) : a.Mm(b);
        int ar = a.Shape[0] / groups, br = b.Shape[0] / groups;
        var parts = new Tensor[groups];
        for (int k = 0; k < groups; k++)
        {
            var ak = a.Slice(0, k * ar, (k + 1) * ar);
            parts[k] = (transposeA ? ak.T() : ak).Mm(b.Slice(0, k * br, (k + 1) * br));
        }
        return Tensor.Cat(parts, 0);
    }

    /// <summary>
    /// PyTorch's convolution_backward with tensor ops, per group: dx = fold(Wᵀ·g), dW = Σₙ g·unfold(x)ᵀ, db = Σ g over batch
    /// and positions. Used under createGraph (the patches unfolded again from x, so d(dW)/dx flows); a plain backward takes
    /// FusedConvolutionBackward.
    /// </summary>
    private static Tensor?[] ConvolutionBackward(BackwardContext ctx, Tensor g, Window2d win, int groups)
    {
        Tensor x = ctx.Saved(0), weight = ctx.Saved(1);
        int n = x.Shape[0], c = x.Shape[1], o = weight.Shape[0];
        int og = o / groups, rows = c / groups * weight.Shape[2] * weight.Shape[3];   // per group: og outputs, C/groups·kH·kW columns
        var gm = g.Reshape(n, o, g.Shape[2] * g.Shape[3]);                            // [N, O, L]
        Tensor? dx = null, dw = null, db = null;
        if (ctx.NeedsInputGrad(0))
        {
            var w2 = weight.Reshape(o, rows);
            var parts = new Tensor[groups];
            for (int k = 0; k < groups; k++)
                parts[k] = w2.Slice(0, k * og, (k + 1) * og).T().MatMul(gm.Slice(1, k * og, (k + 1) * og));   // [N, rows, L]
            dx = (groups == 1 ? parts[0] : Tensor.Cat(parts, 1)).Fold2d(x.Shape[2], x.Shape[3], win);
        }
        if (ctx.NeedsInputGrad(1))
        {
            var cols = x.Unfold2d(win);                                                // [N, C·kH·kW, L]
            var parts = new Tensor[groups];
            for (int k = 0; k < groups; k++)
                parts[k] = gm.Slice(1, k * og, (k + 1) * og).MatMul(cols.Slice(1, k * rows, (k + 1) * rows).Transpose(1, 2)).Sum(0);
            dw = (groups == 1 ? parts[0] : Tensor.Cat(parts, 0)).Reshape(weight.Shape);
        }
        if (ctx.NeedsInputGrad(2)) db = g.Sum([0, 2, 3]);
        return [dx, dw, db];
    }

    /// <summary>
    /// The same gradients as ConvolutionBackward without a graph, on the batch as a whole: g moved to gt = [O, N·L] once, then
    /// dW = gt·colsᵀ and dcols = Wᵀ·gt are one GEMM each (per group), dx = col2im(dcols), db = the row sums of gt.
    /// </summary>
    private static Tensor?[] FusedConvolutionBackward(BackwardContext ctx, Tensor g, Window2d win, int groups)
    {
        Tensor x = ctx.Saved(0), weight = ctx.Saved(1);
        int n = x.Shape[0], o = weight.Shape[0], ho = g.Shape[2], wo = g.Shape[3];
        int rows = (int)(weight.Numel / Math.Max(1, o)), og = o / groups;                // C/groups·kH·kW per output channel
        var gc = g.Contiguous();
        // Below two GEMM tiles of columns (a first layer's C·kH·kW) dW and db come from dot products on g in place.
        bool smallWeight = rows <= SmallWeightRows && ctx.NeedsInputGrad(1);
        Tensor? dx = null, dw = null, db = null;
        if (smallWeight)
        {
            dw = Tensor.Empty([o, rows], g.DType);
            db = ctx.NeedsInputGrad(2) ? Tensor.Empty([o], g.DType) : null;
            var wg = new WeightGradKernel(gc, ctx.Saved(2), groups, dw, db);
            DTypeDispatch.Floating(g.DType, ref wg);
            dw = dw.Reshape(weight.Shape);
            if (!ctx.NeedsInputGrad(0)) return [null, dw, db];
        }
        var gt = Tensor.Empty([o, n * ho * wo], g.DType);
        var move = new ToChannelMajorKernel(gc, gt);
        DTypeDispatch.Floating(g.DType, ref move);
        var w2 = weight.Contiguous().Reshape(o, rows);
        if (ctx.NeedsInputGrad(0))
        {
            var dcols = GroupedMm(w2, gt, groups, transposeA: true);                     // [C·kH·kW, N·L]
            dx = Tensor.Zeros(x.Shape, x.DType);
            var col2im = new BatchCol2ImKernel(dcols, win, ho, wo, dx);
            DTypeDispatch.Floating(x.DType, ref col2im);
        }
        if (ctx.NeedsInputGrad(1) && !smallWeight)
        {
            var cols = ctx.Saved(2);
            if (groups == 1) dw = gt.Mm(cols.T());
            else
            {
                var parts = new Tensor[groups];
                for (int k = 0; k < groups; k++)
                    parts[k] = gt.Slice(0, k * og, (k + 1) * og).Mm(cols.Slice(0, k * rows, (k + 1) * rows).T());
                dw = Tensor.Cat(parts, 0);
            }
            dw = dw.Reshape(weight.Shape);
        }
        if (ctx.NeedsInputGrad(2) && db is null) db = gt.Sum(1);
        return [dx, dw, db];
    }

    /// <summary>Most columns C/groups·kH·kW of the weight gradient computed by dot products instead of a GEMM.</summary>
    private const int SmallWeightRows = 32;

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
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"max_pool2d is not implemented for {input.DType.TorchName()} tensors");
        if (!ValidWindow(win, h, w)) input.MaxPool2dIndices(win);                           // throws the window check's message
        // Each window's maximum and, when a backward will need it, its position; the rule scatters each gradient to that position.
        bool record = GradMode.IsEnabled && input.RequiresGrad;
        var pooled = Tensor.Empty([n, c, ho, wo], input.DType);
        var indices = record ? Tensor.Empty([n * c, ho * wo], DType.Int64) : null;
        var pool = new MaxPoolKernel(input.Contiguous(), win, ho, wo, pooled, indices);
        DTypeDispatch.Floating(input.DType, ref pool);
        if (!record) return pooled;
        return Graph.Record("MaxPool2DWithIndicesBackward0", pooled, [input], [indices], input.Shape, static (ctx, g, shape) =>
        {
            int planes = shape[0] * shape[1];
            if (GradMode.IsEnabled)   // createGraph: a differentiable scatter
                return [g.Reshape(planes, g.Shape[2] * g.Shape[3]).ScatterAddInto(1, ctx.Saved(0), [planes, shape[2] * shape[3]]).Reshape(shape)];
            var dx = Tensor.Zeros(shape, g.DType);
            var scatter = new MaxPoolBackwardKernel(g.Contiguous(), ctx.Saved(0), dx);
            DTypeDispatch.Floating(g.DType, ref scatter);
            return [dx];
        });
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
        var div = Tensor.FromArray(divisor, [ho * wo]).To(input.DType);
        Tensor y;
        using (new NoGrad()) y = (input.Reshape(n * c, 1, h, w).Unfold2d(win).Sum(1) / div).Reshape(n, c, ho, wo);   // window sums / divisors
        // dx: each window's g / divisor spread over the window's k×k positions and folded back (overlaps add).
        return Graph.Record("AvgPool2DBackward0", y, [input], [div], (win, input.Shape), static (ctx, g, s) =>
        {
            int planes = s.Shape[0] * s.Shape[1], l = g.Shape[2] * g.Shape[3];
            var spread = (g.Reshape(planes, 1, l) / ctx.Saved(0)).Expand(planes, s.win.KH * s.win.KW, l);
            return [spread.Fold2d(s.Shape[2], s.Shape[3], s.win).Reshape(s.Shape)];
        });
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
        using (new NoGrad())
        {
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
        }
        // The windows are products of a row and a column interval, so y = A_h·x·A_wᵀ per plane and dx = A_hᵀ·g·A_w.
        return Graph.Record("AdaptiveAvgPool2DBackward0", y, [input], [], (h, w, oh, ow), static (ctx, g, s) =>
            [AdaptiveWeights(s.h, s.oh, g.DType).T().MatMul(g).MatMul(AdaptiveWeights(s.w, s.ow, g.DType))]);
    }

    /// <summary>A [outSize, size] matrix whose row i averages adaptive window i: 1/(end − start) on ⌊i·size/out⌋ ≤ j &lt; ⌈(i+1)·size/out⌉.</summary>
    private static Tensor AdaptiveWeights(int size, int outSize, DType dtype)
    {
        var a = new double[outSize * size];
        for (int i = 0; i < outSize; i++)
        {
            int start = i * size / outSize, end = ((i + 1) * size + outSize - 1) / outSize;
            for (int j = start; j < end; j++) a[i * size + j] = 1.0 / (end - start);
        }
        return Tensor.FromArray(a, [outSize, size]).To(dtype);
    }
}
