#!/usr/bin/python3
"""Builds the attention reference data for NN/AttentionReferenceTests.cs, with Debian's PyTorch 1.13:

- mha_cases.json: nn.MultiheadAttention built after torch.manual_seed(0) (its init is recorded), converted to the case's
  dtype, run on fixed inputs with the case's masks; the output, the weights, and the gradients of the inputs and of every
  parameter for fixed upstream gradients of both.
- sdpa_cases.json: scaled dot-product attention as PyTorch 2.x defines F.scaled_dot_product_attention (1.13 has no public
  one: the formula softmax(q·kᵀ/√E + mask)·v is written out, a Bool mask meaning "takes part").
Run:  /usr/bin/python3 make_attention.py  (the JSON is committed).
"""
import json
import math
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, boolean, encode  # noqa: E402

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261206)


def tensor(shape, dtype, grad=True):
    return torch.tensor(rng.standard_normal(shape).round(4), dtype=dtype, requires_grad=grad)


def upstream(t):
    return torch.tensor(rng.uniform(-1.5, 1.5, tuple(t.shape)).round(3), dtype=t.dtype)


cases = []


def mha(name, options, q_shape, kv_shape=None, dtype=F64, train=False, seed=0, key_padding_mask=None, attn_mask=None,
        need_weights=True, average=True, same_kv=False):
    torch.manual_seed(0)
    m = nn.MultiheadAttention(**options)
    init = {k: encode(v) for k, v in m.named_parameters()}
    m = m.to(dtype)
    m.train(train)
    q = tensor(q_shape, dtype)
    if kv_shape is None:
        k = v = q
    else:
        k = tensor(kv_shape, dtype)
        v = k if same_kv else tensor(kv_shape, dtype)
    mask = attn_mask
    if isinstance(mask, np.ndarray):
        mask = torch.tensor(mask, dtype=dtype)
    torch.manual_seed(seed)
    out, w = m(q, k, v, key_padding_mask=key_padding_mask, need_weights=need_weights, attn_mask=mask, average_attn_weights=average)
    results = [out] + ([w] if w is not None else [])
    ups = [upstream(r) for r in results]
    sum((r * u).sum() for r, u in zip(results, ups)).backward()
    inputs = [q] if kv_shape is None else ([q, k] if same_kv else [q, k, v])
    cases.append({
        "name": name, "options": options, "dtype": str(dtype).replace("torch.", ""), "train": train, "seed": seed,
        "self_attention": kv_shape is None, "same_kv": same_kv, "need_weights": need_weights, "average": average,
        "init": init, "inputs": [encode(t) for t in inputs],
        "key_padding_mask": None if key_padding_mask is None else encode(key_padding_mask),
        "attn_mask": None if mask is None else encode(mask),
        "results": [encode(r) for r in results], "upstreams": [encode(u) for u in ups],
        "grad_inputs": [encode(t.grad) for t in inputs],
        "grad_params": {k_: encode(p.grad) for k_, p in m.named_parameters()},
    })


causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), 1)
mha("self_attention", {"embed_dim": 4, "num_heads": 2}, (4, 2, 4))
mha("self_attention_weights_per_head", {"embed_dim": 6, "num_heads": 3}, (3, 2, 6), average=False)
mha("cross_attention", {"embed_dim": 4, "num_heads": 1}, (3, 2, 4), kv_shape=(5, 2, 4))
mha("cross_attention_same_kv_batch_first", {"embed_dim": 4, "num_heads": 2, "batch_first": True}, (2, 3, 4), kv_shape=(2, 5, 4), same_kv=True)
mha("key_padding_mask", {"embed_dim": 4, "num_heads": 2}, (4, 2, 4), key_padding_mask=boolean([[False, False, True, True], [False, False, False, True]]))
mha("causal_bool_mask", {"embed_dim": 4, "num_heads": 2, "batch_first": True}, (2, 4, 4), attn_mask=causal)
mha("float_mask_and_padding", {"embed_dim": 4, "num_heads": 2}, (4, 2, 4), attn_mask=rng.standard_normal((4, 4)).round(3),
    key_padding_mask=boolean([[False, True, False, False], [False, False, False, False]]))
mha("mask_3d", {"embed_dim": 4, "num_heads": 2}, (3, 2, 4), attn_mask=rng.standard_normal((4, 3, 3)).round(3))
mha("no_bias_no_weights", {"embed_dim": 4, "num_heads": 2, "bias": False}, (3, 2, 4), need_weights=False)
mha("unbatched", {"embed_dim": 4, "num_heads": 2}, (3, 4))
mha("dropout_train", {"embed_dim": 4, "num_heads": 2, "dropout": 0.3}, (4, 2, 4), train=True, seed=5)
mha("float32", {"embed_dim": 8, "num_heads": 2, "batch_first": True}, (2, 5, 8), dtype=F32, attn_mask=causal[:5, :5] if False else None)
with open(os.path.join(here, "mha_cases.json"), "w") as f:
    json.dump({"generator": "make_attention.py", "torch_version": torch.__version__, "cases": cases}, f)
print(f"{len(cases)} multi-head attention cases written")


def sdpa(q, k, v, mask=None, causal=False):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        scores = scores.masked_fill(torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).triu(1), float("-inf"))
    elif mask is not None:
        scores = scores.masked_fill(~mask, float("-inf")) if mask.dtype == torch.bool else scores + mask
    return torch.softmax(scores, -1) @ v


rec = Recorder("make_attention.py", 20261207)
randn = rec.randn
rec.case("sdpa_plain", lambda q, k, v: sdpa(q, k, v), randn(2, 3, 4), randn(2, 5, 4), randn(2, 5, 3), grad_fn=False)
rec.case("sdpa_causal", lambda q, k, v: sdpa(q, k, v, causal=True), randn(2, 2, 4, 3), randn(2, 2, 4, 3), randn(2, 2, 4, 3), grad_fn=False)
rec.case("sdpa_bool_mask_takes_part", lambda q, k, v, m: sdpa(q, k, v, m), randn(3, 4), randn(5, 4), randn(5, 2),
         boolean([[True, True, False, True, False], [True, False, False, False, False], [True, True, True, True, True]]))
rec.case("sdpa_float_mask", lambda q, k, v, m: sdpa(q, k, v, m), randn(2, 3, 4), randn(2, 3, 4), randn(2, 3, 4), torch.tensor(randn(3, 3)), grad_fn=False)
rec.case("sdpa_float32", lambda q, k, v: sdpa(q, k, v, causal=True), randn(2, 4, 8), randn(2, 4, 8), randn(2, 4, 8), dtype=F32, grad_fn=False)
rec.write(os.path.join(here, "sdpa_cases.json"))
