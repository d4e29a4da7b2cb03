using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Framework.Autograd.Kernels;

/// <summary>Managed C = alpha·op(A)·op(B) + beta·C (row-major) for float and double: packed, cache-blocked SIMD GEMM.</summary>
[SkipLocalsInit]
internal static unsafe class ManagedGemm
{
    /// <summary>Most rows of any micro-tile (TS.Rows); the tile width NR is two SIMD vectors.</summary>
    const int MaxMR = 12;
    /// <summary>Depth of a packed block (k direction).</summary>
    const int KC = 256;
    /// <summary>Rows of a packed block of A (multiple of every micro-tile height).</summary>
    const int MC = 144;
    /// <summary>Columns of a packed block of B (KC×NC floats = 1 MB, about half of L2).</summary>
    const int NC = 1024;
    /// <summary>m·n·k from which the product is split over cores (tests lower it to exercise the split).</summary>
    internal static long ParallelThreshold { get; set; } = 1L << 23;
    /// <summary>Byte alignment of packed buffers.</summary>
    const int Align = 64;

    /// <summary>C = alpha·op(A)·op(B) + beta·C; arguments validated, m, n, k ≥ 1, beta = 0 ignores C.</summary>
    public static void Run<T>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T>
    {
        if (Vector512.IsHardwareAccelerated)
            Split<T, Vector512<T>, Simd512<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else if (Vector256.IsHardwareAccelerated)
            Split<T, Vector256<T>, Simd256<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        else
            Split<T, Vector128<T>, Simd128<T>>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C, split into independent row or column strips of C, one per core.</summary>
    static void Split<T, TV, TS>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int nr = 2 * TS.Count;
        long work = (long)m * n * k;
        int threads = work < ParallelThreshold ? 1   // each strip keeps at least half the threshold's worth of work
            : (int)Math.Min(Environment.ProcessorCount, Math.Max(2, work / Math.Max(1, ParallelThreshold / 2)));
        bool byRows = m >= n;
        int step = byRows ? TS.Rows : nr, extent = byRows ? m : n;
        int chunk = RoundUp((extent + threads - 1) / threads, step);
        threads = (extent + chunk - 1) / chunk;
        if (threads <= 1)
        {
            Serial<T, TV, TS>(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            return;
        }
        nint pa = (nint)a, pb = (nint)b, pc = (nint)c;
        Parallel.For(0, threads, t =>
        {
            int start = t * chunk, size = Math.Min(chunk, extent - start);
            if (size <= 0) return;
            T* a0 = (T*)pa, b0 = (T*)pb, c0 = (T*)pc;
            if (byRows)
                Serial<T, TV, TS>(transA, transB, size, n, k, alpha, transA ? a0 + start : a0 + (long)start * lda, lda,
                    b0, ldb, beta, c0 + (long)start * ldc, ldc);
            else
                Serial<T, TV, TS>(transA, transB, m, size, k, alpha, a0, lda,
                    transB ? b0 + (long)start * ldb : b0 + start, ldb, beta, c0 + start, ldc);
        });
    }

    /// <summary>C = alpha·op(A)·op(B) + beta·C on one thread, blocked as jc (NC) → pc (KC) → ic (MC) → micro-tiles.</summary>
    static void Serial<T, TV, TS>(bool transA, bool transB, int m, int n, int k, T alpha, T* a, int lda,
        T* b, int ldb, T beta, T* c, int ldc) where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int nr = 2 * TS.Count, mrFull = TS.Rows;
        int kcMax = Math.Min(KC, k);
        int mcMax = Math.Min(MC, RoundUp(m, mrFull));
        int ncMax = Math.Min(NC, RoundUp(n, nr));
        int pad = Align / sizeof(T);
        T[] aBuf = ArrayPool<T>.Shared.Rent(mcMax * kcMax + pad);
        T[] bBuf = ArrayPool<T>.Shared.Rent(kcMax * ncMax + pad);
        try
        {
            fixed (T* aRaw = aBuf, bRaw = bBuf)
            {
                T* ap = AlignUp(aRaw), bp = AlignUp(bRaw);
                for (int jc = 0; jc < n; jc += NC)
                {
                    int nc = Math.Min(NC, n - jc);
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        T betaBlock = pc == 0 ? beta : T.One;
                        PackB<T, TV, TS>(transB, b, ldb, pc, jc, kc, nc, bp);
                        for (int ic = 0; ic < m; ic += MC)
                        {
                            int mc = Math.Min(MC, m - ic);
                            PackA(transA, a, lda, ic, pc, mc, kc, alpha, mrFull, ap);
                            for (int jr = 0; jr < nc; jr += nr)
                            {
                                int nrr = Math.Min(nr, nc - jr);
                                T* cCol = c + (long)ic * ldc + jc + jr;
                                for (int ir = 0; ir < mc; ir += mrFull)
                                    Kernel<T, TV, TS>(kc, ap + ir * kc, bp + jr * kc, cCol + (long)ir * ldc, ldc,
                                        betaBlock, Math.Min(mrFull, mc - ir), nrr);
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(aBuf);
            ArrayPool<T>.Shared.Return(bBuf);
        }
    }

    /// <summary>
    /// dst[p·nr + j] = src[j·ld + p] for a full panel of nr columns (a multiple of 8) and kc rows: 8×8 blocks transposed in
    /// AVX registers, so the panel is written in whole vectors (a Linear layer's Wᵀ is packed like this on every forward).
    /// </summary>
    internal static void PackTransposedFloat(float* src, int ld, int kc, int nr, float* dst)
    {
        for (int j0 = 0; j0 < nr; j0 += 8)
        {
            float* s = src + (long)j0 * ld;
            int p = 0;
            for (; p + 8 <= kc; p += 8)
            {
                var r0 = Avx.LoadVector256(s + p); var r1 = Avx.LoadVector256(s + ld + p);
                var r2 = Avx.LoadVector256(s + 2L * ld + p); var r3 = Avx.LoadVector256(s + 3L * ld + p);
                var r4 = Avx.LoadVector256(s + 4L * ld + p); var r5 = Avx.LoadVector256(s + 5L * ld + p);
                var r6 = Avx.LoadVector256(s + 6L * ld + p); var r7 = Avx.LoadVector256(s + 7L * ld + p);
                var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
                var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
                var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
                var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
                var u0 = Avx.Shuffle(t0, t2, 0x44); var u1 = Avx.Shuffle(t0, t2, 0xEE);
                var u2 = Avx.Shuffle(t1, t3, 0x44); var u3 = Avx.Shuffle(t1, t3, 0xEE);
                var u4 = Avx.Shuffle(t4, t6, 0x44); var u5 = Avx.Shuffle(t4, t6, 0xEE);
                var u6 = Avx.Shuffle(t5, t7, 0x44); var u7 = Avx.Shuffle(t5, t7, 0xEE);
                float* d = dst + (long)p * nr + j0;
                Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20)); Avx.Store(d + nr, Avx.Permute2x128(u1, u5, 0x20));
                Avx.Store(d + 2 * nr, Avx.Permute2x128(u2, u6, 0x20)); Avx.Store(d + 3 * nr, Avx.Permute2x128(u3, u7, 0x20));
                Avx.Store(d + 4 * nr, Avx.Permute2x128(u0, u4, 0x31)); Avx.Store(d + 5 * nr, Avx.Permute2x128(u1, u5, 0x31));
                Avx.Store(d + 6 * nr, Avx.Permute2x128(u2, u6, 0x31)); Avx.Store(d + 7 * nr, Avx.Permute2x128(u3, u7, 0x31));
            }
            for (; p < kc; p++)
                for (int j = 0; j < 8; j++) dst[(long)p * nr + j0 + j] = s[(long)j * ld + p];
        }
    }

    /// <summary>Packs alpha·op(A)[ic..ic+mc, pc..pc+kc] into mrFull-row panels, each kc×mrFull k-major, zero-padded to mrFull rows.</summary>
    static void PackA<T>(bool transA, T* a, int lda, int ic, int pc, int mc, int kc, T alpha, int mrFull, T* dst)
        where T : unmanaged, INumber<T>
    {
        for (int ir = 0; ir < mc; ir += mrFull, dst += mrFull * kc)
        {
            int mr = Math.Min(mrFull, mc - ir);
            if (transA)
            {
                // op(A)(i, p) = a[p·lda + i]: rows of the panel are contiguous in memory.
                for (int p = 0; p < kc; p++)
                {
                    T* src = a + (long)(pc + p) * lda + ic + ir;
                    T* d = dst + p * mrFull;
                    for (int r = 0; r < mr; r++) d[r] = alpha * src[r];
                }
            }
            else
            {
                // op(A)(i, p) = a[i·lda + p]: each row of the panel is a contiguous run over p.
                for (int r = 0; r < mr; r++)
                {
                    T* src = a + (long)(ic + ir + r) * lda + pc;
                    T* d = dst + r;
                    for (int p = 0; p < kc; p++) d[p * mrFull] = alpha * src[p];
                }
            }
            if (mr < mrFull)
                for (int p = 0; p < kc; p++)
                    for (int r = mr; r < mrFull; r++) dst[p * mrFull + r] = T.Zero;
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, jc..jc+nc] into NR-column panels, each kc×NR k-major, zero-padded to NR columns.</summary>
    static void PackB<T, TV, TS>(bool transB, T* b, int ldb, int pc, int jc, int kc, int nc, T* dst)
        where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int nr = 2 * TS.Count;
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            int nrr = Math.Min(nr, nc - jr);
            if (transB && typeof(T) == typeof(float) && Avx.IsSupported && nrr == nr)
                PackTransposedFloat((float*)(void*)(b + (long)(jc + jr) * ldb + pc), ldb, kc, nr, (float*)(void*)dst);
            else if (transB)
            {
                // op(B)(p, j) = b[j·ldb + p]: each column of the panel is a contiguous run over p.
                for (int j = 0; j < nrr; j++)
                {
                    T* src = b + (long)(jc + jr + j) * ldb + pc;
                    T* d = dst + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                if (nrr < nr)
                    for (int p = 0; p < kc; p++)
                        for (int j = nrr; j < nr; j++) dst[p * nr + j] = T.Zero;
            }
            else
            {
                // op(B)(p, j) = b[p·ldb + j]: each k-row of the panel is contiguous.
                for (int p = 0; p < kc; p++)
                {
                    T* src = b + (long)(pc + p) * ldb + jc + jr;
                    T* d = dst + p * nr;
                    if (nrr == nr)
                    {
                        TS.Store(TS.Load(src), d);
                        TS.Store(TS.Load(src + TS.Count), d + TS.Count);
                    }
                    else
                    {
                        for (int j = 0; j < nrr; j++) d[j] = src[j];
                        for (int j = nrr; j < nr; j++) d[j] = T.Zero;
                    }
                }
            }
        }
    }

    /// <summary>C[0..mr, 0..nr] = A·B + beta·C for a packed kc×TS.Rows panel A and kc×NR panel B (beta = 0 ignores C).</summary>
    static void Kernel<T, TV, TS>(int kc, T* a, T* b, T* c, int ldc, T beta, int mr, int nr)
        where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        int w = TS.Count;
        TV c00 = TS.Zero, c01 = TS.Zero, c10 = TS.Zero, c11 = TS.Zero, c20 = TS.Zero, c21 = TS.Zero, c30 = TS.Zero, c31 = TS.Zero;
        TV c40 = TS.Zero, c41 = TS.Zero, c50 = TS.Zero, c51 = TS.Zero, c60 = TS.Zero, c61 = TS.Zero, c70 = TS.Zero, c71 = TS.Zero;
        TV c80 = TS.Zero, c81 = TS.Zero, c90 = TS.Zero, c91 = TS.Zero, c100 = TS.Zero, c101 = TS.Zero, c110 = TS.Zero, c111 = TS.Zero;
        if (nr <= w)   // narrow edge panel: only the first vector column holds results
        {
            for (int p = 0; p < kc; p++, a += TS.Rows, b += 2 * w)
            {
                TV b0 = TS.Load(b), x;
                x = TS.Splat(a[0]); c00 = TS.Fma(x, b0, c00);
                x = TS.Splat(a[1]); c10 = TS.Fma(x, b0, c10);
                x = TS.Splat(a[2]); c20 = TS.Fma(x, b0, c20);
                x = TS.Splat(a[3]); c30 = TS.Fma(x, b0, c30);
                x = TS.Splat(a[4]); c40 = TS.Fma(x, b0, c40);
                x = TS.Splat(a[5]); c50 = TS.Fma(x, b0, c50);
                if (TS.Rows == 6) continue;
                x = TS.Splat(a[6]); c60 = TS.Fma(x, b0, c60);
                x = TS.Splat(a[7]); c70 = TS.Fma(x, b0, c70);
                x = TS.Splat(a[8]); c80 = TS.Fma(x, b0, c80);
                x = TS.Splat(a[9]); c90 = TS.Fma(x, b0, c90);
                x = TS.Splat(a[10]); c100 = TS.Fma(x, b0, c100);
                x = TS.Splat(a[11]); c110 = TS.Fma(x, b0, c110);
            }
        }
        else
        {
            for (int p = 0; p < kc; p++, a += TS.Rows, b += 2 * w)
            {
                TV b0 = TS.Load(b), b1 = TS.Load(b + w), x;
                x = TS.Splat(a[0]); c00 = TS.Fma(x, b0, c00); c01 = TS.Fma(x, b1, c01);
                x = TS.Splat(a[1]); c10 = TS.Fma(x, b0, c10); c11 = TS.Fma(x, b1, c11);
                x = TS.Splat(a[2]); c20 = TS.Fma(x, b0, c20); c21 = TS.Fma(x, b1, c21);
                x = TS.Splat(a[3]); c30 = TS.Fma(x, b0, c30); c31 = TS.Fma(x, b1, c31);
                x = TS.Splat(a[4]); c40 = TS.Fma(x, b0, c40); c41 = TS.Fma(x, b1, c41);
                x = TS.Splat(a[5]); c50 = TS.Fma(x, b0, c50); c51 = TS.Fma(x, b1, c51);
                if (TS.Rows == 6) continue;
                x = TS.Splat(a[6]); c60 = TS.Fma(x, b0, c60); c61 = TS.Fma(x, b1, c61);
                x = TS.Splat(a[7]); c70 = TS.Fma(x, b0, c70); c71 = TS.Fma(x, b1, c71);
                x = TS.Splat(a[8]); c80 = TS.Fma(x, b0, c80); c81 = TS.Fma(x, b1, c81);
                x = TS.Splat(a[9]); c90 = TS.Fma(x, b0, c90); c91 = TS.Fma(x, b1, c91);
                x = TS.Splat(a[10]); c100 = TS.Fma(x, b0, c100); c101 = TS.Fma(x, b1, c101);
                x = TS.Splat(a[11]); c110 = TS.Fma(x, b0, c110); c111 = TS.Fma(x, b1, c111);
            }
        }
        if (mr == TS.Rows && nr == 2 * w)
        {
            Update<T, TV, TS>(c + 0L * ldc, beta, c00, c01); Update<T, TV, TS>(c + 1L * ldc, beta, c10, c11);
            Update<T, TV, TS>(c + 2L * ldc, beta, c20, c21); Update<T, TV, TS>(c + 3L * ldc, beta, c30, c31);
            Update<T, TV, TS>(c + 4L * ldc, beta, c40, c41); Update<T, TV, TS>(c + 5L * ldc, beta, c50, c51);
            if (TS.Rows == 6) return;
            Update<T, TV, TS>(c + 6L * ldc, beta, c60, c61); Update<T, TV, TS>(c + 7L * ldc, beta, c70, c71);
            Update<T, TV, TS>(c + 8L * ldc, beta, c80, c81); Update<T, TV, TS>(c + 9L * ldc, beta, c90, c91);
            Update<T, TV, TS>(c + 10L * ldc, beta, c100, c101); Update<T, TV, TS>(c + 11L * ldc, beta, c110, c111);
            return;
        }
        // Edge tile: spill the full TS.Rows×NR result and merge only the valid mr×nr corner.
        T* tile = stackalloc T[MaxMR * 2 * Vector512<T>.Count];
        int ld = 2 * w;
        TS.Store(c00, tile + 0 * ld); TS.Store(c01, tile + 0 * ld + w); TS.Store(c10, tile + 1 * ld); TS.Store(c11, tile + 1 * ld + w);
        TS.Store(c20, tile + 2 * ld); TS.Store(c21, tile + 2 * ld + w); TS.Store(c30, tile + 3 * ld); TS.Store(c31, tile + 3 * ld + w);
        TS.Store(c40, tile + 4 * ld); TS.Store(c41, tile + 4 * ld + w); TS.Store(c50, tile + 5 * ld); TS.Store(c51, tile + 5 * ld + w);
        if (TS.Rows > 6)
        {
            TS.Store(c60, tile + 6 * ld); TS.Store(c61, tile + 6 * ld + w); TS.Store(c70, tile + 7 * ld); TS.Store(c71, tile + 7 * ld + w);
            TS.Store(c80, tile + 8 * ld); TS.Store(c81, tile + 8 * ld + w); TS.Store(c90, tile + 9 * ld); TS.Store(c91, tile + 9 * ld + w);
            TS.Store(c100, tile + 10 * ld); TS.Store(c101, tile + 10 * ld + w); TS.Store(c110, tile + 11 * ld); TS.Store(c111, tile + 11 * ld + w);
        }
        for (int i = 0; i < mr; i++)
        {
            T* cRow = c + (long)i * ldc, tRow = tile + i * ld;
            if (beta == T.Zero)
                for (int j = 0; j < nr; j++) cRow[j] = tRow[j];
            else
                for (int j = 0; j < nr; j++) cRow[j] = tRow[j] + beta * cRow[j];
        }
    }

    /// <summary>c[0..2w] = (lo, hi) + beta·c[0..2w], with beta = 0 ignoring c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Update<T, TV, TS>(T* c, T beta, TV lo, TV hi) where T : unmanaged, INumber<T> where TS : ISimd<T, TV>
    {
        if (beta == T.Zero) { }
        else if (beta == T.One) { lo = TS.Add(TS.Load(c), lo); hi = TS.Add(TS.Load(c + TS.Count), hi); }
        else { TV s = TS.Splat(beta); lo = TS.Fma(s, TS.Load(c), lo); hi = TS.Fma(s, TS.Load(c + TS.Count), hi); }
        TS.Store(lo, c);
        TS.Store(hi, c + TS.Count);
    }

    static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    static T* AlignUp<T>(T* p) where T : unmanaged => (T*)(((nint)p + (Align - 1)) & ~(nint)(Align - 1));
}

/// <summary>SIMD vector TV of T: the few operations the GEMM micro-kernel needs.</summary>
internal unsafe interface ISimd<T, TV> where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    /// <summary>Rows of the micro-tile (12 or 6), chosen so its 2·Rows accumulators fit in registers.</summary>
    static abstract int Rows { get; }
    /// <summary>The all-zero vector.</summary>
    static abstract TV Zero { get; }
    /// <summary>v = p[0..Count].</summary>
    static abstract TV Load(T* p);
    /// <summary>p[0..Count] = v.</summary>
    static abstract void Store(TV v, T* p);
    /// <summary>v = (x, x, …, x).</summary>
    static abstract TV Splat(T x);
    /// <summary>x + y.</summary>
    static abstract TV Add(TV x, TV y);
    /// <summary>x·y.</summary>
    static abstract TV Mul(TV x, TV y);
    /// <summary>x·y + z (fused where the hardware has FMA).</summary>
    static abstract TV Fma(TV x, TV y, TV z);
}

