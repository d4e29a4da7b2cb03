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
        if (t.DType == dtype)
        {
            switch (dtype)
            {
                case DType.Float32: Copy.Strided(t.shape, t.Elems<float>(), t.offset, t.strides, r.Elems<float>(), 0, r.strides); break;
                case DType.Float64: Copy.Strided(t.shape, t.Elems<double>(), t.offset, t.strides, r.Elems<double>(), 0, r.strides); break;
                case DType.Int64: Copy.Strided(t.shape, t.Elems<long>(), t.offset, t.strides, r.Elems<long>(), 0, r.strides); break;
                default: Copy.Strided(t.shape, t.Elems<bool>(), t.offset, t.strides, r.Elems<bool>(), 0, r.strides); break;
            }
            return r;
        }
        var c = Raw(t, t.DType);
        switch (c.DType)
        {
            case DType.Float32: ConvertTo(c.Span<float>(), r); break;
            case DType.Float64: ConvertTo(c.Span<double>(), r); break;
            case DType.Int64: ConvertTo(c.Span<long>(), r); break;
            default: ConvertTo(c.Span<bool>(), r); break;
        }
        return r;
    }

    private static void ConvertTo<TFrom>(ReadOnlySpan<TFrom> src, Tensor r) where TFrom : unmanaged
    {
        switch (r.DType)
        {
            case DType.Float32: Copy.Convert(src, r.Span<float>()); break;
            case DType.Float64: Copy.Convert(src, r.Span<double>()); break;
            case DType.Int64: Copy.Convert(src, r.Span<long>()); break;
            default: Copy.Convert(src, r.Span<bool>()); break;
        }
    }

    /// <summary>A tensor's values viewed (not copied) as dtype when it already is, else converted.</summary>
    public static Tensor As(Tensor t, DType dtype) => t.DType == dtype ? t : Raw(t, dtype);

    /// <summary>r = op(a, b) with broadcasting, computed in <paramref name="dtype"/>; no graph.</summary>
    public static Tensor Binary<TF, TD, TL>(Tensor a, Tensor b, DType dtype)
        where TF : IBinaryOp<float> where TD : IBinaryOp<double> where TL : IBinaryOp<long>
    {
        var shape = ShapeUtil.Broadcast(a.shape, b.shape);
        a = As(a, dtype); b = As(b, dtype);
        var r = new Tensor(shape, dtype, clear: false);
        var sa = ShapeUtil.BroadcastStrides(a.shape, a.strides, shape);
        var sb = ShapeUtil.BroadcastStrides(b.shape, b.strides, shape);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Binary<float, TF>(shape, a.Elems<float>(), a.offset, sa, b.Elems<float>(), b.offset, sb, r.Elems<float>()); break;
            case DType.Float64: Elementwise.Binary<double, TD>(shape, a.Elems<double>(), a.offset, sa, b.Elems<double>(), b.offset, sb, r.Elems<double>()); break;
            case DType.Int64: Elementwise.Binary<long, TL>(shape, a.Elems<long>(), a.offset, sa, b.Elems<long>(), b.offset, sb, r.Elems<long>()); break;
            default: throw new ArgumentException($"This operation is not supported for {dtype.TorchName()} tensors.");
        }
        return r;
    }

    /// <summary>r = op(a, s) (or op(s, a) when <paramref name="scalarFirst"/>), computed in <paramref name="dtype"/>; no graph.</summary>
    public static Tensor BinaryScalar<TF, TD, TL>(Tensor a, double s, DType dtype, bool scalarFirst = false)
        where TF : IBinaryOp<float> where TD : IBinaryOp<double> where TL : IBinaryOp<long>
    {
        a = Raw(a, dtype);
        var r = new Tensor(a.shape, dtype, clear: false);
        switch (dtype)
        {
            case DType.Float32:
                if (scalarFirst) Elementwise.ScalarBinary<float, TF>((float)s, a.Elems<float>(), a.offset, r.Elems<float>());
                else Elementwise.BinaryScalar<float, TF>(a.Elems<float>(), a.offset, (float)s, r.Elems<float>());
                break;
            case DType.Float64:
                if (scalarFirst) Elementwise.ScalarBinary<double, TD>(s, a.Elems<double>(), a.offset, r.Elems<double>());
                else Elementwise.BinaryScalar<double, TD>(a.Elems<double>(), a.offset, s, r.Elems<double>());
                break;
            case DType.Int64:
                if (scalarFirst) Elementwise.ScalarBinary<long, TL>((long)s, a.Elems<long>(), a.offset, r.Elems<long>());
                else Elementwise.BinaryScalar<long, TL>(a.Elems<long>(), a.offset, (long)s, r.Elems<long>());
                break;
            default: throw new ArgumentException($"This operation is not supported for {dtype.TorchName()} tensors.");
        }
        return r;
    }

    /// <summary>r = op(x) on floats (integers promote to Float32, as torch does for exp/log/...); no graph.</summary>
    public static Tensor UnaryFloat<TF, TD>(Tensor x) where TF : IUnaryOp<float> where TD : IUnaryOp<double>
    {
        var dtype = x.DType.IsFloatingPoint() ? x.DType : DType.Float32;
        x = Raw(x, dtype);
        var r = new Tensor(x.shape, dtype, clear: false);
        if (dtype == DType.Float32) Elementwise.Unary<float, TF>(x.Elems<float>(), x.offset, r.Elems<float>());
        else Elementwise.Unary<double, TD>(x.Elems<double>(), x.offset, r.Elems<double>());
        return r;
    }

    /// <summary>r = op(x) keeping the dtype (floats and Int64); no graph.</summary>
    public static Tensor Unary<TF, TD, TL>(Tensor x) where TF : IUnaryOp<float> where TD : IUnaryOp<double> where TL : IUnaryOp<long>
    {
        if (x.DType == DType.Int64)
        {
            x = Raw(x, DType.Int64);
            var r = new Tensor(x.shape, DType.Int64, clear: false);
            Elementwise.Unary<long, TL>(x.Elems<long>(), x.offset, r.Elems<long>());
            return r;
        }
        if (x.DType == DType.Bool) throw new ArgumentException("This operation is not supported for torch.bool tensors.");
        return UnaryFloat<TF, TD>(x);
    }

    /// <summary>Boolean r = a op b with broadcasting, compared in the promoted dtype.</summary>
    public static Tensor Compare<TF, TD, TL>(Tensor a, Tensor b)
        where TF : ICompareOp<float> where TD : ICompareOp<double> where TL : ICompareOp<long>
    {
        var dtype = ResultType(a, b);
        if (dtype == DType.Bool) dtype = DType.Int64;
        var shape = ShapeUtil.Broadcast(a.shape, b.shape);
        a = As(a, dtype); b = As(b, dtype);
        var r = new Tensor(shape, DType.Bool, clear: false);
        var sa = ShapeUtil.BroadcastStrides(a.shape, a.strides, shape);
        var sb = ShapeUtil.BroadcastStrides(b.shape, b.strides, shape);
        switch (dtype)
        {
            case DType.Float32: Elementwise.Compare<float, TF>(shape, a.Elems<float>(), a.offset, sa, b.Elems<float>(), b.offset, sb, r.Elems<bool>()); break;
            case DType.Float64: Elementwise.Compare<double, TD>(shape, a.Elems<double>(), a.offset, sa, b.Elems<double>(), b.offset, sb, r.Elems<bool>()); break;
            default: Elementwise.Compare<long, TL>(shape, a.Elems<long>(), a.offset, sa, b.Elems<long>(), b.offset, sb, r.Elems<bool>()); break;
        }
        return r;
    }
}
