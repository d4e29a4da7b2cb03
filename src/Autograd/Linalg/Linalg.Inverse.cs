using MathNet.Numerics.LinearAlgebra;

namespace Framework.Autograd;

// Inverse, determinant and linear solves, forward through MathNet's LU (partial pivoting, as LAPACK's getrf).
public static partial class Linalg
{
    /// <summary>A⁻¹ of each square matrix (torch.linalg.inv); ∂A = −A⁻ᵀ·g·A⁻ᵀ.</summary>
    public static Tensor Inv(Tensor a)
    {
        CheckMatrices(a, "linalg.inv", square: true);
        int n = a.shape[^1], count = ShapeUtil.Numel(BatchShape(a));
        var data = Doubles(a);
        var result = new double[data.Length];
        for (int b = 0; b < count && n > 0; b++)
        {
            var lu = MatrixAt(data, b, n, n).LU();
            if (ZeroPivot(lu.U) is int k)
                throw new LinAlgException($"linalg.inv: {BatchPrefix(a, b)}The diagonal element {k} is zero, the inversion could not be completed because the input matrix is singular.");
            Put(result, b, lu.Inverse(), n, n);
        }
        var y = Make(result, a.Shape, a.DType);
        return Graph.Record("LinalgInvExBackward0", y, [a], [y], static (ctx, g) =>
        {
            var inv = MT(ctx.Saved(0));
            return [-inv.MatMul(g).MatMul(inv)];
        });
    }

    /// <summary>The 1-based index of the first zero on U's diagonal (LAPACK's info), or null.</summary>
    private static int? ZeroPivot(Matrix<double> u)
    {
        for (int i = 0; i < Math.Min(u.RowCount, u.ColumnCount); i++)
            if (u[i, i] == 0) return i + 1;
        return null;
    }

    /// <summary>det(A) of each square matrix (torch.linalg.det); ∂A = g·det·A⁻ᵀ, the adjugate through an SVD where A is singular.</summary>
    public static Tensor Det(Tensor a)
    {
        CheckMatrices(a, "linalg.det", square: true);
        int n = a.shape[^1];
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        var data = Doubles(a);
        var result = new double[count];
        for (int b = 0; b < count; b++) result[b] = n == 0 ? 1 : MatrixAt(data, b, n, n).LU().Determinant;
        var y = Make(result, batch, a.DType);
        return Graph.Record("LinalgDetBackward0", y, [a], [a, y], static (ctx, g) => [DetBackward(g, ctx.Saved(1), ctx.Saved(0))]);
    }

    /// <summary>∂det: solve Aᵀ·G = g·det·I; a plain backward gives 0 for an exactly singular A (det = 0, as PyTorch's perturbed LU does), a createGraph one the SVD form of the adjugate for |det| &lt; 100·eps.</summary>
    private static Tensor? DetBackward(Tensor g, Tensor det, Tensor a)
    {
        if (a.Numel == 0) return null;
        var d = (g * det).Unsqueeze(-1).Unsqueeze(-1) * EyeLike(a);
        var absDet = Doubles(det);
        double eps = Eps(a.DType);
        if (!GradMode.IsEnabled)
        {
            // det = 0 makes d = 0: solve against the identity there instead of a singular matrix.
            var singular = (det == 0).Unsqueeze(-1).Unsqueeze(-1);
            var safe = Tensor.Where(singular, EyeLike(a).Expand(a.shape), a);
            return Solve(MT(safe), d);
        }
        if (absDet.All(v => Math.Abs(v) >= 100 * eps)) return Solve(MT(a), d);
        var (u, s, vh) = Svd(a);
        var alpha = Det(u) * Det(vh) * g;
        var others = ProdOthers(s);
        return (u * (alpha.Unsqueeze(-1) * others).Unsqueeze(-2)).MatMul(vh);
    }

    /// <summary>Π_{j≠i} s_j along the last dim, without dividing (exact at zeros): the product of each row of s with its own entry replaced by 1.</summary>
    private static Tensor ProdOthers(Tensor s)
    {
        int n = s.shape[^1];
        var eye = Tensor.Eye(n, dtype: s.DType) == 1;
        var rows = Tensor.Where(eye, Tensor.Ones([1], s.DType), s.Unsqueeze(-2).Expand([.. s.shape[..^1], n, n]));
        return rows.Prod(-1);
    }

