using System.Numerics;
using System.Runtime.InteropServices;
using MathNet.Numerics;

namespace Framework.Autograd.Kernels;

// The special functions of Ops/Special.cs: scalar functions in double (Float32 is computed in double and rounded), through
// MathNet.Numerics where it is accurate, with PyTorch's values at the edges and a repair where MathNet is poor (see each).

/// <summary>A scalar function of a double.</summary>
internal interface IScalarFunction
{
    /// <summary>f(x).</summary>
    static abstract double F(double x);
}

/// <summary>d[i] = f(x[i]), computed in double and rounded to T.</summary>
internal readonly struct MapDouble<T, TF> : IUnaryOp<T> where T : IFloatingPointIeee754<T> where TF : IScalarFunction
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(TF.F(double.CreateTruncating(x[i])));
    }
}

internal readonly struct ErfFn : IScalarFunction { public static double F(double x) => SpecialMath.Erf(x); }
internal readonly struct ErfcFn : IScalarFunction { public static double F(double x) => SpecialMath.Erfc(x); }
internal readonly struct ErfinvFn : IScalarFunction { public static double F(double x) => SpecialMath.Erfinv(x); }
internal readonly struct LgammaFn : IScalarFunction { public static double F(double x) => SpecialMath.Lgamma(x); }
internal readonly struct DigammaFn : IScalarFunction { public static double F(double x) => SpecialMath.Digamma(x); }

/// <summary>erf: Float32 through the vectorised <see cref="FastErf"/>, Float64 in double through MathNet.</summary>
internal readonly struct ErfOp : IFloatUnaryFamily
{
    public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float)) loop.Run<ErfSingle<T>>();
        else loop.Run<MapDouble<T, ErfFn>>();
    }
}

