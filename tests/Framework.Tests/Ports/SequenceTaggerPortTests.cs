using System.Text.Json;
using Framework.Examples.SequenceTagger;

namespace Tests.Ports;

/// <summary>examples/SequenceTagger (PyTorch's LSTM tagger tutorial) gives PyTorch's scores before and after training and its losses (Data/ports/make_tagger.py).</summary>
[Collection("GlobalGenerator")]
public class SequenceTaggerPortTests
{
    [Fact]
    public void TaggerTutorial_ReproducesPyTorch()
    {
        var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "ports", "tagger_cases.json"))).RootElement;
        var (before, after, losses) = Tutorial.Run();
        static double[] Flat(JsonElement e) => e.EnumerateArray().SelectMany(r => r.EnumerateArray().Select(v => v.GetDouble())).ToArray();
        var b = before.ToArray(); var a = after.ToArray();
        var eb = Flat(expected.GetProperty("before")); var ea = Flat(expected.GetProperty("after"));
        for (int i = 0; i < eb.Length; i++) Assert.True(Math.Abs(b[i] - eb[i]) < 2e-6, $"before[{i}]: {b[i]} vs PyTorch {eb[i]}");
        for (int i = 0; i < ea.Length; i++) Assert.True(Math.Abs(a[i] - ea[i]) < 1e-4, $"after[{i}]: {a[i]} vs PyTorch {ea[i]}");
        foreach (var p in expected.GetProperty("losses").EnumerateObject())
            Assert.True(Math.Abs(losses[int.Parse(p.Name)] - p.Value.GetDouble()) < 1e-4, $"loss at epoch {p.Name}: {losses[int.Parse(p.Name)]} vs PyTorch {p.Value.GetDouble()}");
        Assert.Equal(expected.GetProperty("printed_after").GetString(), after.ToString());
    }
}
