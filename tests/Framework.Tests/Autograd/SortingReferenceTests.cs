using Framework.Autograd;
using Tests.Reference;

namespace Tests.AutogradTests;

/// <summary>Cumsum, Cumprod, Sort, Argsort, Topk, Var, Std, Prod, LogSumExp, Any and All against PyTorch 1.13: values, gradients and grad_fn names made by Data/sorting/make_sorting.py.</summary>
public class SortingReferenceTests
{
    /// <summary>The same computation as each case in make_sorting.py, written in our API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["cumsum_dim0"] = a => a[0].Cumsum(0),
        ["cumsum_dim1"] = a => a[0].Cumsum(1),
        ["cumsum_dim_neg1_3d"] = a => a[0].Cumsum(-1),
        ["cumsum_dim1_3d"] = a => a[0].Cumsum(1),
        ["cumsum_transposed"] = a => a[0].T().Cumsum(1),
        ["cumsum_0d"] = a => a[0].Cumsum(0),
        ["cumsum_empty_dim"] = a => a[0].Cumsum(1),
        ["cumsum_int64"] = a => a[0].Cumsum(0),
        ["cumsum_bool"] = a => a[0].Cumsum(0),
        ["cumsum_float32"] = a => a[0].Cumsum(1),
        ["cumprod_dim1"] = a => a[0].Cumprod(1),
        ["cumprod_dim0"] = a => a[0].Cumprod(0),
        ["cumprod_one_zero"] = a => a[0].Cumprod(0),
        ["cumprod_zero_first"] = a => a[0].Cumprod(0),
        ["cumprod_zero_last"] = a => a[0].Cumprod(0),
        ["cumprod_two_zeros"] = a => a[0].Cumprod(0),
        ["cumprod_zeros_in_a_row"] = a => a[0].Cumprod(0),
        ["cumprod_zeros_rows"] = a => a[0].Cumprod(1),
        ["cumprod_zeros_dim0_transposed"] = a => a[0].T().Cumprod(0),
        ["cumprod_0d"] = a => a[0].Cumprod(-1),
        ["cumprod_int64"] = a => a[0].Cumprod(0),
        ["cumprod_bool"] = a => a[0].Cumprod(0),
        ["cumprod_float32"] = a => a[0].Cumprod(1),
        ["sort_values"] = a => a[0].Sort().Values,
        ["sort_indices"] = a => a[0].Sort().Indices,
        ["sort_dim0_descending_values"] = a => a[0].Sort(0, descending: true).Values,
        ["sort_dim0_descending_indices"] = a => a[0].Sort(0, descending: true).Indices,
        ["sort_3d_dim1"] = a => a[0].Sort(1).Values,
        ["sort_transposed"] = a => a[0].T().Sort(-1).Values,
        ["sort_transposed_indices"] = a => a[0].T().Sort(-1).Indices,
        ["sort_ties_values"] = a => a[0].Sort().Values,
        ["sort_ties_indices"] = a => a[0].Sort().Indices,
        ["sort_ties_descending_indices"] = a => a[0].Sort(descending: true).Indices,
        ["sort_nan_values"] = a => a[0].Sort().Values,
        ["sort_nan_indices"] = a => a[0].Sort().Indices,
        ["sort_nan_descending_values"] = a => a[0].Sort(descending: true).Values,
        ["sort_nan_descending_indices"] = a => a[0].Sort(descending: true).Indices,
        ["sort_0d"] = a => a[0].Sort(0).Values,
        ["sort_empty_dim"] = a => a[0].Sort(1).Values,
        ["sort_int64_values"] = a => a[0].Sort(descending: true).Values,
        ["sort_int64_indices"] = a => a[0].Sort(descending: true).Indices,
        ["sort_bool_values"] = a => a[0].Sort().Values,
        ["sort_bool_indices"] = a => a[0].Sort().Indices,
        ["sort_float32"] = a => a[0].Sort(0).Values,
        ["argsort"] = a => a[0].Argsort(),
        ["argsort_dim0_descending"] = a => a[0].Argsort(0, descending: true),
        ["argsort_ties"] = a => a[0].Argsort(),
        ["topk_values"] = a => a[0].Topk(2).Values,
        ["topk_indices"] = a => a[0].Topk(2).Indices,
        ["topk_smallest_values"] = a => a[0].Topk(3, largest: false).Values,
        ["topk_smallest_indices"] = a => a[0].Topk(3, largest: false).Indices,
        ["topk_dim0_values"] = a => a[0].Topk(2, dim: 0).Values,
        ["topk_dim0_indices"] = a => a[0].Topk(2, dim: 0).Indices,
        ["topk_transposed"] = a => a[0].T().Topk(2).Values,
        ["topk_k_all"] = a => a[0].Topk(4).Values,
        ["topk_k0"] = a => a[0].Topk(0).Values,
        ["topk_nan_values"] = a => a[0].Topk(2).Values,
        ["topk_nan_indices"] = a => a[0].Topk(2).Indices,
        ["topk_nan_smallest_indices"] = a => a[0].Topk(2, largest: false).Indices,
        ["topk_0d"] = a => a[0].Topk(1).Values,
        ["topk_int64"] = a => a[0].Topk(2).Values,
        ["topk_float32"] = a => a[0].Topk(2, dim: 1).Values,
        ["var_all"] = a => a[0].Var(),
        ["var_dim0"] = a => a[0].Var(0),
        ["var_dim_neg1_keepdim"] = a => a[0].Var(-1, keepDim: true),
        ["var_dim1_correction0"] = a => a[0].Var(1, correction: 0),
        ["var_dim1_correction2"] = a => a[0].Var(1, correction: 2),
        ["var_correction_n"] = a => a[0].Var(0, correction: 3),
        ["var_correction_above_n"] = a => a[0].Var(0, correction: 5),
        ["var_single_element"] = a => a[0].Var(0),
        ["var_dims_unbiased_false"] = a => a[0].Var([0, 2], unbiased: false),
        ["var_dims_keepdim"] = a => a[0].Var([1, 0], keepDim: true),
        ["var_transposed"] = a => a[0].T().Var(1),
        ["var_unbiased_false_all"] = a => a[0].Var(unbiased: false),
        ["var_empty"] = a => a[0].Var(1),
        ["var_float32"] = a => a[0].Var(1),
        ["std_all"] = a => a[0].Std(),
        ["std_dim1"] = a => a[0].Std(1),
        ["std_dim0_keepdim_correction0"] = a => a[0].Std(0, correction: 0, keepDim: true),
        ["std_zero_spread"] = a => a[0].Std(1),
        ["std_dims"] = a => a[0].Std([0, 2]),
        ["std_unbiased_false"] = a => a[0].Std(unbiased: false),
        ["std_transposed"] = a => a[0].T().Std(0),
        ["std_float32"] = a => a[0].Std(0),
        ["prod_all"] = a => a[0].Prod(),
        ["prod_all_one_zero"] = a => a[0].Prod(),
        ["prod_all_two_zeros"] = a => a[0].Prod(),
        ["prod_dim1"] = a => a[0].Prod(1),
        ["prod_dim0_keepdim"] = a => a[0].Prod(0, keepDim: true),
        ["prod_dim_neg1_3d"] = a => a[0].Prod(-1),
        ["prod_dim1_zeros"] = a => a[0].Prod(1),
        ["prod_dim0_zeros_keepdim"] = a => a[0].Prod(0, keepDim: true),
        ["prod_transposed_zeros"] = a => a[0].T().Prod(1),
        ["prod_0d"] = a => a[0].Prod(),
        ["prod_0d_dim"] = a => a[0].Prod(0),
        ["prod_empty_dim"] = a => a[0].Prod(0),
        ["prod_int64"] = a => a[0].Prod(1),
        ["prod_int64_all"] = a => a[0].Prod(),
        ["prod_bool"] = a => a[0].Prod(),
        ["prod_float32"] = a => a[0].Prod(1),
        ["logsumexp_dim1"] = a => a[0].LogSumExp(1),
        ["logsumexp_dim0_keepdim"] = a => a[0].LogSumExp(0, keepDim: true),
        ["logsumexp_dims"] = a => a[0].LogSumExp([0, 2]),
        ["logsumexp_dims_keepdim"] = a => a[0].LogSumExp([2, 0], keepDim: true),
        ["logsumexp_transposed"] = a => a[0].T().LogSumExp(-1),
        ["logsumexp_large"] = a => a[0].LogSumExp(1),
        ["logsumexp_neg_inf"] = a => a[0].LogSumExp(1),
        ["logsumexp_pos_inf"] = a => a[0].LogSumExp(0),
        ["logsumexp_0d"] = a => a[0].LogSumExp(0),
        ["logsumexp_empty_dim"] = a => a[0].LogSumExp(1),
        ["logsumexp_int64"] = a => a[0].LogSumExp(0),
        ["logsumexp_float32"] = a => a[0].LogSumExp(1),
        ["any_all_elements"] = a => a[0].Any(),
        ["any_none"] = a => a[0].Any(),
        ["all_all_elements"] = a => a[0].All(),
        ["all_one_zero"] = a => a[0].All(),
        ["any_dim1"] = a => a[0].Any(1),
        ["all_dim0_keepdim"] = a => a[0].All(0, keepDim: true),
        ["any_int64_dim0"] = a => a[0].Any(0),
        ["all_int64"] = a => a[0].All(),
        ["any_bool_dim_neg1"] = a => a[0].Any(-1),
        ["all_bool_dim1"] = a => a[0].All(1),
        ["any_empty"] = a => a[0].Any(),
        ["all_empty_dim"] = a => a[0].All(0),
        ["any_0d"] = a => a[0].Any(0),
        ["all_transposed"] = a => a[0].T().All(1),
    };

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("sorting", "sorting_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var problems = ReferenceCases.Run(Cases.Value[name], Ops[name]);
        Assert.True(problems.Count == 0, $"{name} disagrees with PyTorch:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        Assert.Empty(Cases.Value.Keys.Except(Ops.Keys));
        Assert.Empty(Ops.Keys.Except(Cases.Value.Keys));
    }
}
