using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>ToString adds grad_fn / requires_grad suffixes from the tensor's autograd state.</summary>
public class ToStringTests
{
    [Fact]
    public void GradFnSuffix_ComesFromTheNode()
    {
        var x = Tensor.From(new float[] { 1, 2 }, requiresGrad: true);
        Assert.Equal("tensor([1., 2.], requires_grad=True)", x.ToString());
        Assert.Equal("tensor([2., 4.], grad_fn=<MulBackward0>)", (x * 2).ToString());
        Assert.Equal("tensor([1., 2.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)", x.Double().ToString());
        Assert.Equal("tensor([ True, False])", Tensor.From(new[] { true, false }).ToString());
    }
}
