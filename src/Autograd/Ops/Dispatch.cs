using System.Runtime.CompilerServices;
using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

/// <summary>Type promotion and dtype dispatch from public ops to generic kernels.</summary>
internal static class Dispatch
{
    private static int Category(DType t) => t switch { DType.Bool => 0, DType.Int64 => 1, _ => 2 };

    /// <summary>The wider of two dtypes (torch.promote_types).</summary>
    public static DType Promote(DType a, DType b)
    {
        if (a == b) return a;
        if (Category(a) != Category(b)) return Category(a) > Category(b) ? a : b;
        return a == DType.Float64 || b == DType.Float64 ? DType.Float64 : a;
    }

    /// <summary>torch.can_cast: false only from a floating type to an integral one, or from a number to Bool.</summary>
    public static bool CanCast(DType from, DType to) => Category(from) <= Category(to);

    /// <summary>torch.result_type of two tensors: dimensioned tensors win over 0-d ones within a category.</summary>
    public static DType ResultType(Tensor a, Tensor b)
    {
        bool a0 = a.shape.Length == 0, b0 = b.shape.Length == 0;
        if (a0 == b0) return Promote(a.DType, b.DType);
        var (dim, zero) = a0 ? (b.DType, a.DType) : (a.DType, b.DType);
        return Category(zero) > Category(dim) ? zero : dim;
    }

    /// <summary>torch.result_type of a tensor and a C# number: an integral number keeps the tensor's type; a fractional one makes integers Float32.</summary>
    public static DType ResultType(Tensor a, double s, bool integral)
    {
        if (a.DType.IsFloatingPoint()) return a.DType;
        if (!integral) return DType.Float32;
        return DType.Int64;
    }

    /// <summary>The tensor's values as a contiguous tensor of <paramref name="dtype"/>, with no graph (itself when already so).</summary>
    public static Tensor Raw(Tensor t, DType dtype)
    {
        if (t.DType == dtype && t.isContiguous) return t;
        var r = new Tensor(t.shape, dtype, clear: false);
        if (t.DType == dtype) return CopyStrided(t, t.strides, r);
        var convert = new Convert(Raw(t, t.DType), r);
        DTypeDispatch.Any(t.DType, ref convert);
        return r;
    }

    /// <summary>dst ← src read through <paramref name="srcStrides"/> (broadcast strides allowed) over dst's shape; same dtype, no graph, no version bump.</summary>
    public static Tensor CopyStrided(Tensor src, int[] srcStrides, Tensor dst)
    {
        var copy = new StridedCopy(src, srcStrides, dst);
        DTypeDispatch.Any(dst.DType, ref copy);
        return dst;
    }

    /// <summary>Every element of contiguous t ← value converted to t's dtype (Copy.Convert's rules); returns t. A value the dtype cannot hold is refused (CheckScalar).</summary>
    public static Tensor Fill(Tensor t, double value)
    {
        CheckScalar(value, t.DType);
        var fill = new FillKernel(t, value, -1);
        DTypeDispatch.Any(t.DType, ref fill);
        return t;
    }

    /// <summary>
    /// Refuses a scalar that <paramref name="dtype"/> cannot hold, as PyTorch's checked_convert: for Int64 NaN, ±inf and values
    /// outside [−2⁶³, 2⁶³); for Float32 finite values beyond ±float.MaxValue. Fractions truncate; Bool takes any value (≠ 0).
    /// </summary>
    public static void CheckScalar(double value, DType dtype)
    {
        const double TwoTo63 = 9223372036854775808.0;
        string? type = dtype switch
        {
            DType.Int64 when !(value >= -TwoTo63 && value < TwoTo63) => "int64_t",
            DType.Float32 when double.IsFinite(value) && Math.Abs(value) > float.MaxValue => "float",
            _ => null,
        };
        if (type is not null)
            throw new ArgumentException($"value cannot be converted to type {type} without overflow (value {ShapeUtil.FormatScalar(value)}, dtype {dtype.TorchName()})");
    }

