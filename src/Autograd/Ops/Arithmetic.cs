using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Arithmetic: + - * / pow, with their backward rules. A rule may return a gradient in the output's
// (broadcast) shape: the engine sums it back to the input's shape (Engine.Validate).
public partial class Tensor
{
    /// <summary>this + other, broadcasting.</summary>
    public Tensor Add(Tensor other)
    {
        var y = Dispatch.Binary<AddOp>(this, other, Dispatch.ResultType(this, other));
        return Graph.Record("AddBackward0", y, [this, other], static (ctx, g) => [g, g]);
    }

    /// <summary>this + s.</summary>
    public Tensor Add(double s) => AddScalar(s, false);

    private Tensor AddScalar(double s, bool integral)
    {
        var y = Dispatch.BinaryScalar<AddOp>(this, s, Dispatch.ResultType(this, s, integral));
        return Graph.Record("AddBackward0", y, [this], static (ctx, g) => [g]);
    }

    /// <summary>this − other, broadcasting.</summary>
    public Tensor Sub(Tensor other)
    {
        var y = Dispatch.Binary<SubOp>(this, other, Dispatch.ResultType(this, other));
        return Graph.Record("SubBackward0", y, [this, other], static (ctx, g) => [g, ctx.NeedsInputGrad(1) ? -g : null]);
    }

    /// <summary>this − s.</summary>
    public Tensor Sub(double s) => SubScalar(s, false);

    private Tensor SubScalar(double s, bool integral)
    {
        var y = Dispatch.BinaryScalar<SubOp>(this, s, Dispatch.ResultType(this, s, integral));
        return Graph.Record("SubBackward0", y, [this], static (ctx, g) => [g]);
    }

    /// <summary>s − this.</summary>
    private Tensor RSub(double s, bool integral)
    {
        var y = Dispatch.BinaryScalar<SubOp>(this, s, Dispatch.ResultType(this, s, integral), scalarFirst: true);
        return Graph.Record("RsubBackward1", y, [this], static (ctx, g) => [-g]);
    }

    /// <summary>this · other elementwise, broadcasting.</summary>
    public Tensor Mul(Tensor other)
    {
        var a = this;
        var y = Dispatch.Binary<MulOp>(a, other, Dispatch.ResultType(a, other));
        if (!Graph.ShouldRecord(a, other)) return y;
        return Graph.Record("MulBackward0", y, [a, other], [other.requiresGrad ? a : null, a.requiresGrad ? other : null],
            static (ctx, g) => [ctx.NeedsInputGrad(0) ? g * ctx.Saved(1) : null, ctx.NeedsInputGrad(1) ? g * ctx.Saved(0) : null]);
    }

    /// <summary>this · s.</summary>
    public Tensor Mul(double s) => MulScalar(s, false);

    private Tensor MulScalar(double s, bool integral)
    {
        var y = Dispatch.BinaryScalar<MulOp>(this, s, Dispatch.ResultType(this, s, integral));
        return Graph.Record("MulBackward0", y, [this], [], s, static (ctx, g, s) => [g * s]);
    }

