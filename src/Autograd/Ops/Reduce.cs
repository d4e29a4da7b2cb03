using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// Reductions, softmax and gather/scatter, with their backward rules.
public partial class Tensor
{
    /// <summary>Σ of all elements (0-d); integers and bools sum to Int64.</summary>
    public Tensor Sum()
    {
        var x = this;
        var y = SumRaw(AllDims(), keepDim: false);
        return Graph.Record("SumBackward0", y, [x], [], x.shape, static (ctx, g, shape) => [g.Expand(shape)]);
    }

    /// <summary>Σ over one dimension.</summary>
    public Tensor Sum(int dim, bool keepDim = false) => Sum([dim], keepDim);

    /// <summary>Σ over several dimensions.</summary>
    public Tensor Sum(int[] dims, bool keepDim = false)
    {
        var x = this;
        var d = dims.Length == 0 ? AllDims() : NormalizeDims(dims);
        var y = SumRaw(d, keepDim);
        return Graph.Record("SumBackward1", y, [x], [], (d, keepDim, x.shape), static (ctx, g, s) => [UnsqueezeDims(g, s.d, s.keepDim).Expand(s.shape)]);
    }

    /// <summary>Mean of all elements (0-d); floats only.</summary>
    public Tensor Mean()
    {
        var x = this;
        CheckMeanDType();
        long n = Numel;
        var y = SumRaw(AllDims(), false).DivRaw(n);
        return Graph.Record("MeanBackward0", y, [x], [], (x.shape, n), static (ctx, g, s) => [g.Expand(s.shape) / s.n]);
    }

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Mean([dim], keepDim);

    /// <summary>Mean over several dimensions.</summary>
    public Tensor Mean(int[] dims, bool keepDim = false)
    {
        var x = this;
        CheckMeanDType();
        var d = NormalizeDims(dims);
        long n = 1;
        foreach (var i in d) n *= shape[i];
        var y = SumRaw(d, keepDim).DivRaw(n);
        return Graph.Record("MeanBackward1", y, [x], [], (d, keepDim, x.shape, n),
            static (ctx, g, s) => [UnsqueezeDims(g, s.d, s.keepDim).Expand(s.shape) / s.n]);
    }

    /// <summary>Variance over dims (all when empty): Σ(x − mean)² / (n − 1) when unbiased, else / n.</summary>
    public Tensor Var(int[] dims, bool unbiased = true, bool keepDim = false) => VarCore(dims, unbiased ? 1 : 0, keepDim, std: false);

    /// <summary>Variance of all elements (unbiased by default).</summary>
    public Tensor Var(bool unbiased = true) => Var([], unbiased);

    /// <summary>Largest element (0-d); the gradient is shared evenly among the maxima.</summary>
    public Tensor Max() => Extreme(true);

    /// <summary>Smallest element (0-d); the gradient is shared evenly among the minima.</summary>
    public Tensor Min() => Extreme(false);

