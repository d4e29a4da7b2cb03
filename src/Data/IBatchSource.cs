using Framework.Autograd;

namespace Framework.Data;

/// <summary>A dataset whose samples are rows of whole tensors, so a batch is one gather per field instead of a Stack of samples.</summary>
internal interface IBatchSource
{
    /// <summary>Whether <see cref="Gather"/> is available (a Subset asks its dataset).</summary>
    bool CanGather { get; }

    /// <summary>For each field, a new tensor holding the rows at <paramref name="rows"/>: equal to stacking the samples.</summary>
    Tensor[] Gather(ReadOnlySpan<int> rows);
}
