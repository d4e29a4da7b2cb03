using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Unary math and activations. Rules use the forward's result where that saves memory (exp, sqrt, tanh, sigmoid, relu).
public partial class Tensor
{
    /// <summary>e^x; dy/dx = y.</summary>
    public Tensor Exp()
    {
        var y = Dispatch.UnaryFloat<ExpOp>(this);
        return Graph.Record("ExpBackward0", y, [this], [y], static (ctx, g) => [g * ctx.Saved(0)]);
    }

    /// <summary>ln x; dy/dx = 1/x.</summary>
    public Tensor Log()
    {
        var x = this;
        var y = Dispatch.UnaryFloat<LogOp>(x);
        return Graph.Record("LogBackward0", y, [x], [x], static (ctx, g) => [g / ctx.Saved(0)]);
    }

    /// <summary>√x; dy/dx = 1/(2y).</summary>
    public Tensor Sqrt()
    {
        var y = Dispatch.UnaryFloat<SqrtOp>(this);
        return Graph.Record("SqrtBackward0", y, [this], [y], static (ctx, g) => [g / (2.0 * ctx.Saved(0))]);
    }

    /// <summary>|x|; dy/dx = sign(x).</summary>
    public Tensor Abs()
    {
        var x = this;
        var y = Dispatch.Unary<AbsOp>(x);
        return Graph.Record("AbsBackward0", y, [x], [x], static (ctx, g) => [g * ctx.Saved(0).Sign()]);
    }

    /// <summary>sign(x) ∈ {−1, 0, 1} (not differentiable: zero gradient).</summary>
    public Tensor Sign()
    {
        Tensor y;
        using (new NoGrad()) y = Gt(0.0).To(DType) - Lt(0.0).To(DType);
        return Graph.Record("SignBackward0", y, [this], static (ctx, g) => [ZerosLike(g)]);
    }

    /// <summary>sin x; dy/dx = cos x.</summary>
    public Tensor Sin()
    {
        var x = this;
        var y = Dispatch.UnaryFloat<SinOp>(x);
        return Graph.Record("SinBackward0", y, [x], [x], static (ctx, g) => [g * ctx.Saved(0).Cos()]);
    }

    /// <summary>cos x; dy/dx = −sin x.</summary>
    public Tensor Cos()
    {
        var x = this;
        var y = Dispatch.UnaryFloat<CosOp>(x);
        return Graph.Record("CosBackward0", y, [x], [x], static (ctx, g) => [-g * ctx.Saved(0).Sin()]);
    }

    /// <summary>tanh x; dy/dx = 1 − y².</summary>
    public Tensor Tanh()
    {
        var y = Dispatch.UnaryFloat<TanhOp>(this);
        return Graph.Record("TanhBackward0", y, [this], [y], static (ctx, g) => [g * (1.0 - ctx.Saved(0) * ctx.Saved(0))]);
    }

    /// <summary>1 / (1 + e^−x); dy/dx = y(1 − y).</summary>
    public Tensor Sigmoid()
    {
        var y = Dispatch.UnaryFloat<SigmoidOp>(this);
        return Graph.Record("SigmoidBackward0", y, [this], [y], static (ctx, g) => [g * ctx.Saved(0) * (1.0 - ctx.Saved(0))]);
    }

    /// <summary>max(x, 0); dy/dx = 1 where y &gt; 0.</summary>
    public Tensor Relu()
    {
        var y = Dispatch.Unary<ReluOp>(this);
        // One fused pass (PyTorch's threshold_backward: 0 where y ≤ 0, even for a NaN gradient); composite when building a graph.
        return Graph.Record("ReluBackward0", y, [this], [y], static (ctx, g) =>
        {
            var y = ctx.Saved(0);
            return [GradMode.IsEnabled ? g * y.Gt(0.0)
                : Dispatch.Binary<WherePositiveOp>(g, y, g.DType)];
        });
    }

    /// <summary>min(max(x, min), max) with fractional bounds, as torch.clamp with Python floats: an Int64 tensor gives Float32; gradient passes where min ≤ x ≤ max.</summary>
    public Tensor Clamp(double min, double max)
    {
        if (DType == DType.Bool) throw new ArgumentException("Clamp is not supported for torch.bool tensors.");
        var dtype = Dispatch.ResultType(this, min, integral: false);
        var lo = Dispatch.BinaryScalar<MaxOp>(this, min, dtype);
        var y = Dispatch.BinaryScalar<MinOp>(lo, max, dtype);
        return Graph.Record("ClampBackward1", y, [this], [this], (min, max), static (ctx, g, s) => [g * ctx.Saved(0).Ge(s.min).LogicalAnd(ctx.Saved(0).Le(s.max))]);
    }

    /// <summary>min(max(x, min), max) with integral bounds, as torch.clamp with Python ints: an Int64 tensor stays Int64 (exact at any magnitude); a floating one is clamped as by the fractional overload.</summary>
    public Tensor Clamp(long min, long max)
    {
        if (DType != DType.Int64) return Clamp((double)min, (double)max);
        var lo = Dispatch.Binary<MaxOp>(this, From(min), DType.Int64);
        return Dispatch.Binary<MinOp>(lo, From(max), DType.Int64);
    }

    /// <summary>e^x.</summary>
    public static Tensor Exp(Tensor x) => x.Exp();
    /// <summary>ln x.</summary>
    public static Tensor Log(Tensor x) => x.Log();
    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x) => x.Sqrt();
    /// <summary>|x|.</summary>
    public static Tensor Abs(Tensor x) => x.Abs();
    /// <summary>sin x.</summary>
    public static Tensor Sin(Tensor x) => x.Sin();
    /// <summary>cos x.</summary>
    public static Tensor Cos(Tensor x) => x.Cos();
    /// <summary>tanh x.</summary>
    public static Tensor Tanh(Tensor x) => x.Tanh();
    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => x.Sigmoid();
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => x.Relu();
    /// <summary>−x.</summary>
    public static Tensor Neg(Tensor x) => x.Neg();
}
