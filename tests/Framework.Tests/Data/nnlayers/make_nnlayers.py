#!/usr/bin/python3
"""Builds nnlayers_cases.json: PyTorch 1.13's layer_norm, group_norm, the activations (silu, leaky_relu, elu, softplus,
hardtanh, mish), embedding with padding_idx, index_fill and channel dropout (after torch.manual_seed), for
NN/NNLayerReferenceTests.cs. Run with Debian's PyTorch:  /usr/bin/python3 make_nnlayers.py  (the JSON is committed).
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, long  # noqa: E402

rec = Recorder("make_nnlayers.py", 20261204)
randn, positive, case = rec.randn, rec.positive, rec.case
EDGES = [-30.0, -3.0, -1.0, -0.5, -1e-3, 0.0, 1e-3, 0.5, 1.0, 2.9, 3.1, 25.0]

# --- layer norm ------------------------------------------------------------------------------------
case("layer_norm_last_dim", lambda x, w, b: F.layer_norm(x, [4], w, b), randn(3, 4), randn(4), randn(4))
case("layer_norm_two_dims", lambda x, w, b: F.layer_norm(x, [3, 4], w, b, eps=1e-3), randn(2, 3, 4), randn(3, 4), randn(3, 4))
case("layer_norm_no_affine", lambda x: F.layer_norm(x, [5]), randn(2, 2, 5))
case("layer_norm_weight_only", lambda x, w: F.layer_norm(x, [3], w), randn(4, 3), randn(3))
case("layer_norm_bias_only", lambda x, b: F.layer_norm(x, [2, 3], None, b), randn(2, 2, 3), randn(2, 3))
case("layer_norm_transposed", lambda x, w, b: F.layer_norm(x.t(), [3], w, b), randn(3, 4), randn(3), randn(3))
case("layer_norm_constant_row", lambda x, w, b: F.layer_norm(x, [4], w, b), np.array([[1.5, 1.5, 1.5, 1.5], [0.0, 1.0, 2.0, 3.0]]), randn(4), randn(4))
case("layer_norm_float32", lambda x, w, b: F.layer_norm(x, [6], w, b), randn(3, 6), randn(6), randn(6), dtype=F32)
# --- group norm ------------------------------------------------------------------------------------
case("group_norm_2_groups", lambda x, w, b: F.group_norm(x, 2, w, b), randn(2, 4, 3), randn(4), randn(4))
case("group_norm_4d", lambda x, w, b: F.group_norm(x, 3, w, b, eps=1e-3), randn(2, 6, 2, 2), randn(6), randn(6))
case("group_norm_no_affine", lambda x: F.group_norm(x, 1, None, None), randn(3, 2, 4))
case("group_norm_instance_like", lambda x, w, b: F.group_norm(x, 4, w, b), randn(1, 4, 5), randn(4), randn(4))
case("group_norm_one_group_affine", lambda x, w, b: F.group_norm(x, 1, w, b), randn(2, 3, 2), randn(3), randn(3))
case("group_norm_2d_input", lambda x, w, b: F.group_norm(x, 2, w, b), randn(3, 4), randn(4), randn(4))
case("group_norm_float32", lambda x, w, b: F.group_norm(x, 2, w, b), randn(2, 4, 4), randn(4), randn(4), dtype=F32)
# --- activations -----------------------------------------------------------------------------------
for dtype, suffix in ((F64, ""), (F32, "_float32")):
    case("silu" + suffix, F.silu, EDGES, dtype=dtype)
    case("leaky_relu" + suffix, lambda x: F.leaky_relu(x, 0.2), EDGES, dtype=dtype)
    case("elu" + suffix, lambda x: F.elu(x, 0.5), EDGES, dtype=dtype)
    case("softplus_beta_threshold" + suffix, lambda x: F.softplus(x, beta=2.0, threshold=3.0), EDGES, dtype=dtype)
    case("softplus_default" + suffix, F.softplus, EDGES, dtype=dtype)
    case("hardtanh" + suffix, lambda x: F.hardtanh(x, -0.5, 1.0), EDGES, dtype=dtype)
    case("mish" + suffix, F.mish, EDGES, dtype=dtype)
case("leaky_relu_2d", lambda x: F.leaky_relu(x), randn(3, 4))
case("relu6", F.relu6, [-1.0, 0.5, 5.9, 6.1, 8.0])
# --- embedding with padding_idx, index_fill ---------------------------------------------------------
case("embedding_padding_idx", lambda w, i: F.embedding(i, w, padding_idx=1), randn(4, 3), long([[1, 2, 1], [0, 3, 1]]))
case("embedding_negative_padding_idx", lambda w, i: F.embedding(i, w, padding_idx=-1), randn(4, 2), long([3, 0, 3]))
case("index_fill_dim1", lambda x, i: x.index_fill(1, i, -2.5), randn(3, 4), long([0, 2, 2]))
case("index_fill_dim0", lambda x, i: x.index_fill(0, i, 0.0), randn(3, 2), long([1]))


# --- cross entropy over sequences: (N, C, L) scores, (N, L) targets, padding ignored ---------------------
case("cross_entropy_sequence", lambda x, t: F.cross_entropy(x, t), randn(2, 4, 3), long([[1, 0, 3], [2, 2, 0]]))
case("cross_entropy_sequence_ignore_padding", lambda x, t: F.cross_entropy(x, t, ignore_index=0, label_smoothing=0.1), randn(2, 4, 3), long([[1, 0, 3], [2, 2, 0]]))
case("cross_entropy_sequence_none", lambda x, t: F.cross_entropy(x, t, ignore_index=0, reduction="none"), randn(2, 4, 3), long([[1, 0, 3], [2, 2, 0]]))


# --- channel dropout after torch.manual_seed --------------------------------------------------------
def seeded(seed, fn):
    def run(*a):
        torch.manual_seed(seed)
        return fn(*a)
    return run


case("dropout2d_seed0", seeded(0, lambda x: F.dropout2d(x, 0.5)), randn(4, 6, 2, 2))
case("dropout2d_3d_input_seed1", seeded(1, lambda x: F.dropout2d(x, 0.3)), randn(3, 5, 4))
case("dropout1d_seed2", seeded(2, lambda x: F.dropout1d(x, 0.4)), randn(2, 8, 3))
case("dropout1d_unbatched_seed3", seeded(3, lambda x: F.dropout1d(x, 0.6)), randn(7, 3))
case("dropout2d_float32_seed4", seeded(4, lambda x: F.dropout2d(x, 0.5)), randn(3, 5, 2, 2), dtype=F32)

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "nnlayers_cases.json"))
