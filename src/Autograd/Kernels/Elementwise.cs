using System.Runtime.CompilerServices;
using System.Numerics;
using System.Numerics.Tensors;

namespace Framework.Autograd.Kernels;

/// <summary>d = op(x, y) elementwise, on spans and on a span with a scalar.</summary>
internal interface IBinaryOp<T>
{
    /// <summary>d[i] = op(x[i], y[i]).</summary>
    static abstract void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d);
    /// <summary>d[i] = op(x[i], y).</summary>
    static abstract void Apply(ReadOnlySpan<T> x, T y, Span<T> d);
    /// <summary>d[i] = op(x, y[i]).</summary>
    static abstract void Apply(T x, ReadOnlySpan<T> y, Span<T> d);
}

/// <summary>d = op(x) elementwise.</summary>
internal interface IUnaryOp<T>
{
    /// <summary>d[i] = op(x[i]).</summary>
    static abstract void Apply(ReadOnlySpan<T> x, Span<T> d);
}

/// <summary>b = x op y, a boolean per element.</summary>
internal interface ICompareOp<T>
{
    /// <summary>x op y.</summary>
    static abstract bool Apply(T x, T y);
}

// An op family names one op for every element type it is defined for: it hands its struct for T (AddOp<T> for AddOp)
// to the loop, so a dtype-dispatched kernel can pick the op once T is known. Families of numeric ops take every
// numeric T; those of floating ops (pow, exp, ...) only floating T.

/// <summary>A binary op for every numeric T.</summary>
internal interface IBinaryFamily
{
    /// <summary>Runs <paramref name="loop"/> with this family's op for T.</summary>
    static abstract void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T>;
}

/// <summary>A binary op for every floating T.</summary>
internal interface IFloatBinaryFamily
{
    /// <summary>Runs <paramref name="loop"/> with this family's op for T.</summary>
    static abstract void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A unary op for every numeric T.</summary>
internal interface IUnaryFamily
{
    /// <summary>Runs <paramref name="loop"/> with this family's op for T.</summary>
    static abstract void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, INumber<T>;
}

/// <summary>A unary op for every floating T.</summary>
internal interface IFloatUnaryFamily
{
    /// <summary>Runs <paramref name="loop"/> with this family's op for T.</summary>
    static abstract void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>A comparison for every numeric T.</summary>
internal interface ICompareFamily
{
    /// <summary>Runs <paramref name="loop"/> with this family's comparison for T.</summary>
    static abstract void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T>;
}

/// <summary>The operands of d = op(x, y) (y broadcast through strides), of d = op(x, s), or of d = op(s, x) when <c>y</c> is null.</summary>
internal readonly ref struct BinaryLoop<T>(int[] shape, T[] x, int xOffset, int[] xStrides, T[]? y, int yOffset, int[] yStrides, T s, bool scalarFirst, T[] d)
{
    /// <summary>Applies <typeparamref name="TOp"/> over the operands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TOp>() where TOp : IBinaryOp<T>
    {
        if (y is not null) Elementwise.Binary<T, TOp>(shape, x, xOffset, xStrides, y, yOffset, yStrides, d);
        else if (scalarFirst) Elementwise.ScalarBinary<T, TOp>(s, x, xOffset, d);
        else Elementwise.BinaryScalar<T, TOp>(x, xOffset, s, d);
    }
}

/// <summary>The operands of d = op(x) for contiguous x.</summary>
internal readonly ref struct UnaryLoop<T>(T[] x, int xOffset, T[] d)
{
    /// <summary>Applies <typeparamref name="TOp"/> over the operands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TOp>() where TOp : IUnaryOp<T> => Elementwise.Unary<T, TOp>(x, xOffset, d);
}

/// <summary>The operands of boolean d = x op y over a broadcast shape.</summary>
internal readonly ref struct CompareLoop<T>(int[] shape, T[] x, int xOffset, int[] xStrides, T[] y, int yOffset, int[] yStrides, bool[] d)
{
    /// <summary>Applies <typeparamref name="TOp"/> over the operands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run<TOp>() where TOp : ICompareOp<T> => Elementwise.Compare<T, TOp>(shape, x, xOffset, xStrides, y, yOffset, yStrides, d);
}

/// <summary>Elementwise loops: strided broadcasting for binary ops, spans for unary ops, both cores for large inputs.</summary>
internal static class Elementwise
{
    /// <summary>Spans up to this long go through SpanMath's first-call-optimised loops rather than TensorPrimitives.</summary>
    public const int ShortSpan = 1024;

