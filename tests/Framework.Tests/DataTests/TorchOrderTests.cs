using System.Text.Json;
using Framework.Autograd;
using Framework.Data;

namespace Tests.DataTests;

/// <summary>Shuffle orders and random_split indices against PyTorch 1.13, recorded by Data/data/make_data.py.</summary>
public class TorchOrderTests
{
    private static readonly JsonElement Cases = JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "data", "data_loader.json"))).RootElement.GetProperty("cases");

    /// <summary>case[epoch][batch][i] as nested lists.</summary>
    private static List<List<long[]>> Epochs(string name) =>
        Cases.GetProperty(name).EnumerateArray()
            .Select(e => e.EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToList()).ToList();

    /// <summary>The batches of <paramref name="epochs"/> epochs, field 0 of each.</summary>
    private static List<List<long[]>> Run(DataLoader loader, int epochs) =>
        Enumerable.Range(0, epochs).Select(_ => loader.Select(b => b[0].ToArray<long>()).ToList()).ToList();

    private static void AssertSame(List<List<long[]>> expected, List<List<long[]>> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int e = 0; e < expected.Count; e++)
        {
            Assert.Equal(expected[e].Count, actual[e].Count);
            for (int b = 0; b < expected[e].Count; b++) Assert.Equal(expected[e][b], actual[e][b]);
        }
    }

    private static int[][] Splits(string name) =>
        Cases.GetProperty(name).EnumerateArray().Select(a => a.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();

    private static long[] Longs(string name) => Cases.GetProperty(name).EnumerateArray().Select(v => v.GetInt64()).ToArray();

    [Fact]
    public void GlobalGeneratorShuffleMatchesTorch()
    {
        Tensor.ManualSeed(0);
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(10L)), batchSize: 3, shuffle: true);
        AssertSame(Epochs("global_seed0_n10_bs3"), Run(loader, 2));
        // The global stream afterwards is where PyTorch's is: two draws (base seed, sampler seed) per epoch.
        Assert.Equal(Longs("global_seed0_after"), Tensor.RandInt(0, 1000, [3]).ToArray<long>());
    }

    [Fact]
    public void GlobalGeneratorShuffleMatchesTorchWithoutWorkers()
    {
        Tensor.ManualSeed(3);
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(100L)), batchSize: 32, shuffle: true, numWorkers: 0);
        AssertSame(Epochs("global_seed3_n100_bs32"), Run(loader, 2));
    }

    [Fact]
    public void SeededLoaderMatchesTorchGenerator()
    {
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(10L)), batchSize: 3, shuffle: true, seed: 5);
        AssertSame(Epochs("gen5_n10_bs3"), Run(loader, 3));
    }

    [Fact]
    public void SeededLoaderWithDropLastMatchesTorch()
    {
        var loader = new DataLoader(new TensorDataset(Tensor.Arange(10L)), batchSize: 4, shuffle: true, dropLast: true, seed: 5, numWorkers: 3);
        AssertSame(Epochs("gen5_n10_bs4_droplast"), Run(loader, 2));
    }

    [Fact]
    public void SequentialEpochDrawsTheBaseSeedLikeTorch()
    {
        Tensor.ManualSeed(7);
        foreach (var _ in new DataLoader(new TensorDataset(Tensor.Arange(10L)), batchSize: 3)) { }
        Assert.Equal(Longs("global_seed7_after_sequential_epoch"), Tensor.RandInt(0, 1000, [3]).ToArray<long>());
    }

    [Theory]
    [InlineData("random_split_10_7_3_seed42", 10, new[] { 7, 3 }, 42)]
    public void RandomSplitByLengthsMatchesTorch(string name, int n, int[] lengths, int seed)
    {
        var parts = Dataset.RandomSplit(new TensorDataset(Tensor.Arange((long)n)), lengths, seed);
        var expected = Splits(name);
        Assert.Equal(expected.Length, parts.Length);
        for (int i = 0; i < parts.Length; i++) Assert.Equal(expected[i], parts[i].Indices);
    }

    [Theory]
    [InlineData("random_split_10_frac_seed1", 10, new[] { 0.5, 0.3, 0.2 }, 1)]
    [InlineData("random_split_11_frac_seed2", 11, new[] { 0.34, 0.33, 0.33 }, 2)]
    public void RandomSplitByFractionsMatchesTorch(string name, int n, double[] fractions, int seed)
    {
        var parts = Dataset.RandomSplit(new TensorDataset(Tensor.Arange((long)n)), fractions, seed);
        var expected = Splits(name);
        Assert.Equal(expected.Length, parts.Length);
        for (int i = 0; i < parts.Length; i++) Assert.Equal(expected[i], parts[i].Indices);
    }
}
