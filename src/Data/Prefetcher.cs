using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>Builds batches 0..count−1 ahead of the consumer on worker threads; worker w makes batches w, w+W, ... into its own bounded queue, read round-robin so order is kept (as PyTorch's workers).</summary>
internal sealed class Prefetcher : IDisposable
{
    /// <summary>A finished batch, or the exception that making it threw.</summary>
    private readonly record struct Item(Tensor[]? Batch, ExceptionDispatchInfo? Error);

    private readonly BlockingCollection<Item>[] queues;
    private readonly Thread[] threads;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<int, Tensor[]> makeBatch;
    private readonly int count;
    private int next;
    private bool disposed;

    /// <summary>Starts min(workers, count) threads, each keeping at most <paramref name="prefetch"/> batches ready.</summary>
    public Prefetcher(int count, int workers, int prefetch, Func<int, Tensor[]> makeBatch)
    {
        this.count = count;
        this.makeBatch = makeBatch;
        int w = Math.Max(1, Math.Min(workers, count));
        queues = new BlockingCollection<Item>[w];
        threads = new Thread[w];
        for (int i = 0; i < w; i++)
        {
            queues[i] = new BlockingCollection<Item>(new ConcurrentQueue<Item>(), prefetch);
            int id = i;
            threads[i] = new Thread(() => Run(id)) { IsBackground = true, Name = $"DataLoader worker {i}" };
        }
        foreach (var t in threads) t.Start();
    }

    /// <summary>Worker <paramref name="id"/>: makes its batches with grad recording off until done, failed or stopped.</summary>
    private void Run(int id)
    {
        var token = stop.Token;
        using var _ = new NoGrad();   // GradMode is thread-local: batches are data, never part of a graph
        try
        {
            for (int b = id; b < count; b += threads.Length)
            {
                token.ThrowIfCancellationRequested();
                Item item;
                try { item = new Item(makeBatch(b), null); }
                catch (Exception e) { item = new Item(null, ExceptionDispatchInfo.Capture(e)); }
                queues[id].Add(item, token);
                if (item.Error != null) return;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested) { }
    }

    /// <summary>The next batch in order, waiting for it if needed; rethrows (with its original stack) an exception the worker hit.</summary>
    public Tensor[] Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (next >= count) throw new InvalidOperationException("No batches left");
        var item = queues[next % queues.Length].Take();
        next++;
        if (item.Error != null)
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
        stop.Cancel();
        foreach (var t in threads) t.Join();
        foreach (var q in queues) q.Dispose();
        stop.Dispose();
    }

    /// <summary>Whether every worker thread has ended (for tests).</summary>
    internal bool WorkersEnded => threads.All(t => !t.IsAlive);
}
