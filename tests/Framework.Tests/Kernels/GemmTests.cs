using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Tests.Kernels;

/// <summary>Checks Gemm.Run against a naive triple loop for both backends, all transposes, odd shapes, strides, alpha/beta.</summary>
[Collection("Gemm backend")]
public class GemmTests
{
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (2, 5, 3), (3, 3, 3), (8, 9, 10), (7, 7, 7), (17, 17, 17), (33, 33, 33), (65, 65, 65), (130, 130, 130),
        (1, 17, 5), (17, 1, 9), (7, 33, 1), (13, 70, 29), (65, 7, 130), (40, 37, 260), (20, 90, 50),
    ];

    /// <summary>Reference alpha * op(A) * op(B) + beta * C in double; beta == 0 ignores C.</summary>
    private static double[] Reference<T>(bool ta, bool tb, int m, int n, int k, double alpha, T[] a, int lda, T[] b, int ldb, double beta, T[] c, int ldc)
        where T : System.Numerics.INumber<T>
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += double.CreateChecked(a[ta ? p * lda + i : i * lda + p]) * double.CreateChecked(b[tb ? j * ldb + p : p * ldb + j]);
                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * double.CreateChecked(c[i * ldc + j]));
            }
        return r;
    }

    private static (int Lda, int Ldb, int Ldc, int ALen, int BLen, int CLen) Layout(bool ta, bool tb, int m, int n, int k, int pad)
    {
        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        return (lda, ldb, ldc, (ta ? k : m) * lda, (tb ? n : k) * ldb, m * ldc);
    }

    /// <summary>Runs every shape and transpose combination in float against the reference.</summary>
    private static void CheckFloat(int seed)
    {
        var rng = new System.Random(seed);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    for (int pad = 0; pad <= 3; pad += 3)
                    {
                        var (lda, ldb, ldc, aLen, bLen, cLen) = Layout(ta, tb, m, n, k, pad);
                        var a = Fill(rng, aLen); var b = Fill(rng, bLen); var c = Fill(rng, cLen);
                        float alpha = pad == 0 ? 1f : -0.75f, beta = pad == 0 ? 0f : 1.5f;
                        if (beta == 0) Array.Fill(c, float.NaN);
                        var want = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                        var got = (float[])c.Clone();
                        Gemm.Run(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, got, ldc);
                        for (int i = 0; i < m; i++)
                        {
                            for (int j = 0; j < n; j++)
                            {
                                double w = want[i * n + j], g = got[i * ldc + j];
                                if (!(Math.Abs(w - g) <= 1e-4 * (Math.Abs(w) + Math.Sqrt(k))))
                                    Assert.Fail($"{Gemm.Backend} ta={ta} tb={tb} {m}x{n}x{k} pad={pad} C[{i},{j}]={g}, want {w}");
                            }
                            for (int j = n; j < ldc; j++) // padding untouched
                                if (!c[i * ldc + j].Equals(got[i * ldc + j])) Assert.Fail($"padding C[{i},{j}] was overwritten");
                        }
                    }
    }

    /// <summary>Runs every shape and transpose combination in double against the reference.</summary>
    private static void CheckDouble(int seed)
    {
        var rng = new System.Random(seed);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var (lda, ldb, ldc, aLen, bLen, cLen) = Layout(ta, tb, m, n, k, 2);
                    var a = FillD(rng, aLen); var b = FillD(rng, bLen); var c = FillD(rng, cLen);
                    var want = Reference(ta, tb, m, n, k, 0.5, a, lda, b, ldb, -2.0, c, ldc);
                    Gemm.Run(ta, tb, m, n, k, 0.5, a, lda, b, ldb, -2.0, c, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            if (!(Math.Abs(want[i * n + j] - c[i * ldc + j]) <= 1e-12 * (Math.Abs(want[i * n + j]) + k)))
                                Assert.Fail($"{Gemm.Backend} ta={ta} tb={tb} {m}x{n}x{k} C[{i},{j}]");
                }
    }

    private static float[] Fill(System.Random rng, int len)
    {
        var x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static double[] FillD(System.Random rng, int len)
    {
        var x = new double[len];
        for (int i = 0; i < len; i++) x[i] = rng.NextDouble() * 2 - 1;
        return x;
    }

    /// <summary>Runs body with the given backend and restores the previous one.</summary>
    private static void With(GemmBackend be, Action body)
    {
        var old = Gemm.Backend;
        try { Gemm.Backend = be; body(); }
        finally { Gemm.Backend = old; }
    }

    [Fact]
    public void ManagedFloat() => With(GemmBackend.Managed, () => CheckFloat(1));

    [Fact]
    public void ManagedSplitOverCores_MatchesReference()
    {
        long saved = ManagedGemm.ParallelThreshold;
        ManagedGemm.ParallelThreshold = 1;   // every product takes the multi-core path
        try
        {
            With(GemmBackend.Managed, () => CheckFloat(11));
            With(GemmBackend.Managed, () => CheckDouble(12));
        }
        finally { ManagedGemm.ParallelThreshold = saved; }
    }

    [Fact]
    public void ManagedDouble() => With(GemmBackend.Managed, () => CheckDouble(2));

    [SkippableFact]
    public void OpenBlasFloat()
    {
        Skip.IfNot(Gemm.OpenBlasAvailable, "libopenblas is not installed");
        With(GemmBackend.OpenBlas, () => CheckFloat(3));
    }

    [SkippableFact]
    public void OpenBlasDouble()
    {
        Skip.IfNot(Gemm.OpenBlasAvailable, "libopenblas is not installed");
        With(GemmBackend.OpenBlas, () => CheckDouble(4));
    }

    [Fact]
    public void AutoFloatAndDouble()
    {
        CheckFloat(5);
        CheckDouble(6);
    }

    [Fact]
    public void ManagedLargeParallelMatchesReference()
    {
        // Large enough to take the multi-threaded, multi-block path (several kc and mc blocks).
        With(GemmBackend.Managed, () =>
        {
            int m = 200, n = 70, k = 300;
            var rng = new System.Random(7);
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var (lda, ldb, ldc, aLen, bLen, cLen) = Layout(ta, tb, m, n, k, 1);
                    var a = Fill(rng, aLen); var b = Fill(rng, bLen); var c = Fill(rng, cLen);
                    var want = Reference(ta, tb, m, n, k, 2.0, a, lda, b, ldb, 0.25, c, ldc);
                    Gemm.Run(ta, tb, m, n, k, 2f, a, lda, b, ldb, 0.25f, c, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            Assert.True(Math.Abs(want[i * n + j] - c[i * ldc + j]) <= 1e-4 * (Math.Abs(want[i * n + j]) + Math.Sqrt(k)));
                }
        });
    }

    [Fact]
    public void KZeroScalesC()
    {
        foreach (var be in Backends())
            With(be, () =>
            {
                float[] c = [1, 2, 3, 4, 5, 6];
                Gemm.Run(false, false, 2, 3, 0, 1f, ReadOnlySpan<float>.Empty, 1, ReadOnlySpan<float>.Empty, 3, 2f, c, 3);
                Assert.Equal([2f, 4, 6, 8, 10, 12], c);
                double[] d = [double.NaN, 1];
                Gemm.Run(true, true, 1, 2, 0, 1.0, ReadOnlySpan<double>.Empty, 1, ReadOnlySpan<double>.Empty, 1, 0.0, d, 2);
                Assert.Equal([0.0, 0.0], d);
                long[] l = [3, 4];
                Gemm.Run(false, false, 2, 1, 0, 5L, ReadOnlySpan<long>.Empty, 1, ReadOnlySpan<long>.Empty, 1, -1L, l, 1);
                Assert.Equal([-3L, -4], l);
            });
    }

    [Fact]
    public void EmptyMOrNIsANoOp()
    {
        float[] c = [7];
        Gemm.Run(false, false, 0, 5, 3, 1f, ReadOnlySpan<float>.Empty, 3, new float[15], 5, 0f, Span<float>.Empty, 5);
        Gemm.Run(false, false, 1, 0, 3, 1f, new float[3], 3, ReadOnlySpan<float>.Empty, 1, 0f, c.AsSpan(0, 0), 1);
        Assert.Equal(7f, c[0]);
    }

    [Fact]
    public void BetaZeroIgnoresNaNInC()
    {
        foreach (var be in Backends())
            With(be, () =>
            {
                foreach (int s in new[] { 2, 40 }) // below and above the small-product cutoff
                {
                    var a = new float[s * s]; var b = new float[s * s]; var c = new float[s * s];
                    Array.Fill(a, 1f); Array.Fill(b, 1f); Array.Fill(c, float.NaN);
                    Gemm.Run(false, false, s, s, s, 1f, a, s, b, s, 0f, c, s);
                    Assert.All(c, x => Assert.Equal(s, x));
                    var d = new double[s * s]; var e = new double[s * s]; var f = new double[s * s];
                    Array.Fill(d, 2.0); Array.Fill(e, 1.0); Array.Fill(f, double.NaN);
                    Gemm.Run(true, true, s, s, s, 0.5, d, s, e, s, 0.0, f, s);
                    Assert.All(f, x => Assert.Equal(s, x));
                }
            });
    }

    [Fact]
    public void LongMatchesReference()
    {
        var rng = new System.Random(8);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    var (lda, ldb, ldc, aLen, bLen, cLen) = Layout(ta, tb, m, n, k, 1);
                    var a = new long[aLen]; var b = new long[bLen]; var c = new long[cLen];
                    for (int i = 0; i < aLen; i++) a[i] = rng.Next(-9, 10);
                    for (int i = 0; i < bLen; i++) b[i] = rng.Next(-9, 10);
                    for (int i = 0; i < cLen; i++) c[i] = rng.Next(-9, 10);
                    var want = new long[m * n];
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                        {
                            long s = 0;
                            for (int p = 0; p < k; p++) s += a[ta ? p * lda + i : i * lda + p] * b[tb ? j * ldb + p : p * ldb + j];
                            want[i * n + j] = 3 * s - 2 * c[i * ldc + j];
                        }
                    Gemm.Run(ta, tb, m, n, k, 3L, a, lda, b, ldb, -2L, c, ldc);
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++)
                            if (want[i * n + j] != c[i * ldc + j]) Assert.Fail($"ta={ta} tb={tb} {m}x{n}x{k} C[{i},{j}]={c[i * ldc + j]}, want {want[i * n + j]}");
                }
    }

    [Fact]
    public void ShortSpansAndBadLeadingDimensionsThrow()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Run(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Contains("A", ex.Message);
        Assert.Throws<ArgumentException>(() => Gemm.Run(false, true, 2, 2, 3, 1.0, new double[6], 3, new double[5], 3, 0.0, new double[4], 2));
        Assert.Throws<ArgumentException>(() => Gemm.Run(false, false, 2, 2, 2, 1f, new float[4], 2, new float[4], 2, 0f, new float[3], 2));
        Assert.Throws<ArgumentException>(() => Gemm.Run(true, false, 3, 2, 2, 1f, new float[6], 2, new float[4], 2, 0f, new float[6], 2));
        // The last row only needs its own columns, not a full leading dimension.
        Gemm.Run(false, false, 2, 2, 2, 1f, new float[5], 3, new float[4], 2, 0f, new float[4], 2);
    }

    [Fact]
    public void BackendDefaultsToAutoAndRejectsMissingOpenBlas()
    {
        Assert.Equal(GemmBackend.Auto, Gemm.Backend);
        if (Gemm.OpenBlasAvailable) With(GemmBackend.OpenBlas, () => Assert.Equal(GemmBackend.OpenBlas, Gemm.Backend));
        else Assert.Throws<InvalidOperationException>(() => Gemm.Backend = GemmBackend.OpenBlas);
        Assert.Equal(GemmBackend.Auto, Gemm.Backend);
    }

    private static GemmBackend[] Backends() => Gemm.OpenBlasAvailable ? [GemmBackend.Managed, GemmBackend.OpenBlas] : [GemmBackend.Managed];
}
