#!/usr/bin/python3
"""Regenerates torch_linspace.json: torch.linspace's values, bit for bit, from PyTorch.

Run with the interpreter that has torch installed (here Debian's python3-torch 1.13, 2 threads):
    /usr/bin/python3 make_linspace.py
Each case stores the SHA-256 of the little-endian values and the first and last eight as IEEE-754 bit patterns.
"""
import hashlib
import json
import math
import os

import torch

torch.set_num_threads(2)
CASES = [(-math.pi, math.pi, 2000), (0, 1, 1000), (-3, 7, 777), (-1, 1, 100), (5, -2, 33), (0, 1, 2), (2.5, 2.5, 9),
         (1e-3, 1e3, 4097), (-1, 1, 17), (-1, 1, 31), (-1, 1, 32), (-1, 1, 33), (-10, 10, 100000), (0, 1, 65537)]
out = []
for start, end, steps in CASES:
    for dtype, name, fmt in [(torch.float32, "Float32", "<u4"), (torch.float64, "Float64", "<u8")]:
        t = torch.linspace(start, end, steps, dtype=dtype)
        raw = t.numpy().tobytes()
        bits = t.numpy().view(fmt).tolist()
        out.append({"start": repr(float(start)), "end": repr(float(end)), "steps": steps, "dtype": name,
                    "sha256": hashlib.sha256(raw).hexdigest(), "head": [str(b) for b in bits[:8]], "tail": [str(b) for b in bits[-8:]]})
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_linspace.json"), "w") as f:
    json.dump({"torch": torch.__version__, "threads": 2, "cases": out}, f, indent=1)
print(len(out), "cases")
