using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// The named indexing ops: index_select / index_add along one dim (through the IndexSpec of x[...]), scatter / scatter_add
// with an index of the input's rank, masked_fill / masked_select with a Bool mask, and nonzero.
public partial class Tensor
{
    /// <summary>The positions of the non-zero elements, one row of coordinates each: an Int64 tensor of shape [n, Dim].</summary>
    public Tensor Nonzero()
    {
        var x = Dispatch.Raw(this, DType);
        var find = new NonzeroKernel(x);
        DTypeDispatch.Any(DType, ref find);
        var found = find.Found;
        int rank = shape.Length;
        var r = new long[found.Count * rank];
        for (int k = 0; k < found.Count; k++)
        {
            int flat = found[k];
            for (int d = rank - 1; d >= 0; d--) { r[k * rank + d] = flat % shape[d]; flat /= shape[d]; }
        }
        return FromArray(r, [found.Count, rank]);
    }

    /// <summary>The slices at index (a 1-d Int64 tensor) along dim, in that order (torch.index_select).</summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(index);
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        var ix = CheckVectorIndex(index, "index_select");
        if (shape.Length == 0)
        {
            CheckZeroDimIndex(ix, "index_select");
            return Graph.Record("IndexSelectBackward0", new Tensor([], DType).WriteRaw(x), [x], static (ctx, g) => [g]);
        }
        var spec = IndexSpec.ForDim(shape, dim, ix);
        Tensor y;
        using (new NoGrad()) y = x.IndexWith(spec);
        return Graph.Record("IndexSelectBackward0", y, [x], [], (spec, x.shape),
            static (ctx, g, s) => [new Tensor(s.shape, g.DType).IndexPutWith(s.spec, g, accumulate: true)]);
    }

    /// <summary>A copy of this tensor with alpha·source's slices added at index along dim; repeated indices add up (torch.index_add).</summary>
    public Tensor IndexAdd(int dim, Tensor index, Tensor source, double alpha = 1)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(index); ArgumentNullException.ThrowIfNull(source);
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        var ix = CheckVectorIndex(index, "index_add_");
        if (source.DType != DType)
            throw new ArgumentException($"index_add_(): self ({DType.ScalarTypeName()}) and source ({source.DType.ScalarTypeName()}) must have the same scalar type");
        if (shape.Length == 0)
        {
            CheckZeroDimIndex(ix, "index_add_");
            return x + (alpha == 1 ? source.Sum() : source.Sum() * alpha);
        }
        var spec = IndexSpec.ForDim(shape, dim, ix);
        var expected = spec.ResultShape(shape);
        if (!ShapeUtil.Same(source.shape, expected))
            throw new ArgumentException($"index_add_(): source of shape {ShapeUtil.Format(source.shape)} must have this tensor's shape {ShapeUtil.Format(shape)} with dimension {dim} of size {ix.Numel} (the index's length), that is {ShapeUtil.Format(expected)}");
        Tensor y;
        using (new NoGrad()) y = x.IndexPutWith(spec, alpha == 1 ? source : source * alpha, accumulate: true);
        return Graph.Record("IndexAddBackward0", y, [x, source], [], (spec, alpha), static (ctx, g, s) =>
            [g, ctx.NeedsInputGrad(1) ? (s.alpha == 1 ? g.IndexWith(s.spec) : g.IndexWith(s.spec) * s.alpha) : null]);
    }

    /// <summary>this ← this.IndexAdd(dim, index, source, alpha), in place; returns this.</summary>
    public Tensor IndexAdd_(int dim, Tensor index, Tensor source, double alpha = 1) => ApplyInPlace(t => t.IndexAdd(dim, index, source, alpha));

    /// <summary>A copy of this tensor with the slices at index (a 1-d Int64 tensor) along dim set to value (torch.index_fill).</summary>
    public Tensor IndexFill(int dim, Tensor index, double value)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(index);
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        var ix = CheckVectorIndex(index, "index_fill_");
        Dispatch.CheckScalar(value, DType);
        if (shape.Length == 0)
        {
            CheckZeroDimIndex(ix, "index_fill_");
            var filled = ix.Numel == 0 ? new Tensor([], DType).WriteRaw(x) : Full([], value, DType);
            return Graph.Record("IndexFillBackward0", filled, [x], [], ix.Numel == 0, static (ctx, g, keep) => [keep ? g : ZerosLike(g)]);
        }
        var spec = IndexSpec.ForDim(shape, dim, ix);
        Tensor y;
        using (new NoGrad()) y = x.IndexPutWith(spec, Full([], value, DType), accumulate: false);
        return Graph.Record("IndexFillBackward0", y, [x], [], spec,
            static (ctx, g, spec) => [g.IndexPutWith(spec, new Tensor([], g.DType), accumulate: false)]);
    }

    /// <summary>A copy of this tensor with the slice at position index along dim set to value.</summary>
    public Tensor IndexFill(int dim, long index, double value) => IndexFill(dim, From(new[] { index }), value);

    /// <summary>this ← this.IndexFill(dim, index, value), in place; returns this.</summary>
    public Tensor IndexFill_(int dim, Tensor index, double value) => ApplyInPlace(t => t.IndexFill(dim, index, value));

    /// <summary>A copy of this tensor with self[i][index[i][j]][k] = src[i][j][k] (for dim 1), torch.scatter; src may be larger than index.</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (src.DType != DType)
            throw new ArgumentException($"scatter(): Expected self.dtype to be equal to src.dtype (self {DType.TorchName()}, src {src.DType.TorchName()})");
        return ScatterOp(dim, index, src, 0, accumulate: false, "scatter");
    }

    /// <summary>A copy of this tensor with value written at index along dim (torch.scatter with a number).</summary>
    public Tensor Scatter(int dim, Tensor index, double value) => ScatterOp(dim, index, null, value, accumulate: false, "scatter");

    /// <summary>A copy of this tensor with src's values added at index along dim; repeated indices add up (torch.scatter_add).</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        ArgumentNullException.ThrowIfNull(src);
        if (src.DType != DType)
            throw new ArgumentException($"scatter_add(): Expected self.dtype to be equal to src.dtype (self {DType.TorchName()}, src {src.DType.TorchName()})");
        return ScatterOp(dim, index, src, 0, accumulate: true, "scatter_add");
    }

    /// <summary>this ← this.Scatter(dim, index, src), in place; returns this.</summary>
    public Tensor Scatter_(int dim, Tensor index, Tensor src) => ApplyInPlace(t => t.Scatter(dim, index, src));
    /// <summary>this ← this.Scatter(dim, index, value), in place; returns this.</summary>
    public Tensor Scatter_(int dim, Tensor index, double value) => ApplyInPlace(t => t.Scatter(dim, index, value));
    /// <summary>this ← this.ScatterAdd(dim, index, src), in place; returns this.</summary>
    public Tensor ScatterAdd_(int dim, Tensor index, Tensor src) => ApplyInPlace(t => t.ScatterAdd(dim, index, src));

    private Tensor ScatterOp(int dim, Tensor index, Tensor? src, double value, bool accumulate, string op)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(index);
        int rank = shape.Length;
        if (rank == 0) throw new ArgumentException($"{op}() on a 0-dim tensor is not supported; reshape it to 1 element first");
        dim = ShapeUtil.WrapDim(dim, rank);
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index, got {index.DType.TorchName()}");
        if (index.shape.Length != rank)
            throw new ArgumentException($"Index tensor must have the same number of dimensions as self tensor (index shape {ShapeUtil.Format(index.shape)}, self shape {ShapeUtil.Format(shape)})");
        if (src is not null && src.shape.Length != rank)
            throw new ArgumentException($"Index tensor must have the same number of dimensions as src tensor (index shape {ShapeUtil.Format(index.shape)}, src shape {ShapeUtil.Format(src.shape)})");
        if (!ScatterShapesFit(index, src, dim))
            throw new ArgumentException($"Expected index {ShapeUtil.Format(index.shape)} to be smaller than self {ShapeUtil.Format(shape)} apart from dimension {dim}{(src is null ? "" : $" and to be smaller size than src {ShapeUtil.Format(src.shape)}")}");
        if (DType == DType.Bool && accumulate) throw new ArgumentException("scatter_add is not supported for torch.bool tensors");
        var idx = Dispatch.Raw(index, DType.Int64).ToArray<long>();
        int size = shape[dim];
        foreach (var k in idx)
            if (k < -size || k >= size)
                throw new ArgumentOutOfRangeException("index", $"index {k} is out of bounds for dimension {dim} with size {size}");

        // The part of src the index covers: a view, so its gradient lands in the right place.
        var used = src is null ? null : Cover(src, index.shape, -1);
        var y = new Tensor(shape, DType, clear: false).WriteRaw(x);
        if (idx.Length > 0)
        {
            var ystrides = (int[])y.strides.Clone();
            ystrides[dim] = 0;
            var at = Indexing.Offsets(index.shape, ystrides);
            for (int k = 0; k < at.Length; k++) at[k] += (int)(idx[k] < 0 ? idx[k] + size : idx[k]) * y.strides[dim];
            var values = used is null ? Full([], value, DType) : Dispatch.Raw(used.Detach(), DType);
            var from = used is null ? new int[at.Length] : Indexing.Offsets(index.shape, values.strides);
            for (int k = 0; k < from.Length; k++) from[k] += values.offset;
            if (accumulate)
            {
                var add = new ScatterAccumulateKernel(y, at, values, from);
                DTypeDispatch.Numeric(DType, ref add);
            }
            else
            {
                var put = new ScatterCopyKernel(y, at, values, from);
                DTypeDispatch.Any(DType, ref put);
            }
        }
        var state = (dim, index: Dispatch.Raw(index, DType.Int64).Clone(), accumulate);
        if (used is null)
            return Graph.Record("ScatterBackward1", y, [x], [], state, static (ctx, g, s) => [g.Scatter(s.dim, s.index, 0.0)]);
        return Graph.Record(accumulate ? "ScatterAddBackward0" : "ScatterBackward0", y, [x, used], [], state, static (ctx, g, s) =>
            [ctx.NeedsInputGrad(0) ? (s.accumulate ? g : g.Scatter(s.dim, s.index, 0.0)) : null,
             ctx.NeedsInputGrad(1) ? Cover(g, s.index.shape, s.dim).Gather(s.dim, s.index) : null]);
    }

    /// <summary>index.size(d) ≤ src.size(d) for every d, and ≤ self.size(d) for d ≠ dim (torch's scatter shape check).</summary>
    private bool ScatterShapesFit(Tensor index, Tensor? src, int dim)
    {
        for (int d = 0; d < index.shape.Length && d < shape.Length; d++)
        {
            if (d != dim && index.shape[d] > shape[d]) return false;
            if (src is not null && src.shape.Length == index.shape.Length && index.shape[d] > src.shape[d]) return false;
        }
        return true;
    }

    /// <summary>The leading corner of t with the given sizes on every dim but <paramref name="keep"/> (a view: Slice along each larger dim).</summary>
    private static Tensor Cover(Tensor t, int[] target, int keep)
    {
        for (int d = 0; d < target.Length; d++)
            if (d != keep && t.shape[d] != target[d]) t = t.Slice(d, 0, target[d]);
        return t;
    }

    /// <summary>value where mask is true, else this tensor's element; mask (Bool) broadcasts (torch.masked_fill).</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        var x = this;
        CheckMask(mask, "masked_fill_");
        Dispatch.CheckScalar(value, DType);
        Tensor y;
        using (new NoGrad()) y = Where(mask, Full([], value, DType), x);
        return Graph.Record("MaskedFillBackward0", y, [x], [mask], static (ctx, g) => [Where(ctx.Saved(0), ZerosLike(g), g)]);
    }

    /// <summary>value (a 0-d tensor, differentiable) where mask is true, else this tensor's element (torch.masked_fill).</summary>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(value);
        CheckMask(mask, "masked_fill_");
        if (value.shape.Length != 0)
            throw new ArgumentException($"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.shape.Length} dimension(s).");
        Tensor y;
        using (new NoGrad()) y = Where(mask, value.To(DType), x);
        return Graph.Record("MaskedFillBackward1", y, [x, value], [mask], static (ctx, g) =>
        {
            var zero = ZerosLike(g);
            return [ctx.NeedsInputGrad(0) ? Where(ctx.Saved(0), zero, g) : null, ctx.NeedsInputGrad(1) ? Where(ctx.Saved(0), g, zero).Sum() : null];
        });
    }

    /// <summary>this ← this.MaskedFill(mask, value), in place; returns this.</summary>
    public Tensor MaskedFill_(Tensor mask, double value) => ApplyInPlace(t => t.MaskedFill(mask, value));
    /// <summary>this ← this.MaskedFill(mask, value), in place; returns this.</summary>
    public Tensor MaskedFill_(Tensor mask, Tensor value) => ApplyInPlace(t => t.MaskedFill(mask, value));

    /// <summary>The elements where mask (Bool, broadcast with this tensor) is true, as a 1-d tensor (torch.masked_select).</summary>
    public Tensor MaskedSelect(Tensor mask)
    {
        var x = this;
        CheckMask(mask, "masked_select");
        var common = ShapeUtil.Broadcast(shape, mask.shape);
        Tensor y;
        using (new NoGrad()) y = x.Expand(common)[mask.Expand(common)];
        return Graph.Record("MaskedSelectBackward0", y, [x], [mask], common, static (ctx, g, common) =>
            [new Tensor(common, g.DType).IndexPutWith(IndexSpec.Create(new Tensor(common, g.DType), [ctx.Saved(0).Expand(common)]), g, accumulate: true)]);
    }

    private static void CheckMask(Tensor mask, string op)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"{op} only supports boolean masks, but got mask with dtype {mask.DType.TorchName()} (mask shape {ShapeUtil.Format(mask.shape)})");
    }

    /// <summary>index as a 1-d Int64 tensor (a 0-d one becomes one element), or the error PyTorch gives.</summary>
    private static Tensor CheckVectorIndex(Tensor index, string op)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int32 or int64 for index (got {index.DType.TorchName()})");
        if (index.shape.Length > 1) throw new ArgumentException($"{op}(): Index is supposed to be a vector (got an index of shape {ShapeUtil.Format(index.shape)})");
        return index.shape.Length == 0 ? index.Reshape(1) : index;
    }

    private static void CheckZeroDimIndex(Tensor index, string op)
    {
        foreach (var k in Dispatch.Raw(index, DType.Int64).ToArray<long>())
            if (k != 0 && k != -1) throw new ArgumentOutOfRangeException("index", $"{op}(): index {k} is out of bounds for a 0-dim tensor");
    }

    private struct NonzeroKernel(Tensor x) : IElementKernel
    {
        public List<int> Found = [];
        public void Invoke<T>() where T : unmanaged => Found = Indexing.NonzeroPositions(x.Span<T>());
    }

    private readonly struct ScatterCopyKernel(Tensor y, int[] at, Tensor values, int[] from) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged => Indexing.ScatterCopy(y.Elems<T>(), at, values.Elems<T>(), from);
    }

    private readonly struct ScatterAccumulateKernel(Tensor y, int[] at, Tensor values, int[] from) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> => Indexing.Scatter(y.Elems<T>(), at, values.Elems<T>(), from, accumulate: true);
    }
}
