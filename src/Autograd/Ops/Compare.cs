using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Comparisons return Bool tensors and are not differentiable.
public partial class Tensor
{
    /// <summary>this == other elementwise.</summary>
    public Tensor Eq(Tensor other) => Dispatch.Compare<EqOp>(this, other);
    /// <summary>this != other elementwise.</summary>
    public Tensor Ne(Tensor other) => Dispatch.Compare<NeOp>(this, other);
    /// <summary>this &lt; other elementwise.</summary>
    public Tensor Lt(Tensor other) => Dispatch.Compare<LtOp>(this, other);
    /// <summary>this ≤ other elementwise.</summary>
    public Tensor Le(Tensor other) => Dispatch.Compare<LeOp>(this, other);
    /// <summary>this &gt; other elementwise.</summary>
    public Tensor Gt(Tensor other) => Dispatch.Compare<GtOp>(this, other);
    /// <summary>this ≥ other elementwise.</summary>
    public Tensor Ge(Tensor other) => Dispatch.Compare<GeOp>(this, other);

    /// <summary>this == s elementwise.</summary>
    public Tensor Eq(double s) => Eq(ScalarLike(s));
    /// <summary>this != s elementwise.</summary>
    public Tensor Ne(double s) => Ne(ScalarLike(s));
    /// <summary>this &lt; s elementwise.</summary>
    public Tensor Lt(double s) => Lt(ScalarLike(s));
    /// <summary>this ≤ s elementwise.</summary>
    public Tensor Le(double s) => Le(ScalarLike(s));
    /// <summary>this &gt; s elementwise.</summary>
    public Tensor Gt(double s) => Gt(ScalarLike(s));
    /// <summary>this ≥ s elementwise.</summary>
    public Tensor Ge(double s) => Ge(ScalarLike(s));

    /// <summary>Elementwise logical and of two tensors read as booleans.</summary>
    public Tensor LogicalAnd(Tensor other) => Logical<AndOp>(other);

    /// <summary>Elementwise logical or of two tensors read as booleans.</summary>
    public Tensor LogicalOr(Tensor other) => Logical<OrOp>(other);

    /// <summary>Elementwise logical exclusive or of two tensors read as booleans.</summary>
    public Tensor LogicalXor(Tensor other) => Logical<XorOp>(other);

    /// <summary>Elementwise logical not (true where the element is zero or false).</summary>
    public Tensor LogicalNot() => Eq(0.0);

    private Tensor Logical<TOp>(Tensor other) where TOp : ICompareOp<long>
    {
        ArgumentNullException.ThrowIfNull(other);
        var a = Dispatch.Raw(this, DType.Bool);
        var b = Dispatch.Raw(other, DType.Bool);
        var shape = ShapeUtil.Broadcast(a.shape, b.shape);
        var r = new Tensor(shape, DType.Bool, clear: false);
        Elementwise.Compare<long, TOp>(shape, Dispatch.Raw(a, DType.Int64).Elems<long>(), 0, ShapeUtil.BroadcastStrides(a.shape, a.strides, shape),
            Dispatch.Raw(b, DType.Int64).Elems<long>(), 0, ShapeUtil.BroadcastStrides(b.shape, b.strides, shape), r.Elems<bool>());
        return r;
    }

    private readonly struct AndOp : ICompareOp<long> { public static bool Apply(long x, long y) => x != 0 && y != 0; }
    private readonly struct OrOp : ICompareOp<long> { public static bool Apply(long x, long y) => x != 0 || y != 0; }
    private readonly struct XorOp : ICompareOp<long> { public static bool Apply(long x, long y) => (x != 0) != (y != 0); }

    /// <summary>A 0-d tensor holding s: in this tensor's dtype when it is a float (beyond Float32's range, the infinity the cast gives), else Int64 when s is an integer Int64 holds, else Float64.</summary>
    private Tensor ScalarLike(double s)
    {
        if (DType == DType.Float32 && double.IsFinite(s) && Math.Abs(s) > float.MaxValue) s = s > 0 ? double.PositiveInfinity : double.NegativeInfinity;
        var dtype = DType.IsFloatingPoint() ? DType : (s == Math.Floor(s) && s >= -9223372036854775808.0 && s < 9223372036854775808.0 ? DType.Int64 : DType.Float64);
        return Full([], s, dtype);
    }

    /// <summary>|a − b| ≤ atol + rtol·|b| for every element (NaNs unequal).</summary>
    public bool AllClose(Tensor other, double rtol = 1e-5, double atol = 1e-8)
    {
        var common = ShapeUtil.Broadcast(shape, other.shape);
        using var _ = new NoGrad();
        var a = Dispatch.Raw(Expand(common), DType.Float64).ToArray<double>();
        var b = Dispatch.Raw(other.Expand(common), DType.Float64).ToArray<double>();
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            if (!(Math.Abs(a[i] - b[i]) <= atol + rtol * Math.Abs(b[i]))) return false;
        }
        return true;
    }

    /// <summary>a &lt; b.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary>a &gt; b.</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary>a ≤ b.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary>a ≥ b.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary>a &lt; s.</summary>
    public static Tensor operator <(Tensor a, double s) => a.Lt(s);
    /// <summary>a &gt; s.</summary>
    public static Tensor operator >(Tensor a, double s) => a.Gt(s);
    /// <summary>a ≤ s.</summary>
    public static Tensor operator <=(Tensor a, double s) => a.Le(s);
    /// <summary>a ≥ s.</summary>
    public static Tensor operator >=(Tensor a, double s) => a.Ge(s);
    /// <summary>s &lt; a.</summary>
    public static Tensor operator <(double s, Tensor a) => a.Gt(s);
    /// <summary>s &gt; a.</summary>
    public static Tensor operator >(double s, Tensor a) => a.Lt(s);
    /// <summary>s ≤ a.</summary>
    public static Tensor operator <=(double s, Tensor a) => a.Ge(s);
    /// <summary>s ≥ a.</summary>
    public static Tensor operator >=(double s, Tensor a) => a.Le(s);

    // == and != compare elementwise, as in PyTorch; Equals and GetHashCode stay reference-based (tensors as dictionary
    // keys), and `is null` / ReferenceEquals test identity.
    /// <summary>a = b elementwise (Bool tensor).</summary>
    public static Tensor operator ==(Tensor a, Tensor b) => a.Eq(b);
    /// <summary>a ≠ b elementwise (Bool tensor).</summary>
    public static Tensor operator !=(Tensor a, Tensor b) => a.Ne(b);
    /// <summary>a = s elementwise.</summary>
    public static Tensor operator ==(Tensor a, double s) => a.Eq(s);
    /// <summary>a ≠ s elementwise.</summary>
    public static Tensor operator !=(Tensor a, double s) => a.Ne(s);
    /// <summary>s = a elementwise.</summary>
    public static Tensor operator ==(double s, Tensor a) => a.Eq(s);
    /// <summary>s ≠ a elementwise.</summary>
    public static Tensor operator !=(double s, Tensor a) => a.Ne(s);

    /// <summary>Reference equality: the same tensor object (use == for elementwise equality).</summary>
    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    /// <summary>A hash of the object's identity, consistent with Equals.</summary>
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
