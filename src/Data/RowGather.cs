using Framework.Autograd;

namespace Framework.Data;

/// <summary>Batch assembly: one copy of whole rows per field (y[i] = x[rows[i]], PyTorch's <c>index_select(0, rows)</c>), or a Stack of samples.</summary>
internal static class RowGather
{
    /// <summary>y[i, ...] = x[rows[i], ...] for a contiguous <paramref name="x"/>; rows are checked against x's first dimension.</summary>
    public static Tensor Rows(Tensor x, ReadOnlySpan<int> rows)
    {
        if (!x.IsContiguous) throw new ArgumentException("RowGather.Rows expects a contiguous tensor");
        int n = x.Size(0);
        foreach (int r in rows)
            if (r < 0 || r >= n) throw new ArgumentOutOfRangeException("indices", $"index {r} is out of bounds for dimension 0 with size {n}");
        var shape = x.Shape;
        shape[0] = rows.Length;
        var copy = new RowCopy(x, rows, Tensor.Empty(shape, x.DType), n == 0 ? 0 : (int)(x.Numel / n));
        DTypeDispatch.Any(x.DType, ref copy);
        return copy.Y;
    }

    /// <summary>y[i·rowSize + k] = x[rows[i]·rowSize + k], on the elements as T.</summary>
    private readonly ref struct RowCopy(Tensor x, ReadOnlySpan<int> rows, Tensor y, int rowSize) : IElementKernel
    {
        private readonly ReadOnlySpan<int> rows = rows;   // a span parameter is not captured implicitly

        public Tensor Y => y;

        public void Invoke<T>() where T : unmanaged
        {
            ReadOnlySpan<T> src = x.AsReadOnlySpan<T>();
            var dst = y.AsSpan<T>();
            for (int i = 0; i < rows.Length; i++)
                src.Slice(rows[i] * rowSize, rowSize).CopyTo(dst.Slice(i * rowSize, rowSize));
        }
    }

    /// <summary>PyTorch's default_collate for samples of tensors: field f of the batch is Stack(sample[f] for each sample); gathers instead when the dataset is tensor-backed.</summary>
    public static Tensor[] Collate(Dataset<Tensor[]> dataset, ReadOnlySpan<int> indices)
    {
        using var _ = new NoGrad();
        if (dataset is IBatchSource { CanGather: true } source) return source.Gather(indices);
        if (indices.Length == 0) throw new ArgumentException("Cannot collate an empty batch");
        var samples = new Tensor[indices.Length][];
        for (int i = 0; i < indices.Length; i++) samples[i] = dataset[indices[i]];
        int fields = samples[0].Length;
        for (int i = 1; i < samples.Length; i++)
            if (samples[i].Length != fields)
                throw new InvalidOperationException($"each sample in a batch must have the same number of fields: sample {indices[0]} has {fields}, sample {indices[i]} has {samples[i].Length}");
        var batch = new Tensor[fields];
        for (int f = 0; f < fields; f++)
        {
            var column = new Tensor[samples.Length];
            for (int i = 0; i < samples.Length; i++) column[i] = samples[i][f];
            batch[f] = Tensor.Stack(column, 0);
        }
        return batch;
    }
}
