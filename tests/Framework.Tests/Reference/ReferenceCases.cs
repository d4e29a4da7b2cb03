using System.Globalization;
using System.Text;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Reference;

/// <summary>Cases computed by PyTorch itself (a Data/*/make_*.py script writes the JSON): loading them and checking one against our computation.</summary>
internal static class ReferenceCases
{
    /// <summary>How close a float must be: within Float64 (or Float32)·|expected| + Absolute; Absolute defaults to the relative tolerance.</summary>
    internal readonly record struct Tolerance(double Float64, double Float32, double? Absolute = null)
    {
        /// <summary>The tolerances of most cases.</summary>
        public static readonly Tolerance Default = new(Float64: 1e-10, Float32: 1e-5);

        public (double Rtol, double Atol) For(string dtype)
        {
            double rtol = dtype == "float32" ? Float32 : Float64;
            return (rtol, Absolute ?? rtol);
        }
    }

    /// <summary>Fails listing every disagreement of case <paramref name="name"/> with PyTorch, if any.</summary>
    public static void AssertNoProblems(string name, List<string> problems)
        => Assert.True(problems.Count == 0, $"{name} disagrees with PyTorch:\n" + string.Join("\n", problems));

    /// <summary>Runs one case and fails listing every disagreement.</summary>
    public static void AssertMatches(string name, RefCase c, Func<Tensor[], Tensor> op, Tolerance? tolerance = null)
        => AssertNoProblems(name, Run(c, op, tolerance));

    /// <summary>Fails when a case of the file has no computation, or a computation no case.</summary>
    public static void AssertEveryCaseMapped(IEnumerable<string> cases, IEnumerable<string> ops)
    {
        Assert.Empty(cases.Except(ops));
        Assert.Empty(ops.Except(cases));
    }

