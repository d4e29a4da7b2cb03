using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Elementwise families beyond Activation.cs: rounding, exponentials and logarithms, trigonometric and hyperbolic functions,
// atan2, minimum/maximum. Rules are PyTorch's (derivatives.yaml), using the forward's result where that saves memory.
public partial class Tensor
{
    // ---- rounding: zero gradient (frac: one); integers come back as a copy, as torch does ----

    /// <summary>⌊x⌋ (integers unchanged, as a copy); zero gradient.</summary>
    public Tensor Floor() => Rounding<FloorOp>("FloorBackward0", "floor_vml_cpu");

    /// <summary>⌈x⌉ (integers unchanged, as a copy); zero gradient.</summary>
    public Tensor Ceil() => Rounding<CeilOp>("CeilBackward0", "ceil_vml_cpu");

    /// <summary>x rounded to the nearest integer, halves to even (integers unchanged, as a copy); zero gradient.</summary>
    public Tensor Round() => Rounding<RoundOp>("RoundBackward0", "round_vml_cpu");

    /// <summary>x rounded, halves to even, to <paramref name="decimals"/> decimal digits (negative: to tens, hundreds...); zero gradient.</summary>
    public Tensor Round(int decimals)
    {
        if (!DType.IsFloatingPoint()) throw NotImplementedFor("round_cpu", DType);
        var y = Dispatch.BinaryScalarFloat<RoundDecimalsOp>(this, decimals, DType);
        return Graph.Record("RoundBackward1", y, [this], static (ctx, g) => [ZerosLike(g)]);
    }

    /// <summary>x rounded toward zero (integers unchanged, as a copy); zero gradient.</summary>
    public Tensor Trunc() => Rounding<TruncOp>("TruncBackward0", "trunc_vml_cpu");

    /// <summary>x − trunc(x), the fractional part with x's sign (floating dtypes only); dy/dx = 1.</summary>
    public Tensor Frac()
    {
        if (!DType.IsFloatingPoint()) throw NotImplementedFor("frac_cpu", DType);
        var y = Dispatch.UnaryFloat<FracOp>(this);
        return Graph.Record("FracBackward0", y, [this], static (ctx, g) => [g]);
    }

    private Tensor Rounding<F>(string gradFn, string kernel) where F : IFloatUnaryFamily
    {
        if (DType == DType.Bool) throw NotImplementedFor(kernel, DType);
        if (DType == DType.Int64) return Dispatch.CopyStrided(this, strides, new Tensor(shape, DType, clear: false));
        var y = Dispatch.UnaryFloat<F>(this);
        return Graph.Record(gradFn, y, [this], static (ctx, g) => [ZerosLike(g)]);
    }

    /// <summary>PyTorch's error for a kernel that has no loop for the dtype: "frac_cpu" not implemented for 'Long'.</summary>
    private static ArgumentException NotImplementedFor(string kernel, DType dtype) => new($"\"{kernel}\" not implemented for '{dtype.ScalarTypeName()}'");

    // ---- exponentials, logarithms, roots (integers promote to Float32) ----

    /// <summary>1/√x; dy/dx = −y³/2.</summary>
    public Tensor Rsqrt()
    {
        var y = Dispatch.UnaryFloat<RsqrtOp>(this);
        return Graph.Record("RsqrtBackward0", y, [this], [y], static (ctx, g) => [-0.5 * g * ctx.Saved(0).Pow(3)]);
    }

    /// <summary>ln(1 + x), accurate for small x; dy/dx = 1/(x + 1).</summary>
    public Tensor Log1p()
    {
        var y = Dispatch.UnaryFloat<Log1pOp>(this);
        return Graph.Record("Log1PBackward0", y, [this], [this], static (ctx, g) => [g / (ctx.Saved(0) + 1.0)]);
    }

    /// <summary>e^x − 1, accurate for small x; dy/dx = y + 1.</summary>
    public Tensor Expm1()
    {
        var y = Dispatch.UnaryFloat<Expm1Op>(this);
        return Graph.Record("Expm1Backward0", y, [this], [y], static (ctx, g) => [g * (ctx.Saved(0) + 1.0)]);
    }

    /// <summary>log₂ x; dy/dx = 1/(x ln 2).</summary>
    public Tensor Log2()
    {
        var y = Dispatch.UnaryFloat<Log2Op>(this);
        return Graph.Record("Log2Backward0", y, [this], [this], static (ctx, g) => [g / (ctx.Saved(0) * 0.6931471805599453)]);
    }

