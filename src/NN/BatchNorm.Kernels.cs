using System.Numerics;
using System.Numerics.Tensors;
using Framework.Autograd;
using Tensor = Framework.Autograd.Tensor;

namespace Framework.NN;

// Batch norm on a contiguous [N, C, S] input (S = the product of the spatial dims), channel by channel, split over the cores
// by channels: the batch statistics in two passes, the output as x·scale + shift, and the backward as dx = a·g + b·x + k with
// per-channel a, b, k from two sums. Statistics are accumulated in double.
internal static class BatchNormKernels
{
    /// <summary>mean[ch] and the biased var[ch] of x[:, ch, :] for the channels in [start, end).</summary>
    public static void Stats<T>(ReadOnlySpan<T> x, int n, int c, int s, int start, int end, Span<double> mean, Span<double> var)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double count = (double)n * s;
        for (int ch = start; ch < end; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++) sum += double.CreateTruncating(TensorPrimitives.Sum(x.Slice((b * c + ch) * s, s)));
            double m = sum / count, sq = 0;
            for (int b = 0; b < n; b++) sq += SquaredDeviation(x.Slice((b * c + ch) * s, s), T.CreateTruncating(m));
            (mean[ch], var[ch]) = (m, sq / count);
        }
    }

    /// <summary>Σ (x[i] − m)².</summary>
    private static double SquaredDeviation<T>(ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var mv = new Vector<T>(m);
        int i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var d = new Vector<T>(x[i..]) - mv;
            acc += d * d;
        }
        T tail = T.Zero;
        for (; i < x.Length; i++) tail += (x[i] - m) * (x[i] - m);
        return double.CreateTruncating(Vector.Sum(acc) + tail);
    }

    /// <summary>Σ g[i]·(x[i] − m).</summary>
    private static double DotDeviation<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, T m) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var mv = new Vector<T>(m);
        int i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
            acc += new Vector<T>(g[i..]) * (new Vector<T>(x[i..]) - mv);
        T tail = T.Zero;
        for (; i < x.Length; i++) tail += g[i] * (x[i] - m);
        return double.CreateTruncating(Vector.Sum(acc) + tail);
    }

    /// <summary>y[:, ch, :] = a[ch]·x[:, ch, :] + k[ch] (plus b[ch]·g[:, ch, :] when g is given: y = b·g + a·x + k) for the channels in [start, end).</summary>
    public static void Affine<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> g, int n, int c, int s, int start, int end,
                                 ReadOnlySpan<double> a, ReadOnlySpan<double> bg, ReadOnlySpan<double> k, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = start; ch < end; ch++)
        {
            T ta = T.CreateTruncating(a[ch]), tk = T.CreateTruncating(k[ch]), tb = g.IsEmpty ? T.Zero : T.CreateTruncating(bg[ch]);
            Vector<T> va = new(ta), vk = new(tk), vb = new(tb);
            for (int b = 0; b < n; b++)
            {
                int o = (b * c + ch) * s;
                var xs = x.Slice(o, s);
                var ys = y.Slice(o, s);
                int i = 0;
                if (g.IsEmpty)
                {
                    for (; i <= s - Vector<T>.Count; i += Vector<T>.Count) (new Vector<T>(xs[i..]) * va + vk).CopyTo(ys[i..]);
                    for (; i < s; i++) ys[i] = xs[i] * ta + tk;
                }
                else
                {
                    var gs = g.Slice(o, s);
                    for (; i <= s - Vector<T>.Count; i += Vector<T>.Count)
                        (new Vector<T>(gs[i..]) * vb + new Vector<T>(xs[i..]) * va + vk).CopyTo(ys[i..]);
                    for (; i < s; i++) ys[i] = gs[i] * tb + xs[i] * ta + tk;
                }
            }
        }
    }

    /// <summary>sumG[ch] = Σ g[:, ch, :] and sumGx[ch] = Σ g·(x − mean[ch]) over the channels in [start, end).</summary>
    public static void GradSums<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> x, int n, int c, int s, int start, int end, ReadOnlySpan<double> mean,
                                   Span<double> sumG, Span<double> sumGx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int ch = start; ch < end; ch++)
        {
            double sg = 0, sgx = 0;
            T m = T.CreateTruncating(mean[ch]);
            for (int b = 0; b < n; b++)
            {
                int o = (b * c + ch) * s;
                sg += double.CreateTruncating(TensorPrimitives.Sum(g.Slice(o, s)));
                sgx += DotDeviation(g.Slice(o, s), x.Slice(o, s), m);
            }
            (sumG[ch], sumGx[ch]) = (sg, sgx);
        }
    }
}

/// <summary>The batch mean and biased variance per channel of the contiguous x [N, C, *].</summary>
internal readonly struct BatchStatsKernel(Tensor x, double[] mean, double[] var) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (ms, vs) = (mean, var);
        int n = x.Shape[0], c = x.Shape[1], s = (int)(x.Numel / Math.Max(1L, (long)n * c));
        ReadOnlySpan<T> xs = x.AsReadOnlySpan<T>();
        fixed (T* px = xs)
        {
            var xp = new Pinned<T>(px, xs.Length);
            ConvKernels.For(c, xs.Length, (st, e) => BatchNormKernels.Stats<T>(xp.Span, n, c, s, st, e, ms, vs));
        }
    }
}

/// <summary>y = a·x + k per channel, or y = b·g + a·x + k when g is given, over contiguous [N, C, *] tensors.</summary>
internal readonly struct ChannelAffineKernel(Tensor x, Tensor? g, double[] a, double[]? b, double[] k, Tensor y) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (av, bv, kv) = (a, b, k);
        int n = x.Shape[0], c = x.Shape[1], s = (int)(x.Numel / Math.Max(1L, (long)n * c));
        ReadOnlySpan<T> xs = x.AsReadOnlySpan<T>(), gs = g is null ? default : g.AsReadOnlySpan<T>();
        Span<T> ys = y.AsSpan<T>();
        fixed (T* px = xs, pg = gs, py = ys)
        {
            var (xp, gp, yp) = (new Pinned<T>(px, xs.Length), new Pinned<T>(pg, gs.Length), new Pinned<T>(py, ys.Length));
            ConvKernels.For(c, xs.Length, (st, e) => BatchNormKernels.Affine<T>(xp.Span, gp.Span, n, c, s, st, e, av, bv, kv, yp.Span));
        }
    }
}

/// <summary>Σ g and Σ g·(x − mean) per channel of contiguous [N, C, *] tensors.</summary>
internal readonly struct GradSumsKernel(Tensor g, Tensor x, double[] mean, double[] sumG, double[] sumGx) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (ms, sg, sgx) = (mean, sumG, sumGx);
        int n = x.Shape[0], c = x.Shape[1], s = (int)(x.Numel / Math.Max(1L, (long)n * c));
        ReadOnlySpan<T> gs = g.AsReadOnlySpan<T>(), xs = x.AsReadOnlySpan<T>();
        fixed (T* pg = gs, px = xs)
        {
            var (gp, xp) = (new Pinned<T>(pg, gs.Length), new Pinned<T>(px, xs.Length));
            ConvKernels.For(c, xs.Length, (st, e) => BatchNormKernels.GradSums<T>(gp.Span, xp.Span, n, c, s, st, e, ms, sg, sgx));
        }
    }
}
