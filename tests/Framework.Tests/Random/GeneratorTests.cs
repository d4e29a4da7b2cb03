using Framework.Autograd;

namespace Tests.Random;

/// <summary>Runs the tests that reseed the global generator alone, so no other test draws from it meanwhile.</summary>
[CollectionDefinition("GlobalGenerator", DisableParallelization = true)]
public sealed class GlobalGeneratorCollection;

/// <summary>Checks Generator against PyTorch 1.13's CPU random streams recorded in Data/random/torch_random.json.</summary>
public class GeneratorTests
{
    /// <summary>Indices and labels of every single-draw case in the reference file.</summary>
    public static TheoryData<int, string> CaseIndices()
    {
        var data = new TheoryData<int, string>();
        int i = 0;
        foreach (var c in TorchRandomData.Cases.EnumerateArray()) data.Add(i++, TorchRandomData.Label(c));
        return data;
    }

    /// <summary>Indices of the multi-draw sequences.</summary>
    public static TheoryData<int> SequenceIndices()
    {
        var data = new TheoryData<int>();
        for (int i = 0; i < TorchRandomData.Sequences.GetArrayLength(); i++) data.Add(i);
        return data;
    }

    /// <summary>Each seed × op × size draw from a fresh generator matches torch.</summary>
    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Case_MatchesTorch(int index, string label)
    {
        var c = TorchRandomData.Cases[index];
        var g = new Generator(c.GetProperty("seed").GetInt64());
        var got = TorchRandomData.Draw(g, c.GetProperty("op").GetString()!, c.GetProperty("size").GetInt32());
        TorchRandomData.AssertMatches(c, got, label);
    }

    /// <summary>Float32 draws are not just within 1 ulp but bit-identical, including the AVX2 normal path.</summary>
    [Fact]
    public void Float32Streams_AreBitExact()
    {
        int worst = 0, checkedCases = 0;
        foreach (var c in TorchRandomData.Cases.EnumerateArray())
        {
            if (c.GetProperty("dtype").GetString() != "float32") continue;
            var g = new Generator(c.GetProperty("seed").GetInt64());
            var got = TorchRandomData.Draw(g, c.GetProperty("op").GetString()!, c.GetProperty("size").GetInt32());
            worst = Math.Max(worst, TorchRandomData.AssertMatches(c, got, TorchRandomData.Label(c)));
            checkedCases++;
        }
        Assert.Equal(90, checkedCases);
        Assert.Equal(0, worst);
    }

    /// <summary>Draws in sequence from one generator (randn(3) → rand(17) → randn(20), …) keep matching: state and the cached normal carry over.</summary>
    [Theory]
    [MemberData(nameof(SequenceIndices))]
    public void Sequence_StateCarriesOver(int index)
    {
        var seq = TorchRandomData.Sequences[index];
        var g = new Generator(seq.GetProperty("seed").GetInt64());
        foreach (var step in seq.GetProperty("steps").EnumerateArray())
        {
            var label = $"seq{index} {TorchRandomData.Label(step)}";
            TorchRandomData.AssertMatches(step, TorchRandomData.Draw(g, step.GetProperty("op").GetString()!, step.GetProperty("size").GetInt32()), label);
        }
    }

    /// <summary>randn(1) leaves a cached Box–Muller value; reseeding drops it, so the next randn(2) equals a fresh one.</summary>
    [Fact]
    public void ManualSeed_ClearsCachedNormal()
    {
        var g = new Generator(7);
        Tensor.Randn([1], generator: g, dtype: DType.Float64);
        Assert.True(g.HasCachedNormal);
        Assert.Same(g, g.ManualSeed(7));
        Assert.False(g.HasCachedNormal);
        var e = TorchRandomData.Root.GetProperty("reseed");
        TorchRandomData.AssertMatches(e, Tensor.Randn([2], generator: g, dtype: DType.Float64).ToArray<double>(), "reseed");
    }

    /// <summary>The odd randn(3) caches its sixth Box–Muller value, which a following randn(1) returns without drawing.</summary>
    [Fact]
    public void CachedNormal_IsConsumedWithoutDrawing()
    {
        var a = new Generator(42);
        var three = Tensor.Randn([3], generator: a, dtype: DType.Float64).ToArray<double>();
        var b = a.Clone();
        var next = Tensor.Randn([1], generator: a, dtype: DType.Float64).ToArray<double>();
        Assert.False(a.HasCachedNormal);
        // The clone still holds the cached value; after consuming it both engines are in step.
        Assert.Equal(next, Tensor.Randn([1], generator: b, dtype: DType.Float64).ToArray<double>());
        Assert.Equal(a.NextUInt32(), b.NextUInt32());
        Assert.Equal(3, three.Length);
    }

    /// <summary>A clone continues the same stream independently of the original.</summary>
    [Fact]
    public void Clone_ContinuesTheSameStream()
    {
        var g = new Generator(100);
        Tensor.Rand([5], generator: g);
        var c = g.Clone();
        Assert.Equal(c.InitialSeed, g.InitialSeed);
        Assert.Equal(Tensor.Randn([40], generator: g).ToArray(), Tensor.Randn([40], generator: c).ToArray());
        Assert.Equal(g.RandomInt64(), c.RandomInt64());
        g.NextUInt32();
        Assert.NotEqual(g.NextUInt32(), c.NextUInt32());
    }

