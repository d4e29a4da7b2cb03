using Framework.Autograd;

namespace Framework.NN;

/// <summary>2-d convolution over [N, C, H, W] with a square kernel, PyTorch's default initialisation.</summary>
public class Conv2d : Module
{
    private Parameter _weight;
    private Parameter? _bias;

    /// <summary>Kernels, [outCh, inCh, k, k] (key "weight").</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }
    /// <summary>Bias, [outCh], or null (key "bias").</summary>
    public Parameter? Bias { get => _bias; set => _bias = value; }

    /// <summary>A convolution from inCh to outCh channels.</summary>
    public Conv2d(int inCh, int outCh, int kernelSize, int stride = 1, int padding = 0, bool bias = true, DType dtype = DType.Float32)
    {
        (InChannels, OutChannels, KernelSize, Stride, Padding) = (inCh, outCh, kernelSize, stride, padding);
        _weight = new Parameter(Tensor.Zeros([outCh, inCh, kernelSize, kernelSize], dtype));
        _bias = bias ? new Parameter(Tensor.Zeros([outCh], dtype)) : null;
        Init.KaimingUniform_(Weight, a: Math.Sqrt(5));
        if (Bias is not null)
        {
            double bound = 1 / Math.Sqrt(inCh * kernelSize * kernelSize);
            Init.Uniform_(Bias, -bound, bound);
        }
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }
    /// <summary>Output channels.</summary>
    public int OutChannels { get; }
    /// <summary>Kernel height and width.</summary>
    public int KernelSize { get; }
    /// <summary>Step between windows.</summary>
    public int Stride { get; }
    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{InChannels}, {OutChannels}, kernel_size=({KernelSize}, {KernelSize}), stride=({Stride}, {Stride})" +
                                             (Padding != 0 ? $", padding=({Padding}, {Padding})" : "");
}
