using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Framework.Autograd.Kernels;

/// <summary>
/// Managed GEMM for small products on one thread: op(A) is read in place (no packing), op(B) is packed only when it is
/// transposed or its width is not a multiple of the tile, so a call costs little more than its multiply-adds.
/// </summary>
[SkipLocalsInit]
internal static unsafe class SmallGemm
{
    /// <summary>Depth of one pass over packed B (its panels stay in L1/L2).</summary>
    const int KC = 256;

    /// <summary>Rows of A swept per pass over B's panels (a multiple of 6 and 12).</summary>
    const int MC = 96;

    /// <summary>The vector width the machine runs: 512, 256 or 128 bits.</summary>
    internal static int Width => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>Forces a narrower vector path (512, 256 or 128; 0 = the machine's widest) so tests exercise every path the machine can run.</summary>
    [ThreadStatic] internal static int ForcedWidth;

    /// <summary>C = alpha·op(A)·op(B) + beta·C, row-major, arguments validated, m, n, k ≥ 1, beta = 0 ignores C.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
        => RunBatch(PathWidth, 1, transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C split over threads (≥ 2) at the given width: into strips of whole 2w-column panels when
    /// there are enough of them (each thread then packs only its own columns of B), else into strips of whole row tiles.
    /// </summary>
    public static void RunParallel<T>(int width, int threads, bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
    {
        int w = width / 8 / sizeof(T), nr = 2 * w, mr = width == 512 ? 12 : 6;
        int panels = (n + nr - 1) / nr, tiles = (m + mr - 1) / mr;
        bool byCols = panels >= 2 * threads || panels >= tiles;
        int units = byCols ? panels : tiles, unit = byCols ? nr : mr, extent = byCols ? n : m;
        threads = Math.Min(threads, units);
        if (threads <= 1)
        {
            RunBatch(width, 1, transA, transB, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, ldc);
            return;
        }
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, threads, t =>
        {
            int lo = (int)((long)units * t / threads) * unit, hi = Math.Min(extent, (int)((long)units * (t + 1) / threads) * unit);
            if (hi <= lo) return;
            T* a0 = (T*)pa, b0 = (T*)pb, c0 = (T*)pc;
            if (byCols)
                RunBatch(width, 1, transA, transB, m, hi - lo, k, alpha, a0, 0, lda, transB ? b0 + (long)lo * ldb : b0 + lo, 0, ldb, beta, c0 + lo, 0, ldc);
            else
                RunBatch(width, 1, transA, transB, hi - lo, n, k, alpha, transA ? a0 + lo : a0 + (long)lo * lda, 0, lda, b0, 0, ldb, beta, c0 + (long)lo * ldc, 0, ldc);
        });
    }

    /// <summary>The width the calling thread runs at: the forced one when narrower than the machine's, else the machine's.</summary>
    internal static int PathWidth => ForcedWidth is > 0 and var f && f < Width ? f : Width;

    /// <summary>
    /// count products C_i = alpha·op(A_i)·op(B_i) + beta·C_i, item i at a + i·strideA, b + i·strideB, c + i·strideC, at the
    /// given vector width, on the calling thread, with one scratch buffer for all items; arguments validated, m, n, k ≥ 1.
    /// </summary>
    public static void RunBatch<T>(int width, int count, bool transA, bool transB, int m, int n, int k, T alpha, T* a, long strideA, int lda,
        T* b, long strideB, int ldb, T beta, T* c, long strideC, int ldc) where T : unmanaged, INumber<T>
    {
        if (width == 512) Batch<T, Vector512<T>, Simd512<T>>(count, transA, transB, m, n, k, alpha, a, strideA, lda, b, strideB, ldb, beta, c, strideC, ldc);
        else if (width == 256) Batch<T, Vector256<T>, Simd256<T>>(count, transA, transB, m, n, k, alpha, a, strideA, lda, b, strideB, ldb, beta, c, strideC, ldc);
        else Batch<T, Vector128<T>, Simd128<T>>(count, transA, transB, m, n, k, alpha, a, strideA, lda, b, strideB, ldb, beta, c, strideC, ldc);
    }

    /// <summary>The items of RunBatch at one width: the packing buffer (when op(B) is packed) is rented once for all of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Batch<T, TV, TS>(int count, bool transA, bool transB, int m, int n, int k, T alpha, T* a, long strideA, int lda,
        T* b, long strideB, int ldb, T beta, T* c, long strideC, int ldc) where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int nr = 2 * TS.Count;
        bool direct = !transB && n % nr == 0;   // B's rows are read in place as the micro-kernel's panels
        int nPad = (n + nr - 1) / nr * nr, kcMax = Math.Min(KC, k);
        T[]? buf = direct ? null : System.Buffers.ArrayPool<T>.Shared.Rent(kcMax * nPad + 64 / sizeof(T));
        try
        {
            fixed (T* raw = buf)
            {
                T* bp = direct ? null : (T*)(((nint)raw + 63) & ~(nint)63);
                for (int i = 0; i < count; i++)
                    Blocked<T, TV, TS>(transA, transB, m, n, k, alpha, a + i * strideA, lda, b + i * strideB, ldb, beta, c + i * strideC, ldc, bp);
            }
        }
        finally
        {
            if (buf is not null) System.Buffers.ArrayPool<T>.Shared.Return(buf);
        }
    }

