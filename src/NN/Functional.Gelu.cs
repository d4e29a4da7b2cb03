using System.Numerics;
using System.Runtime.CompilerServices;
using Framework.Autograd;

namespace Framework.NN;

// GELU as one recorded op (GeluBackward0) whose gradient is itself one op (GeluBackwardBackward0), as PyTorch records them;
// the rules are written with tensor ops, so every further order differentiates through them.
public static partial class Functional
{
    private const double Sqrt1Over2 = 0.70710678118654752440;       // 1/√2
    private const double InvSqrt2Pi = 0.39894228040143267794;       // 1/√(2π)
    private const double SqrtTwoOverPi = 0.79788456080286535588;    // √(2/π)
    private const double TanhCubic = 0.044715;

    /// <summary>x·Φ(x) = ½x(1 + erf(x/√2)); with approximate "tanh", ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    public static Tensor Gelu(Tensor x, string approximate = "none")
    {
        ArgumentNullException.ThrowIfNull(x);
        bool tanh = GeluMode(approximate);
        if (!x.DType.IsFloatingPoint())
            throw new ArgumentException($"\"GeluKernelImpl\" not implemented for '{(x.DType == DType.Int64 ? "Long" : "Bool")}'");
        Tensor y;
        if (tanh)
            using (new NoGrad()) y = 0.5 * x * (1.0 + (SqrtTwoOverPi * (x + TanhCubic * (x * x * x))).Tanh());
        else
        {
            var xc = x.Contiguous();
            y = Tensor.Empty(x.Shape, x.DType);
            var kernel = new GeluKernel(xc, null, y);
            DTypeDispatch.Floating(x.DType, ref kernel);
        }
        return Graph.Record("GeluBackward0", y, [x], [x], tanh, static (ctx, g, tanh) => [GeluBackward(g, ctx.Saved(0), tanh)]);
    }

    /// <summary>True for "tanh", false for "none"; PyTorch's error for anything else.</summary>
    internal static bool GeluMode(string approximate) => approximate switch
    {
        "none" => false,
        "tanh" => true,
        _ => throw new ArgumentException("approximate argument must be either none or tanh.", nameof(approximate)),
    };

    /// <summary>g·gelu′(x), recorded as GeluBackwardBackward0 of (g, x): ∂/∂g = gelu′(x), ∂/∂x = g·gelu″(x).</summary>
    private static Tensor GeluBackward(Tensor g, Tensor x, bool tanh)
    {
        Tensor dx;
        if (tanh || g.DType != x.DType || !g.Shape.AsSpan().SequenceEqual(x.Shape))
            using (new NoGrad()) dx = g * GeluDerivative(x, tanh);
        else
        {
            dx = Tensor.Empty(x.Shape, x.DType);
            var kernel = new GeluKernel(x.Contiguous(), g.Contiguous(), dx);
            DTypeDispatch.Floating(x.DType, ref kernel);
        }
        return Graph.Record("GeluBackwardBackward0", dx, [g, x], [g, x], tanh, static (ctx, gg, tanh) =>
        {
            Tensor g = ctx.Saved(0), x = ctx.Saved(1);
            return [ctx.NeedsInputGrad(0) ? gg * GeluDerivative(x, tanh) : null,
                    ctx.NeedsInputGrad(1) ? gg * g * GeluSecondDerivative(x, tanh) : null];
        });
    }

    /// <summary>gelu′(x): Φ(x) + x·φ(x); tanh: ½(1 + t) + ½x(1 − t²)·u with t = tanh(√(2/π)(x + cx³)), u = √(2/π)(1 + 3cx²).</summary>
    private static Tensor GeluDerivative(Tensor x, bool tanh)
    {
        if (!tanh) return 0.5 * (1.0 + (x * Sqrt1Over2).Erf()) + x * InvSqrt2Pi * (-0.5 * x * x).Exp();
        var t = (SqrtTwoOverPi * (x + TanhCubic * (x * x * x))).Tanh();
        var u = SqrtTwoOverPi * (1.0 + 3 * TanhCubic * x * x);
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * u;
    }

