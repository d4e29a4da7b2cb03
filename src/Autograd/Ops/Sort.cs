using System.Numerics;

namespace Framework.Autograd;

// Sorting along one dimension (sort, argsort, topk), with their backward rules.
public partial class Tensor
{
    /// <summary>The elements sorted along dim (stable; NaN counts as the largest) and their (Int64) positions in the input.</summary>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false)
    {
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        return Selected("SortBackward0", d, descending, shape.Length == 0 ? 1 : shape[d]);
    }

    /// <summary>The (Int64) positions that sort the elements along dim (stable; NaN counts as the largest); not differentiable.</summary>
    public Tensor Argsort(int dim = -1, bool descending = false)
    {
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        return SortRaw(d, descending, shape.Length == 0 ? 1 : shape[d]).Indices;
    }

    /// <summary>
    /// The k largest (or smallest) elements along dim and their (Int64) positions, largest (smallest) first; NaN counts as the
    /// largest, ties go to the earlier position. Unsorted output (sorted = false) is returned in that same order.
    /// </summary>
    public (Tensor Values, Tensor Indices) Topk(int k, int dim = -1, bool largest = true, bool sorted = true)
    {
        int d = ShapeUtil.WrapDim(dim, shape.Length);
        if (DType == DType.Bool) throw new ArgumentException("\"topk\" not implemented for 'Bool' (input dtype torch.bool)");
        int size = shape.Length == 0 ? 1 : shape[d];
        if (k < 0 || k > size)
            throw new ArgumentOutOfRangeException(nameof(k), $"selected index k out of range: k = {k} for dimension {d} of size {size} (input shape {ShapeUtil.Format(shape)})");
        return Selected("TopkBackward0", d, largest, k);
    }

    /// <summary>The first k of the sorted elements along d, recorded as <paramref name="name"/>: the gradient goes back to the positions they came from.</summary>
    private (Tensor Values, Tensor Indices) Selected(string name, int d, bool descending, int k)
    {
        var x = this;
        var (v, idx) = SortRaw(d, descending, k);
        var values = Graph.Record(name, v, [x], [idx], (d, x.shape), static (ctx, g, s) =>
            [s.shape.Length == 0 ? g : g.ScatterAddInto(s.d, ctx.Saved(0), s.shape)]);
        return (values, idx);
    }

    /// <summary>The first k of the elements sorted along d and their positions, no graph; a 0-d tensor is its own sort.</summary>
    private (Tensor Values, Tensor Indices) SortRaw(int d, bool descending, int k)
    {
        var dtype = DType == DType.Bool ? DType.Int64 : DType;
        var x = Dispatch.Raw(this, dtype);
        var (outer, r, inner) = Layout(shape, d);
        var outShape = (int[])shape.Clone();
        if (outShape.Length > 0) outShape[d] = k;
        else k = 1;                                          // the output is 0-d, one element, whatever k (as PyTorch)
        var v = new Tensor(outShape, dtype, clear: false);
        var idx = new Tensor(outShape, DType.Int64, clear: false);
        var sort = new SortKernel(x, outer, r, inner, k, v, idx, descending);
        DTypeDispatch.Numeric(dtype, ref sort);
        return (DType == DType.Bool ? Dispatch.Raw(v, DType.Bool) : v, idx);
    }

    private readonly struct SortKernel(Tensor x, int outer, int r, int inner, int k, Tensor v, Tensor idx, bool descending) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
            => Kernels.Sort.SortDim(x.Elems<T>(), x.offset, outer, r, inner, k, v.Elems<T>(), idx.Elems<long>(), descending);
    }

    /// <summary>x sorted along dim, with the positions.</summary>
    public static (Tensor Values, Tensor Indices) Sort(Tensor x, int dim = -1, bool descending = false) => x.Sort(dim, descending);
    /// <summary>The positions that sort x along dim.</summary>
    public static Tensor Argsort(Tensor x, int dim = -1, bool descending = false) => x.Argsort(dim, descending);
    /// <summary>The k largest (or smallest) elements of x along dim, with the positions.</summary>
    public static (Tensor Values, Tensor Indices) Topk(Tensor x, int k, int dim = -1, bool largest = true, bool sorted = true) => x.Topk(k, dim, largest, sorted);
}