    /// <summary>Walks depth blocks of KC; per block packs op(B) into bp when needed (bp is null when B is read in place), then sweeps micro-tiles of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Blocked<T, TV, TS>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc, T* bp) where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int nr = 2 * TS.Count, mr = TS.Rows;
        bool direct = bp is null;
        // op(A)(i, p) = a[i·rs + p·ds]
        nint rs = transA ? 1 : lda, ds = transA ? lda : 1;
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            T betaBlock = pc == 0 ? beta : T.One;
            if (!direct) PackB<T>(transB, b, ldb, pc, kc, n, nr, bp);
            for (int ic = 0; ic < m; ic += MC)       // row blocks of A stay in L1/L2 while every panel of B passes over them
            {
                int mEnd = Math.Min(m, ic + MC);
                for (int jr = 0; jr < n; jr += nr)
                {
                    int nrr = Math.Min(nr, n - jr);
                    T* panel = direct ? b + (long)pc * ldb + jr : bp + (long)jr * kc;
                    nint bStride = direct ? ldb : nr;
                    T* aBlock = a + pc * ds;
                    for (int ir = ic; ir < mEnd; ir += mr)
                        Kernel<T, TV, TS>(kc, aBlock + ir * rs, rs, ds, panel, bStride, c + (long)ir * ldc + jr, ldc,
                            alpha, betaBlock, Math.Min(mr, mEnd - ir), nrr);
                }
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, 0..n] into nr-column panels, each kc×nr k-major, zero-padded to a whole panel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PackB<T>(bool transB, T* b, int ldb, int pc, int kc, int n, int nr, T* dst) where T : unmanaged, INumber<T>
    {
        for (int jr = 0; jr < n; jr += nr, dst += (long)nr * kc)
        {
            int nrr = Math.Min(nr, n - jr);
            if (transB && typeof(T) == typeof(float) && System.Runtime.Intrinsics.X86.Avx.IsSupported && nrr == nr && nr % 8 == 0)
                ManagedGemm.PackTransposedFloat((float*)(void*)(b + (long)jr * ldb + pc), ldb, kc, nr, (float*)(void*)dst);   // 8×8 register transposes
            else if (transB)
            {
                // op(B)(p, j) = b[j·ldb + p]
                for (int j = 0; j < nrr; j++)
                {
                    T* src = b + (long)(jr + j) * ldb + pc;
                    T* d = dst + j;
                    for (int p = 0; p < kc; p++) d[(long)p * nr] = src[p];
                }
            }
            else
                for (int p = 0; p < kc; p++)
                {
                    T* src = b + (long)(pc + p) * ldb + jr;
                    T* d = dst + (long)p * nr;
                    for (int j = 0; j < nrr; j++) d[j] = src[j];
                }
            if (nrr < nr)
                for (int p = 0; p < kc; p++)
                    for (int j = nrr; j < nr; j++) dst[(long)p * nr + j] = T.Zero;
        }
    }

