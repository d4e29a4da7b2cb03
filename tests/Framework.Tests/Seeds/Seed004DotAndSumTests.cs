using Framework.Autograd;

namespace Tests.Seeds;

/// <summary>seeds/004: gradient of 2·xᵀx, accumulation and zero_, and sums over axes of integer tensors.</summary>
public class Seed004DotAndSumTests
{
    [Fact]
    public void GradientOfTwiceDot_IsFourX()
    {
        var x = Tensor.Arange(4.0);
        Assert.Equal("tensor([0., 1., 2., 3.])", x.ToString());
        x.RequiresGrad_(true);
        Assert.Null(x.Grad);
        var y = 2 * Tensor.Dot(x, x);
        Assert.Equal("tensor(28., grad_fn=<MulBackward0>)", y.ToString());
        y.Backward();
        Assert.Equal("tensor([ 0.,  4.,  8., 12.])", x.Grad!.ToString());
        Assert.Equal("tensor([True, True, True, True])", x.Grad!.Eq(4 * x).ToString());

        x.Grad!.Zero_();
        y = x.Sum();
        y.Backward();
        Assert.Equal("tensor([1., 1., 1., 1.])", x.Grad!.ToString());

        x.Grad!.Zero_();
        y = x * x;
        Assert.Equal("tensor([0., 1., 4., 9.], grad_fn=<MulBackward0>)", y.ToString());
    }

    [Fact]
    public void IntegerSums_KeepDim()
    {
        var A = Tensor.Arange(24).Reshape(2, 3, 4);
        Assert.Equal(
            "tensor([[[ 0,  1,  2,  3],\n         [ 4,  5,  6,  7],\n         [ 8,  9, 10, 11]],\n\n" +
            "        [[12, 13, 14, 15],\n         [16, 17, 18, 19],\n         [20, 21, 22, 23]]])", A.ToString());
        var t = A.Sum(0, keepDim: true);
        Assert.Equal("tensor([[[12, 14, 16, 18],\n         [20, 22, 24, 26],\n         [28, 30, 32, 34]]])", t.ToString());
    }

    [Fact]
    public void IntTimesFloat_PromotesToFloat()
    {
        var A = Tensor.Arange(24).Reshape(3, 8);
        var B = Tensor.Ones(3, 8);
        Assert.Equal(
            "tensor([[ 0,  1,  2,  3,  4,  5,  6,  7],\n        [ 8,  9, 10, 11, 12, 13, 14, 15],\n        [16, 17, 18, 19, 20, 21, 22, 23]])",
            A.ToString());
        Assert.Equal(
            "tensor([[1., 1., 1., 1., 1., 1., 1., 1.],\n        [1., 1., 1., 1., 1., 1., 1., 1.],\n        [1., 1., 1., 1., 1., 1., 1., 1.]])",
            B.ToString());
        var prod = A * B;
        Assert.Equal(DType.Float32, prod.DType);
        Assert.Equal(
            "tensor([[ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.],\n        [ 8.,  9., 10., 11., 12., 13., 14., 15.],\n        [16., 17., 18., 19., 20., 21., 22., 23.]])",
            prod.ToString());
        Assert.Equal("tensor(276.)", Tensor.Sum(A * B).ToString());
    }
}
