using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>Cumsum, Cumprod, Sort, Argsort, Topk, Var, Std, Prod, LogSumExp, Any and All: errors, overloads and behaviour beyond the reference cases (SortingReferenceTests).</summary>
public class SortingTests
{
    // ---- errors ----

    [Fact]
    public void DimOutOfRange_IsRefusedNamingTheRange()
    {
        var x = Tensor.Ones(2, 3);
        const string Expected = "Dimension out of range (expected to be in range of [-2, 1], but got 2) (Parameter 'dim')";
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Cumsum(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Cumprod(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Sort(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Argsort(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Topk(1, 2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Var(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Std(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Prod(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.LogSumExp(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.Any(2)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentOutOfRangeException>(() => x.All(2)).Message);
        Assert.Equal("Dimension out of range (expected to be in range of [-1, 0], but got -2) (Parameter 'dim')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.From(1.0).Cumsum(-2)).Message);
    }

    [Fact]
    public void Topk_RefusesKOutOfRange()
    {
        var x = Tensor.Ones(2, 3);
        Assert.Equal("selected index k out of range: k = 4 for dimension 1 of size 3 (input shape [2, 3]) (Parameter 'k')",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Topk(4)).Message);
        Assert.Equal("selected index k out of range: k = -1 for dimension 0 of size 2 (input shape [2, 3]) (Parameter 'k')",
            Assert.Throws<ArgumentOutOfRangeException>(() => x.Topk(-1, dim: 0)).Message);
        Assert.Equal("selected index k out of range: k = 2 for dimension 0 of size 1 (input shape []) (Parameter 'k')",
            Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.From(1.0).Topk(2)).Message);
    }

    [Fact]
    public void Topk_RefusesBool()
        => Assert.Equal("\"topk\" not implemented for 'Bool' (input dtype torch.bool)",
            Assert.Throws<ArgumentException>(() => Tensor.From([true, false]).Topk(1)).Message);

    [Fact]
    public void VarAndStd_RefuseIntegers()
    {
        var x = Tensor.From(new long[] { 1, 2, 3 });
        const string Expected = "std and var only support floating point and complex dtypes (got torch.int64)";
        Assert.Equal(Expected, Assert.Throws<ArgumentException>(() => x.Var()).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentException>(() => x.Var(0)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentException>(() => x.Var([0], unbiased: false)).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentException>(() => x.Std()).Message);
        Assert.Equal(Expected, Assert.Throws<ArgumentException>(() => x.Std([0])).Message);
    }

    [Fact]
    public void RepeatedDims_AreRefused()
    {
        var x = Tensor.Ones(2, 3);
        // PyTorch names the wrapped dim ("dim 0"); NormalizeDims in Reduce.cs names it as given, as Sum's tests expect
        Assert.Equal("dim -2 appears multiple times in the list of dims", Assert.Throws<ArgumentException>(() => x.LogSumExp([0, -2])).Message);
        Assert.Equal("dim 1 appears multiple times in the list of dims", Assert.Throws<ArgumentException>(() => x.Std([1, 1])).Message);
    }

    // ---- overloads and behaviour ----

    [Fact]
    public void VarAndStdOverloads_ResolveWithoutAmbiguity()
    {
        var x = Tensor.FromArray(new double[] { 1, 2, 4, 7, 11, 16 }, [2, 3]);
        double all = x.Var().Item<double>();
        Assert.Equal(all, x.Var(true).Item<double>(), 12);
        Assert.Equal(all, x.Var(dim: null).Item<double>(), 12);
        Assert.Equal(all, x.Var([]).Item<double>(), 12);
        Assert.Equal(all * 5 / 6, x.Var(false).Item<double>(), 12);
        Assert.Equal(all * 5 / 6, x.Var(correction: 0).Item<double>(), 12);
        Assert.Equal(x.Var([0]).ToArray<double>(), x.Var(0).ToArray<double>());
        Assert.Equal(x.Var([0], unbiased: false).ToArray<double>(), x.Var(0, 0).ToArray<double>());
        Assert.Equal([2, 1], x.Var(1, keepDim: true).Shape);
        Assert.Equal([1, 3], x.Var([0], true, true).Shape);
        Assert.Equal(Math.Sqrt(all), x.Std().Item<double>(), 12);
        Assert.Equal(Math.Sqrt(all), x.Std(true).Item<double>(), 12);
        Assert.Equal(Math.Sqrt(all * 5 / 6), x.Std(false).Item<double>(), 12);
        Assert.Equal(x.Std([1]).ToArray<double>(), x.Std(1).ToArray<double>());
        Assert.Equal(x.Std([1], unbiased: false).ToArray<double>(), x.Std(-1, correction: 0).ToArray<double>());
        Assert.Equal(all, Tensor.Var(x).Item<double>(), 12);
        Assert.Equal(Math.Sqrt(all), Tensor.Std(x).Item<double>(), 12);
    }

    [Fact]
    public void Sort_IsStableOnLongRowsWithTies()
    {
        var rng = new System.Random(7);
        var values = new long[500];
        for (int i = 0; i < values.Length; i++) values[i] = rng.Next(5);
        var (v, idx) = Tensor.From(values).Sort(descending: true);
        var expected = Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ToArray();   // OrderBy is stable
        Assert.Equal(expected.Select(i => (long)i), idx.ToArray<long>());
        Assert.Equal(expected.Select(i => values[i]), v.ToArray<long>());
        Assert.Equal(idx.ToArray<long>(), Tensor.Argsort(Tensor.From(values), descending: true).ToArray<long>());
    }

    [Fact]
    public void Topk_OnTiesTakesTheEarlierPosition()
    {
        var (v, idx) = Tensor.From(new double[] { 1, 3, 3, 2, 3 }).Topk(2);
        Assert.Equal([3.0, 3.0], v.ToArray<double>());
        Assert.Equal([1L, 2L], idx.ToArray<long>());
    }

    [Fact]
    public void Topk_UnsortedReturnsTheSameElements()
    {
        var x = Tensor.From(new double[] { 0.5, 4, -1, 3, 2 });
        var (v, idx) = x.Topk(3, sorted: false);
        Assert.Equal([4.0, 3.0, 2.0], v.ToArray<double>().OrderDescending());
        Assert.Equal([1L, 3L, 4L], idx.ToArray<long>().Order());
    }

    [Fact]
    public void StaticTwins_MatchTheMethods()
    {
        var x = Tensor.FromArray(new double[] { 3, -1, 2, 0.5, 4, -2 }, [2, 3]);
        Assert.Equal(x.Cumsum(1).ToArray<double>(), Tensor.Cumsum(x, 1).ToArray<double>());
        Assert.Equal(x.Cumprod(0).ToArray<double>(), Tensor.Cumprod(x, 0).ToArray<double>());
        Assert.Equal(x.Sort(0).Values.ToArray<double>(), Tensor.Sort(x, 0).Values.ToArray<double>());
        Assert.Equal(x.Topk(2).Indices.ToArray<long>(), Tensor.Topk(x, 2).Indices.ToArray<long>());
        Assert.Equal(x.Prod().Item<double>(), Tensor.Prod(x).Item<double>());
        Assert.Equal(x.LogSumExp(1).ToArray<double>(), Tensor.LogSumExp(x, 1).ToArray<double>());
    }

    [Fact]
    public void IndicesAndBooleans_DoNotRequireGrad()
    {
        var x = Tensor.Randn([3, 4], requiresGrad: true);
        Assert.False(x.Sort().Indices.RequiresGrad);
        Assert.False(x.Argsort().RequiresGrad);
        Assert.False(x.Topk(2).Indices.RequiresGrad);
        Assert.False(x.Any().RequiresGrad);
        Assert.False(x.All(1).RequiresGrad);
        Assert.Equal(DType.Bool, x.Any(0, keepDim: true).DType);
        Assert.Equal([1, 4], x.All(0, keepDim: true).Shape);
    }

    [Fact]
    public void CumprodWithZeros_BackwardWithCreateGraphMatchesPlainBackward()
    {
        var x = Tensor.From(new double[] { 2, 0, 3, 0, 5 }, requiresGrad: true);
        var w = Tensor.From(new double[] { 0.5, -1, 2, 1.5, -0.25 });
        var plain = Autograd.Grad([(x.Cumprod(0) * w).Sum()], [x])[0]!;
        var recorded = Autograd.Grad([(x.Cumprod(0) * w).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal(plain.ToArray<double>(), recorded.ToArray<double>());
        Assert.True(recorded.RequiresGrad);
        // ∂/∂x1 of Σ w·cumprod(x) = w1·x0 + w2·x0·x2 + ... with x3 = 0: 2·(−1) + 2·2·3 = 10
        Assert.Equal(10.0, plain.ToArray<double>()[1], 12);
    }

    [Fact]
    public void CumprodWithRandomZeros_KernelBackwardMatchesTheRecordedOne()
    {
        var rng = new System.Random(11);
        var data = new double[3 * 7 * 4];
        for (int i = 0; i < data.Length; i++) data[i] = rng.Next(4) == 0 ? 0 : rng.NextDouble() * 4 - 2;
        for (int dim = -3; dim < 3; dim++)
        {
            var x = Tensor.FromArray(data, [3, 7, 4], requiresGrad: true);
            var w = Tensor.Randn([3, 7, 4], dtype: DType.Float64, generator: new Generator(dim + 5));
            var plain = Autograd.Grad([(x.Transpose(0, 2).Cumprod(dim) * w.Transpose(0, 2)).Sum()], [x])[0]!;
            var recorded = Autograd.Grad([(x.Transpose(0, 2).Cumprod(dim) * w.Transpose(0, 2)).Sum()], [x], createGraph: true)[0]!;
            Assert.True(plain.AllClose(recorded, rtol: 1e-12, atol: 1e-12), $"dim {dim}");
        }
    }
}
