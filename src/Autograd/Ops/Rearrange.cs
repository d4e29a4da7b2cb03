namespace Framework.Autograd;

// Ops that move elements into a new tensor (copies, not views): repeat, tile, flip, roll, tril, triu.
// Each keeps the dtype (Int64 and Bool too); the backward rule is the same kind of op on the gradient.
public partial class Tensor
{
    /// <summary>Repeats the tensor repeats[i] times along dim i (torch.repeat); extra leading repeats add leading dims.</summary>
    public Tensor Repeat(params int[] repeats)
    {
        ArgumentNullException.ThrowIfNull(repeats);
        if (repeats.Length < shape.Length)
            throw new ArgumentException(
                $"Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor (repeats {ShapeUtil.Format(repeats)} for a tensor of shape {ShapeUtil.Format(shape)})");
        int n = repeats.Length, lead = n - shape.Length;
        var target = new int[n];
        for (int i = 0; i < n; i++) target[i] = (i < lead ? 1 : shape[i - lead]) * repeats[i];
        ShapeUtil.Numel(target);   // "Trying to create tensor with negative dimension ..." for a negative repeat
        // Read x through [r0, s0, r1, s1, ...] with stride 0 on the repeat dims, into a contiguous result.
        var inter = new int[2 * n]; var interStrides = new int[2 * n];
        for (int i = 0; i < n; i++)
        {
            inter[2 * i] = repeats[i];
            inter[2 * i + 1] = i < lead ? 1 : shape[i - lead];
            interStrides[2 * i + 1] = i < lead ? 0 : strides[i - lead];
        }
        var y = new Tensor(target, DType, clear: false);
        var dst = new Tensor(y.storage, inter, ShapeUtil.ContiguousStrides(inter));
        Dispatch.CopyStrided(this, interStrides, dst);
        return Graph.Record("RepeatBackward0", y, [this], [], (this.shape, inter), static (ctx, g, s) =>
        {
            var dims = new int[s.inter.Length / 2];
            for (int i = 0; i < dims.Length; i++) dims[i] = 2 * i;
            return [g.Reshape(s.inter).Sum(dims).Reshape(s.shape)];
        });
    }

    /// <summary>torch.tile: Repeat with <paramref name="reps"/> padded with leading 1s when it has fewer entries than this tensor has dims.</summary>
    public Tensor Tile(params int[] reps)
    {
        ArgumentNullException.ThrowIfNull(reps);
        if (reps.Length >= shape.Length) return Repeat(reps);
        var padded = new int[shape.Length];
        Array.Fill(padded, 1);
        reps.CopyTo(padded, shape.Length - reps.Length);
        return Repeat(padded);
    }

    /// <summary>Reverses the order of the elements along each of <paramref name="dims"/> (a copy).</summary>
    public Tensor Flip(params int[] dims)
    {
        ArgumentNullException.ThrowIfNull(dims);
        var d = UniqueDims(dims, "flip");
        // Read x through negative strides on the flipped dims, starting at their last element.
        var st = (int[])strides.Clone();
        int start = offset;
        foreach (var i in d)
            if (i < shape.Length && shape[i] > 0) { start += (shape[i] - 1) * strides[i]; st[i] = -strides[i]; }
        var y = new Tensor(shape, DType, clear: false);
        if (y.Numel > 0) Dispatch.CopyStrided(new Tensor(storage, shape, st, start), st, y);
        return Graph.Record("FlipBackward0", y, [this], [], d, static (ctx, g, d) => [g.Flip(d)]);
    }

    /// <summary>Rolls the elements by <paramref name="shifts"/> along <paramref name="dim"/> (wrapping around); with no dim, over the flattened tensor, shape kept.</summary>
    public Tensor Roll(int shifts, int? dim = null)
    {
        if (dim is int d) return Roll([shifts], [d]);
        var x = this;
        Tensor y;
        using (new NoGrad()) y = RollRaw(Dispatch.Raw(this, DType).Reshape(-1), [shifts], [0]).Reshape(shape);
        if (ReferenceEquals(y.storage, storage)) y = new Tensor(shape, DType, clear: false).WriteRaw(this);
        int back = -(int)(shifts % Math.Max(Numel, 1));
        return Graph.Record("RollBackward0", y, [x], [], back, static (ctx, g, back) => [g.Roll(back)]);
    }

