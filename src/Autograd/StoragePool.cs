namespace Framework.Autograd;

/// <summary>Settings of <see cref="StoragePool"/>; replace the whole object to change them (<c>StoragePool.Options = StoragePool.Options with { ... }</c>).</summary>
public sealed record StoragePoolOptions
{
    /// <summary>Smallest array (in bytes) that is pooled; smaller ones are cheap gen0 allocations.</summary>
    public int MinBytes { get; init; } = 4 * 1024;

    /// <summary>Bytes handed out between two reclaims; beyond it the next safe point collects and takes dead storages' arrays back.</summary>
    public long Budget { get; init; } = 32L << 20;

    /// <summary>Most bytes kept idle in the pool; arrays beyond it are left to the garbage collector.</summary>
    public long MaxIdleBytes { get; init; } = 512L << 20;

    /// <summary>When set, arrays handed out with undefined contents are filled with NaN-like garbage (the tests set it, so an op that reads an output it did not write fails).</summary>
    public bool Poison { get; init; }
}

/// <summary>
/// Reuses the arrays of large storages (the caching allocator's role in PyTorch). An array is free once (1) the garbage
/// collector has found its storage unreachable, (2) no thread other than the storage's owner ever touched the storage
/// (every element access goes through the storage, which notes a foreign thread; such arrays are left to the garbage
/// collector, which frees them only when no span refers to them), and (3) the owner thread has since reached a safe
/// point (<see cref="Reclaim"/>: an optimizer's ZeroGrad, a DataLoader's next batch), where none of its kernels can
/// still be reading the array. Arrays are leased only while safe points keep coming, so a program without them runs
/// on plain garbage-collected arrays, and the arrays waiting for a safe point are bounded in bytes.
/// </summary>
public static class StoragePool
{
    private static StoragePoolOptions options = new();

    /// <summary>The pool's settings.</summary>
    public static StoragePoolOptions Options
    {
        get => Volatile.Read(ref options);
        set => Volatile.Write(ref options, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Most bytes waiting for a safe point; beyond it (a loop that never reaches one) the oldest are left to the garbage collector.</summary>
    private static long MaxPendingBytes => Math.Max(4 * Options.Budget, 64L << 20);

    private static readonly object gate = new();
    private static readonly System.Collections.Concurrent.ConcurrentQueue<Pending> pending = new();   // oldest first; finalizers add without the lock
    private static readonly Dictionary<(Type, int), Bucket> idle = [];
    private static long handedOutSinceReclaim, handedOutSinceSafePoint, idleBytes, pendingBytes, reused, fresh;
    private static int reclaims;

    /// <summary>A storage's hold on a pooled array: returns the array as pending when the storage (its only referrer) is collected.</summary>
    internal sealed class Lease(Array data)
    {
        /// <summary>The array.</summary>
        public readonly Array Data = data;

        /// <summary>Managed id of the thread whose safe points may take the array back.</summary>
        public volatile int Thread = Environment.CurrentManagedThreadId;

        /// <summary>Set once a thread other than <see cref="Thread"/> touched the storage: the array then never returns to the pool.</summary>
        public volatile bool Shared;

        /// <summary>Runs once the storage and this lease are unreachable: the array comes back, pending.</summary>
        ~Lease() => Died(this);
    }

    private readonly record struct Pending(Array Data, int Thread, int Since);

    private sealed class Bucket
    {
        public readonly Stack<Array> Arrays = new();
        public int LastUsed;
    }

    /// <summary>Reclaims so far, arrays handed out again, and fresh arrays allocated.</summary>
    public static (int Reclaims, long Reused, long Fresh) Stats { get { lock (gate) return (reclaims, reused, fresh); } }

    /// <summary>Bytes of arrays whose storages have died, waiting for their thread's next safe point.</summary>
    public static long PendingBytes => Interlocked.Read(ref pendingBytes);

    /// <summary>
    /// An array of exactly <paramref name="length"/> elements for a storage, zero-filled when <paramref name="clear"/>, else
    /// with undefined contents; under a lease while safe points keep coming (without them a plain array is cheaper: a
    /// finalizer would only make the collector hold dead arrays longer).
    /// </summary>
    internal static T[] Rent<T>(int length, bool clear, out Lease? lease) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        T[]? data = null;
        bool leased;
        lock (gate)
        {
            handedOutSinceReclaim += bytes;
            handedOutSinceSafePoint += bytes;
            leased = handedOutSinceSafePoint <= MaxPendingBytes;
            if (idle.TryGetValue((typeof(T), length), out var bucket) && bucket.Arrays.Count > 0)
            {
                data = (T[])bucket.Arrays.Pop();
                bucket.LastUsed = reclaims;
                idleBytes -= bytes;
                reused++;
            }
            else fresh++;
        }
        if (data is null) data = clear ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        else if (clear) Array.Clear(data);
        if (!clear && Options.Poison) System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).Fill(0xFF);
        lease = leased ? new Lease(data) : null;
        return data;
    }

