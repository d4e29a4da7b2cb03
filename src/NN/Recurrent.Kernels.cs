using System.Numerics;
using System.Numerics.Tensors;

namespace Framework.NN;

/// <summary>
/// The gate kernels of one time step of the fused recurrent layers, on contiguous [n, gates·h] rows (see Recurrent.Functional.cs).
/// Forward: from the input projection xp (b_ih included), the hidden projection hp (W_hh·h, no bias) and b_hh, the new h (and c)
/// and the activated gates the backward needs. Backward: from dh (and dc), the gradients of the gates' pre-activations, split into
/// the part that reaches xp and the part that reaches hp (they differ only in GRU's n gate, where b_hn sits inside r·(W_hn h + b_hn)).
/// </summary>
internal static class RecurrentKernels
{
    /// <summary>LSTM, gates i, f, g, o: a = xp + hp + b; i, f, o = σ(a), g = tanh(a); c' = f·c + i·g; h' = o·tanh(c'). Writes gates (activated), c', h'.</summary>
    public static void LstmForward<T>(ReadOnlySpan<T> xp, ReadOnlySpan<T> hp, ReadOnlySpan<T> b, ReadOnlySpan<T> c, Span<T> gates, Span<T> cNew, Span<T> hNew, int n, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(xp, hp, gates);
        for (int r = 0; r < n; r++)
        {
            var a = gates.Slice(r * 4 * h, 4 * h);
            if (!b.IsEmpty) TensorPrimitives.Add(a, b, a);
            var ifg = a[..(2 * h)];
            TensorPrimitives.Sigmoid(ifg, ifg);
            var g = a.Slice(2 * h, h);
            TensorPrimitives.Tanh(g, g);
            var o = a.Slice(3 * h, h);
            TensorPrimitives.Sigmoid(o, o);
            var cr = cNew.Slice(r * h, h); var hr = hNew.Slice(r * h, h);
            TensorPrimitives.Multiply(a.Slice(h, h), c.Slice(r * h, h), cr);          // f·c
            TensorPrimitives.FusedMultiplyAdd(a[..h], g, cr, cr);                     // + i·g
            TensorPrimitives.Tanh(cr, hr);
            TensorPrimitives.Multiply(hr, o, hr);
        }
    }

