using Framework.Autograd;
using Tests.Reference;

namespace Tests.AutogradTests;

/// <summary>
/// The elementwise families (rounding, exp/log, trigonometric and hyperbolic, atan2, minimum/maximum) against PyTorch 1.13:
/// forward values, dtypes, input gradients and grad_fn names from Data/elementwise/make_elementwise.py; then their errors.
/// </summary>
public class ElementwiseTests
{
    /// <summary>Each op of make_elementwise.py in our API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], int?, Tensor>> Ops = new()
    {
        ["floor"] = (a, _) => a[0].Floor(),
        ["ceil"] = (a, _) => a[0].Ceil(),
        ["round"] = (a, d) => d is int decimals ? a[0].Round(decimals) : a[0].Round(),
        ["trunc"] = (a, _) => a[0].Trunc(),
        ["frac"] = (a, _) => a[0].Frac(),
        ["rsqrt"] = (a, _) => a[0].Rsqrt(),
        ["log1p"] = (a, _) => a[0].Log1p(),
        ["expm1"] = (a, _) => a[0].Expm1(),
        ["log2"] = (a, _) => a[0].Log2(),
        ["log10"] = (a, _) => a[0].Log10(),
        ["tan"] = (a, _) => a[0].Tan(),
        ["tanh"] = (a, _) => a[0].Tanh(),   // existing op; its kernel is checked here at tiny arguments
        ["sinh"] = (a, _) => a[0].Sinh(),
        ["cosh"] = (a, _) => a[0].Cosh(),
        ["asin"] = (a, _) => a[0].Asin(),
        ["acos"] = (a, _) => a[0].Acos(),
        ["atan"] = (a, _) => a[0].Atan(),
        ["asinh"] = (a, _) => a[0].Asinh(),
        ["acosh"] = (a, _) => a[0].Acosh(),
        ["atanh"] = (a, _) => a[0].Atanh(),
        ["atan2"] = (a, _) => Tensor.Atan2(a[0], a[1]),
        ["minimum"] = (a, _) => Tensor.Minimum(a[0], a[1]),
        ["maximum"] = (a, _) => a[0].Maximum(a[1]),
    };

    /// <summary>Float64 to 1e-12 relative, with no absolute slack to speak of, so that tiny results are checked to full precision.</summary>
    private static readonly ReferenceCases.Tolerance Precise = new(Float64: 1e-12, Float32: 1e-6, Absolute: 1e-300);

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("elementwise", "elementwise_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        ReferenceCases.AssertMatches(name, c, a => Ops[c.Op!](c.Transpose ? a.Select(t => t.T()).ToArray() : a, c.Decimals), Precise);
    }

    [Fact]
    public void EveryOpHasCasesInBothFloatDTypes()
    {
        foreach (var op in Ops.Keys)
            foreach (var dtype in new[] { "float32", "float64" })
                Assert.Contains(Cases.Value.Values, c => c.Op == op
                    && c.Output.Dtype == dtype);
        Assert.Empty(Cases.Value.Values.Select(c => c.Op!).Except(Ops.Keys));
    }

    // ---- integers and the results' dtypes ----

    [Fact]
    public void RoundingAnInt64TensorReturnsACopy()
    {
        var x = Tensor.FromArray(new long[] { 1, -2, 3, 4 }, [2, 2]).T();
        foreach (var y in new[] { x.Floor(), x.Ceil(), x.Round(), x.Trunc() })
        {
            Assert.Equal(DType.Int64, y.DType);
            Assert.Equal(new long[] { 1, 3, -2, 4 }, y.ToArray<long>());
            Assert.True(y.IsContiguous);
        }
        var z = Tensor.FromArray(new long[] { 5 }, [1]);
        var c = z.Floor();
        c.AsSpan<long>()[0] = 9;
        Assert.Equal(5, z.ToArray<long>()[0]);
    }

    [Fact]
    public void RoundingWithoutGradKeepsNoGraph()
    {
        var x = Tensor.FromArray(new double[] { 0.5, 1.5 }, [2], requiresGrad: true);
        using (new NoGrad()) Assert.Null(x.Floor().GradFn);
        Assert.Equal("FloorBackward0", x.Floor().GradFn!.Name);
    }

