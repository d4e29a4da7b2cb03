using System.Text.Json;
using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>ModuleList and ModuleDict: registration under PyTorch's names, list/dictionary behaviour, state dicts and files.</summary>
public class ContainerTests
{
    private sealed class Tower : Module
    {
        public ModuleList Layers = new(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        public ModuleDict Heads = new(("cls", new Linear(2, 5)), ("reg", new Linear(2, 1)));
        public BatchNorm1d Norm = new(2);

        public override Tensor Forward(Tensor input)
        {
            foreach (var layer in Layers) input = layer.Call(input);
            return Heads["cls"].Call(Norm.Call(input));
        }
    }

    /// <summary>The same model as make_nninit.py's Tower; fields named as PyTorch's attributes (the leading '_' is dropped).</summary>
    private sealed class TorchTower : Module
    {
        private readonly ModuleList _layers = new(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        private readonly ModuleDict _heads = new(("cls", new Linear(2, 5)), ("reg", new Linear(2, 1)));
        private readonly BatchNorm1d _norm = new(2);
        public override Tensor Forward(Tensor input) => input;
    }

    private sealed record TorchNames(string[] State_dict, string[] Named_modules, string[] Named_parameters, string[] Edited_list_parameters);

    [Fact]
    public void NamesAreThoseTorchGives()
    {
        var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "nninit", "nninit_cases.json")));
        var torch = json.RootElement.GetProperty("containers").Deserialize<TorchNames>(new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        var tower = new TorchTower();
        Assert.Equal(torch.State_dict, tower.StateDict().Keys);
        Assert.Equal(torch.Named_modules, tower.NamedModules().Select(m => m.Name));
        Assert.Equal(torch.Named_parameters, tower.NamedParameters().Select(p => p.Name));

        var edited = new ModuleList(new Linear(1, 2), new ReLU(), new Linear(2, 3));
        edited.Insert(1, new Linear(2, 2));
        edited.Pop(0);
        edited.Append(new Linear(3, 1));
        Assert.Equal(torch.Edited_list_parameters, edited.NamedParameters().Select(p => p.Name));
    }

