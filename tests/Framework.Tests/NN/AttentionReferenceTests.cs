using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.NN;

/// <summary>
/// MultiheadAttention against PyTorch 1.13 (init after ManualSeed(0), outputs, weights, gradients of the inputs and of every
/// parameter; self and cross attention, batch first, padding, Bool/float/3-d masks, per-head weights, unbatched, dropout) and
/// ScaledDotProductAttention against PyTorch 2.x's definition (Data/attention/make_attention.py).
/// </summary>
[Collection("GlobalGenerator")]   // the cases seed the global generator
public class AttentionReferenceTests
{
    private static ReferenceCases.RefTensor Ref(JsonElement e) => ReferenceCases.Parse(e);
    private static Tensor T(JsonElement e) => ReferenceCases.TensorOf(e);

    private static readonly Lazy<Dictionary<string, JsonElement>> Mha = new(() => ReferenceCases.LoadRaw("attention", "mha_cases.json"));

    public static TheoryData<string> MhaNames => new(Mha.Value.Keys);

    [Theory]
    [MemberData(nameof(MhaNames))]
    public void MultiheadAttention_MatchesPyTorch(string name)
    {
        var c = Mha.Value[name];
        var o = c.GetProperty("options");
        bool f32 = c.GetProperty("dtype").GetString() == "float32";
        var tol = f32 ? new ReferenceCases.Tolerance(1e-4, 1e-4) : new ReferenceCases.Tolerance(1e-9, 1e-9);
        var problems = new List<string>();

        Tensor.ManualSeed(0);
        var m = new MultiheadAttention(o.GetProperty("embed_dim").GetInt32(), o.GetProperty("num_heads").GetInt32(),
            dropout: o.TryGetProperty("dropout", out var d) ? d.GetDouble() : 0, bias: !o.TryGetProperty("bias", out var b) || b.GetBoolean(),
            batchFirst: o.TryGetProperty("batch_first", out var bf) && bf.GetBoolean());
        var init = c.GetProperty("init");
        Assert.Equal(init.EnumerateObject().Select(p => p.Name).ToArray(), m.NamedParameters().Select(p => p.Name).ToArray());
        foreach (var (pname, p) in m.NamedParameters())
            ReferenceCases.Compare($"init {pname}", Ref(init.GetProperty(pname)), p, problems, new ReferenceCases.Tolerance(0, 0, 0));
        m.To(f32 ? DType.Float32 : DType.Float64);
        m.Train(c.GetProperty("train").GetBoolean());

        var inputs = c.GetProperty("inputs").EnumerateArray().Select(e => T(e).RequiresGrad_()).ToArray();
        var (q, k, v) = inputs.Length switch
        {
            1 => (inputs[0], inputs[0], inputs[0]),
            2 => (inputs[0], inputs[1], inputs[1]),
            _ => (inputs[0], inputs[1], inputs[2]),
        };
        Tensor? Optional(string key) => c.GetProperty(key).ValueKind == JsonValueKind.Null ? null : T(c.GetProperty(key));
        Tensor.ManualSeed(c.GetProperty("seed").GetInt64());
        var (output, weights) = m.Forward(q, k, v, keyPaddingMask: Optional("key_padding_mask"), needWeights: c.GetProperty("need_weights").GetBoolean(),
            attnMask: Optional("attn_mask"), averageAttnWeights: c.GetProperty("average").GetBoolean());
        Tensor[] results = weights is null ? [output] : [output, weights];
        var expected = c.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, results.Length);
        for (int i = 0; i < results.Length; i++) ReferenceCases.Compare($"result {i}", Ref(expected[i]), results[i], problems, tol);
        var ups = c.GetProperty("upstreams").EnumerateArray().Select(T).ToArray();
        results.Zip(ups, (r, u) => (r * u).Sum()).Aggregate((x, y) => x + y).Backward();
        var gi = c.GetProperty("grad_inputs").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++) ReferenceCases.Compare($"grad input {i}", Ref(gi[i]), inputs[i].Grad!, problems, tol);
        var gp = c.GetProperty("grad_params");
        foreach (var (pname, p) in m.NamedParameters()) ReferenceCases.Compare($"grad {pname}", Ref(gp.GetProperty(pname)), p.Grad!, problems, tol);
        ReferenceCases.AssertNoProblems(name, problems);
    }

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Sdpa = new()
    {
        ["sdpa_plain"] = a => Functional.ScaledDotProductAttention(a[0], a[1], a[2]),
        ["sdpa_causal"] = a => Functional.ScaledDotProductAttention(a[0], a[1], a[2], isCausal: true),
        ["sdpa_bool_mask_takes_part"] = a => Functional.ScaledDotProductAttention(a[0], a[1], a[2], a[3]),
        ["sdpa_float_mask"] = a => Functional.ScaledDotProductAttention(a[0], a[1], a[2], a[3]),
        ["sdpa_float32"] = a => Functional.ScaledDotProductAttention(a[0], a[1], a[2], isCausal: true),
    };

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> SdpaCases = new(() => ReferenceCases.Load("attention", "sdpa_cases.json"));

    public static TheoryData<string> SdpaNames => new(SdpaCases.Value.Keys);

    [Theory]
    [MemberData(nameof(SdpaNames))]
    public void ScaledDotProductAttention_MatchesPyTorch(string name)
    {
        ReferenceCases.AssertMatches(name, SdpaCases.Value[name], Sdpa[name]);
    }

    [Fact]
    public void MultiheadAttention_RefusesBadInput()
    {
        Assert.Equal("embed_dim must be divisible by num_heads", Assert.Throws<ArgumentException>(() => new MultiheadAttention(6, 4)).Message);
        var m = new MultiheadAttention(4, 2);
        var x = Tensor.Zeros(3, 2, 4);
        Assert.Equal("The shape of the 2D attn_mask is torch.Size([2, 2]), but should be (3, 3).",
            Assert.Throws<ArgumentException>(() => m.Forward(x, x, x, attnMask: Tensor.Zeros(2, 2))).Message);
        Assert.Equal("expecting key_padding_mask shape of (2, 3), but got torch.Size([3, 2])",
            Assert.Throws<ArgumentException>(() => m.Forward(x, x, x, keyPaddingMask: Tensor.Zeros([3, 2], DType.Bool))).Message);
        Assert.StartsWith("Need attn_mask if specifying the is_causal hint.", Assert.Throws<ArgumentException>(() => m.Forward(x, x, x, isCausal: true)).Message);
        Assert.Equal(["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"], m.StateDict().Keys.ToArray());
    }
}
