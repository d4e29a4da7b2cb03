using Framework.Autograd;

namespace Framework.NN;

/// <summary>Mean over kH×kW windows (stride defaults to the kernel; zero padding; ceil mode; padding counted in the divisor unless told not to).</summary>
public class AvgPool2d : Module
{
    private readonly (int H, int W) kernel, padding;
    private readonly (int H, int W)? stride;
    private readonly bool ceilMode, countIncludePad;
    private readonly int? divisorOverride;
    private readonly string repr;

    /// <summary>Square windows of kernelSize.</summary>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
        : this((kernelSize, kernelSize), stride is { } s ? (s, s) : null, (padding, padding), ceilMode, countIncludePad, divisorOverride)
        => repr = $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding={padding}";

    /// <summary>Windows of kernelSize (height, width); stride and padding per axis.</summary>
    public AvgPool2d((int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null, bool ceilMode = false,
                     bool countIncludePad = true, int? divisorOverride = null)
    {
        (kernel, this.stride, this.padding) = (kernelSize, stride, padding ?? (0, 0));
        (this.ceilMode, this.countIncludePad, this.divisorOverride) = (ceilMode, countIncludePad, divisorOverride);
        repr = $"kernel_size={T(kernelSize)}, stride={T(stride ?? kernelSize)}, padding={T(this.padding)}";
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, kernel, stride, padding, ceilMode, countIncludePad, divisorOverride);

    /// <inheritdoc/>
    protected override string ExtraRepr() => repr;

    private static string T((int H, int W) v) => $"({v.H}, {v.W})";
}

/// <summary>Mean over an output-size grid of windows that cover the whole image, whatever its size (global average pooling at (1, 1)).</summary>
public class AdaptiveAvgPool2d : Module
{
    private readonly (int H, int W) outputSize;
    private readonly string repr;

    /// <summary>A square outputSize×outputSize grid.</summary>
    public AdaptiveAvgPool2d(int outputSize) : this((outputSize, outputSize)) => repr = $"output_size={outputSize}";

    /// <summary>An outputSize (height, width) grid.</summary>
    public AdaptiveAvgPool2d((int H, int W) outputSize)
    {
        this.outputSize = outputSize;
        repr = $"output_size=({outputSize.H}, {outputSize.W})";
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.AdaptiveAvgPool2d(input, outputSize);

    /// <inheritdoc/>
    protected override string ExtraRepr() => repr;
}
