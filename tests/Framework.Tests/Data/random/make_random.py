#!/usr/bin/python3
"""Regenerates torch_random.json: reference CPU random streams from PyTorch.

Run with the interpreter that has torch installed (here Debian's python3-torch 1.13):
    /usr/bin/python3 make_random.py
The C# tests in tests/Framework.Tests/Random read the JSON and never need Python.
Float32 tensors are stored as their IEEE-754 bit patterns (exact); float64 as
repr() strings of the double (round-trip exact).
"""
import json
import os
import struct
import subprocess
import sys

import torch

SEEDS = [0, 1, 42, 100, 2 ** 31]
SIZES = [1, 3, 15, 16, 17, 100, 1000]


def f32_bits(t):
    return [struct.unpack("<I", struct.pack("<f", v))[0] for v in t.reshape(-1).tolist()]


def f64_text(t):
    return [repr(v) for v in t.reshape(-1).tolist()]


def encode(t):
    if t.dtype == torch.float32:
        return {"dtype": "float32", "bits": f32_bits(t)}
    if t.dtype == torch.float64:
        return {"dtype": "float64", "text": f64_text(t)}
    return {"dtype": "int64", "ints": t.reshape(-1).tolist()}


def draw(g, op, n):
    if op == "rand_f32":
        return torch.rand(n, generator=g)
    if op == "rand_f64":
        return torch.rand(n, generator=g, dtype=torch.float64)
    if op == "randn_f32":
        return torch.randn(n, generator=g)
    if op == "randn_f64":
        return torch.randn(n, generator=g, dtype=torch.float64)
    if op == "randint_0_10":
        return torch.randint(0, 10, (n,), generator=g)
    if op == "randint_m5_1e6":
        return torch.randint(-5, 1000000, (n,), generator=g)
    if op == "randint_big":
        return torch.randint(-(2 ** 40), 2 ** 41, (n,), generator=g)
    if op == "randperm":
        return torch.randperm(n, generator=g)
    if op == "uniform_m3_7_f32":
        return torch.empty(n).uniform_(-3, 7, generator=g)
    if op == "uniform_m3_7_f64":
        return torch.empty(n, dtype=torch.float64).uniform_(-3, 7, generator=g)
    if op == "normal_2_05_f32":
        return torch.empty(n).normal_(2, 0.5, generator=g)
    if op == "normal_2_05_f64":
        return torch.empty(n, dtype=torch.float64).normal_(2, 0.5, generator=g)
    if op == "random_int64":
        return torch.tensor([torch.empty((), dtype=torch.int64).random_(generator=g).item() for _ in range(n)])
    raise ValueError(op)


OPS = ["rand_f32", "rand_f64", "randn_f32", "randn_f64", "randint_0_10", "randint_m5_1e6", "randperm"]
EXTRA_OPS = ["randint_big", "random_int64", "uniform_m3_7_f32", "uniform_m3_7_f64", "normal_2_05_f32",
             "normal_2_05_f64"]


def generic_kernel_randn():
    """float32 randn from the generic (non-AVX2) kernel, computed in a child with ATEN_CPU_CAPABILITY=default."""
    code = ("import json, torch\n"
            "out = {}\n"
            "for s in %r:\n"
            "    for n in [16, 17, 100, 1000]:\n"
            "        g = torch.Generator().manual_seed(s)\n"
            "        out['%%d_%%d' %% (s, n)] = torch.randn(n, generator=g).tolist()\n"
            "g = torch.Generator().manual_seed(5)\n"
            "out['normal_2_05'] = torch.empty(100).normal_(2, 0.5, generator=g).tolist()\n"
            "print(json.dumps(out))\n") % (SEEDS,)
    env = dict(os.environ, ATEN_CPU_CAPABILITY="default")
    res = json.loads(subprocess.run([sys.executable, "-c", code], env=env, check=True,
                                    capture_output=True, text=True).stdout)
    return {k: [struct.unpack("<I", struct.pack("<f", v))[0] for v in vals] for k, vals in res.items()}


def main():
    cases = []
    for seed in SEEDS:
        for op in OPS:
            for n in SIZES:
                g = torch.Generator().manual_seed(seed)
                cases.append({"seed": seed, "op": op, "size": n, **encode(draw(g, op, n))})
        for op in EXTRA_OPS:
            for n in [5, 100]:
                g = torch.Generator().manual_seed(seed)
                cases.append({"seed": seed, "op": op, "size": n, **encode(draw(g, op, n))})

    # Several draws from one generator: state (and the cached Box-Muller value) carries over.
    sequences = []
    plans = [
        [("randn_f32", 3), ("rand_f32", 17), ("randn_f32", 20)],
        [("randn_f64", 1), ("randn_f64", 1), ("randn_f32", 1), ("rand_f64", 2)],
        [("randn_f32", 3), ("randn_f64", 16), ("randn_f32", 1), ("randperm", 10)],
        [("randn_f32", 33), ("randint_0_10", 7), ("random_int64", 2), ("randn_f64", 5)],
    ]
    for seed in SEEDS:
        for plan in plans:
            g = torch.Generator().manual_seed(seed)
            steps = [{"op": op, "size": n, **encode(draw(g, op, n))} for op, n in plan]
            sequences.append({"seed": seed, "steps": steps})

    # Reseeding clears the cached normal: randn(1); manual_seed(s); randn(1) equals a fresh randn(1).
    g = torch.Generator().manual_seed(7)
    torch.randn(1, generator=g, dtype=torch.float64)
    g.manual_seed(7)
    reseed = {"seed": 7, **encode(torch.randn(2, generator=g, dtype=torch.float64))}

    # A generator created without a seed starts from PyTorch's default seed 67280421310721.
    default_rand = {"initial_seed": torch.Generator().initial_seed(), **encode(torch.rand(3, generator=torch.Generator()))}

    # The regression seed (global generator).
    torch.manual_seed(100)
    x = torch.unsqueeze(torch.linspace(-1, 1, 100), dim=1)
    r = torch.rand(x.size())
    w = torch.randn(1, 1)
    regression = {"rand": encode(r), "w": encode(w), "w_printed": str(w),
                  "rand_head_printed": str(r[:3].reshape(-1))}

    out = {"torch_version": torch.__version__, "cpu_capability": torch.__config__.show().split(
        "CPU capability usage: ")[1].split("\n")[0], "cases": cases, "sequences": sequences,
        "reseed": reseed, "generic_kernel_randn_f32": generic_kernel_randn(), "default_rand": default_rand, "regression": regression}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "torch_random.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(path, os.path.getsize(path), "bytes;", regression["w_printed"])


if __name__ == "__main__":
    main()
