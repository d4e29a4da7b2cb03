using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using Framework.Autograd;

namespace Framework.NN;

/// <summary>Base of all layers and models: finds its parameters and submodules in its fields, as torch.nn.Module does.</summary>
public abstract partial class Module
{
    private static readonly ConcurrentDictionary<Type, (string Name, FieldInfo Field)[]> FieldCache = new();
    private readonly List<(string Name, Tensor Buffer)> buffers = [];

    /// <summary>Computes the module's output; callers use Call(input), which also runs the module's hooks.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>True in training mode (the default); Dropout and BatchNorm behave differently in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Sets training mode on this module and every submodule.</summary>
    public void Train(bool mode = true)
    {
        foreach (var (_, m) in NamedModules()) m.Training = mode;
    }

    /// <summary>Sets evaluation mode (Train(false)).</summary>
    public void Eval() => Train(false);

    /// <summary>Registers a tensor that is part of the module's state but not a parameter (e.g. BatchNorm's running_mean).</summary>
    protected Tensor RegisterBuffer(string name, Tensor tensor)
    {
        int i = buffers.FindIndex(b => b.Name == name);
        if (i >= 0) buffers[i] = (name, tensor); else buffers.Add((name, tensor));
        return tensor;
    }

    private IEnumerable<(string Name, object Member)> Members() => OwnMembers();

    /// <summary>This module's own parameters and direct submodules, in field declaration order.</summary>
    internal virtual IEnumerable<(string Name, object Member)> OwnMembers()
    {
        foreach (var (name, field) in Fields(GetType()))
        {
            var value = field.GetValue(this);
            switch (value)
            {
                case null: break;
                case Parameter or Module: yield return (name, value); break;
                case IDictionary dict:
                    foreach (DictionaryEntry e in dict)
                        if (e.Value is Parameter or Module) yield return ($"{name}.{e.Key}", e.Value);
                    break;
                case IEnumerable list when value is not Tensor:
                    int i = 0;
                    foreach (var item in list)
                    {
                        if (item is Parameter or Module) yield return ($"{name}.{i}", item);
                        i++;
                    }
                    break;
            }
        }
    }

    /// <summary>Fields that can hold parameters or modules, base classes first, each in declaration order; names without a leading '_'.</summary>
    private static (string, FieldInfo)[] Fields(Type type) => FieldCache.GetOrAdd(type, t =>
    {
        var chain = new List<Type>();
        for (var c = t; c is not null && c != typeof(Module); c = c.BaseType) chain.Insert(0, c);
        var result = new List<(string, FieldInfo)>();
        foreach (var c in chain)
            foreach (var f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
                               .OrderBy(f => f.MetadataToken))
            {
                if (!Registrable(f.FieldType)) continue;
                string name = f.Name;
                if (name.StartsWith('<') && name.Contains(">k__BackingField")) name = name[1..name.IndexOf('>')];
                result.Add((name.TrimStart('_'), f));
            }
        return [.. result];
    });

    private static bool Registrable(Type t)
    {
        if (typeof(Parameter).IsAssignableFrom(t) || typeof(Module).IsAssignableFrom(t)) return true;
        if (t == typeof(string) || typeof(Tensor).IsAssignableFrom(t) && !typeof(Parameter).IsAssignableFrom(t)) return false;
        if (t.IsArray) return Registrable(t.GetElementType()!) || t.GetElementType() == typeof(object);
        if (!typeof(IEnumerable).IsAssignableFrom(t)) return false;
        foreach (var arg in t.IsGenericType ? t.GetGenericArguments() : []) if (Registrable(arg)) return true;
        return false;
    }

    /// <summary>Calls <paramref name="fn"/> on every submodule, children first, then on this module (net.apply(init_weights)); returns this.</summary>
    public Module Apply(Action<Module> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        foreach (var (_, child) in NamedChildren()) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>Direct submodules with their names.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren()
    {
        foreach (var (name, m) in Members()) if (m is Module mod) yield return (name, mod);
    }

    /// <summary>Every module in the tree, depth first, starting with ("", this); each module once.</summary>
    public IEnumerable<(string Name, Module Module)> NamedModules()
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(string, Module)>();
        stack.Push(("", this));
        while (stack.Count > 0)
        {
            var (prefix, m) = stack.Pop();
            if (!seen.Add(m)) continue;
            yield return (prefix, m);
            var children = m.NamedChildren().ToList();
            for (int i = children.Count - 1; i >= 0; i--)
                stack.Push((prefix.Length == 0 ? children[i].Name : $"{prefix}.{children[i].Name}", children[i].Module));
        }
    }

