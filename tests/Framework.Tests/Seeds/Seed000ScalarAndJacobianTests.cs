using Framework.Autograd;

namespace Tests.Seeds;

/// <summary>seeds/000: scalar backward of z = w·x + b, leaf/non-leaf facts, and a Jacobian built with CopySlices.</summary>
public class Seed000ScalarAndJacobianTests
{
    [Fact]
    public void ScalarBackward_LeafFacts_AndGradients()
    {
        var x = Tensor.From(new float[] { 2 });
        var w = Tensor.Randn([1], requiresGrad: true);
        var b = Tensor.Randn([1], requiresGrad: true);
        var y = Tensor.Mul(w, x);
        var z = Tensor.Add(y, b);
        Assert.False(x.RequiresGrad);
        Assert.True(y.RequiresGrad);
        Assert.True(x.IsLeaf);
        Assert.False(y.IsLeaf);
        Assert.Null(x.GradFn);
        Assert.Equal("MulBackward0", y.GradFn!.Name);

        z.Backward();
        Assert.Null(x.Grad);
        Assert.Equal("tensor([2.])", w.Grad!.ToString());
        Assert.Null(y.Grad);
        Assert.Null(z.Grad);
    }

    [Fact]
    public void NonScalarBackward_BuildsJacobianThroughCopySlices()
    {
        var x = Tensor.From(new float[,] { { 2, 3 } }, requiresGrad: true);
        Assert.Equal("tensor([[2., 3.]], requires_grad=True)", x.ToString());
        var J = Tensor.Zeros(2, 2);
        Assert.Equal("tensor([0., 0.])", J[0].ToString());
        var y = Tensor.Zeros(1, 2);
        y[0, 0] = x[0, 0].Pow(2) + 3 * x[0, 1];
        y[0, 1] = x[0, 1].Pow(2) + 2 * x[0, 0];
        Assert.Equal("tensor([[13., 13.]], grad_fn=<CopySlices>)", y.ToString());

        y.Backward(Tensor.From(new float[,] { { 1, 0 } }), retainGraph: true);
        J[0] = x.Grad!;
        x.Grad = Tensor.ZerosLike(x.Grad!);
        y.Backward(Tensor.From(new float[,] { { 0, 1 } }));
        J[1] = x.Grad!;
        Assert.Equal("tensor([[4., 3.],\n        [2., 6.]])", J.ToString());
    }
}