    /// <summary>
    /// C[0..mr, 0..nr] = alpha·A·B + beta·C for A read in place (element (r, p) at a[r·rs + p·ds]) and a kc×2w panel of B
    /// whose rows are bStride apart; rows past mr repeat row 0 (their results are dropped), beta = 0 ignores C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Kernel<T, TV, TS>(int kc, T* a, nint rs, nint ds, T* b, nint bStride, T* c, int ldc, T alpha, T beta, int mr, int nr)
        where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int w = TS.Count;
        nint o0 = 0, o1 = mr > 1 ? rs : 0, o2 = mr > 2 ? 2 * rs : 0, o3 = mr > 3 ? 3 * rs : 0, o4 = mr > 4 ? 4 * rs : 0, o5 = mr > 5 ? 5 * rs : 0;
        TV c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero;
        TV c30 = TS.Zero, c31 = TS.Zero, c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero;
        if (TS.Rows == 6)
        {
            for (int p = 0; p < kc; p++, a += ds, b += bStride)
            {
                TV b0 = TS.Load(b), b1 = TS.Load(b + w), x;
                x = TS.Splat(a[o0]); c00 = TS.Fma(x, b0, c00); c01 = TS.Fma(x, b1, c01);
                x = TS.Splat(a[o1]); c10 = TS.Fma(x, b0, c10); c11 = TS.Fma(x, b1, c11);
                x = TS.Splat(a[o2]); c20 = TS.Fma(x, b0, c20); c21 = TS.Fma(x, b1, c21);
                x = TS.Splat(a[o3]); c30 = TS.Fma(x, b0, c30); c31 = TS.Fma(x, b1, c31);
                x = TS.Splat(a[o4]); c40 = TS.Fma(x, b0, c40); c41 = TS.Fma(x, b1, c41);
                x = TS.Splat(a[o5]); c50 = TS.Fma(x, b0, c50); c51 = TS.Fma(x, b1, c51);
            }
            T* tile = stackalloc T[6 * 2 * Vector512<T>.Count];
            bool full = mr == 6 && nr == 2 * w;
            Finish<T, TV, TS>(c, ldc, alpha, beta, full, c00, c01, tile, 0);
            if (mr > 1) Finish<T, TV, TS>(c + ldc, ldc, alpha, beta, full, c10, c11, tile, 1);
            if (mr > 2) Finish<T, TV, TS>(c + 2L * ldc, ldc, alpha, beta, full, c20, c21, tile, 2);
            if (mr > 3) Finish<T, TV, TS>(c + 3L * ldc, ldc, alpha, beta, full, c30, c31, tile, 3);
            if (mr > 4) Finish<T, TV, TS>(c + 4L * ldc, ldc, alpha, beta, full, c40, c41, tile, 4);
            if (mr > 5) Finish<T, TV, TS>(c + 5L * ldc, ldc, alpha, beta, full, c50, c51, tile, 5);
            if (!full) Merge(c, ldc, tile, 2 * w, alpha, beta, mr, nr);
            return;
        }
        // 12 rows (AVX-512: 24 accumulators of its 32 registers).
        nint o6 = mr > 6 ? 6 * rs : 0, o7 = mr > 7 ? 7 * rs : 0, o8 = mr > 8 ? 8 * rs : 0, o9 = mr > 9 ? 9 * rs : 0, o10 = mr > 10 ? 10 * rs : 0, o11 = mr > 11 ? 11 * rs : 0;
        TV c60 = TS.Zero, c61 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero, c80 = TS.Zero, c81 = TS.Zero;
        TV c90 = TS.Zero, c91 = TS.Zero, c100 = TS.Zero, c101 = TS.Zero, c110 = TS.Zero, c111 = TS.Zero;
        for (int p = 0; p < kc; p++, a += ds, b += bStride)
        {
            TV b0 = TS.Load(b), b1 = TS.Load(b + w), x;
            x = TS.Splat(a[o0]); c00 = TS.Fma(x, b0, c00); c01 = TS.Fma(x, b1, c01);
            x = TS.Splat(a[o1]); c10 = TS.Fma(x, b0, c10); c11 = TS.Fma(x, b1, c11);
            x = TS.Splat(a[o2]); c20 = TS.Fma(x, b0, c20); c21 = TS.Fma(x, b1, c21);
            x = TS.Splat(a[o3]); c30 = TS.Fma(x, b0, c30); c31 = TS.Fma(x, b1, c31);
            x = TS.Splat(a[o4]); c40 = TS.Fma(x, b0, c40); c41 = TS.Fma(x, b1, c41);
            x = TS.Splat(a[o5]); c50 = TS.Fma(x, b0, c50); c51 = TS.Fma(x, b1, c51);
            x = TS.Splat(a[o6]); c60 = TS.Fma(x, b0, c60); c61 = TS.Fma(x, b1, c61);
            x = TS.Splat(a[o7]); c70 = TS.Fma(x, b0, c70); c71 = TS.Fma(x, b1, c71);
            x = TS.Splat(a[o8]); c80 = TS.Fma(x, b0, c80); c81 = TS.Fma(x, b1, c81);
            x = TS.Splat(a[o9]); c90 = TS.Fma(x, b0, c90); c91 = TS.Fma(x, b1, c91);
            x = TS.Splat(a[o10]); c100 = TS.Fma(x, b0, c100); c101 = TS.Fma(x, b1, c101);
            x = TS.Splat(a[o11]); c110 = TS.Fma(x, b0, c110); c111 = TS.Fma(x, b1, c111);
        }
        T* tile12 = stackalloc T[12 * 2 * Vector512<T>.Count];
        bool full12 = mr == 12 && nr == 2 * w;
        Finish<T, TV, TS>(c, ldc, alpha, beta, full12, c00, c01, tile12, 0);
        if (mr > 1) Finish<T, TV, TS>(c + ldc, ldc, alpha, beta, full12, c10, c11, tile12, 1);
        if (mr > 2) Finish<T, TV, TS>(c + 2L * ldc, ldc, alpha, beta, full12, c20, c21, tile12, 2);
        if (mr > 3) Finish<T, TV, TS>(c + 3L * ldc, ldc, alpha, beta, full12, c30, c31, tile12, 3);
        if (mr > 4) Finish<T, TV, TS>(c + 4L * ldc, ldc, alpha, beta, full12, c40, c41, tile12, 4);
        if (mr > 5) Finish<T, TV, TS>(c + 5L * ldc, ldc, alpha, beta, full12, c50, c51, tile12, 5);
        if (mr > 6) Finish<T, TV, TS>(c + 6L * ldc, ldc, alpha, beta, full12, c60, c61, tile12, 6);
        if (mr > 7) Finish<T, TV, TS>(c + 7L * ldc, ldc, alpha, beta, full12, c70, c71, tile12, 7);
        if (mr > 8) Finish<T, TV, TS>(c + 8L * ldc, ldc, alpha, beta, full12, c80, c81, tile12, 8);
        if (mr > 9) Finish<T, TV, TS>(c + 9L * ldc, ldc, alpha, beta, full12, c90, c91, tile12, 9);
        if (mr > 10) Finish<T, TV, TS>(c + 10L * ldc, ldc, alpha, beta, full12, c100, c101, tile12, 10);
        if (mr > 11) Finish<T, TV, TS>(c + 11L * ldc, ldc, alpha, beta, full12, c110, c111, tile12, 11);
        if (!full12) Merge(c, ldc, tile12, 2 * w, alpha, beta, mr, nr);
    }

    /// <summary>A full tile row: c[0..2w] = alpha·(lo, hi) + beta·c; an edge tile: the raw row is spilled to tile row r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Finish<T, TV, TS>(T* c, int ldc, T alpha, T beta, bool full, TV lo, TV hi, T* tile, int r)
        where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int w = TS.Count;
        if (!full)
        {
            TS.Store(lo, tile + r * 2 * w);
            TS.Store(hi, tile + r * 2 * w + w);
            return;
        }
        if (alpha != T.One) { TV s = TS.Splat(alpha); lo = TS.Mul(s, lo); hi = TS.Mul(s, hi); }
        if (beta == T.Zero) { }
        else if (beta == T.One) { lo = TS.Add(TS.Load(c), lo); hi = TS.Add(TS.Load(c + w), hi); }
        else { TV s = TS.Splat(beta); lo = TS.Fma(s, TS.Load(c), lo); hi = TS.Fma(s, TS.Load(c + w), hi); }
        TS.Store(lo, c);
        TS.Store(hi, c + w);
    }

    /// <summary>Merges the valid mr×nr corner of a spilled tile into C: c = alpha·tile + beta·c (beta = 0 ignores c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Merge<T>(T* c, int ldc, T* tile, int ld, T alpha, T beta, int mr, int nr) where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < mr; i++)
        {
            T* cRow = c + (long)i * ldc, tRow = tile + i * ld;
            if (beta == T.Zero)
                for (int j = 0; j < nr; j++) cRow[j] = alpha * tRow[j];
            else
                for (int j = 0; j < nr; j++) cRow[j] = alpha * tRow[j] + beta * cRow[j];
        }
    }
}
