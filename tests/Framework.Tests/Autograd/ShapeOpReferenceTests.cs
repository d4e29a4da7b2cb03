using Framework.Autograd;
using Tests.Reference;

namespace Tests.AutogradTests;

/// <summary>The shape ops' forward values, input gradients and grad_fn names checked against PyTorch 1.13 (Data/shapeops/make_shapeops.py).</summary>
public class ShapeOpReferenceTests
{
    private static Tensor WeightedCat(Tensor[] pieces, int dim) => Tensor.Cat(pieces.Select((p, k) => p * (k + 1.5)).ToArray(), dim);

    /// <summary>The same computation as each case in make_shapeops.py, written in our API.</summary>
    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        // chunk, split, unbind, narrow
        ["chunk_dim1_piece1"] = a => a[0].Chunk(3, 1)[1],
        ["chunk_last_shorter"] = a => a[0].Chunk(2)[1],
        ["chunk_more_chunks_than_size"] = a => a[0].Chunk(5)[2],
        ["chunk_transposed_neg_dim"] = a => a[0].T().Chunk(2, -1)[0],
        ["chunk_all_weighted"] = a => WeightedCat(a[0].Chunk(3, 1), 1),
        ["chunk_int64"] = a => a[0].Chunk(2, 1)[1],
        ["split_size_last_piece"] = a => a[0].Split(2)[2],
        ["split_size_all_weighted"] = a => WeightedCat(a[0].Split(2, -1), -1),
        ["split_sizes_dim_neg1"] = a => a[0].Split([1, 3, 2], -1)[1],
        ["split_sizes_zero_piece"] = a => a[0].Split([0, 6], 1)[1],
        ["split_sizes_all_weighted"] = a => WeightedCat(a[0].T().Split([2, 1, 1], 0), 0),
        ["unbind_dim1_piece"] = a => a[0].Unbind(1)[2],
        ["unbind_neg_dim_stacked"] = a => Tensor.Stack(a[0].Unbind(-1).Select((p, k) => p * (k + 1)).ToArray(), 0),
        ["unbind_transposed"] = a => a[0].T().Unbind(0)[1],
        ["narrow_dim1"] = a => a[0].Narrow(1, 1, 3),
        ["narrow_negative_start"] = a => a[0].Narrow(0, -2, 2),
        ["narrow_transposed"] = a => a[0].T().Narrow(-1, 0, 2),
        ["narrow_empty"] = a => a[0].Narrow(0, 3, 0),
        ["narrow_int64"] = a => a[0].Narrow(1, 2, 2),
        // repeat, tile
        ["repeat_2d"] = a => a[0].Repeat(2, 3),
        ["repeat_extra_leading_dims"] = a => a[0].Repeat(2, 1, 2),
        ["repeat_0d"] = a => a[0].Repeat(3),
        ["repeat_zero"] = a => a[0].Repeat(0, 2),
        ["repeat_transposed"] = a => a[0].T().Repeat(1, 2),
        ["repeat_int64"] = a => a[0].Repeat(2, 2),
        ["tile_fewer_reps"] = a => a[0].Tile(2),
        ["tile_more_reps"] = a => a[0].Tile(2, 2),
        ["tile_int64"] = a => a[0].Tile(3),
        // flip
        ["flip_dim0"] = a => a[0].Flip(0),
        ["flip_dims_0_neg1"] = a => a[0].Flip(0, -1),
        ["flip_transposed"] = a => a[0].T().Flip(1),
        ["flip_no_dims"] = a => a[0].Flip(),
        ["flip_int64"] = a => a[0].Flip(1),
        // roll
        ["roll_flattened"] = a => a[0].Roll(5),
        ["roll_dim1_negative"] = a => a[0].Roll(-1, 1),
        ["roll_two_dims"] = a => a[0].Roll([1, -2], [0, 2]),
        ["roll_shift_beyond_size"] = a => a[0].Roll(12, 0),
        ["roll_transposed"] = a => a[0].T().Roll(2, 0),
        ["roll_flattened_transposed"] = a => a[0].T().Roll(-3),
        ["roll_empty"] = a => a[0].Roll(1, 0),
        ["roll_int64"] = a => a[0].Roll(1, -1),
        // tril, triu
        ["tril_default"] = a => a[0].Tril(),
        ["tril_positive_diagonal"] = a => a[0].Tril(1),
        ["tril_negative_diagonal"] = a => a[0].Tril(-2),
        ["tril_beyond"] = a => a[0].Tril(10),
        ["triu_default"] = a => a[0].Triu(),
        ["triu_batched"] = a => a[0].Triu(2),
        ["triu_transposed_negative"] = a => a[0].T().Triu(-1),
        ["triu_beyond"] = a => a[0].Triu(10),
        ["tril_int64"] = a => a[0].Tril(),
        // outer, baddbmm, addmm
        ["outer"] = a => a[0].Outer(a[1]),
        ["outer_int64_times_float"] = a => a[0].Outer(a[1]),
        ["baddbmm_default"] = a => a[0].Baddbmm(a[1], a[2]),
        ["baddbmm_beta_alpha"] = a => a[0].Baddbmm(a[1], a[2], beta: 0.5, alpha: -2.0),
        ["baddbmm_broadcast_self"] = a => a[0].Baddbmm(a[1], a[2]),
        ["baddbmm_beta0_ignores_nan"] = a => a[0].Baddbmm(a[1], a[2], beta: 0),
        ["baddbmm_transposed_batch"] = a => a[0].Baddbmm(a[1].Transpose(1, 2), a[2]),
        ["baddbmm_int64"] = a => a[0].Baddbmm(a[1], a[2], beta: 2, alpha: 3),
        ["addmm_beta_alpha"] = a => a[0].Addmm(a[1], a[2], beta: 0.5, alpha: -2.0),
        ["addmm_row_bias"] = a => a[0].Addmm(a[1], a[2]),
        // einsum
        ["einsum_matmul"] = a => Tensor.Einsum("ij,jk->ik", a),
        ["einsum_implicit_matmul"] = a => Tensor.Einsum("ij,jk", a),
        ["einsum_trace"] = a => Tensor.Einsum("ii", a),
        ["einsum_diagonal"] = a => Tensor.Einsum("ii->i", a),
        ["einsum_diagonal_3"] = a => Tensor.Einsum("iji->ij", a),
        ["einsum_triple_repeat"] = a => Tensor.Einsum("iii->i", a),
        ["einsum_transpose"] = a => Tensor.Einsum("ij->ji", a),
        ["einsum_sum_all"] = a => Tensor.Einsum("ij->", a),
        ["einsum_batched_matmul"] = a => Tensor.Einsum("bij,bjk->bik", a),
        ["einsum_ellipsis_broadcast"] = a => Tensor.Einsum("...ij,...jk", a),
        ["einsum_ellipsis_summed"] = a => Tensor.Einsum("...ij->ij", a),
        ["einsum_ellipsis_middle"] = a => Tensor.Einsum("i...j->j...i", a),
        ["einsum_implicit_ellipsis"] = a => Tensor.Einsum("i...j", a),
        ["einsum_outer"] = a => Tensor.Einsum("i,j->ij", a),
        ["einsum_chain_three"] = a => Tensor.Einsum("ij,jk,kl->il", a),
        ["einsum_bilinear"] = a => Tensor.Einsum("bn,anm,bm->ba", a),
        ["einsum_label_broadcast"] = a => Tensor.Einsum("ij,jk->ik", a),
        ["einsum_implicit_order"] = a => Tensor.Einsum("ba,Ac", a),
        ["einsum_elementwise"] = a => Tensor.Einsum("ij,ij->ij", a),
        ["einsum_dot"] = a => Tensor.Einsum("i,i", a),
        ["einsum_spaces"] = a => Tensor.Einsum("i j , j k -> i k", a),
        ["einsum_transposed_operand"] = a => Tensor.Einsum("ij,jk->ik", a[0].T(), a[1]),
        ["einsum_permuted_contraction"] = a => Tensor.Einsum("abc,cbd->ad", a),
        ["einsum_sum_one_side"] = a => Tensor.Einsum("ij,k->i", a),
        ["einsum_scalar_operand"] = a => Tensor.Einsum(",i->i", a),
        ["einsum_zero_size"] = a => Tensor.Einsum("ij,jk->ik", a),
        ["einsum_ellipsis_uneven"] = a => Tensor.Einsum("...ij,...jk->...ik", a),
        ["einsum_ellipsis_vector"] = a => Tensor.Einsum("...i,i->...", a),
        ["einsum_repeat_within_and_across"] = a => Tensor.Einsum("iij,jk->ik", a),
        ["einsum_uppercase"] = a => Tensor.Einsum("Bij,BjK->BiK", a),
        ["einsum_batched_diagonal"] = a => Tensor.Einsum("bii->bi", a),
        ["einsum_same_operand_twice"] = a => Tensor.Einsum("ij,ij->", a[0], a[0]),
        ["einsum_sum_empty_dim"] = a => Tensor.Einsum("ij->i", a),
        ["einsum_empty_output"] = a => Tensor.Einsum("ij,jk->ik", a),
        ["einsum_empty_batch"] = a => Tensor.Einsum("bij,bjk->bik", a),
        ["einsum_int64"] = a => Tensor.Einsum("ij,jk->ik", a),
        // creation
        ["eye_3"] = _ => Tensor.Eye(3),
        ["eye_2x4_float64"] = _ => Tensor.Eye(2, 4, DType.Float64),
        ["eye_4x2_int64"] = _ => Tensor.Eye(4, 2, DType.Int64),
        ["eye_bool"] = _ => Tensor.Eye(2, 3, DType.Bool),
        ["eye_0"] = _ => Tensor.Eye(0),
        ["one_hot_inferred"] = a => Tensor.OneHot(a[0]),
        ["one_hot_given"] = a => Tensor.OneHot(a[0], 5),
        ["one_hot_0d"] = a => Tensor.OneHot(a[0], 3),
        ["one_hot_empty_given"] = a => Tensor.OneHot(a[0], 3),
        // float32
        ["float32_repeat_flip"] = a => a[0].Repeat(2, 1).Flip(0),
        ["float32_einsum_batched"] = a => Tensor.Einsum("bij,bkj->bik", a),
        ["float32_baddbmm"] = a => a[0].Baddbmm(a[1], a[2], alpha: 0.5),
    };

    private static readonly Lazy<Dictionary<string, ReferenceCases.RefCase>> Cases = new(() => ReferenceCases.Load("shapeops", "shapeops_cases.json"));

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
        Assert.True(Cases.Value.Count >= 90, $"only {Cases.Value.Count} cases");
    }
}
