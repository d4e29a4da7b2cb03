using Framework.Autograd;
using Framework.Distributed;

namespace DistributedWorker;

internal static partial class Scenarios
{
    /// <summary>DistributedSampler's shards over the real ranks: disjoint and covering for every epoch (padded when uneven), and a new order per epoch.</summary>
    private static IEnumerable<(string, string?)> Sampler()
    {
        foreach (int n in (int[])[10, 11, 1])
            foreach (bool shuffle in (bool[])[true, false])
            {
                var sampler = new DistributedSampler(n, Dist.WorldSize, Dist.Rank, shuffle, seed: 5);
                string? result = null;
                long[]? previous = null;
                for (int epoch = 0; epoch < 3 && result is null; epoch++)
                {
                    sampler.SetEpoch(epoch);
                    var mine = sampler.Select(i => (long)i).ToArray();
                    if (mine.Length != sampler.Count) { result = $"epoch {epoch}: {mine.Length} indices, Count {sampler.Count}"; break; }
                    var all = Dist.AllGather(Tensor.From(mine)).SelectMany(t => t.AsReadOnlySpan<long>().ToArray()).ToArray();
                    var distinct = all.Distinct().Count();
                    if (all.Any(i => i < 0 || i >= n)) result = $"epoch {epoch}: index out of range";
                    else if (distinct != n) result = $"epoch {epoch}: {distinct} of {n} indices covered";
                    else if (all.Length - distinct != sampler.TotalSize - n) result = $"epoch {epoch}: {all.Length - distinct} repeated, padding {sampler.TotalSize - n}";
                    if (shuffle && n > 2 && previous is not null && previous.SequenceEqual(all)) result = $"epoch {epoch}: same order as the epoch before";
                    previous = all;
                }
                yield return ($"sampler-{n}-{(shuffle ? "shuffle" : "sequential")}", result);
            }
    }
}
