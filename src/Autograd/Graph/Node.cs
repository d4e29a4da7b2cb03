namespace Framework.Autograd;

/// <summary>A function in the backward graph: maps the gradient of its output to gradients of its inputs.</summary>
public abstract class Node
{
    private static long nextSequence;

    /// <summary>The next nodes, one per input: the input's grad_fn, its AccumulateGrad, or null for a constant.</summary>
    internal Node?[] next;

    /// <summary>Shape and dtype of each input, so returned gradients can be checked and reduced to them.</summary>
    internal (int[] Shape, DType DType)[] inputMeta;

    /// <summary>Order of creation; later nodes run first when both are ready.</summary>
    internal readonly long sequence = Interlocked.Increment(ref nextSequence);

    /// <summary>Hooks on the gradient of this node's output (tensor hooks), in registration order.</summary>
    internal List<Func<Tensor, Tensor?>>? preHooks;

    /// <summary>The non-leaf tensor whose .Grad receives this node's incoming gradient (RetainGrad).</summary>
    internal Tensor? retainGradOf;

    /// <summary>A node with the given input edges and metadata.</summary>
    internal Node(Node?[] next, (int[] Shape, DType DType)[] inputMeta)
    {
        this.next = next;
        this.inputMeta = inputMeta;
    }

    /// <summary>PyTorch's name for this node, e.g. "MulBackward0".</summary>
    public abstract string Name { get; }

    /// <summary>The next nodes, one per input (null for inputs that need no gradient).</summary>
    public IReadOnlyList<Node?> NextFunctions => next;

    /// <summary>Gradients of the inputs given the gradient of the output (null where an input gets none).</summary>
    internal abstract Tensor?[] Apply(Tensor gradOutput);

    /// <summary>Frees saved tensors after a backward without retainGraph.</summary>
    internal virtual void Release() { }

    /// <summary>PyTorch's form: &lt;MulBackward0&gt;.</summary>
    public override string ToString() => $"<{Name} object>";
}

/// <summary>The sink of a leaf that requires grad: adds incoming gradients into its .Grad.</summary>
public sealed class AccumulateGrad : Node
{
    /// <summary>The leaf this node accumulates into.</summary>
    internal readonly Tensor variable;

    /// <summary>Hooks called with the leaf after each accumulation into its .Grad (RegisterPostAccumulateGradHook), in registration order.</summary>
    internal List<Action<Tensor>>? postHooks;

    internal AccumulateGrad(Tensor variable) : base([], [(variable.shape, variable.DType)]) => this.variable = variable;

    /// <inheritdoc/>
    public override string Name => "AccumulateGrad";

    internal override Tensor?[] Apply(Tensor gradOutput) => [];

    /// <summary>
    /// Adds <paramref name="g"/> into the leaf's .Grad as PyTorch's AccumulateGrad does, atomically with respect to other
    /// threads. When unset: the engine's tensor itself when it owns it, recording is off and it is dense and contiguous
    /// (nobody else can hold it); otherwise a contiguous copy, differentiable under createGraph. When set: in place without
    /// createGraph, else out of place (grad = grad + g), so a differentiable .Grad never aliases another tensor.
    /// </summary>
    internal void Accumulate(Tensor g, bool createGraph, bool owned)
    {
        var v = variable;
        lock (this)
        {
            if (v.grad is null)
                v.grad = !createGraph && owned && g.isContiguous ? new Tensor(g.storage, g.shape, g.strides, g.offset)
                       : createGraph ? DifferentiableCopy(g) : g.Detach().Clone();
            else if (createGraph)
                v.grad = v.grad + g;
            else
                using (new NoGrad()) v.grad.AddInPlaceUntracked(g);
        }
    }

    /// <summary>A contiguous copy of g whose gradient flows back to g (PyTorch's CopyBackwards of clone_obey_contract).</summary>
    private static Tensor DifferentiableCopy(Tensor g)
    {
        Tensor copy;
        using (new NoGrad()) copy = g.Clone();
        return Graph.Record("CopyBackwards", copy, [g], static (_, grad) => [grad]);
    }
}
