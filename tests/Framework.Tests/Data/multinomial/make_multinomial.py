#!/usr/bin/python3
"""Builds multinomial_cases.json: torch.multinomial's samples for fixed weights and seeds.

Run with Debian's PyTorch 1.13:  /usr/bin/python3 make_multinomial.py
(the JSON is committed; the C# tests in tests/Framework.Tests/Random read it and never need Python).

Every case has weights (1-d or 2-d, float32 or float64, optionally passed transposed; stored once in weight_sets and
referred to by index), a seed, numSamples and replacement, and records the indices of `calls` consecutive
torch.multinomial calls on one generator seeded with the seed (a torch.Generator, or the global one through
torch.manual_seed when "global" is set). Weights are written as the shortest decimal text that reads back as the same
float32 / float64: parse them in that type.
"""
import json
import os

import numpy as np
import torch

F32, F64 = torch.float32, torch.float64
cases = []
weight_sets = {}   # text of the weights -> id, so that cases sharing weights store them once


def weights(shape, dtype, seed, zeros=0):
    """Positive weights from their own generator; the first `zeros` entries of each row set to 0 (then shuffled)."""
    g = torch.Generator().manual_seed(1000 + seed)
    w = (torch.rand(shape, generator=g, dtype=F64) * 3 + 0.01).round(decimals=4)
    if zeros:
        rows = w.reshape(-1, shape[-1])
        for r in range(rows.shape[0]):
            idx = torch.randperm(shape[-1], generator=g)[:zeros]
            rows[r, idx] = 0
        w = rows.reshape(shape)
    return w.to(dtype)


def text(w):
    """Each weight as the shortest decimal that reads back as the same float32 / float64."""
    if w.dtype == F32:
        return [str(np.float32(v)) for v in w.reshape(-1).tolist()]
    return [repr(v) for v in w.reshape(-1).tolist()]


def weight_id(w):
    key = json.dumps(text(w))
    return weight_sets.setdefault(key, len(weight_sets))


def case(name, w, k, replacement, seed, transposed=False, calls=1, use_global=False):
    x = w.t() if transposed else w
    outs = []
    if use_global:
        torch.manual_seed(seed)
        for _ in range(calls):
            outs.append(torch.multinomial(x, k, replacement).reshape(-1).tolist())
    else:
        g = torch.Generator().manual_seed(seed)
        for _ in range(calls):
            outs.append(torch.multinomial(x, k, replacement, generator=g).reshape(-1).tolist())
    shape = list(torch.multinomial(x, k, replacement).shape)
    cases.append({"name": name, "dtype": str(w.dtype).replace("torch.", ""), "shape": list(w.shape),
                  "weights": weight_id(w), "transposed": transposed,
                  "num_samples": k, "replacement": replacement, "seed": seed, "global": use_global,
                  "result_shape": shape, "samples": outs})


SEEDS = [0, 1, 42, 2 ** 31 + 7]
for dtype in (F32, F64):
    t = "f32" if dtype == F32 else "f64"
    for seed in SEEDS:
        for n in (3, 10, 1000):
            w1 = weights((n,), dtype, seed)
            case(f"{t}_n{n}_seed{seed}_one", w1, 1, False, seed)
            case(f"{t}_n{n}_seed{seed}_one_repl", w1, 1, True, seed)
            case(f"{t}_n{n}_seed{seed}_norepl_k{min(n, 5)}", w1, min(n, 5), False, seed)
            case(f"{t}_n{n}_seed{seed}_repl_k20", w1, 20, True, seed)
            w2 = weights((4 if n < 1000 else 2, n), dtype, seed + 1)
            case(f"{t}_n{n}_seed{seed}_rows_one", w2, 1, False, seed)
            case(f"{t}_n{n}_seed{seed}_rows_norepl_k{min(n, 3)}", w2, min(n, 3), False, seed)
            case(f"{t}_n{n}_seed{seed}_rows_repl_k7", w2, 7, True, seed)
            case(f"{t}_n{n}_seed{seed}_rows1_norepl", weights((1, n), dtype, seed + 2), 2, False, seed)
        # full permutations without replacement (topk of every score), and k·64 <= n (partial sort in torch)
        case(f"{t}_seed{seed}_permutation_n10", weights((10,), dtype, seed + 3), 10, False, seed)
        case(f"{t}_seed{seed}_rows3_permutation_n7", weights((3, 7), dtype, seed + 3), 7, False, seed)
        case(f"{t}_seed{seed}_n1000_k15", weights((1000,), dtype, seed + 4), 15, False, seed)
        # zeros: never drawn (no replacement: only up to the number of positive weights)
        case(f"{t}_seed{seed}_zeros_norepl", weights((2, 10), dtype, seed + 5, zeros=4), 6, False, seed)
        case(f"{t}_seed{seed}_zeros_repl", weights((2, 10), dtype, seed + 5, zeros=4), 30, True, seed)
        case(f"{t}_seed{seed}_zeros_one", weights((2, 10), dtype, seed + 5, zeros=9), 1, False, seed)
        # a transposed (column-major) input: torch draws in memory order
        case(f"{t}_seed{seed}_transposed_norepl", weights((6, 4), dtype, seed + 6), 3, False, seed, transposed=True)
        case(f"{t}_seed{seed}_transposed_repl", weights((6, 4), dtype, seed + 6), 5, True, seed, transposed=True)
        # the generator's state carries over between calls; the global generator
        case(f"{t}_seed{seed}_three_calls", weights((2, 5), dtype, seed + 7), 2, False, seed, calls=3)
        case(f"{t}_seed{seed}_global", weights((3, 8), dtype, seed + 8), 4, False, seed, use_global=True, calls=2)
        case(f"{t}_seed{seed}_global_repl", weights((3, 8), dtype, seed + 8), 9, True, seed, use_global=True)
    # more samples than positive weights: zero scores tie, and torch orders them as libstdc++'s nth_element / sort
    # (k·64 > n) or partial_sort (k·64 <= n) leave them
    for seed in SEEDS:
        for n, zeros, k in ((4, 3, 2), (4, 2, 4), (10, 5, 8), (30, 20, 25), (40, 39, 40), (200, 150, 120),
                            (1000, 995, 10), (2000, 1990, 31), (1000, 600, 900)):
            case(f"{t}_seed{seed}_ties_n{n}_zeros{zeros}_k{k}", weights((n,), dtype, seed + 10 + n, zeros=zeros), k, False,
                 seed)
        case(f"{t}_seed{seed}_ties_rows", weights((3, 50), dtype, seed + 11, zeros=45), 20, False, seed)
    # unnormalised, tiny and huge weights
    case(f"{t}_tiny_weights", weights((5,), dtype, 9) * 1e-30, 3, False, 3)
    case(f"{t}_huge_weights_repl", weights((5,), dtype, 9) * 1e30, 12, True, 3)
    case(f"{t}_one_category", torch.tensor([2.5], dtype=dtype), 1, False, 5)
    case(f"{t}_one_category_repl", torch.tensor([[2.5], [0.5]], dtype=dtype), 4, True, 5)

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "multinomial_cases.json"), "w") as f:
    header = json.dumps({"generator": "make_multinomial.py", "torch_version": torch.__version__})
    f.write(header[:-1] + ', "cases": [\n')
    f.write(",\n".join(json.dumps(c) for c in cases))
    f.write("\n], \"weight_sets\": [\n")
    f.write(",\n".join(weight_sets.keys()))
    f.write("\n]}\n")
print(f"{len(cases)} cases written with torch {torch.__version__}")
