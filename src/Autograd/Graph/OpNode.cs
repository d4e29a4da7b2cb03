namespace Framework.Autograd;

/// <summary>The node of an op recorded with <see cref="Graph.Record(string, Tensor, ReadOnlySpan{Tensor?}, ReadOnlySpan{Tensor?}, BackwardRule)"/>: its declared saved tensors and its rule.</summary>
internal abstract class OpNode : Node
{
    private readonly string name;
    private SavedTensor[]? saved;   // null when nothing was saved
    private bool released;

    /// <summary>A saved tensor and its version when it was saved (the tensor is null in a slot left empty).</summary>
    private struct SavedTensor
    {
        public Tensor? Tensor;
        public int Version;
    }

    /// <summary>Keeps <paramref name="saved"/> (null entries are empty slots) with their versions, to check them before the rule runs.</summary>
    protected OpNode(string name, Node?[] next, (int[] Shape, DType DType)[] inputMeta, ReadOnlySpan<Tensor?> saved)
        : base(next, inputMeta)
    {
        this.name = name;
        foreach (var t in saved)
        {
            if (t is null) continue;
            this.saved = new SavedTensor[saved.Length];
            for (int i = 0; i < saved.Length; i++)
                if (saved[i] is { } s) this.saved[i] = new SavedTensor { Tensor = s, Version = s.Version };
            break;
        }
    }

    public override string Name => name;

    /// <summary>The i-th saved tensor, null for an empty slot.</summary>
    internal Tensor? Saved(int i)
    {
        if (released) throw Engine.SecondBackwardError();
        return saved is null || (uint)i >= (uint)saved.Length ? null : saved[i].Tensor;
    }

    /// <summary>Runs the rule after checking every saved tensor's version.</summary>
    internal sealed override Tensor?[] Apply(Tensor gradOutput)
    {
        if (released) throw Engine.SecondBackwardError();
        if (saved is not null)
            for (int i = 0; i < saved.Length; i++)
                if (saved[i].Tensor is { } t && t.Version != saved[i].Version)
                {
                    string what = t.gradFn is not null && !ReferenceEquals(t.gradFn, this) ? $", which is output 0 of {t.gradFn.Name}," : "";
                    throw new InvalidOperationException(
                        $"one of the variables needed for gradient computation by {name} has been modified by an inplace operation: " +
                        $"[{t.DType.TorchName()} {ShapeUtil.Format(t.shape)}]{what} is at version {t.Version}; expected version {saved[i].Version} instead.");
                }
        return Run(new BackwardContext(this), gradOutput);
    }

    /// <summary>Calls the rule.</summary>
    protected abstract Tensor?[] Run(BackwardContext ctx, Tensor gradOutput);

    /// <summary>Drops the rule's state.</summary>
    protected abstract void ForgetState();

    /// <summary>Frees the saved tensors and the state; a node that saved nothing can run again, as in PyTorch.</summary>
    internal sealed override void Release()
    {
        if (saved is null) return;
        saved = null;
        released = true;
        ForgetState();
    }
}

/// <summary>A node whose rule needs only its saved tensors.</summary>
internal sealed class RuleNode(string name, Node?[] next, (int[] Shape, DType DType)[] inputMeta, ReadOnlySpan<Tensor?> saved, BackwardRule rule)
    : OpNode(name, next, inputMeta, saved)
{
    protected override Tensor?[] Run(BackwardContext ctx, Tensor gradOutput) => rule(ctx, gradOutput);

    protected override void ForgetState() { }
}

/// <summary>A node whose rule also reads a state value (kept unboxed).</summary>
internal sealed class RuleNode<TState>(string name, Node?[] next, (int[] Shape, DType DType)[] inputMeta, ReadOnlySpan<Tensor?> saved,
                                       TState state, BackwardRule<TState> rule)
    : OpNode(name, next, inputMeta, saved)
{
    private TState state = state;

    protected override Tensor?[] Run(BackwardContext ctx, Tensor gradOutput) => rule(ctx, gradOutput, state);

    protected override void ForgetState() => state = default!;
}
