using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;
using Xunit.Abstractions;

namespace Tests.Reliability;

/// <summary>
/// Issue 11, tensors: values at the edges (empty dims, infinities, NaN, scalars a dtype cannot hold) come out as PyTorch 1.13's,
/// or are refused as PyTorch refuses them. The expected values are PyTorch's: its softmax kernels subtract the row maximum with
/// no special case, so a row holding +inf or NaN, or only −inf, is NaN throughout; an empty sum is 0 and an empty mean NaN.
/// </summary>
public class NumericEdgeTests(ITestOutputHelper output)
{
    private const double Inf = double.PositiveInfinity, NaN = double.NaN;

    private static string Throws<TException>(Func<object?> f, params string[] parts) where TException : Exception
    {
        var e = Assert.Throws<TException>(() => f());
        foreach (var p in parts) Assert.Contains(p, e.Message);
        return e.Message;
    }

    // ---- reductions over a 0-size dim ----

    [Fact]
    public void ReductionsOverAnEmptyDimGivePyTorchsValues()
    {
        Assert.Equal([0.0, 0, 0], Tensor.Zeros([0, 3], DType.Float64).Sum(0).ToArray<double>());
        Assert.Equal([0L, 0, 0], Tensor.Zeros([0, 3], DType.Int64).Sum(0).ToArray<long>());
        Assert.Equal([NaN, NaN, NaN], Tensor.Zeros([0, 3], DType.Float64).Mean(0).ToArray<double>());
        Assert.Equal([NaN, NaN, NaN], Tensor.Zeros([0, 3], DType.Float64).Var([0]).ToArray<double>());
        Assert.Equal(new double[6], Tensor.Zeros([3, 0, 2], DType.Float64).Sum(1).ToArray<double>());
        Assert.Equal([3, 1, 2], Tensor.Zeros(3, 0, 2).Sum(1, keepDim: true).Shape);
        Assert.True(double.IsNaN(Tensor.Zeros(0, 3).Mean().Item<double>()));
        Assert.Equal(0f, Tensor.Zeros(0, 3).Sum().Item());
        Assert.Equal(0f, Tensor.Zeros(0, 3).Norm().Item());
        Assert.Equal([0, 3], Tensor.Zeros(0, 3).Softmax(0).Shape);
        Assert.Equal([3, 0], Tensor.Zeros(3, 0).LogSoftmax(1).Shape);
        Assert.Equal([0], Tensor.Zeros(0, 3).Max(1).Values.Shape);        // the empty dim is not the reduced one
        Assert.Equal([0], Tensor.Zeros(0, 3).Argmin(1).Shape);
    }

    [Fact]
    public void MaxMinArgmaxRefuseAnEmptyReductionDim()
    {
        var x = Tensor.Zeros(0, 3);
        Throws<ArgumentException>(() => x.Max(0), "max(): Expected reduction dim 0 to have non-zero size.", "[0, 3]");
        Throws<ArgumentException>(() => x.Min(0, keepDim: true), "min(): Expected reduction dim 0 to have non-zero size.");
        Throws<ArgumentException>(() => x.Argmax(0), "argmax(): Expected reduction dim 0 to have non-zero size.");
        Throws<ArgumentException>(() => Tensor.Zeros(3, 0).Argmin(-1), "argmin(): Expected reduction dim 1 to have non-zero size.");
        Throws<ArgumentException>(() => x.Max(), "max(): Expected reduction dim to be specified for input.numel() == 0.");
    }

    public static TheoryData<string, int[], int> EmptyCases()
    {
        var data = new TheoryData<string, int[], int>();
        foreach (var op in Reductions.Keys)
            foreach (var (shape, dim) in new (int[], int)[] { ([0, 3], 0), ([0, 3], 1), ([3, 0], 0), ([3, 0], 1), ([2, 0, 3], 1), ([2, 0, 3], 2) })
                data.Add(op, shape, dim);
        return data;
    }