    /// <summary>Rolls by shifts[i] along dims[i] for each i (torch.roll with tuples).</summary>
    public Tensor Roll(int[] shifts, int[] dims)
    {
        ArgumentNullException.ThrowIfNull(shifts); ArgumentNullException.ThrowIfNull(dims);
        if (shifts.Length == 0) throw new ArgumentException("`shifts` required");
        if (shifts.Length != dims.Length)
            throw new ArgumentException($"shifts and dimensions must align. shifts: {shifts.Length}, dims:{dims.Length}");
        var d = new int[dims.Length];
        for (int i = 0; i < d.Length; i++) d[i] = ShapeUtil.WrapDim(dims[i], shape.Length);
        if (shape.Length == 0) return Roll(shifts[0]);
        var x = this;
        Tensor y;
        using (new NoGrad()) y = RollRaw(this, shifts, d);
        if (ReferenceEquals(y.storage, storage)) y = new Tensor(shape, DType, clear: false).WriteRaw(this);
        var back = new int[shifts.Length];
        for (int i = 0; i < back.Length; i++) back[i] = -(shifts[i] % Math.Max(shape[d[i]], 1));
        return Graph.Record("RollBackward0", y, [x], [], (back, d), static (ctx, g, s) => [g.Roll(s.back, s.d)]);
    }

    /// <summary>x rolled along each dim in turn, without a graph (x itself when nothing moves).</summary>
    private static Tensor RollRaw(Tensor x, int[] shifts, int[] dims)
    {
        for (int i = 0; i < dims.Length; i++)
        {
            int n = x.shape[dims[i]];
            if (n == 0) continue;
            int s = (int)(((long)shifts[i] % n + n) % n);
            if (s == 0) continue;
            var r = new Tensor(x.shape, x.DType, clear: false);
            r.Slice(dims[i], s, n).WriteRaw(x.Slice(dims[i], 0, n - s));
            r.Slice(dims[i], 0, s).WriteRaw(x.Slice(dims[i], n - s, n));
            x = r;
        }
        return x;
    }

    /// <summary>The lower triangle of the last two dims: elements with col − row ≤ <paramref name="diagonal"/> kept, the others 0.</summary>
    public Tensor Tril(int diagonal = 0) => Triangle(diagonal, lower: true);

    /// <summary>The upper triangle of the last two dims: elements with col − row ≥ <paramref name="diagonal"/> kept, the others 0.</summary>
    public Tensor Triu(int diagonal = 0) => Triangle(diagonal, lower: false);

    private Tensor Triangle(int diagonal, bool lower)
    {
        string op = lower ? "tril" : "triu";
        if (shape.Length < 2)
            throw new ArgumentException($"{op}: input tensor must have at least 2 dimensions, but got a tensor of shape {ShapeUtil.Format(shape)}");
        var y = new Tensor(shape, DType, clear: false).WriteRaw(this);
        var mask = new TriangleKernel(y, shape[^2], shape[^1], diagonal, lower);
        DTypeDispatch.Any(DType, ref mask);
        return Graph.Record(lower ? "TrilBackward0" : "TriuBackward0", y, [this], [], (diagonal, lower),
            static (ctx, g, s) => [s.lower ? g.Tril(s.diagonal) : g.Triu(s.diagonal)]);
    }

    /// <summary>Zeroes, in each rows×cols matrix of contiguous y, the elements outside the triangle: j − i &gt; diagonal (lower) or &lt; diagonal (upper).</summary>
    private readonly struct TriangleKernel(Tensor y, int rows, int cols, int diagonal, bool lower) : IElementKernel
    {
        public void Invoke<T>() where T : unmanaged
        {
            var d = y.Span<T>();
            int matrix = rows * cols;
            if (matrix == 0) return;
            for (int m = 0; m < d.Length; m += matrix)
                for (int i = 0; i < rows; i++)
                {
                    var row = d.Slice(m + i * cols, cols);
                    long edge = (long)i + diagonal;                 // the diagonal's column in row i
                    if (lower) { if (edge + 1 < cols) row[(int)Math.Max(edge + 1, 0)..].Clear(); }
                    else row[..(int)Math.Clamp(edge, 0, cols)].Clear();
                }
        }
    }

    /// <summary>dims wrapped into [0, rank), refused when one appears twice (PyTorch's message).</summary>
    private int[] UniqueDims(int[] dims, string op)
    {
        var d = new int[dims.Length];
        var seen = new bool[Math.Max(shape.Length, 1)];
        for (int i = 0; i < dims.Length; i++)
        {
            d[i] = ShapeUtil.WrapDim(dims[i], shape.Length);
            if (seen[d[i]]) throw new ArgumentException($"{op}: dim {d[i]} appears multiple times in the list of dims {ShapeUtil.Format(dims)}");
            seen[d[i]] = true;
        }
        return d;
    }
}
