using System.Collections;
using Framework.Autograd;
using Framework.NN;

namespace Framework.Optim;

/// <summary>Base of all optimizers: parameter groups with their options, ZeroGrad, Step and a PyTorch-shaped state dict.</summary>
public abstract class Optimizer
{
    private readonly List<ParamGroup> paramGroups = [];

    /// <summary>Adds each of <paramref name="groups"/>; options they leave null take the values in <paramref name="defaults"/>.</summary>
    private protected Optimizer(IEnumerable<ParamGroup> groups, ParamGroup defaults)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Defaults = defaults;
        var list = groups.ToList();
        if (list.Count == 0)
            throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var g in list) AddParamGroup(g);
    }

    /// <summary>One group holding <paramref name="parameters"/>; an empty list throws as in PyTorch.</summary>
    protected static ParamGroup[] OneGroup(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var group = new ParamGroup(parameters);
        if (group.Parameters.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
        return [group];
    }

    /// <summary>The optimizer's default options (a group without parameters).</summary>
    public ParamGroup Defaults { get; }

    /// <summary>The parameter groups, in the order they were added.</summary>
    public IReadOnlyList<ParamGroup> ParamGroups => paramGroups;

    /// <summary>Adds a group (e.g. layers unfrozen while fine-tuning); its unset options take the optimizer's defaults.</summary>
    public void AddParamGroup(ParamGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        foreach (var p in group.Parameters)
        {
            if (p is null) throw new ArgumentException("optimizer can only optimize Tensors, but one of the params is null");
            if (!p.IsLeaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (p.DType is not (DType.Float32 or DType.Float64))
                throw new ArgumentException($"optimizer can only optimize floating-point tensors, but one of the params is {p.DType}");
        }
        var seen = new HashSet<Parameter>(paramGroups.SelectMany(g => g.Parameters), ReferenceEqualityComparer.Instance);
        if (group.Parameters.Any(seen.Contains))
            throw new ArgumentException("some parameters appear in more than one parameter group");
        group.FillFrom(Defaults);
        paramGroups.Add(group);
    }

    /// <summary>Clears every parameter's gradient: sets it to null (the default), or fills it with zeros in place.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var group in paramGroups)
            foreach (var p in group.Parameters)
            {
                if (p.Grad is not { } grad) continue;
                if (setToNone) { p.Grad = null; continue; }
                if (grad.GradFn is not null) p.Grad = grad = grad.Detach();
                using (new NoGrad()) grad.Zero_();
            }
        StoragePool.Reclaim();   // between steps: the last step's graph and gradients are let go of here
    }

    /// <summary>Performs one optimization step on every parameter that has a gradient.</summary>
    public abstract void Step();

    /// <summary>PyTorch's layout: "state" maps a parameter's index (counted over all groups in order) to its state;
    /// "param_groups" lists each group's options and its "params" indices. Tensors are deep copies.</summary>
    public Dictionary<string, object> StateDict()
    {
        var groups = new List<Dictionary<string, object>>();
        var state = new Dictionary<int, Dictionary<string, object?>>();
        int index = 0;
        foreach (var g in paramGroups)
        {
            var packed = g.OptionsToDict();
            var ids = new List<int>();
            foreach (var p in g.Parameters)
            {
                if (SaveState(p) is { } s) state[index] = s;
                ids.Add(index++);
            }
            packed["params"] = ids;
            groups.Add(packed);
        }
        return new Dictionary<string, object> { ["state"] = state, ["param_groups"] = groups };
    }

    /// <summary>Loads a dict made by StateDict: groups' options are replaced, state is deep-copied and cast to each parameter's dtype.</summary>
    public void LoadStateDict(Dictionary<string, object> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue("param_groups", out var pg) || pg is not IEnumerable savedGroupsRaw)
            throw new ArgumentException("state dict has no \"param_groups\" list");
        if (!state.TryGetValue("state", out var st) || st is not IEnumerable savedStateRaw)
            throw new ArgumentException("state dict has no \"state\" dictionary");
        var savedGroups = savedGroupsRaw.Cast<IReadOnlyDictionary<string, object>>().ToList();
        if (savedGroups.Count != paramGroups.Count)
            throw new ArgumentException("loaded state dict has a different number of parameter groups");
        var savedIds = savedGroups.Select(g => g.TryGetValue("params", out var ids) && ids is IEnumerable e
            ? e.Cast<object>().Select(Convert.ToInt32).ToList()
            : throw new ArgumentException("a parameter group of the loaded state dict has no \"params\" list")).ToList();
        for (int i = 0; i < savedGroups.Count; i++)
            if (savedIds[i].Count != paramGroups[i].Parameters.Count)
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");

        var idMap = new Dictionary<int, Parameter>();
        for (int i = 0; i < savedGroups.Count; i++)
            for (int j = 0; j < savedIds[i].Count; j++) idMap[savedIds[i][j]] = paramGroups[i].Parameters[j];

        ClearState();
        foreach (var entry in savedStateRaw)
        {
            var (key, value) = entry switch
            {
                KeyValuePair<int, Dictionary<string, object?>> kv => (kv.Key, (IReadOnlyDictionary<string, object?>)kv.Value),
                DictionaryEntry de => (Convert.ToInt32(de.Key), (IReadOnlyDictionary<string, object?>)de.Value!),
                _ => throw new ArgumentException("the \"state\" of the loaded state dict must map parameter indices to dictionaries"),
            };
            if (idMap.TryGetValue(key, out var p)) LoadState(p, value);
        }
        for (int i = 0; i < savedGroups.Count; i++)
        {
            var options = savedGroups[i].Where(kv => kv.Key != "params").ToDictionary(kv => kv.Key, kv => kv.Value);
            paramGroups[i].OptionsFromDict(options);
        }
    }

    /// <summary>This parameter's state under PyTorch's keys (deep copies), or null when it has none yet.</summary>
    private protected abstract Dictionary<string, object?>? SaveState(Parameter p);

    /// <summary>Replaces this parameter's state with one read from PyTorch's keys (deep copies).</summary>
    private protected abstract void LoadState(Parameter p, IReadOnlyDictionary<string, object?> dict);

    /// <summary>Forgets all per-parameter state.</summary>
    private protected abstract void ClearState();

    /// <summary>Throws unless the parameter can be updated through a span of its storage.</summary>
    private protected static void CheckUpdatable(Parameter p, Tensor grad)
    {
        if (!p.IsContiguous)
            throw new NotSupportedException($"optimizers update parameters through their storage, which needs a contiguous parameter (shape {string.Join("x", p.Shape)})");
        if (grad.DType != p.DType)
            throw new InvalidOperationException($"the gradient's dtype {grad.DType} differs from the parameter's {p.DType}");
    }
}
