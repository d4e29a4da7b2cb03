using Framework.Autograd;

namespace Tests.Seeds;

/// <summary>seeds/002: leaf and non-leaf nodes, grad_fn, and the manual-update regression.</summary>
public class Seed002LeavesAndRegressionTests
{
    [Fact]
    public void LeafGradsKept_NonLeafGradsNot()
    {
        var x = Tensor.From(new float[] { 2.0f }, requiresGrad: true);
        var y = Tensor.From(new float[] { 3.0f }, requiresGrad: true);
        var z = x * y;
        var w = z + Tensor.From(new float[] { 1.0f });
        Assert.True(x.RequiresGrad);
        Assert.True(y.RequiresGrad);
        Assert.True(z.RequiresGrad);
        Assert.True(w.RequiresGrad);
        w.Backward();
        Assert.Equal("tensor([3.])", x.Grad!.ToString());
        Assert.Equal("tensor([2.])", y.Grad!.ToString());
        Assert.Null(z.Grad);
        Assert.Null(w.Grad);
    }

    [Fact]
    public void GradFn_NoneForLeaves_MulBackwardForProduct()
    {
        var x = Tensor.From(new float[] { 2.0f }, requiresGrad: true);
        var y = Tensor.From(new float[] { 3.0f }, requiresGrad: true);
        var z = x * y;
        Assert.Null(x.GradFn);
        Assert.Null(y.GradFn);
        Assert.Equal("MulBackward0", z.GradFn!.Name);
    }

    [Fact]
    public void ForwardAndBackward_OfLinearUnit()
    {
        var x = Tensor.From(new float[] { 2 });
        var w = Tensor.Randn([1], requiresGrad: true);
        var b = Tensor.Randn([1], requiresGrad: true);
        var y = Tensor.Mul(w, x);
        var z = Tensor.Add(y, b);
        Assert.Equal((false, true, true), (x.RequiresGrad, w.RequiresGrad, b.RequiresGrad));
        Assert.Equal((true, true), (y.RequiresGrad, z.RequiresGrad));
        Assert.Equal((true, true, true, false, false), (x.IsLeaf, w.IsLeaf, b.IsLeaf, y.IsLeaf, z.IsLeaf));
        Assert.Equal("AddBackward0", z.GradFn!.Name);
        z.Backward();
        Assert.Equal("tensor([2.])", w.Grad!.ToString());
        Assert.Equal("tensor([1.])", b.Grad!.ToString());
        Assert.Null(x.Grad);
        Assert.Null(y.Grad);
        Assert.Null(z.Grad);
    }

    [Fact]
    public void Regression_ManualUpdateUnderNoGrad_FitsThreeAndTwo()
    {
        Tensor.ManualSeed(100);
        var x = Tensor.Linspace(-1, 1, 100).Unsqueeze(1);
        var y = 3 * x.Pow(2) + 2 + 0.2 * Tensor.Rand(x.Shape);
        var w = Tensor.Randn([1, 1], requiresGrad: true);
        var b = Tensor.Zeros([1, 1], requiresGrad: true);
        const double lr = 0.001;
        Tensor yPred = null!, loss = null!;
        for (int i = 0; i < 800; i++)
        {
            yPred = w * x.Pow(2) + b;
            loss = (y - yPred).Pow(2).Sum();
            loss.Backward();
            using (new NoGrad())
            {
                w -= lr * w.Grad!;
                b -= lr * b.Grad!;
                w.Grad!.Zero_();
                b.Grad!.Zero_();
            }
        }
        Assert.True(w.IsLeaf);
        Assert.True(w.RequiresGrad);
        Assert.Equal("tensor([[2.9668]], requires_grad=True)", w.ToString());   // the seed's printed result
        Assert.Equal("tensor([[2.1138]], requires_grad=True)", b.ToString());
        Assert.Equal("tensor(0.3335, grad_fn=<SumBackward0>)", loss.ToString());              // what PyTorch prints
        Assert.Equal([100, 1], yPred.Detach().Shape);
    }
}
