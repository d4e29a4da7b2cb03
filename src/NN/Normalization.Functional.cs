using System.Numerics;
using System.Runtime.CompilerServices;
using Framework.Autograd;

namespace Framework.NN;

// Layer norm and group norm: one fused pass per row computes the statistics and the output, and the backward is one fused
// pass too (PyTorch's NativeLayerNormBackward0 / NativeGroupNormBackward0). Under createGraph the rule is written with tensor
// ops instead, so that the gradient can be differentiated again.
public static partial class Functional
{
    /// <summary>(x − mean) / √(var + eps) · weight + bias over the last dims given by <paramref name="normalizedShape"/> (torch.nn.functional.layer_norm).</summary>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input); ArgumentNullException.ThrowIfNull(normalizedShape);
        var shape = input.Shape;
        int d = normalizedShape.Length;
        bool fits = d >= 1 && d <= shape.Length && shape.AsSpan(shape.Length - d).SequenceEqual(normalizedShape);
        if (!fits)
            throw new ArgumentException($"Given normalized_shape={Format(normalizedShape)}, expected input with shape [*, {string.Join(", ", normalizedShape)}], but got input of size{Format(shape)}");
        foreach (var (p, what) in new[] { (weight, "weight"), (bias, "bias") })
            if (p is not null && !p.Shape.AsSpan().SequenceEqual(normalizedShape))
                throw new ArgumentException($"Expected {what} to be of same shape as normalized_shape, but got {what} of shape {Format(p.Shape)} and normalized_shape = {Format(normalizedShape)}");
        CheckFloat(input, "layer_norm");
        int m = 1;
        foreach (var s in normalizedShape) m *= s;
        int rows = m == 0 ? 0 : (int)(input.Numel / m);
        return RowNorm("NativeLayerNormBackward0", input, weight, bias, new NormShape(shape, rows, m, 1, eps, (int[])normalizedShape.Clone(), PerChannel: false));
    }

    /// <summary>Normalises each of <paramref name="numGroups"/> groups of channels of an [N, C, *] input, then scales and shifts per channel (torch.nn.functional.group_norm).</summary>
    public static Tensor GroupNorm(Tensor input, int numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shape = input.Shape;
        if (shape.Length < 2) throw new ArgumentException($"group_norm: expected an input with at least 2 dims [N, C, *], got shape {Format(shape)}");
        int c = shape[1];
        if (numGroups <= 0 || c % numGroups != 0)
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Format(shape)} and num_groups={numGroups}");
        foreach (var (p, what) in new[] { (weight, "weight"), (bias, "bias") })
            if (p is not null && (p.Dim != 1 || p.Shape[0] != c))
                throw new ArgumentException($"Expected {what} to be a vector of size equal to the number of channels in input, but got {what} of shape {Format(p.Shape)} and input of shape {Format(shape)}");
        CheckFloat(input, "group_norm");
        int rows = shape[0] * numGroups;
        int m = rows == 0 ? 0 : (int)(input.Numel / rows);
        return RowNorm("NativeGroupNormBackward0", input, weight, bias, new NormShape(shape, rows, m, numGroups, eps, [c], PerChannel: true));
    }

    private static void CheckFloat(Tensor x, string op)
    {
        if (!x.DType.IsFloatingPoint()) throw new ArgumentException($"{op}: expected a floating-point input, got {x.DType.TorchName()}");
    }

    private static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";

    /// <summary>The geometry of a row normalisation: rows of m elements; the affine parameters per element of a row (groups = 1) or per channel.</summary>
    private readonly record struct NormShape(int[] Input, int Rows, int M, int Groups, double Eps, int[] ParamShape, bool PerChannel)
    {
        /// <summary>Consecutive elements that share one affine parameter: 0 for layer norm (one per element of a row), the spatial size for group norm.</summary>
        public int Spatial => PerChannel ? M / (Input[1] / Groups) : 0;
        /// <summary>Number of affine parameters.</summary>
        public int Params => PerChannel ? Input[1] : M;
    }

    private static Tensor RowNorm(string name, Tensor input, Tensor? weight, Tensor? bias, NormShape ns)
    {
        int rows = ns.Rows;
        var x = input.Contiguous().Detach();
        var dtype = x.DType;
        var y = Tensor.Empty(ns.Input, dtype);
        var mean = Tensor.Empty([rows], dtype);
        var rstd = Tensor.Empty([rows], dtype);
        var w = weight is null ? null : Same(weight.Contiguous().Detach(), dtype, "weight");
        var b = bias is null ? null : Same(bias.Contiguous().Detach(), dtype, "bias");
        var forward = new NormForward(x, w, b, y, mean, rstd, ns);
        DTypeDispatch.Floating(dtype, ref forward);
        return Graph.Record(name, y, [input, weight, bias], [input, weight, mean, rstd], ns,
            static (ctx, g, ns) => GradMode.IsEnabled ? RowNormBackwardComposite(ctx, g, ns) : RowNormBackwardFused(ctx, g, ns));
    }

    private static Tensor Same(Tensor p, DType dtype, string what) => p.DType == dtype ? p
        : throw new ArgumentException($"expected {what} to have the input's dtype {dtype.TorchName()}, got {p.DType.TorchName()}");

    /// <summary>The fused backward: per row, dx = rstd·(gx̂ − mean(gx̂) − x̂·mean(gx̂·x̂)) with gx̂ = g·γ; dγ = Σ g·x̂ and dβ = Σ g per parameter.</summary>
    private static Tensor?[] RowNormBackwardFused(BackwardContext ctx, Tensor g, NormShape ns)
    {
        var x = ctx.Saved(0).Contiguous();
        var weight = ctx.SavedOrNull(1);
        var w = weight?.Contiguous();
        var gc = g.Contiguous();
        var dtype = x.DType;
        var dx = ctx.NeedsInputGrad(0) ? Tensor.Empty(ns.Input, dtype) : null;
        bool needAffine = ctx.NeedsInputGrad(1) || ctx.NeedsInputGrad(2);
        var dw = needAffine ? Tensor.Zeros([ns.Params], dtype) : null;
        var db = needAffine ? Tensor.Zeros([ns.Params], dtype) : null;
        var backward = new NormBackward(x, w, gc, ctx.Saved(2), ctx.Saved(3), dx, dw, db, ns);
        DTypeDispatch.Floating(dtype, ref backward);
        return [dx, ctx.NeedsInputGrad(1) ? dw!.Reshape(ns.ParamShape) : null, ctx.NeedsInputGrad(2) ? db!.Reshape(ns.ParamShape) : null];
    }

    /// <summary>The same gradients as tensor ops (differentiable again); the statistics are recomputed from x.</summary>
    private static Tensor?[] RowNormBackwardComposite(BackwardContext ctx, Tensor g, NormShape ns)
    {
        var x = ctx.Saved(0);
        var weight = ctx.SavedOrNull(1);
        int c = ns.PerChannel ? ns.Input[1] : 0;
        // Rows of [rows, m]; the affine parameters broadcast as [1, m] (layer norm) or [N, groups, C/groups, spatial] (group norm).
        var xr = x.Reshape(ns.Rows, ns.M);
        var mean = xr.Mean(1, keepDim: true);
        var rstd = ((xr - mean).Pow(2).Mean(1, keepDim: true) + ns.Eps).Rsqrt();
        var xHat = (xr - mean) * rstd;
        var gr = g.Reshape(ns.Rows, ns.M);
        Tensor Affine(Tensor p) => !ns.PerChannel ? p.Reshape(1, ns.M)
            : p.Reshape(1, ns.Groups, c / ns.Groups, 1).Expand(ns.Input[0], ns.Groups, c / ns.Groups, ns.Spatial).Reshape(ns.Rows, ns.M);
        Tensor PerParam(Tensor t) => !ns.PerChannel ? t.Sum(0).Reshape(ns.ParamShape)
            : t.Reshape(ns.Input[0], c, ns.Spatial).Sum([0, 2]);
        var gx = weight is null ? gr : gr * Affine(weight);
        Tensor? dx = null;
        if (ctx.NeedsInputGrad(0))
            dx = (rstd * (gx - gx.Mean(1, keepDim: true) - xHat * (gx * xHat).Mean(1, keepDim: true))).Reshape(ns.Input);
        return [dx, ctx.NeedsInputGrad(1) ? PerParam(gr * xHat) : null, ctx.NeedsInputGrad(2) ? PerParam(gr) : null];
    }

    private readonly struct NormForward(Tensor x, Tensor? w, Tensor? b, Tensor y, Tensor mean, Tensor rstd, NormShape ns) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => NormKernels.Forward(x.AsReadOnlySpan<T>(), w is null ? default : w.AsReadOnlySpan<T>(), b is null ? default : b.AsReadOnlySpan<T>(),
                                   w is not null, b is not null, y.AsSpan<T>(), mean.AsSpan<T>(), rstd.AsSpan<T>(), ns.Rows, ns.M, ns.Spatial, ns.Params, ns.Eps);
    }

    private readonly struct NormBackward(Tensor x, Tensor? w, Tensor g, Tensor mean, Tensor rstd, Tensor? dx, Tensor? dw, Tensor? db, NormShape ns) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => NormKernels.Backward(x.AsReadOnlySpan<T>(), w is null ? default : w.AsReadOnlySpan<T>(), w is not null, g.AsReadOnlySpan<T>(),
                                    mean.AsReadOnlySpan<T>(), rstd.AsReadOnlySpan<T>(), dx is null ? default : dx.AsSpan<T>(), dx is not null,
                                    dw is null ? default : dw.AsSpan<T>(), db is null ? default : db.AsSpan<T>(), dw is not null,
                                    ns.Rows, ns.M, ns.Spatial, ns.Params);
    }
}

