using Framework.Autograd;

namespace Framework.NN;

/// <summary>Max over kH×kW windows (stride defaults to the kernel; −∞ padding at most half the kernel; dilation).</summary>
public class MaxPool2d : Module
{
    private readonly (int H, int W) kernel, padding, dilation;
    private readonly (int H, int W)? stride;
    private readonly string repr;

    /// <summary>Square windows of kernelSize.</summary>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1)
    {
        (kernel, this.stride, this.padding, this.dilation) = ((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation));
        repr = $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}, dilation={dilation}, ceil_mode=False";
    }

    /// <summary>Windows of kernelSize (height, width); stride, padding and dilation per axis.</summary>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null)
    {
        (kernel, this.stride, this.padding, this.dilation) = (kernelSize, stride, padding ?? (0, 0), dilation ?? (1, 1));
        repr = $"kernel_size={T(kernelSize)}, stride={T(stride ?? kernelSize)}, padding={T(this.padding)}, dilation={T(this.dilation)}, ceil_mode=False";
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernel, stride, padding, dilation);

    /// <inheritdoc/>
    protected override string ExtraRepr() => repr;

    private static string T((int H, int W) v) => $"({v.H}, {v.W})";
}
