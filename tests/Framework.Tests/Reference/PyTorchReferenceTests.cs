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

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("reference", "reference_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [SkippableTheory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        Skip.If(KnownDifferences.TryGetValue(name, out var reason), reason);
        ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[name]);
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        ReferenceCases.AssertEveryCaseMapped(Cases.Value.Keys, Ops.Keys);
        Assert.Empty(KnownDifferences.Keys.Except(Cases.Value.Keys));
    }

    /// <summary>Fails once the library is fixed, so that the entry is removed and the case is checked again.</summary>
    [Fact]
    public void KnownDifferencesStillDiffer()
    {
        foreach (var name in KnownDifferences.Keys)
            Assert.True(ReferenceCases.Run(Cases.Value[name], Ops[name]).Count > 0, $"{name} now matches PyTorch: remove it from KnownDifferences");
    }

    [Fact]
    public void ReferenceFileCoversBothFloatDTypes()
    {
        Assert.True(Cases.Value.Count >= 40, $"only {Cases.Value.Count} cases");
        Assert.Contains(Cases.Value.Values, c => c.Dtype == "float32");
        Assert.Contains(Cases.Value.Values, c => c.Dtype == "float64");
    }
}