    [Fact]
    public void StaticTwinsEqualTheMethods()
    {
        var x = Tensor.FromArray(new double[] { 0.25, 0.5, 0.75 }, [3]);
        var y = Tensor.FromArray(new double[] { 0.5, 0.5, 0.5 }, [3]);
        Assert.Equal(x.Tan().ToArray<double>(), Tensor.Tan(x).ToArray<double>());
        Assert.Equal(x.Round(1).ToArray<double>(), Tensor.Round(x, 1).ToArray<double>());
        Assert.Equal(x.Maximum(y).ToArray<double>(), Tensor.Maximum(x, y).ToArray<double>());
        Assert.Equal(x.Minimum(y).ToArray<double>(), Tensor.Minimum(x, y).ToArray<double>());
        Assert.Equal(x.Atan2(y).ToArray<double>(), Tensor.Atan2(x, y).ToArray<double>());
    }

    [Fact]
    public void MaximumOfALargeTensorTakesTheVectorPathWithNaN()
    {
        var a = Tensor.Arange(1000.0).Double();
        var b = 999.0 - a;
        Dispatch(a, 7, double.NaN);
        Dispatch(b, 300, double.NaN);
        var max = a.Maximum(b).ToArray<double>();
        var min = a.Minimum(b).ToArray<double>();
        for (int i = 0; i < 1000; i++)
        {
            if (i is 7 or 300) { Assert.True(double.IsNaN(max[i]) && double.IsNaN(min[i]), $"{i}"); continue; }
            Assert.Equal(Math.Max(i, 999 - i), max[i]);
            Assert.Equal(Math.Min(i, 999 - i), min[i]);
        }

        static void Dispatch(Tensor t, int i, double v) => t.AsSpan<double>()[i] = v;
    }

    // ---- errors ----

    public static TheoryData<string, string> Errors => new()
    {
        { "frac int64", "\"frac_cpu\" not implemented for 'Long'" },
        { "frac bool", "\"frac_cpu\" not implemented for 'Bool'" },
        { "floor bool", "\"floor_vml_cpu\" not implemented for 'Bool'" },
        { "ceil bool", "\"ceil_vml_cpu\" not implemented for 'Bool'" },
        { "round bool", "\"round_vml_cpu\" not implemented for 'Bool'" },
        { "trunc bool", "\"trunc_vml_cpu\" not implemented for 'Bool'" },
        { "round decimals int64", "\"round_cpu\" not implemented for 'Long'" },
        { "round decimals bool", "\"round_cpu\" not implemented for 'Bool'" },
        { "minimum shapes", "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1: shapes [2, 3] and [4] cannot be broadcast." },
        { "maximum shapes", "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1: shapes [2, 3] and [4] cannot be broadcast." },
        { "atan2 shapes", "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0: shapes [2] and [3] cannot be broadcast." },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadInputIsRefusedWithPyTorchsMessage(string what, string message)
    {
        var ints = Tensor.FromArray(new long[] { 1, 2 }, [2]);
        var bools = Tensor.FromArray(new[] { true, false }, [2]);
        Func<Tensor> f = what switch
        {
            "frac int64" => () => ints.Frac(),
            "frac bool" => () => bools.Frac(),
            "floor bool" => () => bools.Floor(),
            "ceil bool" => () => bools.Ceil(),
            "round bool" => () => bools.Round(),
            "trunc bool" => () => bools.Trunc(),
            "round decimals int64" => () => ints.Round(2),
            "round decimals bool" => () => bools.Round(2),
            "minimum shapes" => () => Tensor.Ones([2, 3]).Minimum(Tensor.Ones([4])),
            "maximum shapes" => () => Tensor.Ones([2, 3]).Maximum(Tensor.Ones([4])),
            "atan2 shapes" => () => Tensor.Ones([2]).Atan2(Tensor.Ones([3])),
            _ => throw new ArgumentException(what),
        };
        var ex = Assert.Throws<ArgumentException>(() => f());
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void MinimumOfNullThrows() => Assert.Throws<ArgumentNullException>(() => Tensor.Ones([2]).Minimum(null!));
}
