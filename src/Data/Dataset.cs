using Framework.Autograd;

namespace Framework.Data;

/// <summary>Functions over datasets, like the free functions of <c>torch.utils.data</c>.</summary>
public static class Dataset
{
    /// <summary>Splits into non-overlapping subsets of the given lengths, as <c>random_split(dataset, lengths, generator=Generator().manual_seed(seed))</c>: one randperm of the whole, cut into consecutive slices.</summary>
    public static Subset<T>[] RandomSplit<T>(Dataset<T> dataset, int[] lengths, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(lengths);
        for (int i = 0; i < lengths.Length; i++)
            if (lengths[i] < 0) throw new ArgumentException($"Length at index {i} is negative ({lengths[i]})", nameof(lengths));
        long sum = lengths.Sum(l => (long)l);
        if (sum != dataset.Count)
            throw new ArgumentException($"Sum of input lengths does not equal the length of the input dataset! (lengths sum to {sum}, the dataset has {dataset.Count} samples)", nameof(lengths));
        var perm = new long[sum];
        new Generator(seed).RandPerm(perm);
        var subsets = new Subset<T>[lengths.Length];
        int start = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            var indices = new int[lengths[i]];
            for (int j = 0; j < indices.Length; j++) indices[j] = (int)perm[start + j];
            subsets[i] = new Subset<T>(dataset, indices);
            start += lengths[i];
        }
        return subsets;
    }

    /// <summary>Splits by fractions summing to 1, as PyTorch 1.13: floor(count·fraction) each, the remainder dealt one by one round-robin from the first split.</summary>
    public static Subset<T>[] RandomSplit<T>(Dataset<T> dataset, double[] fractions, long seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(fractions);
        double total = fractions.Sum();
        if (!(Math.Abs(total - 1) <= 1e-9 && total <= 1))
            throw new ArgumentException($"Fractions must sum to 1 (they sum to {total})", nameof(fractions));
        var lengths = new int[fractions.Length];
        for (int i = 0; i < fractions.Length; i++)
        {
            if (fractions[i] < 0 || fractions[i] > 1) throw new ArgumentException($"Fraction at index {i} is not between 0 and 1", nameof(fractions));
            lengths[i] = (int)Math.Floor(dataset.Count * fractions[i]);
        }
        int remainder = dataset.Count - lengths.Sum();
        for (int i = 0; i < remainder; i++) lengths[i % lengths.Length]++;
        return RandomSplit(dataset, lengths, seed);
    }
}
