using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>foreach (var (x, y) in loader) works as a PyTorch loop unpacks its batches.</summary>
public class BatchDeconstructionTests
{
    [Fact]
    public void LoaderBatchesUnpackIntoInputsAndTargets()
    {
        var data = new TensorDataset(Tensor.Arange(10.0).Reshape(5, 2), Tensor.Arange(5L));
        var loader = new DataLoader(data, batchSize: 2);
        var sizes = new List<int>();
        long targets = 0;
        foreach (var (x, y) in loader)
        {
            Assert.Equal(x.Size(0), y.Size(0));
            sizes.Add(x.Size(0));
            targets += y.Sum().Item<long>();
        }
        Assert.Equal([2, 2, 1], sizes);
        Assert.Equal(10, targets);
        var (a, b, c) = new[] { Tensor.Zeros(1), Tensor.Ones(1), Tensor.Zeros(2) };
        Assert.Equal(2, c.Size(0));
        Assert.Equal("cannot unpack a batch of 3 tensors into 2 variables (Parameter 'batch')",
            Assert.Throws<ArgumentException>(() => { var (p, q) = new[] { a, b, c }; }).Message);
    }
}
