using Framework.Autograd;
using Framework.NN;

namespace Tests.Special;

/// <summary>The vectorised Float32 erf against double erf, and the one-pass GELU kernels against GELU's composite formulas.</summary>
public class FusedGeluAndErfTests
{
    /// <summary>One float in every 97 bit patterns of [0, 5], signed both ways.</summary>
    private static float[] Sweep()
    {
        var list = new List<float>();
        for (uint b = 0; b < BitConverter.SingleToUInt32Bits(5f); b += 97)
        {
            float v = BitConverter.UInt32BitsToSingle(b);
            list.Add(v); list.Add(-v);
        }
        return [.. list];
    }

    private static double UlpError(float got, double want)
    {
        float w = (float)want;
        double ulp = Math.Max(Math.Abs((double)MathF.BitIncrement(Math.Abs(w)) - Math.Abs(w)), float.Epsilon);
        return Math.Abs(got - want) / ulp;
    }

    [Fact]
    public void Float32ErfIsWithinOneAndAHalfUlpOverItsWholeRange()
    {
        var x = Sweep();
        var y = Tensor.FromArray(x, [x.Length]).Erf().ToArray<float>();
        var exact = Tensor.FromArray(x.Select(v => (double)v).ToArray(), [x.Length]).Erf().ToArray<double>();
        double worst = 0;
        for (int i = 0; i < x.Length; i++) worst = Math.Max(worst, UlpError(y[i], exact[i]));
        Assert.InRange(worst, 0, 1.5);
    }

    [Fact]
    public void Float32ErfKeepsTheEdgesAndTheSignOfZero()
    {
        var y = Tensor.FromArray(new[] { float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 0f, 1e-30f, -1e-30f, 4.5f, -4.5f }, [9]).Erf().ToArray<float>();
        Assert.True(float.IsNaN(y[0]));
        Assert.Equal([1f, -1f], y[1..3]);
        Assert.True(float.IsNegative(y[3]) && y[3] == 0);
        Assert.True(float.IsPositive(y[4]) && y[4] == 0);
        Assert.Equal(1.1283791e-30f, y[5]);   // erf x ≈ 2x/√π, exact in relative terms near 0
        Assert.Equal(-1.1283791e-30f, y[6]);
        Assert.Equal([1f, -1f], y[7..9]);
    }

    [Fact]
    public void SpanMathErfScalesItsInputAndRefusesAShortOutput()
    {
        float[] x = [0.3f, -1.2f, 2f];
        var d = new float[3];
        SpanMath.Erf<float>(x, d, 0.5f);
        Assert.Equal(Tensor.FromArray(x, [3]).Mul(0.5).Erf().ToArray<float>(), d);
        var e = Assert.Throws<ArgumentException>(() => SpanMath.Erf<double>(new double[3], new double[2], 1.0));
        Assert.Equal("SpanMath.Erf: the output has 2 elements, the input 3", e.Message);
    }

    [Fact]
    public void SpanMathExpIsWithinOneAndAHalfUlpAndKeepsTheEdges()
    {
        var x = new List<float>();
        for (float v = -103.9f; v <= 88.72f; v += 0.00137f) x.Add(v);
        float[] xs = [.. x];
        var d = new float[xs.Length];
        SpanMath.Exp<float>(xs, d);
        double worst = 0;
        for (int i = 0; i < xs.Length; i++) worst = Math.Max(worst, UlpError(d[i], Math.Exp(xs[i])));
        Assert.InRange(worst, 0, 1.5);
        float[] edges = [float.NaN, float.NegativeInfinity, -105f, -0f, 0f, 89f, float.PositiveInfinity, 1f, -1f];
        var e = new float[edges.Length];
        SpanMath.Exp<float>(edges, e);
        Assert.True(float.IsNaN(e[0]));
        Assert.Equal([0f, 0f, 1f, 1f, float.PositiveInfinity, float.PositiveInfinity, MathF.E, 1 / MathF.E], e[1..]);
        var m = Assert.Throws<ArgumentException>(() => SpanMath.Exp<float>(new float[2], new float[3]));
        Assert.Equal("SpanMath.Exp: the output has 3 elements, the input 2", m.Message);
    }

    // The composite formulas the fused kernels replace, in Float64.
    private static Tensor Composite(Tensor x) => x * 0.5 * (1.0 + (x * 0.70710678118654752440).Erf());
    private static Tensor CompositeGrad(Tensor x, Tensor g)
        => g * (0.5 * (1.0 + (x * 0.70710678118654752440).Erf()) + x * 0.39894228040143267794 * (-0.5 * x * x).Exp());

    [Theory]
    [InlineData(7)]        // one block, one core
    [InlineData(70001)]    // many blocks over the cores, a ragged last block
    public void FusedGeluMatchesItsCompositeFormulasInFloat64(int n)
    {
        Tensor.ManualSeed(3);
        var x = (Tensor.Randn([n], dtype: DType.Float64) * 3).RequiresGrad_();
        var g = Tensor.Randn([n], dtype: DType.Float64);
        var y = Functional.Gelu(x);
        y.Backward(g);
        using var _ = new NoGrad();
        AssertClose(Composite(x).ToArray<double>(), y.ToArray<double>(), 1e-15);
        AssertClose(CompositeGrad(x, g).ToArray<double>(), x.Grad!.ToArray<double>(), 1e-15);
    }

    [Fact]
    public void FusedGeluInFloat32IsWithinAFewUlpOfFloat64OnAStridedInput()
    {
        Tensor.ManualSeed(4);
        var x64 = Tensor.Randn([300, 301], dtype: DType.Float64) * 3;
        var g64 = Tensor.Randn([301, 300], dtype: DType.Float64);
        var x = x64.To(DType.Float32).RequiresGrad_();
        var g = g64.To(DType.Float32);
        var y = Functional.Gelu(x.T());            // transposed: the kernel reads a contiguous copy
        y.Backward(g);
        using var _ = new NoGrad();
        var xf = x.To(DType.Float64).T();
        var want = Composite(xf).ToArray<double>();
        var wantGrad = CompositeGrad(xf, g.To(DType.Float64)).T().ToArray<double>();
        var got = y.ToArray<float>(); var gotGrad = x.Grad!.ToArray<float>(); var xs = xf.Contiguous().ToArray<double>(); var gs = g.T().Contiguous().ToArray<float>();   // in x's layout, as its gradient
        // 1 + erf cancels for x ≪ 0 in the formula itself (as in PyTorch): an ulp of 1 times |x| is the floor there.
        for (int i = 0; i < want.Length; i++)
        {
            Assert.True(Math.Abs(got[i] - want[i]) <= 4e-7 * Math.Abs(want[i]) + 1.2e-7 * Math.Abs(xs[i]), $"gelu at {i}: {got[i]:R} vs {want[i]:R}");
            Assert.True(Math.Abs(gotGrad[i] - wantGrad[i]) <= 1e-6 * Math.Abs(wantGrad[i]) + 2e-7 * Math.Abs(gs[i]), $"gelu' at {i}: {gotGrad[i]:R} vs {wantGrad[i]:R}");
        }
    }

    private static void AssertClose(double[] want, double[] got, double rtol)
    {
        Assert.Equal(want.Length, got.Length);
        for (int i = 0; i < want.Length; i++)
            Assert.True(Math.Abs(got[i] - want[i]) <= rtol * Math.Abs(want[i]) + 1e-300, $"at {i}: {got[i]:R} vs {want[i]:R}");
    }
}