    /// <summary>Runs one case and returns every disagreement found (empty when it matches).</summary>
    public static List<string> Run(RefCase c, Func<Tensor[], Tensor> op, Tolerance? tolerance = null)
    {
        var problems = new List<string>();
        var inputs = c.Inputs.Select(ToTensor).ToArray();
        var output = op(inputs);
        var tol = tolerance ?? Tolerance.Default;
        // With a Float32 anywhere in the case (an input, the output), every comparison is at Float32's precision.
        string? precision = c.Inputs.Append(c.Output).Any(t => t.Dtype == "float32") ? "float32" : null;
        void Compare(string what, RefTensor expected, Tensor got, List<string> problems) => ReferenceCases.Compare(what, expected, got, problems, tol, precision);
        Compare("output", c.Output, output, problems);
        if (c.GradFn is not null && output.GradFn?.Name != c.GradFn)
            problems.Add($"grad_fn: expected {c.GradFn}, got {output.GradFn?.Name ?? "null"}");
        if (c.Upstream is null)      // the scripts record an upstream gradient exactly when PyTorch's output requires grad
        {
            if (output.RequiresGrad) problems.Add("output requires grad, but PyTorch's does not");
            return problems;
        }

        output.Backward(ToTensor(c.Upstream));
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!c.Inputs[i].RequiresGrad) continue;
            var expected = c.Grads![i];
            var got = inputs[i].Grad;
            if (expected is null && got is not null) problems.Add($"grad[{i}]: expected None, got a gradient");
            else if (expected is not null && got is null) problems.Add($"grad[{i}]: expected a gradient, got null");
            else if (expected is not null) Compare($"grad[{i}]", expected, got!, problems);
        }
        return problems;
    }

    /// <summary>Checks dtype, shape and values; floats within the tolerance of <paramref name="precision"/> (default: the expected dtype's); NaN matches NaN.</summary>
    public static void Compare(string what, RefTensor expected, Tensor got, List<string> problems, Tolerance tolerance, string? precision = null)
    {
        if (TorchName(got.DType) != expected.Dtype)
        {
            problems.Add($"{what}: dtype expected {expected.Dtype}, got {TorchName(got.DType)}");
            return;
        }
        if (!expected.Shape.SequenceEqual(got.Shape))
        {
            problems.Add($"{what}: shape expected [{string.Join(", ", expected.Shape)}], got [{string.Join(", ", got.Shape)}]");
            return;
        }
        if (expected.Dtype == "bool")
        {
            var e = expected.Values.Select(v => v.GetBoolean()).ToArray();
            var g = got.ToArray<bool>();
            if (!e.SequenceEqual(g)) problems.Add($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", g)}]");
            return;
        }
        if (expected.Dtype == "int64")
        {
            var e = expected.Values.Select(v => v.GetInt64()).ToArray();
            var g = got.ToArray<long>();
            if (!e.SequenceEqual(g)) problems.Add($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", g)}]");
            return;
        }
        var (rtol, atol) = tolerance.For(precision ?? expected.Dtype);
        var ev = expected.Values.Select(Number).ToArray();
        var gv = got.ToArray<double>();
        var bad = new StringBuilder();
        for (int i = 0; i < ev.Length; i++)
        {
            bool close = ev[i] == gv[i] || (double.IsNaN(ev[i]) && double.IsNaN(gv[i])) || Math.Abs(gv[i] - ev[i]) <= rtol * Math.Abs(ev[i]) + atol;
            if (!close) bad.Append(CultureInfo.InvariantCulture, $"\n  [{i}] expected {ev[i]:R}, got {gv[i]:R}");
        }
        if (bad.Length > 0)
            problems.Add($"{what}: expected [{Join(ev)}], got [{Join(gv)}]; differing elements:{bad}");
    }

    private static string Join(double[] values) => string.Join(", ", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    private static string TorchName(DType dtype) => dtype switch
    {
        DType.Float32 => "float32",
        DType.Float64 => "float64",
        DType.Int64 => "int64",
        _ => "bool",
    };

    /// <summary>A JSON number, or one of the strings "nan", "inf", "-inf" (JSON has no literal for them).</summary>
    private static double Number(JsonElement v) => v.ValueKind == JsonValueKind.String
        ? v.GetString()!.ToLowerInvariant() switch { "nan" => double.NaN, "inf" or "infinity" => double.PositiveInfinity, "-inf" or "-infinity" => double.NegativeInfinity, var s => throw new FormatException(s) }
        : v.GetDouble();

    public static Tensor ToTensor(RefTensor t) => t.Dtype switch
    {
        "float64" => Tensor.FromArray(t.Values.Select(Number).ToArray(), t.Shape, t.RequiresGrad),
        "float32" => Tensor.FromArray(t.Values.Select(v => (float)Number(v)).ToArray(), t.Shape, t.RequiresGrad),
        "int64" => Tensor.FromArray(t.Values.Select(v => v.GetInt64()).ToArray(), t.Shape),
        "bool" => Tensor.FromArray(t.Values.Select(v => v.GetBoolean()).ToArray(), t.Shape),
        _ => throw new NotSupportedException($"dtype {t.Dtype}"),
    };

    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>A tensor as the scripts encode it (dtype, shape, values), read from any JSON element.</summary>
    public static RefTensor Parse(JsonElement e) => e.Deserialize<RefTensor>(Snake)!;

    /// <summary>The tensor a JSON element encodes.</summary>
    public static Tensor TensorOf(JsonElement e) => ToTensor(Parse(e));

    /// <summary>The raw cases (by name) of a JSON file whose cases have their own layout (module cases: init, inputs, results).</summary>
    public static Dictionary<string, JsonElement> LoadRaw(params string[] relativePath) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([AppContext.BaseDirectory, "Data", .. relativePath])))
            .RootElement.GetProperty("cases").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);

    /// <summary>The cases of a JSON file under the test output's Data folder, by name.</summary>
    public static Dictionary<string, RefCase> Load(params string[] relativePath)
    {
        var path = Path.Combine([AppContext.BaseDirectory, "Data", .. relativePath]);
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var file = JsonSerializer.Deserialize<RefFile>(File.ReadAllText(path), options)!;
        return file.Cases.ToDictionary(c => c.Name);
    }

    internal sealed record RefFile(string TorchVersion, RefCase[] Cases);

    /// <summary>One case; Op, Transpose and Decimals describe table-driven cases (an op name applied to the inputs, transposed first when asked).</summary>
    internal sealed record RefCase(string Name, string? Dtype, RefTensor[] Inputs, RefTensor Output,
                                  string? GradFn, RefTensor? Upstream, RefTensor?[]? Grads,
                                  string? Op = null, bool Transpose = false, int? Decimals = null);

    internal sealed record RefTensor(string Dtype, int[] Shape, JsonElement[] Values, bool RequiresGrad);
}
