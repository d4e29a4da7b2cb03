using Framework.Autograd;

namespace Framework.NN;

/// <summary>Max over kH×kW windows (stride defaults to the kernel; −∞ padding at most half the kernel; dilation).</summary>
public class MaxPool2d : Module
{
    private readonly (int H, int W) kernel, padding, dilation;
    private readonly (int H, int W)? stride;
    private readonly bool ceilMode;
    private readonly string repr;

    /// <summary>Square windows of kernelSize; ceilMode keeps a last partial window.</summary>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false)
    {
        (kernel, this.stride, this.padding, this.dilation) = ((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), (dilation, dilation));
        this.ceilMode = ceilMode;
        repr = $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}, dilation={dilation}, ceil_mode={(ceilMode ? "True" : "False")}";
    }

    /// <summary>Windows of kernelSize (height, width); stride, padding and dilation per axis; ceilMode keeps a last partial window.</summary>
    public MaxPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, (int H, int W)? dilation = null, bool ceilMode = false)
    {
        (kernel, this.stride, this.padding, this.dilation) = (kernelSize, stride, padding ?? (0, 0), dilation ?? (1, 1));
        this.ceilMode = ceilMode;
        repr = $"kernel_size={T(kernelSize)}, stride={T(stride ?? kernelSize)}, padding={T(this.padding)}, dilation={T(this.dilation)}, ceil_mode={(ceilMode ? "True" : "False")}";
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernel, stride, padding, dilation, ceilMode);

    /// <inheritdoc/>
    protected override string ExtraRepr() => repr;

    private static string T((int H, int W) v) => $"({v.H}, {v.W})";
}
