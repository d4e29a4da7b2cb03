using System.Runtime.CompilerServices;
using Framework.Autograd;
using Framework.Data;

namespace Tests.Foundation;

/// <summary>DataLoader worker threads end with their epoch: at Dispose, at the end, on a failure, and once an abandoned enumerator is collected.</summary>
public class DataLoaderLifetimeTests
{
    private const int Rows = 64, Batch = 4;

    /// <summary>x[i] = (i, 10i), y[i] = i: 16 batches, more than two workers with prefetch 2 can make ahead, so they block.</summary>
    private static DataLoader Loader(bool shuffle = false) =>
        new(new TensorDataset(Tensor.Arange(0, Rows).Reshape(Rows, 1).Mul(Tensor.From(new float[] { 1, 10 })), Tensor.Arange((long)Rows)),
            batchSize: Batch, shuffle: shuffle, seed: 5, numWorkers: 2, prefetch: 2);

    /// <summary>Starts <paramref name="n"/> epochs, checks each first batch and that all their workers run, then drops them undisposed.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndAbandon(DataLoader loader, int n)
    {
        var dropped = new List<IEnumerator<Tensor[]>>();
        for (int i = 0; i < n; i++)
        {
            var e = loader.GetEnumerator();
            Assert.True(e.MoveNext());
            Assert.Equal(new float[] { 0, 0, 1, 10, 2, 20, 3, 30 }, e.Current[0].ToArray());
            Assert.Equal([0L, 1, 2, 3], e.Current[1].ToArray<long>());
            dropped.Add(e);
        }
        Thread.Sleep(50);
        Assert.Equal(2 * n, loader.LiveWorkers);   // blocked on their full queues, not finished
        GC.KeepAlive(dropped);
    }

    /// <summary>Collects and runs finalizers until the loader has no live workers, for at most 10 s.</summary>
    private static int CollectUntilNoWorkers(DataLoader loader)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (loader.LiveWorkers > 0 && DateTime.UtcNow < deadline)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            Thread.Sleep(20);
        }
        return loader.LiveWorkers;
    }

    [Fact]
    public void AbandonedEnumerators_TheirWorkersEndOnceCollected()
    {
        var loader = Loader();
        Assert.Equal(0, loader.LiveWorkers);
        StartAndAbandon(loader, 40);
        Assert.Equal(0, CollectUntilNoWorkers(loader));
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i),   // the loader still works afterwards
                     loader.SelectMany(b => b[1].ToArray<long>()));
        Assert.Equal(0, loader.LiveWorkers);
    }

    [Fact]
    public void AbandonedShuffledEnumerator_GaveTheSameFirstBatchAsAFullEpoch()
    {
        long[] abandoned = FirstLabels(Loader(shuffle: true));
        var full = Loader(shuffle: true).ToList();
        Assert.Equal(full[0][1].ToArray<long>(), abandoned);
        Assert.Equal(Enumerable.Range(0, Rows).Select(i => (long)i), full.SelectMany(b => b[1].ToArray<long>()).Order());
        Assert.NotEqual(Enumerable.Range(0, Batch).Select(i => (long)i), abandoned);   // shuffled indeed
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long[] FirstLabels(DataLoader loader)
    {
        var e = loader.GetEnumerator();
        Assert.True(e.MoveNext());
        return e.Current[1].ToArray<long>();
    }

    [Fact]
    public void DisposedEnumerator_ItsWorkersEndAtOnce()
    {
        var loader = Loader();
        using (var e = loader.GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.True(e.MoveNext());
            Assert.Equal([4L, 5, 6, 7], e.Current[1].ToArray<long>());
            Thread.Sleep(20);
            Assert.Equal(2, loader.LiveWorkers);
        }
        Assert.Equal(0, loader.LiveWorkers);   // Dispose joined them: no GC needed
    }

    [Fact]
    public void FinishedOrFailedEpoch_EndsItsWorkers()
    {
        var loader = Loader();
        Assert.Equal(Rows / Batch, loader.Count());
        Assert.Equal(0, loader.LiveWorkers);

        var failing = new DataLoader(new Failing(), batchSize: 2, numWorkers: 2);
        var e = Assert.Throws<InvalidOperationException>(() => { foreach (var _ in failing) { } });
        Assert.Equal("bad sample 5", e.Message);
        Assert.Contains(nameof(Failing), e.StackTrace);   // the worker's stack, rethrown on the consumer
        Assert.Equal(0, failing.LiveWorkers);
    }

    [Fact]
    public void WorkersMakeBatchesWithRecordingOff_TheConsumerKeepsItsMode()
    {
        var data = new Watching();
        var batches = new DataLoader(data, batchSize: 3, numWorkers: 2).ToList();
        Assert.Equal(4, batches.Count);
        Assert.Equal(12, data.Seen.Count);
        Assert.All(data.Seen, s => Assert.False(s.Recording));
        Assert.DoesNotContain(data.Seen, s => s.Thread == Environment.CurrentManagedThreadId);
        Assert.All(batches, b => Assert.Null(b[0].GradFn));
        Assert.True(GradMode.IsEnabled);
    }

    /// <summary>Each sample is w·index with w requiring grad; it notes whether grad mode was on and which thread read it.</summary>
    private sealed class Watching : Dataset<Tensor[]>
    {
        private readonly Tensor w = Tensor.From(new float[] { 1, 2 }).RequiresGrad_();
        public readonly System.Collections.Concurrent.ConcurrentBag<(bool Recording, int Thread)> Seen = [];
        public override int Count => 12;
        public override Tensor[] this[int index]
        {
            get
            {
                Seen.Add((GradMode.IsEnabled, Environment.CurrentManagedThreadId));
                return [w * index];
            }
        }
    }

    private sealed class Failing : Dataset<Tensor[]>
    {
        public override int Count => 12;
        public override Tensor[] this[int index] =>
            index == 5 ? throw new InvalidOperationException($"bad sample {index}") : [Tensor.From(new float[] { index })];
    }
}