    /// <summary>Contiguous work above this many elements is split across cores.</summary>
    public const int ParallelThreshold = 1 << 17;

    /// <summary>d = op(x, y) over <paramref name="shape"/>, x and y read through (possibly 0) strides; d contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Binary<T, TOp>(int[] shape, T[] x, int xOffset, int[] xStrides, T[] y, int yOffset, int[] yStrides, T[] d)
        where TOp : IBinaryOp<T>
    {
        int n = d.Length;
        bool xc = ShapeUtil.IsContiguous(shape, xStrides), yc = ShapeUtil.IsContiguous(shape, yStrides);
        if (xc && yc)
        {
            if (n < ParallelThreshold) TOp.Apply(x.AsSpan(xOffset, n), y.AsSpan(yOffset, n), d);
            else ForChunks(n, (s, len) => TOp.Apply(x.AsSpan(xOffset + s, len), y.AsSpan(yOffset + s, len), d.AsSpan(s, len)));
            return;
        }
        Span<int> scratch = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var it = new RowIterator(shape, xStrides, xOffset, yStrides, yOffset, scratch);
        int len = it.RowLength, sx = it.RowStrideX, sy = it.RowStrideY;
        var dst = d.AsSpan();
        for (int r = 0, o = 0; r < it.Rows; r++, o += len, it.Next())
        {
            var dr = dst.Slice(o, len);
            if (sx == 1 && sy == 1) TOp.Apply(x.AsSpan(it.X, len), y.AsSpan(it.Y, len), dr);
            else if (sx == 1 && sy == 0) TOp.Apply(x.AsSpan(it.X, len), y[it.Y], dr);
            else if (sx == 0 && sy == 1) TOp.Apply(x[it.X], y.AsSpan(it.Y, len), dr);
            else
            {
                // Rare: gather the row into contiguous scratch, then apply.
                var bx = System.Buffers.ArrayPool<T>.Shared.Rent(len);
                var by = System.Buffers.ArrayPool<T>.Shared.Rent(len);
                for (int i = 0, a = it.X, b = it.Y; i < len; i++, a += sx, b += sy) { bx[i] = x[a]; by[i] = y[b]; }
                TOp.Apply(bx.AsSpan(0, len), by.AsSpan(0, len), dr);
                System.Buffers.ArrayPool<T>.Shared.Return(bx);
                System.Buffers.ArrayPool<T>.Shared.Return(by);
            }
        }
    }

    /// <summary>d = op(x, s) for contiguous x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void BinaryScalar<T, TOp>(T[] x, int xOffset, T s, T[] d) where TOp : IBinaryOp<T>
    {
        if (d.Length < ParallelThreshold) TOp.Apply(x.AsSpan(xOffset, d.Length), s, d);   // no closure for small work
        else ForChunks(d.Length, (o, len) => TOp.Apply(x.AsSpan(xOffset + o, len), s, d.AsSpan(o, len)));
    }

    /// <summary>d = op(s, x) for contiguous x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ScalarBinary<T, TOp>(T s, T[] x, int xOffset, T[] d) where TOp : IBinaryOp<T>
    {
        if (d.Length < ParallelThreshold) TOp.Apply(s, x.AsSpan(xOffset, d.Length), d);
        else ForChunks(d.Length, (o, len) => TOp.Apply(s, x.AsSpan(xOffset + o, len), d.AsSpan(o, len)));
    }

    /// <summary>d = op(x) for contiguous x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Unary<T, TOp>(T[] x, int xOffset, T[] d) where TOp : IUnaryOp<T>
    {
        if (d.Length < ParallelThreshold) TOp.Apply(x.AsSpan(xOffset, d.Length), d);
        else ForChunks(d.Length, (o, len) => TOp.Apply(x.AsSpan(xOffset + o, len), d.AsSpan(o, len)));
    }

    /// <summary>d = x op y over a broadcast shape, as booleans.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Compare<T, TOp>(int[] shape, T[] x, int xOffset, int[] xStrides, T[] y, int yOffset, int[] yStrides, bool[] d)
        where TOp : ICompareOp<T>
    {
        Span<int> scratch = stackalloc int[4 * Math.Max(shape.Length, 1)];
        var it = new RowIterator(shape, xStrides, xOffset, yStrides, yOffset, scratch);
        int len = it.RowLength, sx = it.RowStrideX, sy = it.RowStrideY;
        for (int r = 0, o = 0; r < it.Rows; r++, it.Next())
            for (int i = 0, a = it.X, b = it.Y; i < len; i++, a += sx, b += sy) d[o++] = TOp.Apply(x[a], y[b]);
    }

