using Framework.Autograd;
using MathNet.Numerics.LinearAlgebra;

namespace Tests.LinalgTests;

/// <summary>Linalg's errors (PyTorch 1.13's texts), shapes of every mode, the multi-output graph, and the MathNet interop.</summary>
public class LinalgTests
{
    private static Tensor M(double[,] values) => Tensor.From(values);
    private static readonly Tensor Singular = M(new double[,] { { 1, 2 }, { 2, 4 } });
    private static readonly Tensor Indefinite = M(new double[,] { { 1, 2 }, { 2, 1 } });

    private static void Throws<T>(string message, Action act) where T : Exception
        => Assert.Equal(message, Assert.Throws<T>(act).Message);

    [Fact]
    public void SingularMatrices_AreNamedWithTheirPivotAndBatchElement()
    {
        Throws<LinAlgException>("linalg.inv: The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.",
            () => Linalg.Inv(Singular));
        Throws<LinAlgException>("linalg.inv: (Batch element 1): The diagonal element 2 is zero, the inversion could not be completed because the input matrix is singular.",
            () => Linalg.Inv(Tensor.Stack([Tensor.Eye(2, dtype: DType.Float64), Singular])));
        Throws<LinAlgException>("torch.linalg.solve: The solver failed because the input matrix is singular.",
            () => Linalg.Solve(Singular, Tensor.Ones([2], DType.Float64)));
        Throws<LinAlgException>("torch.linalg.solve: (Batch element 1): The solver failed because the input matrix is singular.",
            () => Linalg.Solve(Tensor.Stack([Tensor.Eye(2, dtype: DType.Float64), Singular]), Tensor.Ones([2, 2], DType.Float64)));
    }

    [Fact]
    public void NonPositiveDefinite_NamesTheLeadingMinor()
    {
        Throws<LinAlgException>("linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).",
            () => Linalg.Cholesky(Indefinite));
        Throws<LinAlgException>("linalg.cholesky: (Batch element 1): The factorization could not be completed because the input is not positive-definite (the leading minor of order 2 is not positive-definite).",
            () => Linalg.Cholesky(Tensor.Stack([Tensor.Eye(2, dtype: DType.Float64), Indefinite])));
        Throws<LinAlgException>("linalg.cholesky: The factorization could not be completed because the input is not positive-definite (the leading minor of order 1 is not positive-definite).",
            () => Linalg.Cholesky(-Tensor.Eye(3, dtype: DType.Float64)));
    }

    [Fact]
    public void BadShapesAndDTypes_AreRefusedWithPyTorchsMessages()
    {
        var wide = Tensor.Ones([2, 3], DType.Float64);
        var vector = Tensor.Ones([3], DType.Float64);
        var ints = Tensor.Ones([2, 2], DType.Int64);
        Throws<ArgumentException>("linalg.inv: A must be batches of square matrices, but they are 2 by 3 matrices", () => Linalg.Inv(wide));
        Throws<ArgumentException>("linalg.inv: The input tensor A must have at least 2 dimensions.", () => Linalg.Inv(vector));
        Throws<ArgumentException>("linalg.inv: Expected a floating point or complex tensor as input. Got Long", () => Linalg.Inv(ints));
        Throws<ArgumentException>("linalg.det: A must be batches of square matrices, but they are 2 by 3 matrices", () => Linalg.Det(wide));
        Throws<ArgumentException>("linalg.det: The input tensor A must have at least 2 dimensions.", () => Linalg.Det(vector));
        Throws<ArgumentException>("linalg.slogdet: Expected a floating point or complex tensor as input. Got Long", () => Linalg.Slogdet(ints));
        Throws<ArgumentException>("linalg.cholesky: A must be batches of square matrices, but they are 2 by 3 matrices", () => Linalg.Cholesky(wide));
        Throws<ArgumentException>("linalg.cholesky: Expected a floating point or complex tensor as input. Got Long", () => Linalg.Cholesky(ints));
        Throws<ArgumentException>("linalg.qr: The input tensor A must have at least 2 dimensions.", () => Linalg.Qr(vector));
        Throws<ArgumentException>("qr received unrecognized mode 'x' but expected one of 'reduced' (default), 'r', or 'complete'", () => Linalg.Qr(wide, "x"));
        Throws<ArgumentException>("linalg.svd: The input tensor A must have at least 2 dimensions.", () => Linalg.Svd(vector));
        Throws<ArgumentException>("linalg.svd: Expected a floating point or complex tensor as input. Got Long", () => Linalg.Svd(ints));
        Throws<ArgumentException>("linalg.svd: The input tensor A must have at least 2 dimensions.", () => Linalg.Svdvals(vector));
        Throws<ArgumentException>("linalg.eigh: A must be batches of square matrices, but they are 2 by 3 matrices", () => Linalg.Eigh(wide));
        Throws<ArgumentException>("Expected UPLO argument to be 'L' or 'U', but got X", () => Linalg.Eigh(Tensor.Eye(2, dtype: DType.Float64), "X"));
        Throws<ArgumentException>("linalg.pinv(Double{[3]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types", () => Linalg.Pinv(vector));
        Throws<ArgumentException>("linalg.pinv(Long{[2, 2]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types", () => Linalg.Pinv(ints));
    }

