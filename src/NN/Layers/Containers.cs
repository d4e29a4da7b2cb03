using System.Collections;
using System.Globalization;
using Framework.Autograd;

namespace Framework.NN;

/// <summary>Holds modules in a list, named "0", "1", ... by position (nn.ModuleList); it registers them but has no Forward of its own.</summary>
public class ModuleList : Module, IReadOnlyList<Module>
{
    private readonly List<Module> modules = [];

    /// <summary>A list of the given modules, in order.</summary>
    public ModuleList(params IEnumerable<Module> modules) => Extend(modules);

    /// <summary>Number of modules.</summary>
    public int Count => modules.Count;

    /// <summary>The module at <paramref name="index"/>; negative indices count from the end, as in Python (list[^1] works too).</summary>
    public Module this[int index]
    {
        get => modules[AbsoluteIndex(index)];
        set => modules[AbsoluteIndex(index)] = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>The module at <paramref name="index"/> as a <typeparamref name="T"/>; refused naming both types when it is another module.</summary>
    public T Get<T>(int index) where T : Module
    {
        var m = this[index];
        return m as T ?? throw new InvalidOperationException($"module {index} of the ModuleList is a {m.GetType().Name}, not a {typeof(T).Name}");
    }

    /// <summary>A new ModuleList of the modules start ... start + length − 1 (the same module objects; list[1..3] uses it).</summary>
    public ModuleList Slice(int start, int length) => new(modules.GetRange(start, length));

    /// <summary>Appends a module; returns this (ModuleList.append).</summary>
    public ModuleList Append(Module module)
    {
        modules.Add(module ?? throw new ArgumentNullException(nameof(module)));
        return this;
    }

    /// <summary>Appends a module (for collection initialisers: new ModuleList { a, b }).</summary>
    public void Add(Module module) => Append(module);

    /// <summary>Appends every module of <paramref name="items"/> in order; returns this (ModuleList.extend).</summary>
    public ModuleList Extend(IEnumerable<Module> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var m in items.ToList()) Append(m);
        return this;
    }

