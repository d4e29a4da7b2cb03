using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>Module registration, modes, state dicts and safetensors files.</summary>
public class ModuleTests
{
    [Fact]
    public void ConvolutionAndPoolingPrintTheirOptionsAsPyTorch()
    {
        var grouped = new Conv2d(4, 6, (3, 2), stride: (2, 1), padding: (1, 0), dilation: (2, 2), groups: 2);
        Assert.Equal("Conv2d(4, 6, kernel_size=(3, 2), stride=(2, 1), padding=(1, 0), dilation=(2, 2), groups=2)", grouped.ToString());
        Assert.Equal([6, 2, 3, 2], grouped.Weight.Shape);
        Assert.Equal("Conv2d(4, 6, kernel_size=(3, 3), stride=(1, 1))", new Conv2d(4, 6, 3).ToString());
        Assert.Equal("Conv2d(1, 2, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)", new Conv2d(1, 2, 3, padding: 1, bias: false).ToString());
        Assert.Equal("MaxPool2d(kernel_size=3, stride=3, padding=1, dilation=1, ceil_mode=False)", new MaxPool2d(3, padding: 1).ToString());
        Assert.Equal("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=True)", new MaxPool2d(2, ceilMode: true).ToString());
        Assert.Equal("AvgPool2d(kernel_size=2, stride=2, padding=0)", new AvgPool2d(2).ToString());
        Assert.Equal("AvgPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1))", new AvgPool2d((3, 2), stride: (2, 1), padding: (1, 1)).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).ToString());
        Assert.Equal("AdaptiveAvgPool2d(output_size=(2, 3))", new AdaptiveAvgPool2d((2, 3)).ToString());
        Assert.Equal([2, 3, 1, 1], new AdaptiveAvgPool2d(1).Forward(Tensor.Randn(2, 3, 7, 5)).Shape);
        Assert.Equal("MaxPool2d(kernel_size=(3, 2), stride=(2, 1), padding=(1, 1), dilation=(2, 2), ceil_mode=False)",
                     new MaxPool2d((3, 2), stride: (2, 1), padding: (1, 1), dilation: (2, 2)).ToString());
    }

    [Fact]
    public void ConvolutionAndPoolingRejectBadOptionsWithPyTorchsMessages()
    {
        var x = Tensor.Randn(1, 1, 5, 5);
        Assert.Equal("pad should be at most half of kernel size, but got pad=2 and kernel_size=3",
                     Assert.Throws<ArgumentException>(() => Functional.MaxPool2d(x, 3, padding: 2)).Message);
        Assert.Equal("Given groups=1, weight of size [2, 2, 3, 3], expected input[1, 1, 5, 5] to have 2 channels, but got 1 channels instead",
                     Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Randn(2, 2, 3, 3))).Message);
        Assert.Equal("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[3, 2, 3, 3]] instead",
                     Assert.Throws<ArgumentException>(() => Functional.Conv2d(Tensor.Randn(1, 4, 5, 5), Tensor.Randn(3, 2, 3, 3), groups: 2)).Message);
        Assert.Equal("unfold: the kernel spans 7×7, larger than the padded input 5×5 (input shape [1, 1, 5, 5])",
                     Assert.Throws<ArgumentException>(() => Functional.Conv2d(x, Tensor.Randn(2, 1, 3, 3), dilation: 3)).Message);
        Assert.Equal("out_channels must be divisible by groups", Assert.Throws<ArgumentException>(() => new Conv2d(4, 6, 3, groups: 4)).Message);
    }

    private sealed class Block : Module
    {
        public Linear Fc = new(3, 4);
        private readonly Parameter _scale = new(Tensor.Ones(4));
        public override Tensor Forward(Tensor x) => Fc.Forward(x).Relu() * _scale;
    }

    private sealed class Net : Module
    {
        public Linear Fc1 { get; } = new(2, 3);
        private readonly Parameter _temperature = new(Tensor.From(new float[] { 1.5f }));
        public List<Module> Layers = [new Block(), new ReLU(), new Block()];
        public Dropout Drop = new(0.5);
        public BatchNorm1d Bn = new(4);
        public override Tensor Forward(Tensor x) => x;
    }

    [Fact]
    public void Registration_FollowsDeclarationOrder_WithPyTorchNames()
    {
        var names = new Net().NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(
            ["temperature", "Fc1.weight", "Fc1.bias", "Layers.0.scale", "Layers.0.Fc.weight", "Layers.0.Fc.bias",
             "Layers.2.scale", "Layers.2.Fc.weight", "Layers.2.Fc.bias", "Bn.weight", "Bn.bias"],
            names);
        var modules = new Net().NamedModules().Select(m => m.Name).ToArray();
        Assert.Equal(["", "Fc1", "Layers.0", "Layers.0.Fc", "Layers.1", "Layers.2", "Layers.2.Fc", "Drop", "Bn"], modules);
        Assert.Equal(["Bn.running_mean", "Bn.running_var", "Bn.num_batches_tracked"], new Net().NamedBuffers().Select(b => b.Name));
    }

    [Fact]
    public void Sequential_NamesChildrenByPosition()
    {
        var model = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], model.NamedParameters().Select(p => p.Name));
        Assert.Equal("Sequential(\n  (0): Linear(in_features=4, out_features=3, bias=True)\n  (1): ReLU()\n  (2): Linear(in_features=3, out_features=2, bias=True)\n)", model.ToString());
    }

    [Fact]
    public void TrainAndEval_AreRecursive()
    {
        var net = new Net();
        net.Eval();
        Assert.All(net.NamedModules(), m => Assert.False(m.Module.Training));
        net.Train();
        Assert.All(net.NamedModules(), m => Assert.True(m.Module.Training));
    }

    [Fact]
    public void LinearWeightGradient_IsContiguous_AndSharesNothing()
    {
        var lin = new Linear(3, 2);
        var x = Tensor.Randn(4, 3);
        lin.Forward(x).Sum().Backward();
        var g = lin.Weight.Grad!;
        Assert.True(g.IsContiguous);
        Assert.Equal([2, 3], g.Shape);
        Assert.Equal(x.Sum(0).ToArray(), g.Select(0, 0).ToArray());   // d(Σ xWᵀ)/dW[o] = Σ_n x[n]
        lin.Forward(x).Sum().Backward();                             // accumulates in place
        Assert.Equal(x.Sum(0).Mul(2.0).ToArray(), g.Select(0, 1).ToArray());
    }

    [Fact]
    public void ZeroGrad_SetsToNoneOrZeros()
    {
        var lin = new Linear(2, 2);
        lin.Forward(Tensor.Ones(1, 2)).Sum().Backward();
        lin.ZeroGrad(setToNone: false);
        Assert.Equal([0f, 0f, 0f, 0f], lin.Weight.Grad!.ToArray());
        lin.ZeroGrad();
        Assert.Null(lin.Weight.Grad);
    }

    [Fact]
    public void Linear_DefaultInitialisation_MatchesPyTorchForSeedZero()
    {
        Tensor.ManualSeed(0);
        var lin = new Linear(3, 2);
        // torch.manual_seed(0); torch.nn.Linear(3, 2): weight then bias
        Assert.Equal(new[] { -0.0043f, 0.3097f, -0.4752f, -0.4249f, -0.2224f, 0.1548f }, lin.Weight.ToArray().Select(v => MathF.Round(v, 4)));
        Assert.Equal(new[] { -0.0114f, 0.4578f }, lin.Bias!.ToArray().Select(v => MathF.Round(v, 4)));
        Assert.Equal("Parameter containing:\ntensor([-0.0114,  0.4578], requires_grad=True)", lin.Bias.ToString());
    }

    [Fact]
    public void ToDouble_ConvertsParametersInPlace()
    {
        var lin = new Linear(2, 2);
        var w = lin.Weight;
        lin.Double();
        Assert.Same(w, lin.Weight);
        Assert.Equal(DType.Float64, lin.Weight.DType);
        Assert.Equal(DType.Float64, lin.Forward(Tensor.Ones([1, 2], DType.Float64)).DType);
    }

    [Fact]
    public void StateDict_RoundTrip_AndStrictErrorsLeaveTheModuleUnchanged()
    {
        var a = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        var b = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], a.StateDict().Keys);
        b.LoadStateDict(a.StateDict());
        var x = Tensor.Randn(4, 2);
        Assert.Equal(a.Forward(x).ToArray(), b.Forward(x).ToArray());

        var before = b.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var bad = a.StateDict();
        bad["2.weight"] = Tensor.Zeros(2, 3);
        bad.Remove("0.bias");
        bad["extra"] = Tensor.Zeros(1);
        var ex = Assert.Throws<ArgumentException>(() => b.LoadStateDict(bad));
        Assert.Contains("Missing key(s) in state_dict: \"0.bias\"", ex.Message);
        Assert.Contains("Unexpected key(s) in state_dict: \"extra\"", ex.Message);
        Assert.Contains("size mismatch for 2.weight: copying a param with shape [2, 3] from checkpoint, the shape in current model is [1, 3]", ex.Message);
        foreach (var (k, v) in b.StateDict()) Assert.Equal(before[k], v.ToArray());
    }

    [Fact]
    public void BatchNorm_TracksRunningStatistics_AndUsesThemInEval()
    {
        var bn = new BatchNorm1d(2);
        var x = Tensor.FromArray(new float[] { 1, 10, 3, 20, 5, 30 }, [3, 2]);
        var y = bn.Forward(x);
        Assert.Equal(1L, bn.NumBatchesTracked.Item<long>());
        Assert.Equal([0.3f, 2f], bn.RunningMean.ToArray());
        Assert.Equal(0.9f + 0.1f * 4, bn.RunningVar.ToArray()[0], 5);
        Assert.Equal(0f, y.Mean(0).ToArray()[0], 5);
        bn.Eval();
        var e = bn.Forward(x);
        Assert.Equal((1 - 0.3f) / MathF.Sqrt(1.3f + 1e-5f), e[0, 0].Item(), 4);
    }

    [Fact]
    public void Embedding_Initialisation_MatchesPyTorch()
    {
        Tensor.ManualSeed(0);   // torch.manual_seed(0); nn.Embedding(4, 3).weight (12 values: the scalar normal path)
        Assert.Equal(new[] { 1.541f, -0.2934f, -2.1788f, 0.5684f, -1.0845f, -1.3986f, 0.4033f, 0.838f, -0.7193f, -0.4033f, -0.5966f, 0.182f },
            new Embedding(4, 3).Weight.ToArray().Select(v => MathF.Round(v, 4)));
        Tensor.ManualSeed(1);   // 30 values: the vectorised normal path
        Assert.Equal(new[] { -1.5256f, -0.7502f, -0.654f, -1.6095f, -0.1002f, -0.6092f },
            new Embedding(10, 3).Weight.ToArray().Take(6).Select(v => MathF.Round(v, 4)));
    }

    [Fact]
    public void Dropout_MasksMatchPyTorchForTheSameSeed()
    {
        // torch.manual_seed(0); F.dropout(torch.ones(20), 0.3) > 0   and   torch.manual_seed(5); nn.Dropout(0.5)(torch.ones(2, 8)) > 0
        Tensor.ManualSeed(0);
        Assert.Equal([0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0],
            Functional.Dropout(Tensor.Ones(20), 0.3).ToArray().Select(v => v > 0 ? 1 : 0));
        Tensor.ManualSeed(5);
        Assert.Equal([0, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 0, 1, 1, 1],
            new Dropout(0.5).Forward(Tensor.Ones(2, 8)).ToArray().Select(v => v > 0 ? 1 : 0));
    }

    [Fact]
    public void Dropout_ScalesInTraining_IsIdentityInEval()
    {
        var d = new Dropout(0.25);
        var x = Tensor.Ones(10000);
        var y = d.Forward(x).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.75f) < 1e-6));
        Assert.InRange(y.Count(v => v == 0f), 2200, 2800);
        d.Eval();
        Assert.Same(x, d.Forward(x));
    }
}
