using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Framework.Autograd.Kernels;

/// <summary>Row-major single and double precision GEMM from the system OpenBLAS library, when it can be loaded.</summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> sgemm;
    private static readonly delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> dgemm;

    /// <summary>Whether libopenblas was found and exports both cblas_sgemm and cblas_dgemm.</summary>
    public static bool Available { get; }

    /// <summary>The CPU kernel set OpenBLAS selected (e.g. "SkylakeX"), or null when unknown.</summary>
    public static string? CoreName { get; }

    /// <summary>False when OpenBLAS fell back to pre-AVX kernels on a CPU with AVX2/FMA (its CPU detection failed), so the managed kernel is faster.</summary>
    public static bool Tuned => !(Avx2.IsSupported && System.Runtime.Intrinsics.X86.Fma.IsSupported && CoreName?.ToLowerInvariant() is "prescott" or "core2" or "penryn" or "dunnington" or "nehalem" or "atom");

    static OpenBlas()
    {
        try
        {
            if (!TryLoad(out nint lib)) return;
            if (!NativeLibrary.TryGetExport(lib, "cblas_sgemm", out nint s) || !NativeLibrary.TryGetExport(lib, "cblas_dgemm", out nint d)) return;
            sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)s;
            dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)d;
            if (NativeLibrary.TryGetExport(lib, "openblas_set_num_threads", out nint t) && Environment.GetEnvironmentVariable("OPENBLAS_NUM_THREADS") is null)
                ((delegate* unmanaged<int, void>)t)(Environment.ProcessorCount);   // a user's OPENBLAS_NUM_THREADS wins
            if (NativeLibrary.TryGetExport(lib, "openblas_get_corename", out nint cn))
                CoreName = Marshal.PtrToStringAnsi((nint)((delegate* unmanaged<byte*>)cn)());
            Available = true;
        }
        catch (Exception) { Available = false; } // a broken or foreign library must never take the process down
    }

    /// <summary>Loads the first OpenBLAS library name that resolves.</summary>
    private static bool TryLoad(out nint lib)
    {
        foreach (var name in (ReadOnlySpan<string>)["libopenblas.so.0", "libopenblas.so", "libopenblas.dylib", "libopenblas.dll", "openblas"])
            if (NativeLibrary.TryLoad(name, out lib)) return true;
        lib = 0;
        return false;
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C via cblas_sgemm for T = float, cblas_dgemm for T = double.</summary>
    public static void Gemm<T>(bool transA, bool transB, int m, int n, int k, T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, T beta, Span<T> c, int ldc)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Sgemm(transA, transB, m, n, k, Unsafe.BitCast<T, float>(alpha), MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb, Unsafe.BitCast<T, float>(beta), MemoryMarshal.Cast<T, float>(c), ldc);
        else if (typeof(T) == typeof(double))
            Dgemm(transA, transB, m, n, k, Unsafe.BitCast<T, double>(alpha), MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb, Unsafe.BitCast<T, double>(beta), MemoryMarshal.Cast<T, double>(c), ldc);
        else throw new NotSupportedException($"OpenBLAS has no GEMM for {typeof(T).Name}");
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C in single precision via cblas_sgemm (row-major); all dimensions must be positive.</summary>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (!Available) throw new InvalidOperationException("OpenBLAS is not available.");
        fixed (float* pa = a) fixed (float* pb = b) fixed (float* pc = c)
            sgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }

    /// <summary>C = alpha * op(A) * op(B) + beta * C in double precision via cblas_dgemm (row-major); all dimensions must be positive.</summary>
    public static void Dgemm(bool transA, bool transB, int m, int n, int k, double alpha, ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc)
    {
        if (!Available) throw new InvalidOperationException("OpenBLAS is not available.");
        fixed (double* pa = a) fixed (double* pb = b) fixed (double* pc = c)
            dgemm(RowMajor, transA ? Trans : NoTrans, transB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
    }
}
