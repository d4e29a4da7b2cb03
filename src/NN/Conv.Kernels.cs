using System.Numerics;
using System.Runtime.CompilerServices;
using Tensor = Framework.Autograd.Tensor;
using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Framework.NN;

// The span kernels of the batched convolution: the whole batch's patches as one [C·kH·kW, N·L] matrix (so the forward and
// both gradients are one GEMM each), its adjoint, and the [O, N·L] ↔ [N, O, L] moves around the GEMM. Each works on whole
// images, split over the cores; no kernel knows about the graph.
internal static class ConvKernels
{
    /// <summary>Elements from which a kernel is split over the cores (below it a fork costs more than it saves).</summary>
    private const long ParallelWork = 1 << 15;

    /// <summary>body(start, end) over [0, count) in one contiguous range per core, or at once when the work is small.</summary>
    public static void For(int count, long work, Action<int, int> body)
    {
        int threads = work < ParallelWork ? 1 : Math.Min(Environment.ProcessorCount, count);
        if (threads <= 1) { body(0, count); return; }
        Parallel.For(0, threads, t => body((int)((long)count * t / threads), (int)((long)count * (t + 1) / threads)));
    }

    /// <summary>
    /// cols[(c·KH + i)·KW + j, b·L + oy·Wo + ox] = x[b, c, oy·SH + i·DH − PH, ox·SW + j·DW − PW] (0 outside the image), L = Ho·Wo,
    /// for the patch rows r = (c·KH + i)·KW + j in [r0, r1), each written from start to end across the batch (one sequential stream).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // optimised from the first call: see SpanMath
    public static void Im2Col<T>(ReadOnlySpan<T> x, int c, int h, int w, Window2d win, int ho, int wo, int r0, int r1, int n, Span<T> cols) where T : INumber<T>
    {
        int l = ho * wo, ld = n * l, kk = win.KH * win.KW;
        for (int r = r0; r < r1; r++)
        {
            int ch = r / kk, i = r / win.KW % win.KH, j = r % win.KW;
            int shift = j * win.DW - win.PW;
            int lo = Math.Clamp(-shift, 0, wo), hi = Math.Clamp(w - shift, lo, wo);   // unit stride: columns inside the image
            for (int b = 0; b < n; b++)
            {
                var plane = x.Slice((b * c + ch) * h * w, h * w);
                var row = cols.Slice(r * ld + b * l, l);
                if (Block(win, w, wo))
                {
                    var (oy0, oy1, a, e) = BlockRange(win, i, h, w, ho, shift);
                    row[..(oy0 * wo)].Clear();
                    row[(oy1 * wo)..].Clear();
                    int src0 = (oy0 + i * win.DH - win.PH) * w + shift;
                    if (e > a) plane.Slice(src0 + a, e - a).CopyTo(row.Slice(oy0 * wo + a, e - a));
                    ClearEdges(row, oy0, oy1, wo, lo, hi);
                    continue;
                }
                for (int oy = 0; oy < ho; oy++)
                {
                    int y = oy * win.SH + i * win.DH - win.PH;
                    var dst = row.Slice(oy * wo, wo);
                    if ((uint)y >= (uint)h) { dst.Clear(); continue; }
                    var src = plane.Slice(y * w, w);
                    if (win.SW == 1)
                    {
                        dst[..lo].Clear();
                        src.Slice(lo + shift, hi - lo).CopyTo(dst[lo..hi]);
                        dst[hi..].Clear();
                        continue;
                    }
                    for (int ox = 0; ox < wo; ox++)
                    {
                        int xx = ox * win.SW + shift;
                        dst[ox] = (uint)xx < (uint)w ? src[xx] : T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Whether a patch row is one contiguous run of the image plane (unit strides and rows as wide as the image's, as in a
    /// "same" convolution): then it is copied as one block and the columns that wrapped around the row ends are fixed after.
    /// </summary>
    private static bool Block(Window2d win, int w, int wo) => win.SH == 1 && win.SW == 1 && wo == w;

    /// <summary>For kernel row i of a block patch row: its output rows inside the image [oy0, oy1) and the part [a, e) of the block that lies in the plane.</summary>
    private static (int Oy0, int Oy1, int A, int E) BlockRange(Window2d win, int i, int h, int w, int ho, int shift)
    {
        int oy0 = Math.Clamp(win.PH - i * win.DH, 0, ho), oy1 = Math.Clamp(h - i * win.DH + win.PH, oy0, ho);
        int src0 = (oy0 + i * win.DH - win.PH) * w + shift, len = (oy1 - oy0) * w;
        int a = Math.Max(0, -src0), e = Math.Min(len, h * w - src0);
        return (oy0, oy1, a, e);
    }

    /// <summary>Zeroes columns [0, lo) and [hi, wo) of the output rows [oy0, oy1) of a patch row.</summary>
    private static void ClearEdges<T>(Span<T> row, int oy0, int oy1, int wo, int lo, int hi) where T : INumber<T>
    {
        if (lo == 0 && hi == wo) return;
        for (int oy = oy0; oy < oy1; oy++)   // one or two elements per row: plain stores beat Span.Clear's call
        {
            int r = oy * wo;
            for (int k = 0; k < lo; k++) row[r + k] = T.Zero;
            for (int k = hi; k < wo; k++) row[r + k] = T.Zero;
        }
    }

    /// <summary>
    /// The adjoint of Im2Col for the channels c in [c0, c1) (the patch columns outside the image are zeroed on the way):
    /// dx[b, c, oy·SH + i·DH − PH, ox·SW + j·DW − PW] += cols[(c·KH + i)·KW + j, b·L + oy·Wo + ox].
    /// </summary>
    public static void Col2Im<T>(Span<T> cols, int c, int h, int w, Window2d win, int ho, int wo, int c0, int c1, int n, Span<T> dx) where T : unmanaged, INumber<T>
    {
        int l = ho * wo, ld = n * l;
        for (int ch = c0; ch < c1; ch++)
            for (int i = 0; i < win.KH; i++)
                for (int j = 0; j < win.KW; j++)
                {
                    int r = (ch * win.KH + i) * win.KW + j;
                    int shift = j * win.DW - win.PW;
                    int lo = Math.Clamp(-shift, 0, wo), hi = Math.Clamp(w - shift, lo, wo);
                    for (int b = 0; b < n; b++)
                    {
                        var plane = dx.Slice((b * c + ch) * h * w, h * w);
                        var row = cols.Slice(r * ld + b * l, l);
                        if (Block(win, w, wo))
                        {
                            // Zeroing the patch columns that fall outside the image makes the wrapped ends of the block add nothing.
                            var (oy0, oy1, a, e) = BlockRange(win, i, h, w, ho, shift);
                            ClearEdges(row, oy0, oy1, wo, lo, hi);
                            int src0 = (oy0 + i * win.DH - win.PH) * w + shift;
                            if (e > a)
                            {
                                var d = plane.Slice(src0 + a, e - a);
                                SpanMath.Add(d, row.Slice(oy0 * wo + a, e - a), d);
                            }
                            continue;
                        }
                        for (int oy = 0; oy < ho; oy++)
                        {
                            int y = oy * win.SH + i * win.DH - win.PH;
                            if ((uint)y >= (uint)h) continue;
                            var dst = plane.Slice(y * w, w);
                            var src = row.Slice(oy * wo, wo);
                            if (win.SW == 1)
                            {
                                var d = dst.Slice(lo + shift, hi - lo);
                                SpanMath.Add(d, src[lo..hi], d);
                                continue;
                            }
                            for (int ox = 0; ox < wo; ox++)
                            {
                                int xx = ox * win.SW + shift;
                                if ((uint)xx < (uint)w) dst[xx] += src[ox];
                            }
                        }
                    }
                }
    }

    /// <summary>
    /// dw[o, r] = Σ_b Σ_l g[b, o, l]·cols[k·R + r, b·L + l] for the channels o in [start, end), k = o / og its group and R = dw's
    /// columns; db[o] = Σ g[b, o, :] when db is not empty. For few columns (a small C·kH·kW, as a first layer's) these dot
    /// products beat a GEMM whose n is below one tile, and they read g in place.
    /// </summary>
    public static void WeightGrad<T>(ReadOnlySpan<T> g, ReadOnlySpan<T> cols, int n, int o, int og, int rows, int l, int start, int end, Span<T> dw, Span<T> db)
        where T : unmanaged, INumber<T>
    {
        int ld = n * l;
        for (int k = start; k < end; k++)
        {
            int grp = k / og;
            var dwk = dw.Slice(k * rows, rows);
            dwk.Clear();
            T bias = T.Zero;
            for (int b = 0; b < n; b++)
            {
                var gk = g.Slice((b * o + k) * l, l);
                if (!db.IsEmpty) bias += SpanMath.Sum(gk);
                for (int r = 0; r < rows; r++) dwk[r] += SpanMath.Dot(gk, cols.Slice((grp * rows + r) * ld + b * l, l));
            }
            if (!db.IsEmpty) db[k] = bias;
        }
    }

    /// <summary>y[b, o, l] = yt[o, b·L + l] (+ bias[o]) for the images b in [start, end).</summary>
    public static void FromChannelMajor<T>(ReadOnlySpan<T> yt, ReadOnlySpan<T> bias, int o, int l, int n, int start, int end, Span<T> y) where T : unmanaged, INumber<T>
    {
        for (int b = start; b < end; b++)
            for (int k = 0; k < o; k++)
            {
                var src = yt.Slice(k * n * l + b * l, l);
                var dst = y.Slice((b * o + k) * l, l);
                if (bias.IsEmpty) src.CopyTo(dst);
                else SpanMath.Add(src, bias[k], dst);
            }
    }

    /// <summary>gt[o, b·L + l] = g[b, o, l] for the images b in [start, end).</summary>
    public static void ToChannelMajor<T>(ReadOnlySpan<T> g, int o, int l, int n, int start, int end, Span<T> gt) where T : INumber<T>
    {
        for (int b = start; b < end; b++)
            for (int k = 0; k < o; k++)
                g.Slice((b * o + k) * l, l).CopyTo(gt.Slice(k * n * l + b * l, l));
    }
}

/// <summary>
/// A pinned span's address and length, to hand a span to the worker threads of <see cref="ConvKernels.For"/>: the spans are
/// taken (and pinned) on the calling thread, since a storage touched from another thread never returns to the StoragePool.
/// </summary>
internal readonly unsafe struct Pinned<T> where T : unmanaged
{
    private readonly nint address;
    private readonly int length;

    /// <summary>The span at p of the given length (pinned by the caller for as long as this is used).</summary>
    public Pinned(T* p, int length) => (address, this.length) = ((nint)p, length);

    /// <summary>The elements.</summary>
    public Span<T> Span => new((void*)address, length);
}

/// <summary>cols = the patches of every image of the contiguous x, [C·kH·kW, N·L].</summary>
internal readonly struct BatchIm2ColKernel(Tensor x, Window2d win, int ho, int wo, Tensor cols) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w, h, o) = (win, ho, wo);
        int n = x.Shape[0], c = x.Shape[1], xh = x.Shape[2], xw = x.Shape[3];
        ReadOnlySpan<T> xs = x.AsReadOnlySpan<T>();
        Span<T> cs = cols.AsSpan<T>();
        fixed (T* px = xs, pc = cs)
        {
            var (xp, cp) = (new Pinned<T>(px, xs.Length), new Pinned<T>(pc, cs.Length));
            ConvKernels.For(cols.Shape[0], cs.Length, (s, e) => ConvKernels.Im2Col<T>(xp.Span, c, xh, xw, w, h, o, s, e, n, cp.Span));
        }
    }
}

/// <summary>dx (zeroed, [N, C, H, W]) += the adjoint of the patches cols, [C·kH·kW, N·L] (a scratch tensor: its entries outside the image are zeroed).</summary>
internal readonly struct BatchCol2ImKernel(Tensor cols, Window2d win, int ho, int wo, Tensor dx) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (w, h, o) = (win, ho, wo);
        int n = dx.Shape[0], c = dx.Shape[1], xh = dx.Shape[2], xw = dx.Shape[3];
        Span<T> cs = cols.AsSpan<T>(), ds = dx.AsSpan<T>();
        fixed (T* pc = cs, pd = ds)
        {
            var (cp, dp) = (new Pinned<T>(pc, cs.Length), new Pinned<T>(pd, ds.Length));
            ConvKernels.For(c, cs.Length, (s, e) => ConvKernels.Col2Im<T>(cp.Span, c, xh, xw, w, h, o, s, e, n, dp.Span));
        }
    }
}

/// <summary>y [N, O, L] = yt [O, N·L] moved image-major, plus the bias per channel when given.</summary>
internal readonly struct FromChannelMajorKernel(Tensor yt, Tensor? bias, Tensor y) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = y.Shape[0], o = y.Shape[1], l = (int)(y.Numel / Math.Max(1L, (long)n * o));
        ReadOnlySpan<T> ts = yt.AsReadOnlySpan<T>(), bs = bias is null ? default : bias.AsReadOnlySpan<T>();
        Span<T> ys = y.AsSpan<T>();
        fixed (T* pt = ts, pb = bs, py = ys)
        {
            var (tp, bp, yp) = (new Pinned<T>(pt, ts.Length), new Pinned<T>(pb, bs.Length), new Pinned<T>(py, ys.Length));
            ConvKernels.For(n, ys.Length, (s, e) => ConvKernels.FromChannelMajor<T>(tp.Span, bp.Span, o, l, n, s, e, yp.Span));
        }
    }
}

