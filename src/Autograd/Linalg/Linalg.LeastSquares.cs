namespace Framework.Autograd;

/// <summary>torch.linalg.lstsq's named tuple; with the default CPU driver ('gelsy') Residuals and SingularValues are empty.</summary>
public readonly record struct LstsqResult(Tensor Solution, Tensor Residuals, Tensor Rank, Tensor SingularValues);

// Least squares and the pseudoinverse, forward through MathNet's SVD.
public static partial class Linalg
{
    /// <summary>A⁺ of each matrix (torch.linalg.pinv): V·diag(1/s)·Uᵀ over the singular values s &gt; max(atol, rtol·s_max); rtol defaults to eps·max(m, n) when neither is given; hermitian: from the eigendecomposition of A's lower triangle.</summary>
    public static Tensor Pinv(Tensor a, double? atol = null, double? rtol = null, bool hermitian = false)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Dim < 2 || !a.DType.IsFloatingPoint())
            throw new ArgumentException($"linalg.pinv({a.DType.ScalarTypeName()}{{{ShapeUtil.Format(a.shape)}}}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types");
        int m = a.shape[^2], n = a.shape[^1];
        double rt = rtol ?? (atol is > 0 ? 0 : Eps(a.DType) * Math.Max(m, n));
        if (hermitian && m != n)
            throw new ArgumentException($"linalg.eigh: A must be batches of square matrices, but they are {m} by {n} matrices");
        var y = hermitian ? PinvHermitian(a, atol ?? 0, rt) : PinvRaw(a, atol ?? 0, rt, out _);
        return Graph.Record("LinalgPinvBackward0", y, [a], [a, y], static (ctx, g) => [PinvBackward(g, ctx.Saved(1), ctx.Saved(0))]);
    }

    /// <summary>The pseudoinverse without a graph, and each matrix's count of kept singular values.</summary>
    private static Tensor PinvRaw(Tensor a, double atol, double rtol, out long[] rank)
    {
        int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        var data = Doubles(a);
        var result = new double[count * n * m];
        rank = new long[count];
        for (int b = 0; b < count; b++)
        {
            if (k == 0) continue;
            var svd = MatrixAt(data, b, m, n).Svd(computeVectors: true);
            double cut = Math.Max(atol, rtol * svd.S[0]);
            var p = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(n, m);
            for (int i = 0; i < k; i++)
            {
                if (!(svd.S[i] > cut)) continue;
                rank[b]++;
                p += svd.VT.Row(i).ToColumnMatrix() * svd.U.Column(i).ToRowMatrix() / svd.S[i];
            }
            Put(result, b, p, n, m);
        }
        return Make(result, [.. batch, n, m], a.DType);
    }

    /// <summary>The pseudoinverse of symmetric matrices without a graph: Q·diag(1/λ)·Qᵀ over |λ| &gt; max(atol, rtol·max|λ|).</summary>
    private static Tensor PinvHermitian(Tensor a, double atol, double rtol)
    {
        Tensor l, q;
        using (new NoGrad()) (l, q) = Eigh(a);
        var ld = Doubles(l);
        int n = a.shape[^1];
        for (int b = 0; b < ld.Length / Math.Max(n, 1); b++)
        {
            double max = 0;
            for (int i = 0; i < n; i++) max = Math.Max(max, Math.Abs(ld[b * n + i]));
            double cut = Math.Max(atol, rtol * max);
            for (int i = 0; i < n; i++) ld[b * n + i] = Math.Abs(ld[b * n + i]) > cut ? 1 / ld[b * n + i] : 0;
        }
        using (new NoGrad()) return ((q * Make(ld, l.Shape, a.DType).Unsqueeze(-2)).MatMul(MT(q))).Contiguous();
    }

    /// <summary>∂A of A⁺ (PyTorch's pinv_backward), arranged so the products stay of the smaller dimension.</summary>
    private static Tensor PinvBackward(Tensor g, Tensor pinv, Tensor a)
    {
        int m = a.shape[^2], n = a.shape[^1];
        var pinvh = MT(pinv);
        var gh = MT(g);
        if (m <= n)
        {
            var k = gh.MatMul(pinv);
            var kpinvh = k.MatMul(pinvh);
            return -MT(pinv.MatMul(k)) + kpinvh - a.MatMul(pinv).MatMul(kpinvh) + pinvh.MatMul(pinv).MatMul(gh - k.MatMul(a));
        }
        else
        {
            var k = pinv.MatMul(gh);
            var pinvhk = pinvh.MatMul(k);
            return -MT(k.MatMul(pinv)) + (gh - a.MatMul(k)).MatMul(pinv).MatMul(pinvh) + pinvhk - pinvhk.MatMul(pinv).MatMul(a);
        }
    }

    /// <summary>
    /// The X minimising ‖A·X − B‖ (the minimum-norm one where A is rank-deficient), as torch.linalg.lstsq with its default CPU
    /// driver 'gelsy': B is [..., m, k], or [..., m] when it has one dim fewer than A; batch dims broadcast. Rank is each
    /// matrix's numerical rank at rcond (default eps·max(m, n)); Residuals and SingularValues are empty as gelsy gives them.
    /// ∂B = A⁺ᵀ·g, ∂A = pinv_backward(g·Bᵀ).
    /// </summary>
    public static LstsqResult Lstsq(Tensor a, Tensor b, double? rcond = null)
    {
        ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(b);
        CheckMatrices(a, "torch.linalg.lstsq", square: false);
        CheckFloat(b, "torch.linalg.lstsq");
        if (a.DType != b.DType)
            throw new ArgumentException($"torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype {a.DType.ScalarTypeName()} and other's dtype {b.DType.ScalarTypeName()}");
        if (b.Dim < 1 || a.Dim < b.Dim || a.Dim - b.Dim > 1)
            throw new ArgumentException("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1");
        bool vector = a.Dim == b.Dim + 1;
        if (vector && a.shape[^2] != b.shape[^1]) throw new ArgumentException("torch.linalg.lstsq: input.size(-2) should match other.size(-1)");
        if (!vector && a.shape[^2] != b.shape[^2]) throw new ArgumentException("torch.linalg.lstsq: input.size(-2) should match other.size(-2)");
        int m = a.shape[^2], n = a.shape[^1];
        var bm = vector ? b.Unsqueeze(-1) : b;
        var batch = ShapeUtil.Broadcast(BatchShape(a), BatchShape(bm));
        int k = bm.shape[^1];
        Tensor x;
        long[] rank;
        using (new NoGrad())
        {
            var pinv = PinvRaw(a.Expand([.. batch, m, n]), 0, rcond ?? Eps(a.DType) * Math.Max(m, n), out rank);
            x = pinv.MatMul(bm.Expand([.. batch, m, k])).Contiguous();
            if (vector) x = x.Squeeze(-1);
        }
        var solution = Graph.Record("LinalgLstsqBackward0", x, [a, b], [a, b], vector, static (ctx, g, vector) =>
        {
            var a = ctx.Saved(0);
            var bm = vector ? ctx.Saved(1).Unsqueeze(-1) : ctx.Saved(1);
            var gx = vector ? g.Unsqueeze(-1) : g;
            var pinv = Pinv(a);
            var ga = ctx.NeedsInputGrad(0) ? PinvBackward(gx.MatMul(MT(bm)), pinv, a) : null;
            var gb = ctx.NeedsInputGrad(1) ? MT(pinv).MatMul(gx) : null;
            return [ga, gb is not null && vector ? gb.Squeeze(-1) : gb];
        });
        var empty = Tensor.Zeros([0], a.DType);
        return new LstsqResult(solution, empty, Tensor.FromArray(rank, batch), Tensor.Zeros([0], a.DType));
    }
}