    private Tensor Extreme(bool max)
    {
        var x = this;
        if (Numel == 0) throw new ArgumentException($"{(max ? "max" : "min")}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        var (v, _) = ExtremeRaw(Flatten().Contiguous(), 0, max);
        var y = v.Reshape();
        return Graph.Record(max ? "MaxBackward1" : "MinBackward1", y, [x], [x, y], static (ctx, g) =>
        {
            var x = ctx.Saved(0);
            var mask = x.Eq(ctx.Saved(1)).To(x.DType);
            return [mask * (g / mask.Sum())];
        });
    }

    /// <summary>Largest values along dim and their (Int64) indices.</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepDim = false) => Extreme(dim, keepDim, true, "max");

    /// <summary>Smallest values along dim and their (Int64) indices.</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepDim = false) => Extreme(dim, keepDim, false, "min");

    private (Tensor, Tensor) Extreme(int dim, bool keepDim, bool max, string op)
    {
        var x = this;
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        if (shape.Length > 0 && shape[dim] == 0)
            throw new ArgumentException($"{op}(): Expected reduction dim {dim} to have non-zero size. (input shape {ShapeUtil.Format(shape)})");
        var (v, idx) = ExtremeRaw(this, dim, max);
        if (!keepDim && shape.Length > 0) { v = v.Squeeze(dim); idx = idx.Squeeze(dim); }
        var values = Graph.Record(max ? "MaxBackward0" : "MinBackward0", v, [x], [idx], (dim, keepDim, x.shape), static (ctx, g, s) =>
        {
            var gk = s.keepDim || s.shape.Length == 0 ? g : g.Unsqueeze(s.dim);
            var ik = s.keepDim || s.shape.Length == 0 ? ctx.Saved(0) : ctx.Saved(0).Unsqueeze(s.dim);
            return [gk.ScatterAddInto(s.dim, ik, s.shape)];
        });
        return (values, idx);
    }

    /// <summary>Index of the largest element along dim (Int64, not differentiable).</summary>
    public Tensor Argmax(int dim, bool keepDim = false)
    {
        using var _ = new NoGrad();
        return Extreme(dim, keepDim, true, "argmax").Item2;
    }

    /// <summary>Index of the smallest element along dim (Int64, not differentiable).</summary>
    public Tensor Argmin(int dim, bool keepDim = false)
    {
        using var _ = new NoGrad();
        return Extreme(dim, keepDim, false, "argmin").Item2;
    }

    /// <summary>Euclidean norm of all elements, √Σx² (0-d); the gradient is x / ‖x‖ (0 where ‖x‖ = 0).</summary>
    public Tensor Norm()
    {
        var x = this;
        Tensor y;
        using (new NoGrad()) y = (x * x).Sum().Sqrt();
        return Graph.Record("NormBackward1", y, [x], [x, y], static (ctx, g) =>
        {
            Tensor x = ctx.Saved(0), y = ctx.Saved(1);
            return [Where(y.Eq(0.0), ZerosLike(x), x * (g / y))];
        });
    }

    /// <summary>e^x / Σ e^x along dim, computed stably; backward y·(g − Σ g·y).</summary>
    public Tensor Softmax(int dim)
    {
        var y = SoftmaxRaw(dim, log: false);
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        return Graph.Record("SoftmaxBackward0", y, [this], [y], d, static (ctx, g, d) => [GradMode.IsEnabled
            ? ctx.Saved(0) * (g - (g * ctx.Saved(0)).Sum(d, keepDim: true))
            : SoftmaxBackwardFused(ctx.Saved(0), g, d, log: false)]);
    }

    /// <summary>x − log Σ e^x along dim, computed stably; backward g − e^y·Σ g.</summary>
    public Tensor LogSoftmax(int dim)
    {
        var y = SoftmaxRaw(dim, log: true);
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        return Graph.Record("LogSoftmaxBackward0", y, [this], [y], d, static (ctx, g, d) => [GradMode.IsEnabled
            ? g - ctx.Saved(0).Exp() * g.Sum(d, keepDim: true)
            : SoftmaxBackwardFused(ctx.Saved(0), g, d, log: true)]);
    }

    /// <summary>The (log-)softmax gradient in one pass per row: y·(g − Σ g·y), or g − e^y·Σ g for log-softmax (not recorded).</summary>
    private static Tensor SoftmaxBackwardFused(Tensor y, Tensor g, int dim, bool log)
    {
        var yc = Dispatch.Raw(y, y.DType);
        var gc = Dispatch.Raw(g, y.DType);
        var (outer, r, inner) = Layout(y.shape, dim);
        var dx = new Tensor(y.shape, y.DType, clear: false);
        var kernel = new SoftmaxBackwardKernel(yc, gc, outer, r, inner, dx, log);
        DTypeDispatch.Floating(y.DType, ref kernel);
        return dx;
    }

    /// <summary>out[..., j, ...] = this[..., index[..., j, ...], ...] along dim (torch.gather); index is Int64 with this tensor's other sizes.</summary>
    public Tensor Gather(int dim, Tensor index)
    {
        var x = this;
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        CheckIndex(index, dim, "gather");
        var (outer, r, inner) = Layout(shape, dim);
        int q = index.shape.Length == 0 ? 1 : index.shape[dim];
        var xc = Dispatch.Raw(x, DType);
        var idx = Dispatch.Raw(index, DType.Int64).ToArray<long>();
        CheckIndexValues(idx, r, dim, "gather");
        var y = new Tensor(index.shape, DType, clear: false);
        var gather = new GatherKernel(xc, outer, r, q, inner, idx, y);
        DTypeDispatch.Any(DType, ref gather);
        return Graph.Record("GatherBackward0", y, [x], [index], (dim, x.shape), static (ctx, g, s) => [g.ScatterAddInto(s.dim, ctx.Saved(0), s.shape)]);
    }

    /// <summary>Zeros of <paramref name="target"/> with this tensor's values added at index along dim (the adjoint of Gather).</summary>
    public Tensor ScatterAddInto(int dim, Tensor index, int[] target)
    {
        var v = this;
        ArgumentNullException.ThrowIfNull(index);
        target = CheckShape(target);
        dim = ShapeUtil.WrapDim(dim, target.Length);
        if (DType == DType.Bool) throw new ArgumentException("scatter_add is not supported for torch.bool tensors");
        if (index.DType != DType.Int64) throw new ArgumentException($"scatter_add(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        if (!ShapeUtil.Same(index.shape, shape))
            throw new ArgumentException($"scatter_add(): Expected index of shape {ShapeUtil.Format(index.shape)} to have the shape of the values, {ShapeUtil.Format(shape)}");
        if (index.shape.Length != target.Length)
            throw new ArgumentException($"scatter_add(): Index tensor must have the same number of dimensions as the target (index shape {ShapeUtil.Format(index.shape)}, target shape {ShapeUtil.Format(target)})");
        for (int i = 0; i < target.Length; i++)
            if (i != dim && index.shape[i] != target[i])
                throw new ArgumentException($"scatter_add(): Size of index {ShapeUtil.Format(index.shape)} does not match the target {ShapeUtil.Format(target)} at dimension {i}");
        var (outer, r, inner) = Layout(target, dim);
        int q = index.shape.Length == 0 ? 1 : index.shape[dim];
        var vc = Dispatch.Raw(v, DType);
        var idx = Dispatch.Raw(index, DType.Int64).ToArray<long>();
        CheckIndexValues(idx, r, dim, "scatter_add");
        var y = new Tensor(target, DType);
        var scatter = new ScatterAddKernel(vc, outer, r, q, inner, idx, y);
        DTypeDispatch.Numeric(DType, ref scatter);
        return Graph.Record("ScatterAddBackward0", y, [v], [index], dim, static (ctx, g, dim) => [g.Gather(dim, ctx.Saved(0))]);
    }

    private void CheckIndex(Tensor index, int dim, string op)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        if (index.shape.Length != shape.Length)
            throw new ArgumentException($"{op}(): Index tensor must have the same number of dimensions as input tensor (index shape {ShapeUtil.Format(index.shape)}, input shape {ShapeUtil.Format(shape)})");
        for (int i = 0; i < shape.Length; i++)
            if (i != dim && index.shape[i] != shape[i])
                throw new ArgumentException($"{op}(): Size of index {ShapeUtil.Format(index.shape)} does not match input {ShapeUtil.Format(shape)} at dimension {i}");
    }

    /// <summary>Refuses an index value outside [0, size) of dimension <paramref name="dim"/>, naming it.</summary>
    private static void CheckIndexValues(long[] idx, int size, int dim, string op)
    {
        foreach (var k in idx)
            if ((ulong)k >= (ulong)size)
                throw new ArgumentOutOfRangeException("index", $"{op}(): index {k} is out of bounds for dimension {dim} with size {size}");
    }

    // ---- helpers (no graph) ----

    private static (int Outer, int R, int Inner) Layout(int[] shape, int dim)
    {
        if (shape.Length == 0) return (1, 1, 1);
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.Length; i++) inner *= shape[i];
        return (outer, shape[dim], inner);
    }