    /// <summary>
    /// LSTM backward of one step: with dh and dc (dc holds dL/dc' on entry and dL/dc on exit), da_o = dh·tanh(c')·o(1−o),
    /// dc += dh·o·(1−tanh²c'), da_i = dc·g·i(1−i), da_f = dc·c·f(1−f), da_g = dc·i·(1−g²), then dc ← dc·f. Writes da (= dxp = dhp).
    /// </summary>
    public static void LstmBackward<T>(ReadOnlySpan<T> dh, Span<T> dc, ReadOnlySpan<T> gates, ReadOnlySpan<T> cNew, ReadOnlySpan<T> c, Span<T> da, int n, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Span<T> tc = h <= 1024 ? stackalloc T[h] : new T[h];
        int w = Vector<T>.Count;
        for (int r = 0; r < n; r++)
        {
            var gr = gates.Slice(r * 4 * h, 4 * h); var dar = da.Slice(r * 4 * h, 4 * h);
            var dhr = dh.Slice(r * h, h); var dcr = dc.Slice(r * h, h); var cp = c.Slice(r * h, h);
            TensorPrimitives.Tanh(cNew.Slice(r * h, h), tc);
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var one = Vector<T>.One;
                for (; j <= h - w; j += w)
                {
                    Vector<T> i = V(gr, j), f = V(gr, h + j), g = V(gr, 2 * h + j), o = V(gr, 3 * h + j), t = V(tc, j), d = V(dhr, j);
                    var dcj = V(dcr, j) + d * o * (one - t * t);
                    (d * t * o * (one - o)).CopyTo(dar[(3 * h + j)..]);
                    (dcj * g * i * (one - i)).CopyTo(dar[j..]);
                    (dcj * V(cp, j) * f * (one - f)).CopyTo(dar[(h + j)..]);
                    (dcj * i * (one - g * g)).CopyTo(dar[(2 * h + j)..]);
                    (dcj * f).CopyTo(dcr[j..]);
                }
            }
            for (; j < h; j++)
            {
                T i = gr[j], f = gr[h + j], g = gr[2 * h + j], o = gr[3 * h + j], t = tc[j], d = dhr[j];
                T dcj = dcr[j] + d * o * (T.One - t * t);
                dar[3 * h + j] = d * t * o * (T.One - o);
                dar[j] = dcj * g * i * (T.One - i);
                dar[h + j] = dcj * cp[j] * f * (T.One - f);
                dar[2 * h + j] = dcj * i * (T.One - g * g);
                dcr[j] = dcj * f;
            }
        }
    }

    private static Vector<T> V<T>(ReadOnlySpan<T> s, int at) where T : unmanaged => new(s[at..]);

    private static Vector<T> V<T>(Span<T> s, int at) where T : unmanaged => new(s[at..]);

    /// <summary>
    /// GRU, gates r, z, n: r = σ(xp_r + hp_r + b_hr), z = σ(xp_z + hp_z + b_hz), hn = hp_n + b_hn, n = tanh(xp_n + r·hn),
    /// h' = (1 − z)·n + z·h. Writes gates (r, z, n), hn and h'.
    /// </summary>
    public static void GruForward<T>(ReadOnlySpan<T> xp, ReadOnlySpan<T> hp, ReadOnlySpan<T> b, ReadOnlySpan<T> hPrev, Span<T> gates, Span<T> hn, Span<T> hNew, int n, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int r = 0; r < n; r++)
        {
            var x = xp.Slice(r * 3 * h, 3 * h); var p = hp.Slice(r * 3 * h, 3 * h); var a = gates.Slice(r * 3 * h, 3 * h);
            var rz = a[..(2 * h)];
            TensorPrimitives.Add(x[..(2 * h)], p[..(2 * h)], rz);
            if (!b.IsEmpty) TensorPrimitives.Add(rz, b[..(2 * h)], rz);
            TensorPrimitives.Sigmoid(rz, rz);
            var hnr = hn.Slice(r * h, h);
            if (b.IsEmpty) p.Slice(2 * h, h).CopyTo(hnr);
            else TensorPrimitives.Add(p.Slice(2 * h, h), b.Slice(2 * h, h), hnr);
            var ng = a.Slice(2 * h, h);
            TensorPrimitives.FusedMultiplyAdd(a[..h], hnr, x.Slice(2 * h, h), ng);    // xp_n + r·hn
            TensorPrimitives.Tanh(ng, ng);
            var hr = hNew.Slice(r * h, h);
            TensorPrimitives.Subtract(hPrev.Slice(r * h, h), ng, hr);                  // h' = n + z·(h − n)
            TensorPrimitives.FusedMultiplyAdd(hr, a.Slice(h, h), ng, hr);
        }
    }

    /// <summary>
    /// GRU backward of one step: dn = dh(1 − z), dz = dh(h − n), da_n = dn(1 − n²), da_r = da_n·hn·r(1 − r), da_z = dz·z(1 − z);
    /// dxp = [da_r, da_z, da_n], dhp = [da_r, da_z, da_n·r], and the direct part of dL/dh, dh·z.
    /// </summary>
    public static void GruBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> gates, ReadOnlySpan<T> hn, ReadOnlySpan<T> hPrev, Span<T> dxp, Span<T> dhp, Span<T> dhDirect, int n, int h)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector<T>.Count;
        for (int r = 0; r < n; r++)
        {
            var gr = gates.Slice(r * 3 * h, 3 * h); var dx = dxp.Slice(r * 3 * h, 3 * h); var dp = dhp.Slice(r * 3 * h, 3 * h);
            var dhr = dh.Slice(r * h, h); var hnr = hn.Slice(r * h, h); var hp = hPrev.Slice(r * h, h); var dd = dhDirect.Slice(r * h, h);
            int j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var one = Vector<T>.One;
                for (; j <= h - w; j += w)
                {
                    Vector<T> rg = V(gr, j), z = V(gr, h + j), ng = V(gr, 2 * h + j), d = V(dhr, j);
                    var dan = d * (one - z) * (one - ng * ng);
                    var dar = dan * V(hnr, j) * rg * (one - rg);
                    var daz = d * (V(hp, j) - ng) * z * (one - z);
                    dar.CopyTo(dx[j..]); daz.CopyTo(dx[(h + j)..]); dan.CopyTo(dx[(2 * h + j)..]);
                    dar.CopyTo(dp[j..]); daz.CopyTo(dp[(h + j)..]); (dan * rg).CopyTo(dp[(2 * h + j)..]);
                    (d * z).CopyTo(dd[j..]);
                }
            }
            for (; j < h; j++)
            {
                T rg = gr[j], z = gr[h + j], ng = gr[2 * h + j], d = dhr[j];
                T dan = d * (T.One - z) * (T.One - ng * ng);
                T dar = dan * hnr[j] * rg * (T.One - rg);
                T daz = d * (hp[j] - ng) * z * (T.One - z);
                dx[j] = dar; dx[h + j] = daz; dx[2 * h + j] = dan;
                dp[j] = dar; dp[h + j] = daz; dp[2 * h + j] = dan * rg;
                dd[j] = d * z;
            }
        }
    }

    /// <summary>Elman RNN: h' = tanh(xp + hp + b) (or relu).</summary>
    public static void RnnForward<T>(ReadOnlySpan<T> xp, ReadOnlySpan<T> hp, ReadOnlySpan<T> b, Span<T> hNew, int n, int h, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        TensorPrimitives.Add(xp, hp, hNew);
        for (int r = 0; r < n; r++)
        {
            var a = hNew.Slice(r * h, h);
            if (!b.IsEmpty) TensorPrimitives.Add(a, b, a);
            if (relu) TensorPrimitives.Max(a, T.Zero, a);
            else TensorPrimitives.Tanh(a, a);
        }
    }

    /// <summary>Elman RNN backward: da = dh·(1 − h'²) for tanh, dh·[h' &gt; 0] for relu.</summary>
    public static void RnnBackward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> hNew, Span<T> da, bool relu)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (relu)
        {
            for (int j = 0; j < da.Length; j++) da[j] = hNew[j] > T.Zero ? dh[j] : T.Zero;
            return;
        }
        TensorPrimitives.Multiply(hNew, hNew, da);
        TensorPrimitives.Subtract(T.One, da, da);
        TensorPrimitives.Multiply(da, dh, da);
    }
}
