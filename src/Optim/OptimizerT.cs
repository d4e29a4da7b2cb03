using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>Base to derive optimizers from: an optimizer whose per-parameter state has type <typeparamref name="TState"/>; Step walks the groups and updates each parameter that has a gradient.</summary>
public abstract class Optimizer<TState> : Optimizer where TState : class, IParamState<TState>
{
    private readonly Dictionary<Parameter, TState> state = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds <paramref name="groups"/>, filling their unset options from <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, ParamGroup defaults) : base(groups, defaults) { }

    /// <summary>Per-parameter state, created at a parameter's first step (like PyTorch's optimizer.state).</summary>
    public IReadOnlyDictionary<Parameter, TState> State => state;

    /// <summary>For each group and each parameter with a gradient: θ updated in place, without recording a graph, and its version bumped.</summary>
    public override void Step()
    {
        using var _ = new NoGrad();
        foreach (var group in ParamGroups)
            foreach (var p in group.Parameters)
            {
                if (p.Grad is not { } grad) continue;
                CheckUpdatable(p, grad);
                if (!state.TryGetValue(p, out var s)) state[p] = s = CreateState(p, group);
                Update(p, group.Maximize == true ? -grad : grad.Contiguous(), s, group);   // maximize: the negated gradient, first, as PyTorch
                p.MarkModified();
            }
    }

    /// <summary>The state of a parameter at its first step.</summary>
    protected abstract TState CreateState(Parameter p, ParamGroup group);

    /// <summary>Updates one parameter in place (its storage) from its contiguous gradient, with the group's options.</summary>
    protected abstract void Update(Parameter p, Tensor grad, TState s, ParamGroup group);

    private protected override Dictionary<string, object?>? SaveState(Parameter p) => state.TryGetValue(p, out var s) ? s.ToDict() : null;

    private protected override void LoadState(Parameter p, IReadOnlyDictionary<string, object?> dict) => state[p] = TState.FromDict(dict, p);

    private protected override void ClearState() => state.Clear();
}
