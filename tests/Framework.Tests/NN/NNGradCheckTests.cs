using Framework.Autograd;
using Framework.NN;
using F = Framework.NN.Functional;

namespace Tests.NN;

/// <summary>Losses and layers pass Float64 finite-difference checks.</summary>
public class NNGradCheckTests
{
    private static readonly Generator Gen = new(99);
    private static Tensor R(params int[] s) => Tensor.Randn(s, generator: Gen, dtype: DType.Float64);
    private static readonly Tensor Classes = Tensor.From(new long[] { 2, 0, 1, 2 });
    private static readonly Tensor Probs = Tensor.FromArray(new[] { 0.2, 0.3, 0.5, 0.1, 0.1, 0.8, 0.6, 0.2, 0.2, 0.3, 0.3, 0.4 }, [4, 3]);
    private static readonly Tensor Bits = Tensor.FromArray(new[] { 1.0, 0, 0, 1, 1, 0 }, [2, 3]);

    private static readonly LSTM Lstm = (LSTM)new LSTM(2, 3, numLayers: 2, bidirectional: true, generator: new Generator(5)).Double();
    private static readonly GRU Gru = (GRU)new GRU(2, 3, batchFirst: true, generator: new Generator(6)).Double();
    private static readonly MultiheadAttention Mha = (MultiheadAttention)new MultiheadAttention(4, 2).Double();
    private static readonly Tensor Padding = Tensor.FromArray(new[] { false, false, true, false, false, false }, [2, 3]);
    private static readonly RNN Rnn = (RNN)new RNN(3, 2, nonlinearity: "tanh", generator: new Generator(7)).Double();