    [Fact]
    public void Solve_RefusesMismatchedShapesAndDTypes()
    {
        var a = Tensor.Ones([2, 2], DType.Float64);
        Throws<ArgumentException>("linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)", () => Linalg.Solve(a, Tensor.Ones([3], DType.Float64)));
        Throws<ArgumentException>("linalg.solve: Incompatible shapes of A and B for the equation AX = B (2x2 and 3x2)", () => Linalg.Solve(a, Tensor.Ones([3, 2], DType.Float64)));
        Throws<ArgumentException>("linalg.solve: Expected A and B to have the same dtype, but found A of type Float and B of type Double instead",
            () => Linalg.Solve(Tensor.Ones(2, 2), Tensor.Ones([2], DType.Float64)));
        Throws<ArgumentException>("linalg.solve: The input tensor A must have at least 2 dimensions.", () => Linalg.Solve(Tensor.Ones(2), Tensor.Ones(2)));
        Throws<ArgumentException>("linalg.solve: Expected a floating point or complex tensor as input. Got Long",
            () => Linalg.Solve(Tensor.Ones([2, 2], DType.Int64), Tensor.Ones([2], DType.Int64)));
        var ex = Assert.Throws<ArgumentException>(() => Linalg.Solve(Tensor.Ones([2, 2, 2], DType.Float64), Tensor.Ones([3, 2, 1], DType.Float64)));
        Assert.StartsWith("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0", ex.Message);
    }

    [Fact]
    public void Lstsq_RefusesMismatchedShapes()
    {
        Throws<ArgumentException>("torch.linalg.lstsq: input.size(-2) should match other.size(-2)", () => Linalg.Lstsq(Tensor.Ones(3, 2), Tensor.Ones(4, 2)));
        Throws<ArgumentException>("torch.linalg.lstsq: input.size(-2) should match other.size(-1)", () => Linalg.Lstsq(Tensor.Ones(2, 3, 2), Tensor.Ones(3, 2)));
        Throws<ArgumentException>("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1",
            () => Linalg.Lstsq(Tensor.Ones(3, 2), Tensor.Ones(2, 3, 1)));
    }

    [Fact]
    public void Norms_RefuseBadOrdersDimsAndDTypes()
    {
        var a = Tensor.Ones(3, 3);
        Throws<ArgumentException>("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.", () => Linalg.MatrixNorm(Tensor.Ones(3)));
        Throws<ArgumentException>("linalg.matrix_norm: Order abc not supported.", () => Linalg.MatrixNorm(a, "abc"));
        Throws<ArgumentException>("linalg.matrix_norm: Order 3 not supported.", () => Linalg.MatrixNorm(a, 3));
        Throws<ArgumentException>("linalg.matrix_norm: dims must be different. Got (0, 0)", () => Linalg.MatrixNorm(a, dim: (0, 0)));
        Throws<ArgumentException>("linalg.matrix_norm: Expected a floating point or complex tensor as input. Got Long", () => Linalg.MatrixNorm(Tensor.Ones([3, 3], DType.Int64)));
        Assert.StartsWith("Dimension out of range (expected to be in range of [-2, 1], but got 2)",
            Assert.Throws<ArgumentOutOfRangeException>(() => Linalg.MatrixNorm(a, dim: (0, 2))).Message);
        Throws<ArgumentException>("amax(): Expected reduction dim -1 to have non-zero size.", () => Linalg.MatrixNorm(Tensor.Ones(2, 0), 2));
        Throws<ArgumentException>("linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long", () => Linalg.VectorNorm(Tensor.Ones([3], DType.Int64)));
        Throws<ArgumentException>("linalg.vector_norm cannot compute the inf norm on an empty tensor because the operation does not have an identity",
            () => Linalg.VectorNorm(Tensor.Ones(0), double.PositiveInfinity));
        Throws<ArgumentException>("dim 0 appears multiple times in the list of dims", () => Linalg.VectorNorm(Tensor.Ones(3), dim: [0, 0]));
        Assert.StartsWith("Dimension out of range (expected to be in range of [-1, 0], but got 3)",
            Assert.Throws<ArgumentOutOfRangeException>(() => Linalg.VectorNorm(Tensor.Ones(3), dim: [3])).Message);
    }

