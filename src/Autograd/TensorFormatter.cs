namespace Framework.Autograd;

/// <summary>Temporary formatter (replaced by the PyTorch-exact one).</summary>
internal static class TensorFormatter
{
    public static string Format(ReadOnlySpan<double> values, int[] shape, DType dtype, IReadOnlyList<string> suffixes)
        => "tensor(" + string.Join(", ", values.ToArray()) + (suffixes.Count > 0 ? ", " + string.Join(", ", suffixes) : "") + ")";
    public static string Format(ReadOnlySpan<long> values, int[] shape, IReadOnlyList<string> suffixes)
        => "tensor(" + string.Join(", ", values.ToArray()) + (suffixes.Count > 0 ? ", " + string.Join(", ", suffixes) : "") + ")";
}