    private static readonly Dictionary<string, Func<Tensor, int, Tensor>> Reductions = new()
    {
        ["sum"] = (x, d) => x.Sum(d),
        ["sum_keepdim"] = (x, d) => x.Sum(d, keepDim: true),
        ["mean"] = (x, d) => x.Mean(d),
        ["var"] = (x, d) => x.Var([d]),
        ["softmax"] = (x, d) => x.Softmax(d),
        ["log_softmax"] = (x, d) => x.LogSoftmax(d),
        ["max"] = (x, d) => x.Max(d).Values,
        ["min_keepdim"] = (x, d) => x.Min(d, keepDim: true).Values,
        ["norm"] = (x, d) => x.Norm(),
    };

    [Theory]
    [MemberData(nameof(EmptyCases))]
    public void ReductionsOnTensorsWithAnEmptyDim_ForwardAndBackward(string op, int[] shape, int dim)
    {
        var x = Tensor.Zeros(shape, DType.Float64, requiresGrad: true);
        if (op is "max" or "min_keepdim" && shape[dim] == 0)
        {
            Throws<ArgumentException>(() => Reductions[op](x, dim), $"Expected reduction dim {dim} to have non-zero size.");
            return;
        }
        var y = Reductions[op](x, dim);
        y.Sum().Backward();
        Assert.Equal(shape, x.Grad!.Shape);
        if (op == "mean" && shape[dim] == 0) Assert.All(y.ToArray<double>(), v => Assert.True(double.IsNaN(v)));
        if (op.StartsWith("sum") && shape[dim] == 0) Assert.All(y.ToArray<double>(), v => Assert.Equal(0.0, v));
    }

    // ---- softmax family with infinities and NaN ----

    public static TheoryData<double[], double[], double[]> SoftmaxRows => new()
    {
        // input, torch.softmax(x, 0), torch.log_softmax(x, 0) (PyTorch 1.13, float64)
        { [Inf, 1, 2], [NaN, NaN, NaN], [NaN, NaN, NaN] },
        { [double.NegativeInfinity, double.NegativeInfinity], [NaN, NaN], [NaN, NaN] },
        { [NaN, 1, 2], [NaN, NaN, NaN], [NaN, NaN, NaN] },
        { [double.NegativeInfinity, 1, 2], [0, 0.2689414213699951, 0.7310585786300049], [double.NegativeInfinity, -1.3132616875182228, -0.31326168751822286] },
        { [1000, 0], [1, 0], [0, -1000] },
    };

    [Theory]
    [MemberData(nameof(SoftmaxRows))]
    public void SoftmaxAndLogSoftmaxMatchPyTorchOnInfAndNaN(double[] x, double[] softmax, double[] logSoftmax)
    {
        AssertClose(softmax, Tensor.From(x).Softmax(0).ToArray<double>());
        AssertClose(logSoftmax, Tensor.From(x).LogSoftmax(0).ToArray<double>());
        // the same row along dim 0 of a column (the strided kernel path) and in Float32
        AssertClose(softmax, Tensor.From(x).Reshape(-1, 1).Expand(x.Length, 2).Softmax(0).Select(1, 1).ToArray<double>());
        AssertClose(logSoftmax, Tensor.From(x).Float().LogSoftmax(-1).ToArray<double>(), 1e-6);
    }

    [Fact]
    public void CrossEntropyOfAnInfiniteLogitIsNaN_AsPyTorch()
    {
        var logits = Tensor.From(new double[,] { { Inf, 1, 2 }, { 0, 1, 2 } });
        var loss = Functional.CrossEntropy(logits, Tensor.From(new long[] { 0, 2 }), Reduction.None).ToArray<double>();
        Assert.True(double.IsNaN(loss[0]));
        Assert.Equal(0.40760596444437555, loss[1], 1e-12);                 // the finite row is untouched
    }

