using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>Builds batches 0..count−1 ahead of the consumer on worker threads; worker w makes batches w, w+W, ... into its own bounded queue, read round-robin so order is kept (as PyTorch's workers).</summary>
/// <remarks>
/// This is the consumer's handle; the threads see only <see cref="Workers"/>, never the handle. So a handle dropped
/// without Dispose (an abandoned enumerator) becomes unreachable, and its finalizer cancels the workers.
/// </remarks>
internal sealed class Prefetcher : IDisposable
{
    /// <summary>A finished batch, or the exception that making it threw.</summary>
    private readonly record struct Item(Tensor[]? Batch, ExceptionDispatchInfo? Error);

    private readonly Workers workers;
    private int next;
    private bool disposed;

    /// <summary>Starts min(workers, count) threads, each keeping at most <paramref name="prefetch"/> batches ready; <paramref name="live"/> counts them while they run.</summary>
    public Prefetcher(int count, int workers, int prefetch, Func<int, Tensor[]> makeBatch, WorkerCount? live = null)
    {
        this.workers = new Workers(count, Math.Max(1, Math.Min(workers, count)), prefetch, makeBatch, live ?? new WorkerCount());
        this.workers.Start();
    }

    /// <summary>Cancels the workers of a handle that was never disposed; they wake up and end (nothing is joined or disposed here).</summary>
    ~Prefetcher() => workers?.Cancel();   // null only if the constructor threw before it was set

    /// <summary>The next batch in order, waiting for it if needed; rethrows (with its original stack) an exception the worker hit.</summary>
    public Tensor[] Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (next >= workers.Count) throw new InvalidOperationException("No batches left");
        var item = workers.Take(next);
        next++;
        if (item.Error is not null)
        {
            Dispose();
            item.Error.Throw();
        }
        return item.Batch!;
    }

    /// <summary>Stops the workers (a blocked one wakes up) and waits for them to end.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        GC.SuppressFinalize(this);
        workers.Stop();
    }

    /// <summary>The state the worker threads share: queues, cancellation, the batch function; it must never reference the handle.</summary>
    private sealed class Workers(int count, int threadCount, int prefetch, Func<int, Tensor[]> makeBatch, WorkerCount live)
    {
        private readonly BlockingCollection<Item>[] queues = CreateQueues(threadCount, prefetch);
        private readonly Thread[] threads = new Thread[threadCount];
        private readonly CancellationTokenSource stop = new();

        /// <summary>Number of batches in the epoch.</summary>
        public int Count => count;

        private static BlockingCollection<Item>[] CreateQueues(int n, int capacity)
        {
            var queues = new BlockingCollection<Item>[n];
            for (int i = 0; i < n; i++) queues[i] = new BlockingCollection<Item>(new ConcurrentQueue<Item>(), capacity);
            return queues;
        }

        /// <summary>Creates and starts the threads, counting each in <c>live</c> before it starts.</summary>
        public void Start()
        {
            for (int i = 0; i < threads.Length; i++)
            {
                int id = i;
                threads[i] = new Thread(() => Run(id)) { IsBackground = true, Name = $"DataLoader worker {i}" };
            }
            foreach (var t in threads)
            {
                live.Started();
                t.Start();
            }
        }

        /// <summary>Worker <paramref name="id"/>: makes its batches with grad recording off until done, failed or cancelled.</summary>
        private void Run(int id)
        {
            var token = stop.Token;
            try
            {
                using var _ = new NoGrad();   // this worker's own flow: batches are data, never part of a graph
                for (int b = id; b < count; b += threads.Length)
                {
                    token.ThrowIfCancellationRequested();
                    Item item;
                    try { item = new Item(makeBatch(b), null); }
                    catch (Exception e) { item = new Item(null, ExceptionDispatchInfo.Capture(e)); }
                    queues[id].Add(item, token);
                    if (item.Error is not null) return;
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested) { }
            finally { live.Ended(); }
        }

        /// <summary>Batch <paramref name="b"/>'s item, waiting for its worker to make it.</summary>
        public Item Take(int b) => queues[b % queues.Length].Take();

        /// <summary>Wakes and ends every worker without waiting; safe from a finalizer (the queues and token are left to the GC).</summary>
        public void Cancel() => stop.Cancel();

        /// <summary>Cancels, waits for every worker to end, then releases the queues and the token.</summary>
        public void Stop()
        {
            stop.Cancel();
            foreach (var t in threads) t.Join();
            foreach (var q in queues) q.Dispose();
            stop.Dispose();
        }
    }
}

/// <summary>How many worker threads of one owner (a DataLoader) are still running: started minus ended.</summary>
internal sealed class WorkerCount
{
    private int live;

    /// <summary>Threads started and not yet ended.</summary>
    public int Live => Volatile.Read(ref live);

    /// <summary>Counts a thread about to start.</summary>
    public void Started() => Interlocked.Increment(ref live);

    /// <summary>Uncounts a thread that has finished its work and is about to exit.</summary>
    public void Ended() => Interlocked.Decrement(ref live);
}