    /// <summary>Runs body over [0, n) in one piece, or in one piece per core when n is large.</summary>
    public static void ForChunks(int n, Action<int, int> body)
    {
        int cores = Environment.ProcessorCount;
        if (n < ParallelThreshold || cores == 1) { body(0, n); return; }
        int chunks = Math.Min(cores, n / (ParallelThreshold / 2));
        int per = (n + chunks - 1) / chunks;
        Parallel.For(0, chunks, c =>
        {
            int s = c * per;
            body(s, Math.Min(per, n - s));
        });
    }
}

// ---- binary operators ----
// Add, Sub and Mul take short spans through SpanMath's loops, compiled optimised from their first call: TensorPrimitives'
// generic loops run unoptimised until the JIT tiers them up, which a short run never waits for. The results are the same
// IEEE operations element by element.
internal readonly struct AddOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) { if (x.Length <= Elementwise.ShortSpan) SpanMath.Add(x, y, d); else TensorPrimitives.Add(x, y, d); }
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) { if (x.Length <= Elementwise.ShortSpan) SpanMath.Add(x, y, d); else TensorPrimitives.Add(x, y, d); }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) { if (y.Length <= Elementwise.ShortSpan) SpanMath.Add(y, x, d); else TensorPrimitives.Add(y, x, d); }
}
internal readonly struct AddOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<AddOp<T>>(); }
internal readonly struct SubOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) { if (x.Length <= Elementwise.ShortSpan) SpanMath.Subtract(x, y, d); else TensorPrimitives.Subtract(x, y, d); }
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Subtract(x, y, d);
}
internal readonly struct SubOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<SubOp<T>>(); }
internal readonly struct MulOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) { if (x.Length <= Elementwise.ShortSpan) SpanMath.Multiply(x, y, d); else TensorPrimitives.Multiply(x, y, d); }
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) { if (x.Length <= Elementwise.ShortSpan) SpanMath.Multiply(x, y, d); else TensorPrimitives.Multiply(x, y, d); }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) { if (y.Length <= Elementwise.ShortSpan) SpanMath.Multiply(y, x, d); else TensorPrimitives.Multiply(y, x, d); }
}
internal readonly struct MulOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<MulOp<T>>(); }
internal readonly struct DivOp<T> : IBinaryOp<T> where T : INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Divide(x, y, d);
}
internal readonly struct DivOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<DivOp<T>>(); }
internal readonly struct PowOp<T> : IBinaryOp<T> where T : unmanaged, IPowerFunctions<T>, IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d)
    {
        if (y == T.CreateTruncating(2)) MulOp<T>.Apply(x, x, d);
        else if (y == T.One) x.CopyTo(d);
        else TensorPrimitives.Pow(x, y, d);
    }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Pow(x, y, d);
}
internal readonly struct PowOp : IFloatBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<PowOp<T>>(); }
/// <summary>d = y &gt; 0 ? x : 0 (the gradient x of a ReLU whose output is y).</summary>
internal readonly struct WherePositiveOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var v = Vector.ConditionalSelect(Vector.GreaterThan(new Vector<T>(y[i..]), Vector<T>.Zero), new Vector<T>(x[i..]), Vector<T>.Zero);
                v.CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = y[i] > T.Zero ? x[i] : T.Zero;
    }
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) { if (y > T.Zero) x.CopyTo(d); else d.Clear(); }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = y[i] > T.Zero ? x : T.Zero; }
}
internal readonly struct WherePositiveOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<WherePositiveOp<T>>(); }
/// <summary>Elementwise maximum that propagates NaN, as torch.maximum.</summary>
internal readonly struct MaxOp<T> : IBinaryOp<T> where T : INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Max(x, y, d);
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Max(y, x, d);
}
internal readonly struct MaxOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<MaxOp<T>>(); }
/// <summary>Elementwise minimum that propagates NaN, as torch.minimum.</summary>
internal readonly struct MinOp<T> : IBinaryOp<T> where T : INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Min(x, y, d);
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Min(y, x, d);
}
internal readonly struct MinOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<MinOp<T>>(); }

