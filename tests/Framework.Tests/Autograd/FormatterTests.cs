using System.Globalization;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Formatting;

/// <summary>Checks TensorFormatter against torch 1.13's str(t), recorded by Data/format/make_format.py.</summary>
public class FormatterTests
{
    /// <summary>One recorded case from format_cases.json.</summary>
    public sealed record FormatCase(string Name, DType DType, int[] Shape, string[] Values, string[] Suffixes, string Expected);

    /// <summary>All recorded cases, keyed by name, loaded once.</summary>
    private static readonly Lazy<Dictionary<string, FormatCase>> Cases = new(LoadCases);

    /// <summary>Reads the JSON written by make_format.py.</summary>
    private static Dictionary<string, FormatCase> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Data", "format", "format_cases.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, FormatCase>();
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            var fc = new FormatCase(
                c.GetProperty("name").GetString()!,
                Enum.Parse<DType>(c.GetProperty("dtype").GetString()!),
                c.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c.GetProperty("values").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                c.GetProperty("suffixes").EnumerateArray().Select(e => e.GetString()!).ToArray(),
                c.GetProperty("expected").GetString()!);
            result.Add(fc.Name, fc);
        }
        return result;
    }

    /// <summary>Case names for the theory.</summary>
    public static IEnumerable<object[]> CaseNames() => Cases.Value.Keys.Select(k => new object[] { k });

    /// <summary>Parses Python's repr of a float ("nan", "inf", "-inf", "-0.0", "1e-05", ...).</summary>
    private static double ParsePyFloat(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>Formats one case through the API the Tensor class will use.</summary>
    private static string Render(FormatCase c)
    {
        if (c.DType == DType.Int64)
        {
            long[] longs = c.Values.Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return TensorFormatter.Format(longs, c.Shape, c.Suffixes);
        }
        double[] doubles = c.Values.Select(ParsePyFloat).ToArray();
        return TensorFormatter.Format(doubles, c.Shape, c.DType, c.Suffixes);
    }

    /// <summary>Every recorded case renders byte-identically to torch.</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesTorch(string name)
    {
        var c = Cases.Value[name];
        Assert.Equal(c.Expected, Render(c));
    }

    /// <summary>The data file holds the required breadth of cases.</summary>
    [Fact]
    public void HasAtLeastFortyCases() => Assert.True(Cases.Value.Count >= 40, $"only {Cases.Value.Count} cases");

    /// <summary>The seed outputs are among the recorded cases.</summary>
    [Theory]
    [InlineData("tensor([[2., 3.]], requires_grad=True)")]
    [InlineData("tensor([[13., 13.]], grad_fn=<CopySlices>)")]
    [InlineData("tensor([[4., 3.],\n        [2., 6.]])")]
    [InlineData("tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])")]
    [InlineData("tensor([5.1200e+01, 5.1200e+02, 5.1200e-02])")]
    [InlineData("tensor(28., grad_fn=<MulBackward0>)")]
    [InlineData("tensor([ 0.,  4.,  8., 12.])")]
    [InlineData("tensor([True, True, True, True])")]
    [InlineData("tensor([[[12, 14, 16, 18],\n         [20, 22, 24, 26],\n         [28, 30, 32, 34]]])")]
    [InlineData("tensor(276.)")]
    [InlineData("tensor([[1.1046]], requires_grad=True)")]
    public void SeedOutputIsCovered(string expected)
    {
        var c = Cases.Value.Values.Single(v => v.Expected == expected);
        Assert.Equal(expected, Render(c));
    }

    /// <summary>Direct calls without the data file: scalar, float64 suffix order, empty int64.</summary>
    [Fact]
    public void DirectCalls()
    {
        Assert.Equal("tensor(18., grad_fn=<MeanBackward0>)", TensorFormatter.Format([18.0], [], DType.Float32, ["grad_fn=<MeanBackward0>"]));
        Assert.Equal("tensor([1.5000, 2.0000], dtype=torch.float64, requires_grad=True)",
            TensorFormatter.Format([1.5, 2.0], [2], DType.Float64, ["requires_grad=True"]));
        Assert.Equal("tensor([], size=(0, 3), dtype=torch.int64)", TensorFormatter.Format(ReadOnlySpan<long>.Empty, [0, 3], []));
        Assert.Equal("tensor([ True, False])", TensorFormatter.Format([1.0, 0.0], [2], DType.Bool, []));
    }

    /// <summary>A shape that does not match the value count is rejected.</summary>
    [Fact]
    public void RejectsMismatchedShape() =>
        Assert.Throws<ArgumentException>(() => TensorFormatter.Format([1.0, 2.0], [3], DType.Float32, []));

    /// <summary>Python float formatting: half-even ties, signed zero, two-digit exponents, nan without sign.</summary>
    [Theory]
    [InlineData(0.03125, 4, "0.0312", "3.1250e-02")]
    [InlineData(2.5, 0, "2", "2e+00")]
    [InlineData(-0.0, 4, "-0.0000", "-0.0000e+00")]
    [InlineData(9.99995, 4, "10.0000", "1.0000e+01")]
    [InlineData(1e300, 4, null, "1.0000e+300")]
    [InlineData(double.NaN, 4, "nan", "nan")]
    [InlineData(double.NegativeInfinity, 4, "-inf", "-inf")]
    public void PythonFloatFormatting(double value, int precision, string? fixedExpected, string sciExpected)
    {
        if (fixedExpected is not null) Assert.Equal(fixedExpected, PyFloatFormat.Fixed(value, precision));
        Assert.Equal(sciExpected, PyFloatFormat.Scientific(value, precision));
    }
}
