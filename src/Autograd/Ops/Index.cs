using System.Runtime.CompilerServices;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// x[...] as in PyTorch: integers, slices, None and Ellipsis make a view (Select, Slice, Unsqueeze); index tensors and
// masks then gather a copy (IndexBackward0). Setting writes in place: copy_ into the view, or index_put_ (IndexPutBackward0,
// CopySlices on the base when the written tensor is a view).
public partial class Tensor
{
    /// <summary>Get: PyTorch's x[...] (a view for integers, slices, None and Ellipsis; a gathered copy with index tensors or masks). Set: writes in place, differentiably.</summary>
    [IndexerName("At")]
    public Tensor this[params TensorIndex[] index]
    {
        get
        {
            var (view, spec) = ApplyBasicIndexing(index);
            if (spec is not null) return view.IndexWith(spec);
            return ReferenceEquals(view, this) ? Alias("AliasBackward0") : view;
        }
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            // The view is recorded (as PyTorch's slicing is), so that index_put_'s backward sees its input needs a gradient.
            var (view, spec) = ApplyBasicIndexing(index);
            // As PyTorch's setitem, leading size-1 dims of the value are dropped (x[0] = t of shape [1, 3]).
            int target = spec is null ? view.shape.Length : spec.ResultShape(view.shape).Length;
            while (value.shape.Length > target && value.shape[0] == 1) value = value.Squeeze(0);
            if (spec is null) view.CopyFrom(value);
            else view.IndexPutInPlace(spec, value, accumulate: false);
        }
    }

    /// <summary>A 0-d Float64 tensor holding s, so that <c>x[mask] = 0.5</c> and <c>Where(c, x, 0.0)</c> read as in PyTorch.</summary>
    public static implicit operator Tensor(double s) => From(s);

    /// <summary>A 0-d Int64 tensor holding n, so that <c>x[mask] = 0</c> reads as in PyTorch.</summary>
    public static implicit operator Tensor(long n) => From(n);

    /// <summary>A copy of this tensor with values written at the positions the index tensors pick (one entry per leading dim, null for a whole dim), like torch.index_put.</summary>
    public Tensor IndexPut(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        return IndexPutWith(IndexSpec.Create(this, indices), CheckPutValues(values), accumulate);
    }

    /// <summary>Writes values at the positions the index tensors pick, in place (index_put_); returns this.</summary>
    public Tensor IndexPut_(Tensor?[] indices, Tensor values, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(values);
        IndexPutInPlace(IndexSpec.Create(this, indices), values, accumulate);
        return this;
    }

    /// <summary>Applies the integers, slices, None and Ellipsis of an index as views; returns the view and the index tensors left for it (null when none).</summary>
    private (Tensor View, IndexSpec? Spec) ApplyBasicIndexing(TensorIndex[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        int specified = 0, ellipses = 0;
        foreach (var entry in index)
        {
            if (entry.Kind == TensorIndex.Kinds.Unset)
                throw new ArgumentException("an index entry is default(TensorIndex): use an int, a Range, a Tensor, TensorIndex.None or TensorIndex.Ellipsis");
            if (entry.Kind == TensorIndex.Kinds.Ellipsis && ++ellipses > 1)
                throw new ArgumentException("an index can only have a single ellipsis ('...')");
            specified += entry.ConsumedDims;
        }
        if (specified > shape.Length)
            throw new ArgumentException($"too many indices for tensor of dimension {shape.Length} (an index of {specified} dims for a tensor of shape {ShapeUtil.Format(shape)})");

        var t = this;
        int dim = 0, source = 0;            // dim: the view's dim the next entry applies to; source: the same dim of this tensor (for messages)
        var advanced = new List<(int Dim, int Source, Tensor Index)>();
        foreach (var entry in index)
        {
            switch (entry.Kind)
            {
                case TensorIndex.Kinds.Integer or TensorIndex.Kinds.FromEnd:
                    t = t.Select(dim, CheckPosition(entry, t.shape[dim], source));
                    source++;
                    break;
                case TensorIndex.Kinds.Slice:
                {
                    int size = t.shape[dim];
                    t = t.Slice(dim, Resolve(entry.Start, size), Resolve(entry.Stop, size), entry.Step);
                    dim++; source++;
                    break;
                }
                case TensorIndex.Kinds.None:
                    t = t.Unsqueeze(dim);
                    dim++;
                    break;
                case TensorIndex.Kinds.Ellipsis:
                    dim += shape.Length - specified;
                    source += shape.Length - specified;
                    break;
                default:
                {
                    var ix = entry.Indices!;
                    if (ix.DType == DType.Bool)
                    {
                        if (ix.shape.Length == 0)
                        {
                            // x[True] adds an axis of size 1, x[False] one of size 0, as in PyTorch.
                            t = t.Unsqueeze(dim);
                            advanced.Add((dim, -1, ix.Item<bool>() ? From(new long[] { 0 }) : new Tensor([0], DType.Int64)));
                            dim++;
                            break;
                        }
                        for (int k = 0; k < ix.shape.Length; k++)
                            if (ix.shape[k] != t.shape[dim + k])
                                throw new ArgumentException($"The shape of the mask {ShapeUtil.Format(ix.shape)} at index {k} does not match the shape of the indexed tensor {ShapeUtil.Format(t.shape)} at index {dim + k} (the mask covers dims {source}..{source + ix.shape.Length - 1} of a tensor of shape {ShapeUtil.Format(shape)})");
                        var columns = ix.Nonzero();
                        for (int k = 0; k < ix.shape.Length; k++) advanced.Add((dim + k, source + k, columns.Select(1, k)));
                        dim += ix.shape.Length; source += ix.shape.Length;
                    }
                    else if (ix.DType == DType.Int64 && ix.shape.Length == 0)
                    {
                        t = t.Select(dim, CheckPosition(ix.Item<long>(), t.shape[dim], source));      // a 0-d index selects, as in PyTorch
                        source++;
                    }
                    else if (ix.DType == DType.Int64)
                    {
                        advanced.Add((dim, source, ix));
                        dim++; source++;
                    }
                    else throw new ArgumentException($"tensors used as indices must be long, byte or bool tensors (got a {ix.DType.TorchName()} tensor of shape {ShapeUtil.Format(ix.shape)} for dim {source})");
                    break;
                }
            }
        }
        if (advanced.Count == 0) return (t, null);
        var perDim = new Tensor?[t.shape.Length];
        var sources = new int[t.shape.Length];
        foreach (var (d, s, ix) in advanced) { perDim[d] = ix; sources[d] = s; }
        return (t, IndexSpec.Create(t.shape, perDim, sources));
    }

    /// <summary>An integer index entry resolved to [0, size), or the out-of-bounds error naming the dim of this tensor.</summary>
    private static int CheckPosition(TensorIndex entry, int size, int source)
    {
        long i = entry.Kind == TensorIndex.Kinds.FromEnd ? (long)size - entry.Value : entry.Value;
        if (entry.Kind == TensorIndex.Kinds.Integer && i < 0) i += size;
        if (i < 0 || i >= size)
            throw new ArgumentOutOfRangeException("index", $"index {entry} is out of bounds for dimension {source} with size {size}");
        return (int)i;
    }

    private static int CheckPosition(long value, int size, int source)
    {
        if (value < -size || value >= size)
            throw new ArgumentOutOfRangeException("index", $"index {value} is out of bounds for dimension {source} with size {size}");
        return (int)(value < 0 ? value + size : value);
    }

    /// <summary>A slice bound clamped to [0, size], as Python does.</summary>
    private static int Resolve(Index bound, int size)
    {
        long i = bound.IsFromEnd ? (long)size - bound.Value : bound.Value;
        return (int)Math.Clamp(i, 0, size);
    }

    /// <summary>The elements the index tensors pick, gathered into a new tensor (aten::index); backward adds the gradient back at those positions.</summary>
    internal Tensor IndexWith(IndexSpec spec)
    {
        var x = this;
        var y = new Tensor(spec.ResultShape(shape), DType, clear: false);
        using (var tables = spec.Offsets(shape, strides))
        {
            var gather = new IndexGatherKernel(x, tables, y);
            DTypeDispatch.Any(DType, ref gather);
        }
        return Graph.Record("IndexBackward0", y, [x], [], (spec, x.shape),
            static (ctx, g, s) => [new Tensor(s.shape, g.DType).IndexPutWith(s.spec, g, accumulate: true)]);
    }

    /// <summary>A copy of this tensor with values (broadcast to the indexing result) written, or added, at the picked positions.</summary>
    internal Tensor IndexPutWith(IndexSpec spec, Tensor values, bool accumulate)
    {
        var self = this;
        var resultShape = spec.ResultShape(shape);
        if (!ShapeUtil.IsExpandableTo(values.shape, resultShape))
            throw new ArgumentException($"shape mismatch: value tensor of shape {ShapeUtil.Format(values.shape)} cannot be broadcast to indexing result of shape {ShapeUtil.Format(resultShape)}");
        var y = new Tensor(shape, DType, clear: false).WriteRaw(self);
        var v = new Tensor(resultShape, DType, clear: false).WriteRaw(values);
        if (accumulate && DType == DType.Bool) throw new ArgumentException("index_put_ with accumulate=True is not supported for torch.bool tensors");
        using (var tables = spec.Offsets(y.shape, y.strides))
        {
            if (accumulate)
            {
                var add = new IndexAccumulateKernel(y, tables, v);
                DTypeDispatch.Numeric(DType, ref add);
            }
            else
            {
                var put = new IndexPutKernel(y, tables, v);
                DTypeDispatch.Any(DType, ref put);
            }
        }
        return Graph.Record("IndexPutBackward0", y, [self, values], [], (spec, accumulate), static (ctx, g, s) =>
            [ctx.NeedsInputGrad(0) ? (s.accumulate ? g : g.IndexPutWith(s.spec, new Tensor([], g.DType), accumulate: false)) : null,
             ctx.NeedsInputGrad(1) ? g.IndexWith(s.spec) : null]);
    }

    /// <summary>index_put_ on this tensor: values of another dtype are refused unless 0-d (a number), as in PyTorch.</summary>
    private void IndexPutInPlace(IndexSpec spec, Tensor values, bool accumulate)
    {
        values = CheckPutValues(values);
        ApplyInPlace(t => t.IndexPutWith(spec, values, accumulate));
    }

    private Tensor CheckPutValues(Tensor values)
    {
        if (values.DType == DType) return values;
        if (values.shape.Length == 0) return values.To(DType);
        throw new ArgumentException($"Index put requires the source and destination dtypes match, got {DType.ScalarTypeName()} for the destination and {values.DType.ScalarTypeName()} for the source (destination shape {ShapeUtil.Format(shape)}, source shape {ShapeUtil.Format(values.shape)}).");
    }

    private readonly struct IndexGatherKernel(Tensor x, OffsetTables tables, Tensor y) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged => Indexing.Gather(x.Elems<T>(), x.offset, tables, y.Span<T>());
    }

    private readonly struct IndexPutKernel(Tensor y, OffsetTables tables, Tensor v) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged => Indexing.Put(y.Elems<T>(), y.offset, tables, v.Span<T>());
    }

    private readonly struct IndexAccumulateKernel(Tensor y, OffsetTables tables, Tensor v) : INumericKernel
    {
        public void Invoke<T>() where T : unmanaged, System.Numerics.INumber<T> => Indexing.Accumulate(y.Elems<T>(), y.offset, tables, v.Span<T>());
    }
}

