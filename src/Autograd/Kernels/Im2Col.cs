using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>Sliding-window gathers for 2-d convolution and pooling, on one [C, H, W] image at a time.</summary>
internal static class Im2Col
{
    /// <summary>cols[(c·k + i)·k + j, oy·Wo + ox] = x[c, oy·s + i − p, ox·s + j − p] (0 outside the image).</summary>
    public static void Gather<T>(ReadOnlySpan<T> x, int c, int h, int w, int k, int s, int p, int ho, int wo, Span<T> cols) where T : INumber<T>
    {
        int l = ho * wo;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    var row = cols.Slice(((ch * k + i) * k + j) * l, l);
                    for (int oy = 0; oy < ho; oy++)
                    {
                        int y = oy * s + i - p;
                        var dst = row.Slice(oy * wo, wo);
                        if ((uint)y >= (uint)h) { dst.Clear(); continue; }
                        var src = x.Slice((ch * h + y) * w, w);
                        for (int ox = 0; ox < wo; ox++)
                        {
                            int xx = ox * s + j - p;
                            dst[ox] = (uint)xx < (uint)w ? src[xx] : T.Zero;
                        }
                    }
                }
    }

    /// <summary>The adjoint of Gather: x[c, oy·s + i − p, ox·s + j − p] += cols[(c·k + i)·k + j, oy·Wo + ox].</summary>
    public static void Scatter<T>(ReadOnlySpan<T> cols, int c, int h, int w, int k, int s, int p, int ho, int wo, Span<T> x) where T : INumber<T>
    {
        int l = ho * wo;
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++)
                {
                    var row = cols.Slice(((ch * k + i) * k + j) * l, l);
                    for (int oy = 0; oy < ho; oy++)
                    {
                        int y = oy * s + i - p;
                        if ((uint)y >= (uint)h) continue;
                        var dst = x.Slice((ch * h + y) * w, w);
                        for (int ox = 0; ox < wo; ox++)
                        {
                            int xx = ox * s + j - p;
                            if ((uint)xx < (uint)w) dst[xx] += row[oy * wo + ox];
                        }
                    }
                }
    }
}
