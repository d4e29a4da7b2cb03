using Framework.Autograd;

namespace Framework.Optim;

/// <summary>Helpers for state tensors: deep copies and reads from state dicts.</summary>
internal static class StateTensors
{
    /// <summary>A new contiguous tensor with <paramref name="src"/>'s values converted to <paramref name="dtype"/>; no graph.</summary>
    public static Tensor Copy(Tensor src, DType dtype) => Tensor.Empty(src.Shape, dtype).CopyFrom(src.Detach());

    /// <summary>A deep copy of src, or null.</summary>
    public static Tensor? CopyOrNull(Tensor? src) => src is null ? null : Copy(src, src.DType);

    /// <summary>The tensor under <paramref name="key"/> copied to <paramref name="param"/>'s dtype, or null when absent or null.</summary>
    public static Tensor? Read(IReadOnlyDictionary<string, object?> dict, string key, Tensor param)
        => dict.TryGetValue(key, out var v) && v is Tensor t ? Copy(t, param.DType) : null;

    /// <summary>The tensor under <paramref name="key"/>, which must be present, copied to <paramref name="param"/>'s dtype.</summary>
    public static Tensor ReadRequired(IReadOnlyDictionary<string, object?> dict, string key, Tensor param)
        => Read(dict, key, param) ?? throw new ArgumentException($"optimizer state is missing the tensor \"{key}\"");

    /// <summary>The step count under "step" (a long, an int, a double or a 0-d tensor), 0 when absent.</summary>
    public static long ReadStep(IReadOnlyDictionary<string, object?> dict) => dict.TryGetValue("step", out var v) ? v switch
    {
        null => 0,
        Tensor t => (long)t.To(DType.Float64).Item<double>(),
        IConvertible c => Convert.ToInt64(c, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"optimizer state has a \"step\" of type {v.GetType().Name}"),
    } : 0;
}