    /// <summary>The generic float32 normal kernel (what torch runs with ATEN_CPU_CAPABILITY=default) also matches; it differs from the AVX2 one.</summary>
    [Fact]
    public void GenericFloatNormalKernel_MatchesTorchDefaultCapability()
    {
        int worst = 0, differsFromAvx2 = 0;
        foreach (var p in TorchRandomData.Root.GetProperty("generic_kernel_randn_f32").EnumerateObject())
        {
            var parts = p.Name.Split('_');
            float[] got, avx2;
            if (p.Name == "normal_2_05")
            {
                got = new float[100];
                new Generator(5).FillNormal(got, 2, 0.5, avx2: false);
                avx2 = new float[100];
                new Generator(5).FillNormal(avx2, 2, 0.5);
            }
            else
            {
                got = new float[int.Parse(parts[1])];
                new Generator(long.Parse(parts[0])).FillNormal(got, 0, 1, avx2: false);
                avx2 = Tensor.Randn([got.Length], generator: new Generator(long.Parse(parts[0]))).ToArray();
            }
            var want = p.Value.EnumerateArray().Select(b => BitConverter.UInt32BitsToSingle(b.GetUInt32())).ToArray();
            Assert.Equal(want.Length, got.Length);
            for (int i = 0; i < want.Length; i++)
            {
                int ulps = Math.Abs(BitConverter.SingleToInt32Bits(want[i]) - BitConverter.SingleToInt32Bits(got[i]));
                Assert.True(ulps <= 1, $"generic {p.Name}[{i}]: torch {want[i]:R} vs ours {got[i]:R}");
                worst = Math.Max(worst, ulps);
                if (avx2[i] != got[i]) differsFromAvx2++;
            }
        }
        Assert.Equal(0, worst);
        Assert.True(differsFromAvx2 > 0);
    }

    /// <summary>An unseeded generator uses PyTorch's default seed 67280421310721 and its stream.</summary>
    [Fact]
    public void DefaultSeed_MatchesTorch()
    {
        var e = TorchRandomData.Root.GetProperty("default_rand");
        var g = new Generator();
        Assert.Equal(e.GetProperty("initial_seed").GetInt64(), g.InitialSeed);
        TorchRandomData.AssertMatches(e, Tensor.Rand([3], generator: g).ToArray<float>(), "default seed");
    }

    /// <summary>RandomInt64 (what RandomSampler draws its seed with) is never negative.</summary>
    [Fact]
    public void RandomInt64_IsNonNegative()
    {
        var g = new Generator(2);
        for (int i = 0; i < 1000; i++) Assert.True(g.RandomInt64() >= 0);
    }

    /// <summary>randperm's large-n branch (inside-out shuffle on random64) yields a permutation and a different stream from the small-n branch.</summary>
    [Fact]
    public void RandPerm_LargeAlgorithm_IsAPermutation()
    {
        var big = new long[1000];
        new Generator(3).RandPerm(big, largeAlgorithm: true);
        var small = new long[1000];
        new Generator(3).RandPerm(small, largeAlgorithm: false);
        Assert.NotEqual(small, big);
        var sorted = (long[])big.Clone();
        Array.Sort(sorted);
        for (int i = 0; i < sorted.Length; i++) Assert.Equal(i, sorted[i]);
        Assert.Equal(uint.MaxValue / 20, Generator.RandPermSmallLimit);
    }

    /// <summary>Bad arguments fail like torch.</summary>
    [Fact]
    public void BadArguments_Throw()
    {
        var g = new Generator(0);
        Assert.Throws<ArgumentException>(() => Tensor.RandInt(3, 3, [2], g));
        Assert.Throws<ArgumentException>(() => g.FillNormal(new double[4], 0, -1));
        Assert.Empty(Tensor.Randperm(0, g).ToArray<long>());
        Assert.Equal([0L], Tensor.Randperm(1, g).ToArray<long>());
    }
}

/// <summary>Global-generator tests through the Tensor API (run without parallel neighbours).</summary>
[Collection("GlobalGenerator")]
public class GlobalGeneratorTests
{
    /// <summary>The regression seed: ManualSeed(100); Rand(100, 1); Randn(1, 1) reproduces torch (w prints tensor([[0.2437]])).</summary>
    [Fact]
    public void RegressionSeed_RandThenRandn_MatchesTorch()
    {
        var e = TorchRandomData.Root.GetProperty("regression");
        Tensor.ManualSeed(100);
        var r = Tensor.Rand(100, 1);
        var w = Tensor.Randn(1, 1);
        Assert.Equal([100, 1], r.Shape);
        Assert.Equal([1, 1], w.Shape);
        Assert.Equal(0, TorchRandomData.AssertMatches(e.GetProperty("rand"), r.ToArray<float>(), "regression rand"));
        Assert.Equal(0, TorchRandomData.AssertMatches(e.GetProperty("w"), w.ToArray<float>(), "regression w"));
        Assert.Equal("tensor([[0.2437]])", e.GetProperty("w_printed").GetString());
        Assert.Equal(0.2437, Math.Round(w.Item(), 4));
        Assert.Equal(100, Generator.Default.InitialSeed);
    }

    /// <summary>Tensor.Randperm and Tensor.RandInt on the global generator match torch.randperm / torch.randint after torch.manual_seed.</summary>
    [Fact]
    public void GlobalRandpermAndRandInt_MatchTorch()
    {
        foreach (var c in TorchRandomData.Cases.EnumerateArray())
        {
            string op = c.GetProperty("op").GetString()!;
            int n = c.GetProperty("size").GetInt32();
            Array got;
            Tensor.ManualSeed(c.GetProperty("seed").GetInt64());
            if (op == "randperm") got = Tensor.Randperm(n).ToArray<long>();
            else if (op == "randint_0_10") got = Tensor.RandInt(0, 10, [n]).ToArray<long>();
            else if (op == "randint_m5_1e6") got = Tensor.RandInt(-5, 1000000, [n]).ToArray<long>();
            else continue;
            TorchRandomData.AssertMatches(c, got, "global " + TorchRandomData.Label(c));
        }
    }
}
