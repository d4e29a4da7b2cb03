using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Special functions (torch.special): the error function family and the gamma family, forward through MathNet.Numerics
// (Kernels/Special.cs), integers and Bool promoting to Float32. Rules are PyTorch's (derivatives.yaml), written with tensor
// ops so they differentiate again: ψ's rule is ψ⁽¹⁾, whose rule is ψ⁽²⁾, and so on.
public partial class Tensor
{
    /// <summary>2/√π·∫₀ˣ e^(−t²) dt; dy/dx = 2/√π·e^(−x²).</summary>
    public Tensor Erf()
    {
        var y = Dispatch.UnaryFloat<ErfOp>(this);
        return Graph.Record("ErfBackward0", y, [this], [this], static (ctx, g) => [g * (2 / Math.Sqrt(Math.PI)) * (-ctx.Saved(0).Pow(2)).Exp()]);
    }

    /// <summary>1 − erf x, without cancellation for large x; dy/dx = −2/√π·e^(−x²).</summary>
    public Tensor Erfc()
    {
        var y = Dispatch.UnaryFloat<ErfcOp>(this);
        return Graph.Record("ErfcBackward0", y, [this], [this], static (ctx, g) => [g * (-2 / Math.Sqrt(Math.PI)) * (-ctx.Saved(0).Pow(2)).Exp()]);
    }

    /// <summary>erf⁻¹ x (±∞ at ±1, NaN outside [−1, 1]); dy/dx = √π/2·e^(y²).</summary>
    public Tensor Erfinv()
    {
        var y = Dispatch.UnaryFloat<ErfinvOp>(this);
        return Graph.Record("ErfinvBackward0", y, [this], [y], static (ctx, g) => [g * (Math.Sqrt(Math.PI) / 2) * ctx.Saved(0).Pow(2).Exp()]);
    }

    /// <summary>ln|Γ(x)| (+∞ at 0 and the negative integers); dy/dx = ψ(x).</summary>
    public Tensor Lgamma()
    {
        var y = Dispatch.UnaryFloat<LgammaOp>(this);
        return Graph.Record("LgammaBackward0", y, [this], [this], static (ctx, g) => [g * ctx.Saved(0).Digamma()]);
    }

    /// <summary>ψ(x) = d/dx ln Γ(x) (−∞ at 0, NaN at the negative integers); dy/dx = ψ⁽¹⁾(x).</summary>
    public Tensor Digamma()
    {
        var y = Dispatch.UnaryFloat<DigammaOp>(this);
        return Graph.Record("DigammaBackward0", y, [this], [this], static (ctx, g) => [g * ctx.Saved(0).Polygamma(1)]);
    }

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of ψ (n = 0: ψ, n = 1: trigamma); dy/dx = ψ⁽ⁿ⁺¹⁾(x).</summary>
    public Tensor Polygamma(int n)
    {
        if (n < 0) throw new ArgumentException("polygamma(n, x) does not support negative n.", nameof(n));
        var dtype = DType.IsFloatingPoint() ? DType : DType.Float32;
        var y = Dispatch.BinaryScalarFloat<PolygammaOp>(Dispatch.Raw(this, dtype), n, dtype);
        return Graph.Record("PolygammaBackward0", y, [this], [this], n, static (ctx, g, n) => [g * ctx.Saved(0).Polygamma(n + 1)]);
    }

    /// <summary>erf x.</summary>
    public static Tensor Erf(Tensor x) => x.Erf();
    /// <summary>1 − erf x.</summary>
    public static Tensor Erfc(Tensor x) => x.Erfc();
    /// <summary>erf⁻¹ x.</summary>
    public static Tensor Erfinv(Tensor x) => x.Erfinv();
    /// <summary>ln|Γ(x)|.</summary>
    public static Tensor Lgamma(Tensor x) => x.Lgamma();
    /// <summary>ψ(x) = d/dx ln Γ(x).</summary>
    public static Tensor Digamma(Tensor x) => x.Digamma();
    /// <summary>ψ⁽ⁿ⁾(x), as torch.polygamma(n, x).</summary>
    public static Tensor Polygamma(int n, Tensor x) => x.Polygamma(n);
}
