namespace Framework.Autograd;

// Vector and matrix norms (torch.linalg.vector_norm, torch.linalg.matrix_norm).
public static partial class Linalg
{
    /// <summary>(Σ|x|^ord)^(1/ord) over <paramref name="dim"/> (all dims when null or empty); ord 0 counts non-zeros, ±∞ is max / min |x| (torch.linalg.vector_norm).</summary>
    public static Tensor VectorNorm(Tensor x, double ord = 2, int[]? dim = null, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckFloat(x, "linalg.vector_norm");
        var dims = ReduceDims(x, dim);
        if (double.IsInfinity(ord) && x.Numel == 0)
            throw new ArgumentException($"linalg.vector_norm cannot compute the {ShapeUtil.FormatScalar(ord)} norm on an empty tensor because the operation does not have an identity");
        Tensor y;
        using (new NoGrad())
        {
            var a = x.Abs();
            y = ord switch
            {
                double.PositiveInfinity => Extreme(a, dims, keepDim, max: true),
                double.NegativeInfinity => Extreme(a, dims, keepDim, max: false),
                0 => a.Ne(0).To(x.DType).Sum(dims, keepDim),
                1 => a.Sum(dims, keepDim),
                2 => (x * x).Sum(dims, keepDim).Sqrt(),
                _ => a.Pow(ord).Sum(dims, keepDim).Pow(1 / ord),
            };
            y = y.Contiguous().Clone();
        }
        return Graph.Record("LinalgVectorNormBackward0", y, [x], [x, y], (ord, dims, keepDim), static (ctx, g, s) =>
            [NormBackward(g, ctx.Saved(0), ctx.Saved(1), s.ord, s.dims, s.keepDim)]);
    }

    /// <summary>The wrapped, distinct dims to reduce (all of them for null or empty).</summary>
    private static int[] ReduceDims(Tensor x, int[]? dim)
    {
        if (dim is null || dim.Length == 0) return Enumerable.Range(0, x.Dim).ToArray();
        var dims = Array.ConvertAll(dim, d => ShapeUtil.WrapDim(d, x.Dim));
        for (int i = 0; i < dims.Length; i++)
            if (Array.IndexOf(dims, dims[i]) != i) throw new ArgumentException($"dim {dims[i]} appears multiple times in the list of dims");
        return dims;
    }

    /// <summary>Max (or min) over several dims: the reduced dims moved last and flattened, then one reduction.</summary>
    private static Tensor Extreme(Tensor a, int[] dims, bool keepDim, bool max)
    {
        var kept = Enumerable.Range(0, a.Dim).Where(d => !dims.Contains(d)).ToArray();
        var outShape = keepDim ? a.shape.Select((s, d) => dims.Contains(d) ? 1 : s).ToArray() : kept.Select(d => a.shape[d]).ToArray();
        var flat = a.Permute([.. kept, .. dims]).Reshape([.. kept.Select(d => a.shape[d]), -1]);
        var r = max ? flat.Max(-1).Values : flat.Min(-1).Values;
        return r.Reshape(outShape);
    }

    /// <summary>PyTorch's norm_backward: the gradient of the ord-norm, 0 where the norm is 0 (ord 0: none).</summary>
    private static Tensor? NormBackward(Tensor g, Tensor x, Tensor norm, double p, int[] dims, bool keepDim)
    {
        if (!keepDim && x.Dim > 0)
        {
            var shape = x.shape.Select((s, d) => dims.Contains(d) ? 1 : s).ToArray();
            g = g.Reshape(shape);
            norm = norm.Reshape(shape);
        }
        var zero = Tensor.ZerosLike(x);
        if (p == 0) return null;
        if (p == 1) return x.Sign() * g;
        var normZero = norm == 0;
        if (p == 2) return g * Tensor.Where(normZero, zero, x / norm);
        if (double.IsInfinity(p))
        {
            var mask = (x.Abs() == norm).To(x.DType);
            return x.Sign() * (g / mask.Sum(dims, keepDim: true) * mask);
        }
        if (p < 1) return Tensor.Where(x == 0, zero, x.Sign() * x.Abs().Pow(p - 1)) * g * norm.Pow(1 - p);
        var scale = Tensor.Where(normZero, Tensor.ZerosLike(norm), g / norm.Pow(p - 1));
        return (p < 2 ? x.Sign() * x.Abs().Pow(p - 1) : x * x.Abs().Pow(p - 2)) * scale;
    }

