using System.Numerics;

namespace Framework.Autograd;

/// <summary>A kernel that runs over elements of any dtype: <see cref="Invoke{T}"/> is called with T the dtype's element type.</summary>
public interface IElementKernel
{
    /// <summary>Runs the kernel for element type T.</summary>
    void Invoke<T>() where T : unmanaged;
}

/// <summary>A kernel over numeric dtypes (Float32, Float64, Int64): <see cref="Invoke{T}"/> is called with T the dtype's element type.</summary>
public interface INumericKernel
{
    /// <summary>Runs the kernel for element type T.</summary>
    void Invoke<T>() where T : unmanaged, INumber<T>;
}

/// <summary>A kernel over floating dtypes (Float32, Float64): <see cref="Invoke{T}"/> is called with T the dtype's element type.</summary>
public interface IFloatingKernel
{
    /// <summary>Runs the kernel for element type T.</summary>
    void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// The one place that maps a <see cref="DType"/> to its CLR element type. Ops hold their kernel's arguments in a struct
/// implementing one of the kernel interfaces and call it through here; a new dtype is added here and in the kernels.
/// </summary>
public static class DTypeDispatch
{
    /// <summary>Runs <paramref name="kernel"/> with T the element type of <paramref name="dtype"/> (every dtype).</summary>
    public static void Any<K>(DType dtype, ref K kernel) where K : IElementKernel, allows ref struct
    {
        switch (dtype)
        {
            case DType.Float32: kernel.Invoke<float>(); break;
            case DType.Float64: kernel.Invoke<double>(); break;
            case DType.Int64: kernel.Invoke<long>(); break;
            case DType.Bool: kernel.Invoke<bool>(); break;
            default: throw Unsupported(dtype);
        }
    }

    /// <summary>Runs <paramref name="kernel"/> with T the element type of a numeric <paramref name="dtype"/>; Bool throws.</summary>
    public static void Numeric<K>(DType dtype, ref K kernel) where K : INumericKernel, allows ref struct
    {
        switch (dtype)
        {
            case DType.Float32: kernel.Invoke<float>(); break;
            case DType.Float64: kernel.Invoke<double>(); break;
            case DType.Int64: kernel.Invoke<long>(); break;
            default: throw Unsupported(dtype);
        }
    }

    /// <summary>Runs <paramref name="kernel"/> with T the element type of a floating <paramref name="dtype"/>; others throw.</summary>
    public static void Floating<K>(DType dtype, ref K kernel) where K : IFloatingKernel, allows ref struct
    {
        switch (dtype)
        {
            case DType.Float32: kernel.Invoke<float>(); break;
            case DType.Float64: kernel.Invoke<double>(); break;
            default: throw Unsupported(dtype);
        }
    }

    /// <summary>The dtype whose element type is T.</summary>
    public static DType Of<T>() where T : unmanaged => TypeOf<T>.Known ?? throw new NotSupportedException($"No dtype for {typeof(T)}");

    /// <summary>The dtype whose element type is T, or null when T is no dtype's element type.</summary>
    public static DType? Find<T>() => TypeOf<T>.Known;

    /// <summary>PyTorch's error for an op that has no kernel for <paramref name="dtype"/>.</summary>
    public static ArgumentException Unsupported(DType dtype) => new($"This operation is not supported for {dtype.TorchName()} tensors.");
}

/// <summary>Maps a CLR element type to its DType.</summary>
internal static class TypeOf<T>
{
    /// <summary>The DType of T, or null when T is no dtype's element type.</summary>
    public static readonly DType? Known =
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(bool) ? DType.Bool :
        null;

    /// <summary>The DType of T (T must be a dtype's element type).</summary>
    public static readonly DType DType = Known ?? default;
}
