namespace Framework.Autograd;

/// <summary>Attaches backward rules to the results of ops.</summary>
internal static class Graph
{
    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a) => a.requiresGrad && GradMode.IsEnabled;

    /// <summary>True when an op on these inputs must be recorded.</summary>
    public static bool ShouldRecord(Tensor a, Tensor b) => (a.requiresGrad || b.requiresGrad) && GradMode.IsEnabled;

    /// <summary>
    /// Makes <paramref name="result"/> the output of a node named <paramref name="name"/> when grad mode is on and an input
    /// requires grad. The rule returns one gradient per input, in the output's shape or the input's; the engine sums a
    /// broadcast gradient back to the input's shape and casts it to the input's dtype. Tensors the rule closes over are
    /// listed in <paramref name="saves"/>, so in-place changes to them are caught and they are freed after backward.
    /// </summary>
    public static Tensor Record(string name, Tensor result, ReadOnlySpan<Tensor> inputs, Func<Tensor, Tensor?[]> backward,
                                ReadOnlySpan<Tensor> saves = default)
    {
        if (!GradMode.IsEnabled) return result;
        bool any = false;
        foreach (var t in inputs) any |= t.requiresGrad;
        if (!any) return result;

        var next = new Node?[inputs.Length];
        var meta = new (int[], DType)[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            next[i] = inputs[i].GradEdge;
            meta[i] = (inputs[i].shape, inputs[i].DType);
        }
        result.gradFn = new OpNode(name, next, meta, backward, saves.IsEmpty ? null : saves.ToArray());
        result.requiresGrad = true;
        return result;
    }
}
