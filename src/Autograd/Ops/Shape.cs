namespace Framework.Autograd;

// Views share storage and the version counter with their source; their backward rules route the gradient back.
public partial class Tensor
{
    /// <summary>A view of this tensor's storage with other geometry.</summary>
    internal Tensor MakeView(int[] newShape, int[] newStrides, int newOffset)
        => new(storage, newShape, newStrides, newOffset, version, viewBase ?? this);

    /// <summary>Swaps dimensions d0 and d1 (a view).</summary>
    public Tensor Transpose(int d0, int d1)
    {
        int n = shape.Length;
        d0 = ShapeUtil.WrapDim(d0, n); d1 = ShapeUtil.WrapDim(d1, n);
        if (n == 0) return Alias("TransposeBackward0");
        var s = (int[])shape.Clone(); var st = (int[])strides.Clone();
        (s[d0], s[d1]) = (s[d1], s[d0]);
        (st[d0], st[d1]) = (st[d1], st[d0]);
        var y = MakeView(s, st, offset);
        return Graph.Record("TransposeBackward0", y, [this], [], (d0, d1), static (ctx, g, s) => [g.Transpose(s.d0, s.d1)]);
    }

    /// <summary>Reorders the dimensions: result dim i is this tensor's dim dims[i] (a view).</summary>
    public Tensor Permute(params int[] dims)
    {
        var x = this;
        int n = shape.Length;
        if (dims.Length != n) throw new ArgumentException($"permute: number of dims don't match: got {dims.Length} dims for a tensor of shape {ShapeUtil.Format(shape)}");
        var d = new int[n]; var s = new int[n]; var st = new int[n];
        var seen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            d[i] = ShapeUtil.WrapDim(dims[i], n);
            if (seen[d[i]]) throw new ArgumentException($"permute: repeated dim {dims[i]}");
            seen[d[i]] = true;
            s[i] = shape[d[i]]; st[i] = strides[d[i]];
        }
        var inverse = new int[n];
        for (int i = 0; i < n; i++) inverse[d[i]] = i;
        var y = MakeView(s, st, offset);
        return Graph.Record("PermuteBackward0", y, [x], [], inverse, static (ctx, g, inverse) => [g.Permute(inverse)]);
    }

    /// <summary>Matrix transpose of a ≤2-d tensor (a view).</summary>
    public Tensor T()
    {
        if (shape.Length > 2) throw new ArgumentException($"T() expects a tensor with <= 2 dimensions, but got a tensor of shape {ShapeUtil.Format(shape)}");
        if (shape.Length < 2) return Alias("TBackward0");
        var y = MakeView([shape[1], shape[0]], [strides[1], strides[0]], offset);
        return Graph.Record("TBackward0", y, [this], static (ctx, g) => [g.T()]);
    }

    /// <summary>A view with the same geometry, recorded as <paramref name="name"/>: the gradient passes through.</summary>
    private Tensor Alias(string name)
    {
        var y = MakeView(shape, strides, offset);
        return Graph.Record(name, y, [this], static (ctx, g) => [g]);
    }

    /// <summary>The same elements with a new shape (one entry may be −1); copies only when no view is possible.</summary>
    public Tensor Reshape(params int[] newShape)
    {
        var target = InferShape(newShape);
        var st = ViewStrides(target);
        if (st is not null) return ViewAs(target, st, "ReshapeAliasBackward0");
        var x = this;
        var copy = Dispatch.Raw(this, DType);
        var y = new Tensor(copy.storage, target, ShapeUtil.ContiguousStrides(target), copy.offset);
        return Graph.Record("UnsafeViewBackward0", y, [x], [], x.shape, static (ctx, g, shape) => [g.Reshape(shape)]);
    }

    /// <summary>The same elements with a new shape, sharing storage; throws when the strides do not allow it.</summary>
    public Tensor View(params int[] newShape)
    {
        var target = InferShape(newShape);
        var st = ViewStrides(target) ?? throw new InvalidOperationException(
            $"view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .Reshape(...) instead. (input shape {ShapeUtil.Format(shape)}, requested {ShapeUtil.Format(target)})");
        return ViewAs(target, st, "ViewBackward0");
    }

    private Tensor ViewAs(int[] target, int[] st, string name)
    {
        var x = this;
        var y = MakeView(target, st, offset);
        return Graph.Record(name, y, [x], [], x.shape, static (ctx, g, shape) => [g.Reshape(shape)]);
    }

    /// <summary>The requested shape with its −1 entry inferred from this tensor's element count; refused naming both when they disagree.</summary>
    private int[] InferShape(int[] requested)
    {
        ArgumentNullException.ThrowIfNull(requested);
        int numel = (int)Numel, infer = -1;
        long known = 1;        // product of the given sizes, saturated just above MaxElements (numel never exceeds it)
        bool zero = false;
        for (int i = 0; i < requested.Length; i++)
        {
            if (requested[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException($"only one dimension can be inferred (shape {ShapeUtil.Format(requested)})");
                infer = i;
            }
            else if (requested[i] < 0) throw new ArgumentException($"invalid shape dimension {requested[i]} at dimension {i} of shape {ShapeUtil.Format(requested)}");
            else if (requested[i] == 0) zero = true;
            else known = Math.Min(known * requested[i], (long)ShapeUtil.MaxElements + 1);
        }
        if (zero) known = 0;
        var r = (int[])requested.Clone();
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"shape '{ShapeUtil.Format(requested)}' is invalid for input of size {numel} (input shape {ShapeUtil.Format(shape)})");
            r[infer] = (int)(numel / known);
        }
        else if (known != numel) throw new ArgumentException($"shape '{ShapeUtil.Format(requested)}' is invalid for input of size {numel} (input shape {ShapeUtil.Format(shape)})");
        return r;
    }

    /// <summary>Strides that let this tensor's elements be read in <paramref name="target"/>'s shape without a copy, or null.</summary>
    private int[]? ViewStrides(int[] target)
    {
        if (isContiguous) return ShapeUtil.ContiguousStrides(target);
        var result = new int[target.Length];
        // Walk the old dims in chunks of contiguous subspaces (PyTorch's computeStride).
        int viewD = target.Length - 1;
        long chunkBase = strides.Length > 0 ? strides[^1] : 1;
        long tensorNumel = 1, viewNumel = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1))
                {
                    result[viewD] = (int)(viewNumel * chunkBase);
                    viewNumel *= target[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) { chunkBase = strides[d - 1]; tensorNumel = 1; viewNumel = 1; }
            }
        }
        return viewD == -1 ? result : null;
    }

    /// <summary>Inserts a dimension of size 1 at <paramref name="dim"/> (a view).</summary>
    public Tensor Unsqueeze(int dim)
    {
        dim = ShapeUtil.WrapDim(dim, shape.Length + 1);
        var s = new List<int>(shape); var st = new List<int>(strides);
        s.Insert(dim, 1);
        st.Insert(dim, dim < strides.Length ? strides[dim] * shape[dim] : 1);
        var y = MakeView(s.ToArray(), st.ToArray(), offset);
        return Graph.Record("UnsqueezeBackward0", y, [this], [], dim, static (ctx, g, dim) => [g.Squeeze(dim)]);
    }

    /// <summary>Removes dimension <paramref name="dim"/> if its size is 1 (a view).</summary>
    public Tensor Squeeze(int dim) => Squeeze(dim, "SqueezeBackward1");

    /// <summary>Squeeze(dim) recorded as <paramref name="name"/> (SqueezeBackward3 where PyTorch squeezes in place).</summary>
    internal Tensor Squeeze(int dim, string name)
    {
        var x = this;
        if (shape.Length == 0) return Alias(name);
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        if (shape[dim] != 1) return Alias(name);
        var s = new List<int>(shape); var st = new List<int>(strides);
        s.RemoveAt(dim); st.RemoveAt(dim);
        var y = MakeView(s.ToArray(), st.ToArray(), offset);
        return Graph.Record(name, y, [x], [], dim, static (ctx, g, dim) => [g.Unsqueeze(dim)]);
    }

    /// <summary>A contiguous tensor (an op's fresh output) viewed with a new shape of as many elements, recorded as PyTorch's _unsafe_view (UnsafeViewBackward0).</summary>
    internal Tensor UnsafeView(int[] target)
    {
        if (!isContiguous || ShapeUtil.Numel(target) != Numel)
            throw new InvalidOperationException($"internal: _unsafe_view of shape {ShapeUtil.Format(shape)} (contiguous: {isContiguous}) as {ShapeUtil.Format(target)}");
        var x = this;
        var y = MakeView(target, ShapeUtil.ContiguousStrides(target), offset);
        return Graph.Record("UnsafeViewBackward0", y, [x], [], x.shape, static (ctx, g, shape) => [g.Reshape(shape)]);
    }

    /// <summary>Removes every dimension of size 1 (a view).</summary>
    public Tensor Squeeze()
    {
        var x = this;
        var s = new List<int>(); var st = new List<int>();
        for (int i = 0; i < shape.Length; i++) if (shape[i] != 1) { s.Add(shape[i]); st.Add(strides[i]); }
        var y = MakeView(s.ToArray(), st.ToArray(), offset);
        return Graph.Record("SqueezeBackward0", y, [x], [], x.shape, static (ctx, g, shape) => [g.Reshape(shape)]);
    }

    /// <summary>Merges dimensions startDim..endDim into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (shape.Length == 0) return Reshape(1);
        startDim = ShapeUtil.WrapDim(startDim, shape.Length);
        endDim = ShapeUtil.WrapDim(endDim, shape.Length);
        if (startDim > endDim) throw new ArgumentException("flatten() has invalid args: startDim cannot come after endDim");
        if (startDim == endDim) return this;
        var s = new List<int>();
        for (int i = 0; i < startDim; i++) s.Add(shape[i]);
        int m = 1;
        for (int i = startDim; i <= endDim; i++) m *= shape[i];
        s.Add(m);
        for (int i = endDim + 1; i < shape.Length; i++) s.Add(shape[i]);
        return Reshape(s.ToArray());
    }

    /// <summary>Splits dim into the given sizes (one may be −1), a view (torch.Tensor.unflatten).</summary>
    public Tensor Unflatten(int dim, params int[] sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        if (sizes.Length == 0) throw new ArgumentException("unflatten: sizes must be non-empty");
        int infer = Array.IndexOf(sizes, -1);
        if (infer >= 0 && Array.IndexOf(sizes, -1, infer + 1) >= 0) throw new ArgumentException("unflatten: only one dimension can be inferred");
        long known = 1;
        foreach (var s in sizes)
        {
            if (s < -1) throw new ArgumentException($"unflatten: invalid size {s} in sizes {ShapeUtil.Format(sizes)}");
            if (s != -1) known = Math.Min(known * s, (long)int.MaxValue + 1);   // saturated: no dim is larger
        }
        if (infer >= 0 ? known == 0 || shape[dim] % known != 0 : known != shape[dim])
            throw new ArgumentException($"unflatten: Provided sizes {ShapeUtil.Format(sizes)} don't multiply up to the size of dim {dim} ({shape[dim]}) in the input tensor");
        var full = new int[shape.Length - 1 + sizes.Length];
        shape.AsSpan(0, dim).CopyTo(full);
        for (int i = 0; i < sizes.Length; i++) full[dim + i] = sizes[i] == -1 ? (int)(shape[dim] / known) : sizes[i];
        shape.AsSpan(dim + 1).CopyTo(full.AsSpan(dim + sizes.Length));
        return View(full);
    }

    /// <summary>Broadcasts to a larger shape without copying (−1 keeps a size); the gradient is summed back.</summary>
    public Tensor Expand(params int[] sizes)
    {
        var x = this;
        ArgumentNullException.ThrowIfNull(sizes);
        if (sizes.Length < shape.Length)
            throw new ArgumentException($"expand: the number of sizes provided ({sizes.Length}) must be greater or equal to the number of dimensions in the tensor ({shape.Length}); shape {ShapeUtil.Format(shape)}");
        int off = sizes.Length - shape.Length;
        var s = new int[sizes.Length]; var st = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            int j = i - off;
            int cur = j >= 0 ? shape[j] : 1;
            int want = sizes[i] == -1 && j >= 0 ? cur : sizes[i];
            if (want < 0 && j < 0)
                throw new ArgumentException($"The expanded size of the tensor ({want}) isn't allowed in a leading, non-existing dimension {i}.  Target sizes: {ShapeUtil.Format(sizes)}.  Tensor sizes: {ShapeUtil.Format(shape)}");
            if (want < 0)
                throw new ArgumentException($"expand: the expanded size of the tensor ({want}) isn't allowed at dimension {i}: a size is non-negative, or -1 to keep the existing size ({cur}).  Target sizes: {ShapeUtil.Format(sizes)}.  Tensor sizes: {ShapeUtil.Format(shape)}");
            if (j >= 0 && cur != 1 && cur != want)
                throw new ArgumentException($"The expanded size of the tensor ({want}) must match the existing size ({cur}) at non-singleton dimension {i}.  Target sizes: {ShapeUtil.Format(sizes)}.  Tensor sizes: {ShapeUtil.Format(shape)}");
            s[i] = want;
            st[i] = j >= 0 && cur == want ? strides[j] : 0;
        }
        if (ShapeUtil.Same(s, shape)) return this;
        var y = MakeView(s, st, offset);
        return Graph.Record("ExpandBackward0", y, [x], [], x.shape, static (ctx, g, shape) => [g.SumTo(shape)]);
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="target"/> (leading dims and size-1 dims).</summary>
    internal Tensor SumTo(int[] target)
    {
        if (ShapeUtil.Same(shape, target)) return this;
        int lead = shape.Length - target.Length;
        var dims = new List<int>();
        for (int i = 0; i < shape.Length; i++)
            if (i < lead || (target[i - lead] == 1 && shape[i] != 1)) dims.Add(i);
        var s = dims.Count > 0 ? Sum(dims.ToArray(), keepDim: true) : this;
        return ShapeUtil.Same(s.shape, target) ? s : s.Reshape(target);
    }

    /// <summary>The slice at <paramref name="index"/> along <paramref name="dim"/>, removing that dim (a view).</summary>
    public Tensor Select(int dim, int index)
    {
        var x = this;
        if (shape.Length == 0) throw new ArgumentException("select() cannot be applied to a 0-dim tensor.");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        int size = shape[dim];
        if (index < -size || index >= size)
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of bounds for dimension {dim} with size {size}");
        if (index < 0) index += size;
        var s = new List<int>(shape); var st = new List<int>(strides);
        s.RemoveAt(dim); st.RemoveAt(dim);
        var y = MakeView(s.ToArray(), st.ToArray(), offset + index * strides[dim]);
        return Graph.Record("SelectBackward0", y, [x], [], (x.shape, Region: new SelectRegion(dim, index)),
            static (ctx, g, s) => [ScatterInto(g, s.shape, s.Region, "SelectBackwardBackward0")]);
    }

    /// <summary>Elements start, start+step, ... below end along <paramref name="dim"/> (a view); bounds clamp as in Python.</summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        var x = this;
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        if (step <= 0) throw new ArgumentException("slice step must be positive");
        int size = shape[dim];
        if (start < 0) start += size;
        if (end < 0) end += size;
        start = Math.Clamp(start, 0, size);
        end = Math.Clamp(end, start, size);
        int len = (end - start + step - 1) / step;
        var s = (int[])shape.Clone(); var st = (int[])strides.Clone();
        s[dim] = len; st[dim] = strides[dim] * step;
        var y = MakeView(s, st, offset + start * strides[dim]);
        return Graph.Record("SliceBackward0", y, [x], [], (x.shape, Region: new SliceRegion(dim, start, end, step)),
            static (ctx, g, s) => [ScatterInto(g, s.shape, s.Region, "SliceBackwardBackward0")]);
    }

    /// <summary>Zeros of <paramref name="shape"/> with <paramref name="region"/> of it set to g; its own gradient is region(g').</summary>
    internal static Tensor ScatterInto<TRegion>(Tensor g, int[] shape, TRegion region, string name) where TRegion : IViewRegion
    {
        var r = new Tensor(shape, g.DType);
        using (new NoGrad()) region.Of(r).WriteRaw(g);
        return Graph.Record(name, r, [g], [], region, static (ctx, g2, region) => [region.Of(g2)]);
    }

    /// <summary>A contiguous tensor with the same values: this when already contiguous, else a copy (CloneBackward0).</summary>
    public Tensor Contiguous() => isContiguous ? this : Clone();

    /// <summary>A copy with its own storage; the gradient passes through.</summary>
    public Tensor Clone()
    {
        var y = Dispatch.Raw(this, DType);
        if (ReferenceEquals(y, this)) y = new Tensor(shape, DType, clear: false).WriteRaw(this);
        return Graph.Record("CloneBackward0", y, [this], static (ctx, g) => [g]);
    }

    /// <summary>Concatenates tensors along <paramref name="dim"/>.</summary>
    public static Tensor Cat(Tensor[] tensors, int dim = 0)
    {
        CheckTensorList(tensors, "cat");
        var first = tensors[0];
        dim = ShapeUtil.WrapDim(dim, first.shape.Length);
        var dtype = first.DType;
        long total = 0;
        for (int k = 0; k < tensors.Length; k++)
        {
            var t = tensors[k];
            if (t.shape.Length != first.shape.Length)
                throw new ArgumentException($"Tensors must have same number of dimensions: got {first.shape.Length} and {t.shape.Length} (shapes {ShapeUtil.Format(first.shape)} and {ShapeUtil.Format(t.shape)} of tensors 0 and {k})");
            for (int i = 0; i < t.shape.Length; i++)
                if (i != dim && t.shape[i] != first.shape[i])
                    throw new ArgumentException($"Sizes of tensors must match except in dimension {dim}. Expected size {first.shape[i]} but got size {t.shape[i]} for tensor number {k} in the list (shapes {ShapeUtil.Format(first.shape)} and {ShapeUtil.Format(t.shape)}).");
            dtype = Dispatch.Promote(dtype, t.DType);
            total += t.shape[dim];
        }
        var s = (int[])first.shape.Clone();
        if (total > int.MaxValue)
            throw new ArgumentException($"cat: the sizes along dimension {dim} add up to {total}, more than a dimension holds ({int.MaxValue}); the first tensor has shape {ShapeUtil.Format(first.shape)}");
        s[dim] = (int)total;
        var y = new Tensor(s, dtype, clear: false);
        var starts = new int[tensors.Length + 1];   // input i spans starts[i]..starts[i + 1] of the result along dim
        using (new NoGrad())
        {
            int at = 0;
            for (int i = 0; i < tensors.Length; i++)
            {
                starts[i] = at;
                y.Slice(dim, at, at + tensors[i].shape[dim]).WriteRaw(tensors[i]);
                at += tensors[i].shape[dim];
            }
        }
        starts[^1] = (int)total;
        return Graph.Record("CatBackward0", y, tensors, [], (dim, starts), static (ctx, g, s) =>
        {
            var grads = new Tensor?[ctx.InputCount];
            for (int i = 0; i < grads.Length; i++)
                if (ctx.NeedsInputGrad(i)) grads[i] = g.Slice(s.dim, s.starts[i], s.starts[i + 1]);
            return grads;
        });
    }

    /// <summary>Stacks equal-shaped tensors along a new dimension <paramref name="dim"/>.</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        CheckTensorList(tensors, "stack");
        for (int k = 0; k < tensors.Length; k++)
            if (!ShapeUtil.Same(tensors[k].shape, tensors[0].shape))
                throw new ArgumentException($"stack expects each tensor to be equal size, but got {ShapeUtil.Format(tensors[0].shape)} at entry 0 and {ShapeUtil.Format(tensors[k].shape)} at entry {k}");
        dim = ShapeUtil.WrapDim(dim, tensors[0].shape.Length + 1);
        Tensor y;
        using (new NoGrad())
        {
            var parts = new Tensor[tensors.Length];
            for (int i = 0; i < tensors.Length; i++) parts[i] = tensors[i].Unsqueeze(dim);
            y = Cat(parts, dim);
        }
        return Graph.Record("StackBackward0", y, tensors, [], dim, static (ctx, g, dim) =>
        {
            var grads = new Tensor?[ctx.InputCount];
            for (int i = 0; i < grads.Length; i++)
                if (ctx.NeedsInputGrad(i)) grads[i] = g.Select(dim, i);
            return grads;
        });
    }

    /// <summary>Refuses a null or empty list of tensors, or a null entry in it (named by its index).</summary>
    private static void CheckTensorList(Tensor[] tensors, string op)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException($"{op}() expects a non-empty list of Tensors");
        for (int i = 0; i < tensors.Length; i++)
            if (tensors[i] is null)
                throw new ArgumentNullException(nameof(tensors), $"{op}(): expected Tensor as element {i} in argument 0, but got null");
    }

    /// <summary>Element from a where cond is true, else from b (broadcasting).</summary>
    public static Tensor Where(Tensor cond, Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(cond); ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(b);
        if (cond.DType != DType.Bool)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {cond.DType.ScalarTypeName()} (condition shape {ShapeUtil.Format(cond.shape)})");
        var dtype = Dispatch.ResultType(a, b);
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(cond.shape, a.shape), b.shape);
        var c = Dispatch.Raw(cond.Expand(shape), DType.Bool).ToArray<bool>();
        var y = new Tensor(shape, dtype, clear: false);
        using (new NoGrad())
        {
            var av = Dispatch.Raw(a.Expand(shape), dtype);
            var bv = Dispatch.Raw(b.Expand(shape), dtype);
            var select = new WhereKernel(c, av, bv, y);
            DTypeDispatch.Any(dtype, ref select);
        }
        return Graph.Record("WhereBackward0", y, [a, b], [cond], static (ctx, g) =>
        {
            var zero = ZerosLike(g);
            return [ctx.NeedsInputGrad(0) ? Where(ctx.Saved(0), g, zero) : null, ctx.NeedsInputGrad(1) ? Where(ctx.Saved(0), zero, g) : null];
        });
    }

    /// <summary>y[i] = c[i] ? a[i] : b[i] over contiguous a, b and y.</summary>
    private readonly struct WhereKernel(bool[] c, Tensor a, Tensor b, Tensor y) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
        {
            ReadOnlySpan<T> x = a.Span<T>(), z = b.Span<T>();
            var d = y.Span<T>();
            for (int i = 0; i < d.Length; i++) d[i] = c[i] ? x[i] : z[i];
        }
    }
}
