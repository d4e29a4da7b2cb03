using Framework.Autograd;

namespace Framework.NN;

/// <summary>2-d convolution over [N, C, H, W] (kernel, stride, padding and dilation per axis; grouped channels), PyTorch's default initialisation.</summary>
public class Conv2d : Module
{
    private Parameter _weight;
    private Parameter? _bias;

    /// <summary>Kernels, [outCh, inCh/groups, kH, kW] (key "weight").</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }
    /// <summary>Bias, [outCh], or null (key "bias").</summary>
    public Parameter? Bias { get => _bias; set => _bias = value; }

    /// <summary>A convolution from inCh to outCh channels with a square kernel.</summary>
    public Conv2d(int inCh, int outCh, int kernelSize, int stride = 1, int padding = 0, bool bias = true, DType dtype = DType.Float32, int dilation = 1, int groups = 1)
        : this(inCh, outCh, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, dtype) { }

    /// <summary>A convolution from inCh to outCh channels with kernel, stride, padding and dilation as (height, width).</summary>
    public Conv2d(int inCh, int outCh, (int H, int W) kernelSize, (int H, int W)? stride = null, (int H, int W)? padding = null,
                  (int H, int W)? dilation = null, int groups = 1, bool bias = true, DType dtype = DType.Float32)
    {
        if (groups <= 0) throw new ArgumentException("groups must be a positive integer");
        if (inCh % groups != 0) throw new ArgumentException("in_channels must be divisible by groups");
        if (outCh % groups != 0) throw new ArgumentException("out_channels must be divisible by groups");
        (InChannels, OutChannels, KernelSize, Groups) = (inCh, outCh, kernelSize, groups);
        (Stride, Padding, Dilation) = (stride ?? (1, 1), padding ?? (0, 0), dilation ?? (1, 1));
        _weight = new Parameter(Tensor.Zeros([outCh, inCh / groups, kernelSize.H, kernelSize.W], dtype));
        _bias = bias ? new Parameter(Tensor.Zeros([outCh], dtype)) : null;
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            double bound = 1 / Math.Sqrt(inCh / groups * kernelSize.H * kernelSize.W);
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel height and width.</summary>
    public (int H, int W) KernelSize { get; }
    /// <summary>Step between windows, down and across.</summary>
    public (int H, int W) Stride { get; }
    /// <summary>Zero padding on each side, top/bottom and left/right.</summary>
    public (int H, int W) Padding { get; }
    /// <summary>Spacing between kernel taps, down and across.</summary>
    public (int H, int W) Dilation { get; }
    /// <summary>Number of channel groups convolved separately.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{InChannels}, {OutChannels}, kernel_size={T(KernelSize)}, stride={T(Stride)}" +
                                             (Padding != (0, 0) ? $", padding={T(Padding)}" : "") +
                                             (Dilation != (1, 1) ? $", dilation={T(Dilation)}" : "") +
                                             (Groups != 1 ? $", groups={Groups}" : "") +
                                             (Bias is null ? ", bias=False" : "");

    private static string T((int H, int W) v) => $"({v.H}, {v.W})";
}