    /// <summary>Every parameter in the tree with its dotted name (own parameters first, then each child's), each once.</summary>
    public IEnumerable<(string Name, Parameter Param)> NamedParameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (prefix, m) in NamedModules())
            foreach (var (name, member) in m.Members())
                if (member is Parameter p && seen.Add(p))
                    yield return (prefix.Length == 0 ? name : $"{prefix}.{name}", p);
    }

    /// <summary>Every parameter in the tree.</summary>
    public IEnumerable<Parameter> Parameters() => NamedParameters().Select(p => p.Param);

    /// <summary>Every registered buffer in the tree with its dotted name.</summary>
    public IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (prefix, m) in NamedModules())
            foreach (var (name, b) in m.buffers)
                yield return (prefix.Length == 0 ? name : $"{prefix}.{name}", b);
    }

    /// <summary>Clears every parameter's gradient: to null (the default) or to zeros.</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var p in Parameters())
        {
            if (p.Grad is null) continue;
            if (setToNone) p.Grad = null;
            else using (new NoGrad()) p.Grad.Zero_();
        }
    }

    /// <summary>Converts floating parameters and buffers to <paramref name="dtype"/> in place (the same Parameter objects); returns this.</summary>
    public Module To(DType dtype)
    {
        using var _ = new NoGrad();
        foreach (var p in Parameters()) if (p.DType.IsFloatingPoint() && p.DType != dtype) p.Set_(p.Detach().To(dtype));
        foreach (var (_, b) in NamedBuffers()) if (b.DType.IsFloatingPoint() && b.DType != dtype) b.Set_(b.To(dtype));
        return this;
    }

    /// <summary>To(Float64).</summary>
    public Module Double() => To(DType.Float64);

    /// <summary>To(Float32).</summary>
    public Module Float() => To(DType.Float32);

    /// <summary>Parameters and buffers by PyTorch's keys (e.g. "fc1.weight", "bn.running_mean"); the tensors are detached aliases.</summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (prefix, m) in NamedModules())
        {
            foreach (var (name, member) in m.Members())
                if (member is Parameter p) d.TryAdd(prefix.Length == 0 ? name : $"{prefix}.{name}", p.Detach());
            foreach (var (name, b) in m.buffers)
                d.TryAdd(prefix.Length == 0 ? name : $"{prefix}.{name}", b.Detach());
        }
        return d;
    }

    /// <summary>Copies values into the existing parameters and buffers (keeping their dtype); checks every key and shape before changing anything.</summary>
    public void LoadStateDict(IDictionary<string, Tensor> state, bool strict = true)
    {
        var own = StateDict();
        var errors = new List<string>();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            var unexpected = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (missing.Count > 0) errors.Add("Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ".");
            if (unexpected.Count > 0) errors.Add("Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ".");
        }
        foreach (var (key, target) in own)
            if (state.TryGetValue(key, out var src) && !src.Shape.SequenceEqual(target.Shape))
                errors.Add($"size mismatch for {key}: copying a param with shape [{string.Join(", ", src.Shape)}] from checkpoint, the shape in current model is [{string.Join(", ", target.Shape)}].");
        if (errors.Count > 0)
            throw new ArgumentException($"Error(s) in loading state_dict for {GetType().Name}:\n\t" + string.Join("\n\t", errors));
        using var _ = new NoGrad();
        foreach (var (key, target) in own)
            if (state.TryGetValue(key, out var src)) target.CopyFrom(src);
    }

    /// <summary>Writes the state dict to a safetensors file (atomically: a temporary file, then a rename).</summary>
    public void Save(string path) => SafeTensors.Save(path, StateDict());

    /// <summary>Loads a safetensors file written by Save or by Python's safetensors into this module (strict).</summary>
    public void Load(string path) => LoadStateDict(SafeTensors.Load(path));

    /// <summary>PyTorch-like summary: the class name and its children.</summary>
    public override string ToString()
    {
        var children = NamedChildren().ToList();
        if (children.Count == 0) return $"{GetType().Name}({ExtraRepr()})";
        var sb = new System.Text.StringBuilder($"{GetType().Name}(\n");
        foreach (var (name, m) in children)
            sb.Append("  (").Append(name).Append("): ").Append(m.ToString().Replace("\n", "\n  ")).Append('\n');
        return sb.Append(')').ToString();
    }

    /// <summary>The constructor arguments shown by ToString, e.g. "in_features=3, out_features=2, bias=True".</summary>
    protected virtual string ExtraRepr() => "";
}
