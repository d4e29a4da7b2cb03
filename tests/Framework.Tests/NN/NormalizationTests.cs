using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>LayerNorm, GroupNorm, Embedding's padding row and the activation modules: parameters, keys, defaults and errors.</summary>
public class NormalizationTests
{
    [Fact]
    public void LayerNorm_HasPyTorchsParametersAndKeys()
    {
        var ln = new LayerNorm([2, 3]);
        Assert.Equal(["weight", "bias"], ln.StateDict().Keys.ToArray());
        Assert.Equal([2, 3], ln.Weight!.Shape);
        Assert.All(ln.Weight.ToArray(), v => Assert.Equal(1f, v));
        Assert.All(ln.Bias!.ToArray(), v => Assert.Equal(0f, v));
        Assert.Empty(new LayerNorm(4, elementwiseAffine: false).StateDict());
        var y = ln.Call(Tensor.Arange(12.0).Reshape(2, 2, 3));
        Assert.Equal("NativeLayerNormBackward0", y.GradFn!.Name);
        Assert.True(y.Mean([1, 2]).AllClose(Tensor.Zeros(2), atol: 1e-6));
    }

    [Fact]
    public void GroupNorm_HasPerChannelParameters()
    {
        var gn = new GroupNorm(2, 6);
        Assert.Equal(["weight", "bias"], gn.StateDict().Keys.ToArray());
        Assert.Equal([6], gn.Weight!.Shape);
        var ex = Assert.Throws<ArgumentException>(() => new GroupNorm(4, 6));
        Assert.Equal("num_channels must be divisible by num_groups (got num_channels=6, num_groups=4)", ex.Message);
    }

    [Fact]
    public void LayerNorm_RefusesAShapeThatDoesNotEndTheInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros(2, 3), [2]));
        Assert.Equal("Given normalized_shape=[2], expected input with shape [*, 2], but got input of size[2, 3]", ex.Message);
        var w = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros(2, 3), [3], Tensor.Ones(2)));
        Assert.Equal("Expected weight to be of same shape as normalized_shape, but got weight of shape [2] and normalized_shape = [3]", w.Message);
        var i = Assert.Throws<ArgumentException>(() => Functional.LayerNorm(Tensor.Zeros([2, 3], DType.Int64), [3]));
        Assert.Equal("layer_norm: expected a floating-point input, got torch.int64", i.Message);
    }

    [Fact]
    public void GroupNorm_RefusesChannelsNotDivisibleByGroups()
    {
        var ex = Assert.Throws<ArgumentException>(() => Functional.GroupNorm(Tensor.Zeros(2, 5, 3), 2));
        Assert.Equal("Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 5, 3] and num_groups=2", ex.Message);
    }

    [Fact]
    public void Embedding_PaddingRowStartsAtZeroAndGetsNoGradient()
    {
        Tensor.ManualSeed(0);
        var emb = new Embedding(4, 3, paddingIdx: -1);
        Assert.Equal(3L, emb.PaddingIdx);
        Assert.All(emb.Weight[3].ToArray(), v => Assert.Equal(0f, v));
        emb.Call(Tensor.From(new long[] { 3, 1, 3 })).Sum().Backward();
        Assert.Equal([0f, 0, 0], emb.Weight.Grad![3].ToArray());
        Assert.Equal([1f, 1, 1], emb.Weight.Grad[1].ToArray());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Embedding(4, 3, paddingIdx: 4));
        Assert.StartsWith("Padding_idx must be within num_embeddings (got padding_idx=4 for 4 embeddings)", ex.Message);
    }

    [Fact]
    public void ChannelDropout_ZeroesWholeChannelsAndIsTheIdentityInEval()
    {
        var x = Tensor.Ones(2, 8, 3, 3);
        var d = new Dropout2d(0.5, new Generator(7));
        var y = d.Call(x);
        foreach (var v in y.Sum([2, 3]).ToArray()) Assert.True(v == 0 || v == 18, $"a channel sum of {v}");
        d.Eval();
        Assert.Same(x, d.Call(x));
        var ex = Assert.Throws<ArgumentException>(() => Functional.Dropout1d(Tensor.Ones(2, 3, 4, 5)));
        Assert.StartsWith("dropout1d: Expected 2D or 3D input, but received a 4D input.", ex.Message);
    }

    [Fact]
    public void Hardtanh_RefusesBoundsInTheWrongOrder()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Hardtanh(1, -1));
        Assert.Equal("hardtanh: min_val (1) cannot be greater than max_val (-1)", ex.Message);
    }

    [Fact]
    public void IndexFill_FillsSlicesAndRefusesBadIndices()
    {
        var x = Tensor.Zeros(2, 3).IndexFill(1, 2, 5.0);
        Assert.Equal([0f, 0, 5, 0, 0, 5], x.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.Zeros(2, 3).IndexFill(1, 3, 5.0));
    }
}
