using System.Text.Json;
using Framework.Autograd;
using Framework.Data;
using Framework.Distributed;

namespace Tests.Distributed;

/// <summary>DistributedSampler against PyTorch 1.13's indices (Data/distributed/make_distributed.py), DataLoader(sampler:), and the errors.</summary>
public class DistributedSamplerTests
{
    private static readonly Lazy<JsonElement> Cases = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "distributed", "distributed_cases.json"))).RootElement);

    [Fact]
    public void IndicesEqualPyTorchs()
    {
        int count = 0;
        foreach (var c in Cases.Value.GetProperty("cases").EnumerateArray())
        {
            var sampler = new DistributedSampler(c.GetProperty("n").GetInt32(), c.GetProperty("replicas").GetInt32(), c.GetProperty("rank").GetInt32(),
                c.GetProperty("shuffle").GetBoolean(), c.GetProperty("seed").GetInt32(), c.GetProperty("drop_last").GetBoolean());
            string name = c.ToString()[..Math.Min(120, c.ToString().Length)];
            Assert.True(c.GetProperty("len").GetInt32() == sampler.Count, name);
            foreach (var e in c.GetProperty("epochs").EnumerateArray())
            {
                sampler.SetEpoch(e.GetProperty("epoch").GetInt32());
                var expected = e.GetProperty("indices").EnumerateArray().Select(i => i.GetInt32()).ToArray();
                Assert.True(expected.SequenceEqual(sampler.ToArray()), $"epoch {e.GetProperty("epoch")} of {name}");
                count++;
            }
        }
        Assert.Equal(1080, count);
    }

    [Fact]
    public void ShardsAreDisjointAndCoverEveryEpoch()
    {
        foreach (int n in (int[])[12, 13, 1, 7])
            for (int replicas = 1; replicas <= 4; replicas++)
                for (int epoch = 0; epoch < 4; epoch++)
                {
                    var shards = Enumerable.Range(0, replicas).Select(r =>
                    {
                        var s = new DistributedSampler(n, replicas, r, shuffle: true, seed: 3);
                        s.SetEpoch(epoch);
                        return s.ToArray();
                    }).ToArray();
                    var all = shards.SelectMany(s => s).ToArray();
                    Assert.Equal(n, all.Distinct().Count());
                    Assert.Equal((n + replicas - 1) / replicas * replicas, all.Length);   // padded with repeats
                    if (n % replicas == 0) Assert.Equal(all.Length, all.Distinct().Count());
                }
    }

    [Fact]
    public void DataLoaderTakesASampler()
    {
        var x = Tensor.Arange(10).Reshape(10, 1);
        var dataset = new TensorDataset(x);
        var sampler = new DistributedSampler(dataset, numReplicas: 2, rank: 1, shuffle: false);
        var loader = new DataLoader(dataset, batchSize: 2, sampler: sampler);
        Assert.Equal(3, loader.Count);
        var seen = loader.SelectMany(b => b[0].Flatten().ToArray<long>()).ToArray();
        Assert.Equal([1L, 3, 5, 7, 9], seen);
    }

    [Fact]
    public void Errors()
    {
        var dataset = new TensorDataset(Tensor.Zeros(4, 1));
        var e = Assert.Throws<ArgumentException>(() => new DataLoader(dataset, 2, shuffle: true, sampler: new DistributedSampler(4, 2, 0)));
        Assert.Equal("sampler option is mutually exclusive with shuffle (Parameter 'sampler')", e.Message);
        var r = Assert.Throws<ArgumentOutOfRangeException>(() => new DistributedSampler(4, 2, 2));
        Assert.StartsWith("Invalid rank 2, rank should be in the interval [0, 1]", r.Message);
        var g = Assert.Throws<InvalidOperationException>(() => new DistributedSampler(dataset));
        Assert.Equal("Default process group has not been initialized, please make sure to call Dist.InitProcessGroup(\"mpi\") (and start the program with mpirun)", g.Message);
        var a = Assert.Throws<InvalidOperationException>(() => Dist.AllReduce(Tensor.Zeros(2)));
        Assert.Equal(g.Message, a.Message);
    }
}
