using Framework.Autograd;
using Framework.Data;
using Framework.NN;
using F = Framework.NN.Functional;

namespace Tests.Reliability;

/// <summary>An index out of range in a loss target, an embedding lookup or a dataset is an ArgumentOutOfRangeException naming the index and the range.</summary>
public class IndexArgumentTests
{
    [Fact]
    public void NllLossTargetOutOfRangeNamesTheTarget()
    {
        var logp = Tensor.Zeros(2, 3).LogSoftmax(1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => F.NllLoss(logp, Tensor.From(new long[] { 0, 5 })));
        Assert.Contains("Target 5 is out of bounds.", e.Message);
        Assert.Equal("target", e.ParamName);
    }

    [Fact]
    public void EmbeddingIndexOutOfRangeNamesTheIndexAndRows()
    {
        var emb = new Embedding(4, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward(Tensor.From(new long[] { 1, 4 })));
        Assert.Contains("embedding: index 4 is out of range for an embedding of 4 rows", e.Message);
    }

    [Fact]
    public void SubsetAndTensorDatasetIndexOutOfRange()
    {
        var data = new TensorDataset(Tensor.Zeros(5, 2), Tensor.Zeros([5], DType.Int64));
        Assert.Contains("index -1 is out of range for a dataset of 5 samples", Assert.Throws<ArgumentOutOfRangeException>(() => data[-1]).Message);
        var subset = new Subset<Tensor[]>(data, [0, 2]);
        Assert.Contains("index 2 is out of range for a subset of 2 samples", Assert.Throws<ArgumentOutOfRangeException>(() => subset[2]).Message);
    }
}
