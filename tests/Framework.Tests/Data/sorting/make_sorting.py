#!/usr/bin/python3
"""Builds sorting_cases.json: PyTorch's own forward values, input gradients and grad_fn names for the cumulative,
sorting and reduction ops (cumsum, cumprod, sort, argsort, topk, var, std, prod, logsumexp, any, all).

Run with Debian's PyTorch:  /usr/bin/python3 make_sorting.py
(the JSON is committed; tests/Framework.Tests/Autograd/SortingTests.cs reads it and never needs Python).

Every case has fixed inputs (drawn from numpy with a fixed seed and rounded to 4 decimals, or written out by hand for
edge cases: ties, zeros, NaN, ±inf, empty dims, 0-d, Int64 and Bool inputs), runs one computation, calls
out.backward(upstream) with a fixed non-trivial upstream gradient when the output requires grad, and records the
output, the gradient of every input that requires grad and type(out.grad_fn).__name__. Values are flat row-major
lists; NaN and ±inf are written as the strings "nan", "inf", "-inf".
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, boolean, long  # noqa: E402

rec = Recorder("make_sorting.py", 20261203)
randn, case = rec.randn, rec.case
nan, inf = float("nan"), float("inf")


# --- cumsum ------------------------------------------------------------------------------------
case("cumsum_dim0", lambda a: a.cumsum(0), randn(3, 4))
case("cumsum_dim1", lambda a: a.cumsum(1), randn(3, 4))
case("cumsum_dim_neg1_3d", lambda a: a.cumsum(-1), randn(2, 3, 4))
case("cumsum_dim1_3d", lambda a: a.cumsum(1), randn(2, 3, 4))
case("cumsum_transposed", lambda a: a.t().cumsum(1), randn(3, 4))
case("cumsum_0d", lambda a: a.cumsum(0), np.float64(3.0))
case("cumsum_empty_dim", lambda a: a.cumsum(1), np.zeros((2, 0)))
case("cumsum_int64", lambda a: a.cumsum(0), long([3, -1, 4, 1, -5]))
case("cumsum_bool", lambda a: a.cumsum(0), boolean([True, False, True, True]))
case("cumsum_float32", lambda a: a.cumsum(1), randn(2, 5), dtype=F32)
# --- cumprod -----------------------------------------------------------------------------------
case("cumprod_dim1", lambda a: a.cumprod(1), randn(3, 4))
case("cumprod_dim0", lambda a: a.cumprod(0), randn(4, 3))
case("cumprod_one_zero", lambda a: a.cumprod(0), [1.5, -2.0, 0.0, 3.0, 0.5])
case("cumprod_zero_first", lambda a: a.cumprod(0), [0.0, -2.0, 1.5, 3.0])
case("cumprod_zero_last", lambda a: a.cumprod(0), [1.5, -2.0, 3.0, 0.0])
case("cumprod_two_zeros", lambda a: a.cumprod(0), [2.0, 0.0, 3.0, 0.0, 5.0])
case("cumprod_zeros_in_a_row", lambda a: a.cumprod(0), [2.0, 0.0, 0.0, 3.0, 1.5])
case("cumprod_zeros_rows", lambda a: a.cumprod(1),
     [[2.0, 0.0, 3.0, 0.0], [1.5, -1.0, 2.0, 0.5], [0.0, 0.0, 0.0, 2.0]])
case("cumprod_zeros_dim0_transposed", lambda a: a.t().cumprod(0),
     [[2.0, 0.0, 3.0, 0.0], [1.5, -1.0, 2.0, 0.5], [0.0, 0.0, 1.0, 2.0]])
case("cumprod_0d", lambda a: a.cumprod(-1), np.float64(-2.5))
case("cumprod_int64", lambda a: a.cumprod(0), long([2, -3, 4, 0, 5]))
case("cumprod_bool", lambda a: a.cumprod(0), boolean([True, True, False, True]))
case("cumprod_float32", lambda a: a.cumprod(1), randn(2, 4), dtype=F32)
# --- sort / argsort ----------------------------------------------------------------------------
case("sort_values", lambda a: a.sort()[0], randn(3, 5))
case("sort_indices", lambda a: a.sort()[1], randn(3, 5))
case("sort_dim0_descending_values", lambda a: a.sort(0, descending=True)[0], randn(4, 3))
case("sort_dim0_descending_indices", lambda a: a.sort(0, descending=True)[1], randn(4, 3))
case("sort_3d_dim1", lambda a: a.sort(1)[0], randn(2, 4, 3))
case("sort_transposed", lambda a: a.t().sort(-1)[0], randn(3, 4))
case("sort_transposed_indices", lambda a: a.t().sort(-1)[1], randn(3, 4))
case("sort_ties_values", lambda a: a.sort()[0], [3.0, 1.0, 2.0, 1.0, 3.0, 1.0])
case("sort_ties_indices", lambda a: a.sort()[1], [3.0, 1.0, 2.0, 1.0, 3.0, 1.0])
case("sort_ties_descending_indices", lambda a: a.sort(descending=True)[1], [3.0, 1.0, 2.0, 1.0, 3.0, 1.0])
case("sort_nan_values", lambda a: a.sort()[0], [3.0, nan, 1.0, -inf, nan, 2.0, inf])
case("sort_nan_indices", lambda a: a.sort()[1], [3.0, nan, 1.0, -inf, nan, 2.0, inf])
case("sort_nan_descending_values", lambda a: a.sort(descending=True)[0], [3.0, nan, 1.0, -inf, nan, 2.0, inf])
case("sort_nan_descending_indices", lambda a: a.sort(descending=True)[1], [3.0, nan, 1.0, -inf, nan, 2.0, inf])
case("sort_0d", lambda a: a.sort(0)[0], np.float64(1.25))
case("sort_empty_dim", lambda a: a.sort(1)[0], np.zeros((2, 0)))
case("sort_int64_values", lambda a: a.sort(descending=True)[0], long([[5, -2, 7, 0], [1, 1, -3, 9]]))
case("sort_int64_indices", lambda a: a.sort(descending=True)[1], long([[5, -2, 7, 0], [1, 1, -3, 9]]))
case("sort_bool_values", lambda a: a.sort()[0], boolean([True, False, True, False]))
case("sort_bool_indices", lambda a: a.sort()[1], boolean([True, False, True, False]))
case("sort_float32", lambda a: a.sort(0)[0], randn(3, 4), dtype=F32)
case("argsort", lambda a: a.argsort(), randn(3, 5))
case("argsort_dim0_descending", lambda a: a.argsort(0, descending=True), randn(4, 3))
case("argsort_ties", lambda a: a.argsort(), long([2, 0, 2, 1, 0, 2]))
# --- topk --------------------------------------------------------------------------------------
case("topk_values", lambda a: a.topk(2)[0], randn(3, 5))
case("topk_indices", lambda a: a.topk(2)[1], randn(3, 5))
case("topk_smallest_values", lambda a: a.topk(3, largest=False)[0], randn(2, 6))
case("topk_smallest_indices", lambda a: a.topk(3, largest=False)[1], randn(2, 6))
case("topk_dim0_values", lambda a: a.topk(2, dim=0)[0], randn(4, 3))
case("topk_dim0_indices", lambda a: a.topk(2, dim=0)[1], randn(4, 3))
case("topk_transposed", lambda a: a.t().topk(2)[0], randn(4, 3))
case("topk_k_all", lambda a: a.topk(4)[0], randn(2, 4))
case("topk_k0", lambda a: a.topk(0)[0], randn(2, 4))
case("topk_nan_values", lambda a: a.topk(2)[0], [3.0, nan, 1.0, 2.0])
case("topk_nan_indices", lambda a: a.topk(2)[1], [3.0, nan, 1.0, 2.0])
case("topk_nan_smallest_indices", lambda a: a.topk(2, largest=False)[1], [3.0, nan, 1.0, 2.0])
case("topk_0d", lambda a: a.topk(1)[0], np.float64(0.75))
case("topk_int64", lambda a: a.topk(2)[0], long([4, -1, 9, 3]))
case("topk_float32", lambda a: a.topk(2, dim=1)[0], randn(3, 4), dtype=F32)
# --- var / std ---------------------------------------------------------------------------------
case("var_all", lambda a: a.var(), randn(3, 4))
case("var_dim0", lambda a: a.var(0), randn(3, 4))
case("var_dim_neg1_keepdim", lambda a: a.var(-1, keepdim=True), randn(3, 4))
case("var_dim1_correction0", lambda a: a.var(1, correction=0), randn(3, 4))
case("var_dim1_correction2", lambda a: a.var(1, correction=2), randn(3, 4))
case("var_correction_n", lambda a: a.var(0, correction=3), [1.0, 2.0, 4.0])
case("var_correction_above_n", lambda a: a.var(0, correction=5), [1.0, 2.0, 4.0])
case("var_single_element", lambda a: a.var(0), [[1.5, -2.0]])
case("var_dims_unbiased_false", lambda a: a.var([0, 2], unbiased=False), randn(2, 3, 4))
case("var_dims_keepdim", lambda a: a.var([1, 0], keepdim=True), randn(2, 3, 2))
case("var_transposed", lambda a: a.t().var(1), randn(3, 4))
case("var_unbiased_false_all", lambda a: a.var(unbiased=False), randn(5))
case("var_empty", lambda a: a.var(1), np.zeros((2, 0)))
case("var_float32", lambda a: a.var(1), randn(2, 5), dtype=F32)
case("std_all", lambda a: a.std(), randn(3, 4))
case("std_dim1", lambda a: a.std(1), randn(3, 4))
case("std_dim0_keepdim_correction0", lambda a: a.std(0, correction=0, keepdim=True), randn(3, 4))
case("std_zero_spread", lambda a: a.std(1), [[1.5, 1.5, 1.5], [1.0, 2.0, 4.0]])
case("std_dims", lambda a: a.std([0, 2]), randn(2, 3, 4))
case("std_unbiased_false", lambda a: a.std(unbiased=False), randn(6))
case("std_transposed", lambda a: a.t().std(0), randn(3, 4))
case("std_float32", lambda a: a.std(0), randn(4, 3), dtype=F32)
# --- prod --------------------------------------------------------------------------------------
case("prod_all", lambda a: a.prod(), randn(2, 3))
case("prod_all_one_zero", lambda a: a.prod(), [[1.5, -2.0, 0.0], [3.0, 0.5, -1.25]])
case("prod_all_two_zeros", lambda a: a.prod(), [[1.5, 0.0, 0.0], [3.0, 0.5, -1.25]])
case("prod_dim1", lambda a: a.prod(1), randn(3, 4))
case("prod_dim0_keepdim", lambda a: a.prod(0, keepdim=True), randn(3, 4))
case("prod_dim_neg1_3d", lambda a: a.prod(-1), randn(2, 3, 4))
case("prod_dim1_zeros", lambda a: a.prod(1),
     [[2.0, 0.0, 3.0, -1.5], [1.5, -1.0, 2.0, 0.5], [0.0, 0.0, 4.0, 2.0], [2.0, 1.0, 0.0, 0.0]])
case("prod_dim0_zeros_keepdim", lambda a: a.prod(0, keepdim=True),
     [[2.0, 0.0, 3.0], [0.0, -1.0, 2.0], [1.5, 0.0, 0.5]])
case("prod_transposed_zeros", lambda a: a.t().prod(1), [[2.0, 0.0, 3.0], [0.5, -1.0, 0.0], [1.5, 0.0, 2.5]])
case("prod_0d", lambda a: a.prod(), np.float64(-1.5))
case("prod_0d_dim", lambda a: a.prod(0), np.float64(-1.5))
case("prod_empty_dim", lambda a: a.prod(0), np.zeros((0, 3)))
case("prod_int64", lambda a: a.prod(1), long([[2, -3, 4], [5, 0, 7]]))
case("prod_int64_all", lambda a: a.prod(), long([2, -3, 4]))
case("prod_bool", lambda a: a.prod(), boolean([True, True, True]))
case("prod_float32", lambda a: a.prod(1), randn(2, 4), dtype=F32)
# --- logsumexp ---------------------------------------------------------------------------------
case("logsumexp_dim1", lambda a: a.logsumexp(1), randn(3, 4))
case("logsumexp_dim0_keepdim", lambda a: a.logsumexp(0, keepdim=True), randn(3, 4))
case("logsumexp_dims", lambda a: a.logsumexp([0, 2]), randn(2, 3, 4))
case("logsumexp_dims_keepdim", lambda a: a.logsumexp([2, 0], keepdim=True), randn(2, 3, 2))
case("logsumexp_transposed", lambda a: a.t().logsumexp(-1), randn(3, 4))
case("logsumexp_large", lambda a: a.logsumexp(1), [[1000.0, 999.0, 998.5], [-1000.0, -1001.0, -999.5]])
case("logsumexp_neg_inf", lambda a: a.logsumexp(1), [[0.5, -inf, 1.5], [-inf, -inf, -inf]])
case("logsumexp_pos_inf", lambda a: a.logsumexp(0), [inf, 1.0, -2.0])
case("logsumexp_0d", lambda a: a.logsumexp(0), np.float64(2.0))
case("logsumexp_empty_dim", lambda a: a.logsumexp(1), np.zeros((3, 0)))
case("logsumexp_int64", lambda a: a.logsumexp(0), long([1, 2, 3]))
case("logsumexp_float32", lambda a: a.logsumexp(1), randn(2, 5), dtype=F32)
# --- any / all ---------------------------------------------------------------------------------
case("any_all_elements", lambda a: a.any(), torch.tensor([[0.0, 0.0], [0.0, -0.5]]))
case("any_none", lambda a: a.any(), torch.tensor([[0.0, -0.0], [0.0, 0.0]]))
case("all_all_elements", lambda a: a.all(), torch.tensor([[1.0, 2.0], [nan, -0.5]]))
case("all_one_zero", lambda a: a.all(), torch.tensor([[1.0, 2.0], [0.0, -0.5]]))
case("any_dim1", lambda a: a.any(1), torch.tensor([[0.0, 0.0, 0.0], [0.0, nan, 0.0], [1.0, 0.0, 2.0]]))
case("all_dim0_keepdim", lambda a: a.all(0, keepdim=True), torch.tensor([[1.0, 0.0, 3.0], [2.0, 5.0, -1.0]]))
case("any_int64_dim0", lambda a: a.any(0), long([[0, 3], [0, 0]]))
case("all_int64", lambda a: a.all(), long([1, -2, 3]))
case("any_bool_dim_neg1", lambda a: a.any(-1), boolean([[False, False], [True, False]]))
case("all_bool_dim1", lambda a: a.all(1), boolean([[True, True], [True, False]]))
case("any_empty", lambda a: a.any(), torch.zeros(0, 3))
case("all_empty_dim", lambda a: a.all(0), torch.zeros(0, 3))
case("any_0d", lambda a: a.any(0), torch.tensor(2.0))
case("all_transposed", lambda a: a.t().all(1), torch.tensor([[1.0, 0.0, 3.0], [2.0, 5.0, -1.0]]))

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "sorting_cases.json"))
