using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Framework.Autograd.Kernels;

/// <summary>
/// erf over Float32 spans, vectorised: |x| ≤ 0.921875 as x + x·p(x²), beyond as ±(1 − exp(q(|x|))) with q fitted to
/// log erfc on [0.921875, 4] (|x| &gt; 4 rounds to ±1). Within 2 ulp of the correctly rounded value (SpecialTests checks it).
/// </summary>
internal static class FastErf
{
    private const float Cut = 0.921875f, Clamp = 4f;
    // p(s) ≈ erf(x)/x − 1 with s = x², least-squares near-minimax on Chebyshev nodes (relative error 1.5e-8).
    private const float P0 = 0.12837915187547522f, P1 = -0.3761250624015579f, P2 = 0.11281930997608233f,
                        P3 = -0.026770336198786895f, P4 = 0.0049981252150326505f, P5 = -0.0006013930333520906f;
    // q(t) ≈ log erfc(t), weighted by erfc(t) (absolute error of erf 4e-11 before rounding).
    private const float Q0 = 0.00017637445785767932f, Q1 = -1.1295232221785887f, Q2 = -0.6333298138250415f, Q3 = -0.10829926259219053f,
                        Q4 = 0.02513205677796837f, Q5 = -0.004175944666113651f, Q6 = 0.00043548724473274625f, Q7 = -2.1185100231746468e-05f;
    private const int Block = 512;

    /// <summary>d[i] = erf(scale·x[i]); d may be x.</summary>
    public static void Apply(ReadOnlySpan<float> x, Span<float> d, float scale = 1f)
    {
        Span<float> e = stackalloc float[Block];
        for (int o = 0; o < x.Length; o += Block)
        {
            int n = Math.Min(Block, x.Length - o);
            var xs = x.Slice(o, n); var ds = d.Slice(o, n); var es = e[..n];
            Exponent(xs, es, scale);
            FastExp.Apply(es, es);
            Combine(xs, es, ds, scale);
        }
    }

    private static float Q(float t) => ((((((Q7 * t + Q6) * t + Q5) * t + Q4) * t + Q3) * t + Q2) * t + Q1) * t + Q0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Q(Vector<float> t) => ((((((new Vector<float>(Q7) * t + new Vector<float>(Q6)) * t + new Vector<float>(Q5)) * t
        + new Vector<float>(Q4)) * t + new Vector<float>(Q3)) * t + new Vector<float>(Q2)) * t + new Vector<float>(Q1)) * t + new Vector<float>(Q0);
    private static float P(float s) => ((((P5 * s + P4) * s + P3) * s + P2) * s + P1) * s + P0;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> P(Vector<float> s) => ((((new Vector<float>(P5) * s + new Vector<float>(P4)) * s + new Vector<float>(P3)) * s
        + new Vector<float>(P2)) * s + new Vector<float>(P1)) * s + new Vector<float>(P0);

    /// <summary>e[i] = q(min(|scale·x[i]|, 4)), the exponent of the large branch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Exponent(ReadOnlySpan<float> x, Span<float> e, float scale)
    {
        int i = 0, w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ev = MemoryMarshal.Cast<float, Vector<float>>(e);
            var s = new Vector<float>(scale); var c = new Vector<float>(Clamp);
            for (int k = 0; k < xv.Length; k++) ev[k] = Q(Vector.Min(Vector.Abs(xv[k] * s), c));
            i = xv.Length * w;
        }
        for (; i < x.Length; i++) e[i] = Q(MathF.Min(MathF.Abs(x[i] * scale), Clamp));
    }

    /// <summary>d[i] = erf(scale·x[i]) from e[i] = exp(q(|scale·x[i]|)); NaN stays NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Combine(ReadOnlySpan<float> x, ReadOnlySpan<float> e, Span<float> d, float scale)
    {
        int i = 0, w = Vector<float>.Count;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ev = MemoryMarshal.Cast<float, Vector<float>>(e);
            var dv = MemoryMarshal.Cast<float, Vector<float>>(d);
            var s = new Vector<float>(scale); var cut = new Vector<float>(Cut);
            var sign = new Vector<float>(-0f);
            for (int k = 0; k < xv.Length; k++)
            {
                var a = xv[k] * s;
                var small = a + a * P(a * a);
                var large = (Vector<float>.One - ev[k]) | (a & sign);
                var r = Vector.ConditionalSelect(Vector.LessThanOrEqual(Vector.Abs(a), cut), small, large);
                dv[k] = Vector.ConditionalSelect(Vector.Equals(a, a), r, a);
            }
            i = xv.Length * w;
        }
        for (; i < x.Length; i++)
        {
            float a = x[i] * scale;
            d[i] = float.IsNaN(a) ? a : MathF.Abs(a) <= Cut ? a + a * P(a * a) : MathF.CopySign(1f - e[i], a);
        }
    }
}

