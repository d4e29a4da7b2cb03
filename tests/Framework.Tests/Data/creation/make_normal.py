#!/usr/bin/python3
"""Regenerates torch_normal.json: torch.normal(mean, std, size) after torch.manual_seed(seed), from PyTorch.

Run with Debian's python3-torch 1.13:  /usr/bin/python3 make_normal.py
Float32 values are stored as IEEE-754 bit patterns, Float64 as repr() strings (both exact).
"""
import json
import os

import torch

out = []
for seed in [0, 1, 42, 2 ** 31]:
    for mean, std in [(0.0, 1.0), (2.0, 3.0), (-1.5, 0.25)]:
        for size in [1, 7, 16, 17, 100]:
            for dtype, name in [(torch.float32, "Float32"), (torch.float64, "Float64")]:
                torch.manual_seed(seed)
                t = torch.normal(mean, std, size=(size,), dtype=dtype)
                vals = [str(v) for v in t.numpy().view("<u4").tolist()] if dtype == torch.float32 else [repr(v) for v in t.tolist()]
                out.append({"seed": seed, "mean": mean, "std": std, "size": size, "dtype": name, "values": vals})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_normal.json"), "w") as f:
    json.dump({"torch": torch.__version__, "cases": out}, f)
print(len(out), "cases")
