using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>== != &lt; &lt;= &gt; &gt;= on tensors compare elementwise into Bool tensors, as in PyTorch; Equals stays reference identity.</summary>
public class ComparisonOperatorTests
{
    [Fact]
    public void TheSeedsGradientCheckPrintsABoolTensor()
    {
        // the seed tutorial's print(9 * a ** 2 == a.grad)
        var a = Tensor.From(new[] { 2f, 3f }, requiresGrad: true);
        var q = 3 * a.Pow(3);
        q.Backward(Tensor.Ones(2));
        Assert.Equal("tensor([True, True])", (9 * a.Pow(2) == a.Grad!).ToString());
    }

    [Fact]
    public void OperatorsCompareElementwiseWithTensorsAndScalarsOnEitherSide()
    {
        var x = Tensor.From(new[] { 1f, 2f, 3f });
        var y = Tensor.From(new[] { 3f, 2f, 1f });
        Assert.Equal([false, true, false], (x == y).ToArray<bool>());
        Assert.Equal([true, false, true], (x != y).ToArray<bool>());
        Assert.Equal([false, true, false], (x == 2).ToArray<bool>());
        Assert.Equal([false, true, false], (2.0 == x).ToArray<bool>());
        Assert.Equal([true, false, true], (2 != x).ToArray<bool>());
        Assert.Equal([true, false, false], (x < 2).ToArray<bool>());
        Assert.Equal([false, false, true], (2 < x).ToArray<bool>());
        Assert.Equal([false, true, true], (2 <= x).ToArray<bool>());
        Assert.Equal([true, false, false], (2 > x).ToArray<bool>());
        Assert.Equal([true, true, false], (2 >= x).ToArray<bool>());
        Assert.Equal([true, false, false], (x < y).ToArray<bool>());
        Assert.Equal(DType.Bool, (x == y).DType);
        Assert.Equal([false, true, false], (x == Tensor.From(new long[] { 0, 2, 4 })).ToArray<bool>());   // promotes like Eq
    }

    [Fact]
    public void EqualsAndHashCodeStayReferenceBasedSoTensorsWorkAsKeys()
    {
        var a = Tensor.Zeros(2);
        var b = Tensor.Zeros(2);
        Assert.False(a.Equals(b));
        Assert.True(a.Equals(a));
        var d = new Dictionary<Tensor, string> { [a] = "a", [b] = "b" };
        Assert.Equal("a", d[a]);
        Assert.Equal("b", d[b]);
        Tensor? none = null;
        Assert.True(none is null);
        Assert.Equal([true, true], (a == b).ToArray<bool>());
    }
}
