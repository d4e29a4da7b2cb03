namespace Framework.Autograd;

/// <summary>Element type of a tensor; Float32 is the default floating type.</summary>
public enum DType
{
    /// <summary>32-bit IEEE float (torch.float32).</summary>
    Float32,
    /// <summary>64-bit IEEE float (torch.float64).</summary>
    Float64,
    /// <summary>64-bit signed integer (torch.int64).</summary>
    Int64,
    /// <summary>Boolean (torch.bool).</summary>
    Bool,
}

/// <summary>Facts about dtypes: size, category, PyTorch's name.</summary>
public static class DTypes
{
    /// <summary>True for Float32 and Float64.</summary>
    public static bool IsFloatingPoint(this DType dtype) => dtype is DType.Float32 or DType.Float64;

    /// <summary>PyTorch's name, e.g. "torch.float32".</summary>
    public static string TorchName(this DType dtype) => dtype switch
    {
        DType.Float32 => "torch.float32",
        DType.Float64 => "torch.float64",
        DType.Int64 => "torch.int64",
        DType.Bool => "torch.bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>PyTorch's C++ ScalarType name, as its error messages print it: "Float", "Double", "Long", "Bool".</summary>
    internal static string ScalarTypeName(this DType dtype) => dtype switch
    {
        DType.Float32 => "Float",
        DType.Float64 => "Double",
        DType.Int64 => "Long",
        DType.Bool => "Bool",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    /// <summary>Size of one element in bytes.</summary>
    public static int ElementSize(this DType dtype) => dtype switch
    {
        DType.Float32 => 4,
        DType.Float64 => 8,
        DType.Int64 => 8,
        DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}
