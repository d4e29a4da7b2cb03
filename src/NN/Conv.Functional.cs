using Framework.Autograd;

namespace Framework.NN;

// 2-d convolution and max pooling as im2col + GEMM (and im2col + max), with PyTorch's grad_fn names.
public static partial class Functional
{
    /// <summary>out[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c] over k×k windows with stride and zero padding; x is [N, C, H, W].</summary>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0)
    {
        if (input.Dim != 4) throw new ArgumentException($"conv2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        if (weight.Dim != 4 || weight.Shape[2] != weight.Shape[3])
            throw new ArgumentException($"conv2d: expected a square [out, in, k, k] weight, got shape [{string.Join(", ", weight.Shape)}]");
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int o = weight.Shape[0], k = weight.Shape[2];
        if (weight.Shape[1] != c)
            throw new ArgumentException($"conv2d: weight of shape [{string.Join(", ", weight.Shape)}] expects {weight.Shape[1]} input channels, but the input of shape [{string.Join(", ", input.Shape)}] has {c}");
        int ho = (h + 2 * padding - k) / stride + 1, wo = (w + 2 * padding - k) / stride + 1;
        var cols = input.Unfold2d(k, stride, padding);                       // [N, C·k·k, L]
        var y = weight.Reshape(o, c * k * k).MatMul(cols);                    // [N, O, L]
        if (bias is not null) y = y + bias.Reshape(1, o, 1);
        return Renamed("ConvolutionBackward0", y.Reshape(n, o, ho, wo));
    }

    /// <summary>The maximum of each k×k window (stride defaults to k); x is [N, C, H, W].</summary>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null)
    {
        if (input.Dim != 4) throw new ArgumentException($"max_pool2d: expected a 4-d [N, C, H, W] input, got shape [{string.Join(", ", input.Shape)}]");
        int s = stride ?? kernelSize;
        int n = input.Shape[0], c = input.Shape[1], h = input.Shape[2], w = input.Shape[3];
        int ho = (h - kernelSize) / s + 1, wo = (w - kernelSize) / s + 1;
        var cols = input.Reshape(n * c, 1, h, w).Unfold2d(kernelSize, s);    // [N·C, k·k, L]
        var pooled = cols.Max(1).Values;                                      // [N·C, L]
        return Renamed("MaxPool2DWithIndicesBackward0", pooled.Reshape(n, c, ho, wo));
    }
}
