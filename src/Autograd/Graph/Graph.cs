namespace Framework.Autograd;

/// <summary>Records ops in the backward graph: a result, its inputs, the tensors its backward rule needs, and the rule.</summary>
/// <remarks>
/// This is how every built-in op is recorded, and how a user writes an op of their own: compute the result without a graph
/// (under <see cref="NoGrad"/>), then record it with a <c>static</c> rule. The rule gets the saved tensors back from its
/// <see cref="BackwardContext"/> (each one checked for in-place changes first, all freed after a backward without
/// retainGraph) and any other data as an explicit state value; being static, it cannot capture anything else. Write the
/// rule with tensor ops, so that the same rule serves a plain backward and a createGraph one (higher-order gradients).
/// <example>
/// y = s·a·e^b, with the scale s kept as state: ∂y/∂a = s·e^b needs b, ∂y/∂b = y needs the result.
/// <code>
/// public static Tensor ScaledMulExp(Tensor a, Tensor b, double s)
/// {
///     Tensor y;
///     using (new NoGrad()) y = a * b.Exp() * s;
///     return Graph.Record("ScaledMulExpBackward0", y, [a, b], [b, y], s,
///         static (ctx, g, s) => [ctx.NeedsInputGrad(0) ? g * s * ctx.Saved(0).Exp() : null,
///                                ctx.NeedsInputGrad(1) ? g * ctx.Saved(1) : null]);
/// }
/// </code>
/// </example>
/// </remarks>
public static partial class Graph
{
    /// <summary>True when an op on these inputs must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a) => a.requiresGrad && GradMode.IsEnabled;

    /// <summary>True when an op on these inputs must be recorded.</summary>
    internal static bool ShouldRecord(Tensor a, Tensor b) => (a.requiresGrad || b.requiresGrad) && GradMode.IsEnabled;

    /// <summary>Records <paramref name="result"/> as the output of <paramref name="name"/>(inputs), whose rule needs no saved tensor.</summary>
    public static Tensor Record(string name, Tensor result, ReadOnlySpan<Tensor?> inputs, BackwardRule rule)
        => Record(name, result, inputs, [], rule);

    /// <summary>
    /// Makes <paramref name="result"/> the output of a node named <paramref name="name"/> when grad mode is on and an input
    /// requires grad; returns <paramref name="result"/>. The rule returns one gradient per input (null for an input that needs
    /// none, see <see cref="BackwardContext.NeedsInputGrad"/>), in the input's shape or one that broadcasts to it: the engine
    /// sums it back to the input's shape and casts it to the input's dtype. A null input is an absent optional one (no edge).
    /// <paramref name="saved"/> are the tensors the rule reads through <see cref="BackwardContext.Saved"/>, by position; a null
    /// entry leaves that slot empty (a tensor needed only for a gradient no input needs).
    /// </summary>
    public static Tensor Record(string name, Tensor result, ReadOnlySpan<Tensor?> inputs, ReadOnlySpan<Tensor?> saved, BackwardRule rule)
    {
        if (!Needed(result, inputs)) return result;
        var (next, meta) = Edges(inputs, result);
        return Attach(result, new RuleNode(name, next, meta, saved, rule));
    }

    /// <summary>As <see cref="Record(string, Tensor, ReadOnlySpan{Tensor?}, ReadOnlySpan{Tensor?}, BackwardRule)"/>, with the rule's non-tensor data passed to it as <paramref name="state"/>.</summary>
    public static Tensor Record<TState>(string name, Tensor result, ReadOnlySpan<Tensor?> inputs, ReadOnlySpan<Tensor?> saved, TState state,
                                        BackwardRule<TState> rule)
    {
        if (!Needed(result, inputs)) return result;
        var (next, meta) = Edges(inputs, result);
        return Attach(result, new RuleNode<TState>(name, next, meta, saved, state, rule));
    }

    /// <summary>True when grad mode is on and an input requires grad; checks that the result is a new tensor outside the graph.</summary>
    private static bool Needed(Tensor result, ReadOnlySpan<Tensor?> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        bool any = false;
        foreach (var t in inputs)
        {
            if (t is null) continue;
            any |= t.requiresGrad;
            if (ReferenceEquals(t, result))
                throw new InvalidOperationException("Graph.Record: the result is one of the inputs; record a new tensor (a view or a copy)");
        }
        if (any && result.gradFn is not null)
            throw new InvalidOperationException($"Graph.Record: the result already has a grad_fn ({result.gradFn.Name}); compute it under NoGrad");
        return any;
    }

    private static (Node?[] Next, (int[], DType)[] Meta) Edges(ReadOnlySpan<Tensor?> inputs, Tensor result)
    {
        var next = new Node?[inputs.Length];
        var meta = new (int[], DType)[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            if (inputs[i] is { } t)
            {
                next[i] = t.GradEdge;
                meta[i] = (t.shape, t.DType);
            }
            else meta[i] = ([], result.DType);
        return (next, meta);
    }

    private static Tensor Attach(Tensor result, Node node)
    {
        result.gradFn = node;
        result.requiresGrad = true;
        return result;
    }
}
