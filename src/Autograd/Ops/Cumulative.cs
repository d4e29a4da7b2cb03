using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Cumulative ops along one dimension (cumsum, cumprod), with their backward rules.
public partial class Tensor
{
    /// <summary>y[..., k, ...] = Σ_{j ≤ k} x[..., j, ...] along dim; integers and bools sum to Int64.</summary>
    public Tensor Cumsum(int dim)
    {
        var x = this;
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        var y = ScanRaw(d, prod: false, reverse: false);
        return Graph.Record("CumsumBackward0", y, [x], [], d, static (ctx, g, d) => [g.ReverseCumsum(d)]);
    }

    /// <summary>y[..., k, ...] = Σ_{j ≥ k} x[..., j, ...] along d: the adjoint of Cumsum, so each is the other's backward.</summary>
    private Tensor ReverseCumsum(int d)
    {
        var y = ScanRaw(d, prod: false, reverse: true);
        return Graph.Record("ReverseCumsumBackward0", y, [this], [], d, static (ctx, g, d) => [g.Cumsum(d)]);
    }

    /// <summary>y[..., k, ...] = Π_{j ≤ k} x[..., j, ...] along dim; integers and bools multiply to Int64; the gradient is exact with zeros in x.</summary>
    public Tensor Cumprod(int dim)
    {
        var x = this;
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        var y = ScanRaw(d, prod: true, reverse: false);
        return Graph.Record("CumprodBackward0", y, [x], [x, y], d, static (ctx, g, d) => [CumprodBackward(g, ctx.Saved(0), ctx.Saved(1), d)]);
    }

    /// <summary>Σ_{j ≥ k} g_j·∂y_j/∂x_k: (Σ_{j ≥ k} g_j·y_j) / x_k when x has no zero, else from products that omit x_k.</summary>
    private static Tensor CumprodBackward(Tensor g, Tensor x, Tensor y, int d)
    {
        if (x.Numel <= 1 || x.shape.Length == 0 || x.shape[d] == 1) return g;
        bool anyZero;
        using (new NoGrad()) anyZero = x.Eq(0.0).Any().Item<bool>();
        if (!anyZero) return (g * y).ReverseCumsum(d) / x;
        if (!GradMode.IsEnabled) return CumprodBackwardRaw(g, x, y, d);   // a plain backward: the O(n) kernel, not differentiable
        // createGraph: ∂y_j/∂x_k = Π_{m < k} x_m · Π_{k < m ≤ j} x_m for j ≥ k, one column per k; O(n²), but built from
        // differentiable ops only, so that it is differentiated again (the quotient above is wrong where x_k = 0).
        int n = x.shape[d];
        var onesShape = (int[])x.shape.Clone();
        onesShape[d] = 1;
        var ones = Ones(onesShape, x.DType);
        var columns = new Tensor[n];
        for (int k = 0; k < n; k++)
        {
            Tensor omitted;                                  // ∂y_j/∂x_k for j = k .. n−1
            if (k == 0) omitted = Cat([ones, x.Slice(d, 1, n).Cumprod(d)], d);
            else if (k == n - 1) omitted = x.Slice(d, 0, k).Prod(d, keepDim: true);
            else
            {
                var before = x.Slice(d, 0, k).Prod(d, keepDim: true);
                omitted = Cat([before, before * x.Slice(d, k + 1, n).Cumprod(d)], d);
            }
            columns[k] = (g.Slice(d, k, n) * omitted).Sum(d, keepDim: true);
        }
        return Cat(columns, d);
    }

    /// <summary>Cumprod's input gradient from the kernel (zeros allowed), no graph.</summary>
    private static Tensor CumprodBackwardRaw(Tensor g, Tensor x, Tensor y, int d)
    {
        var dtype = x.DType;
        Tensor xc = Dispatch.Raw(x, dtype), yc = Dispatch.Raw(y, dtype), gc = Dispatch.Raw(g, dtype);
        var (outer, r, inner) = Layout(x.shape, d);
        var dx = new Tensor(x.shape, dtype, clear: false);
        var backward = new CumprodBackwardKernel(xc, yc, gc, outer, r, inner, dx);
        DTypeDispatch.Floating(dtype, ref backward);
        return dx;
    }

    private readonly struct CumprodBackwardKernel(Tensor x, Tensor y, Tensor g, int outer, int r, int inner, Tensor dx) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => Scan.CumProdBackward(x.Elems<T>(), x.offset, y.Elems<T>(), y.offset, g.Elems<T>(), g.offset, outer, r, inner, dx.Elems<T>());
    }

    /// <summary>The elements in reverse order along d, as a gather (so differentiable, twice).</summary>
    private Tensor FlipDim(int d)
    {
        int n = shape[d];
        var reversed = new long[n];
        for (int i = 0; i < n; i++) reversed[i] = n - 1 - i;
        var at = new int[shape.Length];
        Array.Fill(at, 1);
        at[d] = n;
        return Gather(d, FromArray(reversed, at).Expand(shape).Contiguous());
    }

    /// <summary>Cumsum/cumprod along d (reversed: from the end), no graph; floats keep their dtype, the rest become Int64.</summary>
    private Tensor ScanRaw(int d, bool prod, bool reverse)
    {
        var dtype = DType.IsFloatingPoint() ? DType : DType.Int64;
        var x = Dispatch.Raw(this, dtype);
        var (outer, r, inner) = Layout(shape, d);
        var y = new Tensor(shape, dtype, clear: false);
        var scan = new ScanKernel(x, outer, r, inner, y, prod, reverse);
        DTypeDispatch.Numeric(dtype, ref scan);
        return y;
    }

    private readonly struct ScanKernel(Tensor x, int outer, int r, int inner, Tensor y, bool prod, bool reverse) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            if (typeof(T) == typeof(float)) Run<float, double>();   // as PyTorch's CPU kernels: Float32 scans accumulate in double
            else Run<T, T>();
        }

        private void Run<T, TAcc>() where T : unmanaged, INumber<T> where TAcc : INumber<TAcc>
        {
            if (prod) Scan.CumProd<T, TAcc>(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>());
            else Scan.CumSum<T, TAcc>(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>(), reverse);
        }
    }

    /// <summary>Cumulative sum of x along dim.</summary>
    public static Tensor Cumsum(Tensor x, int dim) => x.Cumsum(dim);
    /// <summary>Cumulative product of x along dim.</summary>
    public static Tensor Cumprod(Tensor x, int dim) => x.Cumprod(dim);
}
