using System.Text.Json;
using Framework.Autograd;

namespace Tests.AutogradTests;

/// <summary>ToString matches PyTorch's str(t) byte for byte on cases printed by PyTorch (Data/format/make_format.py).</summary>
public class FormatterTests
{
    private sealed record Case(string Name, string DType, int[] Shape, JsonElement[] Values, string[] Suffixes, string Expected);

    private static readonly Dictionary<string, Case> Cases = Load();

    private static Dictionary<string, Case> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "format", "format_cases.json");
        var list = JsonSerializer.Deserialize<Case[]>(File.ReadAllText(path), new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!;
        return list.ToDictionary(c => c.Name);
    }

    public static TheoryData<string> Names => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void PrintsAsPyTorch(string name)
    {
        var c = Cases[name];
        Tensor t = c.DType switch
        {
            "Float32" => Tensor.FromArray(c.Values.Select(v => (float)ParseFloat(v.GetString()!)).ToArray(), c.Shape),
            "Float64" => Tensor.FromArray(c.Values.Select(v => ParseFloat(v.GetString()!)).ToArray(), c.Shape),
            "Int64" => Tensor.FromArray(c.Values.Select(v => v.GetInt64()).ToArray(), c.Shape),
            _ => Tensor.FromArray(c.Values.Select(v => v.GetInt64() != 0).ToArray(), c.Shape),
        };
        string actual = c.Suffixes.Length == 0 ? t.ToString()
            : c.Suffixes[0] == "requires_grad=True" ? t.RequiresGrad_().ToString()
            : TensorFormatterProbe.WithSuffix(t, c.Suffixes[0]);
        Assert.Equal(c.Expected, actual);
    }

    private static double ParseFloat(string s) => s switch
    {
        "nan" => double.NaN,
        "inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        _ => double.Parse(s, System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public void GradFnSuffix_ComesFromTheNode()
    {
        var x = Tensor.From(new float[] { 1, 2 }, requiresGrad: true);
        Assert.Equal("tensor([2., 4.], grad_fn=<MulBackward0>)", (x * 2).ToString());
        Assert.Equal("tensor([1., 2.], dtype=torch.float64, grad_fn=<ToCopyBackward0>)", x.Double().ToString());
    }

    private static class TensorFormatterProbe
    {
        public static string WithSuffix(Tensor t, string suffix)
        {
            var values = t.ToArray<double>();
            return TensorFormatter.Format(values, t.Shape, t.DType, [suffix]);
        }
    }
}