/// <summary>gt [O, N·L] = g [N, O, L] moved channel-major.</summary>
internal readonly struct ToChannelMajorKernel(Tensor g, Tensor gt) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = g.Shape[0], o = g.Shape[1], l = (int)(g.Numel / Math.Max(1L, (long)n * o));
        ReadOnlySpan<T> gs = g.AsReadOnlySpan<T>();
        Span<T> ts = gt.AsSpan<T>();
        fixed (T* pg = gs, pt = ts)
        {
            var (gp, tp) = (new Pinned<T>(pg, gs.Length), new Pinned<T>(pt, ts.Length));
            ConvKernels.For(n, ts.Length, (s, e) => ConvKernels.ToChannelMajor<T>(gp.Span, o, l, n, s, e, tp.Span));
        }
    }
}

/// <summary>dw [O, R] (and db [O] when given) from g [N, O, L] and the patches cols [groups·R, N·L] by dot products, split over the output channels.</summary>
internal readonly struct WeightGradKernel(Tensor g, Tensor cols, int groups, Tensor dw, Tensor? db) : IFloatingKernel
{
    public unsafe void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = g.Shape[0], o = g.Shape[1], l = (int)(g.Numel / Math.Max(1L, (long)n * o)), rows = dw.Shape[1], og = o / groups;
        ReadOnlySpan<T> gs = g.AsReadOnlySpan<T>(), cs = cols.AsReadOnlySpan<T>();
        Span<T> ws = dw.AsSpan<T>(), bs = db is null ? default : db.AsSpan<T>();
        fixed (T* pg = gs, pc = cs, pw = ws, pb = bs)
        {
            var (gp, cp, wp, bp) = (new Pinned<T>(pg, gs.Length), new Pinned<T>(pc, cs.Length), new Pinned<T>(pw, ws.Length), new Pinned<T>(pb, bs.Length));
            ConvKernels.For(o, (long)gs.Length * rows, (s, e) => ConvKernels.WeightGrad<T>(gp.Span, cp.Span, n, o, og, rows, l, s, e, wp.Span, bp.Span));
        }
    }
}
