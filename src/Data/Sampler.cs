using System.Collections;

namespace Framework.Data;

/// <summary>The order in which a DataLoader visits a dataset's indices in one epoch (torch.utils.data.Sampler): each enumeration is one epoch.</summary>
public abstract class Sampler : IEnumerable<int>
{
    /// <summary>How many indices one epoch yields (len(sampler)).</summary>
    public abstract int Count { get; }

    /// <summary>The indices of one epoch, in order.</summary>
    public abstract IEnumerator<int> GetEnumerator();

    /// <inheritdoc/>
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
