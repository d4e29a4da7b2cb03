using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>Tensor.Size() is a torch.Size: a value that compares, indexes and prints as PyTorch's.</summary>
public class SizeTests
{
    [Fact]
    public void SizeEqualsByValueIndexesAndPrintsAsTorch()
    {
        var x = Tensor.Zeros(2, 3);
        Assert.Equal("torch.Size([2, 3])", x.Size().ToString());
        Assert.Equal("torch.Size([])", Tensor.From(1f).Size().ToString());
        Assert.True(x.Size() == new Size(2, 3));
        Assert.False(x.Size() != Tensor.Ones(2, 3).Size());
        Assert.True(x.Size() != x.T().Size());
        Assert.Equal(x.Size().GetHashCode(), new Size(2, 3).GetHashCode());
        Assert.Equal(3, x.Size()[1]);
        Assert.Equal(2, x.Size()[-2]);
        Assert.Equal(2, x.Size().Count);
        Assert.Equal(6, x.Size().Numel());
        Assert.Equal([2, 3], x.Size());
        Assert.Equal([2, 3, 4], Tensor.Zeros(x.Size()[0], 3, 4).Size().ToArray());
        int[] shape = x.Size();
        Assert.Equal([2, 3], shape);
        Assert.Equal(new Size(), Tensor.From(1f).Size());
        Assert.Equal(new Size(), default);
        Assert.Contains("index 2 is out of range for a size of 2 dimensions", Assert.Throws<ArgumentOutOfRangeException>(() => x.Size()[2]).Message);
        Assert.Contains("negative dimension", Assert.Throws<ArgumentException>(() => new Size(2, -1)).Message);
    }
}
