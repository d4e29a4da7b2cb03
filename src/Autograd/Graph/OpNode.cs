namespace Framework.Autograd;

/// <summary>The node of a built-in or custom op: a backward rule closing over what it saved.</summary>
internal sealed class OpNode : Node
{
    private readonly string name;
    private Func<Tensor, Tensor?[]>? backward;
    private Tensor[]? saved;
    private int[]? savedVersions;
    private bool released;

    /// <summary>Records a rule whose saved tensors are checked for in-place changes before it runs.</summary>
    public OpNode(string name, Node?[] next, (int[] Shape, DType DType)[] inputMeta, Func<Tensor, Tensor?[]> backward, Tensor[]? saved)
        : base(next, inputMeta)
    {
        this.name = name;
        this.backward = backward;
        if (saved is { Length: > 0 })
        {
            this.saved = saved;
            savedVersions = new int[saved.Length];
            for (int i = 0; i < saved.Length; i++) savedVersions[i] = saved[i].Version;
        }
    }

    public override string Name => name;

    internal override Tensor?[] Apply(Tensor gradOutput)
    {
        if (released) throw Engine.SecondBackwardError();
        if (saved != null)
            for (int i = 0; i < saved.Length; i++)
                if (saved[i].Version != savedVersions![i])
                {
                    var t = saved[i];
                    string what = t.gradFn != null && !ReferenceEquals(t.gradFn, this) ? $", which is output 0 of {t.gradFn.Name}," : "";
                    throw new InvalidOperationException(
                        $"one of the variables needed for gradient computation by {name} has been modified by an inplace operation: " +
                        $"[{t.DType.TorchName()} {ShapeUtil.Format(t.shape)}]{what} is at version {t.Version}; expected version {savedVersions[i]} instead.");
                }
        return backward!(gradOutput);
    }

    internal override void Release()
    {
        if (saved == null) return;   // a rule that saved nothing can run again, as in PyTorch
        saved = null;
        backward = null;
        released = true;
    }
}
