using System.Collections;
using Framework.Autograd;

namespace Framework.Data;

/// <summary>Iterates a dataset in batches (PyTorch's <c>DataLoader</c>): sampler (sequential, random or a given <see cref="Data.Sampler"/>) → batch sampler (batchSize, dropLast) → collate (stack each field), prepared ahead on background workers.</summary>
/// <remarks>
/// Random draws follow PyTorch 1.13 exactly. Each epoch (each GetEnumerator) first draws the loader's base seed
/// (<c>random_()</c> on the loader's generator), as <c>_BaseDataLoaderIter</c> does, even without shuffling. Shuffling
/// without a seed then draws <c>seed = random_()</c> from <see cref="Generator.Default"/> and permutes with
/// <c>randperm(n, Generator(seed))</c>; with a seed, one private generator seeded once serves every epoch, and
/// RandomSampler's trailing <c>randperm(n)[:0]</c> is drawn from it when the epoch's last batch is handed out.
/// </remarks>
public sealed class DataLoader : IEnumerable<Tensor[]>
{
    /// <summary>The loader's own generator when a seed was given (PyTorch's <c>generator=Generator().manual_seed(seed)</c>).</summary>
    private readonly Generator? generator;

    /// <summary>The worker threads of this loader's epochs that are still running.</summary>
    private readonly WorkerCount liveWorkers = new();

    /// <summary>A loader over <paramref name="dataset"/>; <paramref name="numWorkers"/> background threads (0 = build batches on the consumer's thread) each keep up to <paramref name="prefetch"/> batches ready; a <paramref name="sampler"/> (e.g. DistributedSampler) gives each epoch's indices instead of shuffle.</summary>
    public DataLoader(Dataset<Tensor[]> dataset, int batchSize, bool shuffle = false, bool dropLast = false,
                      long? seed = null, int numWorkers = 1, int prefetch = 2, Sampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (sampler is not null && shuffle) throw new ArgumentException("sampler option is mutually exclusive with shuffle", nameof(sampler));
        if (batchSize <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}", nameof(batchSize));
        if (numWorkers < 0) throw new ArgumentException($"numWorkers option should be non-negative, but got {numWorkers}", nameof(numWorkers));
        if (prefetch <= 0) throw new ArgumentException($"prefetch should be a positive integer value, but got {prefetch}", nameof(prefetch));
        Dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        Seed = seed;
        NumWorkers = numWorkers;
        Prefetch = prefetch;
        Sampler = sampler;
        if (seed is long s) generator = new Generator(s);
    }

    /// <summary>The dataset batches are drawn from.</summary>
    public Dataset<Tensor[]> Dataset { get; }

    /// <summary>Samples per batch (the last may be smaller unless <see cref="DropLast"/>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each epoch visits the samples in a new random order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether an incomplete last batch is dropped.</summary>
    public bool DropLast { get; }

    /// <summary>The seed of the loader's private generator; null means epochs draw from the global generator.</summary>
    public long? Seed { get; }

    /// <summary>Background threads building batches (0: built on the consumer's thread when asked for).</summary>
    public int NumWorkers { get; }

    /// <summary>Batches each worker keeps ready ahead of the consumer.</summary>
    public int Prefetch { get; }

    /// <summary>The sampler giving each epoch's indices, or null (sequential, or random with <see cref="Shuffle"/>).</summary>
    public Sampler? Sampler { get; }

    /// <summary>Number of batches per epoch: ⌊n / batchSize⌋ with dropLast, ⌈n / batchSize⌉ otherwise, n the sampler's or the dataset's count.</summary>
    public int Count
    {
        get
        {
            int n = Sampler?.Count ?? Dataset.Count;
            return DropLast ? n / BatchSize : (n + BatchSize - 1) / BatchSize;
        }
    }

    /// <summary>How many worker threads of this loader's epochs are still running (for tests: an abandoned epoch's end once it is collected).</summary>
    internal int LiveWorkers => liveWorkers.Live;

    /// <summary>Starts an epoch: draws its order now (see remarks), then yields batches of [batch, ...] tensors, one per field.</summary>
    public IEnumerator<Tensor[]> GetEnumerator()
    {
        int n = Dataset.Count;
        var source = generator ?? Generator.Default;
        source.RandomInt64();                       // _BaseDataLoaderIter's _base_seed (unused here: no per-worker RNG)
        if (Sampler is not null)
        {
            var sampled = Sampler.ToArray();
            foreach (int i in sampled)
                if ((uint)i >= (uint)n) throw new IndexOutOfRangeException($"the sampler gave index {i}, but the dataset has {n} samples");
            return Enumerate(sampled, null);
        }
        var order = new int[n];
        Action? atLastBatch = null;
        if (!Shuffle)
        {
            for (int i = 0; i < n; i++) order[i] = i;
        }
        else
        {
            var perm = new long[n];
            if (generator is null) new Generator(Generator.Default.RandomInt64()).RandPerm(perm);
            else
            {
                generator.RandPerm(perm);
                atLastBatch = () => generator.RandPerm(new long[n]);   // RandomSampler's trailing randperm(n)[:n % n]
            }
            for (int i = 0; i < n; i++) order[i] = (int)perm[i];
        }
        return Enumerate(order, atLastBatch);
    }

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Yields the batches of one epoch in <paramref name="order"/>, inline or from a <see cref="Prefetcher"/> that the enumerator's Dispose stops (or, if it is dropped undisposed, the prefetcher's finalizer).</summary>
    private IEnumerator<Tensor[]> Enumerate(int[] order, Action? atLastBatch)
    {
        int count = Count;
        if (count == 0)
        {
            atLastBatch?.Invoke();
            yield break;
        }
        if (NumWorkers == 0)
        {
            for (int b = 0; b < count; b++)
            {
                StoragePool.Reclaim();   // between batches, on the consumer's thread: no kernel is mid-flight here
                var batch = MakeBatch(order, b);
                if (b == count - 1) atLastBatch?.Invoke();
                yield return batch;
            }
            yield break;
        }
        // Only this iterator holds the prefetcher; the batch function reaches the loader and order, never the iterator.
        using var prefetcher = new Prefetcher(count, NumWorkers, Prefetch, b => MakeBatch(order, b), liveWorkers);
        for (int b = 0; b < count; b++)
        {
            StoragePool.Reclaim();
            var batch = prefetcher.Next();
            StoragePool.Adopt(batch);   // made on a worker, consumed (and later let go of) on this thread
            if (b == count - 1) atLastBatch?.Invoke();
            yield return batch;
        }
    }

    /// <summary>Batch <paramref name="b"/>: the samples order[b·batchSize ..] collated (no graph recorded).</summary>
    private Tensor[] MakeBatch(int[] order, int b)
    {
        int start = b * BatchSize;
        int length = Math.Min(BatchSize, order.Length - start);
        return RowGather.Collate(Dataset, order.AsSpan(start, length));
    }
}
