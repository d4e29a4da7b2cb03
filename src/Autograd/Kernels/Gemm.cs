using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>The single entry point for all matrix products: row-major C = alpha * op(A) * op(B) + beta * C.</summary>
internal static class Gemm
{
    [ThreadStatic] private static GemmBackend backend;

    /// <summary>The backend used by the calling thread (Auto by default); OpenBlas throws when it is unavailable.</summary>
    public static GemmBackend Backend
    {
        get => backend;
        set
        {
            if (value == GemmBackend.OpenBlas && !OpenBlasAvailable) throw new InvalidOperationException("GemmBackend.OpenBlas was requested but libopenblas could not be loaded.");
            if (value is not (GemmBackend.Auto or GemmBackend.OpenBlas or GemmBackend.Managed)) throw new ArgumentOutOfRangeException(nameof(value));
            backend = value;
        }
    }

    /// <summary>Whether the OpenBLAS library was found and loaded.</summary>
    public static bool OpenBlasAvailable => Kernels.OpenBlas.Available;

    /// <summary>Whether float and double products go to OpenBLAS under the calling thread's backend.</summary>
    private static bool UseBlas() => backend switch
    {
        GemmBackend.OpenBlas => true,
        GemmBackend.Managed => false,
        _ => OpenBlasAvailable && Kernels.OpenBlas.Tuned, // a tuned OpenBLAS was measured faster at every size, even 4×4×4
    };

    /// <summary>m·n·k below which Auto and Managed use the single-threaded SmallGemm (measured faster than OpenBLAS's call there).</summary>
    internal const long SmallLimit = 1L << 21;

    /// <summary>m·n·k up to which Auto uses SmallGemm (split over the cores) for products read in place, and for a transposed A only with a deep k.</summary>
    internal const long SmallMidLimit = 1L << 25;

    /// <summary>m·n·k up to which Managed also uses SmallGemm when k fits one depth block (measured faster than the packed kernel).</summary>
    internal const long SmallManagedLimit = 1L << 23;

    /// <summary>m·n·k from which a SmallGemm product is split over the cores (tests lower it to exercise the split).</summary>
    internal static long SmallParallelWork { get; set; } = 1L << 18;

    /// <summary>For tests, on the calling thread: true sends every Auto/Managed float product to SmallGemm, false none, null decides by size.</summary>
    [ThreadStatic] internal static bool? ForceSmall;

