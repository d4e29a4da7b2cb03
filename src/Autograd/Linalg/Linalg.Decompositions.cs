using MathNet.Numerics.LinearAlgebra;

namespace Framework.Autograd;

// Cholesky, QR, SVD and the symmetric eigendecomposition, forward through MathNet's factorisations.
public static partial class Linalg
{
    /// <summary>L lower triangular with A = L·Lᵀ (upper: U with A = Uᵀ·U), reading only that triangle of A (torch.linalg.cholesky).</summary>
    public static Tensor Cholesky(Tensor a, bool upper = false)
    {
        CheckMatrices(a, "linalg.cholesky", square: true);
        int n = a.shape[^1], count = ShapeUtil.Numel(BatchShape(a));
        var data = Doubles(a);
        var result = new double[data.Length];
        for (int b = 0; b < count && n > 0; b++)
        {
            var m = Symmetric(MatrixAt(data, b, n, n), lower: !upper);
            if (NotPositiveDefinite(m) is int order)
                throw new LinAlgException($"linalg.cholesky: {BatchPrefix(a, b)}The factorization could not be completed because the input is not positive-definite (the leading minor of order {order} is not positive-definite).");
            var l = m.Cholesky().Factor;
            Put(result, b, upper ? l.Transpose() : l, n, n);
        }
        var y = Make(result, a.Shape, a.DType);
        return Graph.Record("LinalgCholeskyExBackward0", y, [a], [y], upper, static (ctx, g, upper) =>
        {
            var l = upper ? MT(ctx.Saved(0)) : ctx.Saved(0);
            var gl = upper ? MT(g) : g;
            var p = MT(l).MatMul(gl);
            var phi = p.Tril() - 0.5 * DiagEmbed(Diagonal(p));
            var linv = Inv(l);
            var ga = MT(linv).MatMul(phi).MatMul(linv);
            return [0.5 * (ga + MT(ga))];
        });
    }

    /// <summary>The symmetric matrix of m's lower (or upper) triangle.</summary>
    private static Matrix<double> Symmetric(Matrix<double> m, bool lower)
        => Matrix<double>.Build.Dense(m.RowCount, m.ColumnCount, (i, j) => lower ? (i >= j ? m[i, j] : m[j, i]) : (i <= j ? m[i, j] : m[j, i]));

    /// <summary>The order of the first leading minor that is not positive definite (LAPACK potrf's info), or null.</summary>
    private static int? NotPositiveDefinite(Matrix<double> a)
    {
        int n = a.RowCount;
        var l = new double[n, n];
        for (int j = 0; j < n; j++)
        {
            double d = a[j, j];
            for (int k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (!(d > 0)) return j + 1;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < n; i++)
            {
                double s = a[i, j];
                for (int k = 0; k < j; k++) s -= l[i, k] * l[j, k];
                l[i, j] = s / l[j, j];
            }
        }
        return null;
    }

