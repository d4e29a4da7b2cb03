using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>safetensors files: byte-identical to an independent numpy writer, loadable both ways, atomic, and refused when damaged.</summary>
public class SafeTensorsTests : IDisposable
{
    private static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Data", "safetensors", name);
    private readonly string dir = Directory.CreateTempSubdirectory("framework-st-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static Sequential Model() => new(new Linear(3, 2), new ReLU(), new Linear(2, 1));

    private static void SetPythonWeights(Sequential m)
    {
        var state = new Dictionary<string, Tensor>
        {
            ["0.weight"] = Tensor.From(new float[,] { { 0.5f, -1.25f, 2.0f }, { 3.0f, 0.125f, -0.75f } }),
            ["0.bias"] = Tensor.From(new[] { 0.1f, -0.2f }),
            ["2.weight"] = Tensor.From(new float[,] { { 1.5f, -2.5f } }),
            ["2.bias"] = Tensor.From(new[] { 0.25f }),
        };
        m.LoadStateDict(state);
    }

    [Fact]
    public void Save_WritesTheSameBytesAsTheNumpyWriter()
    {
        var m = Model();
        SetPythonWeights(m);
        var path = Path.Combine(dir, "m.safetensors");
        m.Save(path);
        Assert.Equal(File.ReadAllBytes(Data("python_written.safetensors")), File.ReadAllBytes(path));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void Load_ReadsAFileWrittenInPython()
    {
        var m = Model();
        m.Load(Data("python_written.safetensors"));
        Assert.Equal([0.5f, -1.25f, 2.0f, 3.0f, 0.125f, -0.75f], ((Linear)m[0]).Weight.ToArray());
        var all = SafeTensors.Load(Data("python_written_dtypes.safetensors"));
        Assert.Equal([1.0 / 3, -2.5], all["f64"].ToArray<double>());
        Assert.Equal([1L, -2L, 3L, 1L << 40], all["i64"].ToArray<long>());
        Assert.Equal([2, 2], all["i64"].Shape);
        Assert.Equal([true, false, true], all["flags"].ToArray<bool>());
        Assert.Equal(0, all["scalar"].Dim);
        Assert.Equal(7.5f, all["scalar"].Item());
    }

    [Fact]
    public void SaveThenLoad_GivesBitIdenticalOutputs()
    {
        var a = Model();
        var b = Model();
        var path = Path.Combine(dir, "a.safetensors");
        a.Save(path);
        b.Load(path);
        var x = Tensor.Randn(5, 3);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());
    }

    [Fact]
    public void TruncatedFile_IsRefused_AndTheModuleKeepsItsWeights()
    {
        var path = Path.Combine(dir, "t.safetensors");
        var bytes = File.ReadAllBytes(Data("python_written.safetensors"));
        File.WriteAllBytes(path, bytes[..^5]);
        var m = Model();
        var before = m.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var ex = Assert.Throws<InvalidDataException>(() => m.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("truncated", ex.Message);
        foreach (var (k, v) in m.StateDict()) Assert.Equal(before[k], v.ToArray());
    }

    [Theory]
    [InlineData(4, "too short")]
    [InlineData(20, "runs past the end")]
    public void DamagedHeaders_AreRefusedWithTheReason(int keep, string reason)
    {
        var path = Path.Combine(dir, "d.safetensors");
        File.WriteAllBytes(path, File.ReadAllBytes(Data("python_written.safetensors"))[..keep]);
        Assert.Contains(reason, Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }

    [Fact]
    public void CorruptJson_IsRefused()
    {
        var path = Path.Combine(dir, "j.safetensors");
        var bytes = File.ReadAllBytes(Data("python_written.safetensors"));
        bytes[8] = (byte)'[';
        bytes[9] = (byte)'x';
        File.WriteAllBytes(path, bytes);
        Assert.Contains("not JSON", Assert.Throws<InvalidDataException>(() => SafeTensors.Load(path)).Message);
    }
}
