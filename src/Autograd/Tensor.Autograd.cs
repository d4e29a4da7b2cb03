namespace Framework.Autograd;

public partial class Tensor
{
    /// <summary>Accumulates d(this)/d(leaf) · gradient into every leaf's .Grad; gradient may be omitted only for one-element outputs.</summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false, bool createGraph = false)
    {
        var root = RootEdge(this, 0);
        var g = RootGradient(this, gradient, 0);
        Engine.Run([root], [g], retainGraph || createGraph, createGraph);
    }

    /// <summary>Keeps this non-leaf tensor's gradient in .Grad after backward.</summary>
    public void RetainGrad()
    {
        if (!requiresGrad) throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (gradFn is null) return;
        gradFn.retainGradOf = this;
    }

    /// <summary>True after RetainGrad on a non-leaf.</summary>
    public bool RetainsGrad => gradFn is not null && ReferenceEquals(gradFn.retainGradOf, this);

    /// <summary>Registers a hook called with this tensor's gradient; a non-null result replaces it. Returns this.</summary>
    public Tensor RegisterHook(Func<Tensor, Tensor?> hook)
    {
        if (!requiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        var node = GradEdge!;
        (node.preHooks ??= []).Add(hook);
        return this;
    }

    /// <summary>Registers a hook called with this leaf once a backward pass has accumulated its gradient into .Grad (it may read or change .Grad). Returns this.</summary>
    public Tensor RegisterPostAccumulateGradHook(Action<Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!requiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        if (gradFn is not null) throw new InvalidOperationException("post accumulate grad hooks cannot be registered on non-leaf tensors");
        var node = (AccumulateGrad)GradEdge!;
        (node.postHooks ??= []).Add(hook);
        return this;
    }

    /// <summary>The node a backward from <paramref name="output"/> starts at.</summary>
    internal static Node RootEdge(Tensor output, int index)
    {
        var edge = output.GradEdge;
        if (edge is null)
            throw new InvalidOperationException($"element {index} of tensors does not require grad and does not have a grad_fn");
        return edge;
    }

    /// <summary>The gradient fed into a backward from <paramref name="output"/>: ones for one-element outputs, else the given one checked.</summary>
    internal static Tensor RootGradient(Tensor output, Tensor? gradient, int index)
    {
        if (gradient is null)
        {
            if (output.Numel != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            return OnesLike(output);
        }
        if (!ShapeUtil.Same(gradient.shape, output.shape))
            throw new ArgumentException(
                $"Mismatch in shape: grad_output[{index}] has a shape of {ShapeUtil.Format(gradient.shape)} and output[{index}] has a shape of {ShapeUtil.Format(output.shape)}.");
        return gradient.DType == output.DType ? gradient : gradient.To(output.DType);
    }
}