    /// <summary>Element <paramref name="index"/> of t's storage (not counting the offset) ← value converted to t's dtype; no version bump.</summary>
    public static void Store(Tensor t, int index, double value)
    {
        var store = new FillKernel(t, value, index);
        DTypeDispatch.Any(t.DType, ref store);
    }

    /// <summary>A tensor's values viewed (not copied) as dtype when it already is, else converted.</summary>
    public static Tensor As(Tensor t, DType dtype) => t.DType == dtype ? t : Raw(t, dtype);

    /// <summary>r = op(a, b) with broadcasting, computed in a numeric <paramref name="dtype"/>; no graph.</summary>
    public static Tensor Binary<F>(Tensor a, Tensor b, DType dtype) where F : IBinaryFamily
    {
        var k = new NumericBinary<F>(Operands(a, b, dtype));
        DTypeDispatch.Numeric(dtype, ref k);
        return k.Args.R;
    }

    /// <summary>r = op(a, s) (or op(s, a) when <paramref name="scalarFirst"/>), computed in a numeric <paramref name="dtype"/>; no graph.</summary>
    public static Tensor BinaryScalar<F>(Tensor a, double s, DType dtype, bool scalarFirst = false) where F : IBinaryFamily
    {
        var k = new NumericBinary<F>(Operands(a, s, dtype, scalarFirst));
        DTypeDispatch.Numeric(dtype, ref k);
        return k.Args.R;
    }

    /// <summary>r = op(a, b) with broadcasting, computed in a floating <paramref name="dtype"/>; no graph.</summary>
    public static Tensor BinaryFloat<F>(Tensor a, Tensor b, DType dtype) where F : IFloatBinaryFamily
    {
        var k = new FloatBinary<F>(Operands(a, b, dtype));
        DTypeDispatch.Floating(dtype, ref k);
        return k.Args.R;
    }

    /// <summary>r = op(a, s), computed in a floating <paramref name="dtype"/>; no graph.</summary>
    public static Tensor BinaryScalarFloat<F>(Tensor a, double s, DType dtype) where F : IFloatBinaryFamily
    {
        var k = new FloatBinary<F>(Operands(a, s, dtype, scalarFirst: false));
        DTypeDispatch.Floating(dtype, ref k);
        return k.Args.R;
    }

    /// <summary>r = op(x) on floats (integers promote to Float32, as torch does for exp/log/...); no graph.</summary>
    public static Tensor UnaryFloat<F>(Tensor x) where F : IFloatUnaryFamily
    {
        var dtype = x.DType.IsFloatingPoint() ? x.DType : DType.Float32;
        x = Raw(x, dtype);
        var k = new FloatUnary<F>(x, new Tensor(x.shape, dtype, clear: false));
        DTypeDispatch.Floating(dtype, ref k);
        return k.R;
    }

    /// <summary>r = op(x) keeping the dtype (floats and Int64); no graph.</summary>
    public static Tensor Unary<F>(Tensor x) where F : IUnaryFamily
    {
        x = Raw(x, x.DType);
        var k = new NumericUnary<F>(x, new Tensor(x.shape, x.DType, clear: false));
        DTypeDispatch.Numeric(x.DType, ref k);
        return k.R;
    }

    /// <summary>Boolean r = a op b with broadcasting, compared in the promoted dtype.</summary>
    public static Tensor Compare<F>(Tensor a, Tensor b) where F : ICompareFamily
    {
        var dtype = ResultType(a, b);
        if (dtype == DType.Bool) dtype = DType.Int64;
        var k = new Comparison<F>(Operands(a, b, dtype, DType.Bool));
        DTypeDispatch.Numeric(dtype, ref k);
        return k.Args.R;
    }

    // ---- the kernels: each holds its tensors and reads their arrays once T is known ----

    /// <summary>a and b (in <paramref name="dtype"/>) broadcast to a new result of <paramref name="resultDType"/> (default: dtype).</summary>
    private static BinaryArgs Operands(Tensor a, Tensor b, DType dtype, DType? resultDType = null)
    {
        var shape = ShapeUtil.Broadcast(a.shape, b.shape);
        a = As(a, dtype); b = As(b, dtype);
        return new(a, ShapeUtil.BroadcastStrides(a.shape, a.strides, shape), b, ShapeUtil.BroadcastStrides(b.shape, b.strides, shape),
                   0, false, new Tensor(shape, resultDType ?? dtype, clear: false));
    }

