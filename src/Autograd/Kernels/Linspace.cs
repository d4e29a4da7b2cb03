using System.Numerics;

namespace Framework.Autograd.Kernels;

/// <summary>
/// torch.linspace's CPU values, bit for bit (PyTorch 1.13 as Debian builds it: AVX2 kernels, compiled with fused multiply-adds).
/// </summary>
/// <remarks>
/// step = (end − start) / (steps − 1). Index i below steps/2 is fma(step, i, start), else fma(−step, steps − 1 − i, end).
/// PyTorch's vectorised loop runs over each thread's range [begin, end) in pairs of vectors of 8 floats (4 doubles): each
/// vector's first element is the scalar value at its index b, and element j of it is b + (j·step), rounded twice
/// (Vectorized::arange). The range's tail that fills no pair of vectors takes the scalar value. Ranges longer than
/// PyTorch's grain (32,768) split into one chunk per thread, as at::parallel_for does; we take one thread per core.
/// </remarks>
internal static class Linspace
{
    private const int Grain = 32768;

    /// <summary>Fills <paramref name="y"/> (length steps ≥ 2) with PyTorch's linspace values from <paramref name="start"/> to <paramref name="end"/>, as PyTorch running <paramref name="torchThreads"/> threads computes them (one per core when 0).</summary>
    public static void Fill<T>(Span<T> y, T start, T end, int torchThreads = 0) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int steps = y.Length;
        T step = (end - start) / T.CreateTruncating(steps - 1);
        int vec = 32 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();          // AVX2: 256-bit vectors
        int threads = (int)Math.Min(torchThreads > 0 ? torchThreads : Environment.ProcessorCount, (steps + (long)Grain - 1) / Grain);
        int chunk = (steps + threads - 1) / threads;
        for (int begin = 0; begin < steps; begin += chunk)
        {
            int stop = Math.Min(steps, begin + chunk), i = begin;
            for (; i + 2 * vec <= stop; i += 2 * vec)         // two vectors per round, as PyTorch's vectorized_loop
            {
                Vector(y, i, vec, Scalar(i, steps, start, end, step), step);
                Vector(y, i + vec, vec, Scalar(i + vec, steps, start, end, step), step);
            }
            for (; i < stop; i++) y[i] = Scalar(i, steps, start, end, step);
        }
    }

    private static void Vector<T>(Span<T> y, int i, int vec, T b, T step) where T : unmanaged, IFloatingPointIeee754<T>
    {
        y[i] = b;
        for (int j = 1; j < vec; j++) y[i + j] = b + T.CreateTruncating(j) * step;
    }

    private static T Scalar<T>(int i, int steps, T start, T end, T step) where T : unmanaged, IFloatingPointIeee754<T>
        => i < steps / 2 ? T.FusedMultiplyAdd(step, T.CreateTruncating(i), start)
                         : T.FusedMultiplyAdd(-step, T.CreateTruncating(steps - 1 - i), end);
}