/// <summary>Row normalisation over contiguous [rows, m] data; the affine parameter of element j of row r is p[j] (layer norm: spatial 0) or p[(r·m + j) / spatial mod params] (group norm).</summary>
internal static class NormKernels
{
    private static int Param(int r, int j, int m, int spatial, int parameters) => spatial == 0 ? j : (int)(((long)r * m + j) / spatial % parameters);

    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, bool hasW, bool hasB, Span<T> y,
                                  Span<T> mean, Span<T> rstd, int rows, int m, int spatial, int parameters, double eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && spatial == 0)
        {
            ForwardLayerSingle(Cast<T>(x), Cast<T>(w), Cast<T>(b), hasW, hasB, Cast<T>(y), Cast<T>(mean), Cast<T>(rstd), rows, m, eps);
            return;
        }
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * m, m);
            double sum = 0;
            foreach (var v in row) sum += double.CreateTruncating(v);
            double mu = sum / m, sq = 0;
            foreach (var v in row) { double d = double.CreateTruncating(v) - mu; sq += d * d; }
            double inv = 1 / Math.Sqrt(sq / m + eps);
            mean[r] = T.CreateTruncating(mu);
            rstd[r] = T.CreateTruncating(inv);
            var outRow = y.Slice(r * m, m);
            for (int j = 0; j < m; j++)
            {
                double v = (double.CreateTruncating(row[j]) - mu) * inv;
                int p = hasW || hasB ? Param(r, j, m, spatial, parameters) : 0;
                if (hasW) v *= double.CreateTruncating(w[p]);
                if (hasB) v += double.CreateTruncating(b[p]);
                outRow[j] = T.CreateTruncating(v);
            }
        }
    }

    public static void Backward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, bool hasW, ReadOnlySpan<T> g, ReadOnlySpan<T> mean, ReadOnlySpan<T> rstd,
                                   Span<T> dx, bool needDx, Span<T> dw, Span<T> db, bool needAffine, int rows, int m, int spatial, int parameters)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && spatial == 0)
        {
            BackwardLayerSingle(Cast<T>(x), Cast<T>(w), hasW, Cast<T>(g), Cast<T>(mean), Cast<T>(rstd), Cast<T>(dx), needDx, Cast<T>(dw), Cast<T>(db), needAffine, rows, m);
            return;
        }
        var dwAcc = needAffine ? new double[parameters] : [];
        var dbAcc = needAffine ? new double[parameters] : [];
        for (int r = 0; r < rows; r++)
        {
            double mu = double.CreateTruncating(mean[r]), inv = double.CreateTruncating(rstd[r]);
            double sumG = 0, sumGX = 0;
            for (int j = 0; j < m; j++)
            {
                int at = r * m + j;
                int p = Param(r, j, m, spatial, parameters);
                double xh = (double.CreateTruncating(x[at]) - mu) * inv, gv = double.CreateTruncating(g[at]);
                double gx = hasW ? gv * double.CreateTruncating(w[p]) : gv;
                sumG += gx; sumGX += gx * xh;
                if (needAffine) { dwAcc[p] += gv * xh; dbAcc[p] += gv; }
            }
            if (!needDx) continue;
            double a = sumG / m, c = sumGX / m;
            for (int j = 0; j < m; j++)
            {
                int at = r * m + j;
                double xh = (double.CreateTruncating(x[at]) - mu) * inv, gv = double.CreateTruncating(g[at]);
                double gx = hasW ? gv * double.CreateTruncating(w[Param(r, j, m, spatial, parameters)]) : gv;
                dx[at] = T.CreateTruncating(inv * (gx - a - xh * c));
            }
        }
        for (int p = 0; p < dwAcc.Length; p++) { dw[p] = T.CreateTruncating(dwAcc[p]); db[p] = T.CreateTruncating(dbAcc[p]); }
    }

    private static ReadOnlySpan<float> Cast<T>(ReadOnlySpan<T> s) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(s);
    private static Span<float> Cast<T>(Span<T> s) where T : unmanaged => System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(s);

    /// <summary>Lanes of a float row widened to double, n = Vector&lt;float&gt;.Count at a time; the tail is left to the caller.</summary>
    private static int VectorEnd(int m) => Vector.IsHardwareAccelerated ? m - m % Vector<float>.Count : 0;

    /// <summary>Layer norm (parameter j for element j) in Float32 with double arithmetic, as the generic loop computes it, a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardLayerSingle(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> b, bool hasW, bool hasB, Span<float> y,
                                           Span<float> mean, Span<float> rstd, int rows, int m, double eps)
    {
        int end = VectorEnd(m), wf = Vector<float>.Count;
        for (int r = 0; r < rows; r++)
        {
            var row = x.Slice(r * m, m);
            var acc = Vector<double>.Zero;
            for (int j = 0; j < end; j += wf)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                acc += lo + hi;
            }
            double sum = Vector.Sum(acc);
            for (int j = end; j < m; j++) sum += row[j];
            double mu = sum / m;
            var muV = new Vector<double>(mu);
            acc = Vector<double>.Zero;
            for (int j = 0; j < end; j += wf)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                lo -= muV; hi -= muV;
                acc += lo * lo + hi * hi;
            }
            double sq = Vector.Sum(acc);
            for (int j = end; j < m; j++) { double d = row[j] - mu; sq += d * d; }
            double inv = 1 / Math.Sqrt(sq / m + eps);
            mean[r] = (float)mu;
            rstd[r] = (float)inv;
            var outRow = y.Slice(r * m, m);
            var invV = new Vector<double>(inv);
            for (int j = 0; j < end; j += wf)
            {
                Vector.Widen(new Vector<float>(row[j..]), out var lo, out var hi);
                lo = (lo - muV) * invV; hi = (hi - muV) * invV;
                if (hasW) { Vector.Widen(new Vector<float>(w[j..]), out var wl, out var wh); lo *= wl; hi *= wh; }
                if (hasB) { Vector.Widen(new Vector<float>(b[j..]), out var bl, out var bh); lo += bl; hi += bh; }
                Vector.Narrow(lo, hi).CopyTo(outRow[j..]);
            }
            for (int j = end; j < m; j++)
            {
                double v = (row[j] - mu) * inv;
                if (hasW) v *= w[j];
                if (hasB) v += b[j];
                outRow[j] = (float)v;
            }
        }
    }

    /// <summary>The layer norm backward of the generic loop in Float32 (double arithmetic), a vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardLayerSingle(ReadOnlySpan<float> x, ReadOnlySpan<float> w, bool hasW, ReadOnlySpan<float> g, ReadOnlySpan<float> mean,
                                            ReadOnlySpan<float> rstd, Span<float> dx, bool needDx, Span<float> dw, Span<float> db, bool needAffine, int rows, int m)
    {
        int end = VectorEnd(m), wf = Vector<float>.Count, wd = Vector<double>.Count;
        var dwAcc = needAffine ? new double[m] : [];
        var dbAcc = needAffine ? new double[m] : [];
        var dwV = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(dwAcc.AsSpan());
        var dbV = System.Runtime.InteropServices.MemoryMarshal.Cast<double, Vector<double>>(dbAcc.AsSpan());
        for (int r = 0; r < rows; r++)
        {
            double mu = mean[r], inv = rstd[r];
            var muV = new Vector<double>(mu); var invV = new Vector<double>(inv);
            var xr = x.Slice(r * m, m); var gr = g.Slice(r * m, m);
            Vector<double> sG = Vector<double>.Zero, sGX = Vector<double>.Zero;
            for (int j = 0; j < end; j += wf)
            {
                Vector.Widen(new Vector<float>(xr[j..]), out var xl, out var xh);
                Vector.Widen(new Vector<float>(gr[j..]), out var gl, out var gh);
                xl = (xl - muV) * invV; xh = (xh - muV) * invV;
                Vector<double> gxl = gl, gxh = gh;
                if (hasW) { Vector.Widen(new Vector<float>(w[j..]), out var wl, out var wh); gxl *= wl; gxh *= wh; }
                sG += gxl + gxh; sGX += gxl * xl + gxh * xh;
                if (needAffine)
                {
                    int k = j / wd;
                    dwV[k] += gl * xl; dwV[k + 1] += gh * xh;
                    dbV[k] += gl; dbV[k + 1] += gh;
                }
            }
            double sumG = Vector.Sum(sG), sumGX = Vector.Sum(sGX);
            for (int j = end; j < m; j++)
            {
                double xhat = (xr[j] - mu) * inv, gv = gr[j];
                double gx = hasW ? gv * w[j] : gv;
                sumG += gx; sumGX += gx * xhat;
                if (needAffine) { dwAcc[j] += gv * xhat; dbAcc[j] += gv; }
            }
            if (!needDx) continue;
            double a = sumG / m, c = sumGX / m;
            var aV = new Vector<double>(a); var cV = new Vector<double>(c);
            var dr = dx.Slice(r * m, m);
            for (int j = 0; j < end; j += wf)
            {
                Vector.Widen(new Vector<float>(xr[j..]), out var xl, out var xh);
                Vector.Widen(new Vector<float>(gr[j..]), out var gl, out var gh);
                xl = (xl - muV) * invV; xh = (xh - muV) * invV;
                if (hasW) { Vector.Widen(new Vector<float>(w[j..]), out var wl, out var wh); gl *= wl; gh *= wh; }
                Vector.Narrow(invV * (gl - aV - xl * cV), invV * (gh - aV - xh * cV)).CopyTo(dr[j..]);
            }
            for (int j = end; j < m; j++)
            {
                double xhat = (xr[j] - mu) * inv, gv = gr[j];
                double gx = hasW ? gv * w[j] : gv;
                dr[j] = (float)(inv * (gx - a - xhat * c));
            }
        }
        for (int p = 0; p < dwAcc.Length; p++) { dw[p] = (float)dwAcc[p]; db[p] = (float)dbAcc[p]; }
    }
}
