using System.Globalization;
using System.Text;
using System.Text.Json;
using Framework.Autograd;

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

    private const double Float64Tolerance = 1e-12;
    private const double Float32Tolerance = 1e-6;
    /// <summary>The absolute slack near zero: none to speak of, so that tiny results are checked to full relative precision.</summary>
    private const double Tiny = 1e-300;

    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(Load);

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        var leaves = c.GetProperty("inputs").EnumerateArray().Select(ToTensor).ToArray();
        bool transpose = c.GetProperty("transpose").GetBoolean();
        var args = leaves.Select(t => transpose ? t.T() : t).ToArray();
        int? decimals = c.TryGetProperty("decimals", out var d) ? d.GetInt32() : null;
        var output = Ops[c.GetProperty("op").GetString()!](args, decimals);

        var problems = new List<string>();
        // A Float32 anywhere (e.g. the gradient of a Float64 0-d input, summed in Float32) limits the whole case to Float32's precision.
        bool anyFloat32 = c.GetProperty("inputs").EnumerateArray().Append(c.GetProperty("output"))
            .Any(t => t.GetProperty("dtype").GetString() == "float32");
        Compare("output", c.GetProperty("output"), output, problems, anyFloat32);
        if (c.TryGetProperty("grad_fn", out var gradFn) && output.GradFn?.Name != gradFn.GetString())
            problems.Add($"grad_fn: expected {gradFn.GetString()}, got {output.GradFn?.Name ?? "null"}");
        if (!c.TryGetProperty("grad_fn", out _) && output.RequiresGrad) problems.Add("output requires grad; torch's does not");
        if (c.TryGetProperty("upstream", out var upstream))
        {
            output.Backward(ToTensor(upstream));
            var grads = c.GetProperty("grads").EnumerateArray().ToArray();
            for (int i = 0; i < leaves.Length; i++)
            {
                if (grads[i].ValueKind == JsonValueKind.Null) { if (leaves[i].Grad is not null) problems.Add($"grad[{i}]: expected None"); continue; }
                if (leaves[i].Grad is null) { problems.Add($"grad[{i}]: expected a gradient, got null"); continue; }
                Compare($"grad[{i}]", grads[i], leaves[i].Grad!, problems, anyFloat32);
            }
        }
        Assert.True(problems.Count == 0, $"{name} disagrees with PyTorch:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryOpHasCasesInBothFloatDTypes()
    {
        foreach (var op in Ops.Keys)
            foreach (var dtype in new[] { "float32", "float64" })
                Assert.Contains(Cases.Value.Values, c => c.GetProperty("op").GetString() == op
                    && c.GetProperty("output").GetProperty("dtype").GetString() == dtype);
        Assert.Empty(Cases.Value.Values.Select(c => c.GetProperty("op").GetString()!).Except(Ops.Keys));
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

    // ---- the reference file ----

    /// <summary>Checks dtype, shape and values: floats within rtol·|expected| (Float32's rtol in a case with any Float32); NaN must be NaN, infinities equal.</summary>
    private static void Compare(string what, JsonElement expected, Tensor got, List<string> problems, bool float32Case)
    {
        var dtype = expected.GetProperty("dtype").GetString();
        if (TorchName(got.DType) != dtype) { problems.Add($"{what}: dtype expected {dtype}, got {TorchName(got.DType)}"); return; }
        var shape = expected.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        if (!shape.SequenceEqual(got.Shape))
        {
            problems.Add($"{what}: shape expected [{string.Join(", ", shape)}], got [{string.Join(", ", got.Shape)}]");
            return;
        }
        var values = expected.GetProperty("values").EnumerateArray().ToArray();
        if (dtype is "int64" or "bool")
        {
            var e = values.Select(v => dtype == "bool" ? (v.GetBoolean() ? 1L : 0L) : v.GetInt64()).ToArray();
            var g = dtype == "bool" ? got.ToArray<bool>().Select(b => b ? 1L : 0L).ToArray() : got.ToArray<long>();
            if (!e.SequenceEqual(g)) problems.Add($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", g)}]");
            return;
        }
        double rtol = dtype == "float32" || float32Case ? Float32Tolerance : Float64Tolerance;
        var ev = values.Select(Number).ToArray();
        var gv = got.ToArray<double>();
        var bad = new StringBuilder();
        for (int i = 0; i < ev.Length; i++)
        {
            bool close = ev[i] == gv[i] || (double.IsNaN(ev[i]) && double.IsNaN(gv[i]))
                || Math.Abs(gv[i] - ev[i]) <= rtol * Math.Abs(ev[i]) + Tiny;
            if (!close) bad.Append(CultureInfo.InvariantCulture, $"\n  [{i}] expected {ev[i]:R}, got {gv[i]:R}");
        }
        if (bad.Length > 0) problems.Add($"{what}: differing elements:{bad}");
    }

    private static double Number(JsonElement v) => v.ValueKind != JsonValueKind.String ? v.GetDouble() : v.GetString() switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        var s => throw new FormatException(s),
    };

    private static string TorchName(DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        _ => "bool",
    };

    private static Tensor ToTensor(JsonElement t)
    {
        var shape = t.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var values = t.GetProperty("values").EnumerateArray().ToArray();
        bool requiresGrad = t.TryGetProperty("requires_grad", out var r) && r.GetBoolean();
        return t.GetProperty("dtype").GetString() switch
        {
            "float64" => Tensor.FromArray(values.Select(Number).ToArray(), shape, requiresGrad),
            "float32" => Tensor.FromArray(values.Select(v => (float)Number(v)).ToArray(), shape, requiresGrad),
            "int64" => Tensor.FromArray(values.Select(v => v.GetInt64()).ToArray(), shape),
            "bool" => Tensor.FromArray(values.Select(v => v.GetBoolean()).ToArray(), shape),
            var other => throw new NotSupportedException($"dtype {other}"),
        };
    }

    private static Dictionary<string, JsonElement> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "elementwise", "elementwise_cases.json");
        var root = JsonDocument.Parse(File.ReadAllText(path)).RootElement;
        return root.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
    }
}
