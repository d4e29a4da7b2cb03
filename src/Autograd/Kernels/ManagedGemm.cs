using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Autograd.Kernels;

/// <summary>Row-major C = alpha * op(A) * op(B) + beta * C for float and double in managed code (packed, blocked, SIMD, multi-threaded).</summary>
internal static unsafe class ManagedGemm
{
    /// <summary>Rows of C produced by one micro-kernel call.</summary>
    private const int MR = 6;
    /// <summary>Multiply-adds (m·n·k) from which the product is spread over several threads.</summary>
    internal static long ParallelThreshold = 1L << 18;

    /// <summary>Multiply-adds (m·n·k) up to which the unpacked row-update loop is used.</summary>
    internal static long SmallProduct = 1024;

    /// <summary>Whether the 512-bit micro-kernel is used.</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated;

    /// <summary>Columns of C produced by one micro-kernel call for element type T.</summary>
    private static int NR<T>() => 2 * (Wide ? Vector512<T>.Count : Vector256<T>.Count);

    /// <summary>C = alpha * op(A) * op(B) + beta * C; spans are already validated and all dimensions positive.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a) fixed (T* pb = b) fixed (T* pc = c)
        {
            ScaleC(m, n, beta, pc, ldc);
            if (alpha == T.Zero) return;
            if ((long)m * n * k <= SmallProduct) { Small(new Args<T>(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc)); return; }
            Blocked(new Args<T>(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc));
        }
    }

    /// <summary>The operands of one product, as raw pointers.</summary>
    private readonly struct Args<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda, T* b, int ldb, T* c, int ldc) where T : unmanaged
    {
        public readonly bool TransA = transA, TransB = transB;
        public readonly int M = m, N = n, K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
        public readonly T Alpha = alpha;
        public readonly T* A = a, B = b, C = c;
    }

    /// <summary>Accumulates alpha * op(A) * op(B) into C without packing (small products).</summary>
    private static void Small<T>(in Args<T> g) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < g.M; i++)
        {
            var row = new Span<T>(g.C + (long)i * g.Ldc, g.N);
            if (!g.TransB)
                for (int p = 0; p < g.K; p++)
                {
                    T aip = g.Alpha * (g.TransA ? g.A[(long)p * g.Lda + i] : g.A[(long)i * g.Lda + p]);
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(g.B + (long)p * g.Ldb, g.N), aip, row, row);
                }
            else if (!g.TransA)
            {
                var arow = new ReadOnlySpan<T>(g.A + (long)i * g.Lda, g.K);
                for (int j = 0; j < row.Length; j++) row[j] += g.Alpha * TensorPrimitives.Dot(arow, new ReadOnlySpan<T>(g.B + (long)j * g.Ldb, g.K));
            }
            else
                for (int j = 0; j < row.Length; j++)
                {
                    T s = T.Zero;
                    for (int p = 0; p < g.K; p++) s += g.A[(long)p * g.Lda + i] * g.B[(long)j * g.Ldb + p];
                    row[j] += g.Alpha * s;
                }
        }
    }

    /// <summary>C = beta * C (C zeroed, ignoring its contents, when beta is 0).</summary>
    private static void ScaleC<T>(int m, int n, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
    {
        if (beta == T.One) return;
        for (int i = 0; i < m; i++)
        {
            var row = new Span<T>(c + (long)i * ldc, n);
            if (beta == T.Zero) row.Clear();
            else for (int j = 0; j < row.Length; j++) row[j] *= beta;
        }
    }

    /// <summary>Accumulates alpha * op(A) * op(B) into C block by block.</summary>
    private static void Blocked<T>(Args<T> g) where T : unmanaged, INumber<T>
    {
        int nr = NR<T>();
        int kcMax = 1024 / sizeof(T), ncMax = 4096, mcMax = 192;
        int threads = (long)g.M * g.N * g.K >= ParallelThreshold ? Math.Max(1, Environment.ProcessorCount) : 1;
        int mBlocks = (g.M + mcMax - 1) / mcMax;
        if (threads > 1) mBlocks = Math.Max(threads, (mBlocks + threads - 1) / threads * threads);
        int mc = RoundUp((g.M + mBlocks - 1) / mBlocks, MR);
        mBlocks = (g.M + mc - 1) / mc;
        if (mBlocks < 2) threads = 1;

        int ncAll = Math.Min(ncMax, RoundUp(g.N, nr));
        T[] bArr = ArrayPool<T>.Shared.Rent(kcMax * ncAll + 64);
        try
        {
            fixed (T* bRaw = bArr)
            {
                T* bp = Align(bRaw);
                for (int jc = 0; jc < g.N; jc += ncMax)
                {
                    int nc = Math.Min(ncMax, g.N - jc);
                    for (int pc = 0; pc < g.K; pc += kcMax)
                    {
                        int kc = Math.Min(kcMax, g.K - pc);
                        PackB(g, pc, kc, jc, nc, nr, bp);
                        var block = new Block<T>(g, bp, jc, nc, pc, kc, mc, nr);
                        if (threads == 1) for (int ib = 0; ib < mBlocks; ib++) block.Run(ib);
                        else Parallel.For(0, mBlocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, ib => block.Run(ib));
                    }
                }
            }
        }
        finally { ArrayPool<T>.Shared.Return(bArr); }
    }

    /// <summary>One (jc, pc) step: the rows of C in block ib updated from a packed B panel.</summary>
    private readonly struct Block<T>(Args<T> g, T* bp, int jc, int nc, int pc, int kc, int mc, int nr) where T : unmanaged, INumber<T>
    {
        /// <summary>Packs the ib-th block of A and runs the micro-kernel over its tiles.</summary>
        public void Run(int ib)
        {
            int ic = ib * mc, mcb = Math.Min(mc, g.M - ic);
            T[] aArr = ArrayPool<T>.Shared.Rent(RoundUp(mcb, MR) * kc + 64);
            try
            {
                fixed (T* aRaw = aArr)
                {
                    T* ap = Align(aRaw);
                    PackA(g, ic, mcb, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int nv = Math.Min(nr, nc - jr);
                        T* bPanel = bp + (long)jr * kc;
                        for (int ir = 0; ir < mcb; ir += MR)
                        {
                            T* cTile = g.C + (long)(ic + ir) * g.Ldc + jc + jr;
                            int mv = Math.Min(MR, mcb - ir);
                            Kernel(kc, ap + (long)ir * kc, bPanel, cTile, g.Ldc, g.Alpha, mv, nv);
                        }
                    }
                }
            }
            finally { ArrayPool<T>.Shared.Return(aArr); }
        }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>The first 64-byte aligned address at or after p.</summary>
    private static T* Align<T>(T* p) where T : unmanaged => (T*)(((nint)p + 63) & ~(nint)63);

    /// <summary>Copies op(A)[ic..ic+mc, pc..pc+kc] into MR-row micro-panels (p-major, zero-padded rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<T>(in Args<T> g, int ic, int mc, int pc, int kc, T* dst) where T : unmanaged, INumber<T>
    {
        for (int i0 = 0; i0 < mc; i0 += MR)
        {
            int rows = Math.Min(MR, mc - i0);
            if (g.TransA)
            {
                T* src = g.A + (long)pc * g.Lda + ic + i0;
                for (int p = 0; p < kc; p++, src += g.Lda, dst += MR)
                {
                    int r = 0;
                    for (; r < rows; r++) dst[r] = src[r];
                    for (; r < MR; r++) dst[r] = T.Zero;
                }
            }
            else
            {
                for (int r = 0; r < MR; r++)
                {
                    if (r < rows)
                    {
                        T* src = g.A + (long)(ic + i0 + r) * g.Lda + pc;
                        for (int p = 0; p < kc; p++) dst[p * MR + r] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) dst[p * MR + r] = T.Zero;
                }
                dst += kc * MR;
            }
        }
    }

    /// <summary>Copies op(B)[pc..pc+kc, jc..jc+nc] into nr-column micro-panels (p-major, zero-padded columns).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<T>(in Args<T> g, int pc, int kc, int jc, int nc, int nr, T* dst) where T : unmanaged, INumber<T>
    {
        for (int j0 = 0; j0 < nc; j0 += nr)
        {
            int cols = Math.Min(nr, nc - j0);
            if (!g.TransB)
            {
                T* src = g.B + (long)pc * g.Ldb + jc + j0;
                for (int p = 0; p < kc; p++, src += g.Ldb, dst += nr)
                {
                    new ReadOnlySpan<T>(src, cols).CopyTo(new Span<T>(dst, cols));
                    if (cols < nr) new Span<T>(dst + cols, nr - cols).Clear();
                }
            }
            else
            {
                for (int jj = 0; jj < nr; jj++)
                {
                    if (jj < cols)
                    {
                        T* src = g.B + (long)(jc + j0 + jj) * g.Ldb + pc;
                        for (int p = 0; p < kc; p++) dst[p * nr + jj] = src[p];
                    }
                    else for (int p = 0; p < kc; p++) dst[p * nr + jj] = T.Zero;
                }
                dst += kc * nr;
            }
        }
    }

    /// <summary>c + a * b for 256-bit float vectors, fused where the hardware allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fma256(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>c + a * b for 256-bit double vectors, fused where the hardware allows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fma256(Vector256<double> a, Vector256<double> b, Vector256<double> c) => Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>Dispatches one micro-tile to the kernel for T and the vector width.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Kernel<T>(int kc, T* a, T* b, T* c, int ldc, T alpha, int mv, int nv) where T : unmanaged
    {
        if (typeof(T) == typeof(float))
        {
            if (Wide) Kernel512F(kc, (float*)a, (float*)b, (float*)c, ldc, Unsafe.As<T, float>(ref alpha), mv, nv);
            else Kernel256F(kc, (float*)a, (float*)b, (float*)c, ldc, Unsafe.As<T, float>(ref alpha), mv, nv);
        }
        else if (Wide) Kernel512D(kc, (double*)a, (double*)b, (double*)c, ldc, Unsafe.As<T, double>(ref alpha), mv, nv);
        else Kernel256D(kc, (double*)a, (double*)b, (double*)c, ldc, Unsafe.As<T, double>(ref alpha), mv, nv);
    }

    /// <summary>C[0..mv, 0..nv] += alpha * (packed A micro-panel) * (packed B micro-panel) over kc steps (float, 512-bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512F(int kc, float* a, float* b, float* c, int ldc, float alpha, int mv, int nv)
    {
        const int w = 16;
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * w)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + w);
            var a0 = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
        }
        var va = Vector512.Create(alpha);
        if (mv == MR && nv == 2 * w)
        {
            float* r0 = c + (long)0 * ldc; Vector512.FusedMultiplyAdd(c00, va, Vector512.Load(r0)).Store(r0); Vector512.FusedMultiplyAdd(c01, va, Vector512.Load(r0 + w)).Store(r0 + w);
            float* r1 = c + (long)1 * ldc; Vector512.FusedMultiplyAdd(c10, va, Vector512.Load(r1)).Store(r1); Vector512.FusedMultiplyAdd(c11, va, Vector512.Load(r1 + w)).Store(r1 + w);
            float* r2 = c + (long)2 * ldc; Vector512.FusedMultiplyAdd(c20, va, Vector512.Load(r2)).Store(r2); Vector512.FusedMultiplyAdd(c21, va, Vector512.Load(r2 + w)).Store(r2 + w);
            float* r3 = c + (long)3 * ldc; Vector512.FusedMultiplyAdd(c30, va, Vector512.Load(r3)).Store(r3); Vector512.FusedMultiplyAdd(c31, va, Vector512.Load(r3 + w)).Store(r3 + w);
            float* r4 = c + (long)4 * ldc; Vector512.FusedMultiplyAdd(c40, va, Vector512.Load(r4)).Store(r4); Vector512.FusedMultiplyAdd(c41, va, Vector512.Load(r4 + w)).Store(r4 + w);
            float* r5 = c + (long)5 * ldc; Vector512.FusedMultiplyAdd(c50, va, Vector512.Load(r5)).Store(r5); Vector512.FusedMultiplyAdd(c51, va, Vector512.Load(r5 + w)).Store(r5 + w);
            return;
        }
        float* t = stackalloc float[MR * 2 * w];
        (c00 * va).Store(t + 0 * w); (c01 * va).Store(t + 1 * w);
        (c10 * va).Store(t + 2 * w); (c11 * va).Store(t + 3 * w);
        (c20 * va).Store(t + 4 * w); (c21 * va).Store(t + 5 * w);
        (c30 * va).Store(t + 6 * w); (c31 * va).Store(t + 7 * w);
        (c40 * va).Store(t + 8 * w); (c41 * va).Store(t + 9 * w);
        (c50 * va).Store(t + 10 * w); (c51 * va).Store(t + 11 * w);
        for (int r = 0; r < mv; r++)
            for (int j = 0; j < nv; j++) c[(long)r * ldc + j] += t[r * 2 * w + j];
    }

    /// <summary>C[0..mv, 0..nv] += alpha * (packed A micro-panel) * (packed B micro-panel) over kc steps (double, 512-bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel512D(int kc, double* a, double* b, double* c, int ldc, double alpha, int mv, int nv)
    {
        const int w = 8;
        Vector512<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * w)
        {
            var b0 = Vector512.Load(b); var b1 = Vector512.Load(b + w);
            var a0 = Vector512.Create(a[0]); c00 = Vector512.FusedMultiplyAdd(a0, b0, c00); c01 = Vector512.FusedMultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(a[1]); c10 = Vector512.FusedMultiplyAdd(a1, b0, c10); c11 = Vector512.FusedMultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(a[2]); c20 = Vector512.FusedMultiplyAdd(a2, b0, c20); c21 = Vector512.FusedMultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(a[3]); c30 = Vector512.FusedMultiplyAdd(a3, b0, c30); c31 = Vector512.FusedMultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(a[4]); c40 = Vector512.FusedMultiplyAdd(a4, b0, c40); c41 = Vector512.FusedMultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(a[5]); c50 = Vector512.FusedMultiplyAdd(a5, b0, c50); c51 = Vector512.FusedMultiplyAdd(a5, b1, c51);
        }
        var va = Vector512.Create(alpha);
        if (mv == MR && nv == 2 * w)
        {
            double* r0 = c + (long)0 * ldc; Vector512.FusedMultiplyAdd(c00, va, Vector512.Load(r0)).Store(r0); Vector512.FusedMultiplyAdd(c01, va, Vector512.Load(r0 + w)).Store(r0 + w);
            double* r1 = c + (long)1 * ldc; Vector512.FusedMultiplyAdd(c10, va, Vector512.Load(r1)).Store(r1); Vector512.FusedMultiplyAdd(c11, va, Vector512.Load(r1 + w)).Store(r1 + w);
            double* r2 = c + (long)2 * ldc; Vector512.FusedMultiplyAdd(c20, va, Vector512.Load(r2)).Store(r2); Vector512.FusedMultiplyAdd(c21, va, Vector512.Load(r2 + w)).Store(r2 + w);
            double* r3 = c + (long)3 * ldc; Vector512.FusedMultiplyAdd(c30, va, Vector512.Load(r3)).Store(r3); Vector512.FusedMultiplyAdd(c31, va, Vector512.Load(r3 + w)).Store(r3 + w);
            double* r4 = c + (long)4 * ldc; Vector512.FusedMultiplyAdd(c40, va, Vector512.Load(r4)).Store(r4); Vector512.FusedMultiplyAdd(c41, va, Vector512.Load(r4 + w)).Store(r4 + w);
            double* r5 = c + (long)5 * ldc; Vector512.FusedMultiplyAdd(c50, va, Vector512.Load(r5)).Store(r5); Vector512.FusedMultiplyAdd(c51, va, Vector512.Load(r5 + w)).Store(r5 + w);
            return;
        }
        double* t = stackalloc double[MR * 2 * w];
        (c00 * va).Store(t + 0 * w); (c01 * va).Store(t + 1 * w);
        (c10 * va).Store(t + 2 * w); (c11 * va).Store(t + 3 * w);
        (c20 * va).Store(t + 4 * w); (c21 * va).Store(t + 5 * w);
        (c30 * va).Store(t + 6 * w); (c31 * va).Store(t + 7 * w);
        (c40 * va).Store(t + 8 * w); (c41 * va).Store(t + 9 * w);
        (c50 * va).Store(t + 10 * w); (c51 * va).Store(t + 11 * w);
        for (int r = 0; r < mv; r++)
            for (int j = 0; j < nv; j++) c[(long)r * ldc + j] += t[r * 2 * w + j];
    }

    /// <summary>C[0..mv, 0..nv] += alpha * (packed A micro-panel) * (packed B micro-panel) over kc steps (float, 256-bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256F(int kc, float* a, float* b, float* c, int ldc, float alpha, int mv, int nv)
    {
        const int w = 8;
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * w)
        {
            var b0 = Vector256.Load(b); var b1 = Vector256.Load(b + w);
            var a0 = Vector256.Create(a[0]); c00 = Fma256(a0, b0, c00); c01 = Fma256(a0, b1, c01);
            var a1 = Vector256.Create(a[1]); c10 = Fma256(a1, b0, c10); c11 = Fma256(a1, b1, c11);
            var a2 = Vector256.Create(a[2]); c20 = Fma256(a2, b0, c20); c21 = Fma256(a2, b1, c21);
            var a3 = Vector256.Create(a[3]); c30 = Fma256(a3, b0, c30); c31 = Fma256(a3, b1, c31);
            var a4 = Vector256.Create(a[4]); c40 = Fma256(a4, b0, c40); c41 = Fma256(a4, b1, c41);
            var a5 = Vector256.Create(a[5]); c50 = Fma256(a5, b0, c50); c51 = Fma256(a5, b1, c51);
        }
        var va = Vector256.Create(alpha);
        if (mv == MR && nv == 2 * w)
        {
            float* r0 = c + (long)0 * ldc; Fma256(c00, va, Vector256.Load(r0)).Store(r0); Fma256(c01, va, Vector256.Load(r0 + w)).Store(r0 + w);
            float* r1 = c + (long)1 * ldc; Fma256(c10, va, Vector256.Load(r1)).Store(r1); Fma256(c11, va, Vector256.Load(r1 + w)).Store(r1 + w);
            float* r2 = c + (long)2 * ldc; Fma256(c20, va, Vector256.Load(r2)).Store(r2); Fma256(c21, va, Vector256.Load(r2 + w)).Store(r2 + w);
            float* r3 = c + (long)3 * ldc; Fma256(c30, va, Vector256.Load(r3)).Store(r3); Fma256(c31, va, Vector256.Load(r3 + w)).Store(r3 + w);
            float* r4 = c + (long)4 * ldc; Fma256(c40, va, Vector256.Load(r4)).Store(r4); Fma256(c41, va, Vector256.Load(r4 + w)).Store(r4 + w);
            float* r5 = c + (long)5 * ldc; Fma256(c50, va, Vector256.Load(r5)).Store(r5); Fma256(c51, va, Vector256.Load(r5 + w)).Store(r5 + w);
            return;
        }
        float* t = stackalloc float[MR * 2 * w];
        (c00 * va).Store(t + 0 * w); (c01 * va).Store(t + 1 * w);
        (c10 * va).Store(t + 2 * w); (c11 * va).Store(t + 3 * w);
        (c20 * va).Store(t + 4 * w); (c21 * va).Store(t + 5 * w);
        (c30 * va).Store(t + 6 * w); (c31 * va).Store(t + 7 * w);
        (c40 * va).Store(t + 8 * w); (c41 * va).Store(t + 9 * w);
        (c50 * va).Store(t + 10 * w); (c51 * va).Store(t + 11 * w);
        for (int r = 0; r < mv; r++)
            for (int j = 0; j < nv; j++) c[(long)r * ldc + j] += t[r * 2 * w + j];
    }

    /// <summary>C[0..mv, 0..nv] += alpha * (packed A micro-panel) * (packed B micro-panel) over kc steps (double, 256-bit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel256D(int kc, double* a, double* b, double* c, int ldc, double alpha, int mv, int nv)
    {
        const int w = 4;
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default, c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++, a += MR, b += 2 * w)
        {
            var b0 = Vector256.Load(b); var b1 = Vector256.Load(b + w);
            var a0 = Vector256.Create(a[0]); c00 = Fma256(a0, b0, c00); c01 = Fma256(a0, b1, c01);
            var a1 = Vector256.Create(a[1]); c10 = Fma256(a1, b0, c10); c11 = Fma256(a1, b1, c11);
            var a2 = Vector256.Create(a[2]); c20 = Fma256(a2, b0, c20); c21 = Fma256(a2, b1, c21);
            var a3 = Vector256.Create(a[3]); c30 = Fma256(a3, b0, c30); c31 = Fma256(a3, b1, c31);
            var a4 = Vector256.Create(a[4]); c40 = Fma256(a4, b0, c40); c41 = Fma256(a4, b1, c41);
            var a5 = Vector256.Create(a[5]); c50 = Fma256(a5, b0, c50); c51 = Fma256(a5, b1, c51);
        }
        var va = Vector256.Create(alpha);
        if (mv == MR && nv == 2 * w)
        {
            double* r0 = c + (long)0 * ldc; Fma256(c00, va, Vector256.Load(r0)).Store(r0); Fma256(c01, va, Vector256.Load(r0 + w)).Store(r0 + w);
            double* r1 = c + (long)1 * ldc; Fma256(c10, va, Vector256.Load(r1)).Store(r1); Fma256(c11, va, Vector256.Load(r1 + w)).Store(r1 + w);
            double* r2 = c + (long)2 * ldc; Fma256(c20, va, Vector256.Load(r2)).Store(r2); Fma256(c21, va, Vector256.Load(r2 + w)).Store(r2 + w);
            double* r3 = c + (long)3 * ldc; Fma256(c30, va, Vector256.Load(r3)).Store(r3); Fma256(c31, va, Vector256.Load(r3 + w)).Store(r3 + w);
            double* r4 = c + (long)4 * ldc; Fma256(c40, va, Vector256.Load(r4)).Store(r4); Fma256(c41, va, Vector256.Load(r4 + w)).Store(r4 + w);
            double* r5 = c + (long)5 * ldc; Fma256(c50, va, Vector256.Load(r5)).Store(r5); Fma256(c51, va, Vector256.Load(r5 + w)).Store(r5 + w);
            return;
        }
        double* t = stackalloc double[MR * 2 * w];
        (c00 * va).Store(t + 0 * w); (c01 * va).Store(t + 1 * w);
        (c10 * va).Store(t + 2 * w); (c11 * va).Store(t + 3 * w);
        (c20 * va).Store(t + 4 * w); (c21 * va).Store(t + 5 * w);
        (c30 * va).Store(t + 6 * w); (c31 * va).Store(t + 7 * w);
        (c40 * va).Store(t + 8 * w); (c41 * va).Store(t + 9 * w);
        (c50 * va).Store(t + 10 * w); (c51 * va).Store(t + 11 * w);
        for (int r = 0; r < mv; r++)
            for (int j = 0; j < nv; j++) c[(long)r * ldc + j] += t[r * 2 * w + j];
    }
}