/// <summary>ISimd over Vector512 (AVX-512).</summary>
internal readonly unsafe struct Simd512<T> : ISimd<T, Vector512<T>> where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    public static int Count => Vector512<T>.Count;
    /// <summary>Rows of the micro-tile.</summary>
    public static int Rows => 12;
    /// <summary>The all-zero vector.</summary>
    public static Vector512<T> Zero => Vector512<T>.Zero;
    /// <summary>v = p[0..Count].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(T* p) => Vector512.Load(p);
    /// <summary>p[0..Count] = v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> v, T* p) => v.Store(p);
    /// <summary>v = (x, x, …, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Splat(T x) => Vector512.Create(x);
    /// <summary>x + y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> x, Vector512<T> y) => x + y;
    /// <summary>x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Mul(Vector512<T> x, Vector512<T> y) => x * y;
    /// <summary>x·y + z, fused.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma(Vector512<T> x, Vector512<T> y, Vector512<T> z)
    {
        if (typeof(T) == typeof(float))
            return Vector512.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double))
            return Vector512.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}

/// <summary>ISimd over Vector256 (AVX2, fused when FMA3 is present).</summary>
internal readonly unsafe struct Simd256<T> : ISimd<T, Vector256<T>> where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    public static int Count => Vector256<T>.Count;
    /// <summary>Rows of the micro-tile.</summary>
    public static int Rows => 6;
    /// <summary>The all-zero vector.</summary>
    public static Vector256<T> Zero => Vector256<T>.Zero;
    /// <summary>v = p[0..Count].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(T* p) => Vector256.Load(p);
    /// <summary>p[0..Count] = v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> v, T* p) => v.Store(p);
    /// <summary>v = (x, x, …, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Splat(T x) => Vector256.Create(x);
    /// <summary>x + y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> x, Vector256<T> y) => x + y;
    /// <summary>x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Mul(Vector256<T> x, Vector256<T> y) => x * y;
    /// <summary>x·y + z, fused when FMA3 is available.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma(Vector256<T> x, Vector256<T> y, Vector256<T> z)
    {
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported && typeof(T) == typeof(float))
            return Vector256.FusedMultiplyAdd(x.AsSingle(), y.AsSingle(), z.AsSingle()).As<float, T>();
        if (System.Runtime.Intrinsics.X86.Fma.IsSupported && typeof(T) == typeof(double))
            return Vector256.FusedMultiplyAdd(x.AsDouble(), y.AsDouble(), z.AsDouble()).As<double, T>();
        return x * y + z;
    }
}

/// <summary>ISimd over Vector128 (portable fallback: SSE, NEON or software).</summary>
internal readonly unsafe struct Simd128<T> : ISimd<T, Vector128<T>> where T : unmanaged
{
    /// <summary>Lanes per vector.</summary>
    public static int Count => Vector128<T>.Count;
    /// <summary>Rows of the micro-tile.</summary>
    public static int Rows => 6;
    /// <summary>The all-zero vector.</summary>
    public static Vector128<T> Zero => Vector128<T>.Zero;
    /// <summary>v = p[0..Count].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(T* p) => Vector128.Load(p);
    /// <summary>p[0..Count] = v.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> v, T* p) => v.Store(p);
    /// <summary>v = (x, x, …, x).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Splat(T x) => Vector128.Create(x);
    /// <summary>x + y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> x, Vector128<T> y) => x + y;
    /// <summary>x·y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Mul(Vector128<T> x, Vector128<T> y) => x * y;
    /// <summary>x·y + z (not fused: exact emulation of FMA would be slow without hardware support).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Fma(Vector128<T> x, Vector128<T> y, Vector128<T> z) => x * y + z;
}
