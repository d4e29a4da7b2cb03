using Framework.Autograd;
using Framework.Data;

namespace Framework.Distributed;

/// <summary>
/// Gives rank r the indices r, r + R, r + 2R, … of an epoch's order over R ranks (torch.utils.data.DistributedSampler):
/// the order is 0..n−1, or with shuffle randperm(n) from a generator seeded seed + epoch (the same on every rank), padded
/// with its own first indices to a multiple of R (or, with dropLast, cut to one), so every rank gets Count indices.
/// </summary>
public sealed class DistributedSampler : Sampler
{
    private int epoch;

    /// <summary>A sampler over <paramref name="dataset"/> for this process's rank of the running process group.</summary>
    public DistributedSampler(Dataset<Tensor[]> dataset, bool shuffle = true, int seed = 0, bool dropLast = false)
        : this(Length(dataset), Dist.WorldSize, Dist.Rank, shuffle, seed, dropLast) { }

    /// <summary>A sampler over <paramref name="dataset"/> for rank <paramref name="rank"/> of <paramref name="numReplicas"/> (no process group needed).</summary>
    public DistributedSampler(Dataset<Tensor[]> dataset, int numReplicas, int rank, bool shuffle = true, int seed = 0, bool dropLast = false)
        : this(Length(dataset), numReplicas, rank, shuffle, seed, dropLast) { }

    /// <summary>A sampler over the indices 0..<paramref name="length"/>−1 for rank <paramref name="rank"/> of <paramref name="numReplicas"/>.</summary>
    public DistributedSampler(int length, int numReplicas, int rank, bool shuffle = true, int seed = 0, bool dropLast = false)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), $"the dataset length must be non-negative, but got {length}");
        if (numReplicas <= 0) throw new ArgumentOutOfRangeException(nameof(numReplicas), $"numReplicas must be positive, but got {numReplicas}");
        if (rank >= numReplicas || rank < 0)
            throw new ArgumentOutOfRangeException(nameof(rank), $"Invalid rank {rank}, rank should be in the interval [0, {numReplicas - 1}]");
        Length_ = length;
        NumReplicas = numReplicas;
        Rank = rank;
        Shuffle = shuffle;
        Seed = seed;
        DropLast = dropLast;
        // PyTorch: with dropLast and an uneven split, ceil((n − R) / R); otherwise ceil(n / R).
        NumSamples = dropLast && length % numReplicas != 0
            ? (int)Math.Ceiling((length - numReplicas) / (double)numReplicas)
            : (length + numReplicas - 1) / numReplicas;
        TotalSize = NumSamples * numReplicas;
    }

    private int Length_ { get; }

    /// <summary>The number of ranks the data set is split over.</summary>
    public int NumReplicas { get; }

    /// <summary>The rank whose shard this sampler yields.</summary>
    public int Rank { get; }

    /// <summary>Whether each epoch's order is a seeded permutation.</summary>
    public bool Shuffle { get; }

    /// <summary>The base seed; epoch e permutes with seed + e.</summary>
    public int Seed { get; }

    /// <summary>Whether the tail is cut so the ranks split the data evenly without padding.</summary>
    public bool DropLast { get; }

    /// <summary>The indices per rank and epoch (num_samples).</summary>
    public int NumSamples { get; }

    /// <summary>NumSamples × NumReplicas: the padded (or cut) length of an epoch's order.</summary>
    public int TotalSize { get; }

    /// <inheritdoc/>
    public override int Count => NumSamples;

    /// <summary>Sets the epoch, so the next enumeration uses a new permutation (the same one on every rank); call it before each epoch.</summary>
    public void SetEpoch(int epoch) => this.epoch = epoch;

    /// <summary>This rank's indices of the current epoch: order[Rank], order[Rank + R], …</summary>
    public override IEnumerator<int> GetEnumerator()
    {
        int n = Length_;
        var order = new int[n];
        if (Shuffle)
        {
            var perm = new long[n];
            new Generator((long)Seed + epoch).RandPerm(perm);
            for (int i = 0; i < n; i++) order[i] = (int)perm[i];
        }
        else for (int i = 0; i < n; i++) order[i] = i;
        var padded = new int[TotalSize];
        for (int i = 0; i < TotalSize; i++) padded[i] = order[i % Math.Max(1, n)];   // indices += indices[:pad], repeated while pad > n
        for (int i = Rank; i < TotalSize; i += NumReplicas) yield return padded[i];
    }

    private static int Length(Dataset<Tensor[]> dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Count;
    }
}
