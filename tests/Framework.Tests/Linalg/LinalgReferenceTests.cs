using Framework.Autograd;
using Tests.Reference;

namespace Tests.LinalgTests;

/// <summary>torch.linalg's ops against PyTorch 1.13 (Data/linalg/make_linalg.py): values, gradients and grad_fn names, Float64 within 1e-8 and Float32 within 1e-4.</summary>
public class LinalgReferenceTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>The diagonal of the last two dims.</summary>
    private static Tensor Diag(Tensor x) => (x * Tensor.Eye(x.Shape[^1], dtype: x.DType)).Sum(-1);

    private static Tensor Flat(params Tensor[] parts) => Tensor.Cat(Array.ConvertAll(parts, p => p.Flatten()), 0);

    /// <summary>Q and R with R's diagonal made positive: the sign-free QR.</summary>
    private static Func<Tensor[], Tensor> QrFixed(string mode = "reduced") => a =>
    {
        var (q, r) = Linalg.Qr(a[0], mode);
        int k = Math.Min(q.Shape[^1], r.Shape[^2]);
        var s = Diag(r.Narrow(-2, 0, k).Narrow(-1, 0, k)).Sign();
        return Flat(q.Narrow(-1, 0, k) * s.Unsqueeze(-2), r.Narrow(-2, 0, k) * s.Unsqueeze(-1));
    };

    private static Func<Tensor[], Tensor> SvdInvariants(bool full) => a =>
    {
        var (u, s, vh) = Linalg.Svd(a[0], full);
        return Flat((u * s.Unsqueeze(-2)).MatMul(vh), s, u.Abs(), vh.Abs());
    };

    private static Func<Tensor[], Tensor> EighInvariants(string uplo) => a =>
    {
        var (w, q) = Linalg.Eigh(a[0], uplo);
        return Flat(w, q.Abs());
    };

    /// <summary>The computation of each case in make_linalg.py (the Float32 cases, suffixed _f32, run the same one).</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["inv"] = a => Linalg.Inv(a[0]),
        ["inv_batched"] = a => Linalg.Inv(a[0]),
        ["inv_transposed"] = a => Linalg.Inv(a[0].Transpose(-2, -1)),
        ["det"] = a => Linalg.Det(a[0]),
        ["det_batched"] = a => Linalg.Det(a[0]),
        ["det_1x1"] = a => Linalg.Det(a[0]),
        ["det_singular"] = a => Linalg.Det(a[0]),
        ["slogdet_logabsdet"] = a => Linalg.Slogdet(a[0]).LogAbsDet,
        ["slogdet_logabsdet_batched"] = a => Linalg.Slogdet(a[0]).LogAbsDet,
        ["slogdet_sign"] = a => Linalg.Slogdet(a[0]).Sign.Detach(),
        ["slogdet_singular"] = a => Linalg.Slogdet(a[0]).LogAbsDet.Detach(),
        ["solve_matrix"] = a => Linalg.Solve(a[0], a[1]),
        ["solve_vector"] = a => Linalg.Solve(a[0], a[1]),
        ["solve_batched_vector"] = a => Linalg.Solve(a[0], a[1]),
        ["solve_broadcast"] = a => Linalg.Solve(a[0], a[1]),
        ["solve_vector_broadcast"] = a => Linalg.Solve(a[0], a[1]),
        ["cholesky"] = a => Linalg.Cholesky(a[0]),
        ["cholesky_upper"] = a => Linalg.Cholesky(a[0], upper: true),
        ["cholesky_batched"] = a => Linalg.Cholesky(a[0]),
        ["cholesky_lower_triangle_only"] = a => Linalg.Cholesky(a[0]),
        ["qr_tall"] = QrFixed(),
        ["qr_wide"] = QrFixed(),
        ["qr_batched"] = QrFixed(),
        ["qr_complete_wide"] = QrFixed("complete"),
        ["qr_r"] = a => Linalg.Qr(a[0], "r").R.Detach().Abs(),
        ["svd_square"] = SvdInvariants(true),
        ["svd_tall"] = SvdInvariants(false),
        ["svd_wide"] = SvdInvariants(false),
        ["svd_batched"] = SvdInvariants(true),
        ["svdvals"] = a => Linalg.Svdvals(a[0]),
        ["svdvals_batched"] = a => Linalg.Svdvals(a[0]),
        ["eigh"] = EighInvariants("L"),
        ["eigh_upper_nonsymmetric"] = EighInvariants("U"),
        ["eigh_lower_nonsymmetric"] = EighInvariants("L"),
        ["eigh_batched"] = EighInvariants("L"),
        ["eigvals_only"] = a => Linalg.Eigh(a[0]).L,
        ["lstsq"] = a => Linalg.Lstsq(a[0], a[1]).Solution,
        ["lstsq_vector"] = a => Linalg.Lstsq(a[0], a[1]).Solution.Detach(),
        ["lstsq_square"] = a => Linalg.Lstsq(a[0], a[1]).Solution,
        ["lstsq_batched"] = a => Linalg.Lstsq(a[0], a[1]).Solution,
        ["lstsq_rank"] = a => Linalg.Lstsq(a[0], a[1]).Rank,
        ["pinv_tall"] = a => Linalg.Pinv(a[0]),
        ["pinv_wide"] = a => Linalg.Pinv(a[0]),
        ["pinv_batched"] = a => Linalg.Pinv(a[0]),
        ["pinv_rank_one"] = a => Linalg.Pinv(a[0]),
        ["pinv_hermitian"] = a => Linalg.Pinv(a[0], hermitian: true),
        ["pinv_hermitian_singular"] = a => Linalg.Pinv(a[0], hermitian: true),
        ["vector_norm"] = a => Linalg.VectorNorm(a[0]),
        ["vector_norm_ord1_dim0"] = a => Linalg.VectorNorm(a[0], 1, [0]),
        ["vector_norm_ord3_keep"] = a => Linalg.VectorNorm(a[0], 3, [-1], keepDim: true),
        ["vector_norm_ord1.5_dims"] = a => Linalg.VectorNorm(a[0], 1.5, [0, 2]),
        ["vector_norm_ord0.5"] = a => Linalg.VectorNorm(a[0], 0.5, [1]),
        ["vector_norm_ord-1"] = a => Linalg.VectorNorm(a[0], -1),
        ["vector_norm_ord0"] = a => Linalg.VectorNorm(a[0], 0),
        ["vector_norm_inf"] = a => Linalg.VectorNorm(a[0], Inf, [1]),
        ["vector_norm_inf_ties"] = a => Linalg.VectorNorm(a[0], Inf),
        ["vector_norm_-inf"] = a => Linalg.VectorNorm(a[0], -Inf),
        ["vector_norm_zero_vector"] = a => Linalg.VectorNorm(a[0]),
        ["vector_norm_scalar"] = a => Linalg.VectorNorm(a[0], 3),
        ["matrix_norm_fro"] = a => Linalg.MatrixNorm(a[0]),
        ["matrix_norm_nuc"] = a => Linalg.MatrixNorm(a[0], "nuc"),
        ["matrix_norm_nuc_dims_keep"] = a => Linalg.MatrixNorm(a[0], "nuc", (0, 2), keepDim: true),
        ["matrix_norm_1"] = a => Linalg.MatrixNorm(a[0], 1),
        ["matrix_norm_-1"] = a => Linalg.MatrixNorm(a[0], -1),
        ["matrix_norm_2"] = a => Linalg.MatrixNorm(a[0], 2),
        ["matrix_norm_-2"] = a => Linalg.MatrixNorm(a[0], -2),
        ["matrix_norm_inf"] = a => Linalg.MatrixNorm(a[0], Inf),
        ["matrix_norm_-inf_keep"] = a => Linalg.MatrixNorm(a[0], -Inf, keepDim: true),
        ["matrix_norm_1_dims"] = a => Linalg.MatrixNorm(a[0], 1, (2, 0)),
        ["matrix_norm_2_dims_keep"] = a => Linalg.MatrixNorm(a[0], 2, (-1, 0), keepDim: true),
    };

    private static string Base(string name) => name.EndsWith("_f32") ? name[..^4] : name;

    private static readonly ReferenceCases.Tolerance Tolerance = new(Float64: 1e-8, Float32: 1e-4);

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("linalg", "linalg_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[Base(name)], Tolerance);
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        var bases = Cases.Value.Keys.Select(Base).ToHashSet();
        Assert.Empty(bases.Except(Ops.Keys));
        Assert.Empty(Ops.Keys.Except(bases));
    }
}
