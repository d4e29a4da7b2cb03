namespace Framework.Autograd;

/// <summary>What a backward rule may read of its node: the saved tensors (version-checked before the rule runs) and which inputs need a gradient.</summary>
public readonly ref struct BackwardContext
{
    private readonly OpNode node;

    internal BackwardContext(OpNode node) => this.node = node;

    /// <summary>The i-th tensor given as saved to <see cref="Graph.Record(string, Tensor, ReadOnlySpan{Tensor?}, ReadOnlySpan{Tensor?}, BackwardRule)"/>.</summary>
    public Tensor Saved(int i) => node.Saved(i) ?? throw new InvalidOperationException($"{node.Name}: saved tensor {i} was not saved (that slot was left empty)");

    /// <summary>The i-th saved tensor, or null for a slot left empty (an optional tensor that was absent).</summary>
    public Tensor? SavedOrNull(int i) => node.Saved(i);

    /// <summary>True when input i requires grad, so its gradient must be computed (null may be returned for the others).</summary>
    public bool NeedsInputGrad(int i) => node.next[i] is not null;

    /// <summary>The number of inputs, one gradient each.</summary>
    public int InputCount => node.next.Length;
}
