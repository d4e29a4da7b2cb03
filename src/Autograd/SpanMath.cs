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

    /// <summary>
    /// d[i] = e^x[i]; d may be x. Float32 is vectorised to within 1.5 ulp of e^x (Tensor.Exp may differ from it by an ulp);
    /// Float64 is TensorPrimitives' exp, as Tensor.Exp computes it.
    /// </summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (d.Length != x.Length) throw new ArgumentException($"SpanMath.Exp: the output has {d.Length} elements, the input {x.Length}");
        if (typeof(T) == typeof(float)) FastExp.ApplyAnywhere(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(d));
        else System.Numerics.Tensors.TensorPrimitives.Exp(x, d);
    }
}