// ---- comparisons ----
internal readonly struct EqOp<T> : ICompareOp<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T x, T y) => x == y; }
internal readonly struct EqOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<EqOp<T>>(); }
internal readonly struct NeOp<T> : ICompareOp<T> where T : IEqualityOperators<T, T, bool> { public static bool Apply(T x, T y) => x != y; }
internal readonly struct NeOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<NeOp<T>>(); }
internal readonly struct LtOp<T> : ICompareOp<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T x, T y) => x < y; }
internal readonly struct LtOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<LtOp<T>>(); }
internal readonly struct LeOp<T> : ICompareOp<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T x, T y) => x <= y; }
internal readonly struct LeOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<LeOp<T>>(); }
internal readonly struct GtOp<T> : ICompareOp<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T x, T y) => x > y; }
internal readonly struct GtOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<GtOp<T>>(); }
internal readonly struct GeOp<T> : ICompareOp<T> where T : IComparisonOperators<T, T, bool> { public static bool Apply(T x, T y) => x >= y; }
internal readonly struct GeOp : ICompareFamily { public static void Run<T>(in CompareLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<GeOp<T>>(); }

// ---- unary operators ----
internal readonly struct NegOp<T> : IUnaryOp<T> where T : INumber<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d); }
internal readonly struct NegOp : IUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<NegOp<T>>(); }
internal readonly struct AbsOp<T> : IUnaryOp<T> where T : INumber<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d); }
internal readonly struct AbsOp : IUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<AbsOp<T>>(); }
internal readonly struct ExpOp<T> : IUnaryOp<T> where T : IExponentialFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Exp(x, d); }
internal readonly struct ExpOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<ExpOp<T>>(); }
internal readonly struct LogOp<T> : IUnaryOp<T> where T : ILogarithmicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log(x, d); }
internal readonly struct LogOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<LogOp<T>>(); }
internal readonly struct SqrtOp<T> : IUnaryOp<T> where T : IRootFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d); }
internal readonly struct SqrtOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<SqrtOp<T>>(); }
internal readonly struct SinOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sin(x, d); }
internal readonly struct SinOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<SinOp<T>>(); }
internal readonly struct CosOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Cos(x, d); }
internal readonly struct CosOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<CosOp<T>>(); }
/// <summary>d[i] = tanh x[i] by the scalar libm function: TensorPrimitives.Tanh is off near 0 (tanh 0 = −6e−8 in Float32, 3e−8 relative in Float64).</summary>
internal readonly struct TanhOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = T.Tanh(x[i]); }
}
internal readonly struct TanhOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<TanhOp<T>>(); }
internal readonly struct SigmoidOp<T> : IUnaryOp<T> where T : IExponentialFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sigmoid(x, d); }
internal readonly struct SigmoidOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<SigmoidOp<T>>(); }
internal readonly struct ReluOp<T> : IUnaryOp<T> where T : INumber<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Max(x, T.Zero, d); }
internal readonly struct ReluOp : IUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<ReluOp<T>>(); }
/// <summary>d[i] = x[i] &lt; y[i] ? y[i] : x[i], NaN when either is NaN (torch.maximum: on ties, ±0 included, x).</summary>
internal readonly struct MaximumOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Extremum.Pairwise(x, y, d, max: true);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Extremum.Max(x[i], y); }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Extremum.Max(x, y[i]); }
}
internal readonly struct MaximumOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<MaximumOp<T>>(); }
/// <summary>d[i] = y[i] &lt; x[i] ? y[i] : x[i], NaN when either is NaN (torch.minimum: on ties, ±0 included, x).</summary>
internal readonly struct MinimumOp<T> : IBinaryOp<T> where T : unmanaged, INumber<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => Extremum.Pairwise(x, y, d, max: false);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Extremum.Min(x[i], y); }
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = Extremum.Min(x, y[i]); }
}
internal readonly struct MinimumOp : IBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, INumber<T> => loop.Run<MinimumOp<T>>(); }

/// <summary>PyTorch's elementwise max/min: std::max/std::min (the first operand on ties) with NaN propagated from either side.</summary>
internal static class Extremum
{
    public static T Max<T>(T x, T y) where T : INumber<T> => T.IsNaN(y) ? y : (x < y ? y : x);
    public static T Min<T>(T x, T y) where T : INumber<T> => T.IsNaN(y) ? y : (y < x ? y : x);

    /// <summary>d[i] = Max(x[i], y[i]) or Min(x[i], y[i]), a vector at a time.</summary>
    public static void Pairwise<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d, bool max) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && Vector<T>.IsSupported)
            for (; i <= d.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> a = new(x[i..]), b = new(y[i..]);
                var takeB = max ? Vector.LessThan(a, b) : Vector.LessThan(b, a);
                takeB |= ~Vector.Equals(b, b);                    // y is NaN (never for integers)
                Vector.ConditionalSelect(takeB, b, a).CopyTo(d[i..]);
            }
        for (; i < d.Length; i++) d[i] = max ? Max(x[i], y[i]) : Min(x[i], y[i]);
    }
}
