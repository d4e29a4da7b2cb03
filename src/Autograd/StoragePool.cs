using System.Runtime.InteropServices;

namespace Framework.Autograd;

/// <summary>
/// Reuses the arrays of large storages (the caching allocator's role in PyTorch). A storage of at least
/// <see cref="MinBytes"/> takes its array from here under a <see cref="Lease"/> that watches the storage through a weak
/// handle. The array comes back only at a safe point of the thread that holds the lease (<see cref="Reclaim"/>: an
/// optimizer's ZeroGrad, a DataLoader's next batch), after a collection has shown that nothing references the storage:
/// there no kernel of that thread can still be reading an array whose tensor has died.
/// </summary>
internal static class StoragePool
{
    /// <summary>Smallest array (in bytes) that is pooled; smaller ones are cheap gen0 allocations.</summary>
    public static int MinBytes = 16 * 1024;

    /// <summary>When set, arrays handed out with undefined contents are filled with NaN-like garbage (the tests set it, so an op that reads an output it did not write fails).</summary>
    public static bool Poison;

    /// <summary>Bytes handed out between two reclaims; beyond it the next safe point collects and takes dead storages' arrays back.</summary>
    public static long Budget = 32L << 20;

    /// <summary>Most bytes kept idle in the pool; arrays beyond it are left to the garbage collector.</summary>
    public static long MaxIdleBytes = 512L << 20;

    private static readonly object gate = new();
    private static readonly List<Lease> lent = [];
    private static readonly Dictionary<(Type, int), Bucket> idle = [];
    private static long handedOutSinceReclaim, handedOutSincePrune, idleBytes, reused, fresh;
    private static int reclaims;

    /// <summary>One storage's hold on a pooled array, and the thread whose safe points may take the array back.</summary>
    internal sealed class Lease(Storage owner, Array data)
    {
        /// <summary>Weak reference to the storage.</summary>
        public GCHandle Owner = GCHandle.Alloc(owner, GCHandleType.Weak);
        /// <summary>The array.</summary>
        public readonly Array Data = data;
        /// <summary>Managed id of the thread that owns the storage's kernels.</summary>
        public volatile int Thread = Environment.CurrentManagedThreadId;
    }

    private sealed class Bucket
    {
        public readonly Stack<Array> Arrays = new();
        public int LastUsed;
    }

    /// <summary>Reclaims so far, arrays handed out again, and fresh arrays allocated (for tests and the benchmarks).</summary>
    public static (int Reclaims, long Reused, long Fresh) Stats { get { lock (gate) return (reclaims, reused, fresh); } }

    /// <summary>Arrays currently leased (to live storages, or to dead ones not yet swept or pruned).</summary>
    public static int LentCount { get { lock (gate) return lent.Count; } }

    /// <summary>Bytes currently idle in the pool.</summary>
    public static long IdleBytes { get { lock (gate) return idleBytes; } }

    /// <summary>An array of exactly <paramref name="length"/> elements leased to <paramref name="owner"/>: zero-filled when <paramref name="clear"/>, else with undefined contents.</summary>
    public static T[] Rent<T>(Storage owner, int length, bool clear, out Lease lease) where T : unmanaged
    {
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        T[]? data = null;
        lock (gate)
        {
            handedOutSinceReclaim += bytes;
            if (idle.TryGetValue((typeof(T), length), out var bucket) && bucket.Arrays.Count > 0)
            {
                data = (T[])bucket.Arrays.Pop();
                bucket.LastUsed = reclaims;
                idleBytes -= bytes;
                reused++;
            }
            else fresh++;
        }
        if (data == null) data = clear ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        else if (clear) Array.Clear(data);
        if (!clear && Poison) System.Runtime.InteropServices.MemoryMarshal.AsBytes(data.AsSpan()).Fill(0xFF);
        lease = new Lease(owner, data);
        lock (gate)
        {
            lent.Add(lease);
            handedOutSincePrune += bytes;
            if (handedOutSincePrune >= Math.Max(2 * Budget, 16L << 20)) Prune();
        }
        return data;
    }

    /// <summary>Hands the storages of <paramref name="tensors"/> to the calling thread (a batch made by a worker thread, now consumed here).</summary>
    public static void Adopt(IEnumerable<Tensor> tensors)
    {
        foreach (var t in tensors) if (t.storage.lease is { } lease) lease.Thread = Environment.CurrentManagedThreadId;
    }

    /// <summary>
    /// At a safe point of the calling thread (none of its kernels mid-flight): once <see cref="Budget"/> bytes have been
    /// handed out since the last time, collects the young generations and takes back the arrays of this thread's storages
    /// that nothing references any more.
    /// </summary>
    public static void Reclaim()
    {
        if (Interlocked.Read(ref handedOutSinceReclaim) < Budget) return;
        GC.Collect(1, GCCollectionMode.Forced, blocking: true, compacting: false);
        Sweep();
    }

    /// <summary>
    /// Without safe points (a loop that never calls ZeroGrad or takes DataLoader batches) nothing comes back to the pool;
    /// this forgets the leases of dead storages, leaving their arrays to the garbage collector, so they are not held forever.
    /// </summary>
    private static void Prune()
    {
        handedOutSincePrune = 0;
        for (int i = lent.Count - 1; i >= 0; i--)
        {
            var l = lent[i];
            if (l.Owner.Target != null) continue;
            l.Owner.Free();
            lent[i] = lent[^1];
            lent.RemoveAt(lent.Count - 1);
        }
    }

    /// <summary>Moves the arrays of this thread's dead storages to the idle buckets and drops buckets unused for a few reclaims.</summary>
    internal static void Sweep()
    {
        int thread = Environment.CurrentManagedThreadId;
        lock (gate)
        {
            reclaims++;
            handedOutSinceReclaim = handedOutSincePrune = 0;
            for (int i = lent.Count - 1; i >= 0; i--)
            {
                var l = lent[i];
                if (l.Thread != thread || l.Owner.Target != null) continue;
                l.Owner.Free();
                lent[i] = lent[^1];
                lent.RemoveAt(lent.Count - 1);
                long bytes = Buffer.ByteLength(l.Data);
                if (idleBytes + bytes > MaxIdleBytes) continue;
                var key = (l.Data.GetType().GetElementType()!, l.Data.Length);
                if (!idle.TryGetValue(key, out var bucket)) idle[key] = bucket = new Bucket { LastUsed = reclaims };
                bucket.Arrays.Push(l.Data);
                idleBytes += bytes;
            }
            List<(Type, int)>? stale = null;
            foreach (var (key, bucket) in idle)
                if (reclaims - bucket.LastUsed > 4) (stale ??= []).Add(key);
            if (stale == null) return;
            foreach (var key in stale)
            {
                foreach (var a in idle[key].Arrays) idleBytes -= Buffer.ByteLength(a);
                idle.Remove(key);
            }
        }
    }
}