/// <summary>d[i] = erf(x[i]) for T = float.</summary>
internal readonly struct ErfSingle<T> : IUnaryOp<T> where T : unmanaged
{
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => FastErf.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
}
internal readonly struct ErfcOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<MapDouble<T, ErfcFn>>(); }
internal readonly struct ErfinvOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<MapDouble<T, ErfinvFn>>(); }
internal readonly struct LgammaOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<MapDouble<T, LgammaFn>>(); }
internal readonly struct DigammaOp : IFloatUnaryFamily { public static void Run<T>(in UnaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<MapDouble<T, DigammaFn>>(); }

/// <summary>d[i] = ψ⁽ⁿ⁾(x[i]) with the order n as the scalar operand, computed in double.</summary>
internal readonly struct PolygammaOp<T> : IBinaryOp<T> where T : IFloatingPointIeee754<T>
{
    public static void Apply(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => throw new NotSupportedException("polygamma takes its order as a scalar");
    public static void Apply(T x, ReadOnlySpan<T> y, Span<T> d) => throw new NotSupportedException("polygamma takes its order as a scalar");
    public static void Apply(ReadOnlySpan<T> x, T n, Span<T> d)
    {
        int order = int.CreateTruncating(n);
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(SpecialMath.Polygamma(order, double.CreateTruncating(x[i])));
    }
}
internal readonly struct PolygammaOp : IFloatBinaryFamily { public static void Run<T>(in BinaryLoop<T> loop) where T : unmanaged, IFloatingPointIeee754<T> => loop.Run<PolygammaOp<T>>(); }

/// <summary>The scalar special functions, with torch's values at the edges (±0, ±1, poles, ±∞, NaN).</summary>
internal static class SpecialMath
{
    private const double EulerGamma = 0.57721566490153286061;

    /// <summary>B₂ⱼ/(2j)! for j = 1..9, the Euler–Maclaurin coefficients (first: the tables below are built from HurwitzZeta).</summary>
    private static readonly double[] BernoulliOverFactorial =
        [1.0 / 12, -1.0 / 720, 1.0 / 30240, -1.0 / 1209600, 1.0 / 47900160, -691.0 / 1307674368000, 1.0 / 74724249600,
         -3617.0 / 10670622842880000, 43867.0 / 5109094217170944000];


    /// <summary>erf x (MathNet); erf(±0) = ±0.</summary>
    public static double Erf(double x) => x == 0 || double.IsNaN(x) ? x : SpecialFunctions.Erf(x);

    /// <summary>erfc x = 1 − erf x without cancellation (MathNet).</summary>
    public static double Erfc(double x) => double.IsNaN(x) ? x : SpecialFunctions.Erfc(x);

    /// <summary>erf⁻¹ y (MathNet): ±∞ at ±1, NaN outside [−1, 1] (MathNet gives ±∞ there), erfinv(±0) = ±0.</summary>
    public static double Erfinv(double y)
    {
        if (double.IsNaN(y) || Math.Abs(y) > 1) return double.NaN;
        if (y == 0) return y;
        return SpecialFunctions.ErfInv(y);
    }

    /// <summary>
    /// ln|Γ(x)|: +∞ at 0, the negative integers and ±∞. MathNet's GammaLn (Lanczos) for x ≥ 0.5 away from 1 and 2; near
    /// its zeros 1 and 2, where Lanczos keeps only an absolute accuracy, the Taylor series at 1; below 0.5 the reflection
    /// Γ(x)Γ(1 − x) = π/sin(πx) with |sin| (MathNet takes the log of a negative sine there and returns NaN).
    /// </summary>
    public static double Lgamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (double.IsInfinity(x) || (x <= 0 && x == Math.Floor(x))) return double.PositiveInfinity;
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(SinPi(x))) - Lgamma(1 - x);
        if (Math.Abs(x - 1) < 0.25) return LgammaOnePlus(x - 1);   // x − 1 and x − 2 are exact here
        if (Math.Abs(x - 2) < 0.25) return LgammaOnePlus(x - 2) + Math.Log(x - 1);
        return SpecialFunctions.GammaLn(x);
    }

    /// <summary>ln Γ(1 + e) = −γe + Σₖ₌₂ (−1)ᵏ ζ(k) eᵏ / k, for |e| &lt; 1/4 (30 terms: the k-th is below 4⁻ᵏ/k).</summary>
    private static double LgammaOnePlus(double e)
    {
        double sum = 0, power = -e;   // (−e)ᵏ = (−1)ᵏ eᵏ
        for (int k = 2; k <= 32; k++)
        {
            power *= -e;
            sum += Zeta[k] * power / k;
        }
        return -EulerGamma * e + sum;
    }

    /// <summary>ζ(k) for k = 0..33 (ζ(0), ζ(1) unused).</summary>
    private static readonly double[] Zeta = [.. Enumerable.Range(0, 34).Select(k => k < 2 ? double.NaN : HurwitzZeta(k, 1))];

    /// <summary>sin(πx) computed on x reduced to [−1, 1] (exact), so large |x| keeps its accuracy.</summary>
    private static double SinPi(double x)
    {
        double r = Math.IEEERemainder(x, 2.0);
        return Math.Sin(Math.PI * r);
    }

    /// <summary>
    /// ψ(x) = d/dx ln Γ(x): ∓∞ at ±0, NaN at the negative integers and −∞, as torch. MathNet's DiGamma for x &gt; 0, except
    /// near ψ's root x₀ ≈ 1.4616, where its sum of O(1) terms keeps only ~1e-15 absolute accuracy: there the Taylor series at
    /// x₀. For x &lt; 0 the reflection ψ(x) = ψ(1 − x) − π/tan(π·frac(x)), on the fractional part (MathNet uses π/tan(πx),
    /// which loses digits as |x| grows).
    /// </summary>
    public static double Digamma(double x)
    {
        if (x == 0) return double.CopySign(double.PositiveInfinity, -x);
        if (x < 0)
        {
            if (x == Math.Floor(x)) return double.NaN;
            return Digamma(1 - x) - Math.PI / Math.Tan(Math.PI * (x - Math.Truncate(x)));
        }
        if (Math.Abs(x - DigammaRootHi) < 0.125) return DigammaNearRoot((x - DigammaRootHi) - DigammaRootLo);
        return SpecialFunctions.DiGamma(x);
    }

    /// <summary>ψ's positive root x₀ as hi + lo (x − hi is exact near x₀).</summary>
    private const double DigammaRootHi = 1.4616321449683622, DigammaRootLo = 9.549995429965697e-17;

    /// <summary>ψ(x₀ + h) = Σₖ ψ⁽ᵏ⁾(x₀)/k!·hᵏ = Σₖ (−1)ᵏ⁺¹ ζ(k + 1, x₀)·hᵏ, for |h| &lt; 1/8 (the k-th term is below (h/x₀)ᵏ).</summary>
    private static double DigammaNearRoot(double h)
    {
        double sum = 0;
        for (int k = DigammaRootTaylor.Length - 1; k >= 1; k--) sum = (sum + DigammaRootTaylor[k]) * h;
        return sum;
    }

    /// <summary>(−1)ᵏ⁺¹ ζ(k + 1, x₀) for k = 1..24 (index 0 unused).</summary>
    private static readonly double[] DigammaRootTaylor =
        [.. Enumerable.Range(0, 25).Select(k => k == 0 ? 0 : (k % 2 == 1 ? 1 : -1) * HurwitzZeta(k + 1, DigammaRootHi))];

    /// <summary>ψ⁽ⁿ⁾(x), the n-th derivative of ψ: ψ for n = 0, trigamma for n = 1, else (−1)ⁿ⁺¹ n! ζ(n + 1, x).</summary>
    public static double Polygamma(int n, double x)
    {
        if (n == 0) return Digamma(x);
        if (n == 1) return Trigamma(x);
        double factorial = 1;
        for (int k = 2; k <= n; k++) factorial *= k;
        return (n % 2 == 1 ? 1.0 : -1.0) * factorial * HurwitzZeta(n + 1, x);
    }

    /// <summary>
    /// ψ'(x) = Σₖ 1/(x + k)²: for x &lt; 0.5 the reflection ψ'(x) = π²/sin²(πx) − ψ'(1 − x) (+∞ at 0 and the negative
    /// integers); then the recurrence up to x ≥ 10 and the asymptotic series to B₁₀ (relative error below 1e-15).
    /// </summary>
    public static double Trigamma(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x == double.PositiveInfinity) return 0;
        double sign = 1, result = 0;
        if (x < 0.5)
        {
            if (x == Math.Floor(x)) return double.PositiveInfinity;   // a pole (also −∞)
            double s = SinPi(x);
            sign = -1;
            result = -Math.PI * Math.PI / (s * s);
            x = 1 - x;
        }
        for (; x < 10; x += 1) result += 1 / (x * x);
        double ixx = 1 / (x * x);
        result += (1 + 1 / (2 * x) + ixx * (1.0 / 6 - ixx * (1.0 / 30 - ixx * (1.0 / 42 - ixx * (1.0 / 30 - ixx * (5.0 / 66)))))) / x;
        return sign * result;
    }

    /// <summary>
    /// The Hurwitz zeta function ζ(s, q) = Σₖ (q + k)⁻ˢ for s &gt; 1: +∞ at q = 0 and the negative integers; the sum taken
    /// term by term while q + k &lt; 10, then its tail by Euler–Maclaurin.
    /// </summary>
    public static double HurwitzZeta(double s, double q)
    {
        if (double.IsNaN(q)) return q;
        if (q <= 0 && q == Math.Floor(q)) return double.PositiveInfinity;
        if (q == double.PositiveInfinity) return 0;
        double sum = 0, a = q;
        for (int k = 0; a < 10 || k < 2; k++, a += 1) sum += Math.Pow(a, -s);
        // tail Σ_{k≥0} (a + k)^−s ≈ a^(1−s)/(s − 1) + a^−s/2 + Σⱼ B₂ⱼ/(2j)! · s(s+1)…(s+2j−2) · a^(−s−2j+1)
        double power = Math.Pow(a, -s);
        sum += a * power / (s - 1) + 0.5 * power;
        double rising = s, term = power / a;   // term: a^(−s−1), then a^(−s−2j+1)
        for (int j = 0; j < BernoulliOverFactorial.Length; j++)
        {
            double t = BernoulliOverFactorial[j] * rising * term;
            sum += t;
            if (Math.Abs(t) < 1e-17 * Math.Abs(sum)) break;
            rising *= (s + 2 * j + 1) * (s + 2 * j + 2);
            term /= a * a;
        }
        return sum;
    }
}