    [Fact]
    public void ModuleListNamesItsChildrenByPosition()
    {
        var list = new ModuleList(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], list.NamedParameters().Select(p => p.Name));
        Assert.Equal(["0", "1", "2"], list.NamedChildren().Select(c => c.Name));
        Assert.Equal(["Layers.0.weight", "Layers.0.bias", "Layers.2.weight", "Layers.2.bias", "Heads.cls.weight", "Heads.cls.bias",
                      "Heads.reg.weight", "Heads.reg.bias", "Norm.weight", "Norm.bias"],
                     new Tower().NamedParameters().Select(p => p.Name));
        Assert.Equal(["", "Layers", "Layers.0", "Layers.1", "Layers.2", "Heads", "Heads.cls", "Heads.reg", "Norm"],
                     new Tower().NamedModules().Select(m => m.Name));
    }

    [Fact]
    public void ModuleListBehavesAsAList()
    {
        Module a = new Linear(1, 1), b = new ReLU(), c = new Tanh(), d = new Sigmoid();
        var list = new ModuleList { a, b };
        Assert.Same(list, list.Append(c).Extend([d]));
        Assert.Equal(4, list.Count);
        Assert.Equal([a, b, c, d], list.ToArray());
        Assert.Same(d, list[-1]);
        Assert.Same(d, list[^1]);
        Assert.Same(a, list[-4]);
        Assert.Equal([b, c], list[1..3].ToArray());
        Assert.Same(a, list.Get<Linear>(0));

        list.Insert(1, new Identity());
        Assert.Equal(["0.weight", "0.bias"], list.NamedParameters().Select(p => p.Name));
        Assert.IsType<Identity>(list[1]);
        Assert.Same(b, list[2]);
        Assert.Same(d, list.Pop());
        Assert.Same(a, list.Pop(0));
        Assert.Equal(["0", "1", "2"], list.NamedChildren().Select(x => x.Name));   // renumbered after removal
        list[0] = a;
        Assert.Equal(["0.weight", "0.bias"], list.NamedParameters().Select(p => p.Name));
        list.RemoveAt(-1);
        Assert.Equal([a, b], list.ToArray());
        Assert.Equal(2, new ModuleList(list).Count);                                  // copies the modules of another list
        Assert.Empty(new ModuleList());
    }

    [Fact]
    public void ModuleListRefusesBadIndicesAndHasNoForward()
    {
        var list = new ModuleList(new ReLU(), new Tanh());
        Assert.Equal("index 2 is out of range for a ModuleList of 2 modules (Parameter 'index')",
                     Assert.Throws<ArgumentOutOfRangeException>(() => list[2]).Message);
        Assert.Equal("index -3 is out of range for a ModuleList of 2 modules (Parameter 'index')",
                     Assert.Throws<ArgumentOutOfRangeException>(() => list[-3]).Message);
        Assert.Equal("index 3 is out of range for inserting into a ModuleList of 2 modules (Parameter 'index')",
                     Assert.Throws<ArgumentOutOfRangeException>(() => list.Insert(3, new ReLU())).Message);
        Assert.Equal("module 1 of the ModuleList is a Tanh, not a Linear",
                     Assert.Throws<InvalidOperationException>(() => list.Get<Linear>(1)).Message);
        Assert.Throws<ArgumentNullException>(() => list.Append(null!));
        Assert.Equal("Module [ModuleList] is missing the required \"forward\" function",
                     Assert.Throws<NotImplementedException>(() => list.Call(Tensor.Zeros(1))).Message);
        Assert.Equal("Module [ModuleList] is missing the required \"forward\" function",
                     Assert.Throws<NotImplementedException>(() => list.Forward(Tensor.Zeros(1))).Message);
    }

    [Fact]
    public void ModuleDictKeepsInsertionOrder_AndNamesChildrenByKey()
    {
        Module conv = new Conv2d(1, 2, 3), act = new ReLU(), fc = new Linear(2, 2);
        var dict = new ModuleDict { ["conv"] = conv, ["act"] = act };
        dict.Add("fc", fc);
        Assert.Equal(["conv", "act", "fc"], dict.Keys);
        Assert.Equal([conv, act, fc], dict.Values);
        Assert.Equal(["conv", "act", "fc"], dict.Select(kv => kv.Key));
        Assert.Equal(["conv.weight", "conv.bias", "fc.weight", "fc.bias"], dict.NamedParameters().Select(p => p.Name));
        Assert.True(dict.ContainsKey("act"));
        Assert.False(dict.ContainsKey("Act"));
        Assert.Same(fc, dict.Get<Linear>("fc"));

        var tanh = new Tanh();
        dict["act"] = tanh;                                                     // replacing keeps the position
        Assert.Equal(["conv", "act", "fc"], dict.Keys);
        Assert.Same(tanh, dict["act"]);
        Assert.Same(conv, dict.Pop("conv"));
        dict["conv"] = conv;                                                    // re-added at the end
        Assert.Equal(["act", "fc", "conv"], dict.Keys);
        Assert.True(dict.Remove("act"));
        Assert.False(dict.Remove("act"));
        Assert.Equal(2, dict.Count);
        Assert.Same(dict, dict.Update(new Dictionary<string, Module> { ["fc"] = act, ["out"] = new Identity() }));
        Assert.Equal(["fc", "conv", "out"], dict.Keys);
        Assert.Same(act, dict["fc"]);
        Assert.Equal(["fc", "conv", "out"], new ModuleDict(dict).Keys);
        dict.Clear();
        Assert.Empty(dict);
    }

    [Fact]
    public void ModuleDictRefusesBadNamesAndMissingKeysAndHasNoForward()
    {
        var dict = new ModuleDict(("a", new ReLU()), ("b", new Tanh()));
        Assert.Equal("module name can't contain \".\", got: x.y", Assert.Throws<ArgumentException>(() => dict["x.y"] = new ReLU()).Message);
        Assert.Equal("module name can't be empty string \"\"", Assert.Throws<ArgumentException>(() => dict.Add("", new ReLU())).Message);
        Assert.Equal("a module named 'a' is already in the ModuleDict", Assert.Throws<ArgumentException>(() => dict.Add("a", new ReLU())).Message);
        Assert.Equal("no module named 'c' in the ModuleDict (keys: 'a', 'b')", Assert.Throws<KeyNotFoundException>(() => dict["c"]).Message);
        Assert.Equal("no module named 'c' in the ModuleDict (keys: 'a', 'b')", Assert.Throws<KeyNotFoundException>(() => dict.Pop("c")).Message);
        Assert.Equal("module 'b' of the ModuleDict is a Tanh, not a ReLU", Assert.Throws<InvalidOperationException>(() => dict.Get<ReLU>("b")).Message);
        Assert.Throws<ArgumentNullException>(() => dict["z"] = null!);
        Assert.Equal("Module [ModuleDict] is missing the required \"forward\" function",
                     Assert.Throws<NotImplementedException>(() => dict.Call(Tensor.Zeros(1))).Message);
    }

    [Fact]
    public void AModelWithContainersSavesAndLoads()
    {
        Tensor.ManualSeed(1);
        var a = new Tower();
        var x = Tensor.Randn(4, 3);
        a.Call(x);                                                              // updates the running stats
        a.Eval();
        Tensor.ManualSeed(2);
        var b = new Tower();
        b.Eval();
        Assert.Equal(a.StateDict().Keys, b.StateDict().Keys);
        Assert.Contains("Heads.reg.bias", a.StateDict().Keys);
        Assert.Contains("Norm.running_mean", a.StateDict().Keys);
        Assert.NotEqual(a.Call(x).ToArray(), b.Call(x).ToArray());

        var path = Path.Combine(Path.GetTempPath(), $"containers-{Guid.NewGuid():N}.safetensors");
        try
        {
            a.Save(path);
            b.Load(path);
        }
        finally { File.Delete(path); }
        Assert.Equal(a.Call(x).ToArray(), b.Call(x).ToArray());
        foreach (var (name, t) in a.StateDict()) Assert.Equal(t.ToArray<double>(), b.StateDict()[name].ToArray<double>());
    }

    [Fact]
    public void ModeDtypeAndApplyReachModulesInsideContainers()
    {
        var tower = new Tower();
        tower.Eval();
        Assert.All(tower.NamedModules(), m => Assert.False(m.Module.Training));
        tower.Train();
        Assert.True(tower.Layers[0].Training && tower.Heads["reg"].Training);
        tower.Double();
        Assert.Equal(DType.Float64, tower.Layers.Get<Linear>(2).Weight.DType);
        Assert.Equal(DType.Float64, tower.Heads.Get<Linear>("cls").Weight.DType);
        int linears = 0;
        tower.Apply(m => { if (m is Linear) linears++; });
        Assert.Equal(4, linears);
        Assert.Equal(10, tower.Parameters().Count());
    }

    [Fact]
    public void HooksOnModulesInsideContainersFireWhenTheOwnerCallsThem()
    {
        var tower = new Tower();
        var shapes = new List<int[]>();
        tower.Layers[1].RegisterForwardHook((m, i, o) => { shapes.Add(o.Shape); });
        tower.Heads["cls"].RegisterForwardHook((m, i, o) => { shapes.Add(o.Shape); });
        Assert.Equal([6, 5], tower.Call(Tensor.Randn(6, 3)).Shape);
        Assert.Equal([[6, 4], [6, 5]], shapes);
    }
}