    /// <summary>The Frobenius ("fro") or nuclear ("nuc") norm of the matrices in dims <paramref name="dim"/> (default (-2, -1)) (torch.linalg.matrix_norm).</summary>
    public static Tensor MatrixNorm(Tensor a, string ord = "fro", (int, int)? dim = null, bool keepDim = false)
    {
        ArgumentNullException.ThrowIfNull(ord);
        var (d0, d1) = MatrixDims(a, dim);
        if (ord == "fro") return VectorNorm(a, 2, [d0, d1], keepDim);
        if (ord != "nuc") throw new ArgumentException($"linalg.matrix_norm: Order {ord} not supported.");
        var s = Svdvals(MoveLast(a, d0, d1)).Sum(-1);
        return keepDim ? MoveBack(s, d0, d1) : s;
    }

    /// <summary>The matrix norm of order 1 / −1 (max / min column sum of |a|), ∞ / −∞ (row sums) or 2 / −2 (largest / smallest singular value) (torch.linalg.matrix_norm).</summary>
    public static Tensor MatrixNorm(Tensor a, double ord, (int, int)? dim = null, bool keepDim = false)
    {
        var (d0, d1) = MatrixDims(a, dim);
        double abs = Math.Abs(ord);
        if (abs is not (1 or 2 or double.PositiveInfinity))
            throw new ArgumentException($"linalg.matrix_norm: Order {ShapeUtil.FormatScalar(ord)} not supported.");
        if (abs == 2)
        {
            var s = Svdvals(MoveLast(a, d0, d1));
            var r = ord > 0 ? Amax(s, -1, false) : Amin(s, -1, false);
            return keepDim ? MoveBack(r, d0, d1) : r;
        }
        if (double.IsInfinity(abs)) (d0, d1) = (d1, d0);
        if (!keepDim && d0 < d1) d1--;
        var sums = VectorNorm(a, 1, [d0], keepDim);
        return ord > 0 ? Amax(sums, d1, keepDim) : Amin(sums, d1, keepDim);
    }

    /// <summary>Checks a matrix norm's input and returns its two wrapped, distinct dims.</summary>
    private static (int, int) MatrixDims(Tensor a, (int, int)? dim)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Dim < 2) throw new ArgumentException("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        CheckFloat(a, "linalg.matrix_norm");
        var (d0, d1) = dim ?? (-2, -1);
        d0 = ShapeUtil.WrapDim(d0, a.Dim); d1 = ShapeUtil.WrapDim(d1, a.Dim);
        if (d0 == d1) throw new ArgumentException($"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})");
        return (d0, d1);
    }

    /// <summary>a with dims d0, d1 moved to the end, in that order (a.movedim((d0, d1), (-2, -1))).</summary>
    private static Tensor MoveLast(Tensor a, int d0, int d1)
        => a.Permute([.. Enumerable.Range(0, a.Dim).Where(d => d != d0 && d != d1), d0, d1]);

    /// <summary>A reduction r of MoveLast(a, d0, d1) over its last two dims, given back a's rank: [..., 1, 1] moved to dims d0, d1 (as PyTorch's keepdim: a permute).</summary>
    private static Tensor MoveBack(Tensor r, int d0, int d1)
    {
        int n = r.Dim + 2;
        var moved = Enumerable.Range(0, n).Where(d => d != d0 && d != d1).Append(d0).Append(d1).ToArray();
        var inverse = new int[n];
        for (int i = 0; i < n; i++) inverse[moved[i]] = i;
        return r.Unsqueeze(-1).Unsqueeze(-1).Permute(inverse);
    }

    /// <summary>Max over one dim, the gradient shared equally among ties (torch.amax).</summary>
    internal static Tensor Amax(Tensor x, int dim, bool keepDim) => AmaxAmin(x, dim, keepDim, max: true);

    /// <summary>Min over one dim, the gradient shared equally among ties (torch.amin).</summary>
    internal static Tensor Amin(Tensor x, int dim, bool keepDim) => AmaxAmin(x, dim, keepDim, max: false);

    private static Tensor AmaxAmin(Tensor x, int dim, bool keepDim, bool max)
    {
        int given = dim;
        dim = ShapeUtil.WrapDim(dim, x.Dim);
        if (x.shape[dim] == 0)
            throw new ArgumentException($"{(max ? "amax" : "amin")}(): Expected reduction dim {given} to have non-zero size.");
        Tensor y;
        using (new NoGrad()) y = (max ? x.Max(dim, keepDim).Values : x.Min(dim, keepDim).Values).Contiguous().Clone();
        return Graph.Record(max ? "AmaxBackward0" : "AminBackward0", y, [x], [x, y], (dim, keepDim), static (ctx, g, s) =>
        {
            var x = ctx.Saved(0);
            var y = s.keepDim ? ctx.Saved(1) : ctx.Saved(1).Unsqueeze(s.dim);
            var gk = s.keepDim ? g : g.Unsqueeze(s.dim);
            var mask = (x == y).To(x.DType);
            return [gk / mask.Sum(s.dim, keepDim: true) * mask];
        });
    }
}
