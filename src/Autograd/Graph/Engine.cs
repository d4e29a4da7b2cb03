namespace Framework.Autograd;

/// <summary>Runs the backward graph: each node once, after all its consumers, without recursion; all scratch state lives in a <see cref="GraphTask"/>.</summary>
internal static class Engine
{
    /// <summary>PyTorch's error for a backward through freed buffers.</summary>
    public static InvalidOperationException SecondBackwardError() => new(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call Backward() or Autograd.Grad(). " +
        "Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");

    /// <summary>
    /// Propagates <paramref name="grads"/> from <paramref name="roots"/>. With <paramref name="captureFor"/> null, gradients
    /// accumulate into leaves' .Grad; otherwise only the nodes leading to those edges run, and the gradient reaching each
    /// is returned instead (nothing accumulates).
    /// </summary>
    public static Tensor?[]? Run(Node[] roots, Tensor[] grads, bool retainGraph, bool createGraph, Node?[]? captureFor = null)
    {
        var task = new GraphTask(roots, grads, retainGraph, createGraph, captureFor);
        return GradMode.With(createGraph, task.Execute);
    }
}