    [Fact]
    public void Qr_DerivativeErrors_AreRaisedInBackward()
    {
        var a = Tensor.Randn([3, 2], requiresGrad: true, dtype: DType.Float64);
        Throws<InvalidOperationException>("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.",
            () => Linalg.Qr(a, "r").R.Sum().Backward());
        Throws<InvalidOperationException>("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.",
            () => Linalg.Qr(a, "complete").Q.Sum().Backward());
    }

    [Fact]
    public void ModesGiveTorchsShapes()
    {
        var tall = Tensor.Randn([2, 5, 3], dtype: DType.Float64);
        var (q, r) = Linalg.Qr(tall);
        Assert.Equal([2, 5, 3], q.Shape); Assert.Equal([2, 3, 3], r.Shape);
        (q, r) = Linalg.Qr(tall, "complete");
        Assert.Equal([2, 5, 5], q.Shape); Assert.Equal([2, 5, 3], r.Shape);
        Assert.True(q.MatMul(r).AllClose(tall, atol: 1e-12));
        Assert.True(q.Transpose(-2, -1).MatMul(q).AllClose(Tensor.Eye(5, dtype: DType.Float64).Expand(2, 5, 5), atol: 1e-12));
        (q, r) = Linalg.Qr(tall, "r");
        Assert.Equal([0], q.Shape); Assert.Equal([2, 3, 3], r.Shape);
        var (u, s, vh) = Linalg.Svd(tall);
        Assert.Equal([2, 5, 5], u.Shape); Assert.Equal([2, 3], s.Shape); Assert.Equal([2, 3, 3], vh.Shape);
        (u, s, vh) = Linalg.Svd(tall.Transpose(-2, -1), fullMatrices: false);
        Assert.Equal([2, 3, 3], u.Shape); Assert.Equal([2, 3, 5], vh.Shape);
        Assert.True((u * s.Unsqueeze(-2)).MatMul(vh).AllClose(tall.Transpose(-2, -1), atol: 1e-12));
        var res = Linalg.Lstsq(tall, Tensor.Randn([2, 5, 2], dtype: DType.Float64));
        Assert.Equal([2, 3, 2], res.Solution.Shape);
        Assert.Equal([0], res.Residuals.Shape);
        Assert.Equal([0], res.SingularValues.Shape);
        Assert.Equal(DType.Int64, res.Rank.DType);
        Assert.Equal([3L, 3L], res.Rank.ToArray<long>());
        Assert.Equal([1.0, 1.0], Linalg.Det(Tensor.Ones([2, 0, 0], DType.Float64)).ToArray<double>());
        Assert.Equal(DType.Float32, Linalg.Inv(Tensor.Eye(2)).DType);
        // Empty matrices give empty results, as in PyTorch.
        Assert.Equal([0, 0], Linalg.Inv(Tensor.Zeros([0, 0], DType.Float64)).Shape);
        Assert.Equal([2, 0, 0], Linalg.Cholesky(Tensor.Zeros([2, 0, 0], DType.Float64)).Shape);
        Assert.Equal([0, 2], Linalg.Solve(Tensor.Zeros([0, 0], DType.Float64), Tensor.Zeros([0, 2], DType.Float64)).Shape);
        var (q0, r0) = Linalg.Qr(Tensor.Zeros([0, 3], DType.Float64));
        Assert.Equal([0, 0], q0.Shape); Assert.Equal([0, 3], r0.Shape);
        Assert.Equal([2, 0], Linalg.Svdvals(Tensor.Zeros([2, 0, 3], DType.Float64)).Shape);
    }

