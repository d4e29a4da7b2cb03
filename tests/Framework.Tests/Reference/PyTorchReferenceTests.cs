using System.Globalization;
using System.Text;
using System.Text.Json;
using Framework.Autograd;

namespace Tests.Reference;

/// <summary>Forward values, input gradients and grad_fn names checked against cases computed by PyTorch itself (Data/reference/make_reference.py).</summary>
public class PyTorchReferenceTests
{
    /// <summary>The same computation as each case in make_reference.py, written in our API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        // broadcasting arithmetic
        ["add_broadcast_row"] = a => a[0] + a[1],
        ["sub_broadcast_col_row"] = a => a[0] - a[1],
        ["mul_broadcast_outer"] = a => a[0] * a[1],
        ["mul_broadcast_3d"] = a => a[0] * a[1],
        ["div_broadcast"] = a => a[0] / a[1],
        // scalar ops
        ["scalar_add_mul"] = a => a[0] * 2.5 + 1.5,
        ["scalar_rsub"] = a => 2.0 - a[0],
        ["scalar_div"] = a => a[0] / 4.0,
        ["scalar_rdiv"] = a => 3.0 / a[0],
        ["neg"] = a => -a[0],
        // pow
        ["pow_scalar_int"] = a => a[0].Pow(3),
        ["pow_scalar_fractional"] = a => a[0].Pow(2.5),
        ["pow_tensor_exponent"] = a => a[0].Pow(a[1]),
        // elementwise math
        ["exp"] = a => a[0].Exp(),
        ["log"] = a => a[0].Log(),
        ["sqrt"] = a => a[0].Sqrt(),
        ["abs_with_zero"] = a => a[0].Abs(),
        ["sin"] = a => a[0].Sin(),
        ["cos"] = a => a[0].Cos(),
        ["tanh"] = a => a[0].Tanh(),
        ["sigmoid"] = a => a[0].Sigmoid(),
        ["relu_with_zero"] = a => a[0].Relu(),
        ["clamp_with_bounds"] = a => a[0].Clamp(-0.5, 0.5),
        // reductions
        ["sum_all"] = a => a[0].Sum(),
        ["sum_dim0"] = a => a[0].Sum(0),
        ["sum_dim1_keepdim"] = a => a[0].Sum(1, keepDim: true),
        ["sum_dim_neg1"] = a => a[0].Sum(-1),
        ["sum_dims_0_2"] = a => a[0].Sum([0, 2]),
        ["mean_all"] = a => a[0].Mean(),
        ["mean_dim0"] = a => a[0].Mean(0),
        ["mean_dim1_keepdim"] = a => a[0].Mean(1, keepDim: true),
        ["mean_dims_0_1_keepdim"] = a => a[0].Mean([0, 1], keepDim: true),
        ["max_all_with_ties"] = a => a[0].Max(),
        ["min_all"] = a => a[0].Min(),
        ["max_dim1_values"] = a => a[0].Max(1).Values,
        ["max_dim1_indices"] = a => a[0].Max(1).Indices,
        ["min_dim0_keepdim_values"] = a => a[0].Min(0, keepDim: true).Values,
        ["min_dim0_keepdim_indices"] = a => a[0].Min(0, keepDim: true).Indices,
        ["norm"] = a => a[0].Norm(),
        // softmax family
        ["softmax_dim0"] = a => a[0].Softmax(0),
        ["softmax_dim1"] = a => a[0].Softmax(1),
        ["softmax_dim_neg1_large_logits"] = a => a[0].Softmax(-1),
        ["log_softmax_dim0"] = a => a[0].LogSoftmax(0),
        ["log_softmax_dim1"] = a => a[0].LogSoftmax(1),
        ["log_softmax_dim_neg1_large_logits"] = a => a[0].LogSoftmax(-1),
        // matmul in all its forms
        ["matmul_1d_1d"] = a => a[0].MatMul(a[1]),
        ["matmul_2d_1d"] = a => a[0].MatMul(a[1]),
        ["matmul_1d_2d"] = a => a[0].MatMul(a[1]),
        ["matmul_2d_2d"] = a => a[0].MatMul(a[1]),
        ["matmul_3d_2d"] = a => a[0].MatMul(a[1]),
        ["matmul_batched_broadcast"] = a => a[0].MatMul(a[1]),
        ["matmul_3d_1d"] = a => a[0].MatMul(a[1]),
        ["matmul_transposed_views"] = a => a[0].T().MatMul(a[1].T()),
        ["dot"] = a => a[0].Dot(a[1]),
        // shape ops
        ["transpose_then_mul"] = a => a[0].Transpose(0, 1) * a[1],
        ["t_then_exp"] = a => a[0].T().Exp(),
        ["reshape_of_transposed"] = a => a[0].T().Reshape(6) * a[1],
        ["expand_then_mul"] = a => a[0].Expand(3, 4) * a[1],
        ["expand_new_leading_dim"] = a => a[0].Expand(2, 3, 4),
        ["select_dim1"] = a => a[0].Select(1, 2),
        ["select_negative_index"] = a => a[0].Select(0, -1),
        ["slice_with_step"] = a => a[0].Slice(1, 1, 6, step: 2),
        ["slice_dim0_then_mul"] = a => a[0].Slice(0, 1, 3) * 2.0,
        ["cat_dim0"] = a => Tensor.Cat([a[0], a[1]], 0),
        ["cat_dim1"] = a => Tensor.Cat([a[0], a[1], a[2]], 1),
        ["stack_dim1"] = a => Tensor.Stack([a[0], a[1]], 1),
        ["where_broadcast"] = a => Tensor.Where(a[0], a[1], a[2]),
        ["gather_dim1"] = a => a[0].Gather(1, a[1]),
        ["gather_dim0"] = a => a[0].Gather(0, a[1]),
        // composites
        ["mlp_log_softmax_gather"] = a =>
            -(a[0].MatMul(a[1]) + a[2]).Relu().LogSoftmax(1).Gather(1, a[3].Unsqueeze(1)).Mean(),
        ["composite_sigmoid_tanh_sum"] = a => ((a[0] * a[1]).Sigmoid() + a[0].Tanh() / (1.0 + a[1].Pow(2))).Sum(1),
        // float32
        ["float32_matmul_add"] = a => a[0].MatMul(a[1]) + a[2],
        ["float32_softmax_mul_sum"] = a => (a[0].Softmax(1) * a[1]).Sum(0),
        ["float32_exp_log_sqrt"] = a => a[0].Exp().Log() + a[0].Abs().Sqrt(),
    };

    /// <summary>Cases where the library disagrees with PyTorch (skipped, with the disagreement as the reason), for the library owner to fix.</summary>
    private static readonly Dictionary<string, string> KnownDifferences = new()
    {
    };

    private const double Float64Tolerance = 1e-10;
    private const double Float32Tolerance = 1e-5;

    private static readonly Lazy<Dictionary<string, RefCase>> Cases = new(Load);

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        Skip.If(KnownDifferences.TryGetValue(name, out var reason), reason);
        var problems = Run(Cases.Value[name]);
        Assert.True(problems.Count == 0, $"{name} disagrees with PyTorch:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        Assert.Empty(Cases.Value.Keys.Except(Ops.Keys));
        Assert.Empty(Ops.Keys.Except(Cases.Value.Keys));
        Assert.Empty(KnownDifferences.Keys.Except(Cases.Value.Keys));
    }

    /// <summary>Fails once the library is fixed, so that the entry is removed and the case is checked again.</summary>
    [Fact]
    public void KnownDifferencesStillDiffer()
    {
        foreach (var name in KnownDifferences.Keys)
            Assert.True(Run(Cases.Value[name]).Count > 0, $"{name} now matches PyTorch: remove it from KnownDifferences");
    }

    [Fact]
    public void ReferenceFileCoversBothFloatDTypes()
    {
        Assert.True(Cases.Value.Count >= 40, $"only {Cases.Value.Count} cases");
        Assert.Contains(Cases.Value.Values, c => c.Dtype == "float32");
        Assert.Contains(Cases.Value.Values, c => c.Dtype == "float64");
    }

    /// <summary>Runs one case and returns every disagreement found (empty when it matches).</summary>
    private static List<string> Run(RefCase c)
    {
        var problems = new List<string>();
        var inputs = c.Inputs.Select(ToTensor).ToArray();
        var output = Ops[c.Name](inputs);
        Compare("output", c.Output, output, problems);
        if (c.GradFn is not null && output.GradFn?.Name != c.GradFn)
            problems.Add($"grad_fn: expected {c.GradFn}, got {output.GradFn?.Name ?? "null"}");
        if (c.Upstream is null) return problems;

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

    /// <summary>Checks dtype, shape and values; floats within rtol·|expected| + rtol (relative, absolute near zero).</summary>
    private static void Compare(string what, RefTensor expected, Tensor got, List<string> problems)
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
        if (expected.Dtype == "int64")
        {
            var e = expected.Values.Select(v => v.GetInt64()).ToArray();
            var g = got.ToArray<long>();
            if (!e.SequenceEqual(g)) problems.Add($"{what}: expected [{string.Join(", ", e)}], got [{string.Join(", ", g)}]");
            return;
        }
        double rtol = expected.Dtype == "float32" ? Float32Tolerance : Float64Tolerance;
        var ev = expected.Values.Select(v => v.GetDouble()).ToArray();
        var gv = got.ToArray<double>();
        var bad = new StringBuilder();
        for (int i = 0; i < ev.Length; i++)
        {
            bool close = ev[i] == gv[i] || Math.Abs(gv[i] - ev[i]) <= rtol * Math.Abs(ev[i]) + rtol;
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

    private static Tensor ToTensor(RefTensor t) => t.Dtype switch
    {
        "float64" => Tensor.FromArray(t.Values.Select(v => v.GetDouble()).ToArray(), t.Shape, t.RequiresGrad),
        "float32" => Tensor.FromArray(t.Values.Select(v => (float)v.GetDouble()).ToArray(), t.Shape, t.RequiresGrad),
        "int64" => Tensor.FromArray(t.Values.Select(v => v.GetInt64()).ToArray(), t.Shape),
        "bool" => Tensor.FromArray(t.Values.Select(v => v.GetBoolean()).ToArray(), t.Shape),
        _ => throw new NotSupportedException($"dtype {t.Dtype}"),
    };

    private static Dictionary<string, RefCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "reference", "reference_cases.json");
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var file = JsonSerializer.Deserialize<RefFile>(File.ReadAllText(path), options)!;
        return file.Cases.ToDictionary(c => c.Name);
    }

    private sealed record RefFile(string TorchVersion, RefCase[] Cases);

    private sealed record RefCase(string Name, string Dtype, RefTensor[] Inputs, RefTensor Output,
                                  string? GradFn, RefTensor? Upstream, RefTensor?[]? Grads);

    private sealed record RefTensor(string Dtype, int[] Shape, JsonElement[] Values, bool RequiresGrad);
}
