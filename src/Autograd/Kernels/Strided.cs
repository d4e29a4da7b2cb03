namespace Framework.Autograd.Kernels;

/// <summary>Row-wise iteration over up to two strided operands and a contiguous destination, with dims coalesced.</summary>
internal ref struct RowIterator
{
    private readonly Span<int> size, xs, ys;
    private readonly Span<int> index;
    private readonly int outerDims;

    /// <summary>Length of each row (the innermost coalesced dim).</summary>
    public readonly int RowLength;
    /// <summary>Step of x and y along a row (0 when broadcast).</summary>
    public readonly int RowStrideX, RowStrideY;
    /// <summary>Number of rows.</summary>
    public readonly int Rows;
    /// <summary>Start of the current row in x and y.</summary>
    public int X, Y;

    /// <summary>Sets up iteration of a tensor of <paramref name="shape"/> read through two stride sets (scratch holds 4·rank ints).</summary>
    public RowIterator(ReadOnlySpan<int> shape, ReadOnlySpan<int> stridesX, int offsetX, ReadOnlySpan<int> stridesY, int offsetY, Span<int> scratch)
    {
        int rank = shape.Length, cap = Math.Max(rank, 1);
        size = scratch[..cap]; xs = scratch.Slice(cap, cap); ys = scratch.Slice(2 * cap, cap); index = scratch.Slice(3 * cap, cap);
        int n = 0;
        // Coalesce from the innermost dim outwards; size-1 dims vanish.
        for (int i = rank - 1; i >= 0; i--)
        {
            int d = shape[i];
            if (d == 1) continue;
            if (n > 0 && xs[n - 1] * size[n - 1] == stridesX[i] && ys[n - 1] * size[n - 1] == stridesY[i])
            {
                size[n - 1] *= d;
                continue;
            }
            size[n] = d; xs[n] = stridesX[i]; ys[n] = stridesY[i]; n++;
        }
        if (n == 0) { size[0] = 1; xs[0] = 0; ys[0] = 0; n = 1; }
        // size/xs/ys now run innermost-first.
        RowLength = size[0]; RowStrideX = xs[0]; RowStrideY = ys[0];
        outerDims = n - 1;
        int rows = 1;
        for (int i = 1; i < n; i++) rows *= size[i];
        Rows = ShapeUtil.Numel(shape) == 0 ? 0 : rows;
        index[..n].Clear();
        X = offsetX; Y = offsetY;
    }

    /// <summary>Moves X and Y to the start of the next row.</summary>
    public void Next()
    {
        for (int i = 1; i <= outerDims; i++)
        {
            X += xs[i]; Y += ys[i];
            if (++index[i] < size[i]) return;
            X -= xs[i] * size[i]; Y -= ys[i] * size[i];
            index[i] = 0;
        }
    }
}

/// <summary>Strided copies and dtype conversions.</summary>
internal static class Copy
{
    /// <summary>dst[i] = src[i] over a shape, both strided.</summary>
    public static void Strided<T>(ReadOnlySpan<int> shape, T[] src, int srcOffset, ReadOnlySpan<int> srcStrides,
                                  T[] dst, int dstOffset, ReadOnlySpan<int> dstStrides)
    {
        Span<int> scratch = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var it = new RowIterator(shape, srcStrides, srcOffset, dstStrides, dstOffset, scratch);
        int len = it.RowLength, sx = it.RowStrideX, sy = it.RowStrideY;
        for (int r = 0; r < it.Rows; r++, it.Next())
        {
            if (sx == 1 && sy == 1) src.AsSpan(it.X, len).CopyTo(dst.AsSpan(it.Y, len));
            else if (sx == 0) dst.AsSpan(it.Y).Fill_(src[it.X], len, sy);
            else for (int i = 0, x = it.X, y = it.Y; i < len; i++, x += sx, y += sy) dst[y] = src[x];
        }
    }

    private static void Fill_<T>(this Span<T> d, T value, int len, int stride)
    {
        if (stride == 1) { d[..len].Fill(value); return; }
        for (int i = 0, y = 0; i < len; i++, y += stride) d[y] = value;
    }