    /// <summary>log₁₀ x; dy/dx = 1/(x ln 10).</summary>
    public Tensor Log10()
    {
        var y = Dispatch.UnaryFloat<Log10Op>(this);
        return Graph.Record("Log10Backward0", y, [this], [this], static (ctx, g) => [g / (ctx.Saved(0) * 2.302585092994046)]);
    }

    // ---- trigonometric and hyperbolic (integers promote to Float32) ----

    /// <summary>tan x; dy/dx = 1 + y².</summary>
    public Tensor Tan()
    {
        var y = Dispatch.UnaryFloat<TanOp>(this);
        return Graph.Record("TanBackward0", y, [this], [y], static (ctx, g) => [g * (1.0 + ctx.Saved(0).Pow(2))]);
    }

    /// <summary>arcsin x; dy/dx = 1/√(1 − x²).</summary>
    public Tensor Asin()
    {
        var y = Dispatch.UnaryFloat<AsinOp>(this);
        return Graph.Record("AsinBackward0", y, [this], [this], static (ctx, g) => [g * (1.0 - ctx.Saved(0) * ctx.Saved(0)).Rsqrt()]);
    }

    /// <summary>arccos x; dy/dx = −1/√(1 − x²).</summary>
    public Tensor Acos()
    {
        var y = Dispatch.UnaryFloat<AcosOp>(this);
        return Graph.Record("AcosBackward0", y, [this], [this], static (ctx, g) => [g * -(1.0 - ctx.Saved(0) * ctx.Saved(0)).Rsqrt()]);
    }

    /// <summary>arctan x; dy/dx = 1/(1 + x²).</summary>
    public Tensor Atan()
    {
        var y = Dispatch.UnaryFloat<AtanOp>(this);
        return Graph.Record("AtanBackward0", y, [this], [this], static (ctx, g) => [g / (ctx.Saved(0) * ctx.Saved(0) + 1.0)]);
    }

    /// <summary>sinh x; dy/dx = cosh x.</summary>
    public Tensor Sinh()
    {
        var y = Dispatch.UnaryFloat<SinhOp>(this);
        return Graph.Record("SinhBackward0", y, [this], [this], static (ctx, g) => [g * ctx.Saved(0).Cosh()]);
    }

    /// <summary>cosh x; dy/dx = sinh x.</summary>
    public Tensor Cosh()
    {
        var y = Dispatch.UnaryFloat<CoshOp>(this);
        return Graph.Record("CoshBackward0", y, [this], [this], static (ctx, g) => [g * ctx.Saved(0).Sinh()]);
    }

    /// <summary>arsinh x; dy/dx = 1/√(x² + 1).</summary>
    public Tensor Asinh()
    {
        var y = Dispatch.UnaryFloat<AsinhOp>(this);
        return Graph.Record("AsinhBackward0", y, [this], [this], static (ctx, g) => [g * (ctx.Saved(0).Pow(2) + 1.0).Rsqrt()]);
    }

    /// <summary>arcosh x; dy/dx = 1/√(x² − 1).</summary>
    public Tensor Acosh()
    {
        var y = Dispatch.UnaryFloat<AcoshOp>(this);
        return Graph.Record("AcoshBackward0", y, [this], [this], static (ctx, g) => [g * (ctx.Saved(0).Pow(2) - 1.0).Rsqrt()]);
    }

    /// <summary>artanh x; dy/dx = 1/(1 − x²).</summary>
    public Tensor Atanh()
    {
        var y = Dispatch.UnaryFloat<AtanhOp>(this);
        return Graph.Record("AtanhBackward0", y, [this], [this], static (ctx, g) => [g * (1.0 / (1.0 - ctx.Saved(0).Pow(2)))]);
    }

