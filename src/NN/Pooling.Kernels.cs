using System.Numerics;
using System.Runtime.CompilerServices;
using Framework.Autograd;
using Framework.Autograd.Kernels;
using Tensor = Framework.Autograd.Tensor;

namespace Framework.NN;

// Max pooling on [H, W] planes, split over the cores by planes: the forward writes each window's maximum and (when a backward
// will need it) its flat position y·W + x in the plane; the backward scatters each gradient to that position.
internal static class PoolKernels
{
    /// <summary>
    /// y[p, oy, ox] = the maximum of window (oy, ox) of plane p, idx (unless empty) = its flat position, as PyTorch picks it:
    /// the first maximum in row-major order, a NaN over any number (the last NaN if several).
    /// </summary>
    public static void MaxPool<T>(ReadOnlySpan<T> x, int h, int w, Window2d win, int ho, int wo, int start, int end, Span<T> y, Span<long> idx)
        where T : INumber<T>
    {
        int l = ho * wo;
        // Kernel 2, stride 2, no padding or dilation, every window inside the image: the four taps written out.
        bool twoByTwo = win is { KH: 2, KW: 2, SH: 2, SW: 2, PH: 0, PW: 0, DH: 1, DW: 1 } && 2 * ho <= h && 2 * wo <= w;
        for (int p = start; p < end; p++)
        {
            var img = x.Slice(p * h * w, h * w);
            var yp = y.Slice(p * l, l);
            var ip = idx.IsEmpty ? idx : idx.Slice(p * l, l);
            if (twoByTwo) MaxPool2x2(img, w, ho, wo, yp, ip);
            else MaxPoolAny(img, h, w, win, ho, wo, yp, ip);
        }
    }

    /// <summary>MaxPool on one plane for the 2×2, stride 2 window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call: see SpanMath
    private static void MaxPool2x2<T>(ReadOnlySpan<T> img, int w, int ho, int wo, Span<T> y, Span<long> idx) where T : INumber<T>
    {
        bool keep = !idx.IsEmpty;
        for (int oy = 0; oy < ho; oy++)
        {
            var r0 = img.Slice(2 * oy * w, w);
            var r1 = img.Slice((2 * oy + 1) * w, w);
            var yr = y.Slice(oy * wo, wo);
            for (int ox = 0; ox < wo; ox++)
            {
                int c = 2 * ox;
                T m = r0[c], v = r0[c + 1];
                int k = 0;
                if (v > m || T.IsNaN(v)) { m = v; k = 1; }
                v = r1[c];
                if (v > m || T.IsNaN(v)) { m = v; k = 2; }
                v = r1[c + 1];
                if (v > m || T.IsNaN(v)) { m = v; k = 3; }
                yr[ox] = m;
                if (keep) idx[oy * wo + ox] = (long)(2 * oy + (k >> 1)) * w + c + (k & 1);
            }
        }
    }

    /// <summary>MaxPool on one plane for any window (stride, −∞ padding, dilation, ceil mode's partial windows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call: see SpanMath
    private static void MaxPoolAny<T>(ReadOnlySpan<T> img, int h, int w, Window2d win, int ho, int wo, Span<T> y, Span<long> idx) where T : INumber<T>
    {
        bool keep = !idx.IsEmpty;
        for (int oy = 0; oy < ho; oy++)
        {
            int hs = oy * win.SH - win.PH;
            int he = Math.Min(hs + (win.KH - 1) * win.DH + 1, h);
            while (hs < 0) hs += win.DH;
            for (int ox = 0; ox < wo; ox++)
            {
                int ws = ox * win.SW - win.PW;
                int we = Math.Min(ws + (win.KW - 1) * win.DW + 1, w);
                while (ws < 0) ws += win.DW;
                int best = hs * w + ws;
                T max = T.Zero;
                bool any = false;
                for (int yy = hs; yy < he; yy += win.DH)
                    for (int xx = ws; xx < we; xx += win.DW)
                    {
                        T v = img[yy * w + xx];
                        if (!any || v > max || T.IsNaN(v)) { max = v; best = yy * w + xx; any = true; }
                    }
                y[oy * wo + ox] = max;
                if (keep) idx[oy * wo + ox] = best;
            }
        }
    }

    /// <summary>dx[p, idx[p, k]] += g[p, k] for the planes p in [start, end) (dx zeroed beforehand).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call: see SpanMath
    public static void MaxPoolBackward<T>(ReadOnlySpan<T> g, ReadOnlySpan<long> idx, int hw, int l, int start, int end, Span<T> dx) where T : INumber<T>
    {
        for (int p = start; p < end; p++)
        {
            var gp = g.Slice(p * l, l);
            var ip = idx.Slice(p * l, l);
            var dp = dx.Slice(p * hw, hw);
            for (int k = 0; k < gp.Length; k++) dp[(int)ip[k]] += gp[k];
        }
    }
}

/// <summary>y [N·C, Ho·Wo] = window maxima of the contiguous x [N, C, H, W]; idx (when given) = their flat positions in each plane.</summary>
internal readonly struct MaxPoolKernel(Tensor x, Window2d win, int ho, int wo, Tensor y, Tensor? idx) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (wn, h, o) = (win, ho, wo);
        int planes = x.Shape[0] * x.Shape[1], xh = x.Shape[2], xw = x.Shape[3];
        ReadOnlySpan<T> xs = x.AsReadOnlySpan<T>();
        Span<T> ys = y.AsSpan<T>();
        Span<long> ids = idx is null ? default : idx.AsSpan<long>();
        fixed (T* px = xs, py = ys)
        fixed (long* pi = ids)
        {
            var (xp, yp, ip) = (new Pinned<T>(px, xs.Length), new Pinned<T>(py, ys.Length), new Pinned<long>(pi, ids.Length));
            ConvKernels.For(planes, xs.Length, (s, e) => PoolKernels.MaxPool<T>(xp.Span, xh, xw, wn, h, o, s, e, yp.Span, ip.Span));
        }
    }
}

/// <summary>dx [N, C, H, W] (zeroed) += g scattered to the positions idx [N·C, L] of each plane.</summary>
internal readonly struct MaxPoolBackwardKernel(Tensor g, Tensor idx, Tensor dx) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = idx.Shape[0], l = idx.Shape[1], hw = dx.Shape[2] * dx.Shape[3];
        ReadOnlySpan<T> gs = g.AsReadOnlySpan<T>();
        ReadOnlySpan<long> ids = idx.AsReadOnlySpan<long>();
        Span<T> ds = dx.AsSpan<T>();
        fixed (T* pg = gs, pd = ds)
        fixed (long* pi = ids)
        {
            var (gp, ip, dp) = (new Pinned<T>(pg, gs.Length), new Pinned<long>(pi, ids.Length), new Pinned<T>(pd, ds.Length));
            ConvKernels.For(planes, ds.Length, (s, e) => PoolKernels.MaxPoolBackward<T>(gp.Span, ip.Span, hw, l, s, e, dp.Span));
        }
    }
}
