using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

/// <summary>Span loops the tensor ops run, for kernels written outside this assembly: special functions, and dot, sum, add and divide loops that run optimised from their first call.</summary>
/// <remarks>
/// Why the last: in a fresh process the runtime runs a generic method unoptimised until it has tiered it up, and
/// TensorPrimitives' instantiations, whose vector operators are separate calls until then, stayed so for the first 1.5 s
/// of a CNN's first epoch (perf, default settings): 0.5 s of CPU in the convolution's weight-gradient dot products alone.
/// A kernel that calls a short loop thousands of times a step calls these instead. Over 5 alternated fresh runs, the CNN's
/// first epoch took 2.94 s before and 2.37 s after (with its pooling and patch kernels compiled optimised the same way).
/// </remarks>
public static class SpanMath
{
    /// <summary>d[i] = erf(scale·x[i]), as <see cref="Tensor.Erf()"/> computes it; d may be x.</summary>
    public static void Erf<T>(ReadOnlySpan<T> x, Span<T> d, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (d.Length != x.Length) throw new ArgumentException($"SpanMath.Erf: the output has {d.Length} elements, the input {x.Length}");
        if (typeof(T) == typeof(float))
        {
            FastErf.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d), float.CreateTruncating(scale));
            return;
        }
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(SpecialMath.Erf(double.CreateTruncating(scale * x[i])));
    }

    /// <summary>
    /// d[i] = e^x[i]; d may be x. Float32 is vectorised to within 1.5 ulp of e^x (Tensor.Exp may differ from it by an ulp);
    /// Float64 is TensorPrimitives' exp, as Tensor.Exp computes it.
    /// </summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (d.Length != x.Length) throw new ArgumentException($"SpanMath.Exp: the output has {d.Length} elements, the input {x.Length}");
        if (typeof(T) == typeof(float)) FastExp.ApplyAnywhere(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
        else System.Numerics.Tensors.TensorPrimitives.Exp(x, d);
    }

    /// <summary>Σ a[i]·b[i] over spans of one length, in four vector accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Dot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, INumber<T>
    {
        if (b.Length != a.Length) throw new ArgumentException($"SpanMath.Dot: b has {b.Length} elements, a {a.Length}");
        int n = a.Length, i = 0, w = Vector<T>.IsSupported ? Vector<T>.Count : 0;
        T s = T.Zero;
        if (Vector.IsHardwareAccelerated && w > 0 && n >= w)
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero, s2 = Vector<T>.Zero, s3 = Vector<T>.Zero;
            for (; i <= n - 4 * w; i += 4 * w)
            {
                s0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
                s1 += Vector.LoadUnsafe(ref ra, (nuint)(i + w)) * Vector.LoadUnsafe(ref rb, (nuint)(i + w));
                s2 += Vector.LoadUnsafe(ref ra, (nuint)(i + 2 * w)) * Vector.LoadUnsafe(ref rb, (nuint)(i + 2 * w));
                s3 += Vector.LoadUnsafe(ref ra, (nuint)(i + 3 * w)) * Vector.LoadUnsafe(ref rb, (nuint)(i + 3 * w));
            }
            for (; i <= n - w; i += w) s0 += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
            s = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; i < n; i++) s += a[i] * b[i];
        return s;
    }

    /// <summary>Σ a[i], in two vector accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static T Sum<T>(ReadOnlySpan<T> a) where T : unmanaged, INumber<T>
    {
        int n = a.Length, i = 0, w = Vector<T>.IsSupported ? Vector<T>.Count : 0;
        T s = T.Zero;
        if (Vector.IsHardwareAccelerated && w > 0 && n >= w)
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            Vector<T> s0 = Vector<T>.Zero, s1 = Vector<T>.Zero;
            for (; i <= n - 2 * w; i += 2 * w)
            {
                s0 += Vector.LoadUnsafe(ref ra, (nuint)i);
                s1 += Vector.LoadUnsafe(ref ra, (nuint)(i + w));
            }
            for (; i <= n - w; i += w) s0 += Vector.LoadUnsafe(ref ra, (nuint)i);
            s = Vector.Sum(s0 + s1);
        }
        for (; i < n; i++) s += a[i];
        return s;
    }

    /// <summary>d[i] = a[i] + b[i] over spans of one length; d may be a or b (exactly, not shifted).</summary>
    public static void Add<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => WithSpans<T, AddScalar<T>>(a, b, d, "Add");

    /// <summary>d[i] = a[i] − b[i] over spans of one length; d may be a or b (exactly, not shifted).</summary>
    public static void Subtract<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => WithSpans<T, SubtractScalar<T>>(a, b, d, "Subtract");

    /// <summary>d[i] = a[i] · b[i] over spans of one length; d may be a or b (exactly, not shifted).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) where T : unmanaged, INumber<T> => WithSpans<T, MultiplyScalar<T>>(a, b, d, "Multiply");

    /// <summary>d[i] = op(a[i], b[i]), a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WithSpans<T, TOp>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d, string name) where T : unmanaged, INumber<T> where TOp : IScalarOp<T>
    {
        if (b.Length != a.Length || d.Length != a.Length)
            throw new ArgumentException($"SpanMath.{name}: a has {a.Length} elements, b {b.Length}, the output {d.Length}");
        if (PartlyOverlaps(a, d) || PartlyOverlaps(b, d)) throw new ArgumentException($"SpanMath.{name}: the output overlaps an input without being it");
        int n = a.Length, i = 0, w = Vector<T>.IsSupported ? Vector<T>.Count : 0;
        if (Vector.IsHardwareAccelerated && w > 0)
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rb = ref MemoryMarshal.GetReference(b);
            ref T rd = ref MemoryMarshal.GetReference(d);
            for (; i <= n - w; i += w) TOp.Apply(Vector.LoadUnsafe(ref ra, (nuint)i), Vector.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < n; i++) d[i] = TOp.Apply(a[i], b[i]);
    }

    /// <summary>d[i] = a[i] + c; d may be a (exactly, not shifted).</summary>
    public static void Add<T>(ReadOnlySpan<T> a, T c, Span<T> d) where T : unmanaged, INumber<T> => WithScalar<T, AddScalar<T>>(a, c, d, "Add");

    /// <summary>d[i] = a[i] · c; d may be a (exactly, not shifted).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, T c, Span<T> d) where T : unmanaged, INumber<T> => WithScalar<T, MultiplyScalar<T>>(a, c, d, "Multiply");

    /// <summary>d[i] = a[i] / c; d may be a (exactly, not shifted).</summary>
    public static void Divide<T>(ReadOnlySpan<T> a, T c, Span<T> d) where T : unmanaged, INumber<T> => WithScalar<T, DivideScalar<T>>(a, c, d, "Divide");

    /// <summary>d[i] = op(a[i], c), a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WithScalar<T, TOp>(ReadOnlySpan<T> a, T c, Span<T> d, string name) where T : unmanaged, INumber<T> where TOp : IScalarOp<T>
    {
        if (d.Length != a.Length) throw new ArgumentException($"SpanMath.{name}: the output has {d.Length} elements, the input {a.Length}");
        if (PartlyOverlaps(a, d)) throw new ArgumentException($"SpanMath.{name}: the output overlaps the input without being it");
        int n = a.Length, i = 0, w = Vector<T>.IsSupported ? Vector<T>.Count : 0;
        if (Vector.IsHardwareAccelerated && w > 0)
        {
            ref T ra = ref MemoryMarshal.GetReference(a);
            ref T rd = ref MemoryMarshal.GetReference(d);
            var vc = new Vector<T>(c);
            for (; i <= n - w; i += w) TOp.Apply(Vector.LoadUnsafe(ref ra, (nuint)i), vc).StoreUnsafe(ref rd, (nuint)i);
        }
        for (; i < n; i++) d[i] = TOp.Apply(a[i], c);
    }

    private interface IScalarOp<T> where T : unmanaged, INumber<T>
    {
        static abstract Vector<T> Apply(Vector<T> x, Vector<T> c);
        static abstract T Apply(T x, T c);
    }

    private readonly struct AddScalar<T> : IScalarOp<T> where T : unmanaged, INumber<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> c) => x + c;
        public static T Apply(T x, T c) => x + c;
    }

    private readonly struct SubtractScalar<T> : IScalarOp<T> where T : unmanaged, INumber<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> c) => x - c;
        public static T Apply(T x, T c) => x - c;
    }

    private readonly struct MultiplyScalar<T> : IScalarOp<T> where T : unmanaged, INumber<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> c) => x * c;
        public static T Apply(T x, T c) => x * c;
    }

    private readonly struct DivideScalar<T> : IScalarOp<T> where T : unmanaged, INumber<T>
    {
        public static Vector<T> Apply(Vector<T> x, Vector<T> c) => x / c;
        public static T Apply(T x, T c) => x / c;
    }

    private static bool PartlyOverlaps<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> d) => x.Overlaps(d, out int offset) && offset != 0;
}
