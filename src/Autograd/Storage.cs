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
    public static Storage Allocate(DType dtype, int length, bool clear = true)
    {
        var make = new Make(length, clear);
        DTypeDispatch.Any(dtype, ref make);
        return make.Result!;
    }

    /// <summary>Records an access by the calling thread: a pooled storage read or written by a thread other than its owner never returns to the pool (see <see cref="StoragePool"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected void Touch()
    {
        var l = lease;
        if (l is not null && l.Thread != Environment.CurrentManagedThreadId) l.Shared = true;
    }

    private struct Make(int length, bool clear) : IElementKernel
    {
        public Storage? Result;
        public void Invoke<T>() where T : unmanaged => Result = new Storage<T>(length, clear);
    }
}

/// <summary>Storage backed by a managed array of T.</summary>
internal sealed class Storage<T> : Storage where T : unmanaged
{
    private readonly T[] data;

    /// <summary>The elements; every access goes through here, so the pool sees which threads use the storage.</summary>
    public T[] Data
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get { Touch(); return data; }
    }

    /// <summary>A storage of the given length, zero-filled unless <paramref name="clear"/> is false; large ones come from <see cref="StoragePool"/>.</summary>
    public Storage(int length, bool clear = true)
    {
        if ((long)length * Unsafe.SizeOf<T>() >= StoragePool.Options.MinBytes) data = StoragePool.Rent<T>(length, clear, out lease);
        else data = length == 0 ? [] : new T[length];
    }

    /// <summary>Wraps an existing array (not copied).</summary>
    public Storage(T[] data) => this.data = data;

    /// <inheritdoc/>
    public override int Length => data.Length;

    /// <inheritdoc/>
    public override DType DType => TypeOf<T>.DType;
}

/// <summary>A shared counter bumped by every in-place change of the tensors that share it.</summary>
internal sealed class VersionCounter
{
    /// <summary>Current version.</summary>
    public int Value;
}