    /// <summary>dst[i] = (TTo)src[i]: floats to ints truncate toward zero, anything to bool is (x != 0).</summary>
    public static void Convert<TFrom, TTo>(ReadOnlySpan<TFrom> src, Span<TTo> dst)
        where TFrom : unmanaged where TTo : unmanaged
    {
        if (typeof(TFrom) == typeof(TTo)) { System.Runtime.InteropServices.MemoryMarshal.Cast<TFrom, TTo>(src).CopyTo(dst); return; }
        if (typeof(TTo) == typeof(bool))
        {
            var d = System.Runtime.InteropServices.MemoryMarshal.Cast<TTo, bool>(dst);
            if (typeof(TFrom) == typeof(float)) { var s = Cast<TFrom, float>(src); for (int i = 0; i < s.Length; i++) d[i] = s[i] != 0; }
            else if (typeof(TFrom) == typeof(double)) { var s = Cast<TFrom, double>(src); for (int i = 0; i < s.Length; i++) d[i] = s[i] != 0; }
            else { var s = Cast<TFrom, long>(src); for (int i = 0; i < s.Length; i++) d[i] = s[i] != 0; }
            return;
        }
        if (typeof(TFrom) == typeof(bool))
        {
            var s = Cast<TFrom, byte>(src);
            if (typeof(TTo) == typeof(float)) { var d = Cast2<TTo, float>(dst); for (int i = 0; i < s.Length; i++) d[i] = s[i]; }
            else if (typeof(TTo) == typeof(double)) { var d = Cast2<TTo, double>(dst); for (int i = 0; i < s.Length; i++) d[i] = s[i]; }
            else { var d = Cast2<TTo, long>(dst); for (int i = 0; i < s.Length; i++) d[i] = s[i]; }
            return;
        }
        if (typeof(TFrom) == typeof(float) && typeof(TTo) == typeof(double))
            System.Numerics.Tensors.TensorPrimitives.ConvertChecked(Cast<TFrom, float>(src), Cast2<TTo, double>(dst));
        else if (typeof(TFrom) == typeof(double) && typeof(TTo) == typeof(float))
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(Cast<TFrom, double>(src), Cast2<TTo, float>(dst));
        else if (typeof(TFrom) == typeof(long) && typeof(TTo) == typeof(float))
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(Cast<TFrom, long>(src), Cast2<TTo, float>(dst));
        else if (typeof(TFrom) == typeof(long) && typeof(TTo) == typeof(double))
            System.Numerics.Tensors.TensorPrimitives.ConvertTruncating(Cast<TFrom, long>(src), Cast2<TTo, double>(dst));
        else if (typeof(TFrom) == typeof(float) && typeof(TTo) == typeof(long))
        { var s = Cast<TFrom, float>(src); var d = Cast2<TTo, long>(dst); for (int i = 0; i < s.Length; i++) d[i] = (long)s[i]; }
        else if (typeof(TFrom) == typeof(double) && typeof(TTo) == typeof(long))
        { var s = Cast<TFrom, double>(src); var d = Cast2<TTo, long>(dst); for (int i = 0; i < s.Length; i++) d[i] = (long)s[i]; }
        else throw new NotSupportedException($"conversion {typeof(TFrom)} -> {typeof(TTo)}");
    }

    /// <summary>value as T, by <see cref="Convert{TFrom, TTo}"/>'s rules.</summary>
    public static T Scalar<T>(double value) where T : unmanaged
    {
        Span<T> r = stackalloc T[1];
        Convert<double, T>([value], r);
        return r[0];
    }

    private static ReadOnlySpan<TB> Cast<TA, TB>(ReadOnlySpan<TA> s) where TA : unmanaged where TB : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.Cast<TA, TB>(s);

    private static Span<TB> Cast2<TA, TB>(Span<TA> s) where TA : unmanaged where TB : unmanaged
        => System.Runtime.InteropServices.MemoryMarshal.Cast<TA, TB>(s);
}