    private static readonly Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> Table = new()
    {
        ["lstm 2 layers bidirectional"] = (a => { var (o, (h, c)) = Lstm.Forward(a[0], (a[1], a[2])); return Tensor.Cat([o.Reshape(-1), h.Reshape(-1), c.Reshape(-1)]); },
            () => [R(3, 2, 2), R(4, 2, 3), R(4, 2, 3)]),
        ["gru batch first"] = (a => { var (o, h) = Gru.Forward(a[0], a[1]); return Tensor.Cat([o.Reshape(-1), h.Reshape(-1)]); }, () => [R(2, 3, 2), R(1, 2, 3)]),
        ["multihead self-attention with padding"] = (a => { var (o, w) = Mha.Forward(a[0], a[0], a[0], keyPaddingMask: Padding); return Tensor.Cat([o.Reshape(-1), w!.Reshape(-1)]); },
            () => [R(3, 2, 4)]),
        ["multihead cross-attention float mask"] = (a => Mha.Forward(a[0], a[1], a[1], attnMask: a[2]).Output, () => [R(2, 2, 4), R(3, 2, 4), R(2, 3)]),
        ["scaled dot product attention causal"] = (a => F.ScaledDotProductAttention(a[0], a[1], a[2], isCausal: true), () => [R(2, 3, 4), R(2, 3, 4), R(2, 3, 2)]),
        ["rnn tanh"] = (a => Rnn.Forward(a[0], a[1]).Output, () => [R(4, 2, 3), R(1, 2, 2)]),
        ["mse"] = (a => F.MseLoss(a[0], a[1]), () => [R(2, 3), R(2, 3)]),
        ["l1"] = (a => F.L1Loss(a[0], a[1], Reduction.Sum), () => [R(2, 3), R(2, 3)]),
        ["cross entropy"] = (a => F.CrossEntropy(a[0], Classes), () => [R(4, 3)]),
        ["cross entropy smoothing weights ignore"] = (a => F.CrossEntropy(a[0], Classes, labelSmoothing: 0.2, ignoreIndex: 0,
            weight: Tensor.From(new[] { 1.0, 2.0, 0.5 })), () => [R(4, 3)]),
        ["cross entropy probabilities"] = (a => F.CrossEntropy(a[0], Probs, Reduction.None), () => [R(4, 3)]),
        ["nll"] = (a => F.NllLoss(a[0].LogSoftmax(1), Classes, Reduction.Sum), () => [R(4, 3)]),
        ["bce"] = (a => F.BinaryCrossEntropy(a[0].Sigmoid(), Bits), () => [R(2, 3)]),
        ["bce with logits pos weight"] = (a => F.BinaryCrossEntropyWithLogits(a[0], Bits, posWeight: Tensor.From(new[] { 2.0, 1.0, 0.5 })), () => [R(2, 3)]),
        ["linear"] = (a => F.Linear(a[0], a[1], a[2]), () => [R(4, 3), R(2, 3), R(2)]),
        ["linear 3d"] = (a => F.Linear(a[0], a[1], a[2]), () => [R(2, 4, 3), R(2, 3), R(2)]),
        ["embedding"] = (a => F.Embedding(Tensor.FromArray(new long[] { 0, 2, 2, 1 }, [2, 2]), a[0]), () => [R(3, 2)]),
        ["batch norm"] = (a => F.BatchNorm(a[0], null, null, a[1], a[2], training: true), () => [R(5, 3), R(3), R(3)]),
        ["batch norm 3d"] = (a => F.BatchNorm(a[0], null, null, training: true), () => [R(2, 3, 4)]),
        ["conv2d"] = (a => F.Conv2d(a[0], a[1], a[2], stride: 2, padding: 1), () => [R(1, 2, 4, 5), R(3, 2, 3, 3), R(3)]),
        ["max pool"] = (a => F.MaxPool2d(a[0], 2), () => [R(1, 2, 4, 4)]),
        ["unfold/fold"] = (a => a[0].Unfold2d(2, 1, 1).Fold2d(3, 3, 2, 1, 1), () => [R(1, 1, 3, 3)]),
        ["unfold/fold rect dilated"] = (a => a[0].Unfold2d((2, 3), (1, 2), (1, 0), (2, 1)).Fold2d(5, 6, (2, 3), (1, 2), (1, 0), (2, 1)), () => [R(1, 2, 5, 6)]),
        ["conv grouped dilated"] = (a => F.Conv2d(a[0], a[1], a[2], stride: (1, 2), padding: (2, 1), dilation: (2, 1), groups: 2), () => [R(1, 4, 5, 5), R(4, 2, 2, 3), R(4)]),
        ["max pool padded dilated"] = (a => F.MaxPool2d(a[0], 3, stride: 2, padding: 1, dilation: 2), () => [R(1, 2, 6, 6)]),
        ["avg pool ceil padding not counted"] = (a => F.AvgPool2d(a[0], 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false), () => [R(1, 2, 5, 6)]),
        ["adaptive avg pool uneven"] = (a => F.AdaptiveAvgPool2d(a[0], (3, 4)), () => [R(1, 2, 5, 6)]),
        ["var"] = (a => a[0].Var([1]), () => [R(3, 4)]),
        ["permute"] = (a => a[0].Permute(2, 0, 1) * Tensor.Arange(24.0).Double().Reshape(4, 2, 3), () => [R(2, 3, 4)]),
        ["addmm"] = (a => Tensor.Addmm(a[0], a[1], a[2]), () => [R(3), R(2, 4), R(4, 3)]),
        ["mse none"] = (a => F.MseLoss(a[0], a[1], Reduction.None), () => [R(2, 3), R(2, 3)]),
        ["mse sum"] = (a => F.MseLoss(a[0], a[1], Reduction.Sum), () => [R(2, 3), R(2, 3)]),
        ["nll weights ignore mean"] = (a => F.NllLoss(a[0].LogSoftmax(1), Classes, ignoreIndex: 1, weight: Tensor.From(new[] { 1.0, 2.0, 0.5 })), () => [R(4, 3)]),
        ["nll unbatched"] = (a => F.NllLoss(a[0].LogSoftmax(0), Tensor.From(2L)), () => [R(3)]),
        ["nll 4d none"] = (a => F.NllLoss(a[0], Tensor.FromArray(new long[] { 0, 2, 1, 1, 2, 0 }, [1, 2, 3]), Reduction.None), () => [R(1, 3, 2, 3)]),
        ["nll 3d mean"] = (a => F.NllLoss(a[0], Tensor.FromArray(new long[] { 0, 2, 1, 1 }, [2, 2])), () => [R(2, 3, 2)]),
        ["nll 5d none"] = (a => F.NllLoss(a[0], Tensor.FromArray(new long[] { 0, 2, 1, 1, 2, 0, 1, 0 }, [1, 2, 2, 2]), Reduction.None), () => [R(1, 3, 2, 2, 2)]),
        ["cross entropy probabilities mean"] = (a => F.CrossEntropy(a[0], Probs), () => [R(4, 3)]),
        ["batch norm eval affine"] = (a => F.BatchNorm(a[0], Tensor.From(new[] { 0.5, -1.0, 0.0 }), Tensor.From(new[] { 2.0, 0.5, 1.0 }), a[1], a[2]), () => [R(4, 3), R(3), R(3)]),
        ["batch norm 4d weight only"] = (a => F.BatchNorm(a[0], null, null, a[1], training: true), () => [R(2, 3, 2, 2), R(3)]),
        ["conv2d no bias"] = (a => F.Conv2d(a[0], a[1]), () => [R(2, 2, 4, 4), R(3, 2, 2, 2)]),
        ["avg pool"] = (a => F.AvgPool2d(a[0], 2), () => [R(2, 2, 4, 4)]),
        ["avg pool overlapping divisor override"] = (a => F.AvgPool2d(a[0], (3, 2), stride: (2, 1), padding: (1, 1), divisorOverride: 5), () => [R(1, 2, 5, 4)]),
        ["adaptive avg pool even"] = (a => F.AdaptiveAvgPool2d(a[0], (2, 3)), () => [R(1, 2, 4, 6)]),
        ["layer norm"] = (a => F.LayerNorm(a[0], [4], a[1], a[2]), () => [R(3, 4), R(4), R(4)]),
        ["layer norm two dims transposed"] = (a => F.LayerNorm(a[0].Transpose(0, 2), [3, 2], a[1], a[2], eps: 1e-3), () => [R(2, 3, 4), R(3, 2), R(3, 2)]),
        ["layer norm no affine"] = (a => F.LayerNorm(a[0], [5]), () => [R(2, 5)]),
        ["group norm"] = (a => F.GroupNorm(a[0], 2, a[1], a[2]), () => [R(2, 4, 3), R(4), R(4)]),
        ["group norm 4d one group"] = (a => F.GroupNorm(a[0], 1, a[1], a[2]), () => [R(2, 3, 2, 2), R(3), R(3)]),
        ["silu"] = (a => F.Silu(a[0]), () => [R(2, 5)]),
        ["leaky relu"] = (a => F.LeakyRelu(a[0], 0.1), () => [R(2, 5)]),
        ["elu"] = (a => F.Elu(a[0], 0.7), () => [R(2, 5)]),
        ["softplus"] = (a => F.Softplus(a[0], 2.0, 1.5), () => [R(2, 5)]),
        ["hardtanh"] = (a => F.Hardtanh(a[0], -0.6, 0.8), () => [R(2, 5)]),
        ["mish"] = (a => F.Mish(a[0]), () => [R(2, 5)]),
        ["index fill"] = (a => a[0].IndexFill(1, Tensor.From(new long[] { 2, 0 }), 1.5), () => [R(2, 3)]),
    };

