using System.Runtime.CompilerServices;

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

    /// <summary>The pool's hold on this storage's array; null for small or wrapped arrays.</summary>
    internal StoragePool.Lease? lease;

    /// <summary>A new storage of the given dtype and length: zero-filled, or with undefined contents when <paramref name="clear"/> is false.</summary>
    public static Storage Allocate(DType dtype, int length, bool clear = true) => dtype switch
    {
        DType.Float32 => new Storage<float>(length, clear),
        DType.Float64 => new Storage<double>(length, clear),
        DType.Int64 => new Storage<long>(length, clear),
        DType.Bool => new Storage<bool>(length, clear),
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };
}

/// <summary>Storage backed by a managed array of T.</summary>
internal sealed class Storage<T> : Storage where T : unmanaged
{
    /// <summary>The elements.</summary>
    public readonly T[] Data;

    /// <summary>A storage of the given length, zero-filled unless <paramref name="clear"/> is false; large ones come from <see cref="StoragePool"/>.</summary>
    public Storage(int length, bool clear = true)
    {
        if ((long)length * Unsafe.SizeOf<T>() >= StoragePool.MinBytes) Data = StoragePool.Rent<T>(length, clear, out lease);
        else Data = length == 0 ? [] : new T[length];
    }

    /// <summary>Wraps an existing array (not copied).</summary>
    public Storage(T[] data) => Data = data;

    /// <inheritdoc/>
    public override int Length => Data.Length;

    /// <inheritdoc/>
    public override DType DType => TypeOf<T>.DType;
}

/// <summary>A shared counter bumped by every in-place change of the tensors that share it.</summary>
internal sealed class VersionCounter
{
    /// <summary>Current version.</summary>
    public int Value;
}
