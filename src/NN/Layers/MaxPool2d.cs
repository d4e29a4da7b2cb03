using Framework.Autograd;

namespace Framework.NN;

/// <summary>Max over k×k windows (stride defaults to k).</summary>
public class MaxPool2d(int kernelSize, int? stride = null) : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, kernelSize, stride);

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"kernel_size={kernelSize}, stride={stride ?? kernelSize}, padding=0, dilation=1, ceil_mode=False";
}