    /// <summary>Ops whose rules are tensor ops, so their gradient is differentiable again (createGraph).</summary>
    public static TheoryData<string> SecondOrderNames => new(
        "mse", "mse none", "nll", "nll 4d none", "nll 3d mean", "cross entropy", "cross entropy probabilities mean", "bce", "bce with logits pos weight",
        "embedding", "batch norm", "batch norm 3d", "batch norm eval affine", "conv2d", "conv grouped dilated", "conv2d no bias",
        "max pool", "max pool padded dilated", "avg pool", "avg pool ceil padding not counted", "adaptive avg pool uneven", "adaptive avg pool even",
        "layer norm", "layer norm two dims transposed", "layer norm no affine", "group norm", "group norm 4d one group",
        "lstm 2 layers bidirectional", "gru batch first", "rnn tanh", "multihead self-attention with padding", "multihead cross-attention float mask", "scaled dot product attention causal", "silu", "leaky relu", "elu", "softplus", "hardtanh", "mish", "index fill");

    public static TheoryData<string> Names => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesFiniteDifferences(string name)
    {
        var (f, make) = Table[name];
        var inputs = make();
        foreach (var t in inputs) t.RequiresGrad_();
        Assert.True(Autograd.GradCheck(f, inputs), name);
    }

    /// <summary>
    /// gradgradcheck: (inputs, v) ↦ ∂⟨f(inputs), v⟩/∂inputs, computed with createGraph, passes its own finite-difference
    /// check, in the inputs (the rule's dependence on saved tensors) and in v (its linearity in the incoming gradient).
    /// </summary>
    [Theory]
    [MemberData(nameof(SecondOrderNames))]
    public void SecondOrderMatchesFiniteDifferences(string name)
    {
        var (f, make) = Table[name];
        var inputs = make();
        foreach (var t in inputs) t.RequiresGrad_();
        Tensor y;
        using (new NoGrad()) y = f(inputs);
        Assert.True(Autograd.GradGradCheck(f, inputs, R(y.Shape)), name);
    }
}
