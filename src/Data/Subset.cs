using Framework.Autograd;

namespace Framework.Data;

/// <summary>The samples of <see cref="Dataset"/> at <see cref="Indices"/>, in that order (PyTorch's <c>Subset</c>).</summary>
public sealed class Subset<T> : Dataset<T>, IBatchSource
{
    private readonly int[] indices;

    /// <summary>A view of <paramref name="dataset"/> restricted to <paramref name="indices"/> (copied, each checked to be in range).</summary>
    public Subset(Dataset<T> dataset, IEnumerable<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        Dataset = dataset;
        this.indices = indices.ToArray();
        foreach (int i in this.indices)
            if (i < 0 || i >= dataset.Count)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {i} is out of range for a dataset of {dataset.Count} samples");
    }

    /// <summary>The underlying dataset.</summary>
    public Dataset<T> Dataset { get; }

    /// <summary>Positions in <see cref="Dataset"/> of this subset's samples.</summary>
    public IReadOnlyList<int> Indices => indices;

    /// <summary>Number of indices.</summary>
    public override int Count => indices.Length;

    /// <summary>Dataset[Indices[index]].</summary>
    public override T this[int index] => (uint)index < (uint)indices.Length ? Dataset[indices[index]]
        : throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range for a subset of {indices.Length} samples");

    /// <inheritdoc/>
    bool IBatchSource.CanGather => Dataset is IBatchSource { CanGather: true };

    /// <inheritdoc/>
    Tensor[] IBatchSource.Gather(ReadOnlySpan<int> rows)
    {
        var mapped = new int[rows.Length];
        for (int i = 0; i < rows.Length; i++) mapped[i] = indices[rows[i]];
        return ((IBatchSource)Dataset).Gather(mapped);
    }
}
