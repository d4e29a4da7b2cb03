#!/usr/bin/python3
"""Builds shapeops_cases.json: PyTorch's own results for the splitting, rearranging, matrix-product and creation ops.

Run with Debian's PyTorch:  /usr/bin/python3 make_shapeops.py
(the JSON is committed; tests/Framework.Tests/Autograd/ShapeOpTests.cs reads it and never needs Python).

Every case has fixed inputs (drawn once from numpy with a fixed seed and rounded to 4 decimals, or written out by
hand), runs one computation, calls out.backward(upstream) with a fixed non-trivial upstream gradient when the
output requires grad, and records the output, the gradient of every input that requires grad, and
type(out.grad_fn).__name__ unless grad_fn=False (einsum's grad_fn is whatever op it ends with).
Non-contiguous inputs are made inside the computation (a.t(), a.transpose(1, 2)), the same way in C#.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, boolean, long  # noqa: E402

rec = Recorder("make_shapeops.py", 20261203)
randn, case = rec.randn, rec.case
one_hot = torch.nn.functional.one_hot


def ints(*shape):
    return torch.tensor(rec.rng.integers(-9, 10, shape), dtype=torch.int64)


def weighted_cat(pieces, dim):
    return torch.cat([p * (k + 1.5) for k, p in enumerate(pieces)], dim)


# --- chunk, split, unbind, narrow (views) ----------------------------------------------------
case("chunk_dim1_piece1", lambda a: a.chunk(3, 1)[1], randn(4, 7))
case("chunk_last_shorter", lambda a: a.chunk(2)[1], randn(5, 4))
case("chunk_more_chunks_than_size", lambda a: a.chunk(5)[2], randn(3, 2))
case("chunk_transposed_neg_dim", lambda a: a.t().chunk(2, -1)[0], randn(3, 4))
case("chunk_all_weighted", lambda a: weighted_cat(a.chunk(3, 1), 1), randn(2, 7), grad_fn=False)
case("chunk_int64", lambda a: a.chunk(2, 1)[1], ints(2, 5))
case("split_size_last_piece", lambda a: a.split(2)[2], randn(5, 3))
case("split_size_all_weighted", lambda a: weighted_cat(a.split(2, -1), -1), randn(3, 5), grad_fn=False)
case("split_sizes_dim_neg1", lambda a: a.split([1, 3, 2], -1)[1], randn(2, 6))
case("split_sizes_zero_piece", lambda a: a.split([0, 6], 1)[1], randn(2, 6))
case("split_sizes_all_weighted", lambda a: weighted_cat(a.t().split([2, 1, 1], 0), 0), randn(3, 4), grad_fn=False)
case("unbind_dim1_piece", lambda a: a.unbind(1)[2], randn(3, 4, 2))
case("unbind_neg_dim_stacked", lambda a: torch.stack([p * (k + 1) for k, p in enumerate(a.unbind(-1))], 0), randn(2, 3),
     grad_fn=False)
case("unbind_transposed", lambda a: a.t().unbind(0)[1], randn(2, 3))
case("narrow_dim1", lambda a: a.narrow(1, 1, 3), randn(3, 5))
case("narrow_negative_start", lambda a: a.narrow(0, -2, 2), randn(4, 3))
case("narrow_transposed", lambda a: a.t().narrow(-1, 0, 2), randn(3, 4))
case("narrow_empty", lambda a: a.narrow(0, 3, 0), randn(3, 2))
case("narrow_int64", lambda a: a.narrow(1, 2, 2), ints(2, 4))
# --- repeat, tile --------------------------------------------------------------------------
case("repeat_2d", lambda a: a.repeat(2, 3), randn(2, 3))
case("repeat_extra_leading_dims", lambda a: a.repeat(2, 1, 2), randn(2, 3))
case("repeat_0d", lambda a: a.repeat(3), randn())
case("repeat_zero", lambda a: a.repeat(0, 2), randn(2, 3))
case("repeat_transposed", lambda a: a.t().repeat(1, 2), randn(2, 3))
case("repeat_int64", lambda a: a.repeat(2, 2), ints(2, 2))
case("tile_fewer_reps", lambda a: a.tile((2,)), randn(2, 3))
case("tile_more_reps", lambda a: a.tile((2, 2)), randn(3))
case("tile_int64", lambda a: a.tile((3,)), ints(2))
# --- flip ------------------------------------------------------------------------------------
case("flip_dim0", lambda a: a.flip(0), randn(3, 4))
case("flip_dims_0_neg1", lambda a: a.flip(0, -1), randn(2, 3, 4))
case("flip_transposed", lambda a: a.t().flip(1), randn(3, 4))
case("flip_no_dims", lambda a: a.flip(()), randn(2, 3))
case("flip_int64", lambda a: a.flip(1), ints(2, 3))
# --- roll ------------------------------------------------------------------------------------
case("roll_flattened", lambda a: a.roll(5), randn(3, 4))
case("roll_dim1_negative", lambda a: a.roll(-1, 1), randn(3, 4))
case("roll_two_dims", lambda a: a.roll((1, -2), (0, 2)), randn(2, 3, 4))
case("roll_shift_beyond_size", lambda a: a.roll(12, 0), randn(5))
case("roll_transposed", lambda a: a.t().roll(2, 0), randn(3, 4))
case("roll_flattened_transposed", lambda a: a.t().roll(-3), randn(3, 4))
case("roll_empty", lambda a: a.roll(1, 0), np.zeros((0, 3)))
case("roll_int64", lambda a: a.roll(1, -1), ints(2, 3))
# --- tril, triu ------------------------------------------------------------------------------
case("tril_default", lambda a: a.tril(), randn(4, 4))
case("tril_positive_diagonal", lambda a: a.tril(1), randn(4, 5))
case("tril_negative_diagonal", lambda a: a.tril(-2), randn(5, 3))
case("tril_beyond", lambda a: a.tril(10), randn(3, 3))
case("triu_default", lambda a: a.triu(), randn(3, 4))
case("triu_batched", lambda a: a.triu(2), randn(2, 3, 5))
case("triu_transposed_negative", lambda a: a.t().triu(-1), randn(4, 3))
case("triu_beyond", lambda a: a.triu(10), randn(3, 3))
case("tril_int64", lambda a: a.tril(), ints(3, 3))
# --- outer, baddbmm, addmm ---------------------------------------------------------------------
case("outer", lambda a, b: a.outer(b), randn(3), randn(4))
case("outer_int64_times_float", lambda a, b: a.outer(b), long([1, -2, 3]), randn(2))
case("baddbmm_default", lambda s, a, b: s.baddbmm(a, b), randn(2, 3, 4), randn(2, 3, 5), randn(2, 5, 4))
case("baddbmm_beta_alpha", lambda s, a, b: s.baddbmm(a, b, beta=0.5, alpha=-2.0), randn(2, 3, 4), randn(2, 3, 2), randn(2, 2, 4))
case("baddbmm_broadcast_self", lambda s, a, b: s.baddbmm(a, b), randn(3, 1), randn(2, 3, 2), randn(2, 2, 4))
case("baddbmm_beta0_ignores_nan", lambda s, a, b: s.baddbmm(a, b, beta=0.0), np.full((2, 2, 3), np.nan), randn(2, 2, 3),
     randn(2, 3, 3))
case("baddbmm_transposed_batch", lambda s, a, b: s.baddbmm(a.transpose(1, 2), b), randn(2, 3, 4), randn(2, 5, 3), randn(2, 5, 4))
case("baddbmm_int64", lambda s, a, b: s.baddbmm(a, b, beta=2, alpha=3), ints(2, 2, 2), ints(2, 2, 3), ints(2, 3, 2))
case("addmm_beta_alpha", lambda s, a, b: s.addmm(a, b, beta=0.5, alpha=-2.0), randn(2, 4), randn(2, 3), randn(3, 4))
case("addmm_row_bias", lambda s, a, b: s.addmm(a, b), randn(4), randn(2, 3), randn(3, 4))
# --- einsum ------------------------------------------------------------------------------------
E = dict(grad_fn=False)
case("einsum_matmul", lambda a, b: torch.einsum("ij,jk->ik", a, b), randn(2, 3), randn(3, 4), **E)
case("einsum_implicit_matmul", lambda a, b: torch.einsum("ij,jk", a, b), randn(2, 3), randn(3, 4), **E)
case("einsum_trace", lambda a: torch.einsum("ii", a), randn(3, 3), **E)
case("einsum_diagonal", lambda a: torch.einsum("ii->i", a), randn(3, 3), **E)
case("einsum_diagonal_3", lambda a: torch.einsum("iji->ij", a), randn(2, 3, 2), **E)
case("einsum_triple_repeat", lambda a: torch.einsum("iii->i", a), randn(2, 2, 2), **E)
case("einsum_transpose", lambda a: torch.einsum("ij->ji", a), randn(2, 3), **E)
case("einsum_sum_all", lambda a: torch.einsum("ij->", a), randn(2, 3), **E)
case("einsum_batched_matmul", lambda a, b: torch.einsum("bij,bjk->bik", a, b), randn(2, 2, 3), randn(2, 3, 4), **E)
case("einsum_ellipsis_broadcast", lambda a, b: torch.einsum("...ij,...jk", a, b), randn(2, 1, 2, 3), randn(5, 3, 4), **E)
case("einsum_ellipsis_summed", lambda a: torch.einsum("...ij->ij", a), randn(2, 2, 3), **E)
case("einsum_ellipsis_middle", lambda a: torch.einsum("i...j->j...i", a), randn(2, 3, 4, 5), **E)
case("einsum_implicit_ellipsis", lambda a: torch.einsum("i...j", a), randn(2, 3, 4), **E)
case("einsum_outer", lambda a, b: torch.einsum("i,j->ij", a, b), randn(3), randn(4), **E)
case("einsum_chain_three", lambda a, b, c: torch.einsum("ij,jk,kl->il", a, b, c), randn(2, 3), randn(3, 4), randn(4, 2), **E)
case("einsum_bilinear", lambda a, b, c: torch.einsum("bn,anm,bm->ba", a, b, c), randn(2, 3), randn(4, 3, 5), randn(2, 5), **E)
case("einsum_label_broadcast", lambda a, b: torch.einsum("ij,jk->ik", a, b), randn(2, 1), randn(3, 4), **E)
case("einsum_implicit_order", lambda a, b: torch.einsum("ba,Ac", a, b), randn(2, 3), randn(4, 5), **E)
case("einsum_elementwise", lambda a, b: torch.einsum("ij,ij->ij", a, b), randn(2, 3), randn(2, 3), **E)
case("einsum_dot", lambda a, b: torch.einsum("i,i", a, b), randn(4), randn(4), **E)
case("einsum_spaces", lambda a, b: torch.einsum("i j , j k -> i k", a, b), randn(2, 3), randn(3, 2), **E)
case("einsum_transposed_operand", lambda a, b: torch.einsum("ij,jk->ik", a.t(), b), randn(3, 2), randn(3, 4), **E)
case("einsum_permuted_contraction", lambda a, b: torch.einsum("abc,cbd->ad", a, b), randn(2, 3, 4), randn(4, 3, 2), **E)
case("einsum_sum_one_side", lambda a, b: torch.einsum("ij,k->i", a, b), randn(2, 3), randn(4), **E)
case("einsum_scalar_operand", lambda a, b: torch.einsum(",i->i", a, b), randn(), randn(3), **E)
case("einsum_zero_size", lambda a, b: torch.einsum("ij,jk->ik", a, b), np.zeros((2, 0)), np.zeros((0, 3)), **E)
case("einsum_ellipsis_uneven", lambda a, b: torch.einsum("...ij,...jk->...ik", a, b), randn(2, 3, 2, 3), randn(3, 4), **E)
case("einsum_ellipsis_vector", lambda a, b: torch.einsum("...i,i->...", a, b), randn(2, 3, 4), randn(4), **E)
case("einsum_repeat_within_and_across", lambda a, b: torch.einsum("iij,jk->ik", a, b), randn(2, 2, 3), randn(3, 4), **E)
case("einsum_uppercase", lambda a, b: torch.einsum("Bij,BjK->BiK", a, b), randn(2, 2, 3), randn(2, 3, 2), **E)
case("einsum_batched_diagonal", lambda a: torch.einsum("bii->bi", a), randn(2, 3, 3), **E)
case("einsum_same_operand_twice", lambda a: torch.einsum("ij,ij->", a, a), randn(2, 3), **E)
case("einsum_sum_empty_dim", lambda a: torch.einsum("ij->i", a), np.zeros((2, 0)), **E)
case("einsum_empty_output", lambda a, b: torch.einsum("ij,jk->ik", a, b), randn(2, 3), np.zeros((3, 0)), **E)
case("einsum_empty_batch", lambda a, b: torch.einsum("bij,bjk->bik", a, b), np.zeros((0, 2, 3)), np.zeros((0, 3, 2)), **E)
case("einsum_int64", lambda a, b: torch.einsum("ij,jk->ik", a, b), ints(2, 3), ints(3, 2), **E)
# --- creation ----------------------------------------------------------------------------------
case("eye_3", lambda: torch.eye(3))
case("eye_2x4_float64", lambda: torch.eye(2, 4, dtype=F64))
case("eye_4x2_int64", lambda: torch.eye(4, 2, dtype=torch.int64))
case("eye_bool", lambda: torch.eye(2, 3, dtype=torch.bool))
case("eye_0", lambda: torch.eye(0))
case("one_hot_inferred", lambda a: one_hot(a), long([0, 2, 1, 2]))
case("one_hot_given", lambda a: one_hot(a, 5), long([[0, 4], [3, 3]]))
case("one_hot_0d", lambda a: one_hot(a, 3), long(2))
case("one_hot_empty_given", lambda a: one_hot(a, 3), torch.zeros((0, 2), dtype=torch.int64))
# --- float32 ---------------------------------------------------------------------------------------
case("float32_repeat_flip", lambda a: a.repeat(2, 1).flip(0), randn(2, 3), dtype=F32)
case("float32_einsum_batched", lambda a, b: torch.einsum("bij,bkj->bik", a, b), randn(2, 3, 4), randn(2, 2, 4), dtype=F32, **E)
case("float32_baddbmm", lambda s, a, b: s.baddbmm(a, b, alpha=0.5), randn(2, 2, 2), randn(2, 2, 3), randn(2, 3, 2), dtype=F32)

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "shapeops_cases.json"))