    /// <summary>Hands the storages of <paramref name="tensors"/> to the calling thread (a batch made by a worker thread that no longer uses it, now consumed here).</summary>
    public static void Adopt(IEnumerable<Tensor> tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        foreach (var t in tensors) if (t.storage.lease is { } lease) lease.Thread = Environment.CurrentManagedThreadId;
    }

    private static void Died(Lease lease)
    {
        long bytes = Buffer.ByteLength(lease.Data);
        if (lease.Shared || bytes > MaxPendingBytes) return;   // another thread may still hold a span of it: the garbage collector decides
        while (Interlocked.Read(ref pendingBytes) + bytes > MaxPendingBytes && pending.TryDequeue(out var oldest))   // the oldest go to the garbage collector
            Interlocked.Add(ref pendingBytes, -Buffer.ByteLength(oldest.Data));
        pending.Enqueue(new Pending(lease.Data, lease.Thread, Volatile.Read(ref reclaims)));
        Interlocked.Add(ref pendingBytes, bytes);
    }

    /// <summary>
    /// At a safe point of the calling thread (none of its kernels mid-flight): once <see cref="StoragePoolOptions.Budget"/> bytes have been
    /// handed out since the last time, collects the young generations (their dead storages' arrays turn pending as the
    /// finalizer thread gets to them) and makes this thread's pending arrays available again.
    /// </summary>
    public static void Reclaim()
    {
        lock (gate)
        {
            handedOutSinceSafePoint = 0;
            if (handedOutSinceReclaim < Options.Budget) return;
        }
        GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
        Sweep();
    }

    /// <summary>Moves this thread's pending arrays to the idle buckets, drops other threads' that waited long, and drops buckets unused for a few reclaims.</summary>
    private static void Sweep()
    {
        int thread = Environment.CurrentManagedThreadId;
        lock (gate)
        {
            reclaims++;
            handedOutSinceReclaim = 0;
            for (int i = pending.Count; i > 0 && pending.TryDequeue(out var p); i--)
            {
                bool mine = p.Thread == thread;
                if (!mine && reclaims - p.Since <= 4) { pending.Enqueue(p); continue; }
                long bytes = Buffer.ByteLength(p.Data);
                Interlocked.Add(ref pendingBytes, -bytes);
                if (!mine || idleBytes + bytes > Options.MaxIdleBytes) continue;
                var key = (p.Data.GetType().GetElementType()!, p.Data.Length);
                if (!idle.TryGetValue(key, out var bucket)) idle[key] = bucket = new Bucket { LastUsed = reclaims };
                bucket.Arrays.Push(p.Data);
                idleBytes += bytes;
            }
            List<(Type, int)>? stale = null;
            foreach (var (key, bucket) in idle)
                if (reclaims - bucket.LastUsed > 4) (stale ??= []).Add(key);
            if (stale is null) return;
            foreach (var key in stale)
            {
                foreach (var a in idle[key].Arrays) idleBytes -= Buffer.ByteLength(a);
                idle.Remove(key);
            }
        }
    }
}