    /// <summary>gelu″(x): φ(x)(2 − x²); tanh: (1 − t²)(u − x·t·u² + 3c√(2/π)x²).</summary>
    private static Tensor GeluSecondDerivative(Tensor x, bool tanh)
    {
        if (!tanh) return InvSqrt2Pi * (-0.5 * x * x).Exp() * (2.0 - x * x);
        var t = (SqrtTwoOverPi * (x + TanhCubic * (x * x * x))).Tanh();
        var u = SqrtTwoOverPi * (1.0 + 3 * TanhCubic * x * x);
        return (1.0 - t * t) * (u - x * t * u * u + 3 * TanhCubic * SqrtTwoOverPi * x * x);
    }

    /// <summary>
    /// The exact GELU in one pass over contiguous x, split over the cores: y = x·½·(1 + erf(x/√2)) when g is null, else
    /// dx = g·(½(1 + erf(x/√2)) + x·φ(x)), in the composite formulas' order of operations.
    /// </summary>
    private readonly struct GeluKernel(Tensor x, Tensor? g, Tensor d) : IFloatingKernel
    {
        private const int Block = 2048;

        // The spans are taken (and pinned) here, on the calling thread: a storage touched from a worker thread never
        // returns to the StoragePool (the output of every GELU was a fresh, page-faulted array before).
        public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = (int)d.Numel, blocks = (n + Block - 1) / Block;
            bool backward = g is not null;
            ReadOnlySpan<T> xs = x.AsReadOnlySpan<T>(), gs = (g ?? x).AsReadOnlySpan<T>();
            Span<T> ds = d.AsSpan<T>();
            fixed (T* px = xs, pg = gs, pd = ds)
            {
                var (xp, gp, dp) = (new Pinned<T>(px, xs.Length), new Pinned<T>(pg, gs.Length), new Pinned<T>(pd, ds.Length));
                // Work 0 keeps GELUs under 2^16 elements on this thread (ConvKernels.For forks from 2^15).
                ConvKernels.For(blocks, n < 1 << 16 ? 0 : n, (b0, b1) => Run<T>(xp.Span, gp.Span, dp.Span, backward, b0, b1));
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void Run<T>(ReadOnlySpan<T> xt, ReadOnlySpan<T> gt, Span<T> dt, bool backward, int b0, int b1) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Span<T> e = stackalloc T[Block], p = stackalloc T[Block];
            T half = T.CreateTruncating(0.5), one = T.One, c = T.CreateTruncating(InvSqrt2Pi);
            for (int b = b0; b < b1; b++)
            {
                int o = b * Block, len = Math.Min(Block, dt.Length - o);
                var x = xt.Slice(o, len);
                var d = dt.Slice(o, len);
                var er = e[..len];
                SpanMath.Erf(x, er, T.CreateTruncating(Sqrt1Over2));
                int end = Vector.IsHardwareAccelerated ? len - len % Vector<T>.Count : 0, w = Vector<T>.Count;
                Vector<T> halfV = new(half), cV = new(c);
                if (!backward)
                {
                    for (int i = 0; i < end; i += w)
                        (new Vector<T>(x[i..]) * halfV * (Vector<T>.One + new Vector<T>(er[i..]))).CopyTo(d[i..]);
                    for (int i = end; i < len; i++) d[i] = x[i] * half * (one + er[i]);
                    continue;
                }
                var g = gt.Slice(o, len);
                var pr = p[..len];
                for (int i = 0; i < end; i += w)
                {
                    var xv = new Vector<T>(x[i..]);
                    (-halfV * xv * xv).CopyTo(pr[i..]);
                }
                for (int i = end; i < len; i++) pr[i] = -half * x[i] * x[i];
                SpanMath.Exp<T>(pr, pr);
                for (int i = 0; i < end; i += w)
                    (new Vector<T>(g[i..]) * (halfV * (Vector<T>.One + new Vector<T>(er[i..])) + new Vector<T>(x[i..]) * cV * new Vector<T>(pr[i..]))).CopyTo(d[i..]);
                for (int i = end; i < len; i++) d[i] = g[i] * (half * (one + er[i]) + x[i] * c * pr[i]);
            }
        }
    }
}
