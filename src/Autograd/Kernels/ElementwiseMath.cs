using System.Numerics;
using System.Numerics.Tensors;

namespace Framework.Autograd.Kernels;

// The floating unary families of Ops/Unary.cs (rounding, exponentials and logarithms, trigonometric and hyperbolic) and atan2.

// ---- rounding (an integer tensor is returned as a copy by the op, before any kernel) ----
internal readonly struct FloorOp<T> : IUnaryOp<T> where T : IFloatingPoint<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Floor(x, d); }
internal readonly struct FloorOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<FloorOp<T>>(); }
internal readonly struct CeilOp<T> : IUnaryOp<T> where T : IFloatingPoint<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Ceiling(x, d); }
internal readonly struct CeilOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<CeilOp<T>>(); }
/// <summary>d[i] = x[i] rounded to the nearest integer, halves to even (nearbyint).</summary>
internal readonly struct RoundOp<T> : IUnaryOp<T> where T : IFloatingPoint<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Round(x, d); }
internal readonly struct RoundOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<RoundOp<T>>(); }
internal readonly struct TruncOp<T> : IUnaryOp<T> where T : IFloatingPoint<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Truncate(x, d); }
internal readonly struct TruncOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<TruncOp<T>>(); }
/// <summary>d[i] = x[i] − trunc(x[i]).</summary>
internal readonly struct FracOp<T> : IUnaryOp<T> where T : IFloatingPoint<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        TensorPrimitives.Truncate(x, d);
        TensorPrimitives.Subtract(x, d, d);
    }
}
internal readonly struct FracOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<FracOp<T>>(); }
/// <summary>d[i] = nearbyint(x[i]·10^s)/10^s for s ≥ 0, nearbyint(x[i]/10^−s)·10^−s for s &lt; 0, with 10^|s| rounded to T (torch.round(decimals)).</summary>
internal readonly struct RoundDecimalsOp<T> : IBinaryOp<T> where T : IFloatingPoint<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => throw new NotSupportedException("round(decimals) takes a scalar");
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => throw new NotSupportedException("round(decimals) takes a scalar");
    public static void Apply(ReadOnlySpan<T> x, T s, Span<T> d)
    {
        bool negative = s < T.Zero;
        var p = T.CreateTruncating(Math.Pow(10, double.CreateTruncating(T.Abs(s))));
        for (int i = 0; i < d.Length; i++)
            d[i] = negative ? T.Round(x[i] / p) * p : T.Round(x[i] * p) / p;
    }
}
internal readonly struct RoundDecimalsOp : IFloatBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<RoundDecimalsOp<T>>(); }

// ---- exponentials, logarithms, roots (floating T) ----
internal readonly struct RsqrtOp<T> : IUnaryOp<T> where T : IFloatingPointIeee754<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.ReciprocalSqrt(x, d); }
internal readonly struct RsqrtOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<RsqrtOp<T>>(); }
/// <summary>d[i] = ln(1 + x[i]), accurate for small x (TensorPrimitives' LogP1 computes ln(x + 1) and loses it); computed in double.</summary>
internal readonly struct Log1pOp<T> : IUnaryOp<T> where T : IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(Log1p(double.CreateTruncating(x[i])));
    }

    /// <summary>ln(1 + x) by Goldberg's correction: ln(u)·x/(u − 1) with u = 1 + x rounded.</summary>
    private static double Log1p(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsInfinity(u) || u <= 0) return Math.Log(u);
        return Math.Log(u) * (x / (u - 1.0));
    }
}
internal readonly struct Log1pOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<Log1pOp<T>>(); }
/// <summary>d[i] = e^x[i] − 1, accurate for small x (TensorPrimitives' ExpM1 computes e^x − 1 and loses it); computed in double.</summary>
internal readonly struct Expm1Op<T> : IUnaryOp<T> where T : IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(Expm1(double.CreateTruncating(x[i])));
    }

    /// <summary>e^x − 1 by Kahan's correction: (u − 1)·x/ln(u) with u = e^x rounded.</summary>
    private static double Expm1(double x)
    {
        if (Math.Abs(x) > 0.5) return Math.Exp(x) - 1.0;   // no cancellation to correct
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        return (u - 1.0) * (x / Math.Log(u));
    }
}
internal readonly struct Expm1Op : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<Expm1Op<T>>(); }
internal readonly struct Log2Op<T> : IUnaryOp<T> where T : ILogarithmicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log2(x, d); }
internal readonly struct Log2Op : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<Log2Op<T>>(); }
internal readonly struct Log10Op<T> : IUnaryOp<T> where T : ILogarithmicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Log10(x, d); }
internal readonly struct Log10Op : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<Log10Op<T>>(); }

// ---- trigonometric and hyperbolic (floating T) ----
internal readonly struct TanOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Tan(x, d); }
internal readonly struct TanOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<TanOp<T>>(); }
internal readonly struct AsinOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Asin(x, d); }
internal readonly struct AsinOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AsinOp<T>>(); }
internal readonly struct AcosOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Acos(x, d); }
internal readonly struct AcosOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AcosOp<T>>(); }
internal readonly struct AtanOp<T> : IUnaryOp<T> where T : ITrigonometricFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Atan(x, d); }
internal readonly struct AtanOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AtanOp<T>>(); }
/// <summary>d[i] = sinh x[i] by the scalar libm function: TensorPrimitives.Sinh computes (e^x − e^−x)/2 and loses every digit near 0.</summary>
internal readonly struct SinhOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = T.Sinh(x[i]); }
}
internal readonly struct SinhOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<SinhOp<T>>(); }
/// <summary>d[i] = cosh x[i] by the scalar libm function: TensorPrimitives.Cosh is ~10 ulp off for large x in Float64.</summary>
internal readonly struct CoshOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T>
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) { for (int i = 0; i < d.Length; i++) d[i] = T.Cosh(x[i]); }
}
internal readonly struct CoshOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<CoshOp<T>>(); }
internal readonly struct AsinhOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Asinh(x, d); }
internal readonly struct AsinhOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AsinhOp<T>>(); }
internal readonly struct AcoshOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Acosh(x, d); }
internal readonly struct AcoshOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AcoshOp<T>>(); }
internal readonly struct AtanhOp<T> : IUnaryOp<T> where T : IHyperbolicFunctions<T> { public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Atanh(x, d); }
internal readonly struct AtanhOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<AtanhOp<T>>(); }
/// <summary>d[i] = atan2(x[i], y[i]), the angle of the point (y, x).</summary>
internal readonly struct Atan2Op<T> : IBinaryOp<T> where T : IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Atan2(x, y, d);
    public static void Apply(ReadOnlySpan<T> x, T y, Span<T> d) => TensorPrimitives.Atan2(x, y, d);
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => TensorPrimitives.Atan2(x, y, d);
}
internal readonly struct Atan2Op : IFloatBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<Atan2Op<T>>(); }
