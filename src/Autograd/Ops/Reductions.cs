using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Reductions beyond Sum/Mean/Max (Reduce.cs): variance with a correction, standard deviation, product, log-sum-exp,
// any/all, with their backward rules.
public partial class Tensor
{
    /// <summary>Variance of all elements, Σ(x − mean)² / (n − 1).</summary>
    public Tensor Var() => VarCore([], 1, false, std: false);

    /// <summary>Variance over dim (all elements when null): Σ(x − mean)² / max(n − correction, 0).</summary>
    public Tensor Var(int? dim = null, int correction = 1, bool keepDim = false) => VarCore(dim is int d ? [d] : [], correction, keepDim, std: false);

    /// <summary>Standard deviation of all elements, √(Σ(x − mean)² / (n − 1)).</summary>
    public Tensor Std() => VarCore([], 1, false, std: true);

    /// <summary>Standard deviation of all elements, unbiased (n − 1) or not (n).</summary>
    public Tensor Std(bool unbiased) => VarCore([], unbiased ? 1 : 0, false, std: true);

    /// <summary>Standard deviation over dim (all elements when null): √(Σ(x − mean)² / max(n − correction, 0)).</summary>
    public Tensor Std(int? dim = null, int correction = 1, bool keepDim = false) => VarCore(dim is int d ? [d] : [], correction, keepDim, std: true);

    /// <summary>Standard deviation over dims (all when empty), unbiased (n − 1) or not (n).</summary>
    public Tensor Std(int[] dims, bool unbiased = true, bool keepDim = false) => VarCore(dims, unbiased ? 1 : 0, keepDim, std: true);

