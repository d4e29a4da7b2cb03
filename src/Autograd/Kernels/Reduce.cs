using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace Framework.Autograd.Kernels;

/// <summary>Reductions over a contiguous [outer, r, inner] layout, the middle dim reduced.</summary>
internal static class Reduce
{
    /// <summary>Σ x over a contiguous span, on both cores when large.</summary>
    public static T SumAll<T>(T[] x, int offset, int n) where T : INumber<T>
    {
        if (n < Elementwise.ParallelThreshold) return TensorPrimitives.Sum<T>(x.AsSpan(offset, n));
        var partial = new T[Environment.ProcessorCount];
        int per = (n + partial.Length - 1) / partial.Length;
        Parallel.For(0, partial.Length, c =>
        {
            int s = c * per, len = Math.Min(per, n - s);
            partial[c] = len > 0 ? TensorPrimitives.Sum<T>(x.AsSpan(offset + s, len)) : T.Zero;
        });
        T total = T.Zero;
        foreach (var p in partial) total += p;
        return total;
    }

    /// <summary>d[o, i] = Σ_k x[o, k, i].</summary>
    public static void SumDim<T>(T[] x, int offset, int outer, int r, int inner, T[] d) where T : unmanaged, INumber<T>
    {
        if (r == 0) { d.AsSpan(0, outer * inner).Clear(); return; }     // an empty sum is 0
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) d[o] = TensorPrimitives.Sum<T>(x.AsSpan(offset + o * r, r));
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var dst = d.AsSpan(o * inner, inner);
            x.AsSpan(offset + o * r * inner, inner).CopyTo(dst);
            for (int k = 1; k < r; k++) SpanMath.Add(dst, x.AsSpan(offset + (o * r + k) * inner, inner), dst);   // r short calls: optimised from the first (SpanMath)
        }
    }

    /// <summary>values[o, i] = max (or min) over k of x[o, k, i], indices = the first k attaining it (NaN wins).</summary>
    public static void ArgExtreme<T>(T[] x, int offset, int outer, int r, int inner, T[] values, long[] indices, bool max) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = offset + o * r * inner + i;
                T best = x[b];
                long at = 0;
                for (int k = 1; k < r && !T.IsNaN(best); k++)
                {
                    T v = x[b + k * inner];
                    if (T.IsNaN(v) || (max ? v > best : v < best)) { best = v; at = k; }
                }
                values[o * inner + i] = best;
                indices[o * inner + i] = at;
            }
    }

    /// <summary>d[o, k, i] = softmax (or log-softmax) over k of x[o, k, i], computed stably from the row maximum.</summary>
    public static void Softmax<T>(T[] x, int offset, int outer, int r, int inner, T[] d, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r == 0) return;                                            // no elements: nothing to write
        if (inner == 1 && !log)
        {
            // Rows are contiguous: each is read and written in place, no copy through a scratch row.
            ByRows(outer, r, (lo, hi) => SoftmaxRows(new ReadOnlySpan<T>(x, offset + lo * r, (hi - lo) * r), new Span<T>(d, lo * r, (hi - lo) * r), r));
            return;
        }
        var row = new T[r];
        var e = log ? new T[r] : [];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int b = offset + o * r * inner + i;
                for (int k = 0; k < r; k++) row[k] = x[b + k * inner];
                // As PyTorch: no special case for an infinite (or NaN) maximum, so a row holding +inf, NaN or only −inf gives NaN throughout.
                T m = TensorPrimitives.Max<T>(row);
                TensorPrimitives.Subtract(row, m, row);
                if (log)
                {
                    TensorPrimitives.Exp<T>(row, e);
                    T lse = T.Log(TensorPrimitives.Sum<T>(e));
                    TensorPrimitives.Subtract(row, lse, row);
                }
                else
                {
                    TensorPrimitives.Exp<T>(row, row);
                    T s = TensorPrimitives.Sum<T>(row);
                    TensorPrimitives.Divide(row, s, row);
                }
                int db = o * r * inner + i;
                for (int k = 0; k < r; k++) d[db + k * inner] = row[k];
            }
    }

    /// <summary>The softmax gradient over the middle dim of contiguous [outer, r, inner] y and g into d: y·(g − Σ g·y), or g − e^y·Σ g when <paramref name="log"/>.</summary>
    public static void SoftmaxBackward<T>(T[] y, int yOffset, T[] g, int gOffset, int outer, int r, int inner, T[] d, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (r == 0) return;
        if (inner == 1)
        {
            ByRows(outer, r, (lo, hi) => SoftmaxBackwardRows(new ReadOnlySpan<T>(y, yOffset + lo * r, (hi - lo) * r),
                new ReadOnlySpan<T>(g, gOffset + lo * r, (hi - lo) * r), new Span<T>(d, lo * r, (hi - lo) * r), r, log));
            return;
        }
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                int yb = yOffset + o * r * inner + i, gb = gOffset + o * r * inner + i, db = o * r * inner + i;
                T s = T.Zero;
                for (int k = 0; k < r; k++) s += log ? g[gb + k * inner] : g[gb + k * inner] * y[yb + k * inner];
                for (int k = 0; k < r; k++)
                {
                    T yk = y[yb + k * inner], gk = g[gb + k * inner];
                    d[db + k * inner] = log ? gk - T.Exp(yk) * s : yk * (gk - s);
                }
            }
    }

    /// <summary>Elements from which the row softmax kernels split their rows over the cores (tests lower it to exercise the split).</summary>
    internal static int SoftmaxParallelWork { get; set; } = 1 << 15;

    /// <summary>Elements a row softmax kernel call covers at most, in whole rows (tests lower it to have many blocks on small inputs).</summary>
    internal static int SoftmaxBlock { get; set; } = 1 << 14;

    /// <summary>
    /// Runs body over blocks [lo, hi) of the rows of r elements, about <see cref="SoftmaxBlock"/> elements each (one block when
    /// smaller): on the calling thread when small, else each core a contiguous run of blocks. The blocks depend on the
    /// shape alone, not on the cores (TensorPrimitives' exp of a vector holding −∞ or NaN differs in the last bit with its
    /// grouping), so the split changes no value.
    /// </summary>
    private static void ByRows(int rows, int r, Action<int, int> body)
    {
        int per = Math.Max(1, SoftmaxBlock / r), blocks = (rows + per - 1) / per;
        void Blocks(int b0, int b1)
        {
            for (int b = b0; b < b1; b++) body(b * per, Math.Min(rows, (b + 1) * per));
        }
        int threads = (long)rows * r < SoftmaxParallelWork ? 1 : Math.Min(Environment.ProcessorCount, blocks);
        if (threads <= 1) { Blocks(0, blocks); return; }
        Parallel.For(0, threads, t => Blocks((int)((long)blocks * t / threads), (int)((long)blocks * (t + 1) / threads)));
    }

    // The row loops below run once per row (attention's thousands of 32-wide rows a step), so they are compiled optimised
    // from their first call, work a vector at a time inside each row, and keep TensorPrimitives to one exp over all the
    // rows of a block (see SpanMath on why not per row, and ByRows on why the blocks do not follow the cores).

    /// <summary>Softmax of each contiguous row of r: x − max (NaN when the row holds one), one exp over every row, then ÷ the row's sum.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRows<T>(ReadOnlySpan<T> x, Span<T> d, int r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < x.Length; o += r)
        {
            var src = x.Slice(o, r); var dst = d.Slice(o, r);
            SpanMath.Add(src, -RowMax(src), dst);                       // x + (−m) is x − m exactly
        }
        TensorPrimitives.Exp<T>(d, d);
        for (int o = 0; o < d.Length; o += r)
        {
            var dst = d.Slice(o, r);
            SpanMath.Divide(dst, SpanMath.Sum<T>(dst), dst);
        }
    }

    /// <summary>The softmax gradient of contiguous rows of r: y·(g − Σ g·y), or g − e^y·Σ g when <paramref name="log"/> (one exp over every row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxBackwardRows<T>(ReadOnlySpan<T> y, ReadOnlySpan<T> g, Span<T> d, int r, bool log) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = Vector.IsHardwareAccelerated ? Vector<T>.Count : int.MaxValue;
        if (log)
        {
            TensorPrimitives.Exp<T>(y, d);
            for (int o = 0; o < d.Length; o += r)
            {
                var gr = g.Slice(o, r); var dr = d.Slice(o, r);
                T s = SpanMath.Sum<T>(gr);
                var sv = new Vector<T>(s);
                int k = 0;
                for (; k <= r - w; k += w) (new Vector<T>(gr[k..]) - new Vector<T>(dr[k..]) * sv).CopyTo(dr[k..]);
                for (; k < r; k++) dr[k] = gr[k] - dr[k] * s;
            }
            return;
        }
        for (int o = 0; o < d.Length; o += r)
        {
            var yr = y.Slice(o, r); var gr = g.Slice(o, r); var dr = d.Slice(o, r);
            T s = SpanMath.Dot<T>(gr, yr);
            var sv = new Vector<T>(s);
            int k = 0;
            for (; k <= r - w; k += w) ((new Vector<T>(gr[k..]) - sv) * new Vector<T>(yr[k..])).CopyTo(dr[k..]);
            for (; k < r; k++) dr[k] = (gr[k] - s) * yr[k];
        }
    }

    /// <summary>The largest element of a non-empty row, NaN when it holds one (of equal maxima, which zero's sign wins is unspecified).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T RowMax<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = row.Length, k = 0;
        T m = row[0];
        bool nan = false;
        if (Vector.IsHardwareAccelerated && n >= Vector<T>.Count)
        {
            var mv = new Vector<T>(row);
            for (k = Vector<T>.Count; k <= n - Vector<T>.Count; k += Vector<T>.Count)
            {
                var v = new Vector<T>(row[k..]);
                nan |= !Vector.EqualsAll(v, v);
                mv = Vector.ConditionalSelect(Vector.GreaterThan(v, mv), v, mv);
            }
            nan |= !Vector.EqualsAll(mv, mv);
            m = mv[0];
            for (int j = 1; j < Vector<T>.Count; j++) if (mv[j] > m) m = mv[j];
        }
        for (; k < n; k++)
        {
            T v = row[k];
            nan |= T.IsNaN(v);
            if (v > m) m = v;
        }
        return nan || T.IsNaN(m) ? T.NaN : m;
    }

    /// <summary>d[o, j, i] = x[o, idx[o, j, i], i]: gather along the middle dim (x has r there, idx and d have q); every idx is in [0, r), checked by the op.</summary>
    public static void Gather<T>(T[] x, int xOffset, int outer, int r, int q, int inner, long[] idx, T[] d)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < q; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * q + j) * inner + i;
                    long k = idx[at];
                    d[at] = x[xOffset + (o * r + (int)k) * inner + i];
                }
    }

    /// <summary>d[o, idx[o, j, i], i] += v[o, j, i]: scatter-add along the middle dim; every idx is in [0, r), checked by the op.</summary>
    public static void ScatterAdd<T>(T[] v, int vOffset, int outer, int r, int q, int inner, long[] idx, T[] d) where T : INumber<T>
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < q; j++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * q + j) * inner + i;
                    long k = idx[at];
                    d[(o * r + (int)k) * inner + i] += v[vOffset + at];
                }
    }
}