    /// <summary>Contiguous a (in <paramref name="dtype"/>) with the scalar s and a new result of a's shape.</summary>
    private static BinaryArgs Operands(Tensor a, double s, DType dtype, bool scalarFirst)
    {
        a = Raw(a, dtype);
        return new(a, a.strides, null, [], s, scalarFirst, new Tensor(a.shape, dtype, clear: false));
    }

    /// <summary>The operands of r = op(a, b), or of op(a, s) / op(s, a) when B is null; strides broadcast to R's shape.</summary>
    private readonly record struct BinaryArgs(Tensor A, int[] StridesA, Tensor? B, int[] StridesB, double S, bool ScalarFirst, Tensor R)
    {
        /// <summary>The arrays behind the operands as element type T (the scalar converted to T).</summary>
        public BinaryLoop<T> Loop<T>() where T : unmanaged, INumber<T> =>
            new(R.shape, A.Elems<T>(), A.offset, StridesA, B?.Elems<T>(), B?.offset ?? 0, StridesB, T.CreateTruncating(S), ScalarFirst, R.Elems<T>());

        /// <summary>The arrays behind the operands of a comparison as element type T.</summary>
        public CompareLoop<T> Comparison<T>() where T : unmanaged, INumber<T> =>
            new(R.shape, A.Elems<T>(), A.offset, StridesA, B!.Elems<T>(), B.offset, StridesB, R.Elems<bool>());
    }

    private readonly struct NumericBinary<F>(BinaryArgs args) : INumericKernel where F : IBinaryFamily
    {
        public BinaryArgs Args => args;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T> => F.Run(args.Loop<T>());
    }

    private readonly struct FloatBinary<F>(BinaryArgs args) : IFloatingKernel where F : IFloatBinaryFamily
    {
        public BinaryArgs Args => args;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => F.Run(args.Loop<T>());
    }

    private readonly struct Comparison<F>(BinaryArgs args) : INumericKernel where F : ICompareFamily
    {
        public BinaryArgs Args => args;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T> => F.Run(args.Comparison<T>());
    }

    private readonly struct NumericUnary<F>(Tensor x, Tensor r) : INumericKernel where F : IUnaryFamily
    {
        public Tensor R => r;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, INumber<T> => F.Run(new UnaryLoop<T>(x.Elems<T>(), x.offset, r.Elems<T>()));
    }

    private readonly struct FloatUnary<F>(Tensor x, Tensor r) : IFloatingKernel where F : IFloatUnaryFamily
    {
        public Tensor R => r;
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => F.Run(new UnaryLoop<T>(x.Elems<T>(), x.offset, r.Elems<T>()));
    }

    /// <summary>Writes value, as T, to storage element <paramref name="index"/>, or to every element of contiguous t when index is −1.</summary>
    private readonly struct FillKernel(Tensor t, double value, int index) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
        {
            var v = Copy.Scalar<T>(value);
            if (index < 0) t.Span<T>().Fill(v);
            else t.Elems<T>()[index] = v;
        }
    }

    private readonly struct StridedCopy(Tensor src, int[] srcStrides, Tensor dst) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
            => Copy.Strided(dst.shape, src.Elems<T>(), src.offset, srcStrides, dst.Elems<T>(), dst.offset, dst.strides);
    }

    /// <summary>dst ← src converted, for src's element type TFrom; then dispatches on dst's dtype.</summary>
    private readonly struct Convert(Tensor src, Tensor dst) : IElementKernel
    {
        public void Invoke<TFrom>() where TFrom : unmanaged
        {
            var into = new ConvertFrom<TFrom>(src, dst);
            DTypeDispatch.Any(dst.DType, ref into);
        }
    }

    private readonly struct ConvertFrom<TFrom>(Tensor src, Tensor dst) : IElementKernel where TFrom : unmanaged
    {
        public void Invoke<TTo>() where TTo : unmanaged => Copy.Convert(src.Span<TFrom>(), dst.Span<TTo>());
    }
}
