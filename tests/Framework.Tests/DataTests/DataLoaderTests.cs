using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>DataLoader: order, coverage, determinism, batch counts and shapes, collate paths, workers.</summary>
public class DataLoaderTests
{
    private static TensorDataset Numbers(int n) =>
        new(Tensor.Arange(0, n).Reshape(n, 1).Mul(Tensor.Ones(1, 2)), Tensor.Arange((long)n));

    private static List<long> Labels(IEnumerable<Tensor[]> batches) => batches.SelectMany(b => b[1].ToArray<long>()).ToList();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void SequentialOrderAndShapes(int workers)
    {
        var loader = new DataLoader(Numbers(10), batchSize: 4, numWorkers: workers);
        var batches = loader.ToList();
        Assert.Equal(3, loader.Count);
        Assert.Equal(3, batches.Count);
        Assert.Equal([4, 2], batches[0][0].Shape);
        Assert.Equal([4], batches[0][1].Shape);
        Assert.Equal([2, 2], batches[2][0].Shape);
        Assert.Equal(DType.Float32, batches[0][0].DType);
        Assert.Equal(DType.Int64, batches[0][1].DType);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), Labels(batches));
        Assert.Equal(new float[] { 8, 8, 9, 9 }, batches[2][0].ToArray());
    }

    [Theory]
    [InlineData(10, 3, false, 4)]
    [InlineData(10, 3, true, 3)]
    [InlineData(9, 3, true, 3)]
    [InlineData(9, 3, false, 3)]
    [InlineData(2, 5, true, 0)]
    [InlineData(2, 5, false, 1)]
    public void CountAndDropLast(int n, int batchSize, bool dropLast, int expected)
    {
        var loader = new DataLoader(Numbers(n), batchSize, shuffle: true, dropLast: dropLast, seed: 1);
        Assert.Equal(expected, loader.Count);
        var batches = loader.ToList();
        Assert.Equal(expected, batches.Count);
        Assert.All(batches, b => Assert.Equal(dropLast ? batchSize : b[1].Size(0), b[1].Size(0)));
    }

    [Fact]
    public void ShuffleVisitsEachSampleOncePerEpoch()
    {
        var loader = new DataLoader(Numbers(103), batchSize: 8, shuffle: true, seed: 11, numWorkers: 3);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = Labels(loader);
            Assert.Equal(103, seen.Count);
            Assert.Equal(Enumerable.Range(0, 103).Select(i => (long)i), seen.Order());
        }
    }

    [Fact]
    public void SameSeedSameEpochsAndEpochsDiffer()
    {
        var a = new DataLoader(Numbers(50), batchSize: 7, shuffle: true, seed: 123);
        var b = new DataLoader(Numbers(50), batchSize: 7, shuffle: true, seed: 123, numWorkers: 0);
        var a1 = Labels(a); var a2 = Labels(a);
        var b1 = Labels(b); var b2 = Labels(b);
        Assert.Equal(a1, b1);
        Assert.Equal(a2, b2);
        Assert.NotEqual(a1, a2);
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (long)i), a1);
    }

    [Fact]
    public void UnseededShuffleFollowsTheGlobalSeed()
    {
        Tensor.ManualSeed(42);
        var first = Labels(new DataLoader(Numbers(30), batchSize: 4, shuffle: true));
        Tensor.ManualSeed(42);
        var second = Labels(new DataLoader(Numbers(30), batchSize: 4, shuffle: true));
        Assert.Equal(first, second);
    }

    [Fact]
    public void RowsAndLabelsStayTogether()
    {
        var loader = new DataLoader(Numbers(20), batchSize: 6, shuffle: true, seed: 3);
        foreach (var batch in loader)
        {
            var x = batch[0].ToArray();
            var y = batch[1].ToArray<long>();
            for (int i = 0; i < y.Length; i++) Assert.Equal((float)y[i], x[2 * i + 1]);
        }
    }

    /// <summary>A dataset that is not tensor-backed, so batches go through Stack; optionally throws at one index.</summary>
    private sealed class Squares(int n, int throwAt = -1) : Dataset<Tensor[]>
    {
        public int Reads;
        public override int Count => n;
        public override Tensor[] this[int index]
        {
            get
            {
                Interlocked.Increment(ref Reads);
                if (index == throwAt) throw new InvalidOperationException($"bad sample {index}");
                return [Tensor.From(new float[] { index, index * index }), Tensor.From((long)index)];
            }
        }
    }

    [Fact]
    public void StackCollateForGeneralDatasets()
    {
        var batches = new DataLoader(new Squares(5), batchSize: 2).ToList();
        Assert.Equal(3, batches.Count);
        Assert.Equal([2, 2], batches[1][0].Shape);
        Assert.Equal(new float[] { 2, 4, 3, 9 }, batches[1][0].ToArray());
        Assert.Equal([1], batches[2][1].Shape);
        Assert.Equal(new long[] { 4 }, batches[2][1].ToArray<long>());
    }

    [Fact]
    public void SubsetOfTensorDatasetGathers()
    {
        var data = Numbers(10);
        var subset = new Subset<Tensor[]>(data, [9, 2, 5]);
        var batch = new DataLoader(subset, batchSize: 3).Single();
        Assert.Equal(new long[] { 9, 2, 5 }, batch[1].ToArray<long>());
        Assert.Equal(new float[] { 9, 9, 2, 2, 5, 5 }, batch[0].ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void WorkerExceptionSurfacesOnConsumer(int workers)
    {
        var loader = new DataLoader(new Squares(20, throwAt: 13), batchSize: 4, numWorkers: workers);
        var got = new List<Tensor[]>();
        var e = Assert.Throws<InvalidOperationException>(() => { foreach (var b in loader) got.Add(b); });
        Assert.Equal("bad sample 13", e.Message);
        Assert.Equal(3, got.Count);   // batches before the failing one arrive in order
    }

    [Fact]
    public void AbandonedEnumerationStopsTheWorker()
    {
        var data = new Squares(1000);
        var loader = new DataLoader(data, batchSize: 10, numWorkers: 2, prefetch: 2);
        using (var e = loader.GetEnumerator())
        {
            Assert.True(e.MoveNext());
            Assert.True(e.MoveNext());
        }
        int reads = data.Reads;
        Assert.True(reads <= 10 * (2 + 2 * 2 + 2), $"read {reads} samples ahead: prefetch is not bounded");
        Thread.Sleep(100);
        Assert.Equal(reads, data.Reads);   // Dispose joined the workers: nothing reads any more
    }

    [Fact]
    public void BatchesRecordNoGraph()
    {
        var x = Tensor.Randn([6, 3], requiresGrad: true);
        var loader = new DataLoader(new TensorDataset(x, Tensor.Arange(6L)), batchSize: 4);
        Assert.All(loader, b => Assert.False(b[0].RequiresGrad));
        var stacked = new DataLoader(new Subset<Tensor[]>(new Squares(4), [0, 1]), batchSize: 2).Single();
        Assert.Null(stacked[0].GradFn);
    }

    [Fact]
    public void RejectsBadArguments()
    {
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbers(3), batchSize: 0));
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbers(3), batchSize: 1, numWorkers: -1));
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbers(3), batchSize: 1, prefetch: 0));
    }
}
