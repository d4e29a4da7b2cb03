using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>A 2-d sliding window: kernel, stride, padding and dilation, each as (height, width); with <paramref name="Ceil"/>, a last partial window counts (pooling's ceil_mode).</summary>
/// <param name="KH">Kernel height.</param>
/// <param name="KW">Kernel width.</param>
/// <param name="SH">Vertical stride.</param>
/// <param name="SW">Horizontal stride.</param>
/// <param name="PH">Zero padding above and below.</param>
/// <param name="PW">Zero padding left and right.</param>
/// <param name="DH">Vertical dilation.</param>
/// <param name="DW">Horizontal dilation.</param>
/// <param name="Ceil">Whether a last partial window counts (ceil_mode).</param>
public readonly record struct Window2d(int KH, int KW, int SH = 1, int SW = 1, int PH = 0, int PW = 0, int DH = 1, int DW = 1, bool Ceil = false)
{
    /// <summary>Output size along one axis of extent <paramref name="size"/> (PyTorch's pooling_output_shape).</summary>
    public static int OutSize(int size, int k, int s, int p, int d, bool ceil)
    {
        int span = size + 2 * p - d * (k - 1) - 1;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= size + p) o--;   // the last window must start inside the image or its left padding
        return o;
    }

    /// <summary>Number of window positions down and across an H×W image.</summary>
    public (int Ho, int Wo) Output(int h, int w) => (OutSize(h, KH, SH, PH, DH, Ceil), OutSize(w, KW, SW, PW, DW, Ceil));
}

/// <summary>Sliding-window gathers for 2-d convolution and pooling, on one [C, H, W] image at a time.</summary>
internal static class Im2Col
{
    /// <summary>cols[(c·KH + i)·KW + j, oy·Wo + ox] = x[c, oy·SH + i·DH − PH, ox·SW + j·DW − PW] (0 outside the image).</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, int c, int h, int w, Window2d win, int ho, int wo, Span<T> cols) where T : INumber<T>
    {
        int l = ho * wo;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < win.KH; i++)
                for (int j = 0; j < win.KW; j++)
                {
                    var row = cols.Slice(((ch * win.KH + i) * win.KW + j) * l, l);
                    for (int oy = 0; oy < ho; oy++)
                    {
                        int y = oy * win.SH + i * win.DH - win.PH;
                        var dst = row.Slice(oy * wo, wo);
                        if ((uint)y >= (uint)h) { dst.Clear(); continue; }
                        var src = x.Slice((ch * h + y) * w, w);
                        if (win.SW == 1)
                        {
                            // Unit stride: the row is one contiguous run of the image between padding on either side.
                            int shift = j * win.DW - win.PW;
                            int lo = Math.Clamp(-shift, 0, wo), hi = Math.Clamp(w - shift, lo, wo);
                            dst[..lo].Clear();
                            src.Slice(lo + shift, hi - lo).CopyTo(dst[lo..hi]);
                            dst[hi..].Clear();
                            continue;
                        }
                        for (int ox = 0; ox < wo; ox++)
                        {
                            int xx = ox * win.SW + j * win.DW - win.PW;
                            dst[ox] = (uint)xx < (uint)w ? src[xx] : T.Zero;
                        }
                    }
                }
    }

    /// <summary>
    /// For each [H, W] plane and window: the flat index (y·W + x) of its maximum within the image, as PyTorch's max_pool2d
    /// picks it (a NaN wins, the last NaN if several; the first valid position when every value is −∞).
    /// </summary>
    public static void ArgMaxPool<T>(ReadOnlySpan<T> x, int planes, int h, int w, Window2d win, int ho, int wo, Span<long> indices)
        where T : INumber<T>
    {
        for (int pl = 0; pl < planes; pl++)
        {
            var img = x.Slice(pl * h * w, h * w);
            var idx = indices.Slice(pl * ho * wo, ho * wo);
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
                    long best = (long)hs * w + ws;
                    T max = T.Zero;
                    bool any = false;
                    for (int yy = hs; yy < he; yy += win.DH)
                        for (int xx = ws; xx < we; xx += win.DW)
                        {
                            T v = img[yy * w + xx];
                            if (!any || v > max || T.IsNaN(v)) { max = v; best = (long)yy * w + xx; any = true; }
                        }
                    idx[oy * wo + ox] = best;
                }
            }
        }
    }

    /// <summary>The adjoint of Gather: x[c, oy·SH + i·DH − PH, ox·SW + j·DW − PW] += cols[(c·KH + i)·KW + j, oy·Wo + ox].</summary>
    public static void Scatter<T>(ReadOnlySpan<T> cols, int c, int h, int w, Window2d win, int ho, int wo, Span<T> x) where T : INumber<T>
    {
        int l = ho * wo;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < win.KH; i++)
                for (int j = 0; j < win.KW; j++)
                {
                    var row = cols.Slice(((ch * win.KH + i) * win.KW + j) * l, l);
                    for (int oy = 0; oy < ho; oy++)
                    {
                        int y = oy * win.SH + i * win.DH - win.PH;
                        if ((uint)y >= (uint)h) continue;
                        var dst = x.Slice((ch * h + y) * w, w);
                        for (int ox = 0; ox < wo; ox++)
                        {
                            int xx = ox * win.SW + j * win.DW - win.PW;
                            if ((uint)xx < (uint)w) dst[xx] += row[oy * wo + ox];
                        }
                    }
                }
    }
}
