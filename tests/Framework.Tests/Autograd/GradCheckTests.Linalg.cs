using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>a·aᵀ + n·I: symmetric positive definite, so Cholesky and Eigh (which read one triangle) see every entry of a.</summary>
    private static Tensor Spd(Tensor a) => a.MatMul(a.Transpose(-2, -1)) + Tensor.Eye(a.Shape[^1], dtype: a.DType) * a.Shape[^1];

    /// <summary>a + aᵀ: the symmetric input of Eigh.</summary>
    private static Tensor Sym(Tensor a) => a + a.Transpose(-2, -1);

    /// <summary>Sign-invariant functions of a decomposition's factors (u ↦ u·D for a diagonal D of ±1), flattened side by side.</summary>
    private static Tensor Gauge(params Tensor[] parts) => Tensor.Cat(Array.ConvertAll(parts, p => p.Flatten()), 0);

    /// <summary>The gradcheck cases of the linalg ops.</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> LinalgCases() => new()
    {
        ["linalg.inv"] = (a => Linalg.Inv(a[0]), () => [R(3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2]),
        ["linalg.inv batched"] = (a => Linalg.Inv(a[0]), () => [R(2, 2, 3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2]),
        ["linalg.inv transposed view"] = (a => Linalg.Inv(a[0].T()), () => [R(3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2]),
        ["linalg.det"] = (a => Linalg.Det(a[0]), () => [R(3, 3)]),
        ["linalg.det batched"] = (a => Linalg.Det(a[0]), () => [R(2, 3, 3)]),
        ["linalg.det 1x1 and transposed"] = (a => Linalg.Det(a[0].Transpose(0, 1)), () => [R(4, 4)]),
        ["linalg.slogdet"] = (a => Linalg.Slogdet(a[0]).LogAbsDet, () => [R(3, 3)]),
        ["linalg.slogdet batched"] = (a => Linalg.Slogdet(a[0]).LogAbsDet, () => [R(2, 3, 3)]),
        ["linalg.solve matrix"] = (a => Linalg.Solve(a[0], a[1]), () => [R(3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2, R(3, 2)]),
        ["linalg.solve vector"] = (a => Linalg.Solve(a[0], a[1]), () => [R(3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2, R(3)]),
        ["linalg.solve batched vector"] = (a => Linalg.Solve(a[0], a[1]), () => [R(2, 3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2, R(2, 3)]),
        ["linalg.solve broadcast batch"] = (a => Linalg.Solve(a[0], a[1]), () => [R(2, 1, 3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2, R(3, 3, 2)]),
        ["linalg.solve transposed A"] = (a => Linalg.Solve(a[0].T(), a[1]), () => [R(3, 3) + Tensor.Eye(3, dtype: DType.Float64) * 2, R(3, 4)]),
        ["linalg.cholesky"] = (a => Linalg.Cholesky(Spd(a[0])), () => [R(3, 3)]),
        ["linalg.cholesky upper"] = (a => Linalg.Cholesky(Spd(a[0]), upper: true), () => [R(3, 3)]),
        ["linalg.cholesky batched"] = (a => Linalg.Cholesky(Spd(a[0])), () => [R(2, 3, 3)]),
        ["linalg.qr tall"] = (a => { var (q, r) = Linalg.Qr(a[0]); return Gauge(q * q, r * r, q.MatMul(r)); }, () => [R(4, 3)]),
        ["linalg.qr wide"] = (a => { var (q, r) = Linalg.Qr(a[0]); return Gauge(q * q, r * r); }, () => [R(3, 4)]),
        ["linalg.qr complete wide"] = (a => { var (q, r) = Linalg.Qr(a[0], "complete"); return Gauge(q * q, r * r); }, () => [R(2, 4)]),
        ["linalg.qr batched"] = (a => { var (q, r) = Linalg.Qr(a[0]); return Gauge(q * q, r * r); }, () => [R(2, 3, 3)]),
        ["linalg.qr R only through reduced"] = (a => Linalg.Qr(a[0].T()).R.Abs(), () => [R(3, 4)]),
        ["linalg.svd square"] = (a => { var (u, s, vh) = Linalg.Svd(a[0]); return Gauge(u * u, s, vh * vh); }, () => [R(3, 3)]),
        ["linalg.svd tall"] = (a => { var (u, s, vh) = Linalg.Svd(a[0], fullMatrices: false); return Gauge(u * u, s, vh * vh); }, () => [R(4, 3)]),
        ["linalg.svd wide"] = (a => { var (u, s, vh) = Linalg.Svd(a[0], fullMatrices: false); return Gauge(u * u, s, vh * vh); }, () => [R(2, 4)]),
        ["linalg.svd batched"] = (a => { var (u, s, vh) = Linalg.Svd(a[0]); return Gauge(u * u, s, vh * vh); }, () => [R(2, 3, 3)]),
        ["linalg.svd U only"] = (a => Linalg.Svd(a[0], fullMatrices: false).U.Abs(), () => [R(4, 3)]),
        ["linalg.svd reconstruction"] = (a => { var (u, s, vh) = Linalg.Svd(a[0], fullMatrices: false); return (u * s.Unsqueeze(-2)).MatMul(vh); }, () => [R(3, 4)]),
        ["linalg.svdvals"] = (a => Linalg.Svdvals(a[0]), () => [R(4, 3)]),
        ["linalg.svdvals batched transposed"] = (a => Linalg.Svdvals(a[0].Transpose(-2, -1)), () => [R(2, 3, 4)]),
        ["linalg.eigh"] = (a => { var (l, q) = Linalg.Eigh(Sym(a[0])); return Gauge(l, q * q); }, () => [R(3, 3)]),
        ["linalg.eigh upper"] = (a => { var (l, q) = Linalg.Eigh(Sym(a[0]), "U"); return Gauge(l, q * q); }, () => [R(3, 3)]),
        ["linalg.eigh batched"] = (a => { var (l, q) = Linalg.Eigh(Sym(a[0])); return Gauge(l, q * q); }, () => [R(2, 3, 3)]),
        ["linalg.eigh eigenvalues only"] = (a => Linalg.Eigh(Sym(a[0])).L, () => [R(4, 4)]),
        ["linalg.lstsq"] = (a => Linalg.Lstsq(a[0], a[1]).Solution, () => [R(5, 3), R(5, 2)]),
        ["linalg.lstsq vector"] = (a => Linalg.Lstsq(a[0], a[1]).Solution, () => [R(4, 2), R(4)]),
        ["linalg.lstsq batched broadcast"] = (a => Linalg.Lstsq(a[0], a[1]).Solution, () => [R(2, 4, 3), R(1, 4, 2)]),
        ["linalg.lstsq wide"] = (a => Linalg.Lstsq(a[0], a[1]).Solution, () => [R(2, 3), R(2, 2)]),
        ["linalg.pinv tall"] = (a => Linalg.Pinv(a[0]), () => [R(4, 3)]),
        ["linalg.pinv wide"] = (a => Linalg.Pinv(a[0]), () => [R(2, 4)]),
        ["linalg.pinv batched transposed"] = (a => Linalg.Pinv(a[0].Transpose(-2, -1)), () => [R(2, 3, 2)]),
        ["linalg.pinv hermitian"] = (a => Linalg.Pinv(Spd(a[0]), hermitian: true), () => [R(2, 3, 3)]),
        ["linalg.vector_norm"] = (a => Linalg.VectorNorm(a[0]), () => [R(2, 3)]),
        ["linalg.vector_norm ord 1 dim 0"] = (a => Linalg.VectorNorm(a[0], 1, [0]), () => [R(3, 4)]),
        ["linalg.vector_norm ord 3 dim -1 keep"] = (a => Linalg.VectorNorm(a[0], 3, [-1], keepDim: true), () => [R(3, 4)]),
        ["linalg.vector_norm ord 1.5 dims"] = (a => Linalg.VectorNorm(a[0], 1.5, [0, 2]), () => [R(2, 3, 4)]),
        ["linalg.vector_norm ord 0.5"] = (a => Linalg.VectorNorm(a[0], 0.5, [1]), () => [R(3, 4)]),
        ["linalg.vector_norm ord -1"] = (a => Linalg.VectorNorm(a[0], -1, [-1]), () => [R(3, 4)]),
        ["linalg.vector_norm ord 0 (no gradient) times ord 2"] = (a => Linalg.VectorNorm(a[0], 0) * Linalg.VectorNorm(a[0]), () => [R(3, 4)]),
        ["linalg.vector_norm ord inf"] = (a => Linalg.VectorNorm(a[0], double.PositiveInfinity, [1]), () => [R(3, 4)]),
        ["linalg.vector_norm ord -inf"] = (a => Linalg.VectorNorm(a[0], double.NegativeInfinity), () => [R(3, 4)]),
        ["linalg.vector_norm transposed"] = (a => Linalg.VectorNorm(a[0].T(), 2, [0]), () => [R(3, 4)]),
        ["linalg.matrix_norm fro"] = (a => Linalg.MatrixNorm(a[0]), () => [R(2, 3, 4)]),
        ["linalg.matrix_norm nuc"] = (a => Linalg.MatrixNorm(a[0], "nuc"), () => [R(2, 3, 4)]),
        ["linalg.matrix_norm nuc dims keep"] = (a => Linalg.MatrixNorm(a[0], "nuc", (0, 2), keepDim: true), () => [R(3, 2, 4)]),
        ["linalg.matrix_norm 1"] = (a => Linalg.MatrixNorm(a[0], 1), () => [R(2, 3, 4)]),
        ["linalg.matrix_norm -1"] = (a => Linalg.MatrixNorm(a[0], -1), () => [R(3, 4)]),
        ["linalg.matrix_norm 2"] = (a => Linalg.MatrixNorm(a[0], 2), () => [R(2, 3, 4)]),
        ["linalg.matrix_norm -2"] = (a => Linalg.MatrixNorm(a[0], -2), () => [R(4, 3)]),
        ["linalg.matrix_norm inf"] = (a => Linalg.MatrixNorm(a[0], double.PositiveInfinity), () => [R(2, 3, 4)]),
        ["linalg.matrix_norm -inf keep"] = (a => Linalg.MatrixNorm(a[0], double.NegativeInfinity, keepDim: true), () => [R(3, 4)]),
        ["linalg.matrix_norm 1 dims (2, 0)"] = (a => Linalg.MatrixNorm(a[0], 1, (2, 0)), () => [R(3, 2, 4)]),
        ["linalg.matrix_norm 2 dims (-1, 0) keep"] = (a => Linalg.MatrixNorm(a[0], 2, (-1, 0), keepDim: true), () => [R(3, 2, 4)]),
    };
}
