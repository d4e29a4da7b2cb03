using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Tests.Kernels;

/// <summary>Checks the batched GEMM (every path, split over cores or not) and Bmm/Baddbmm/batched MatMul on strided batches against the double definition.</summary>
[Collection("Gemm backend")]
public class GemmShapesBatchedTests
{
    /// <summary>Item shapes: the attention products, tile edges, a depth past one block, and one item big enough for the unbatched kernels.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (32, 32, 16), (32, 16, 32), (16, 32, 32), (7, 17, 9), (13, 31, 5), (6, 64, 257), (64, 10, 70), (130, 129, 131),
    ];

    /// <summary>alpha·op(A_i)·op(B_i) + beta·C_i in double for every item (beta = 0 ignores C).</summary>
    private static double[] Reference<T>(int batch, bool ta, bool tb, int m, int n, int k, double alpha, T[] a, long sa, int lda,
        T[] b, long sb, int ldb, double beta, T[] c, long sc, int ldc) where T : System.Numerics.INumber<T>
    {
        var r = new double[batch * m * n];
        for (int q = 0; q < batch; q++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++)
                        s += double.CreateChecked(a[q * sa + (ta ? p * lda + i : i * lda + p)]) * double.CreateChecked(b[q * sb + (tb ? j * ldb + p : p * ldb + j)]);
                    r[(q * m + i) * n + j] = alpha * s + (beta == 0 ? 0 : beta * double.CreateChecked(c[q * sc + i * ldc + j]));
                }
        return r;
    }

    /// <summary>Runs every shape, transpose pair, batch size (0, 1, odd), broadcast operand (stride 0), padding and (alpha, beta) in T.</summary>
    private static void Check<T>(int seed, double tol, string path, bool bigToo = false) where T : unmanaged, System.Numerics.INumber<T>
    {
        var rng = new System.Random(seed);
        T[] Fill(long len) { var x = new T[len]; for (long i = 0; i < len; i++) x[i] = T.CreateTruncating(rng.Next(-8, 9) / 4.0 + (typeof(T) == typeof(long) ? 0 : rng.NextDouble() - 0.5)); return x; }
        foreach (var (m, n, k) in Shapes)
            foreach (int batch in new[] { 0, 1, 5 })
                foreach (bool ta in new[] { false, true })
                    foreach (bool tb in new[] { false, true })
                        foreach (var (pad, alpha, beta, shared) in new[] { (0, 1.0, 0.0, 0), (3, 1.0, 1.0, 1), (1, -0.75, 1.5, 2), (2, 2.0, 0.0, 0) })
                        {
                            // The item past SmallGemm's size limit only matters where the size decides the path; check it briefly.
                            if ((long)m * n * k >= Gemm.SmallLimit && (!bigToo || batch == 1 || pad == 0 || pad == 2)) continue;
                            if (typeof(T) == typeof(long) && (alpha != Math.Round(alpha) || beta != Math.Round(beta))) continue;
                            int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                            long itemA = (ta ? k : m) * lda + pad, itemB = (tb ? n : k) * ldb + 2 * pad, itemC = m * ldc + pad;
                            long sa = shared == 1 ? 0 : itemA, sb = shared == 2 ? 0 : itemB;   // stride 0: one matrix for every item
                            var a = Fill(Math.Max(1, batch) * itemA); var b = Fill(Math.Max(1, batch) * itemB); var c = Fill(Math.Max(1, batch) * itemC);
                            if (beta == 0 && typeof(T) != typeof(long)) Array.Fill(c, T.CreateTruncating(double.NaN));
                            var want = Reference(batch, ta, tb, m, n, k, alpha, a, sa, lda, b, sb, ldb, beta, c, itemC, ldc);
                            var got = (T[])c.Clone();
                            Gemm.RunBatched(batch, ta, tb, m, n, k, T.CreateTruncating(alpha), a, sa, lda, b, sb, ldb, T.CreateTruncating(beta), got, itemC, ldc);
                            for (long q = 0; q < Math.Max(1, batch); q++)
                                for (int i = 0; i < itemC; i++)
                                {
                                    long at = q * itemC + i;
                                    int row = i / ldc, col = i % ldc;
                                    if (batch == 0 || row >= m || col >= n)
                                    {
                                        // Padding of C and every item of an empty batch are never written.
                                        if (!got[at].Equals(c[at])) Assert.Fail($"{path} wrote C[{at}] outside the items (batch={batch}, {m}x{n}x{k})");
                                        continue;
                                    }
                                    double g = double.CreateChecked(got[at]), w = want[(q * m + row) * n + col];
                                    if (!(Math.Abs(w - g) <= tol * (Math.Abs(w) + Math.Sqrt(k))))
                                        Assert.Fail($"{path} {typeof(T).Name} batch={batch} ta={ta} tb={tb} {m}x{n}x{k} pad={pad} alpha={alpha} beta={beta} shared={shared} item {q} C[{row},{col}]={g}, want {w}");
                                }
                        }
    }

    /// <summary>Runs body under a backend, a forced SmallGemm choice, a forced vector width and a batch split threshold, restoring all four.</summary>
    private static void With(GemmBackend be, bool? small, int width, long splitWork, Action body)
    {
        var (oldBe, oldSmall, oldWidth, oldSplit) = (Gemm.Backend, Gemm.ForceSmall, SmallGemm.ForcedWidth, Gemm.BatchParallelWork);
        try { Gemm.Backend = be; Gemm.ForceSmall = small; SmallGemm.ForcedWidth = width; Gemm.BatchParallelWork = splitWork; body(); }
        finally { Gemm.Backend = oldBe; Gemm.ForceSmall = oldSmall; SmallGemm.ForcedWidth = oldWidth; Gemm.BatchParallelWork = oldSplit; }
    }

    /// <summary>Every SmallGemm width this machine runs, with the items split over the cores (threshold 1) and on one thread.</summary>
    public static TheoryData<int, long> WidthsAndSplits()
    {
        var d = new TheoryData<int, long>();
        foreach (int w in new[] { 512, 256, 128 })
            if (w <= SmallGemm.Width) { d.Add(w, 1); d.Add(w, long.MaxValue); }
        return d;
    }

    [Theory]
    [MemberData(nameof(WidthsAndSplits))]
    public void SmallBatched_EveryWidthAndSplit_MatchesDefinition(int width, long split)
    {
        With(GemmBackend.Managed, true, width, split, () =>
        {
            Check<float>(width, 1e-5, $"small/{width}/{split}");
            Check<double>(width + 1, 1e-12, $"small/{width}/{split}");
        });
    }

    [Fact]
    public void PackedAndAutoBatched_MatchDefinition()
    {
        With(GemmBackend.Managed, false, 0, 1, () => { Check<float>(41, 1e-5, "packed"); Check<double>(42, 1e-12, "packed"); });
        With(GemmBackend.Auto, null, 0, 1, () => { Check<float>(43, 1e-5, "auto", true); Check<double>(44, 1e-12, "auto", true); });
        if (Gemm.OpenBlasAvailable)
            With(GemmBackend.OpenBlas, null, 0, 1, () => { Check<float>(45, 1e-5, "openblas", true); Check<double>(46, 1e-12, "openblas"); });
    }

    [Fact]
    public void IntegerBatched_IsExact()
    {
        With(GemmBackend.Auto, null, 0, 1, () => Check<long>(47, 0, "int64"));
    }

    [Fact]
    public void Batched_BadArguments_Throw()
    {
        var x = new float[16];
        Assert.Equal("GEMM batch must be non-negative (batch=-1).",
            Assert.Throws<ArgumentException>(() => Gemm.RunBatched(-1, false, false, 2, 2, 2, 1f, x, 4, 2, x, 4, 2, 0f, x, 4, 2)).Message);
        Assert.Equal("GEMM batch strides must be non-negative (A -4, B 4, C 4).",
            Assert.Throws<ArgumentException>(() => Gemm.RunBatched(2, false, false, 2, 2, 2, 1f, x, -4, 2, x, 4, 2, 0f, x, 4, 2)).Message);
        Assert.Equal("GEMM: item 5 of A starts at element 20 with batch stride 4, past its span's 16 elements.",
            Assert.Throws<ArgumentException>(() => Gemm.RunBatched(6, false, false, 2, 2, 2, 1f, x, 4, 2, x, 0, 2, 0f, new float[24], 4, 2)).Message);
        Assert.Equal("GEMM: the batch stride of C (2) is smaller than one 2×2 item with leading dimension 2.",
            Assert.Throws<ArgumentException>(() => Gemm.RunBatched(2, false, false, 2, 2, 2, 1f, x, 4, 2, x, 4, 2, 0f, x, 2, 2)).Message);
    }

    /// <summary>alpha·a_i·b_i + beta·bias_i per item in double, from the tensors' logical values.</summary>
    private static double[] Bmm(Tensor a, Tensor b, Tensor? bias, double alpha, double beta)
    {
        int bs = a.Shape[0], m = a.Shape[1], k = a.Shape[2], n = b.Shape[2];
        var av = a.Contiguous().ToArray<double>(); var bv = b.Contiguous().ToArray<double>();
        var cv = bias?.Expand(bs, m, n).Contiguous().ToArray<double>();
        var r = new double[bs * m * n];
        for (int q = 0; q < bs; q++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double s = 0;
                    for (int p = 0; p < k; p++) s += av[(q * m + i) * k + p] * bv[(q * k + p) * n + j];
                    r[(q * m + i) * n + j] = alpha * s + (cv is null || beta == 0 ? 0 : beta * cv[(q * m + i) * n + j]);
                }
        return r;
    }

    private static void Near(double[] want, Tensor got, double tol)
    {
        var g = got.Contiguous().ToArray<double>();
        Assert.Equal(want.Length, g.Length);
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], g[i], tol * Math.Abs(want[i]) + tol);
    }

    [Fact]
    public void Bmm_OnMultiheadAttentionViews_MatchesDefinition()
    {
        // The layouts MultiheadAttention hands to bmm: (L, N·H, E) views transposed to (N·H, L, E), so an item's rows are
        // N·H·E apart and items only E apart; keys transposed once more; plus a broadcast batch and a batch of 1.
        Tensor.ManualSeed(7);
        int l = 9, bh = 6, e = 5;
        var q = Tensor.Randn([l, bh, e], dtype: DType.Float64).Transpose(0, 1);
        var k = Tensor.Randn([l, bh, e], dtype: DType.Float64).Transpose(0, 1);
        var v = Tensor.Randn([l, bh, e], dtype: DType.Float64).Transpose(0, 1);
        var kt = k.Transpose(-2, -1);
        Near(Bmm(q, kt, null, 1, 0), q.Bmm(kt), 1e-12);
        var p = q.Bmm(kt).Softmax(-1);
        Near(Bmm(p, v, null, 1, 0), p.Bmm(v), 1e-12);
        Near(Bmm(p.Transpose(1, 2), q, null, 1, 0), p.Transpose(1, 2).Bmm(q), 1e-12);
        var w = Tensor.Randn([1, e, 4], dtype: DType.Float64).Expand(bh, e, 4);          // batch stride 0
        Near(Bmm(q, w, null, 1, 0), q.Bmm(w), 1e-12);
        var one = Tensor.Randn([1, 3, 4], dtype: DType.Float64);
        Near(Bmm(one, one.Transpose(1, 2), null, 1, 0), one.Bmm(one.Transpose(1, 2)), 1e-12);
        var mask = Tensor.Randn([l, l], dtype: DType.Float64);
        Near(Bmm(q, kt, mask, 0.5, 2), mask.Baddbmm(q, kt, 2, 0.5), 1e-12);
        Near(Bmm(q, kt, mask, 1, 1), mask.Baddbmm(q, kt), 1e-12);
        var nan = Tensor.Full([bh, l, l], double.NaN, DType.Float64);
        Near(Bmm(q, kt, null, -1, 0), nan.Baddbmm(q, kt, 0, -1), 1e-12);
    }

    [Fact]
    public void Bmm_FloatAndEmptyBatches_MatchDefinition()
    {
        Tensor.ManualSeed(8);
        var a = Tensor.Randn([128, 16, 32]).Transpose(1, 2);   // 32×16 items stored transposed
        var b = Tensor.Randn([128, 16, 32]);
        var want = Bmm(a.To(DType.Float64), b.To(DType.Float64), null, 1, 0);
        var got = a.Bmm(b).To(DType.Float64).ToArray<double>();
        for (int i = 0; i < want.Length; i++) Assert.Equal(want[i], got[i], 1e-5 * Math.Abs(want[i]) + 1e-5);
        Assert.Equal([0, 3, 4], Tensor.Zeros([0, 3, 2]).Bmm(Tensor.Zeros([0, 2, 4])).Shape);
        var zeroK = Tensor.Ones([2, 3, 0]).Bmm(Tensor.Ones([2, 0, 4]));
        Assert.All(zeroK.ToArray<float>(), x => Assert.Equal(0f, x));
        Assert.All(Tensor.Full([2, 3, 4], 5.0).Baddbmm(Tensor.Ones([2, 3, 0]), Tensor.Ones([2, 0, 4]), 0.5, 2).ToArray<float>(), x => Assert.Equal(2.5f, x));
    }

    [Fact]
    public void BmmBackward_GivesTransposedProducts()
    {
        // Backward issues batched products with a transposed operand on each side.
        Tensor.ManualSeed(9);
        var a = Tensor.Randn([4, 3, 5], requiresGrad: true, dtype: DType.Float64);
        var b = Tensor.Randn([4, 5, 2], requiresGrad: true, dtype: DType.Float64);
        var g = Tensor.Randn([4, 3, 2], dtype: DType.Float64);
        a.Bmm(b).Backward(g);
        Near(Bmm(g, b.Detach().Transpose(1, 2), null, 1, 0), a.Grad!, 1e-12);
        Near(Bmm(a.Detach().Transpose(1, 2), g, null, 1, 0), b.Grad!, 1e-12);
    }
}
