namespace Framework.Data;

/// <summary>A map-style dataset, like <c>torch.utils.data.Dataset</c>: a count and an indexer over samples.</summary>
/// <typeparam name="T">The sample type; <c>Tensor[]</c> (one tensor per field) for everything a <see cref="DataLoader"/> batches.</typeparam>
public abstract class Dataset<T>
{
    /// <summary>Number of samples (PyTorch's <c>len(dataset)</c>).</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/> (PyTorch's <c>dataset[index]</c>).</summary>
    public abstract T this[int index] { get; }
}
