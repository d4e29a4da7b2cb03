using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.NN;

/// <summary>
/// The Transformer layers and stacks against PyTorch 1.13 (Data/attention/make_transformer.py): init after ManualSeed(0) under
/// PyTorch's keys, the global stream after construction (the stacks' copies draw nothing), outputs and every gradient;
/// post-norm and pre-norm, batch first, causal and padding masks, dropout in training.
/// </summary>
[Collection("GlobalGenerator")]
public class TransformerReferenceTests
{
    private static ReferenceCases.RefTensor Ref(JsonElement e) => ReferenceCases.Parse(e);
    private static Tensor T(JsonElement e) => ReferenceCases.TensorOf(e);

    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() => ReferenceCases.LoadRaw("attention", "transformer_cases.json"));

    public static TheoryData<string> Names => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        var o = c.GetProperty("options");
        int I(string k, int d) => o.TryGetProperty(k, out var v) ? v.GetInt32() : d;
        double D(string k, double d) => o.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        bool B(string k) => o.TryGetProperty(k, out var v) && v.GetBoolean();
        string act = o.TryGetProperty("activation", out var a) ? a.GetString()! : "relu";
        string kind = c.GetProperty("kind").GetString()!;
        bool f32 = c.GetProperty("dtype").GetString() == "float32";
        var tol = f32 ? new ReferenceCases.Tolerance(1e-4, 1e-4) : new ReferenceCases.Tolerance(1e-9, 1e-9);
        var problems = new List<string>();

        Tensor.ManualSeed(0);
        TransformerEncoderLayer Enc() => new(I("d_model", 0), I("nhead", 0), I("dim_feedforward", 2048), D("dropout", 0.1), act, batchFirst: B("batch_first"), normFirst: B("norm_first"));
        TransformerDecoderLayer Dec() => new(I("d_model", 0), I("nhead", 0), I("dim_feedforward", 2048), D("dropout", 0.1), act, batchFirst: B("batch_first"), normFirst: B("norm_first"));
        LayerNorm? Norm() => c.GetProperty("final_norm").GetBoolean() ? new LayerNorm(I("d_model", 0)) : null;
        Module m = kind switch
        {
            "encoder_layer" => Enc(),
            "decoder_layer" => Dec(),
            "encoder" => new TransformerEncoder(Enc(), c.GetProperty("layers").GetInt32(), Norm()),
            _ => new TransformerDecoder(Dec(), c.GetProperty("layers").GetInt32(), Norm()),
        };
        ReferenceCases.Compare("draw after construction", Ref(c.GetProperty("after_draw")), Tensor.Rand(4), problems, new ReferenceCases.Tolerance(0, 0, 0));
        var init = c.GetProperty("init");
        Assert.Equal(init.EnumerateObject().Select(p => p.Name).ToArray(), m.NamedParameters().Select(p => p.Name).ToArray());
        foreach (var (pname, p) in m.NamedParameters())
            ReferenceCases.Compare($"init {pname}", Ref(init.GetProperty(pname)), p, problems, new ReferenceCases.Tolerance(0, 0, 0));
        m.To(f32 ? DType.Float32 : DType.Float64);
        m.Train(c.GetProperty("train").GetBoolean());

        var inputs = c.GetProperty("inputs").EnumerateArray().Select(e => T(e).RequiresGrad_()).ToArray();
        var masks = c.GetProperty("masks");
        Tensor? M(string key) => masks.TryGetProperty(key, out var v) ? T(v) : null;
        Tensor.ManualSeed(c.GetProperty("seed").GetInt64());
        var output = m switch
        {
            TransformerEncoderLayer l => l.Forward(inputs[0], M("src_mask"), M("src_key_padding_mask")),
            TransformerEncoder e => e.Forward(inputs[0], M("mask"), M("src_key_padding_mask")),
            TransformerDecoderLayer l => l.Forward(inputs[0], inputs[1], M("tgt_mask"), M("memory_mask"), M("tgt_key_padding_mask"), M("memory_key_padding_mask")),
            TransformerDecoder d => d.Forward(inputs[0], inputs[1], M("tgt_mask"), M("memory_mask"), M("tgt_key_padding_mask"), M("memory_key_padding_mask")),
            _ => throw new InvalidOperationException(kind),
        };
        ReferenceCases.Compare("output", Ref(c.GetProperty("output")), output, problems, tol);
        (output * T(c.GetProperty("upstream"))).Sum().Backward();
        var gi = c.GetProperty("grad_inputs").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++) ReferenceCases.Compare($"grad input {i}", Ref(gi[i]), inputs[i].Grad!, problems, tol);
        var gp = c.GetProperty("grad_params");
        foreach (var (pname, p) in m.NamedParameters()) ReferenceCases.Compare($"grad {pname}", Ref(gp.GetProperty(pname)), p.Grad!, problems, tol);
        ReferenceCases.AssertNoProblems(name, problems);
    }

    [Fact]
    public void SquareSubsequentMask_IsPyTorchs()
    {
        var m = Transformer.GenerateSquareSubsequentMask(3);
        Assert.Equal([0f, float.NegativeInfinity, float.NegativeInfinity, 0, 0, float.NegativeInfinity, 0, 0, 0], m.ToArray());
    }
}

/// <summary>Generator.GetState / SetState (torch.Generator.get_state / set_state).</summary>
public class GeneratorStateTests
{
    [Fact]
    public void SetState_ReplaysTheSameDraws()
    {
        var g = new Generator(3);
        Tensor.Empty([5]).Normal_(generator: g);          // a scalar-path normal (under 16 elements) leaves a cached Box–Muller value
        var state = g.GetState();
        var a = Tensor.Randn([7], generator: g).ToArray();
        var b = Tensor.Rand([3], generator: g).ToArray();
        g.SetState(state);
        Assert.Equal(a, Tensor.Randn([7], generator: g).ToArray());
        Assert.Equal(b, Tensor.Rand([3], generator: g).ToArray());
        var other = new Generator(99).SetState(state);
        Assert.Equal(a, Tensor.Randn([7], generator: other).ToArray());
    }
}