    /// <summary>Inserts a module before position <paramref name="index"/> (0 ... Count); later modules are renamed by their new positions.</summary>
    public void Insert(int index, Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        if ((uint)index > (uint)modules.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range for inserting into a ModuleList of {modules.Count} modules");
        modules.Insert(index, module);
    }

    /// <summary>Removes and returns the module at <paramref name="index"/> (the last by default); later modules are renamed by their new positions.</summary>
    public Module Pop(int index = -1)
    {
        int i = AbsoluteIndex(index);
        var m = modules[i];
        modules.RemoveAt(i);
        return m;
    }

    /// <summary>Removes the module at <paramref name="index"/> (del list[i]).</summary>
    public void RemoveAt(int index) => Pop(index);

    /// <summary>The modules in order.</summary>
    public IEnumerator<Module> GetEnumerator() => modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Refused, as in PyTorch: a ModuleList only holds modules; iterate it in the owner's Forward.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotImplementedException("Module [ModuleList] is missing the required \"forward\" function");

    /// <summary>Children are named by position, as in torch.nn.ModuleList.</summary>
    internal override IEnumerable<(string Name, object Member)> OwnMembers()
    {
        for (int i = 0; i < modules.Count; i++) yield return (i.ToString(CultureInfo.InvariantCulture), modules[i]);
    }

    private int AbsoluteIndex(int index)
    {
        if (index < -modules.Count || index >= modules.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range for a ModuleList of {modules.Count} modules");
        return index < 0 ? index + modules.Count : index;
    }
}

/// <summary>Holds modules by name in insertion order (nn.ModuleDict); the keys are the children's names, and it has no Forward of its own.</summary>
public class ModuleDict : Module, IReadOnlyDictionary<string, Module>
{
    private readonly OrderedDictionary<string, Module> modules = new(StringComparer.Ordinal);

    /// <summary>A dictionary of the given (name, module) pairs, in order.</summary>
    public ModuleDict(params (string Name, Module Module)[] modules)
    {
        foreach (var (name, module) in modules) this[name] = module;
    }

    /// <summary>A dictionary of the given pairs, in their enumeration order (e.g. a Dictionary or another ModuleDict).</summary>
    public ModuleDict(IEnumerable<KeyValuePair<string, Module>> modules) => Update(modules);

    /// <summary>Number of modules.</summary>
    public int Count => modules.Count;

    /// <summary>The module named <paramref name="key"/>; setting an existing key replaces the module and keeps its position.</summary>
    public Module this[string key]
    {
        get => TryGetValue(key, out var m) ? m : throw Missing(key);
        set
        {
            CheckName(key);
            modules[key] = value ?? throw new ArgumentNullException(nameof(value));
        }
    }

    /// <summary>The module named <paramref name="key"/> as a <typeparamref name="T"/>; refused naming both types when it is another module.</summary>
    public T Get<T>(string key) where T : Module
    {
        var m = this[key];
        return m as T ?? throw new InvalidOperationException($"module '{key}' of the ModuleDict is a {m.GetType().Name}, not a {typeof(T).Name}");
    }

    /// <summary>The names in insertion order.</summary>
    public IEnumerable<string> Keys => modules.Keys;

    /// <summary>The modules in insertion order.</summary>
    public IEnumerable<Module> Values => modules.Values;

    /// <summary>Whether a module is named <paramref name="key"/> (key in module_dict).</summary>
    public bool ContainsKey(string key) => modules.ContainsKey(key ?? throw new ArgumentNullException(nameof(key)));

    /// <summary>The module named <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Module value) =>
        modules.TryGetValue(key ?? throw new ArgumentNullException(nameof(key)), out value);

    /// <summary>Adds a module under a new name (refused when the name is taken; for collection initialisers: new ModuleDict { { "fc", fc } }).</summary>
    public void Add(string key, Module module)
    {
        CheckName(key);
        ArgumentNullException.ThrowIfNull(module);
        if (modules.ContainsKey(key)) throw new ArgumentException($"a module named '{key}' is already in the ModuleDict");
        modules.Add(key, module);
    }

    /// <summary>Sets every pair of <paramref name="items"/> in order, replacing modules whose names exist (ModuleDict.update).</summary>
    public ModuleDict Update(IEnumerable<KeyValuePair<string, Module>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (key, module) in items.ToList()) this[key] = module;
        return this;
    }

    /// <summary>Removes and returns the module named <paramref name="key"/> (ModuleDict.pop).</summary>
    public Module Pop(string key)
    {
        var m = this[key];
        modules.Remove(key);
        return m;
    }

    /// <summary>Removes the module named <paramref name="key"/>; false when there is none.</summary>
    public bool Remove(string key) => modules.Remove(key ?? throw new ArgumentNullException(nameof(key)));

    /// <summary>Removes every module.</summary>
    public void Clear() => modules.Clear();

    /// <summary>The (name, module) pairs in insertion order.</summary>
    public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() => modules.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Refused, as in PyTorch: a ModuleDict only holds modules; pick them in the owner's Forward.</summary>
    public override Tensor Forward(Tensor input) =>
        throw new NotImplementedException("Module [ModuleDict] is missing the required \"forward\" function");

    /// <summary>Children are named by their keys, as in torch.nn.ModuleDict.</summary>
    internal override IEnumerable<(string Name, object Member)> OwnMembers()
    {
        foreach (var (key, module) in modules) yield return (key, module);
    }

    /// <summary>The checks of nn.Module.add_module on a child's name.</summary>
    private static void CheckName(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0) throw new ArgumentException("module name can't be empty string \"\"");
        if (key.Contains('.')) throw new ArgumentException($"module name can't contain \".\", got: {key}");
    }

    private KeyNotFoundException Missing(string key) =>
        new($"no module named '{key}' in the ModuleDict (keys: {string.Join(", ", modules.Keys.Select(k => $"'{k}'"))})");
}
