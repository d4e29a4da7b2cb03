using Framework.Autograd;
using Framework.Autograd.Kernels;

namespace Tests.Kernels;

/// <summary>Checks every GEMM path (SmallGemm at each vector width the machine runs, the packed managed kernel, Auto) against the double definition.</summary>
[Collection("Gemm backend")]
public class GemmShapesTests
{
    /// <summary>Edges of every tile (6/12 rows, 2·w columns for w = 2..16), depth blocks past 256, skinny and model shapes.</summary>
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (1, 16, 3), (5, 7, 2), (6, 16, 8), (7, 17, 9), (12, 32, 5), (13, 31, 17), (11, 8, 33), (25, 48, 40),
        (6, 64, 257), (7, 4, 300), (3, 33, 513), (64, 10, 70), (10, 40, 64), (32, 32, 16), (32, 16, 32), (70, 27, 64), (40, 96, 20),
    ];

    /// <summary>alpha·op(A)·op(B) + beta·C in double (beta = 0 ignores C).</summary>
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

    /// <summary>Runs all shapes, transposes, paddings and (alpha, beta) pairs in T under the current thread's settings.</summary>
    private static void Check<T>(int seed, double tol, string path) where T : unmanaged, System.Numerics.IFloatingPoint<T>
    {
        var rng = new System.Random(seed);
        T[] Fill(int len) { var x = new T[len]; for (int i = 0; i < len; i++) x[i] = T.CreateChecked(rng.NextDouble() * 2 - 1); return x; }
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    foreach (var (pad, alpha, beta) in new[] { (0, 1.0, 0.0), (3, 1.0, 1.0), (1, -0.75, 1.5), (2, 2.0, 0.0) })
                    {
                        int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
                        var a = Fill((ta ? k : m) * lda); var b = Fill((tb ? n : k) * ldb); var c = Fill(m * ldc);
                        if (beta == 0) Array.Fill(c, T.CreateChecked(double.NaN));
                        var want = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                        var got = (T[])c.Clone();
                        Gemm.Run(ta, tb, m, n, k, T.CreateChecked(alpha), a, lda, b, ldb, T.CreateChecked(beta), got, ldc);
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < ldc; j++)
                            {
                                double g = double.CreateChecked(got[i * ldc + j]);
                                if (j >= n)
                                {
                                    // Padding columns of C are never written.
                                    if (!got[i * ldc + j].Equals(c[i * ldc + j])) Assert.Fail($"{path} wrote C[{i},{j}] past n={n}");
                                    continue;
                                }
                                double w = want[i * n + j];
                                if (!(Math.Abs(w - g) <= tol * (Math.Abs(w) + Math.Sqrt(k))))
                                    Assert.Fail($"{path} {typeof(T).Name} ta={ta} tb={tb} {m}x{n}x{k} pad={pad} alpha={alpha} beta={beta} C[{i},{j}]={g}, want {w}");
                            }
                    }
    }

    /// <summary>Runs body under a backend, a forced SmallGemm choice and a forced vector width, restoring all three.</summary>
    private static void With(GemmBackend be, bool? small, int width, Action body)
    {
        var (oldBe, oldSmall, oldWidth) = (Gemm.Backend, Gemm.ForceSmall, SmallGemm.ForcedWidth);
        try { Gemm.Backend = be; Gemm.ForceSmall = small; SmallGemm.ForcedWidth = width; body(); }
        finally { Gemm.Backend = oldBe; Gemm.ForceSmall = oldSmall; SmallGemm.ForcedWidth = oldWidth; }
    }

    /// <summary>The vector widths this machine can run SmallGemm at (128 always).</summary>
    public static TheoryData<int> Widths()
    {
        var d = new TheoryData<int>();
        foreach (int w in new[] { 512, 256, 128 }) if (w <= SmallGemm.Width) d.Add(w);
        return d;
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SmallGemm_EveryWidth_MatchesDefinition(int width)
    {
        With(GemmBackend.Managed, true, width, () =>
        {
            Check<float>(width, 1e-5, $"SmallGemm/{width}");
            Check<double>(width + 1, 1e-12, $"SmallGemm/{width}");
        });
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void SmallGemm_SplitOverCores_MatchesDefinition(int width)
    {
        long saved = Gemm.SmallParallelWork;
        Gemm.SmallParallelWork = 1;   // every SmallGemm product is split (by panels or by row tiles, whichever has enough)
        try
        {
            With(GemmBackend.Managed, true, width, () =>
            {
                Check<float>(width + 2, 1e-5, $"SmallGemm-split/{width}");
                Check<double>(width + 3, 1e-12, $"SmallGemm-split/{width}");
            });
        }
        finally { Gemm.SmallParallelWork = saved; }
    }

    [Fact]
    public void PackedManaged_MatchesDefinition()
    {
        With(GemmBackend.Managed, false, 0, () =>
        {
            Check<float>(21, 1e-5, "packed");
            Check<double>(22, 1e-12, "packed");
        });
    }

    [Fact]
    public void Auto_MatchesDefinition()
    {
        With(GemmBackend.Auto, null, 0, () =>
        {
            Check<float>(31, 1e-5, "auto");
            Check<double>(32, 1e-12, "auto");
        });
    }

    [Fact]
    public void SmallGemm_IsChosenBySizeAndNeverUnderExplicitOpenBlas()
    {
        // A product that SmallGemm and the packed kernel both compute gives the same answer whichever is taken; here the
        // routing itself is checked through a product big enough to be split and small enough not to be.
        With(GemmBackend.Managed, null, 0, () =>
        {
            var a = new float[64 * 64]; var b = new float[64 * 64]; var c = new float[64 * 64];
            Array.Fill(a, 1f); Array.Fill(b, 2f);
            Gemm.Run(false, false, 64, 64, 64, 1f, a, 64, b, 64, 0f, c, 64);
            Assert.All(c, v => Assert.Equal(128f, v));
        });
        Assert.True(64L * 64 * 64 < Gemm.SmallLimit);
        Assert.True(128L * 128 * 128 >= Gemm.SmallLimit);
    }

    [Fact]
    public void ModelShapes_AllPathsAgree()
    {
        // The products the MLP, LSTM and CharGpt issue (scaled down in m where it does not change the path), float.
        (int M, int N, int K, bool TA, bool TB)[] shapes =
        [
            (64, 256, 784, false, true), (64, 10, 256, false, true), (64, 256, 10, false, false), (256, 784, 64, true, false),
            (10, 256, 64, true, false), (32, 1024, 256, false, true), (32, 256, 1024, false, false), (300, 64, 64, false, true),
            (300, 27, 64, false, true), (64, 256, 600, true, false),
        ];
        var rng = new System.Random(5);
        foreach (var (m, n, k, ta, tb) in shapes)
        {
            int lda = ta ? m : k, ldb = tb ? k : n;
            var a = new float[m * k]; var b = new float[k * n];
            for (int i = 0; i < a.Length; i++) a[i] = (float)(rng.NextDouble() * 2 - 1);
            for (int i = 0; i < b.Length; i++) b[i] = (float)(rng.NextDouble() * 2 - 1);
            var want = Reference(ta, tb, m, n, k, 1, a, lda, b, ldb, 0, new float[m * n], n);
            foreach (var (be, small) in new (GemmBackend, bool?)[] { (GemmBackend.Auto, null), (GemmBackend.Managed, true), (GemmBackend.Managed, false) })
                With(be, small, 0, () =>
                {
                    var c = new float[m * n];
                    Gemm.Run(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
                    for (int i = 0; i < c.Length; i++)
                        if (!(Math.Abs(want[i] - c[i]) <= 1e-5 * (Math.Abs(want[i]) + Math.Sqrt(k))))
                            Assert.Fail($"{be}/{small} {m}x{n}x{k} ta={ta} tb={tb} C[{i}]={c[i]}, want {want[i]}");
                });
        }
    }
}