    [Fact]
    public void EveryOutputOfAMultiOutputOp_CarriesTheOpsGradFn()
    {
        var a = Tensor.Randn([3, 3], requiresGrad: true, dtype: DType.Float64);
        var (u, s, vh) = Linalg.Svd(a);
        Assert.All(new[] { u, s, vh }, t => Assert.Equal("LinalgSvdBackward0", t.GradFn!.Name));
        var (q, r) = Linalg.Qr(a);
        Assert.All(new[] { q, r }, t => Assert.Equal("LinalgQrBackward0", t.GradFn!.Name));
        var (l, v) = Linalg.Eigh(a);
        Assert.All(new[] { l, v }, t => Assert.Equal("LinalgEighBackward0", t.GradFn!.Name));
        var (sign, logabs) = Linalg.Slogdet(a);
        Assert.All(new[] { sign, logabs }, t => Assert.Equal("LinalgSlogdetBackward0", t.GradFn!.Name));
        Assert.Equal("LinalgSvdBackward0", Linalg.Svdvals(a).GradFn!.Name);
        Assert.Equal("SumBackward1", Linalg.MatrixNorm(a, "nuc").GradFn!.Name);
        Assert.Equal("AmaxBackward0", Linalg.MatrixNorm(a, 2).GradFn!.Name);
        Assert.Equal("AminBackward0", Linalg.MatrixNorm(a, -1).GradFn!.Name);
        Assert.Equal("LinalgVectorNormBackward0", Linalg.MatrixNorm(a).GradFn!.Name);
        Assert.Equal("LinalgLstsqBackward0", Linalg.Lstsq(a, a).Solution.GradFn!.Name);
        Assert.Equal("LinalgCholeskyExBackward0", Linalg.Cholesky(a.MatMul(a.T()) + 1).GradFn!.Name);
    }

    [Fact]
    public void DetOfASingularMatrix_DifferentiatesTwiceThroughTheAdjugate()
    {
        // 1.13: a plain backward gives 0 at det = 0; under createGraph the SVD path gives the adjugate (here rank 2: non-zero).
        var a = Tensor.From(new double[,] { { 1, 2, 3 }, { 2, 4, 6 }, { 1, 0, 1 } }).RequiresGrad_();
        var g = Autograd.Grad([Linalg.Det(a)], [a], createGraph: true)[0]!;
        var expected = new double[] { 4, 4, -4, -2, -2, 2, 0, 0, 0 };
        var got = g.ToArray<double>();
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], got[i], 1e-12);
        // Its own derivative: the adjugate's entries are 2×2 minors, so ∂C₀₀/∂A₀₀ = 0 and ∂C₀₀/∂A₁₁ = a₂₂ = 1.
        var gg = Autograd.Grad([g[0, 0]], [a])[0]!.ToArray<double>();
        Assert.Equal(0, gg[0], 1e-12);
        Assert.Equal(1, gg[4], 1e-12);
    }

    [Fact]
    public void MathNet_RoundTrips()
    {
        var m = Matrix<double>.Build.DenseOfArray(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        var t = Tensor.From(m);
        Assert.Equal(DType.Float64, t.DType);
        Assert.Equal([2, 3], t.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], t.ToArray<double>());
        Assert.Equal(m, t.ToMatrix());
        Assert.Equal(m.Transpose(), t.T().ToMatrix());           // a view is copied in its own order
        var v = Vector<double>.Build.Dense([1.5, -2]);
        Assert.Equal([2], Tensor.From(v).Shape);
        Assert.Equal(v, Tensor.From(v).ToVector());
        Assert.Equal(v, Tensor.From(new float[] { 1.5f, -2f }).ToVector());   // Float32 converts
        var mf = Matrix<float>.Build.Dense(2, 2, 0.5f);
        Assert.Equal(DType.Float32, Tensor.From(mf).DType);
        Assert.Equal(DType.Float32, Tensor.From(Vector<float>.Build.Dense(3)).DType);
    }

    [Fact]
    public void MathNet_RefusesOtherRanksAndDTypes()
    {
        Throws<InvalidOperationException>("ToMatrix() expects a 2-d tensor, but got a tensor of shape [3] (1-d)", () => Tensor.Ones(3).ToMatrix());
        Throws<InvalidOperationException>("ToMatrix() expects a 2-d tensor, but got a tensor of shape [1, 2, 3] (3-d)", () => Tensor.Ones(1, 2, 3).ToMatrix());
        Throws<InvalidOperationException>("ToVector() expects a 1-d tensor, but got a tensor of shape [2, 2] (2-d)", () => Tensor.Ones(2, 2).ToVector());
        Throws<InvalidOperationException>("ToMatrix() expects a floating point tensor, but got torch.int64 (shape [2, 2])", () => Tensor.Ones([2, 2], DType.Int64).ToMatrix());
    }
}