    /// <summary>
    /// Σ(x − mean)² / max(n − c, 0) over dims (all when empty), or its square root; ∂var/∂x = 2(x − mean) / (n − c) (∞ or of the
    /// opposite sign when n ≤ c, as PyTorch), and ∂std/∂x = ∂var/∂x / (2·std), 0 where std = 0.
    /// </summary>
    private Tensor VarCore(int[] dims, int correction, bool keepDim, bool std)
    {
        var x = this;
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"std and var only support floating point and complex dtypes (got {DType.TorchName()})");
        var d = dims.Length == 0 ? AllDims() : NormalizeDims(dims);
        long n = 1;
        foreach (var i in d) n *= shape[i];
        double dof = n - (double)correction;
        Tensor y;
        using (new NoGrad())
        {
            var centered = x - x.Mean(d, keepDim: true);
            y = (centered * centered).Sum(d, keepDim) / Math.Max(dof, 0);
            if (std) y = y.Sqrt();
        }
        if (!std)
            return Graph.Record("VarBackward0", y, [x], [x], (d, keepDim, dof), static (ctx, g, s) =>
                [UnsqueezeDims(g, s.d, s.keepDim) * (ctx.Saved(0) - ctx.Saved(0).Mean(s.d, keepDim: true)) * (2 / s.dof)]);
        return Graph.Record("StdBackward0", y, [x], [x, y], (d, keepDim, dof), static (ctx, g, s) =>
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1);
            var gv = Where(y.Eq(0.0), ZerosLike(y), g / (y * 2));
            return [UnsqueezeDims(gv, s.d, s.keepDim) * (x - x.Mean(s.d, keepDim: true)) * (2 / s.dof)];
        });
    }

    /// <summary>Π of all elements (0-d); integers and bools multiply to Int64; the gradient is exact with zeros.</summary>
    public Tensor Prod()
    {
        var x = this;
        var y = ReduceRaw(AllDims(), keepDim: false, ReduceKind.Prod);
        return Graph.Record("ProdBackward0", y, [x], [x, y], static (ctx, g) =>
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1);
            if (x.shape.Length == 0) return [g];
            if (!HasZero(x)) return [g * (y / x)];
            return [ProdBackwardWithZeros(g.Reshape(1), x.Reshape(-1), 0).Reshape(x.shape)];
        });
    }

    /// <summary>Π over dim; integers and bools multiply to Int64; the gradient is exact with zeros.</summary>
    public Tensor Prod(int dim, bool keepDim = false)
    {
        var x = this;
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        var y = ReduceRaw(shape.Length == 0 ? [] : [d], keepDim, ReduceKind.Prod);
        return Graph.Record("ProdBackward1", y, [x], [x, y], (d, keepDim), static (ctx, g, s) =>
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1);
            if (x.shape.Length == 0) return [g];
            if (!s.keepDim) { g = g.Unsqueeze(s.d); y = y.Unsqueeze(s.d); }
            if (!HasZero(x)) return [g * (y / x)];
            return [ProdBackwardWithZeros(g, x, s.d)];
        });
    }

    /// <summary>∂Π/∂x_k = Π_{m &lt; k} x_m · Π_{m &gt; k} x_m along d, as exclusive cumulative products from both ends (no division, so right with zeros).</summary>
    private static Tensor ProdBackwardWithZeros(Tensor g, Tensor x, int d)
    {
        int n = x.shape[d];
        if (n == 0) return g.Expand(x.shape);
        var onesShape = (int[])x.shape.Clone();
        onesShape[d] = 1;
        var ones = Ones(onesShape, x.DType);
        var before = Cat([ones, x.Slice(d, 0, n - 1)], d).Cumprod(d);
        var after = Cat([ones, x.Slice(d, 1, n).FlipDim(d)], d).Cumprod(d).FlipDim(d);
        return g * (before * after);
    }

    private static bool HasZero(Tensor x)
    {
        using var _ = new NoGrad();
        return x.Eq(0.0).Any().Item<bool>();
    }

    /// <summary>log Σ e^x over dim, computed stably (m + log Σ e^(x − m)); integers and bools give Float32; backward g·e^(x − y).</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false) => LogSumExp([dim], keepDim);

    /// <summary>log Σ e^x over dims (all when empty), computed stably; integers and bools give Float32; backward g·e^(x − y).</summary>
    public Tensor LogSumExp(int[] dims, bool keepDim = false)
    {
        var x = this;
        var d = dims.Length == 0 ? AllDims() : NormalizeDims(dims);
        var y = ReduceRaw(d, keepDim, ReduceKind.LogSumExp);
        return Graph.Record("LogsumexpBackward0", y, [x], [x, y], (d, keepDim), static (ctx, g, s) =>
            [UnsqueezeDims(g, s.d, s.keepDim) * (ctx.Saved(0) - UnsqueezeDims(ctx.Saved(1), s.d, s.keepDim)).Exp()]);
    }

    /// <summary>True when some element is non-zero (NaN counts as non-zero); false for no elements. A Bool 0-d tensor.</summary>
    public Tensor Any()
    {
        using var _ = new NoGrad();
        return Ne(0.0).Sum().Gt(0.0);
    }

    /// <summary>True when every element is non-zero (NaN counts as non-zero); true for no elements. A Bool 0-d tensor.</summary>
    public Tensor All()
    {
        using var _ = new NoGrad();
        return Eq(0.0).Sum().Eq(0.0);
    }

    /// <summary>Along dim: true where some element is non-zero (Bool).</summary>
    public Tensor Any(int dim, bool keepDim = false)
    {
        using var _ = new NoGrad();
        return Ne(0.0).Sum(dim, keepDim).Gt(0.0);
    }

    /// <summary>Along dim: true where every element is non-zero (Bool).</summary>
    public Tensor All(int dim, bool keepDim = false)
    {
        using var _ = new NoGrad();
        return Eq(0.0).Sum(dim, keepDim).Eq(0.0);
    }

    private enum ReduceKind { Prod, LogSumExp }

    /// <summary>Π or log-sum-exp over sorted dims d, no graph: the reduced dims are moved last and read as one [outer, r, 1] layout.</summary>
    private Tensor ReduceRaw(int[] d, bool keepDim, ReduceKind kind)
    {
        var dtype = kind == ReduceKind.Prod
            ? DType.IsFloatingPoint() ? DType : DType.Int64
            : DType.IsFloatingPoint() ? DType : DType.Float32;
        int rank = shape.Length;
        var kept = new int[rank - d.Length];   // d is sorted and distinct
        for (int i = 0, j = 0; i < rank; i++) if (Array.IndexOf(d, i) < 0) kept[j++] = i;
        Tensor x;
        int outer = 1, r = 1, inner = 1;
        if (d.Length == 1) { (outer, r, inner) = Layout(shape, d[0]); x = Dispatch.Raw(this, dtype); }
        else
        {
            int[] order = [.. kept, .. d];
            var s = Array.ConvertAll(order, i => shape[i]);
            var st = Array.ConvertAll(order, i => strides[i]);
            foreach (var i in kept) outer *= shape[i];
            foreach (var i in d) r *= shape[i];
            x = Dispatch.Raw(new Tensor(storage, s, st, offset), dtype);
        }
        var outShape = keepDim ? Array.ConvertAll(AllDims(), i => Array.IndexOf(d, i) < 0 ? shape[i] : 1) : Array.ConvertAll(kept, i => shape[i]);
        var y = new Tensor(outShape, dtype, clear: false);
        if (kind == ReduceKind.Prod)
        {
            var prod = new ProdKernel(x, outer, r, inner, y);
            DTypeDispatch.Numeric(dtype, ref prod);
        }
        else
        {
            var lse = new LogSumExpKernel(x, outer, r, inner, y);
            DTypeDispatch.Floating(dtype, ref lse);
        }
        return y;
    }

    private readonly struct ProdKernel(Tensor x, int outer, int r, int inner, Tensor y) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> => Scan.ProdDim(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>());
    }

    private readonly struct LogSumExpKernel(Tensor x, int outer, int r, int inner, Tensor y) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Scan.LogSumExp(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>());
    }

    /// <summary>Product of all elements of x.</summary>
    public static Tensor Prod(Tensor x) => x.Prod();
    /// <summary>log Σ e^x over dim.</summary>
    public static Tensor LogSumExp(Tensor x, int dim, bool keepDim = false) => x.LogSumExp(dim, keepDim);
    /// <summary>Variance of all elements of x (n − 1).</summary>
    public static Tensor Var(Tensor x) => x.Var();
    /// <summary>Standard deviation of all elements of x (n − 1).</summary>
    public static Tensor Std(Tensor x) => x.Std();
}
