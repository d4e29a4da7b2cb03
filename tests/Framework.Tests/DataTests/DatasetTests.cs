using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>TensorDataset, Subset and RandomSplit.</summary>
public class DatasetTests
{
    [Fact]
    public void TensorDatasetIndexesTheFirstDimensionWithViews()
    {
        var x = Tensor.Arange(12.0).Reshape(4, 3);
        var y = Tensor.From(new long[] { 5, 6, 7, 8 });
        var data = new TensorDataset(x, y);
        Assert.Equal(4, data.Count);
        var sample = data[2];
        Assert.Equal(new float[] { 6, 7, 8 }, sample[0].ToArray());
        Assert.Equal(7L, sample[1].Item<long>());
        x.Fill_(1);   // a view: sees the change
        Assert.Equal(new float[] { 1, 1, 1 }, sample[0].ToArray());
        Assert.Contains("index 4 is out of range for a dataset of 4 samples", Assert.Throws<ArgumentOutOfRangeException>(() => data[4]).Message);
    }

    [Fact]
    public void TensorDatasetSizeMismatchNamesTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(10, 3), Tensor.Zeros(9)));
        Assert.Contains("Size mismatch between tensors", e.Message);
        Assert.Contains("[10, 3]", e.Message);
        Assert.Contains("[9]", e.Message);
    }

    [Fact]
    public void NonContiguousTensorsGatherCorrectly()
    {
        var x = Tensor.Arange(12.0).Reshape(3, 4).T();   // [4, 3], not contiguous
        var data = new TensorDataset(x);
        var batch = new DataLoader(data, batchSize: 2).First();
        Assert.Equal(new float[] { 0, 4, 8, 1, 5, 9 }, batch[0].ToArray());
    }

    [Fact]
    public void RandomSplitIsAPartition()
    {
        var data = new TensorDataset(Tensor.Arange(100L));
        var parts = Dataset.RandomSplit(data, [60, 30, 10], seed: 7);
        Assert.Equal([60, 30, 10], parts.Select(p => p.Count));
        Assert.Equal(Enumerable.Range(0, 100), parts.SelectMany(p => p.Indices).Order());
        Assert.Equal(parts[1].Indices[0], (int)parts[1][0][0].Item<long>());
        var again = Dataset.RandomSplit(data, [60, 30, 10], seed: 7);
        Assert.Equal(parts[2].Indices, again[2].Indices);
    }

    [Fact]
    public void RandomSplitChecksLengths()
    {
        var data = new TensorDataset(Tensor.Arange(10L));
        var e = Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(data, [7, 4], seed: 0));
        Assert.StartsWith("Sum of input lengths does not equal the length of the input dataset!", e.Message);
        Assert.Throws<ArgumentException>(() => Dataset.RandomSplit(data, [0.5, 0.6], seed: 0));
    }

    [Fact]
    public void SubsetRejectsOutOfRangeIndices()
    {
        var data = new TensorDataset(Tensor.Arange(3L));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Subset<Tensor[]>(data, [0, 3]));
    }
}