    /// <summary>A = Q·R with Q orthonormal columns and R upper triangular (torch.linalg.qr); mode "reduced" (k = min(m, n) columns), "complete" (Q m×m) or "r" (R only, Q empty).</summary>
    public static (Tensor Q, Tensor R) Qr(Tensor a, string mode = "reduced")
    {
        CheckMatrices(a, "linalg.qr", square: false);
        if (mode is not ("reduced" or "complete" or "r"))
            throw new ArgumentException($"qr received unrecognized mode '{mode}' but expected one of 'reduced' (default), 'r', or 'complete'");
        int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        int qc = mode == "complete" ? m : k, rr = mode == "complete" ? m : k;
        var data = Doubles(a);
        var q = new double[count * m * qc];
        var r = new double[count * rr * n];
        for (int b = 0; b < count && k > 0; b++)
        {
            // MathNet factorises m ≥ n only; a wide A = [A₁ | A₂] has Q from A₁ = Q·R₁ and R = Qᵀ·A, as Householder QR gives.
            var ab = MatrixAt(data, b, m, n);
            var qr = (m >= n ? ab : ab.SubMatrix(0, m, 0, m)).QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Full);
            Put(q, b, qr.Q, m, qc);
            var rb = m >= n ? qr.R : qr.Q.TransposeThisAndMultiply(ab);
            Put(r, b, Matrix<double>.Build.Dense(rr, n, (i, j) => i < rb.RowCount && j >= i ? rb[i, j] : 0), rr, n);
        }
        var qt = mode == "r" ? Tensor.Zeros([0], a.DType) : Make(q, [.. batch, m, qc], a.DType);
        var rt = Make(r, [.. batch, rr, n], a.DType);
        if (mode == "r")
            return (qt, Graph.Record("LinalgQrBackward0", rt, [a], static (ctx, g) =>
                throw new InvalidOperationException("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.")));
        var outs = RecordOutputs("LinalgQrBackward0", [qt, rt], batch, [a], mode, static (ys, gs, mode) => [QrBackward(gs[0], gs[1], ys[0], ys[1], mode)]);
        return (outs[0], outs[1]);
    }

    /// <summary>∂A of A = QR (PyTorch's formula): m ≥ n: (gQ + Q·syminvadj(triu(gR·Rᵀ − Qᵀ·gQ)))·R⁻ᵀ; m &lt; n: [Q·tril(Y − Yᵀ)·R₁⁻ᵀ | 0] + Q·gR.</summary>
    private static Tensor QrBackward(Tensor gq, Tensor gr, Tensor q, Tensor r, string mode)
    {
        int m = q.shape[^2], n = r.shape[^1];
        if (mode == "complete" && m > n)
            throw new InvalidOperationException("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
        var x = gr.MatMul(MT(r)) - MT(q).MatMul(gq);
        if (m >= n)
        {
            var t = x.Triu();
            var ga = q.MatMul(t + MT(t) - DiagEmbed(Diagonal(t))) + gq;
            return ga.MatMul(MT(Inv(r)));
        }
        var y = -x;
        var gm = q.MatMul((y - MT(y)).Tril()).MatMul(MT(Inv(r.Narrow(-1, 0, m))));
        var zeros = Tensor.Zeros([.. r.shape[..^1], n - m], r.DType);
        return Tensor.Cat([gm, zeros], -1) + q.MatMul(gr);
    }

    /// <summary>A = U·diag(S)·Vh with S descending (torch.linalg.svd); fullMatrices: U m×m and Vh n×n, else k = min(m, n) columns / rows.</summary>
    public static (Tensor U, Tensor S, Tensor Vh) Svd(Tensor a, bool fullMatrices = true)
    {
        CheckMatrices(a, "linalg.svd", square: false);
        int m = a.shape[^2], n = a.shape[^1], k = Math.Min(m, n);
        int uc = fullMatrices ? m : k, vr = fullMatrices ? n : k;
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        var data = Doubles(a);
        var u = new double[count * m * uc];
        var s = new double[count * k];
        var vh = new double[count * vr * n];
        for (int b = 0; b < count; b++)
        {
            if (k == 0) continue;
            var svd = MatrixAt(data, b, m, n).Svd(computeVectors: true);
            Put(u, b, svd.U, m, uc);
            for (int i = 0; i < k; i++) s[b * k + i] = svd.S[i];
            Put(vh, b, svd.VT, vr, n);
        }
        var outs = RecordOutputs("LinalgSvdBackward0",
            [Make(u, [.. batch, m, uc], a.DType), Make(s, [.. batch, k], a.DType), Make(vh, [.. batch, vr, n], a.DType)], batch, [a], k,
            static (ys, gs, k) => [SvdBackward(gs[0].Narrow(-1, 0, k), gs[1], gs[2].Narrow(-2, 0, k), ys[0].Narrow(-1, 0, k), ys[1], ys[2].Narrow(-2, 0, k))]);
        return (outs[0], outs[1], outs[2]);
    }

    /// <summary>The singular values of each matrix, descending (torch.linalg.svdvals); ∂A = U·diag(g)·Vh.</summary>
    public static Tensor Svdvals(Tensor a)
    {
        CheckMatrices(a, "linalg.svd", square: false);
        return Svd(a, fullMatrices: false).S;
    }

    /// <summary>
    /// ∂A of the reduced SVD (PyTorch's formula), with skew(X) = X − Xᵀ and E_jk = S_k² − S_j² (1 on the diagonal):
    /// U·[(skew(Uᵀ·gU)/E)·S + S·(skew(Vh·gVhᵀ)/E) + diag(gS)]·Vh, plus (I − U·Uᵀ)·gU·S⁻¹·Vh when m &gt; n and
    /// U·S⁻¹·gVh·(I − Vhᵀ·Vh) when m &lt; n. Unused U and Vh (zero gradients) give U·diag(gS)·Vh, defined for repeated or zero S too.
    /// </summary>
    private static Tensor SvdBackward(Tensor gu, Tensor gs, Tensor gvh, Tensor u, Tensor s, Tensor vh)
    {
        int m = u.shape[^2], n = vh.shape[^1];
        bool useU = !IsZero(gu), useV = !IsZero(gvh);
        if (!useU && !useV) return m >= n ? u.MatMul(gs.Unsqueeze(-1) * vh) : (u * gs.Unsqueeze(-2)).MatMul(vh);
        var s2 = s * s;
        var e = s2.Unsqueeze(-2) - s2.Unsqueeze(-1) + EyeLike(DiagEmbed(s));
        Tensor ret;
        var uhgu = useU ? Skew(MT(u).MatMul(gu)) : null;
        var vhgv = useV ? Skew(vh.MatMul(MT(gvh))) : null;
        if (uhgu is not null && vhgv is not null) ret = (uhgu * s.Unsqueeze(-2) + s.Unsqueeze(-1) * vhgv) / e;
        else if (uhgu is not null) ret = uhgu / e * s.Unsqueeze(-2);
        else ret = s.Unsqueeze(-1) * (vhgv! / e);
        ret = ret + DiagEmbed(gs);
        if (m > n && useU)
        {
            var ga = u.MatMul(ret);
            var gusinv = gu / s.Unsqueeze(-2);
            ga = ga + gusinv - u.MatMul(MT(u).MatMul(gusinv));
            return ga.MatMul(vh);
        }
        if (m < n && useV)
        {
            var ga = ret.MatMul(vh);
            var sinvgvh = gvh / s.Unsqueeze(-1);
            ga = ga + sinvgvh - sinvgvh.MatMul(MT(vh)).MatMul(vh);
            return u.MatMul(ga);
        }
        return u.MatMul(ret).MatMul(vh);
    }

    private static Tensor Skew(Tensor x) => x - MT(x);

    /// <summary>Eigenvalues ascending and orthonormal eigenvectors (columns) of each symmetric matrix, read from its lower ("L") or upper ("U") triangle (torch.linalg.eigh).</summary>
    public static (Tensor L, Tensor Q) Eigh(Tensor a, string UPLO = "L")
    {
        if (UPLO is not ("L" or "U" or "l" or "u")) throw new ArgumentException($"Expected UPLO argument to be 'L' or 'U', but got {UPLO}");
        CheckMatrices(a, "linalg.eigh", square: true);
        int n = a.shape[^1];
        var batch = BatchShape(a);
        int count = ShapeUtil.Numel(batch);
        var data = Doubles(a);
        var l = new double[count * n];
        var q = new double[count * n * n];
        for (int b = 0; b < count; b++)
        {
            if (n == 0) continue;
            var evd = Symmetric(MatrixAt(data, b, n, n), lower: UPLO is "L" or "l").Evd(Symmetricity.Symmetric);
            var order = Enumerable.Range(0, n).OrderBy(i => evd.EigenValues[i].Real).ToArray();
            for (int i = 0; i < n; i++)
            {
                l[b * n + i] = evd.EigenValues[order[i]].Real;
                for (int r = 0; r < n; r++) q[(b * n + r) * n + i] = evd.EigenVectors[r, order[i]];
            }
        }
        var outs = RecordOutputs("LinalgEighBackward0", [Make(l, [.. batch, n], a.DType), Make(q, [.. batch, n, n], a.DType)], batch, [a], 0,
            static (ys, gs, _) => [EighBackward(gs[0], gs[1], ys[0], ys[1])]);
        return (outs[0], outs[1]);
    }

    /// <summary>∂A of A = V·diag(L)·Vᵀ (PyTorch's formula): V·(skewpart(Vᵀ·gV)/E + diag(gL))·Vᵀ with E_ij = L_j − L_i; V·diag(gL)·Vᵀ when V is unused.</summary>
    private static Tensor EighBackward(Tensor gl, Tensor gv, Tensor l, Tensor v)
    {
        if (IsZero(gv)) return (v * gl.Unsqueeze(-2)).MatMul(MT(v));
        var vhgv = v.Transpose(-2, -1).MatMul(gv);
        vhgv = 0.5 * (vhgv - MT(vhgv));
        var e = l.Unsqueeze(-2) - l.Unsqueeze(-1) + EyeLike(v);
        var ga = vhgv / e + DiagEmbed(gl);
        return v.MatMul(ga).MatMul(MT(v));
    }
}
