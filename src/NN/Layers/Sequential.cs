using Framework.Autograd;

namespace Framework.NN;

/// <summary>Applies its modules in order; they are named "0", "1", ...</summary>
public class Sequential(params Module[] modules) : Module
{
    private readonly List<Module> layers = [.. modules];

    /// <summary>The i-th module.</summary>
    public Module this[int index] => layers[index];

    /// <summary>The i-th module as a <typeparamref name="T"/> (seq.Get&lt;Linear&gt;(0).Weight); refused naming both types when it is another module.</summary>
    public T Get<T>(int index) where T : Module
    {
        if ((uint)index >= (uint)layers.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"index {index} is out of range for a Sequential of {layers.Count} modules");
        return layers[index] as T
            ?? throw new InvalidOperationException($"module {index} of the Sequential is a {layers[index].GetType().Name}, not a {typeof(T).Name}");
    }

    /// <summary>Number of modules.</summary>
    public int Count => layers.Count;

    /// <summary>Appends a module.</summary>
    public Sequential Append(Module module)
    {
        layers.Add(module);
        return this;
    }

    /// <summary>Each module in turn through Call, so hooks on inner layers run.</summary>
    public override Tensor Forward(Tensor input)
    {
        foreach (var m in layers) input = m.Call(input);
        return input;
    }

    /// <summary>Children are named by position, as in torch.nn.Sequential.</summary>
    internal override IEnumerable<(string Name, object Member)> OwnMembers()
    {
        for (int i = 0; i < layers.Count; i++) yield return (i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i]);
    }
}