/// <summary>
/// The index tensors of an advanced index, checked once: the indexed dims (ascending), each index broadcast to one shape and
/// wrapped into [0, size). Immutable, so a backward rule can keep it.
/// </summary>
internal sealed class IndexSpec
{
    private readonly int rank;
    private readonly int[] dims;
    private readonly int[][] values;
    private readonly int[] broadcast;
    private readonly bool adjacent;

    private IndexSpec(int rank, int[] dims, int[][] values, int[] broadcast)
    {
        this.rank = rank; this.dims = dims; this.values = values; this.broadcast = broadcast;
        adjacent = dims[^1] - dims[0] + 1 == dims.Length;
    }

    /// <summary>The spec of torch.index_put's indices on t: one entry per leading dim (null: the whole dim); Bool masks become their nonzero positions.</summary>
    public static IndexSpec Create(Tensor t, Tensor?[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var perDim = new List<Tensor?>();
        var sources = new List<int>();
        for (int i = 0; i < indices.Length; i++)
        {
            var ix = indices[i];
            if (ix is not null && ix.DType == DType.Bool)
            {
                if (ix.shape.Length == 0) throw new ArgumentException($"index_put: a 0-dim Bool index (entry {i}) is not supported; index with x[mask] instead");
                int at = perDim.Count;
                for (int k = 0; k < ix.shape.Length; k++)
                    if (at + k >= t.shape.Length || ix.shape[k] != t.shape[at + k])
                        throw new ArgumentException($"The shape of the mask {ShapeUtil.Format(ix.shape)} at index {k} does not match the shape of the indexed tensor {ShapeUtil.Format(t.shape)} at index {at + k}");
                var columns = ix.Nonzero();
                for (int k = 0; k < ix.shape.Length; k++) { perDim.Add(columns.Select(1, k)); sources.Add(at + k); }
            }
            else { perDim.Add(ix); sources.Add(perDim.Count - 1); }
        }
        if (perDim.Count > t.shape.Length)
            throw new ArgumentException($"too many indices for tensor of dimension {t.shape.Length} (got {perDim.Count} for a tensor of shape {ShapeUtil.Format(t.shape)})");
        var all = new Tensor?[t.shape.Length];
        var src = new int[t.shape.Length];
        for (int d = 0; d < perDim.Count; d++) { all[d] = perDim[d]; src[d] = sources[d]; }
        if (Array.TrueForAll(all, ix => ix is null))
            throw new ArgumentException("index_put/index: at least one index tensor is needed (all entries are null)");
        return Create(t.shape, all, src);
    }

    /// <summary>The spec of Int64 index tensors at the non-null entries of <paramref name="perDim"/> (one per dim of <paramref name="shape"/>); sources name the dims in messages.</summary>
    public static IndexSpec Create(int[] shape, Tensor?[] perDim, int[] sources)
    {
        var dims = new List<int>();
        int[]? b = null;
        string shapes = "";
        for (int d = 0; d < perDim.Length; d++)
        {
            var ix = perDim[d];
            if (ix is null) continue;
            if (ix.DType != DType.Int64)
                throw new ArgumentException($"tensors used as indices must be long, byte or bool tensors (got a {ix.DType.TorchName()} tensor of shape {ShapeUtil.Format(ix.shape)} for dim {sources[d]})");
            dims.Add(d);
            shapes += (shapes.Length > 0 ? ", " : "") + ShapeUtil.Format(ix.shape);
            if (b is null) b = ix.shape;
            else if (Broadcastable(b, ix.shape)) b = ShapeUtil.Broadcast(b, ix.shape);
            else
            {
                foreach (var rest in perDim[(d + 1)..]) if (rest is not null) shapes += ", " + ShapeUtil.Format(rest.shape);
                throw new ArgumentException($"shape mismatch: indexing tensors could not be broadcast together with shapes {shapes}");
            }
        }
        var values = new int[dims.Count][];
        using (new NoGrad())
            for (int k = 0; k < dims.Count; k++)
            {
                int d = dims[k], size = shape[d];
                var raw = Dispatch.Raw(perDim[d]!.Expand(b!), DType.Int64).Span<long>();      // no copy for a contiguous index of the broadcast shape
                var v = new int[raw.Length];
                for (int i = 0; i < raw.Length; i++)
                {
                    long p = raw[i];
                    if (p < -size || p >= size)
                        throw new ArgumentOutOfRangeException("index", $"index {p} is out of bounds for dimension {sources[d]} with size {size}");
                    v[i] = (int)(p < 0 ? p + size : p);
                }
                values[k] = v;
            }
        return new IndexSpec(shape.Length, [.. dims], values, b!);
    }

    private static bool Broadcastable(int[] a, int[] b)
    {
        for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
            if (a[^i] != b[^i] && a[^i] != 1 && b[^i] != 1) return false;
        return true;
    }

    /// <summary>The spec of one 1-d index along <paramref name="dim"/> of a tensor of <paramref name="shape"/> (index_select, index_add).</summary>
    public static IndexSpec ForDim(int[] shape, int dim, Tensor index)
    {
        var perDim = new Tensor?[shape.Length];
        perDim[dim] = index;
        var sources = new int[shape.Length];
        sources[dim] = dim;
        return Create(shape, perDim, sources);
    }

    /// <summary>The indexing result's shape: [dims before, index shape, dims after] when the indexed dims are adjacent, else [index shape, other dims].</summary>
    public int[] ResultShape(int[] shape)
    {
        var r = new List<int>();
        var (pre, post) = Split();
        foreach (var d in pre) r.Add(shape[d]);
        r.AddRange(broadcast);
        foreach (var d in post) r.Add(shape[d]);
        return [.. r];
    }

    /// <summary>The offset tables of Kernels.Indexing for a tensor of this shape and these strides (rented: dispose after the kernel).</summary>
    public OffsetTables Offsets(int[] shape, int[] strides)
    {
        var (pre, post) = Split();
        int n = values[0].Length;
        var adv = OffsetTables.Rent(n);
        var span = adv.AsSpan(0, n);
        span.Clear();
        for (int k = 0; k < dims.Length; k++)
        {
            var v = values[k];
            int s = strides[dims[k]];
            for (int i = 0; i < n; i++) span[i] += v[i] * s;
        }
        var (preTable, preCount) = Table(pre, shape, strides, allowRun: false);
        var (postTable, postCount) = Table(post, shape, strides, allowRun: true);
        return new OffsetTables(preTable!, preCount, adv, n, postTable, postCount);
    }

    /// <summary>The offsets of the given dims' elements, row-major; null with the element count when allowRun and they form one contiguous run.</summary>
    private static (int[]? Table, int Count) Table(List<int> which, int[] shape, int[] strides, bool allowRun)
    {
        int count = 1;
        bool run = true;
        for (int i = which.Count - 1; i >= 0; i--)
        {
            int size = shape[which[i]];
            if (size != 1 && strides[which[i]] != count) run = false;
            count *= size;
        }
        if (allowRun && run) return (null, count);
        var table = OffsetTables.Rent(count);
        if (count == 0) return (table, 0);
        Span<int> pos = stackalloc int[which.Count];
        int at = 0;
        for (int k = 0; k < count; k++)
        {
            table[k] = at;
            for (int d = which.Count - 1; d >= 0; d--)
            {
                int size = shape[which[d]], stride = strides[which[d]];
                if (++pos[d] < size) { at += stride; break; }
                at -= (size - 1) * stride;
                pos[d] = 0;
            }
        }
        return (table, count);
    }

    /// <summary>The dims of the result before the index block and after it.</summary>
    private (List<int> Pre, List<int> Post) Split()
    {
        var pre = new List<int>(); var post = new List<int>();
        for (int d = 0; d < rank; d++)
        {
            if (Array.IndexOf(dims, d) >= 0) continue;
            if (adjacent && d < dims[0]) pre.Add(d); else post.Add(d);
        }
        return (pre, post);
    }
}