    /// <summary>atan2(this, other), the angle of the point (other, this), broadcasting; ∂/∂a = b/(a² + b²), ∂/∂b = −a/(a² + b²).</summary>
    public Tensor Atan2(Tensor other)
    {
        var a = this;
        var dtype = Dispatch.ResultType(a, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        var y = Dispatch.BinaryFloat<Atan2Op>(a, other, dtype);
        if (!Graph.ShouldRecord(a, other)) return y;
        return Graph.Record("Atan2Backward0", y, [a, other], [a, other], static (ctx, g) =>
        {
            Tensor a = ctx.Saved(0), b = ctx.Saved(1);
            var scale = g * (a * a + b * b).Reciprocal();
            return [ctx.NeedsInputGrad(0) ? scale * b : null, ctx.NeedsInputGrad(1) ? scale * -a : null];
        });
    }

    // ---- minimum / maximum ----

    /// <summary>max(this, other) elementwise, broadcasting, NaN when either is NaN; on ties each input gets half the gradient.</summary>
    public Tensor Maximum(Tensor other) => Extremum<MaximumOp>(other, "MaximumBackward0", max: true);

    /// <summary>min(this, other) elementwise, broadcasting, NaN when either is NaN; on ties each input gets half the gradient.</summary>
    public Tensor Minimum(Tensor other) => Extremum<MinimumOp>(other, "MinimumBackward0", max: false);

    private Tensor Extremum<F>(Tensor other, string gradFn, bool max) where F : IBinaryFamily
    {
        ArgumentNullException.ThrowIfNull(other);
        var a = this;
        var dtype = Dispatch.ResultType(a, other);
        var y = dtype == DType.Bool   // logical or / and, computed on 0/1
            ? Dispatch.Raw(Dispatch.Binary<F>(a, other, DType.Int64), DType.Bool)
            : Dispatch.Binary<F>(a, other, dtype);
        if (!Graph.ShouldRecord(a, other)) return y;
        return Graph.Record(gradFn, y, [a, other], [a, other], max, static (ctx, g, max) =>
        {
            Tensor a = ctx.Saved(0), b = ctx.Saved(1);
            var shared = Where(a.Eq(b), g * 0.5, g);
            // The loser gets nothing: b wins a maximum where a < b, a minimum where a > b. NaN ties nowhere: both get all of g.
            var aLoses = max ? a.Lt(b) : a.Gt(b);
            var bLoses = max ? a.Gt(b) : a.Lt(b);
            return [ctx.NeedsInputGrad(0) ? Where(aLoses, ZerosLike(shared), shared) : null,
                    ctx.NeedsInputGrad(1) ? Where(bLoses, ZerosLike(shared), shared) : null];
        });
    }

    /// <summary>⌊x⌋.</summary>
    public static Tensor Floor(Tensor x) => x.Floor();
    /// <summary>⌈x⌉.</summary>
    public static Tensor Ceil(Tensor x) => x.Ceil();
    /// <summary>x rounded, halves to even.</summary>
    public static Tensor Round(Tensor x) => x.Round();
    /// <summary>x rounded, halves to even, to <paramref name="decimals"/> decimal digits.</summary>
    public static Tensor Round(Tensor x, int decimals) => x.Round(decimals);
    /// <summary>x rounded toward zero.</summary>
    public static Tensor Trunc(Tensor x) => x.Trunc();
    /// <summary>x − trunc(x).</summary>
    public static Tensor Frac(Tensor x) => x.Frac();
    /// <summary>1/√x.</summary>
    public static Tensor Rsqrt(Tensor x) => x.Rsqrt();
    /// <summary>ln(1 + x).</summary>
    public static Tensor Log1p(Tensor x) => x.Log1p();
    /// <summary>e^x − 1.</summary>
    public static Tensor Expm1(Tensor x) => x.Expm1();
    /// <summary>log₂ x.</summary>
    public static Tensor Log2(Tensor x) => x.Log2();
    /// <summary>log₁₀ x.</summary>
    public static Tensor Log10(Tensor x) => x.Log10();
    /// <summary>tan x.</summary>
    public static Tensor Tan(Tensor x) => x.Tan();
    /// <summary>arcsin x.</summary>
    public static Tensor Asin(Tensor x) => x.Asin();
    /// <summary>arccos x.</summary>
    public static Tensor Acos(Tensor x) => x.Acos();
    /// <summary>arctan x.</summary>
    public static Tensor Atan(Tensor x) => x.Atan();
    /// <summary>sinh x.</summary>
    public static Tensor Sinh(Tensor x) => x.Sinh();
    /// <summary>cosh x.</summary>
    public static Tensor Cosh(Tensor x) => x.Cosh();
    /// <summary>arsinh x.</summary>
    public static Tensor Asinh(Tensor x) => x.Asinh();
    /// <summary>arcosh x.</summary>
    public static Tensor Acosh(Tensor x) => x.Acosh();
    /// <summary>artanh x.</summary>
    public static Tensor Atanh(Tensor x) => x.Atanh();
    /// <summary>atan2(a, b), the angle of the point (b, a).</summary>
    public static Tensor Atan2(Tensor a, Tensor b) => a.Atan2(b);
    /// <summary>max(a, b) elementwise.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => a.Maximum(b);
    /// <summary>min(a, b) elementwise.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => a.Minimum(b);
}
