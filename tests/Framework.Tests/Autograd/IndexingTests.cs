using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>x[...] behaviours beyond the PyTorch reference values: views versus copies, the old int indexer, second order, and the error messages.</summary>
public class IndexingTests
{
    private static Tensor Grid() => Tensor.Arange(12.0).Double().Reshape(3, 4);
    private static Tensor Long(params long[] values) => Tensor.From(values);

    [Fact]
    public void BasicIndexing_IsAViewThatWritesThrough()
    {
        var x = Grid();
        var v = x[1.., 1];
        Assert.Equal([5.0, 9.0], v.ToArray<double>());
        v.Fill_(-1);
        Assert.Equal(-1.0, x[2, 1].Item<double>());
        Assert.Equal(1, x.Version);
    }

    [Fact]
    public void AdvancedIndexing_IsACopy()
    {
        var x = Grid();
        var picked = x[Long(0, 2)];
        picked.Fill_(100);
        Assert.Equal(0.0, x[0, 0].Item<double>());
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void TheIntIndexer_StillPicksLeadingDims()
    {
        var x = Grid();
        Assert.Equal(6.0, x[1, 2].Item<double>());
        Assert.Equal("SelectBackward0", x.RequiresGrad_()[1][2].GradFn!.Name);
        var y = Grid();
        y[1, 2] = 7.5;                      // a number converts to a 0-d tensor
        Assert.Equal(7.5, y[1, 2].Item<double>());
    }

    [Fact]
    public void SettingAMaskToANumber_KeepsTheDType()
    {
        var x = Tensor.From(new float[] { -1, 2, -3, 4 });
        x[x < 0] = 0;
        Assert.Equal(DType.Float32, x.DType);
        Assert.Equal([0f, 2, 0, 4], x.ToArray());
        var n = Tensor.From(new long[] { 5, 6, 7 });
        n[Long(0, 2)] = 1;
        Assert.Equal([1L, 6, 1], n.ToArray<long>());
    }

    [Fact]
    public void IndexBackward_AccumulatesDuplicatesAndSupportsSecondOrder()
    {
        var x = Tensor.From(new double[] { 1, 2, 3 }, requiresGrad: true);
        var y = x[Long(0, 0, 2)].Pow(3).Sum();
        var g = Autograd.Grad([y], [x], createGraph: true)[0]!;
        Assert.Equal([6.0, 0, 27], g.ToArray<double>());           // 3x² twice for x₀
        var gg = Autograd.Grad([g.Sum()], [x])[0]!;
        Assert.Equal([12.0, 0, 18], gg.ToArray<double>());          // 6x twice for x₀
    }

    [Fact]
    public void SoftmaxRegressionLoss_InThePyTorchIdiom()
    {
        // d2l: cross_entropy(y_hat, y) = -log(y_hat[range(len(y_hat)), y])
        var yHat = Tensor.From(new double[,] { { 0.1, 0.3, 0.6 }, { 0.3, 0.2, 0.5 } });
        var y = Long(0, 2);
        Assert.Equal([0.1, 0.5], yHat[Tensor.Arange(2L), y].ToArray<double>());
        var loss = -yHat[Tensor.Arange(yHat.Size(0)), y].Log();
        Assert.Equal(new[] { -Math.Log(0.1), -Math.Log(0.5) }, loss.ToArray<double>());
    }

    [Fact]
    public void Slices_ClampAsInPython()
    {
        var x = Tensor.Arange(5.0).Double();
        Assert.Equal(new int[] { 0 }, x[7..].Shape);
        Assert.Equal([3.0, 4.0], x[^2..].ToArray<double>());
        Assert.Equal([0.0, 1.0, 2.0, 3.0, 4.0], x[TensorIndex.Slice(-10, 10)].ToArray<double>());
        Assert.Equal([1.0, 3.0], x[TensorIndex.Slice(1, -1, 2)].ToArray<double>());
        Assert.Equal(new int[] { 0 }, x[3..1].Shape);
    }

    [Fact]
    public void TensorIndex_PrintsAsPython()
    {
        Assert.Equal("1:3", ((TensorIndex)(1..3)).ToString());
        Assert.Equal(":", ((TensorIndex)(..)).ToString());
        Assert.Equal("-2:", ((TensorIndex)(^2..)).ToString());
        Assert.Equal("::2", TensorIndex.Slice(step: 2).ToString());
        Assert.Equal("^1", ((TensorIndex)(^1)).ToString());
        Assert.Equal("None", TensorIndex.None.ToString());
        Assert.Equal("...", TensorIndex.Ellipsis.ToString());
        Assert.Equal("a torch.int64 tensor of shape [2]", ((TensorIndex)Long(1, 2)).ToString());
    }

    [Fact]
    public void Nonzero_OfAZeroDimTensor()
    {
        Assert.Equal(new int[] { 1, 0 }, Tensor.From(3.0).Nonzero().Shape);
        Assert.Equal(new int[] { 0, 0 }, Tensor.From(0.0).Nonzero().Shape);
    }

    public static TheoryData<string, Func<Tensor>, string> Errors => new()
    {
        { "too many", () => Grid()[0, .., 0], "too many indices for tensor of dimension 2 (an index of 3 dims for a tensor of shape [3, 4])" },
        { "too many ints", () => Grid()[0, 0, 0], "too many indices for tensor of dimension 2 (got 3 indices for a tensor of shape [3, 4])" },
        { "int out of range", () => Grid()[.., 4], "index 4 is out of bounds for dimension 1 with size 4 (Parameter 'index')" },
        { "from end out of range", () => Grid()[^4], "index ^4 is out of bounds for dimension 0 with size 3 (Parameter 'index')" },
        { "index tensor out of range", () => Grid()[.., Long(1, -5)], "index -5 is out of bounds for dimension 1 with size 4 (Parameter 'index')" },
        { "float index", () => Grid()[Tensor.From(new double[] { 0 })], "tensors used as indices must be long, byte or bool tensors (got a torch.float64 tensor of shape [1] for dim 0)" },
        { "mask shape", () => Grid()[Tensor.FromArray(new bool[] { true, false }, [2])], "The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0 (the mask covers dims 0..0 of a tensor of shape [3, 4])" },
        { "broadcast", () => Grid()[Long(0, 1), Long(0, 1, 2)], "shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]" },
        { "two ellipses", () => Grid()[TensorIndex.Ellipsis, TensorIndex.Ellipsis], "an index can only have a single ellipsis ('...')" },
        { "step", () => Grid()[TensorIndex.Slice(step: 0)], "step must be greater than zero (got step 0)" },
        { "default entry", () => Grid()[default(TensorIndex)], "an index entry is default(TensorIndex): use an int, a Range, a Tensor, TensorIndex.None or TensorIndex.Ellipsis" },
        { "index_select vector", () => Grid().IndexSelect(0, Tensor.FromArray(new long[] { 0 }, [1, 1])), "index_select(): Index is supposed to be a vector (got an index of shape [1, 1])" },
        { "index_select dtype", () => Grid().IndexSelect(0, Tensor.From(new double[] { 0 })), "index_select(): Expected dtype int32 or int64 for index (got torch.float64)" },
        { "index_select bounds", () => Grid().IndexSelect(1, Long(4)), "index 4 is out of bounds for dimension 1 with size 4 (Parameter 'index')" },
        { "index_add dtype", () => Grid().IndexAdd(0, Long(0), Tensor.Ones(1, 4)), "index_add_(): self (Double) and source (Float) must have the same scalar type" },
        { "index_add shape", () => Grid().IndexAdd(0, Long(0), Tensor.Ones(1, 3).Double()), "index_add_(): source of shape [1, 3] must have this tensor's shape [3, 4] with dimension 0 of size 1 (the index's length), that is [1, 4]" },
        { "scatter rank", () => Grid().Scatter(1, Long(0), 1.0), "Index tensor must have the same number of dimensions as self tensor (index shape [1], self shape [3, 4])" },
        { "scatter size", () => Grid().Scatter(1, Tensor.FromArray(new long[] { 0, 0, 0, 0 }, [4, 1]), 1.0), "Expected index [4, 1] to be smaller than self [3, 4] apart from dimension 1" },
        { "scatter bounds", () => Grid().Scatter(0, Tensor.FromArray(new long[] { 3 }, [1, 1]), 1.0), "index 3 is out of bounds for dimension 0 with size 3 (Parameter 'index')" },
        { "scatter dtype", () => Grid().Scatter(0, Tensor.FromArray(new long[] { 0 }, [1, 1]), Tensor.Ones(1, 1)), "scatter(): Expected self.dtype to be equal to src.dtype (self torch.float64, src torch.float32)" },
        { "masked_fill mask", () => Grid().MaskedFill(Long(1, 0, 1, 0), 0.0), "masked_fill_ only supports boolean masks, but got mask with dtype torch.int64 (mask shape [4])" },
        { "masked_fill value", () => Grid().MaskedFill(Grid() > 3, Tensor.Ones(1).Double()), "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with 1 dimension(s)." },
        { "index_put values", () => Grid().IndexPut([Long(0, 1)], Tensor.Ones(2, 2).Double()), "shape mismatch: value tensor of shape [2, 2] cannot be broadcast to indexing result of shape [2, 4]" },
        { "index_put dtype", () => Grid().IndexPut([Long(0)], Tensor.Ones(4)), "Index put requires the source and destination dtypes match, got Double for the destination and Float for the source (destination shape [3, 4], source shape [4])." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadInput_IsRefusedWithPyTorchsMessage(string what, Func<Tensor> op, string message)
    {
        var ex = Assert.ThrowsAny<ArgumentException>(op);
        Assert.True(ex.Message == message, $"{what}: {ex.Message}");
    }

    [Fact]
    public void SettingWithAWrongShape_NamesBothShapes()
    {
        var x = Grid();
        var ex = Assert.Throws<ArgumentException>(() => x[Long(0, 1)] = Tensor.Ones(2, 2).Double());
        Assert.Equal("shape mismatch: value tensor of shape [2, 2] cannot be broadcast to indexing result of shape [2, 4]", ex.Message);
        var view = Assert.Throws<ArgumentException>(() => x[0] = Tensor.Ones(3).Double());
        Assert.Contains("[3]", view.Message);
        Assert.Equal(0, x.Version);
    }

    [Fact]
    public void SettingALeafThatRequiresGrad_IsRefused()
    {
        var x = Tensor.Zeros([3, 4], DType.Float64, requiresGrad: true);
        var ex = Assert.Throws<InvalidOperationException>(() => x[Long(0)] = 1.0);
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.", ex.Message);
        var view = Assert.Throws<InvalidOperationException>(() => x[0] = 1.0);
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.", view.Message);
        var reshaped = Grid().RequiresGrad_();      // a leaf that is a view of another tensor's storage is still a leaf
        Assert.Throws<InvalidOperationException>(() => reshaped[Long(0)] = 1.0);
    }
}
