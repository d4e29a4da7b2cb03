using Framework.Autograd;

namespace Tests.Seeds;

/// <summary>seeds/003: the 60-minute blitz autograd tutorial, including the custom MulConstant Function.</summary>
public class Seed003BlitzAutogradTests
{
    [Fact]
    public void TrackingOps_PrintsAsPyTorch()
    {
        var x = Tensor.Ones([2, 2], requiresGrad: true);
        Assert.Equal("tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)", x.ToString());
        var y = x + 2;
        Assert.Equal("tensor([[3., 3.],\n        [3., 3.]], grad_fn=<AddBackward0>)", y.ToString());
        Assert.Equal("<AddBackward0 object>", y.GradFn!.ToString());
        var z = y * y * 3;
        var @out = z.Mean();
        Assert.Equal("tensor([[27., 27.],\n        [27., 27.]], grad_fn=<MulBackward0>)", z.ToString());
        Assert.Equal("tensor(27., grad_fn=<MeanBackward0>)", @out.ToString());
    }

    [Fact]
    public void RequiresGradInPlaceSetter()
    {
        var a = Tensor.Ones(2, 2);
        a = a * 3 / (a - 1);
        Assert.False(a.RequiresGrad);
        a.RequiresGrad_(true);
        Assert.True(a.RequiresGrad);
        var b = (a * a).Sum();
        Assert.Equal("SumBackward0", b.GradFn!.Name);
    }

    [Fact]
    public void Gradients_OfMeanOfThreeSquares()
    {
        var x = Tensor.Ones([2, 2], requiresGrad: true);
        var y = x + 2;
        var z = y * y * 3;
        var @out = z.Mean();
        @out.Backward();
        Assert.Equal("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])", x.Grad!.ToString());
    }

    [Fact]
    public void VectorJacobianProduct_OfDoublingLoop()
    {
        var x = Tensor.Randn([3], requiresGrad: true);
        var y = x * 2;
        int doublings = 1;
        while (y.Data.Norm().Item() < 1000) { y = y * 2; doublings++; }
        var gradients = Tensor.From(new float[] { 0.1f, 1.0f, 0.0001f });
        y.Backward(gradients);
        var expected = gradients * Math.Pow(2, doublings);
        Assert.True(x.Grad!.AllClose(expected));
        Assert.Equal("tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])", (gradients * 512.0).ToString());
    }

    [Fact]
    public void NoGrad_StopsRecording()
    {
        var x = Tensor.Randn([3], requiresGrad: true);
        Assert.True(x.RequiresGrad);
        Assert.True(x.Pow(2).RequiresGrad);
        using (new NoGrad())
        {
            Assert.True(x.RequiresGrad);
            Assert.False(x.Pow(2).RequiresGrad);
        }
        Assert.True(x.Pow(2).RequiresGrad);
    }

    private sealed class MulConstant(double constant) : Function
    {
        protected override Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        {
            ctx.Set("constant", constant);
            return inputs[0] * constant;
        }

        protected override Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
            => [gradOutput];   // as in the seed: the gradient passes through unchanged
    }

    [Fact]
    public void CustomFunction_MulConstant()
    {
        var a = Tensor.Rand([3, 3], requiresGrad: true);
        var b = new MulConstant(5).Apply(a);
        Assert.True(b.AllClose(a.Detach() * 5));
        Assert.Equal("MulConstantBackward", b.GradFn!.Name);
        Assert.Equal("AccumulateGrad", b.GradFn.NextFunctions[0]!.Name);
        b.Backward(Tensor.OnesLike(a));
        Assert.True(a.Grad!.AllClose(Tensor.Ones(3, 3)));
    }
}
