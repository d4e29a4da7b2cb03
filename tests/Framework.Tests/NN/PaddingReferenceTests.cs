using Framework.Autograd;
using Framework.NN;
using Tests.Reference;
using F = Framework.NN.Functional;

namespace Tests.NN;

/// <summary>Functional.Pad in every mode, CosineSimilarity and Unflatten against PyTorch 1.13 (Data/padding/make_padding.py), their errors and gradchecks.</summary>
public class PaddingReferenceTests
{
    /// <summary>The same computation as each case in make_padding.py, written in our API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["pad_constant_last"] = a => F.Pad(a[0], [1, 2]),
        ["pad_constant_two_dims_value"] = a => F.Pad(a[0], [1, 0, 2, 1], value: 1.5),
        ["pad_constant_three_dims"] = a => F.Pad(a[0], [0, 1, 1, 1, 2, 0]),
        ["pad_constant_crop"] = a => F.Pad(a[0], [-1, 2, 1, -2]),
        ["pad_constant_crop_to_empty"] = a => F.Pad(a[0], [0, 0, -3, 0]),
        ["pad_constant_transposed"] = a => F.Pad(a[0].T(), [2, 1]),
        ["pad_constant_1d"] = a => F.Pad(a[0], [3, 1], value: -2.0),
        ["pad_constant_no_pad"] = a => F.Pad(a[0], []),
        ["pad_constant_int64"] = a => F.Pad(a[0], [1, 1], value: 7),
        ["pad_constant_int64_fractional_value"] = a => F.Pad(a[0], [0, 2], value: 2.5),
        ["pad_constant_float32"] = a => F.Pad(a[0], [2, 2, 1, 0]),
        ["pad_reflect_1d_batched"] = a => F.Pad(a[0], [2, 3], "reflect"),
        ["pad_reflect_1d_unbatched"] = a => F.Pad(a[0], [1, 2], "reflect"),
        ["pad_reflect_2d"] = a => F.Pad(a[0], [1, 2, 2, 1], "reflect"),
        ["pad_reflect_2d_unbatched"] = a => F.Pad(a[0], [3, 0, 0, 2], "reflect"),
        ["pad_reflect_3d"] = a => F.Pad(a[0], [1, 1, 0, 1, 1, 0], "reflect"),
        ["pad_reflect_negative"] = a => F.Pad(a[0], [-1, 2, 1, -1], "reflect"),
        ["pad_reflect_transposed"] = a => F.Pad(a[0].Transpose(2, 3), [1, 1, 1, 1], "reflect"),
        ["pad_reflect_float32"] = a => F.Pad(a[0], [2, 2, 2, 2], "reflect"),
        ["pad_replicate_1d"] = a => F.Pad(a[0], [3, 1], "replicate"),
        ["pad_replicate_2d_beyond_size"] = a => F.Pad(a[0], [4, 1, 0, 3], "replicate"),
        ["pad_replicate_3d_unbatched"] = a => F.Pad(a[0], [1, 2, 1, 0, 0, 2], "replicate"),
        ["pad_replicate_negative"] = a => F.Pad(a[0], [-2, 1], "replicate"),
        ["pad_replicate_float32"] = a => F.Pad(a[0], [1, 1, 1, 1], "replicate"),
        ["pad_circular_1d"] = a => F.Pad(a[0], [2, 1], "circular"),
        ["pad_circular_2d"] = a => F.Pad(a[0], [1, 2, 2, 1], "circular"),
        ["pad_circular_full_wrap"] = a => F.Pad(a[0], [4, 0, 0, 3], "circular"),
        ["pad_circular_3d"] = a => F.Pad(a[0], [1, 0, 0, 1, 1, 1], "circular"),
        ["pad_circular_negative"] = a => F.Pad(a[0], [-1, 0, 1, -1], "circular"),
        ["pad_circular_int64"] = a => F.Pad(a[0], [1, 1], "circular"),
        ["cosine_default_dim"] = a => F.CosineSimilarity(a[0], a[1]),
        ["cosine_dim0"] = a => F.CosineSimilarity(a[0], a[1], dim: 0),
        ["cosine_neg_dim_broadcast"] = a => F.CosineSimilarity(a[0], a[1], dim: -1),
        ["cosine_zero_vector_eps"] = a => F.CosineSimilarity(a[0] * 0, a[1]),
        ["cosine_large_eps"] = a => F.CosineSimilarity(a[0] * 1e-3, a[1], eps: 0.5),
        ["cosine_1d"] = a => F.CosineSimilarity(a[0], a[1], dim: 0),
        ["cosine_transposed"] = a => F.CosineSimilarity(a[0].T(), a[1]),
        ["cosine_int64_with_float"] = a => F.CosineSimilarity(a[0], a[1]),
        ["cosine_float32"] = a => F.CosineSimilarity(a[0], a[1]),
        ["unflatten_middle"] = a => a[0].Unflatten(1, 2, 3) * 2,
        ["unflatten_inferred"] = a => a[0].Unflatten(-1, -1, 2),
        ["unflatten_transposed"] = a => a[0].T().Unflatten(0, 2, 2),
        ["unflatten_single"] = a => a[0].Unflatten(0, 5),
        ["unflatten_one_sizes"] = a => a[0].Unflatten(1, 1, 4, 1),
    };

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("padding", "padding_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name) => ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[name]);

    [Fact]
    public void EveryCaseIsMapped()
    {
        ReferenceCases.AssertEveryCaseMapped(Cases.Value.Keys, Ops.Keys);
        Assert.Equal(44, Cases.Value.Count);
    }

    private static Tensor R(params int[] shape)
    {
        Tensor.ManualSeed(7);
        return Tensor.Randn(shape, dtype: DType.Float64).RequiresGrad_();
    }

    [Theory]
    [InlineData("constant")]
    [InlineData("reflect")]
    [InlineData("replicate")]
    [InlineData("circular")]
    public void GradientsMatchFiniteDifferencesAndSecondOrder(string mode)
    {
        var x = R(1, 2, 3, 4);
        int[] pad = mode == "constant" ? [2, -1, 1, 3] : [2, 1, 1, 2];
        Func<Tensor[], Tensor> f = a => F.Pad(a[0], pad, mode, mode == "constant" ? 0.5 : 0);
        Assert.True(Autograd.GradCheck(f, [x]));
        Assert.True(Autograd.GradGradCheck(f, [x]));
    }

    [Fact]
    public void CosineSimilarityAndUnflattenPassGradCheck()
    {
        var a = R(3, 4);
        var b = (R(3, 4) * 2).Detach().RequiresGrad_();
        Assert.True(Autograd.GradCheck(t => F.CosineSimilarity(t[0], t[1]), [a, b]));
        Assert.True(Autograd.GradCheck(t => t[0].Unflatten(1, 2, 2), [a]));
    }

    [Theory]
    [InlineData(new[] { 1 }, "constant", "Padding length must be divisible by 2")]
    [InlineData(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, "constant", "Padding length too large")]
    [InlineData(new[] { 1, 1 }, "wrap", "Unrecognised padding mode wrap")]
    [InlineData(new[] { -3, -2 }, "constant", "The input size 4, plus negative padding -3 and -2 resulted in a negative output size, which is invalid. Check dimension 3 of your input.")]
    [InlineData(new[] { 4, 0, 0, 0 }, "reflect", "Padding size should be less than the corresponding input dimension, but got: padding (4, 0) at dimension 3 of input [1, 2, 3, 4]")]
    [InlineData(new[] { 0, 0, 3, 0 }, "reflect", "Padding size should be less than the corresponding input dimension, but got: padding (3, 0) at dimension 2 of input [1, 2, 3, 4]")]
    [InlineData(new[] { 5, 0, 0, 0 }, "circular", "Padding value causes wrapping around more than once.")]
    [InlineData(new[] { 1, 1 }, "replicate", "Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now (got a 4-d input of shape [1, 2, 3, 4] with 1 pair(s) of padding; replicate padding takes 2-d or 3-d inputs)")]
    public void BadPaddingIsRefusedWithPyTorchsMessage(int[] pad, string mode, string message)
    {
        var x = Tensor.Zeros(1, 2, 3, 4);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => F.Pad(x, pad, mode)).Message);
    }

    [Fact]
    public void OtherPaddingAndSimilarityErrors()
    {
        var x = Tensor.Zeros(1, 2, 3, 4);
        Assert.Equal("Padding mode \"reflect\" doesn't take in value argument",
                     Assert.Throws<ArgumentException>(() => F.Pad(x, [1, 1, 1, 1], "reflect", 1.0)).Message);
        Assert.Equal("\"reflection_pad1d\" not implemented for 'Long'",
                     Assert.Throws<ArgumentException>(() => F.Pad(Tensor.Zeros([2, 3], DType.Int64), [1, 1], "reflect")).Message);
        Assert.Equal("circular padding needs a non-empty dimension to repeat, but dimension 3 of the input [1, 2, 3, 4] is empty after cropping",
                     Assert.Throws<ArgumentException>(() => F.Pad(x, [-4, 1, 0, 0], "circular")).Message);
        Assert.Equal("expected common dtype to be floating point, yet common dtype is Long",
                     Assert.Throws<ArgumentException>(() => F.CosineSimilarity(Tensor.Zeros([2, 3], DType.Int64), Tensor.Zeros([2, 3], DType.Int64))).Message);
        Assert.Equal("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1",
                     Assert.Throws<ArgumentException>(() => F.CosineSimilarity(Tensor.Zeros(3, 2), Tensor.Zeros(2, 3))).Message);
    }

    [Fact]
    public void UnflattenRefusesSizesThatDoNotMultiplyUp()
    {
        var x = Tensor.Zeros(2, 6);
        Assert.Equal("unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (6) in the input tensor",
                     Assert.Throws<ArgumentException>(() => x.Unflatten(1, 2, 2)).Message);
        Assert.Equal("unflatten: Provided sizes [4, -1] don't multiply up to the size of dim 1 (6) in the input tensor",
                     Assert.Throws<ArgumentException>(() => x.Unflatten(1, 4, -1)).Message);
        Assert.Equal("unflatten: only one dimension can be inferred", Assert.Throws<ArgumentException>(() => x.Unflatten(1, -1, -1)).Message);
        Assert.Equal("unflatten: sizes must be non-empty", Assert.Throws<ArgumentException>(() => x.Unflatten(1)).Message);
        Assert.Equal([2, 0, 5], Tensor.Zeros(2, 0).Unflatten(1, 0, 5).Shape);
    }

    [Fact]
    public void UnflattenModuleSplitsItsDimAndPrintsAsPyTorch()
    {
        var m = new Unflatten(1, 2, 3);
        Assert.Equal([4, 2, 3], m.Call(Tensor.Zeros(4, 6)).Shape);
        Assert.Equal("Unflatten(dim=1, unflattened_size=(2, 3))", m.ToString());
        Assert.Equal("Unflatten(dim=0, unflattened_size=(6,))", new Unflatten(0, 6).ToString());
        Assert.Equal([[0, 1, 0], [0, 0, 1]], F.OneHot(Tensor.From([1L, 2L])).ToArray<long>().Chunk(3).Select(r => r.ToArray()).ToArray());
    }
}
