using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>The vectorised Float32 layer norm kernels against the same computation in Float64.</summary>
public class LayerNormFloat32Tests
{
    [Theory]
    [InlineData(64, true)]    // whole vectors
    [InlineData(13, true)]    // a vector and a scalar tail
    [InlineData(5, false)]    // the tail only, no affine parameters
    [InlineData(40, false)]
    public void Float32ForwardAndBackwardAgreeWithFloat64(int m, bool affine)
    {
        Tensor.ManualSeed(11);
        var x64 = Tensor.Randn([6, 7, m], dtype: DType.Float64) * 2 + 0.5;
        var w64 = Tensor.Randn([m], dtype: DType.Float64);
        var b64 = Tensor.Randn([m], dtype: DType.Float64);
        var g64 = Tensor.Randn([6, 7, m], dtype: DType.Float64);
        (Tensor y, Tensor? dx, Tensor? dw, Tensor? db) Run(DType dtype)
        {
            var x = x64.To(dtype).RequiresGrad_();
            var w = affine ? w64.To(dtype).RequiresGrad_() : null;
            var b = affine ? b64.To(dtype).RequiresGrad_() : null;
            var y = Functional.LayerNorm(x, [m], w, b, 1e-5);
            y.Backward(g64.To(dtype));
            return (y, x.Grad, w?.Grad, b?.Grad);
        }
        var single = Run(DType.Float32);
        var dbl = Run(DType.Float64);
        Close(dbl.y, single.y, 2e-6);
        Close(dbl.dx!, single.dx!, 2e-5);
        if (!affine) return;
        Close(dbl.dw!, single.dw!, 2e-5);
        Close(dbl.db!, single.db!, 2e-5);
    }

    private static void Close(Tensor want, Tensor got, double tol)
    {
        Assert.Equal(DType.Float32, got.DType);
        var a = want.ToArray<double>(); var b = got.To(DType.Float64).ToArray<double>();
        double scale = a.Max(Math.Abs);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(a[i] - b[i]) <= tol * scale, $"at {i}: {b[i]:R} vs {a[i]:R}");
    }
}
