using System.Globalization;
using System.Text.Json;
using CharLM;
using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.Examples;

/// <summary>
/// examples/CharLM against its PyTorch 1.13 twin (Data/charlm/make_charlm.py): the init after ManualSeed(0), the logits, loss
/// and every gradient of a batch, and the weights after 3 steps of the training recipe (AdamW groups, warm-up + cosine, clipping).
/// </summary>
[Collection("GlobalGenerator")]
public class CharLMReferenceTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Data", "charlm");
    private static readonly Lazy<JsonElement> Json = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "charlm_cases.json"))).RootElement);
    private static readonly Lazy<Dictionary<string, Tensor>> Expected = new(() => SafeTensors.Load(Path.Combine(Dir, "charlm_params.safetensors")));

    private static CharGpt NewModel()
    {
        Tensor.ManualSeed(0);
        return new CharGpt(new CharGptConfig());
    }

    private static Tensor[] Batches() => [.. Json.Value.GetProperty("batches").EnumerateArray().Select(ReferenceCases.TensorOf)];

    private static (Tensor X, Tensor Y) Split(Tensor window)
    {
        int t = window.Shape[1] - 1;
        return (window.Narrow(1, 0, t).Contiguous(), window.Narrow(1, 1, t).Contiguous());
    }

    /// <summary>Every element within rtol·|expected| + atol, else a failure naming the worst ones.</summary>
    private static void AssertClose(string what, Tensor expected, Tensor got, double rtol, double atol, List<string> problems)
    {
        if (!expected.Shape.SequenceEqual(got.Shape))
        {
            problems.Add($"{what}: shape expected [{string.Join(", ", expected.Shape)}], got [{string.Join(", ", got.Shape)}]");
            return;
        }
        var e = expected.ToArray<double>();
        var g = got.Contiguous().ToArray<double>();
        var bad = Enumerable.Range(0, e.Length).Where(i => !(Math.Abs(g[i] - e[i]) <= rtol * Math.Abs(e[i]) + atol))
                            .OrderByDescending(i => Math.Abs(g[i] - e[i])).ToList();
        if (bad.Count > 0)
            problems.Add($"{what}: {bad.Count} of {e.Length} elements differ, the worst: " +
                         string.Join(", ", bad.Take(4).Select(i => string.Create(CultureInfo.InvariantCulture, $"[{i}] expected {e[i]:R} got {g[i]:R}"))));
    }

    private static void AssertNone(List<string> problems) => Assert.True(problems.Count == 0, string.Join("\n", problems));

    [Fact]
    public void Init_AfterManualSeed0_IsPyTorchs_KeysValuesAndTheStreamAfter()
    {
        var model = NewModel();
        var afterInit = Tensor.Rand(4);
        var state = model.StateDict();
        var keys = Json.Value.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
        Assert.Equal(keys, state.Keys.ToArray());
        var problems = new List<string>();
        foreach (var k in keys) AssertClose(k, Expected.Value[$"init/{k}"], state[k], 1e-6, 1e-7, problems);
        AssertClose("torch.rand(4) after the init", ReferenceCases.TensorOf(Json.Value.GetProperty("after_init")), afterInit, 0, 0, problems);
        AssertNone(problems);
        Assert.Equal(205_595, model.Parameters().Sum(p => p.Numel));
    }

    [Fact]
    public void LogitsLossAndEveryGradient_ArePyTorchs()
    {
        var model = NewModel();
        var (x, y) = Split(Batches()[0]);
        var logits = model.Forward(x);
        var loss = Functional.CrossEntropy(logits.Reshape(-1, Vocabulary.Size), y.Reshape(-1));
        Assert.Equal(Json.Value.GetProperty("loss").GetDouble(), loss.Item(), 1e-5);
        Assert.Equal(loss.Item(), model.Loss(x, y).Item(), 1e-6);   // Loss is the same computation
        loss.Backward();
        var problems = new List<string>();
        AssertClose("logits", Expected.Value["logits"], logits, 1e-5, 1e-5, problems);
        foreach (var (name, p) in model.NamedParameters())
            AssertClose($"grad of {name}", Expected.Value[$"grad/{name}"], p.Grad!, 1e-4, 1e-6, problems);
        AssertNone(problems);
        double norm = Utils.ClipGradNorm_(model.Parameters(), double.PositiveInfinity).Item();
        Assert.Equal(Json.Value.GetProperty("grad_norm").GetDouble(), norm, 1e-5);
    }

    [Fact]
    public void ThreeStepsOfTheRecipe_GivePyTorchsWeightsLossesAndLrs()
    {
        var recipe = Json.Value.GetProperty("recipe");
        double lr = recipe.GetProperty("lr").GetDouble(), clip = recipe.GetProperty("clip").GetDouble();
        var betas = recipe.GetProperty("betas").EnumerateArray().Select(b => b.GetDouble()).ToArray();
        int warmup = recipe.GetProperty("warmup").GetInt32(), total = recipe.GetProperty("total").GetInt32();

        var model = NewModel();
        var optimizer = Training.MakeOptimizer(model, lr, (betas[0], betas[1]), recipe.GetProperty("weight_decay").GetDouble());
        var schedule = Training.MakeSchedule(optimizer, warmup, total, recipe.GetProperty("min_lr").GetDouble());
        var decayKeys = Json.Value.GetProperty("decay_keys").EnumerateArray().Select(k => k.GetString()!).ToArray();
        var byParam = model.NamedParameters().ToDictionary(p => (object)p.Param, p => p.Name, ReferenceEqualityComparer.Instance);
        Assert.Equal(decayKeys, optimizer.ParamGroups[0].Parameters.Select(p => byParam[p]).ToArray());
        Assert.Equal(0.0, optimizer.ParamGroups[1].WeightDecay);

        var expectedLrs = Json.Value.GetProperty("lrs").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var expectedLosses = Json.Value.GetProperty("losses").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var lrs = new List<double>();
        var losses = new List<double>();
        foreach (var window in Batches())
        {
            lrs.Add(optimizer.ParamGroups[0].Lr);
            var (x, y) = Split(window);
            losses.Add(Training.Step(model, optimizer, schedule, x, y, clip));
        }
        for (int s = lrs.Count; s < expectedLrs.Length; s++)
        {
            lrs.Add(optimizer.ParamGroups[0].Lr);
            if (s < expectedLrs.Length - 1) schedule.Step();
        }
        for (int i = 0; i < expectedLrs.Length; i++) Assert.Equal(expectedLrs[i], lrs[i], 1e-12 * expectedLrs[i]);
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(optimizer.ParamGroups[0].Lr, g.Lr));
        for (int i = 0; i < expectedLosses.Length; i++) Assert.Equal(expectedLosses[i], losses[i], 1e-5);

        // Within 1e-4, not tighter: AdamW's first steps divide each gradient by its own size (m/√v), so a gradient near ε = 1e-8
        // whose rounding differs moves its weight by up to lr·|g|/(|g| + ε). The key part of in_proj_bias has a gradient that
        // is zero but for rounding (softmax ignores a shift of every score of a query), ~1e-10 here: its 3 steps are rounding
        // noise of a few 1e-5 in PyTorch and here alike, so it is checked to stay that small.
        var problems = new List<string>();
        var state = model.StateDict();
        foreach (var (k, v) in state) AssertClose($"{k} after 3 steps", Expected.Value[$"step3/{k}"], v, 1e-4, 1e-4, problems);
        AssertNone(problems);
        int c = model.Config.NEmbd;
        for (int l = 0; l < model.Config.NLayer; l++)
        {
            string key = $"blocks.layers.{l}.self_attn.in_proj_bias";
            Assert.True(state[key].Narrow(0, c, c).Abs().Max().Item() < 1e-4, $"the key bias of layer {l} moved by more than rounding noise");
            Assert.True(Expected.Value[$"step3/{key}"].Narrow(0, c, c).Abs().Max().Item() < 1e-4);
        }
    }
}