/// <summary>
/// e^x over Float32 spans for x in [−87, 88] (the caller's range; outside it the result is not defined), vectorised:
/// x = n·ln 2 + r with |r| ≤ ½ln 2 (ln 2 split in two for an exact reduction), e^r by a degree-7 polynomial, times 2ⁿ.
/// </summary>
internal static class FastExp
{
    private const float Log2E = 1.44269504088896341f, C1 = 0.693359375f, C2 = -2.12194440e-4f;
    private const float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f, E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    /// <summary>d[i] = e^x[i]; d may be x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Apply(ReadOnlySpan<float> x, Span<float> d)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var dv = MemoryMarshal.Cast<float, Vector<float>>(d);
            for (int k = 0; k < xv.Length; k++) dv[k] = Exp(xv[k]);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) d[i] = Exp(x[i]);
    }

    /// <summary>d[i] = e^x[i] for any x: 2ⁿ applied in two halves, so subnormal results are right; 0 below −104, +∞ beyond 88.73, NaN kept.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ApplyAnywhere(ReadOnlySpan<float> x, Span<float> d)
    {
        const float Lo = -104f, Hi = 88.73f;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var dv = MemoryMarshal.Cast<float, Vector<float>>(d);
            Vector<float> lo = new(Lo), hi = new(Hi), inf = new(float.PositiveInfinity);
            for (int k = 0; k < xv.Length; k++)
            {
                var v = xv[k];
                var e = ExpSplit(Vector.Min(Vector.Max(v, lo), hi));
                e = Vector.ConditionalSelect(Vector.LessThan(v, lo), Vector<float>.Zero, e);
                e = Vector.ConditionalSelect(Vector.GreaterThan(v, hi), inf, e);
                dv[k] = Vector.ConditionalSelect(Vector.Equals(v, v), e, v);
            }
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++)
        {
            float v = x[i];
            d[i] = float.IsNaN(v) ? v : v < Lo ? 0f : v > Hi ? float.PositiveInfinity : ExpSplit(v);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Exp(Vector<float> x)
    {
        var (e, n) = Reduced(x);
        return e * Pow2(n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<float> E, Vector<int> N) Reduced(Vector<float> x)
    {
        var n = Vector.Floor(x * new Vector<float>(Log2E) + new Vector<float>(0.5f));
        var r = x - n * new Vector<float>(C1) - n * new Vector<float>(C2);
        var p = ((((new Vector<float>(E0) * r + new Vector<float>(E1)) * r + new Vector<float>(E2)) * r + new Vector<float>(E3)) * r
                 + new Vector<float>(E4)) * r + new Vector<float>(E5);
        return (p * r * r + r + Vector<float>.One, Vector.ConvertToInt32(n));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Pow2(Vector<int> n) => Vector.AsVectorSingle((n + new Vector<int>(127)) << 23);

    /// <summary>e^x for x in [−104, 88.73]: 2ⁿ as 2^⌊n/2⌋·2^(n−⌊n/2⌋), each factor a normal float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpSplit(Vector<float> x)
    {
        var (e, n) = Reduced(x);
        var half = n >> 1;
        return e * Pow2(half) * Pow2(n - half);
    }

    private static float ExpSplit(float x)
    {
        float n = MathF.Floor(x * Log2E + 0.5f);
        float r = x - n * C1 - n * C2;
        float p = ((((E0 * r + E1) * r + E2) * r + E3) * r + E4) * r + E5;
        int ni = (int)n, half = ni >> 1;
        return (p * r * r + r + 1f) * BitConverter.Int32BitsToSingle((half + 127) << 23) * BitConverter.Int32BitsToSingle((ni - half + 127) << 23);
    }

    private static float Exp(float x)
    {
        float n = MathF.Floor(x * Log2E + 0.5f);
        float r = x - n * C1 - n * C2;
        float p = ((((E0 * r + E1) * r + E2) * r + E3) * r + E4) * r + E5;
        return (p * r * r + r + 1f) * BitConverter.Int32BitsToSingle(((int)n + 127) << 23);
    }
}
