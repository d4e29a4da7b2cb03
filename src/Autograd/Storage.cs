namespace Framework.Autograd;

/// <summary>A flat block of elements that one or more tensors view.</summary>
internal abstract class Storage
{
    private static long allocations;

    /// <summary>Order of allocation: storages made while a backward rule runs have serials at or above the count taken before it.</summary>
    internal readonly long Serial = Interlocked.Increment(ref allocations);

    /// <summary>The serial the next storage will get.</summary>
    internal static long NextSerial => Interlocked.Read(ref allocations) + 1;

    /// <summary>Number of elements.</summary>
    public abstract int Length { get; }

    /// <summary>Element type.</summary>
    public abstract DType DType { get; }

    /// <summary>A new zero-filled storage of the given dtype and length.</summary>
    public static Storage Allocate(DType dtype, int length) => dtype switch
    {
        DType.Float32 => new Storage<float>(length),
        DType.Float64 => new Storage<double>(length),
        DType.Int64 => new Storage<long>(length),
        DType.Bool => new Storage<bool>(length),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}

/// <summary>Storage backed by a managed array of T.</summary>
internal sealed class Storage<T> : Storage where T : unmanaged
{
    /// <summary>The elements.</summary>
    public readonly T[] Data;

    /// <summary>A zero-filled storage of the given length.</summary>
    public Storage(int length) => Data = length == 0 ? [] : new T[length];

    /// <summary>Wraps an existing array (not copied).</summary>
    public Storage(T[] data) => Data = data;

    /// <inheritdoc/>
    public override int Length => Data.Length;

    /// <inheritdoc/>
    public override DType DType => TypeOf<T>.DType;
}

/// <summary>Maps a CLR element type to its DType.</summary>
internal static class TypeOf<T>
{
    /// <summary>The DType of T.</summary>
    public static readonly DType DType =
        typeof(T) == typeof(float) ? DType.Float32 :
        typeof(T) == typeof(double) ? DType.Float64 :
        typeof(T) == typeof(long) ? DType.Int64 :
        typeof(T) == typeof(bool) ? DType.Bool :
        throw new NotSupportedException($"No dtype for {typeof(T)}");
}

/// <summary>A shared counter bumped by every in-place change of the tensors that share it.</summary>
internal sealed class VersionCounter
{
    /// <summary>Current version.</summary>
    public int Value;
}
