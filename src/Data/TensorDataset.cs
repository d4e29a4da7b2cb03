using Framework.Autograd;

namespace Framework.Data;

/// <summary>Samples are the rows of tensors that share their first dimension: sample i = (t[i] for t in tensors), as PyTorch's <c>TensorDataset</c>.</summary>
public class TensorDataset : Dataset<Tensor[]>, IBatchSource
{
    private readonly Tensor[] tensors;
    /// <summary>Contiguous, detached forms of the tensors for batch gathers (the same objects when already contiguous).</summary>
    private Tensor[]? packed;
    private readonly Lock gate = new();

    /// <summary>Wraps the tensors (not copied); all must have at least one dimension and the same size of it.</summary>
    public TensorDataset(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        if (tensors.Length == 0) throw new ArgumentException("TensorDataset needs at least one tensor", nameof(tensors));
        for (int i = 0; i < tensors.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(tensors[i], $"{nameof(tensors)}[{i}]");
            if (tensors[i].Dim == 0) throw new ArgumentException($"TensorDataset: tensor {i} is 0-d; the first dimension indexes samples", nameof(tensors));
        }
        for (int i = 1; i < tensors.Length; i++)
            if (tensors[i].Size(0) != tensors[0].Size(0))
                throw new ArgumentException(
                    $"Size mismatch between tensors: tensor 0 has shape [{string.Join(", ", tensors[0].Shape)}] and tensor {i} has shape [{string.Join(", ", tensors[i].Shape)}]; the first dimensions must agree",
                    nameof(tensors));
        this.tensors = (Tensor[])tensors.Clone();
    }

    /// <summary>The wrapped tensors (PyTorch's <c>.tensors</c>).</summary>
    public IReadOnlyList<Tensor> Tensors => tensors;

    /// <summary>Size of the first dimension.</summary>
    public override int Count => tensors[0].Size(0);

    /// <summary>The views t.Select(0, index) of each tensor (no copy).</summary>
    public override Tensor[] this[int index]
    {
        get
        {
            if (index < 0 || index >= Count) throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range for a dataset of {Count} samples");
            var sample = new Tensor[tensors.Length];
            for (int i = 0; i < tensors.Length; i++) sample[i] = tensors[i].Select(0, index);
            return sample;
        }
    }

    /// <inheritdoc/>
    bool IBatchSource.CanGather => true;

    /// <inheritdoc/>
    Tensor[] IBatchSource.Gather(ReadOnlySpan<int> rows)
    {
        var source = Packed();
        var batch = new Tensor[source.Length];
        for (int i = 0; i < source.Length; i++) batch[i] = RowGather.Rows(source[i], rows);
        return batch;
    }

    /// <summary>The tensors made contiguous once (only non-contiguous ones are copied).</summary>
    private Tensor[] Packed()
    {
        lock (gate)
        {
            if (packed is not null) return packed;
            using var _ = new NoGrad();
            return packed = tensors.Select(t => t.IsContiguous ? t.Detach() : t.Detach().Contiguous()).ToArray();
        }
    }
}
