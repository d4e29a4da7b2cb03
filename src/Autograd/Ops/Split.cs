namespace Framework.Autograd;

// Splitting into views: every piece shares this tensor's storage. PyTorch records one node with many outputs
// (SplitBackward0, UnbindBackward0); our nodes have one output, so each piece gets its own node of that name,
// whose rule puts the piece's gradient back into its place in zeros of the whole shape.
public partial class Tensor
{
    /// <summary>Splits into at most <paramref name="chunks"/> views along <paramref name="dim"/>, each ⌈n / chunks⌉ long (the last may be shorter).</summary>
    public Tensor[] Chunk(int chunks, int dim = 0)
    {
        if (shape.Length == 0) throw new ArgumentException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new ArgumentException($"chunk expects `chunks` to be greater than 0, got: {chunks}");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        int n = shape[dim];
        int size = (int)(((long)n + chunks - 1) / chunks);
        if (size == 0 && n == 0)     // chunks empty pieces, as torch.chunk gives for an empty dimension
            return Pieces(dim, new int[chunks], "SplitWithSizesBackward0");
        return Split(size, dim);
    }

    /// <summary>Splits into views of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be shorter).</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        if (shape.Length == 0) throw new ArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new ArgumentException($"split expects split_size be non-negative, but got split_size={splitSize}");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        int n = shape[dim];
        if (splitSize == 0 && n != 0)
            throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {n}");
        int count = splitSize == 0 ? 1 : Math.Max((int)(((long)n + splitSize - 1) / splitSize), 1);
        var sizes = new int[count];
        for (int i = 0; i < count; i++) sizes[i] = Math.Min(splitSize, n - i * splitSize);
        return Pieces(dim, sizes, "SplitBackward0");
    }

    /// <summary>Splits into views of the given sizes along <paramref name="dim"/>; the sizes must add up to that dimension's size.</summary>
    public Tensor[] Split(int[] splitSizes, int dim = 0)
    {
        ArgumentNullException.ThrowIfNull(splitSizes);
        if (shape.Length == 0) throw new ArgumentException("split expects at least a 1-dimensional tensor");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        var sizes = (int[])splitSizes.Clone();
        long sum = 0;
        foreach (var s in sizes)
        {
            if (s < 0)
                throw new ArgumentException($"split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes={ShapeUtil.Format(sizes)}");
            sum += s;
        }
        if (sum != shape[dim])
            throw new ArgumentException(
                $"split_with_sizes expects split_sizes to sum exactly to {shape[dim]} (input tensor's size at dimension {dim}), but got split_sizes={ShapeUtil.Format(sizes)}");
        return Pieces(dim, sizes, "SplitWithSizesBackward0");
    }

    /// <summary>The slices along <paramref name="dim"/>, that dimension removed: x.Unbind(0)[i] is x.Select(0, i) (views).</summary>
    public Tensor[] Unbind(int dim = 0)
    {
        if (shape.Length == 0) throw new ArgumentOutOfRangeException(nameof(dim), "Dimension specified as 0 but tensor has no dimensions");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        var x = this;
        var pieces = new Tensor[shape[dim]];
        var s = new List<int>(shape); var st = new List<int>(strides);
        s.RemoveAt(dim); st.RemoveAt(dim);
        int[] ps = s.ToArray(), pst = st.ToArray();
        for (int i = 0; i < pieces.Length; i++)
        {
            var y = MakeView(ps, pst, offset + i * strides[dim]);
            pieces[i] = Graph.Record("UnbindBackward0", y, [x], [], (x.shape, Region: new SelectRegion(dim, i)),
                static (ctx, g, s) => [ScatterInto(g, s.shape, s.Region, "SelectBackwardBackward0")]);
        }
        return pieces;
    }

    /// <summary>The view of <paramref name="length"/> elements from <paramref name="start"/> (negative counts from the end) along <paramref name="dim"/>.</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        if (shape.Length == 0) throw new ArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        dim = ShapeUtil.WrapDim(dim, shape.Length);
        int size = shape[dim];
        if (start < -size || start > size)
            throw new ArgumentOutOfRangeException(nameof(start),
                $"start out of range (expected to be in range of [{-size}, {size}], but got {start}) for dimension {dim} of a tensor of shape {ShapeUtil.Format(shape)}");
        if (start < 0) start += size;
        if (length < 0) throw new ArgumentException($"narrow(): length must be non-negative, but got {length}");
        if ((long)start + length > size)
            throw new ArgumentException($"start ({start}) + length ({length}) exceeds dimension size ({size}).");
        return Slice(dim, start, start + length);
    }

    /// <summary>Consecutive views of the given lengths along <paramref name="dim"/>, each recorded as <paramref name="name"/>.</summary>
    private Tensor[] Pieces(int dim, int[] sizes, string name)
    {
        var x = this;
        var pieces = new Tensor[sizes.Length];
        int at = 0;
        for (int i = 0; i < sizes.Length; i++)
        {
            var s = (int[])shape.Clone();
            s[dim] = sizes[i];
            var y = MakeView(s, (int[])strides.Clone(), offset + at * strides[dim]);
            pieces[i] = Graph.Record(name, y, [x], [], (x.shape, Region: new SliceRegion(dim, at, at + sizes[i], 1)),
                static (ctx, g, s) => [ScatterInto(g, s.shape, s.Region, "SliceBackwardBackward0")]);
            at += sizes[i];
        }
        return pieces;
    }
}
