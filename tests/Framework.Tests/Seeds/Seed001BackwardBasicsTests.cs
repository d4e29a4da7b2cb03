using Framework.Autograd;

namespace Tests.Seeds;

/// <summary>seeds/001: requires_grad basics, scalar and vector backward, and the mean example.</summary>
public class Seed001BackwardBasicsTests
{
    [Fact]
    public void RequiresGrad_DefaultsAndFluentSetter()
    {
        var a = Tensor.From(new float[] { 1, 2, 3 });
        Assert.False(a.RequiresGrad);
        var b = Tensor.From(new float[] { 4, 5, 6 }, requiresGrad: true);
        Assert.True(b.RequiresGrad);
        a.RequiresGrad_();
        Assert.True(a.RequiresGrad);
    }

    [Fact]
    public void IntegerTensor_CannotRequireGrad()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => Tensor.From(new long[] { 1, 2, 3 }, requiresGrad: true));
        Assert.Contains("only Tensors of floating point dtype can require gradients", ex.Message);
    }

    [Fact]
    public void SumOfSquares_GradientIsTwiceInput()
    {
        var a = Tensor.From(new float[] { 1, 2, 3 }, requiresGrad: true);
        var b = a.Pow(2);
        var c = b.Sum();
        c.Backward();
        Assert.Equal("tensor([2., 4., 6.])", a.Grad!.ToString());
    }

    [Fact]
    public void VectorBackward_RowsOfJacobian()
    {
        var a = Tensor.From(new float[] { 1, 2, 3 }, requiresGrad: true);
        var b = Tensor.Zeros(3);
        b[0] = a[0].Pow(2) + a[1];
        b[1] = a[1] + a[2];
        b[2] = a[2].Pow(3);
        b.Backward(Tensor.From(new long[] { 1, 0, 0 }), retainGraph: true);
        Assert.Equal("tensor([2., 1., 0.])", a.Grad!.ToString());
        a.Grad!.Zero_();
        b.Backward(Tensor.From(new long[] { 0, 1, 0 }), retainGraph: true);
        Assert.Equal("tensor([0., 1., 1.])", a.Grad!.ToString());
        a.Grad!.Zero_();
        b.Backward(Tensor.From(new long[] { 0, 0, 1 }), retainGraph: true);
        Assert.Equal("tensor([ 0.,  0., 27.])", a.Grad!.ToString());
    }

    [Fact]
    public void MeanExample_PrintsDataGradsAndGradFns()
    {
        var x = Tensor.Ones([5], requiresGrad: true);
        var w1 = Tensor.From(2.0f).RequiresGrad_();
        var w2 = Tensor.From(3.0f).RequiresGrad_();
        var b = Tensor.From(4.0f);
        var l1 = x * w1;
        var l2 = l1 + b;
        var l3 = l2 * w2;
        var y = l3.Mean();
        y.Backward();

        Assert.Equal("tensor([2., 2., 2., 2., 2.])", l1.Data.ToString());
        Assert.Null(l1.Grad);
        Assert.Equal("MulBackward0", l1.GradFn!.Name);
        Assert.Equal("tensor([6., 6., 6., 6., 6.])", l2.Data.ToString());
        Assert.Null(l2.Grad);
        Assert.Equal("AddBackward0", l2.GradFn!.Name);
        Assert.Equal("tensor(18., grad_fn=<MeanBackward0>)", y.ToString());
        Assert.Equal("tensor(3.)", w1.Grad!.ToString());
        Assert.Equal("tensor(6.)", w2.Grad!.ToString());
        Assert.Equal("tensor([1.2000, 1.2000, 1.2000, 1.2000, 1.2000])", x.Grad!.ToString());
    }
}