    /// <summary>(sign(det A), log|det A|) of each square matrix (torch.linalg.slogdet); ∂A = g_logabsdet·A⁻ᵀ (the sign has zero gradient).</summary>
    public static (Tensor Sign, Tensor LogAbsDet) Slogdet(Tensor a)
    {
        CheckMatrices(a, "linalg.slogdet", square: true);
        int n = a.shape[^1];
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        var data = Doubles(a);
        var sign = new double[count];
        var logAbs = new double[count];
        for (int b = 0; b < count; b++)
        {
            if (n == 0) { sign[b] = 1; continue; }
            var lu = MatrixAt(data, b, n, n).LU();
            double sg = Parity(lu.P), la = 0;
            for (int i = 0; i < n; i++) { double u = lu.U[i, i]; sg *= Math.Sign(u); la += Math.Log(Math.Abs(u)); }
            sign[b] = sg;
            logAbs[b] = la;
        }
        var outs = RecordOutputs("LinalgSlogdetBackward0", [Make(sign, batch, a.DType), Make(logAbs, batch, a.DType)], batch, [a], a,
            static (ys, gs, a) => [Solve(MT(a), gs[1].Unsqueeze(-1).Unsqueeze(-1) * EyeLike(a))]);
        return (outs[0], outs[1]);
    }

    /// <summary>+1 for an even permutation, −1 for an odd one.</summary>
    private static double Parity(MathNet.Numerics.Permutation p)
    {
        var seen = new bool[p.Dimension];
        double sign = 1;
        for (int i = 0; i < p.Dimension; i++)
        {
            if (seen[i]) continue;
            int len = 0;
            for (int j = i; !seen[j]; j = p[j]) { seen[j] = true; len++; }
            if (len % 2 == 0) sign = -sign;
        }
        return sign;
    }

    /// <summary>X with A·X = B (torch.linalg.solve): B a matrix [..., n, k] or a vector [..., n], batch dims broadcast; ∂B = A⁻ᵀ·g, ∂A = −∂B·Xᵀ.</summary>
    public static Tensor Solve(Tensor a, Tensor b)
    {
        CheckMatrices(a, "linalg.solve", square: true);
        ArgumentNullException.ThrowIfNull(b);
        CheckFloat(b, "linalg.solve");
        if (a.DType != b.DType)
            throw new ArgumentException($"linalg.solve: Expected A and B to have the same dtype, but found A of type {a.DType.ScalarTypeName()} and B of type {b.DType.ScalarTypeName()} instead");
        bool vector = IsVectorRhs(a, b);
        var bm = vector ? b.Unsqueeze(-1) : b;
        int n = a.shape[^1];
        if (bm.Dim < 2 || bm.shape[^2] != n)
            throw new ArgumentException($"linalg.solve: Incompatible shapes of A and B for the equation AX = B ({a.shape[^2]}x{n} and {(bm.Dim < 2 ? bm.shape[^1] : bm.shape[^2])}x{bm.shape[^1]})");
        int k = bm.shape[^1];
        var batch = ShapeUtil.Broadcast(BatchShape(a), BatchShape(bm));
        var ad = Doubles(a.Expand([.. batch, n, n]));
        var bd = Doubles(bm.Expand([.. batch, n, k]));
        int count = ShapeUtil.Numel(batch);
        var result = new double[count * n * k];
        for (int i = 0; i < count && n > 0 && k > 0; i++)
        {
            var lu = MatrixAt(ad, i, n, n).LU();
            if (ZeroPivot(lu.U) is not null)
                throw new LinAlgException($"torch.linalg.solve: {(batch.Length > 0 ? $"(Batch element {i}): " : "")}The solver failed because the input matrix is singular.");
            Put(result, i, lu.Solve(MatrixAt(bd, i, n, k)), n, k);
        }
        var y = Make(result, [.. batch, n, k], a.DType);
        if (vector) y = y.Squeeze(-1);
        return Graph.Record("LinalgSolveExBackward0", y, [a, b], [a, y], vector, static (ctx, g, vector) =>
        {
            var a = ctx.Saved(0);
            var x = vector ? ctx.Saved(1).Unsqueeze(-1) : ctx.Saved(1);
            var gb = Solve(MT(a), vector ? g.Unsqueeze(-1) : g);
            return [ctx.NeedsInputGrad(0) ? -gb.MatMul(MT(x)) : null, ctx.NeedsInputGrad(1) ? (vector ? gb.Squeeze(-1) : gb) : null];
        });
    }

    /// <summary>torch's rule: B is a (batch of) vector(s) when it is 1-d, or when its shape is A's without the last dim.</summary>
    private static bool IsVectorRhs(Tensor a, Tensor b)
        => b.Dim == 1 || (b.Dim == a.Dim - 1 && b.shape.AsSpan().SequenceEqual(a.shape.AsSpan(0, a.Dim - 1)));
}
