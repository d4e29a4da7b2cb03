using System.Numerics;
using System.Runtime.InteropServices;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

/// <summary>Elementwise special functions on spans, the kernels the tensor ops run, for fused kernels written outside this assembly.</summary>
public static class SpanMath
{
    /// <summary>d[i] = erf(scale·x[i]), as <see cref="Tensor.Erf"/> computes it; d may be x.</summary>
    public static void Erf<T>(ReadOnlySpan<T> x, Span<T> d, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (d.Length != x.Length) throw new ArgumentException($"SpanMath.Erf: the output has {d.Length} elements, the input {x.Length}");
        if (typeof(T) == typeof(float))
        {
            FastErf.Apply(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d), float.CreateTruncating(scale));
            return;
        }
        for (int i = 0; i < d.Length; i++) d[i] = T.CreateTruncating(SpecialMath.Erf(double.CreateTruncating(scale * x[i])));
    }
}
