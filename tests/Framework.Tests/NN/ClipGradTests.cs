using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>Utils.ClipGradNorm_ / ClipGradValue_ against torch.nn.utils (PyTorch 1.13, Float64, gradients [3]*6 and b's below).</summary>
public class ClipGradTests
{
    private static readonly double[] BGrad = [0.8066936952585986, 1.6760526659953197, -1.4385151569387185, -0.8066870498643491];

    private static (Tensor A, Tensor B) Params()
    {
        var a = Tensor.Zeros([3, 2], DType.Float64, requiresGrad: true);
        var b = Tensor.Zeros([4], DType.Float64, requiresGrad: true);
        (a.Sum() * 3 + (b * Tensor.From(BGrad)).Sum()).Backward();      // a.grad = 3, b.grad = BGrad
        return (a, b);
    }

    [Theory]
    [InlineData(2.0, 7.757575465976548, 0.5800780720288428, 0.15598177448781023)]
    [InlineData(1.0, 22.727948568056988, 0.19799410353869001, 0.05324019834101314)]
    [InlineData(double.PositiveInfinity, 3.0, 1.4999995000001667, 0.4033467131803949)]
    [InlineData(3.0, 5.547629869615985, 0.8111570697045127, 0.21811843133169)]
    public void ClipGradNormScalesByPyTorchsCoefficientAndReturnsTheTotalNorm(double normType, double total, double a0, double b0)
    {
        var (a, b) = Params();
        var norm = Utils.ClipGradNorm_([a, b], 1.5, normType);
        Assert.Equal(total, norm.Item<double>(), 1e-12);
        Assert.All(a.Grad!.ToArray<double>(), v => Assert.Equal(a0, v, 1e-12));
        Assert.Equal(b0, b.Grad!.ToArray<double>()[0], 1e-12);
    }

    [Fact]
    public void ClipGradValueClampsAndSmallGradientsAreLeftAlone()
    {
        var (a, b) = Params();
        Utils.ClipGradValue_([a, b], 0.5);
        Assert.All(a.Grad!.ToArray<double>(), v => Assert.Equal(0.5, v));
        Assert.Equal([0.5, 0.5, -0.5, -0.5], b.Grad!.ToArray<double>());
        var (c, d) = Params();
        Assert.Equal(7.757575465976548, Utils.ClipGradNorm_([c, d], 100).Item<double>(), 1e-12);   // under the limit: unchanged
        Assert.All(c.Grad!.ToArray<double>(), v => Assert.Equal(3.0, v));
        Assert.Equal(0f, Utils.ClipGradNorm_([Tensor.Zeros(2)], 1).Item());                          // no gradients: 0
        Assert.Contains("normType must be positive", Assert.Throws<ArgumentException>(() => Utils.ClipGradNorm_([c], 1, 0)).Message);
    }
}
