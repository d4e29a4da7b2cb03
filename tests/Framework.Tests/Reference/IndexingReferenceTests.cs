using Framework.Autograd;

namespace Tests.Reference;

/// <summary>x[...] get and set, index_put, index_select/index_add, scatter, masks and nonzero against PyTorch 1.13 (Data/indexing/make_indexing.py).</summary>
public class IndexingReferenceTests
{
    /// <summary>The computation of each case in make_indexing.py, in the PyTorch user's idiom.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        // get: basic indexing (views)
        ["get_slice"] = a => a[0][1..3],
        ["get_last"] = a => a[0][^1],
        ["get_column"] = a => a[0][.., 0],
        ["get_step"] = a => a[0][TensorIndex.Slice(step: 2)],
        ["get_step_offset"] = a => a[0][TensorIndex.Slice(1, null, 2), 1..],
        ["get_negative_slice"] = a => a[0][.., ^2..],
        ["get_new_axis"] = a => a[0][.., TensorIndex.None],
        ["get_new_axis_last"] = a => a[0][TensorIndex.Ellipsis, TensorIndex.None],
        ["get_ellipsis_int"] = a => a[0][TensorIndex.Ellipsis, 1],
        ["get_ellipsis_only"] = a => a[0][TensorIndex.Ellipsis],
        ["get_int_int"] = a => a[0][1, 2],
        ["get_transposed_slice"] = a => a[0].T()[1.., 0],
        // get: advanced indexing (copies)
        ["get_index_duplicates"] = a => a[0][a[1]],
        ["get_index_2d"] = a => a[0][a[1]],
        ["get_index_negative"] = a => a[0][a[1]],
        ["get_range_label"] = a => a[0][a[1], a[2]],
        ["get_index_then_slice"] = a => a[0][a[1], 1..],
        ["get_slice_then_index"] = a => a[0][1.., a[1]],
        ["get_non_adjacent"] = a => a[0][a[1], .., a[2]],
        ["get_int_between"] = a => a[0][a[1], 0, a[2]],
        ["get_index_int_after"] = a => a[0][.., a[1], 0],
        ["get_none_between"] = a => a[0][.., a[1], TensorIndex.None, a[2]],
        ["get_broadcast_indices"] = a => a[0][a[1], a[2]],
        ["get_index_of_transposed"] = a => a[0].T()[a[1]],
        ["get_empty_index"] = a => a[0][a[1]],
        ["get_mask_full"] = a => a[0][a[1]],
        ["get_mask_rows"] = a => a[0][a[1]],
        ["get_int_then_mask"] = a => a[0][1, a[1]],
        ["get_mask_then_slice"] = a => a[0][a[1], 1..],
        ["get_zero_dim_index"] = a => a[0][a[1]],
        ["get_true"] = a => a[0][a[1]],
        ["get_float32_index"] = a => a[0][a[1]],
        // set: y = x.clone(); y[...] = v
        ["set_slice"] = a => Set(a[0], y => y[1..3] = a[1]),
        ["set_column"] = a => Set(a[0], y => y[.., 0] = a[1]),
        ["set_last_row_broadcast"] = a => Set(a[0], y => y[^1] = a[1]),
        ["set_leading_ones"] = a => Set(a[0], y => y[0] = a[1]),
        ["set_index"] = a => Set(a[0], y => y[a[2]] = a[1]),
        ["set_index_duplicates"] = a => Set(a[0], y => y[a[2]] = a[1]),
        ["set_index_broadcast_row"] = a => Set(a[0], y => y[a[2]] = a[1]),
        ["set_index_then_slice"] = a => Set(a[0], y => y[a[2], 1..] = a[1]),
        ["set_range_label"] = a => Set(a[0], y => y[a[2], a[3]] = a[1]),
        ["set_mask"] = a => Set(a[0], y => y[a[2]] = a[1]),
        ["set_mask_scalar_tensor"] = a => Set(a[0], y => y[a[2]] = a[1]),
        ["set_int_on_index"] = a => Set(a[0], y => y[1, a[2]] = a[1]),
        ["set_new_axis"] = a => Set(a[0], y => y[.., TensorIndex.None] = a[1]),
        ["set_mask_number"] = a => Set(a[0], y => y[a[1]] = 0),
        ["set_twice"] = a =>
        {
            var y = a[0] * 2;
            y[a[3]] = a[1];
            y[.., 0] = a[2];
            return y;
        },
        // index_put
        ["index_put_accumulate"] = a => a[0].IndexPut([a[2]], a[1], accumulate: true),
        ["index_put_two_dims"] = a => a[0].IndexPut([a[2], a[3]], a[1]),
        ["index_put_mask"] = a => a[0].IndexPut([a[2]], a[1]),
        // index_select / index_add
        ["index_select_dim0"] = a => a[0].IndexSelect(0, a[1]),
        ["index_select_dim1"] = a => a[0].IndexSelect(1, a[1]),
        ["index_select_dim_neg1_3d"] = a => a[0].IndexSelect(-1, a[1]),
        ["index_select_zero_dim_index"] = a => a[0].IndexSelect(1, a[1]),
        ["index_select_transposed"] = a => a[0].T().IndexSelect(0, a[1]),
        ["index_add_duplicates"] = a => a[0].IndexAdd(0, a[2], a[1]),
        ["index_add_dim1_alpha"] = a => a[0].IndexAdd(1, a[2], a[1], alpha: 2.5),
        // scatter / scatter_add
        ["scatter_dim0"] = a => a[0].Scatter(0, a[2], a[1]),
        ["scatter_dim1_src_larger"] = a => a[0].Scatter(1, a[2], a[1]),
        ["scatter_value"] = a => a[0].Scatter(1, a[1], 1.5),
        ["scatter_add_duplicates"] = a => a[0].ScatterAdd(1, a[2], a[1]),
        ["scatter_add_dim_neg1_3d"] = a => a[0].ScatterAdd(-1, a[2], a[1]),
        // masks
        ["masked_fill_broadcast_mask"] = a => a[0].MaskedFill(a[1], -1.5),
        ["masked_fill_mask_broadcasts_input"] = a => a[0].MaskedFill(a[1], 0.0),
        ["masked_fill_tensor_value"] = a => a[0].MaskedFill(a[2], a[1]),
        ["masked_select"] = a => a[0].MaskedSelect(a[1]),
        ["masked_select_broadcast"] = a => a[0].MaskedSelect(a[1]),
        ["nonzero_float"] = a => a[0].Detach().Nonzero(),
        ["nonzero_int_3d"] = a => a[0].Nonzero(),
    };

    private static Tensor Set(Tensor x, Action<Tensor> write)
    {
        var y = x.Clone();
        write(y);
        return y;
    }

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("indexing", "indexing_cases.json"));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        ReferenceCases.AssertMatches(name, Cases.Value[name], Ops[name]);
    }

    [Fact]
    public void EveryCaseIsMapped()
    {
        ReferenceCases.AssertEveryCaseMapped(Cases.Value.Keys, Ops.Keys);
    }
}