    /// <summary>this / other elementwise (true division: integers give Float32), broadcasting.</summary>
    public Tensor Div(Tensor other)
    {
        var a = this;
        var dtype = Dispatch.ResultType(a, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        var y = Dispatch.Binary<DivOp>(a, other, dtype);
        if (!Graph.ShouldRecord(a, other)) return y;
        return Graph.Record("DivBackward0", y, [a, other], [other.requiresGrad ? a : null, other],
            static (ctx, g) => [ctx.NeedsInputGrad(0) ? g / ctx.Saved(1) : null,
                                ctx.NeedsInputGrad(1) ? -g * ctx.Saved(0) / (ctx.Saved(1) * ctx.Saved(1)) : null]);
    }

    /// <summary>this / s (true division).</summary>
    public Tensor Div(double s)
    {
        var dtype = DType.IsFloatingPoint() ? DType : DType.Float32;
        var y = Dispatch.BinaryScalar<DivOp>(this, s, dtype);
        return Graph.Record("DivBackward0", y, [this], [], s, static (ctx, g, s) => [g / s]);
    }

    /// <summary>1 / this.</summary>
    public Tensor Reciprocal()
    {
        var dtype = DType.IsFloatingPoint() ? DType : DType.Float32;
        var y = Dispatch.BinaryScalar<DivOp>(this, 1.0, dtype, scalarFirst: true);
        return Graph.Record("ReciprocalBackward0", y, [this], [y], static (ctx, g) => [-g * ctx.Saved(0) * ctx.Saved(0)]);
    }

    /// <summary>−this.</summary>
    public Tensor Neg()
    {
        var y = Dispatch.Unary<NegOp>(this);
        return Graph.Record("NegBackward0", y, [this], static (ctx, g) => [-g]);
    }

    /// <summary>this^e elementwise; d/dx = e·x^(e−1).</summary>
    public Tensor Pow(double e)
    {
        var x = this;
        if (!DType.IsFloatingPoint() && IsIntegral(e) && e < 0)   // an integral exponent counts as an integer scalar, as in Add
            throw new ArgumentException($"Integers to negative integer powers are not allowed (a {DType.TorchName()} tensor to the power {e})");
        if (!DType.IsFloatingPoint() && IsIntegral(e))
        {
            var f = Dispatch.BinaryScalarFloat<PowOp>(Dispatch.Raw(x, DType.Float64), e, DType.Float64);
            return Dispatch.Raw(f, DType.Int64);
        }
        var dtype = DType.IsFloatingPoint() ? DType : DType.Float32;
        var y = Dispatch.BinaryScalarFloat<PowOp>(x, e, dtype);
        if (e == 0) return Graph.Record("PowBackward0", y, [x], static (ctx, g) => [ZerosLike(g)]);   // g has x's shape and dtype: x is not kept
        return Graph.Record("PowBackward0", y, [x], [x], e,
            static (ctx, g, e) => [e == 2 ? g * 2.0 * ctx.Saved(0) : g * e * ctx.Saved(0).Pow(e - 1)]);
    }

    /// <summary>this^e elementwise with a tensor exponent; d/de = y·ln x.</summary>
    public Tensor Pow(Tensor e)
    {
        var x = this;
        var dtype = Dispatch.ResultType(x, e);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        var y = Dispatch.BinaryFloat<PowOp>(x, e, dtype);
        if (!Graph.ShouldRecord(x, e)) return y;
        return Graph.Record("PowBackward1", y, [x, e], [x, e, y], static (ctx, g) =>
        {
            Tensor x = ctx.Saved(0), e = ctx.Saved(1);
            return [ctx.NeedsInputGrad(0) ? g * e * x.Pow(e - 1.0) : null,
                    ctx.NeedsInputGrad(1) ? Where(x.Eq(0.0).LogicalAnd(e.Ge(0.0)), ZerosLike(g), g * ctx.Saved(2) * x.Log()) : null];
        });
    }

    /// <summary>Adds other into this tensor's storage with no graph and no version check (gradient accumulation).</summary>
    internal void AddInPlaceUntracked(Tensor other)
    {
        CheckNoInternalOverlap();
        var sum = Dispatch.Binary<AddOp>(this, other, DType);
        WriteRaw(sum);
    }

    /// <summary>True when an Int64 tensor meets an integer a double cannot hold exactly (|n| > 2^53): it then goes through the Int64 tensor path.</summary>
    private static bool Exact(Tensor a, long n) => a.DType == DType.Int64 && (n > 1L << 53 || n < -(1L << 53));

    private static bool IsIntegral(double s) => s == Math.Floor(s) && !double.IsInfinity(s);

    /// <summary>a + b.</summary>
    public static Tensor Add(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a − b.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a · b.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a / b.</summary>
    public static Tensor Div(Tensor a, Tensor b) => a.Div(b);
    /// <summary>x^e.</summary>
    public static Tensor Pow(Tensor x, double e) => x.Pow(e);
    /// <summary>x^e.</summary>
    public static Tensor Pow(Tensor x, Tensor e) => x.Pow(e);

    /// <summary>a + b.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>a + s.</summary>
    public static Tensor operator +(Tensor a, double s) => a.AddScalar(s, false);
    /// <summary>s + a.</summary>
    public static Tensor operator +(double s, Tensor a) => a.AddScalar(s, false);
    /// <summary>a + n (an integer keeps an Int64 tensor Int64).</summary>
    public static Tensor operator +(Tensor a, long n) => Exact(a, n) ? a.Add(From(n)) : a.AddScalar(n, true);
    /// <summary>n + a.</summary>
    public static Tensor operator +(long n, Tensor a) => Exact(a, n) ? a.Add(From(n)) : a.AddScalar(n, true);
    /// <summary>a − b.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>a − s.</summary>
    public static Tensor operator -(Tensor a, double s) => a.SubScalar(s, false);
    /// <summary>s − a.</summary>
    public static Tensor operator -(double s, Tensor a) => a.RSub(s, false);
    /// <summary>a − n.</summary>
    public static Tensor operator -(Tensor a, long n) => Exact(a, n) ? a.Sub(From(n)) : a.SubScalar(n, true);
    /// <summary>n − a.</summary>
    public static Tensor operator -(long n, Tensor a) => Exact(a, n) ? From(n).Sub(a) : a.RSub(n, true);
    /// <summary>a · b.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>a · s.</summary>
    public static Tensor operator *(Tensor a, double s) => a.MulScalar(s, false);
    /// <summary>s · a.</summary>
    public static Tensor operator *(double s, Tensor a) => a.MulScalar(s, false);
    /// <summary>a · n.</summary>
    public static Tensor operator *(Tensor a, long n) => Exact(a, n) ? a.Mul(From(n)) : a.MulScalar(n, true);
    /// <summary>n · a.</summary>
    public static Tensor operator *(long n, Tensor a) => Exact(a, n) ? a.Mul(From(n)) : a.MulScalar(n, true);
    /// <summary>a / b.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>a / s.</summary>
    public static Tensor operator /(Tensor a, double s) => a.Div(s);
    /// <summary>s / a = s · (1/a).</summary>
    public static Tensor operator /(double s, Tensor a) => a.Reciprocal() * s;
    /// <summary>−a.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
}