    private static void AssertClose(double[] expected, double[] actual, double tol = 1e-12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]) || double.IsInfinity(expected[i])) Assert.Equal(expected[i], actual[i]);
            else Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"element {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    // ---- scalars a dtype cannot hold ----

    [Fact]
    public void FullRefusesAValueTheDTypeCannotHold()
    {
        Throws<ArgumentException>(() => Tensor.Full([2], NaN, DType.Int64), "value cannot be converted to type int64_t without overflow", "value nan");
        Throws<ArgumentException>(() => Tensor.Full([2], 1e30, DType.Int64), "value cannot be converted to type int64_t without overflow", "value 1e+30");
        Throws<ArgumentException>(() => Tensor.Full([2], double.NegativeInfinity, DType.Int64), "value -inf");
        Throws<ArgumentException>(() => Tensor.Full([2], 9223372036854775808.0, DType.Int64), "int64_t");
        Throws<ArgumentException>(() => Tensor.Full([2], 1e300), "value cannot be converted to type float without overflow", "torch.float32");
        Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64).Fill_(NaN), "int64_t");
        Throws<ArgumentException>(() => Tensor.Zeros([2], DType.Int64).Zero_().Fill_(Inf), "value inf");
        // what PyTorch accepts: fractions truncate, any value is a bool, floats hold their infinities and NaN
        Assert.Equal([2L, 2L], Tensor.Full([2], 2.7, DType.Int64).ToArray<long>());
        Assert.Equal([long.MinValue], Tensor.Full([1], -9223372036854775808.0, DType.Int64).ToArray<long>());
        Assert.Equal([true, true], Tensor.Full([2], NaN, DType.Bool).ToArray<bool>());
        Assert.Equal([Inf], Tensor.Full([1], Inf).ToArray<double>());
        Assert.Equal([1e300], Tensor.Full([1], 1e300, DType.Float64).ToArray<double>());
    }

    [Fact]
    public void ComparingIntegersWithScalarsTheyCannotHoldStillWorks()
    {
        var i = Tensor.Arange(3L);
        Assert.Equal([false, false, false], i.Eq(1e30).ToArray<bool>());
        Assert.Equal([true, true, true], i.Lt(Inf).ToArray<bool>());
        Assert.Equal([true, true, true], i.Gt(double.NegativeInfinity).ToArray<bool>());
        Assert.Equal([false, false, false], i.Eq(NaN).ToArray<bool>());
        Assert.Equal([true, true, true], Tensor.Ones(3).Lt(1e300).ToArray<bool>());
        Assert.Equal([false, true, true], i.Ge(0.5).ToArray<bool>());
    }

    // ---- arange ----

    [Fact]
    public void ArangeRefusesBadRangesAsPyTorch()
    {
        Throws<ArgumentException>(() => Tensor.Arange(0, NaN), "unsupported range: 0 -> nan");
        Throws<ArgumentException>(() => Tensor.Arange(NaN, 5), "unsupported range: nan -> 5");
        Throws<ArgumentException>(() => Tensor.Arange(0, Inf), "unsupported range: 0 -> inf");
        Throws<ArgumentException>(() => Tensor.Arange(0, 5, 0), "step must be nonzero", "step 0");
        Throws<ArgumentException>(() => Tensor.Arange(0, 5, NaN), "step must be nonzero", "step nan");
        Throws<ArgumentException>(() => Tensor.Arange(0, 5, Inf), "unsupported range step: inf");
        Throws<ArgumentException>(() => Tensor.Arange(0, 5, -1), "upper bound and larger bound inconsistent with step sign", "end 5, step -1");
        Throws<ArgumentException>(() => Tensor.Arange(5, 0, 1), "upper bound and larger bound inconsistent with step sign");
        Throws<ArgumentException>(() => Tensor.Arange(-1L), "upper bound and larger bound inconsistent with step sign", "end -1");
        Throws<ArgumentException>(() => Tensor.Arange(0, 1e10), "10000000000 elements", "2147483591");
        Throws<ArgumentException>(() => Tensor.Arange(5_000_000_000L), "5000000000 elements");
        Assert.Empty(Tensor.Arange(5, 5).ToArray());
        Assert.Equal([5f, 3f, 1f], Tensor.Arange(5, 0, -2).ToArray());
    }

    [Fact]
    public void RandomCreationRefusesBadArguments()
    {
        Throws<ArgumentException>(() => Tensor.RandInt(3, 3, [2]), "random_ expects 'from' to be less than 'to', but got from=3 >= to=3");
        Throws<ArgumentException>(() => Tensor.Zeros(3).Normal_(0, -1), "normal expects std >= 0.0, but found std -1");
        Throws<ArgumentException>(() => Tensor.Zeros(3).Uniform_(1, 0), "uniform_ expects to return a [from, to) range, but found from=1 > to=0");
        Throws<ArgumentException>(() => Tensor.Zeros(3).Uniform_(0, Inf), "to=inf");
        Throws<ArgumentException>(() => Tensor.Zeros([3], DType.Int64).Uniform_(), "\"uniform_\" is only defined for floating point dtypes");
    }

    [Fact]
    public void ClampOfInt64FollowsTheBoundsKindAsPyTorch()
    {
        // PyTorch 1.13 on torch.tensor([1, 2, 3]): float bounds give float32 (NaN bounds NaN), int bounds keep int64.
        var t = Tensor.From(new long[] { 1, 2, 3 });
        void Check(Tensor r, DType dtype, float[] want)
        {
            Assert.Equal(dtype, r.DType);
            Assert.Equal(want, r.ToArray());
        }
        Check(t.Clamp(double.NaN, 10), DType.Float32, [float.NaN, float.NaN, float.NaN]);
        Check(t.Clamp(0, double.NaN), DType.Float32, [float.NaN, float.NaN, float.NaN]);
        Check(t.Clamp(1.5, 10), DType.Float32, [1.5f, 2, 3]);
        Check(t.Clamp(double.NegativeInfinity, 2.5), DType.Float32, [1, 2, 2.5f]);
        Check(t.Clamp(1.0, 2.0), DType.Float32, [1, 2, 2]);
        Check(t.Clamp(1, 2), DType.Int64, [1, 2, 2]);
        Check(t.Clamp(3, 1), DType.Int64, [1, 1, 1]);
        // Integral bounds stay exact past 2^53, where a double would round them.
        long big = (1L << 60) + 3;
        Assert.Equal([big, big, (1L << 61)], Tensor.From(new long[] { (1L << 60) + 1, -5, long.MaxValue }).Clamp(big, 1L << 61).ToArray<long>());
        // A floating tensor takes integral bounds in its own dtype.
        Check(Tensor.From(new float[] { -2.5f, 0.5f, 7 }).Clamp(-1, 5), DType.Float32, [-1, 0.5f, 5]);
        Assert.Equal("Clamp is not supported for torch.bool tensors.",
            Assert.Throws<ArgumentException>(() => Tensor.From(new[] { true }).Clamp(0, 1)).Message);
    }

    [Fact]
    public void RandomFillsRefuseOverlapsAndLeavesBeforeDrawing()
    {
        // A refused fill draws nothing: the generator then gives what a fresh one of the same seed gives.
        var g = new Generator(5);
        var expanded = Tensor.Zeros(1, 3).Expand(2, 3);
        const string overlap = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation. (shape [2, 3], strides [0, 1])";
        Assert.Equal(overlap, Assert.Throws<InvalidOperationException>(() => expanded.Uniform_(generator: g)).Message);
        Assert.Equal(overlap, Assert.Throws<InvalidOperationException>(() => expanded.Normal_(generator: g)).Message);
        var leaf = Tensor.Zeros(3).RequiresGrad_();
        Assert.Equal("a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => leaf.Uniform_(generator: g)).Message);
        Assert.Equal(Tensor.Rand([4], generator: new Generator(5)).ToArray(), Tensor.Rand([4], generator: g).ToArray());
    }

    // ---- fuzzers (fixed seed, bounded count) ----

    /// <summary>Random (start, end, step) triples with NaN, infinities, zero and both signs: arange has ⌈(end − start)/step⌉ elements, or refuses with PyTorch's message.</summary>
    [Fact]
    public void Fuzz_Arange()
    {
        var rng = new System.Random(1104);
        double[] special = [NaN, Inf, double.NegativeInfinity, 0, -0.0, 1e10, -1e10, 0.5, -0.5, 3, -3, 1e-3];
        double Pick() => rng.Next(3) == 0 ? special[rng.Next(special.Length)] : Math.Round(rng.NextDouble() * 40 - 20, rng.Next(3));
        var sw = Stopwatch.StartNew();
        int n = 0;
        for (; n < 3000; n++)
        {
            double start = Pick(), end = Pick(), step = Pick();
            Func<object?> f = () => Tensor.Arange(start, end, step);
            if (!(step > 0 || step < 0)) Throws<ArgumentException>(f, "step must be nonzero");
            else if (!double.IsFinite(start) || !double.IsFinite(end)) Throws<ArgumentException>(f, "unsupported range: ");
            else if (!double.IsFinite(step)) Throws<ArgumentException>(f, "unsupported range step");
            else if (step > 0 ? end < start : end > start) Throws<ArgumentException>(f, "inconsistent with step sign");
            else if (Math.Ceiling((end - start) / step) > Array.MaxLength) Throws<ArgumentException>(f, "elements", "Array.MaxLength");
            else if (Math.Ceiling((end - start) / step) <= 100_000)
            {
                var a = ((Tensor)f()!).ToArray();
                Assert.Equal((int)Math.Ceiling((end - start) / step), a.Length);
                if (a.Length > 0) Assert.Equal((float)start, a[0]);
            }
        }
        output.WriteLine($"{n} arange cases in {sw.ElapsedMilliseconds} ms");
    }

    /// <summary>Random fill values near every dtype's limits: the tensor holds the converted value, or Full refuses naming the C++ type and the value.</summary>
    [Fact]
    public void Fuzz_FullConversion()
    {
        var rng = new System.Random(1105);
        double[] special = [NaN, Inf, double.NegativeInfinity, 9223372036854775808.0, -9223372036854775808.0, 9.2233720368547748e18,
                            -9.2233720368547779e18, float.MaxValue, -(double)float.MaxValue, 3.5e38, -3.5e38, 1e300, double.MaxValue, double.Epsilon, -2.5, 0];
        DType[] dtypes = [DType.Float32, DType.Float64, DType.Int64, DType.Bool];
        var sw = Stopwatch.StartNew();
        int n = 0;
        for (; n < 4000; n++)
        {
            double v = rng.Next(2) == 0 ? special[rng.Next(special.Length)] : (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(0, 40));
            var dtype = dtypes[rng.Next(dtypes.Length)];
            bool refuse = dtype switch
            {
                DType.Int64 => !(v >= -9223372036854775808.0 && v < 9223372036854775808.0),
                DType.Float32 => double.IsFinite(v) && Math.Abs(v) > float.MaxValue,
                _ => false,
            };
            if (refuse)
            {
                Throws<ArgumentException>(() => Tensor.Full([2], v, dtype), "without overflow", dtype == DType.Int64 ? "int64_t" : "type float");
                Throws<ArgumentException>(() => Tensor.Zeros([1], dtype).Fill_(v), "without overflow");
                continue;
            }
            var t = Tensor.Full([2], v, dtype);
            switch (dtype)
            {
                case DType.Int64: Assert.Equal((long)Math.Truncate(v), t[1].Item<long>()); break;
                case DType.Bool: Assert.Equal(v != 0, t[1].Item<bool>()); break;
                case DType.Float32: Assert.Equal((float)v, t[1].Item<float>()); break;
                default: Assert.Equal(v, t[1].Item<double>()); break;
            }
        }
        output.WriteLine($"{n} fill cases in {sw.ElapsedMilliseconds} ms");
    }
}