    private int[] AllDims()
    {
        var d = new int[shape.Length];
        for (int i = 0; i < d.Length; i++) d[i] = i;
        return d;
    }

    private int[] NormalizeDims(int[] dims)
    {
        var sorted = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int w = ShapeUtil.WrapDim(dims[i], shape.Length), j = i;   // insertion sort: a handful of dims
            for (; j > 0 && sorted[j - 1] > w; j--) sorted[j] = sorted[j - 1];
            if (j > 0 && sorted[j - 1] == w) throw new ArgumentException($"dim {dims[i]} appears multiple times in the list of dims");
            sorted[j] = w;
        }
        return shape.Length == 0 ? [] : sorted;   // dim 0 (or -1) of a 0-d tensor is the tensor itself
    }

    private static Tensor UnsqueezeDims(Tensor g, int[] sortedDims, bool keepDim)
    {
        if (keepDim) return g;
        foreach (var d in sortedDims) g = g.Unsqueeze(d);
        return g;
    }

    private void CheckMeanDType()
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {DType.TorchName()}");
    }

    private Tensor DivRaw(long n) => Dispatch.BinaryScalar<DivOp>(this, n, DType);

    /// <summary>Σ over sorted dims, no graph.</summary>
    private Tensor SumRaw(int[] dims, bool keepDim)
    {
        var dtype = DType.IsFloatingPoint() ? DType : DType.Int64;
        var x = Dispatch.Raw(this, dtype);
        var outShape = (int[])shape.Clone();
        foreach (var d in dims) outShape[d] = 1;
        if (shape.Length == 0) x = new Tensor(shape, dtype).WriteRaw(this);
        else if (dims.Length == shape.Length)
        {
            var sum = new SumAllKernel(x, new Tensor(outShape, dtype));
            DTypeDispatch.Numeric(dtype, ref sum);
            x = sum.R;
        }
        else
        {
            var cur = (int[])shape.Clone();
            for (int k = dims.Length - 1; k >= 0; k--)
            {
                int d = dims[k];
                var (outer, rr, inner) = Layout(cur, d);
                cur = (int[])cur.Clone();
                cur[d] = 1;
                var sum = new SumDimKernel(x, outer, rr, inner, new Tensor(cur, dtype));
                DTypeDispatch.Numeric(dtype, ref sum);
                x = sum.R;
            }
        }
        if (keepDim) return x.shape.Length == outShape.Length ? x : new Tensor(x.storage, outShape, ShapeUtil.ContiguousStrides(outShape));
        var finalShape = new List<int>();
        for (int i = 0; i < shape.Length; i++) if (Array.IndexOf(dims, i) < 0) finalShape.Add(shape[i]);
        var fs = finalShape.ToArray();
        return new Tensor(x.storage, fs, ShapeUtil.ContiguousStrides(fs), x.offset);
    }

    /// <summary>Max/min along dim with keepDim shape, no graph.</summary>
    private static (Tensor Values, Tensor Indices) ExtremeRaw(Tensor t, int dim, bool max)
    {
        var x = Dispatch.Raw(t, t.DType == DType.Bool ? DType.Int64 : t.DType);
        var (outer, r, inner) = Layout(t.shape, dim);      // r > 0: the ops refuse an empty reduction dim
        var outShape = (int[])t.shape.Clone();
        if (outShape.Length > 0) outShape[dim] = 1;
        var v = new Tensor(outShape, x.DType, clear: false);
        var idx = new Tensor(outShape, DType.Int64, clear: false);
        var extreme = new ArgExtremeKernel(x, outer, r, inner, v, idx, max);
        DTypeDispatch.Numeric(x.DType, ref extreme);
        return (t.DType == DType.Bool ? Dispatch.Raw(v, DType.Bool) : v, idx);
    }

    private Tensor SoftmaxRaw(int dim, bool log)
    {
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"softmax is not implemented for {DType.TorchName()} tensors");
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        var x = Dispatch.Raw(this, DType);
        var (outer, r, inner) = Layout(shape, d);
        var y = new Tensor(shape, DType, clear: false);
        var softmax = new SoftmaxKernel(x, outer, r, inner, y, log);
        DTypeDispatch.Floating(DType, ref softmax);
        return y;
    }

    // ---- kernels over the [outer, r, inner] layout (Kernels.Reduce), for the element type of the dtype dispatched on ----

    private readonly struct GatherKernel(Tensor x, int outer, int r, int q, int inner, long[] idx, Tensor y) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged => Reduce.Gather(x.Elems<T>(), x.offset, outer, r, q, inner, idx, y.Elems<T>());
    }

    private readonly struct ScatterAddKernel(Tensor v, int outer, int r, int q, int inner, long[] idx, Tensor y) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> => Reduce.ScatterAdd(v.Elems<T>(), v.offset, outer, r, q, inner, idx, y.Elems<T>());
    }

    private readonly struct SumAllKernel(Tensor x, Tensor r) : INumericKernel
    {
        public Tensor R => r;
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            int n = (int)x.Numel;
            r.Elems<T>()[0] = n == 0 ? T.Zero : Reduce.SumAll(x.Elems<T>(), x.offset, n);
        }
    }

    private readonly struct SumDimKernel(Tensor x, int outer, int r, int inner, Tensor y) : INumericKernel
    {
        public Tensor R => y;
        public void Invoke<T>() where T : unmanaged, INumber<T> => Reduce.SumDim(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>());
    }

    private readonly struct ArgExtremeKernel(Tensor x, int outer, int r, int inner, Tensor v, Tensor idx, bool max) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
            => Reduce.ArgExtreme(x.Elems<T>(), x.offset, outer, r, inner, v.Elems<T>(), idx.Elems<long>(), max);
    }

    private readonly struct SoftmaxKernel(Tensor x, int outer, int r, int inner, Tensor y, bool log) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => Reduce.Softmax(x.Elems<T>(), x.offset, outer, r, inner, y.Elems<T>(), log);
    }

    private readonly struct SoftmaxBackwardKernel(Tensor y, Tensor g, int outer, int r, int inner, Tensor dx, bool log) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
            => Reduce.SoftmaxBackward(y.Elems<T>(), y.offset, g.Elems<T>(), g.offset, outer, r, inner, dx.Elems<T>(), log);
    }

    /// <summary>Σ x.</summary>
    public static Tensor Sum(Tensor x) => x.Sum();
    /// <summary>Mean of x.</summary>
    public static Tensor Mean(Tensor x) => x.Mean();
}
