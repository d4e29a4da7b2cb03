#!/usr/bin/python3
"""Builds reference_cases.json: forward values and input gradients computed by PyTorch itself.

Run with Debian's PyTorch:  /usr/bin/python3 make_reference.py
(the JSON is committed; the C# tests read it and never need Python).

Every case has fixed inputs (drawn once from numpy with a fixed seed and rounded to 4 decimals,
or written out by hand for edge cases), runs one computation, calls out.backward(upstream) with a
fixed non-trivial upstream gradient, and records the output, the gradient of every input that
requires grad, and type(out.grad_fn).__name__ where that name is meaningful (not an
implementation detail of a composite such as batched matmul's reshapes).

Values are flat row-major lists. Float32 values are written as repr(float(v)), the shortest
decimal that reads back as the same double, which is exactly the float32 value.
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, boolean, long  # noqa: E402

rec = Recorder("make_reference.py", 20240607)
randn, positive, case = rec.randn, rec.positive, rec.case


# --- broadcasting arithmetic ---------------------------------------------------------------
case("add_broadcast_row", lambda a, b: a + b, randn(2, 3), randn(3))
case("sub_broadcast_col_row", lambda a, b: a - b, randn(3, 1), randn(1, 4))
case("mul_broadcast_outer", lambda a, b: a * b, randn(3, 1), randn(1, 4))
case("mul_broadcast_3d", lambda a, b: a * b, randn(2, 1, 3), randn(4, 1))
case("div_broadcast", lambda a, b: a / b, randn(2, 3), positive(2, 1))
# --- scalar ops ----------------------------------------------------------------------------
case("scalar_add_mul", lambda a: a * 2.5 + 1.5, randn(2, 3))
case("scalar_rsub", lambda a: 2.0 - a, randn(4))
case("scalar_div", lambda a: a / 4.0, randn(3))
case("scalar_rdiv", lambda a: 3.0 / a, positive(4))
case("neg", lambda a: -a, randn(2, 2))
# --- pow -----------------------------------------------------------------------------------
case("pow_scalar_int", lambda a: a.pow(3), randn(2, 3))
case("pow_scalar_fractional", lambda a: a.pow(2.5), positive(4))
case("pow_tensor_exponent", lambda a, b: a.pow(b), positive(2, 3), randn(3))
# --- elementwise math ----------------------------------------------------------------------
case("exp", lambda a: a.exp(), randn(2, 3))
case("log", lambda a: a.log(), positive(2, 3, low=0.1, high=5.0))
case("sqrt", lambda a: a.sqrt(), positive(5, low=0.1, high=9.0))
case("abs_with_zero", lambda a: a.abs(), [-1.5, -0.25, 0.0, 0.75, 2.0])
case("sin", lambda a: a.sin(), randn(2, 3, scale=2.0))
case("cos", lambda a: a.cos(), randn(2, 3, scale=2.0))
case("tanh", lambda a: a.tanh(), randn(2, 3, scale=2.0))
case("sigmoid", lambda a: a.sigmoid(), [-30.0, -2.0, -0.5, 0.0, 0.5, 2.0, 30.0])
case("relu_with_zero", lambda a: a.relu(), [-2.0, -0.1, 0.0, 0.1, 3.0])
case("clamp_with_bounds", lambda a: a.clamp(-0.5, 0.5), [-2.0, -0.5, -0.3, 0.0, 0.4, 0.5, 3.0])
# --- reductions ----------------------------------------------------------------------------
case("sum_all", lambda a: a.sum(), randn(2, 3))
case("sum_dim0", lambda a: a.sum(0), randn(2, 3, 4))
case("sum_dim1_keepdim", lambda a: a.sum(1, keepdim=True), randn(2, 3, 4))
case("sum_dim_neg1", lambda a: a.sum(-1), randn(2, 3, 4))
case("sum_dims_0_2", lambda a: a.sum((0, 2)), randn(2, 3, 4))
case("mean_all", lambda a: a.mean(), randn(3, 4))
case("mean_dim0", lambda a: a.mean(0), randn(3, 4))
case("mean_dim1_keepdim", lambda a: a.mean(1, keepdim=True), randn(3, 4))
case("mean_dims_0_1_keepdim", lambda a: a.mean((0, 1), keepdim=True), randn(2, 3, 2))
case("max_all_with_ties", lambda a: a.max(), [[1.0, 3.0, -2.0], [3.0, 0.5, 3.0]])
case("min_all", lambda a: a.min(), randn(3, 4))
case("max_dim1_values", lambda a: a.max(1).values, randn(3, 4))
case("max_dim1_indices", lambda a: a.max(1).indices, randn(3, 4))
case("min_dim0_keepdim_values", lambda a: a.min(0, keepdim=True).values, randn(3, 4))
case("min_dim0_keepdim_indices", lambda a: a.min(0, keepdim=True).indices, randn(3, 4))
case("norm", lambda a: a.norm(), randn(2, 3))
# --- softmax family (including large logits) -----------------------------------------------
case("softmax_dim0", lambda a: a.softmax(0), randn(3, 2))
case("softmax_dim1", lambda a: a.softmax(1), randn(2, 4))
case("softmax_dim_neg1_large_logits", lambda a: a.softmax(-1), [[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])
case("log_softmax_dim0", lambda a: a.log_softmax(0), randn(3, 2))
case("log_softmax_dim1", lambda a: a.log_softmax(1), randn(2, 5))
case("log_softmax_dim_neg1_large_logits", lambda a: a.log_softmax(-1), [[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])
# --- matmul in all its forms ---------------------------------------------------------------
case("matmul_1d_1d", lambda a, b: a @ b, randn(4), randn(4))
case("matmul_2d_1d", lambda a, b: a @ b, randn(2, 3), randn(3))
case("matmul_1d_2d", lambda a, b: a @ b, randn(3), randn(3, 4), grad_fn=False)
case("matmul_2d_2d", lambda a, b: a @ b, randn(2, 3), randn(3, 4))
case("matmul_3d_2d", lambda a, b: a @ b, randn(2, 3, 4), randn(4, 2), grad_fn=False)
case("matmul_batched_broadcast", lambda a, b: a @ b, randn(2, 1, 3, 4), randn(3, 4, 2), grad_fn=False)
case("matmul_3d_1d", lambda a, b: a @ b, randn(2, 3, 4), randn(4), grad_fn=False)
case("matmul_transposed_views", lambda a, b: a.T @ b.T, randn(3, 2), randn(4, 3))
case("dot", lambda a, b: torch.dot(a, b), randn(5), randn(5))
# --- shape ops -----------------------------------------------------------------------------
case("transpose_then_mul", lambda a, b: a.transpose(0, 1) * b, randn(3, 2), randn(2, 3))
case("t_then_exp", lambda a: a.T.exp(), randn(2, 3))
case("reshape_of_transposed", lambda a, b: a.t().reshape(6) * b, randn(2, 3), randn(6))
case("expand_then_mul", lambda a, b: a.expand(3, 4) * b, randn(3, 1), randn(3, 4))
case("expand_new_leading_dim", lambda a: a.expand(2, 3, 4), randn(3, 1))
case("select_dim1", lambda a: a.select(1, 2), randn(3, 4))
case("select_negative_index", lambda a: a.select(0, -1), randn(3, 4))
case("slice_with_step", lambda a: a[:, 1:6:2], randn(2, 7))
case("slice_dim0_then_mul", lambda a: a[1:3] * 2.0, randn(4, 2))
case("cat_dim0", lambda a, b: torch.cat([a, b], 0), randn(2, 3), randn(1, 3))
case("cat_dim1", lambda a, b, c: torch.cat([a, b, c], 1), randn(2, 1), randn(2, 3), randn(2, 2))
case("stack_dim1", lambda a, b: torch.stack([a, b], 1), randn(2, 3), randn(2, 3))
case("where_broadcast",
     lambda c, a, b: torch.where(c, a, b),
     torch.tensor([[True, False, True], [False, False, True]]), randn(2, 3), randn(3))
case("gather_dim1", lambda a, i: a.gather(1, i), randn(3, 4), long([[0, 3], [2, 2], [1, 0]]))
case("gather_dim0", lambda a, i: a.gather(0, i), randn(3, 2), long([[2, 0], [0, 0]]))
# --- composites ----------------------------------------------------------------------------
case("mlp_log_softmax_gather",
     lambda x, w, b, t: -(x @ w + b).relu().log_softmax(1).gather(1, t.unsqueeze(1)).mean(),
     randn(4, 3), randn(3, 5), randn(5), long([1, 0, 4, 2]))
case("composite_sigmoid_tanh_sum",
     lambda a, b: ((a * b).sigmoid() + a.tanh() / (1.0 + b.pow(2))).sum(1),
     randn(2, 3), randn(2, 3))
# --- float32 -------------------------------------------------------------------------------
case("float32_matmul_add", lambda a, b, c: a @ b + c, randn(2, 3), randn(3, 2), randn(2), dtype=F32)
case("float32_softmax_mul_sum", lambda a, b: (a.softmax(1) * b).sum(0), randn(2, 4), randn(2, 4), dtype=F32)
case("float32_exp_log_sqrt", lambda a: a.exp().log() + a.abs().sqrt(), randn(2, 3), dtype=F32)

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference_cases.json"))
