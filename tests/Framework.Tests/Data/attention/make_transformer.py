#!/usr/bin/python3
"""Builds transformer_cases.json: nn.TransformerEncoderLayer / DecoderLayer / Encoder / Decoder in PyTorch 1.13, for
NN/TransformerReferenceTests.cs. Each module is built after torch.manual_seed(0); its init is recorded, and a torch.rand(4)
drawn right after construction (the stacks' copy.deepcopy draws nothing, so this checks the stream). Then the case's dtype,
mode, inputs and masks; the output and the gradients of the inputs and of every parameter for a fixed upstream gradient.
Run:  /usr/bin/python3 make_transformer.py  (the JSON is committed).
"""
import json
import os
import sys

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, boolean, encode  # noqa: E402

rng = np.random.default_rng(20261208)


def tensor(shape, dtype):
    return torch.tensor(rng.standard_normal(shape).round(4), dtype=dtype, requires_grad=True)


cases = []


def case(name, kind, options, shapes, dtype=F64, train=False, seed=0, layers=None, final_norm=False, masks=None):
    torch.manual_seed(0)
    if kind == "encoder_layer":
        m = nn.TransformerEncoderLayer(**options)
    elif kind == "decoder_layer":
        m = nn.TransformerDecoderLayer(**options)
    elif kind == "encoder":
        m = nn.TransformerEncoder(nn.TransformerEncoderLayer(**options), layers, nn.LayerNorm(options["d_model"]) if final_norm else None)
    else:
        m = nn.TransformerDecoder(nn.TransformerDecoderLayer(**options), layers, nn.LayerNorm(options["d_model"]) if final_norm else None)
    after = torch.rand(4)
    init = {k: encode(v) for k, v in m.named_parameters()}
    m = m.to(dtype)
    m.train(train)
    inputs = [tensor(s, dtype) for s in shapes]
    masks = masks or {}
    mask_args = {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in masks.items()}
    torch.manual_seed(seed)
    out = m(*inputs, **mask_args)
    up = torch.tensor(rng.uniform(-1.5, 1.5, tuple(out.shape)).round(3), dtype=dtype)
    (out * up).sum().backward()
    cases.append({
        "name": name, "kind": kind, "options": options, "layers": layers, "final_norm": final_norm, "dtype": str(dtype).replace("torch.", ""),
        "train": train, "seed": seed, "init": init, "after_draw": encode(after), "inputs": [encode(t) for t in inputs],
        "masks": {k: encode(v) for k, v in mask_args.items()}, "output": encode(out), "upstream": encode(up),
        "grad_inputs": [encode(t.grad) for t in inputs], "grad_params": {k: encode(p.grad) for k, p in m.named_parameters()},
    })


small = {"d_model": 4, "nhead": 2, "dim_feedforward": 6, "dropout": 0.0}
causal4 = nn.Transformer.generate_square_subsequent_mask(4)
case("encoder_layer_post_norm_padding", "encoder_layer", small, [(3, 2, 4)],
     masks={"src_key_padding_mask": boolean([[False, False, True], [False, False, False]])})
case("encoder_layer_pre_norm_batch_first_causal", "encoder_layer", dict(small, norm_first=True, batch_first=True), [(2, 4, 4)],
     masks={"src_mask": causal4})
case("encoder_layer_dropout_train", "encoder_layer", dict(small, dropout=0.2), [(3, 2, 4)], train=True, seed=11)
case("encoder_layer_default_width_float32", "encoder_layer", {"d_model": 8, "nhead": 2}, [(5, 2, 8)], dtype=F32)
case("encoder_layer_gelu_pre_norm", "encoder_layer", dict(small, activation="gelu", norm_first=True), [(3, 2, 4)])
case("decoder_layer_gelu", "decoder_layer", dict(small, activation="gelu"), [(3, 2, 4), (2, 2, 4)])
case("encoder_two_layers_final_norm", "encoder", dict(small, norm_first=True), [(4, 2, 4)], layers=2, final_norm=True, masks={"mask": causal4})
case("decoder_layer_post_norm_masks", "decoder_layer", small, [(4, 2, 4), (3, 2, 4)],
     masks={"tgt_mask": causal4, "memory_key_padding_mask": boolean([[False, True, False], [False, False, False]])})
case("decoder_layer_pre_norm_batch_first", "decoder_layer", dict(small, norm_first=True, batch_first=True), [(2, 4, 4), (2, 3, 4)],
     masks={"tgt_mask": causal4})
case("decoder_two_layers", "decoder", small, [(4, 2, 4), (3, 2, 4)], layers=2, final_norm=True, masks={"tgt_mask": causal4})

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "transformer_cases.json")
with open(path, "w") as f:
    json.dump({"generator": "make_transformer.py", "torch_version": torch.__version__, "cases": cases}, f)
print(f"{len(cases)} cases written")
