#!/usr/bin/python3
"""Builds padding_cases.json: PyTorch's own results for F.pad (every mode), F.cosine_similarity and Tensor.unflatten.

Run with Debian's PyTorch:  /usr/bin/python3 make_padding.py
(the JSON is committed; tests/Framework.Tests/NN/PaddingReferenceTests.cs reads it and never needs Python).
Each case has fixed inputs, a fixed non-trivial upstream gradient, and records the output, every input's gradient and
type(out.grad_fn).__name__.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, long  # noqa: E402

rec = Recorder("make_padding.py", 20261204)
randn, case = rec.randn, rec.case

# --- constant -----------------------------------------------------------------------------
case("pad_constant_last", lambda a: F.pad(a, (1, 2)), randn(2, 3, 4))
case("pad_constant_two_dims_value", lambda a: F.pad(a, (1, 0, 2, 1), value=1.5), randn(2, 3, 4))
case("pad_constant_three_dims", lambda a: F.pad(a, (0, 1, 1, 1, 2, 0)), randn(2, 2, 3))
case("pad_constant_crop", lambda a: F.pad(a, (-1, 2, 1, -2)), randn(2, 4, 5))
case("pad_constant_crop_to_empty", lambda a: F.pad(a, (0, 0, -3, 0)), randn(2, 3, 4))
case("pad_constant_transposed", lambda a: F.pad(a.t(), (2, 1)), randn(4, 3))
case("pad_constant_1d", lambda a: F.pad(a, (3, 1), value=-2.0), randn(5))
case("pad_constant_no_pad", lambda a: F.pad(a, ()), randn(2, 3))
case("pad_constant_int64", lambda a: F.pad(a, (1, 1), value=7), long([[1, 2, 3], [4, 5, 6]]))
case("pad_constant_int64_fractional_value", lambda a: F.pad(a, (0, 2), value=2.5), long([[1, 2, 3]]))
case("pad_constant_float32", lambda a: F.pad(a, (2, 2, 1, 0)), randn(1, 2, 3, 3), dtype=F32)
# --- reflect ------------------------------------------------------------------------------
case("pad_reflect_1d_batched", lambda a: F.pad(a, (2, 3), mode="reflect"), randn(2, 3, 5))
case("pad_reflect_1d_unbatched", lambda a: F.pad(a, (1, 2), mode="reflect"), randn(3, 4))
case("pad_reflect_2d", lambda a: F.pad(a, (1, 2, 2, 1), mode="reflect"), randn(1, 2, 4, 5))
case("pad_reflect_2d_unbatched", lambda a: F.pad(a, (3, 0, 0, 2), mode="reflect"), randn(2, 3, 4))
case("pad_reflect_3d", lambda a: F.pad(a, (1, 1, 0, 1, 1, 0), mode="reflect"), randn(1, 1, 2, 3, 3))
case("pad_reflect_negative", lambda a: F.pad(a, (-1, 2, 1, -1), mode="reflect"), randn(1, 1, 4, 5))
case("pad_reflect_transposed", lambda a: F.pad(a.transpose(2, 3), (1, 1, 1, 1), mode="reflect"), randn(1, 2, 3, 4))
case("pad_reflect_float32", lambda a: F.pad(a, (2, 2, 2, 2), mode="reflect"), randn(2, 1, 3, 3), dtype=F32)
# --- replicate ----------------------------------------------------------------------------
case("pad_replicate_1d", lambda a: F.pad(a, (3, 1), mode="replicate"), randn(2, 2, 3))
case("pad_replicate_2d_beyond_size", lambda a: F.pad(a, (4, 1, 0, 3), mode="replicate"), randn(1, 2, 2, 3))
case("pad_replicate_3d_unbatched", lambda a: F.pad(a, (1, 2, 1, 0, 0, 2), mode="replicate"), randn(2, 2, 2, 2))
case("pad_replicate_negative", lambda a: F.pad(a, (-2, 1), mode="replicate"), randn(1, 2, 5))
case("pad_replicate_float32", lambda a: F.pad(a, (1, 1, 1, 1), mode="replicate"), randn(1, 1, 3, 4), dtype=F32)
# --- circular -----------------------------------------------------------------------------
case("pad_circular_1d", lambda a: F.pad(a, (2, 1), mode="circular"), randn(2, 3, 4))
case("pad_circular_2d", lambda a: F.pad(a, (1, 2, 2, 1), mode="circular"), randn(1, 2, 3, 4))
case("pad_circular_full_wrap", lambda a: F.pad(a, (4, 0, 0, 3), mode="circular"), randn(1, 1, 3, 4))
case("pad_circular_3d", lambda a: F.pad(a, (1, 0, 0, 1, 1, 1), mode="circular"), randn(1, 1, 2, 2, 3))
case("pad_circular_negative", lambda a: F.pad(a, (-1, 0, 1, -1), mode="circular"), randn(1, 1, 3, 4))
case("pad_circular_int64", lambda a: F.pad(a, (1, 1), mode="circular"), long([[[1, 2, 3]]]))
# --- cosine similarity --------------------------------------------------------------------
case("cosine_default_dim", lambda a, b: F.cosine_similarity(a, b), randn(4, 5), randn(4, 5))
case("cosine_dim0", lambda a, b: F.cosine_similarity(a, b, dim=0), randn(3, 4), randn(3, 4))
case("cosine_neg_dim_broadcast", lambda a, b: F.cosine_similarity(a, b, dim=-1), randn(2, 1, 3), randn(4, 3))
case("cosine_zero_vector_eps", lambda a, b: F.cosine_similarity(a * 0, b), randn(2, 3), randn(2, 3))
case("cosine_large_eps", lambda a, b: F.cosine_similarity(a * 1e-3, b, eps=0.5), randn(3, 4), randn(3, 4))
case("cosine_1d", lambda a, b: F.cosine_similarity(a, b, dim=0), randn(6), randn(6))
case("cosine_transposed", lambda a, b: F.cosine_similarity(a.t(), b), randn(5, 3), randn(3, 5))
case("cosine_int64_with_float", lambda a, b: F.cosine_similarity(a, b), long([[1, 2, 0], [3, -1, 2]]), randn(2, 3))
case("cosine_float32", lambda a, b: F.cosine_similarity(a, b), randn(3, 8), randn(3, 8), dtype=F32)
# --- unflatten ----------------------------------------------------------------------------
case("unflatten_middle", lambda a: a.unflatten(1, (2, 3)) * 2, randn(2, 6, 2))
case("unflatten_inferred", lambda a: a.unflatten(-1, (-1, 2)), randn(3, 8))
case("unflatten_transposed", lambda a: a.t().unflatten(0, (2, 2)), randn(3, 4))
case("unflatten_single", lambda a: a.unflatten(0, (5,)), randn(5, 2))
case("unflatten_one_sizes", lambda a: a.unflatten(1, (1, 4, 1)), randn(2, 4))
rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "padding_cases.json"))