    /// <summary>Whether the calling thread's backend sends this product to SmallGemm (never under an explicit OpenBlas).</summary>
    /// <remarks>
    /// A scalar-packed deep transposed B lost to OpenBLAS (64×10×256: 7 vs 33 GFLOP/s); float packs it with AVX transposes.
    /// Past SmallLimit, SmallGemm split over the cores keeps products up to SmallMidLimit, except a transposed A over a
    /// shallow k (MLP batch-64 weight gradients: OpenBLAS measured faster in the training loop) and a transposed B packed
    /// for few rows. Deep products went to OpenBLAS before 2026-12-04; in SmallGemm the transformer's (k = 192–1,024,
    /// weight gradients over 1,024 tokens) ran 71 → 176 and 119 → 167 GFLOP/s alone, square 256 117 → 184, and CharLM's
    /// step took 16% less in in-process alternation, partly because OpenBLAS's worker no longer spins beside our own.
    /// </remarks>
    private static bool UseSmall<T>(bool transA, bool transB, int m, int n, int k)
    {
        if (backend == GemmBackend.OpenBlas) return false;
        if (ForceSmall is bool forced) return forced;
        long work = (long)m * n * k;
        return backend switch
        {
            GemmBackend.OpenBlas => false,
            GemmBackend.Managed => work < SmallLimit || (work <= SmallManagedLimit && k <= 256),
            _ => work < SmallLimit ? !(transB && k > 64) || (typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx.IsSupported)
                 : work < SmallMidLimit && (!transA || k >= 256) && (!transB || m >= 256),
        };
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C, all row-major; op(X) = X or Xᵀ; float and double by the backend, integers exactly (wrapping).</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        bool trivial = Trivial(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
        {
            Exact(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, trivial);
            return;
        }
        if (trivial)
        {
            ScaleOnly(m, n, beta, c, ldc);
            return;
        }
        if (UseSmall<T>(transA, transB, m, n, k))
            unsafe
            {
                long work = (long)m * n * k;
                int threads = work < SmallParallelWork ? 1 : Environment.ProcessorCount;
                fixed (T* pa = a, pb = b, pc = c)
                    if (threads <= 1) SmallGemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                    else SmallGemm.RunParallel(SmallGemm.PathWidth, threads, transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
        else if (UseBlas()) Kernels.OpenBlas.Gemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            unsafe
            {
                fixed (T* pa = a, pb = b, pc = c) ManagedGemm.Run(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            }
    }

    /// <summary>m·n·k·batch from which a batch of small products is split over the cores (tests lower it to exercise the split).</summary>
    internal static long BatchParallelWork { get; set; } = 1L << 16;

    /// <summary>
    /// batch products C_i = alpha * op(A_i) * op(B_i) + beta * C_i, all row-major with one shape and layout, item i at
    /// a[i·strideA..], b[i·strideB..], c[i·strideC..] (an operand's stride may be 0: one matrix for every item).
    /// Small items are split over the cores in one contiguous run of items per core; larger ones run one after another,
    /// each through Run's choice of kernel.
    /// </summary>
    public static void RunBatched<T>(int batch, bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, long strideA, int lda,
        ReadOnlySpan<T> b, long strideB, int ldb, T beta, Span<T> c, long strideC, int ldc)
        where T : unmanaged, INumber<T>
    {
        if (batch < 0) throw new ArgumentException($"GEMM batch must be non-negative (batch={batch}).");
        if (strideA < 0 || strideB < 0 || strideC < 0) throw new ArgumentException($"GEMM batch strides must be non-negative (A {strideA}, B {strideB}, C {strideC}).");
        if (batch == 0) return;
        bool noC = m <= 0 || n <= 0, noAB = noC || k <= 0;   // empty operands are never read (their spans may be empty)
        bool trivial = Trivial(transA, transB, m, n, k, noAB ? 0 : LastItem("A", a.Length, strideA, batch), lda,
                               noAB ? 0 : LastItem("B", b.Length, strideB, batch), ldb, noC ? 0 : LastItem("C", c.Length, strideC, batch), ldc);
        if (batch > 1 && strideC < (long)(m - 1) * ldc + n && m > 0 && n > 0)
            throw new ArgumentException($"GEMM: the batch stride of C ({strideC}) is smaller than one {m}×{n} item with leading dimension {ldc}.");
        bool small = typeof(T) == typeof(float) || typeof(T) == typeof(double) ? UseSmall<T>(transA, transB, m, n, k) : false;
        if (trivial || !small)
        {
            for (int i = 0; i < batch; i++)
            {
                if (noC) break;
                var ci = c.Slice((int)(i * strideC));
                if (trivial) ScaleOnly(m, n, beta, ci, ldc);
                else Run(transA, transB, m, n, k, alpha, a.Slice((int)(i * strideA)), lda, b.Slice((int)(i * strideB)), ldb, beta, ci, ldc);
            }
            return;
        }
        int width = SmallGemm.PathWidth;   // the caller's (thread-static) choice, carried to the workers
        long work = (long)m * n * k * batch;
        int threads = work < BatchParallelWork ? 1 : Math.Min(Environment.ProcessorCount, batch);
        unsafe
        {
            fixed (T* pa = a, pb = b, pc = c)
            {
                if (threads <= 1)
                {
                    SmallGemm.RunBatch(width, batch, transA, transB, m, n, k, alpha, pa, strideA, lda, pb, strideB, ldb, beta, pc, strideC, ldc);
                    return;
                }
                nint ia = (nint)pa, ib = (nint)pb, ic = (nint)pc;
                Parallel.For(0, threads, t =>
                {
                    int lo = (int)((long)batch * t / threads), hi = (int)((long)batch * (t + 1) / threads);
                    SmallGemm.RunBatch(width, hi - lo, transA, transB, m, n, k, alpha, (T*)ia + lo * strideA, strideA, lda,
                        (T*)ib + lo * strideB, strideB, ldb, beta, (T*)ic + lo * strideC, strideC, ldc);
                });
            }
        }
    }

    /// <summary>The elements of a batched operand's span from its last item's start on (checked by Trivial as that item's span).</summary>
    private static int LastItem(string name, int len, long stride, int batch)
    {
        long start = (batch - 1) * stride;
        if (start > len) throw new ArgumentException($"GEMM: item {batch - 1} of {name} starts at element {start} with batch stride {stride}, past its span's {len} elements.");
        return (int)(len - start);
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C by the definition, in T's own (for integers wrapping) arithmetic.</summary>
    private static void Exact<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc, bool trivial)
        where T : INumber<T>
    {
        ScaleOnly(m, n, beta, c, ldc);
        if (trivial || alpha == T.Zero) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            for (int p = 0; p < k; p++)
            {
                T aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
                if (aip == T.Zero) continue;
                if (transB) for (int j = 0; j < row.Length; j++) row[j] += aip * b[j * ldb + p];
                else
                {
                    var brow = b.Slice(p * ldb, n);
                    for (int j = 0; j < row.Length; j++) row[j] += aip * brow[j];
                }
            }
        }
    }

    /// <summary>Validates the arguments; true when the product term vanishes (m, n or k is 0).</summary>
    private static bool Trivial(bool transA, bool transB, int m, int n, int k, int aLen, int lda, int bLen, int ldb, int cLen, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM dimensions must be non-negative (m={m}, n={n}, k={k}).");
        CheckOperand("C", m, n, cLen, ldc);
        if (m == 0 || n == 0) return true;
        if (k == 0) return true;
        CheckOperand("A", transA ? k : m, transA ? m : k, aLen, lda);
        CheckOperand("B", transB ? n : k, transB ? k : n, bLen, ldb);
        return false;
    }

    /// <summary>Throws unless a stored rows×cols matrix with leading dimension ld fits in len elements.</summary>
    private static void CheckOperand(string name, int rows, int cols, int len, int ld)
    {
        if (rows == 0 || cols == 0) return;
        if (ld < cols) throw new ArgumentException($"GEMM: leading dimension of {name} ({ld}) is smaller than its {cols} stored columns.");
        long need = (long)(rows - 1) * ld + cols;
        if (len < need) throw new ArgumentException($"GEMM: {name} is stored as {rows}×{cols} with leading dimension {ld} and needs {need} elements, but its span has {len}.");
    }

    /// <summary>C = beta * C over the m×n block (zeroed, ignoring its contents, when beta is 0).</summary>
    private static void ScaleOnly<T>(int m, int n, T beta, Span<T> c, int ldc) where T : INumber<T>
    {
        if (beta == T.One || m == 0 || n == 0) return;
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < row.Length; j++) row[j] *= beta;
        }
    }
}
