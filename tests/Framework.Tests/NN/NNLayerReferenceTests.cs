using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.NN;

/// <summary>LayerNorm, GroupNorm, the activations, Embedding's padding_idx, IndexFill and channel dropout against PyTorch 1.13 (Data/nnlayers/make_nnlayers.py).</summary>
[Collection("GlobalGenerator")]   // the dropout cases reseed the global generator
public class NNLayerReferenceTests
{
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["layer_norm_last_dim"] = a => Functional.LayerNorm(a[0], [4], a[1], a[2]),
        ["layer_norm_two_dims"] = a => Functional.LayerNorm(a[0], [3, 4], a[1], a[2], eps: 1e-3),
        ["layer_norm_no_affine"] = a => Functional.LayerNorm(a[0], [5]),
        ["layer_norm_weight_only"] = a => Functional.LayerNorm(a[0], [3], a[1]),
        ["layer_norm_bias_only"] = a => Functional.LayerNorm(a[0], [2, 3], null, a[1]),
        ["layer_norm_transposed"] = a => Functional.LayerNorm(a[0].T(), [3], a[1], a[2]),
        ["layer_norm_constant_row"] = a => Functional.LayerNorm(a[0], [4], a[1], a[2]),
        ["layer_norm_float32"] = a => Functional.LayerNorm(a[0], [6], a[1], a[2]),
        ["group_norm_2_groups"] = a => Functional.GroupNorm(a[0], 2, a[1], a[2]),
        ["group_norm_4d"] = a => Functional.GroupNorm(a[0], 3, a[1], a[2], eps: 1e-3),
        ["group_norm_no_affine"] = a => Functional.GroupNorm(a[0], 1),
        ["group_norm_instance_like"] = a => Functional.GroupNorm(a[0], 4, a[1], a[2]),
        ["group_norm_one_group_affine"] = a => Functional.GroupNorm(a[0], 1, a[1], a[2]),
        ["group_norm_2d_input"] = a => Functional.GroupNorm(a[0], 2, a[1], a[2]),
        ["group_norm_float32"] = a => Functional.GroupNorm(a[0], 2, a[1], a[2]),
        ["leaky_relu_2d"] = a => new LeakyReLU().Call(a[0]),
        ["relu6"] = a => new ReLU6().Call(a[0]),
        ["embedding_padding_idx"] = a => Functional.Embedding(a[1], a[0], paddingIdx: 1),
        ["embedding_negative_padding_idx"] = a => Functional.Embedding(a[1], a[0], paddingIdx: -1),
        ["index_fill_dim1"] = a => a[0].IndexFill(1, a[1], -2.5),
        ["index_fill_dim0"] = a => a[0].IndexFill(0, a[1], 0.0),
        ["cross_entropy_sequence"] = a => new CrossEntropyLoss().Forward(a[0], a[1]),
        ["cross_entropy_sequence_ignore_padding"] = a => new CrossEntropyLoss(ignoreIndex: 0, labelSmoothing: 0.1).Forward(a[0], a[1]),
        ["cross_entropy_sequence_none"] = a => new CrossEntropyLoss(Reduction.None, ignoreIndex: 0).Forward(a[0], a[1]),
        ["dropout2d_seed0"] = a => Seeded(0, () => Functional.Dropout2d(a[0], 0.5)),
        ["dropout2d_3d_input_seed1"] = a => Seeded(1, () => Functional.Dropout2d(a[0], 0.3)),
        ["dropout1d_seed2"] = a => Seeded(2, () => Functional.Dropout1d(a[0], 0.4)),
        ["dropout1d_unbatched_seed3"] = a => Seeded(3, () => Functional.Dropout1d(a[0], 0.6)),
        ["dropout2d_float32_seed4"] = a => Seeded(4, () => new Dropout2d(0.5).Call(a[0])),
    };

    static NNLayerReferenceTests()
    {
        foreach (var suffix in new[] { "", "_float32" })
        {
            Ops["silu" + suffix] = a => new SiLU().Call(a[0]);
            Ops["leaky_relu" + suffix] = a => Functional.LeakyRelu(a[0], 0.2);
            Ops["elu" + suffix] = a => new ELU(0.5).Call(a[0]);
            Ops["softplus_beta_threshold" + suffix] = a => new Softplus(beta: 2, threshold: 3).Call(a[0]);
            Ops["softplus_default" + suffix] = a => Functional.Softplus(a[0]);
            Ops["hardtanh" + suffix] = a => new Hardtanh(-0.5, 1.0).Call(a[0]);
            Ops["mish" + suffix] = a => new Mish().Call(a[0]);
        }
    }

    private static Tensor Seeded(long seed, Func<Tensor> f)
    {
        Tensor.ManualSeed(seed);
        return f();
    }

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("nnlayers", "nnlayers_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[name]);
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        ReferenceCases.AssertEveryCaseMapped(Cases.Value.Keys, Ops.Keys);
    }
}
