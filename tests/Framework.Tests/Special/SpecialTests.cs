using Framework.Autograd;
using Framework.NN;

namespace Tests.Special;

/// <summary>Edge values, dtypes and error messages of the special functions and GELU, as PyTorch 1.13 gives them.</summary>
public class SpecialTests
{
    private static double[] Values(Tensor t) => t.ToArray<double>();

    [Fact]
    public void ErfinvIsInfiniteAtOneAndNaNOutside()
    {
        var y = Tensor.From(new double[] { 1, -1, 1.5, -1.5, 0, -0.0 }).Erfinv();
        Assert.Equal([double.PositiveInfinity, double.NegativeInfinity, double.NaN, double.NaN, 0, 0], Values(y));
        Assert.True(double.IsNegative(Values(y)[5]));
    }

    [Fact]
    public void LgammaIsInfiniteAtTheNonPositiveIntegers()
    {
        var y = Tensor.From(new double[] { 0, -1, -2, -100, 1, 2 }).Lgamma();
        Assert.Equal([double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, double.PositiveInfinity, 0, 0], Values(y));
        Assert.Equal(Math.Log(Math.Sqrt(Math.PI)), Values(Tensor.From(new double[] { 0.5 }).Lgamma())[0], 1e-15);
    }

    [Fact]
    public void DigammaAtZeroAndTheNegativeIntegers()
    {
        var y = Tensor.From(new double[] { 0, -0.0, -1, -2, double.NegativeInfinity, double.PositiveInfinity }).Digamma();
        Assert.Equal([double.NegativeInfinity, double.PositiveInfinity, double.NaN, double.NaN, double.NaN, double.PositiveInfinity], Values(y));
        Assert.Equal(-0.57721566490153286, Values(Tensor.From(new double[] { 1 }).Digamma())[0], 1e-14);   // MathNet: 3e-15 relative here
    }

    [Fact]
    public void IntegersAndBoolPromoteToFloat32WithoutGrad()
    {
        var i = Tensor.FromArray(new long[] { 1, 2, 3 }, [3]);
        foreach (var y in new[] { i.Erf(), i.Erfc(), i.Erfinv(), i.Lgamma(), i.Digamma(), i.Polygamma(1) })
        {
            Assert.Equal(DType.Float32, y.DType);
            Assert.False(y.RequiresGrad);
        }
        Assert.Equal(DType.Float32, Tensor.FromArray(new[] { true, false }, [2]).Erf().DType);
        Assert.Equal(DType.Float64, Tensor.From(new double[] { 1 }).Lgamma().DType);
    }

    [Fact]
    public void GradFnNames()
    {
        var x = Tensor.From(new double[] { 0.3, 0.6 }).RequiresGrad_();
        Assert.Equal("ErfBackward0", x.Erf().GradFn!.Name);
        Assert.Equal("ErfcBackward0", x.Erfc().GradFn!.Name);
        Assert.Equal("ErfinvBackward0", x.Erfinv().GradFn!.Name);
        Assert.Equal("LgammaBackward0", x.Lgamma().GradFn!.Name);
        Assert.Equal("DigammaBackward0", x.Digamma().GradFn!.Name);
        Assert.Equal("PolygammaBackward0", x.Polygamma(2).GradFn!.Name);
        Assert.Equal("GeluBackward0", Functional.Gelu(x).GradFn!.Name);
        Assert.Equal("GeluBackward0", Functional.Gelu(x, "tanh").GradFn!.Name);
        var g = Autograd.Grad([Functional.Gelu(x).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal("GeluBackwardBackward0", g.GradFn!.Name);
    }

    [Fact]
    public void NegativePolygammaOrderIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.From(new double[] { 1 }).Polygamma(-1));
        Assert.StartsWith("polygamma(n, x) does not support negative n.", e.Message);
    }

    [Fact]
    public void GeluRefusesAnotherApproximation()
    {
        var x = Tensor.From(new double[] { 1 });
        var e = Assert.Throws<ArgumentException>(() => Functional.Gelu(x, "erf"));
        Assert.StartsWith("approximate argument must be either none or tanh.", e.Message);
        var module = new GELU("Tanh");   // as nn.GELU, the module is built and fails when called
        e = Assert.Throws<ArgumentException>(() => module.Call(x));
        Assert.StartsWith("approximate argument must be either none or tanh.", e.Message);
    }

    [Fact]
    public void GeluRefusesIntegers()
    {
        var e = Assert.Throws<ArgumentException>(() => Functional.Gelu(Tensor.FromArray(new long[] { 1, 2 }, [2])));
        Assert.Equal("\"GeluKernelImpl\" not implemented for 'Long'", e.Message);
        e = Assert.Throws<ArgumentException>(() => Functional.Gelu(Tensor.FromArray(new[] { true }, [1]), "tanh"));
        Assert.Equal("\"GeluKernelImpl\" not implemented for 'Bool'", e.Message);
    }

    [Fact]
    public void GeluPrintsAsPyTorch()
    {
        Assert.Equal("GELU(approximate='none')", new GELU().ToString());
        Assert.Equal("GELU(approximate='tanh')", new GELU("tanh").ToString());
    }

    [Fact]
    public void GeluKeepsFloat32()
    {
        var y = Functional.Gelu(Tensor.From(new float[] { -1, 0, 1 }));
        Assert.Equal(DType.Float32, y.DType);
        Assert.Equal(0.8413447, y.ToArray<float>()[2], 6);
    }
}
