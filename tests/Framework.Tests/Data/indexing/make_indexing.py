#!/usr/bin/python3
"""Builds indexing_cases.json: x[...] get and set, index_put, index_select/index_add, scatter, masked_fill/select and
nonzero, computed by PyTorch itself (forward values, input gradients for a fixed upstream gradient, grad_fn names).

Run with Debian's PyTorch:  /usr/bin/python3 make_indexing.py   (the JSON is committed; the C# tests never need Python).
Inputs are drawn once from numpy with a fixed seed and rounded to 4 decimals; index tensors are written out by hand.
The C# side (Reference/IndexingReferenceTests.cs) writes the same computation in our API under each case's name.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, boolean, long  # noqa: E402

rec = Recorder("make_indexing.py", 20261203)
randn, case = rec.randn, rec.case


def setting(index):
    """y = x.clone(); y[index] = v; returns y (grads flow to x and v)."""
    def run(x, v, *ix):
        y = x.clone()
        y[index(*ix)] = v
        return y
    return run


# --- get: basic indexing (views) --------------------------------------------------------------
case("get_slice", lambda x: x[1:3], randn(4, 3))
case("get_last", lambda x: x[-1], randn(4, 3))
case("get_column", lambda x: x[:, 0], randn(4, 3))
case("get_step", lambda x: x[::2], randn(5, 2))
case("get_step_offset", lambda x: x[1::2, 1:], randn(5, 3))
case("get_negative_slice", lambda x: x[:, -2:], randn(2, 4))
case("get_new_axis", lambda x: x[:, None], randn(2, 3))
case("get_new_axis_last", lambda x: x[..., None], randn(2, 3))
case("get_ellipsis_int", lambda x: x[..., 1], randn(2, 3, 4))
case("get_ellipsis_only", lambda x: x[...], randn(2, 3))
case("get_int_int", lambda x: x[1, 2], randn(2, 3))
case("get_transposed_slice", lambda x: x.t()[1:, 0], randn(3, 4))
# --- get: advanced indexing (copies) ----------------------------------------------------------
case("get_index_duplicates", lambda x, i: x[i], randn(4, 3), long([2, 0, 2]))
case("get_index_2d", lambda x, i: x[i], randn(4, 3), long([[0, 1], [3, 3]]))
case("get_index_negative", lambda x, i: x[i], randn(4, 2), long([-1, 0, -4]))
case("get_range_label", lambda y_hat, r, y: y_hat[r, y], randn(4, 5), long([0, 1, 2, 3]), long([4, 0, 0, 2]))
case("get_index_then_slice", lambda x, i: x[i, 1:], randn(4, 3), long([3, 1]))
case("get_slice_then_index", lambda x, i: x[1:, i], randn(3, 4), long([0, 3, 3]))
case("get_non_adjacent", lambda x, i, j: x[i, :, j], randn(2, 3, 4), long([0, 1, 1]), long([3, 0, 3]))
case("get_int_between", lambda x, i, j: x[i, 0, j], randn(2, 3, 4), long([1, 0]), long([2, 3]))
case("get_index_int_after", lambda x, i: x[:, i, 0], randn(2, 3, 4), long([2, 0]))
case("get_none_between", lambda x, i, j: x[:, i, None, j], randn(2, 3, 4), long([0, 2]), long([1, 1]))
case("get_broadcast_indices", lambda x, i, j: x[i, j], randn(4, 5), long([[0], [3]]), long([1, 2, 4]))
case("get_index_of_transposed", lambda x, i: x.t()[i], randn(3, 4), long([3, 0, 3]))
case("get_empty_index", lambda x, i: x[i], randn(3, 2), long([]).reshape(0))
case("get_mask_full", lambda x, m: x[m], randn(3, 4), boolean([[True, False, True, False], [False, False, False, False], [True, True, True, True]]))
case("get_mask_rows", lambda x, m: x[m], randn(3, 4), boolean([True, False, True]))
case("get_int_then_mask", lambda x, m: x[1, m], randn(2, 3, 4), boolean([True, False, True]))
case("get_mask_then_slice", lambda x, m: x[m, 1:], randn(3, 4), boolean([False, True, True]))
case("get_zero_dim_index", lambda x, i: x[i], randn(3, 2), long(1))
case("get_true", lambda x, b: x[b], randn(2, 2), boolean(True))
case("get_float32_index", lambda x, i: x[i], randn(3, 2), long([2, 2]), dtype=F32)
# --- set (in place on a clone: CopySlices / IndexPutBackward0) ----------------------------------
case("set_slice", setting(lambda: slice(1, 3)), randn(4, 3), randn(2, 3))
case("set_column", setting(lambda: (slice(None), 0)), randn(4, 3), randn(4))
case("set_last_row_broadcast", setting(lambda: -1), randn(3, 4), randn(1))
case("set_leading_ones", setting(lambda: 0), randn(2, 3), randn(1, 1, 3))
case("set_index", setting(lambda i: i), randn(4, 3), randn(2, 3), long([3, 1]))
case("set_index_duplicates", setting(lambda i: i), randn(3, 2), randn(2, 2), long([0, 0]))
case("set_index_broadcast_row", setting(lambda i: i), randn(4, 3), randn(3), long([0, 2]))
case("set_index_then_slice", setting(lambda i: (i, slice(1, None))), randn(4, 3), randn(2, 2), long([2, 0]))
case("set_range_label", setting(lambda r, y: (r, y)), randn(3, 4), randn(3), long([0, 1, 2]), long([3, 3, 0]))
case("set_mask", setting(lambda m: m), randn(2, 3), randn(3), boolean([[True, False, True], [False, True, False]]))
case("set_mask_scalar_tensor", setting(lambda m: m), randn(2, 3), randn(), boolean([[True, False, False], [False, True, True]]))
case("set_int_on_index", setting(lambda i: (1, i)), randn(2, 4), randn(2), long([3, 1]))
case("set_new_axis", setting(lambda: (slice(None), None)), randn(2, 3), randn(2, 1, 3))


def set_mask_zero(x, m):
    y = x.clone()
    y[m] = 0
    return y


def set_twice(x, v, w, i):
    y = x * 2
    y[i] = v
    y[:, 0] = w
    return y


case("set_mask_number", set_mask_zero, randn(3, 3), boolean([[True, False, False], [False, True, False], [False, False, True]]))
case("set_twice", set_twice, randn(3, 2), randn(2), randn(3), long([2, 0]))
# --- index_put ----------------------------------------------------------------------------------
case("index_put_accumulate", lambda x, v, i: x.index_put((i,), v, accumulate=True), randn(3, 2), randn(4, 2), long([0, 2, 0, 0]))
case("index_put_two_dims", lambda x, v, i, j: x.index_put((i, j), v), randn(3, 4), randn(2), long([0, 2]), long([3, 1]))
case("index_put_mask", lambda x, v, m: x.index_put((m,), v), randn(2, 2), randn(1), boolean([[True, False], [True, True]]))
# --- index_select / index_add -----------------------------------------------------------------
case("index_select_dim0", lambda x, i: x.index_select(0, i), randn(4, 3), long([3, 0, 3]))
case("index_select_dim1", lambda x, i: x.index_select(1, i), randn(2, 4), long([1, 1, 0]))
case("index_select_dim_neg1_3d", lambda x, i: x.index_select(-1, i), randn(2, 2, 3), long([2]))
case("index_select_zero_dim_index", lambda x, i: x.index_select(1, i), randn(2, 3), long(2))
case("index_select_transposed", lambda x, i: x.t().index_select(0, i), randn(3, 4), long([0, 3]))
case("index_add_duplicates", lambda x, s, i: x.index_add(0, i, s), randn(3, 2), randn(4, 2), long([0, 2, 0, 0]))
case("index_add_dim1_alpha", lambda x, s, i: x.index_add(1, i, s, alpha=2.5), randn(2, 3), randn(2, 2), long([2, 2]))
# --- scatter / scatter_add / gather -------------------------------------------------------------
case("scatter_dim0", lambda x, s, i: x.scatter(0, i, s), randn(3, 4), randn(2, 4), long([[0, 1, 2, 0], [2, 0, 0, 1]]))
case("scatter_dim1_src_larger", lambda x, s, i: x.scatter(1, i, s), randn(3, 4), torch.tensor(randn(3, 5)), long([[0, 3], [1, 2]]))
case("scatter_value", lambda x, i: x.scatter(1, i, 1.5), randn(2, 3), long([[2], [0]]))
case("scatter_add_duplicates", lambda x, s, i: x.scatter_add(1, i, s), randn(2, 3), randn(2, 4), long([[0, 0, 2, 0], [1, 1, 1, 2]]))
case("scatter_add_dim_neg1_3d", lambda x, s, i: x.scatter_add(-1, i, s), randn(2, 2, 3), randn(2, 2, 2), long([[[0, 2], [1, 1]], [[2, 2], [0, 1]]]))
# --- masks --------------------------------------------------------------------------------------
case("masked_fill_broadcast_mask", lambda x, m: x.masked_fill(m, -1.5), randn(3, 4), boolean([True, False, True, False]))
case("masked_fill_mask_broadcasts_input", lambda x, m: x.masked_fill(m, 0.0), randn(4), boolean([[True, False, False, True], [False, True, False, False]]))
case("masked_fill_tensor_value", lambda x, v, m: x.masked_fill(m, v), randn(2, 3), randn(), boolean([[True, False, True], [True, True, False]]))
case("masked_select", lambda x, m: x.masked_select(m), randn(2, 3), boolean([[True, False, True], [False, False, True]]))
case("masked_select_broadcast", lambda x, m: x.masked_select(m), randn(3), boolean([[True, False, True], [False, True, True]]))
case("nonzero_float", lambda x: x.detach().nonzero(), np.array([[0.0, 1.5, 0.0], [-0.0, 2.0, -3.0]]))
case("nonzero_int_3d", lambda x: x.nonzero(), long([[[0, 1], [2, 0]], [[0, 0], [0, 7]]]))

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "indexing_cases.json"))
