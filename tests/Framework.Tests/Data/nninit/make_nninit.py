#!/usr/bin/python3
"""Builds nninit_cases.json: the values torch.nn.init's initialisers write after torch.manual_seed(seed).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 make_nninit.py
(the JSON is committed; the C# tests in NN/InitTests.cs read it and never need Python).

"init" cases: torch.manual_seed(seed), then init_fn(torch.empty(shape, dtype), **args); the C# test seeds a
Generator with the same seed, passes it to the same initialiser and compares every value.
"containers": the names torch gives the parameters, buffers and modules of a model holding a ModuleList and a
ModuleDict (and of a ModuleList after insert and pop), compared with ours.
"erfinv" cases: y and erfinv(y) computed by mpmath with 40 digits (the oracle for our double erfinv), plus
torch.erfinv in float64 for comparison.
Values are written as repr(float(v)): the shortest decimal that reads back as the same double.
"""
import json
import os

import mpmath
import torch
import torch.nn.init as init

F32, F64 = torch.float32, torch.float64
cases = []


def case(name, fn, shape, seed, dtype=F32, **args):
    torch.manual_seed(seed)
    t = torch.empty(shape, dtype=dtype)
    out = getattr(init, fn)(t, **args)
    assert out is t
    cases.append({
        "name": name, "fn": fn, "shape": list(shape), "seed": seed, "dtype": str(dtype).replace("torch.", ""),
        "args": {k: v for k, v in args.items()},
        "values": [float(v) for v in t.reshape(-1).tolist()],
    })


# trunc_normal_: uniform_ then erfinv_, scale, shift, clamp
case("trunc_normal default 3x5", "trunc_normal_", (3, 5), 0)
case("trunc_normal default conv 4x3x3x3", "trunc_normal_", (4, 3, 3, 3), 1)
case("trunc_normal float64 5x7", "trunc_normal_", (5, 7), 2, dtype=F64)
case("trunc_normal mean std a b", "trunc_normal_", (6, 8), 3, mean=1.0, std=0.5, a=0.0, b=2.0)
case("trunc_normal asymmetric", "trunc_normal_", (40, 10), 4, mean=0.0, std=1.0, a=-1.0, b=3.0)
case("trunc_normal float64 wide tails", "trunc_normal_", (50, 4), 5, dtype=F64, mean=0.0, std=1.0, a=-5.0, b=5.0)
case("trunc_normal narrow", "trunc_normal_", (3, 4), 6, mean=0.0, std=0.02, a=-0.04, b=0.04)

# xavier_normal_: normal_(0, gain * sqrt(2 / (fan_in + fan_out)))
case("xavier_normal 3x5 scalar draws", "xavier_normal_", (3, 5), 10)
case("xavier_normal 20x30", "xavier_normal_", (20, 30), 11)
case("xavier_normal conv 8x3x3x3", "xavier_normal_", (8, 3, 3, 3), 12)
case("xavier_normal gain", "xavier_normal_", (7, 9), 13, gain=2.5)
case("xavier_normal float64", "xavier_normal_", (6, 5), 14, dtype=F64)

# kaiming_normal_: normal_(0, gain / sqrt(fan))
case("kaiming_normal default 20x30", "kaiming_normal_", (20, 30), 20)
case("kaiming_normal fan_out relu", "kaiming_normal_", (20, 30), 21, mode="fan_out", nonlinearity="relu")
case("kaiming_normal leaky a", "kaiming_normal_", (10, 12), 22, a=0.2)
case("kaiming_normal conv 16x3x5x5", "kaiming_normal_", (16, 3, 5, 5), 23, mode="fan_out")
case("kaiming_normal tanh small", "kaiming_normal_", (2, 5), 24, nonlinearity="tanh")
case("kaiming_normal float64", "kaiming_normal_", (9, 4), 25, dtype=F64)

# orthogonal_: QR of a normal (rows, cols) matrix, transposed when rows < cols, sign-fixed by diag(R)
case("orthogonal tall 5x3", "orthogonal_", (5, 3), 30)
case("orthogonal wide 3x5", "orthogonal_", (3, 5), 31)
case("orthogonal square gain", "orthogonal_", (6, 6), 32, gain=2.0)
case("orthogonal conv 4x2x3x3", "orthogonal_", (4, 2, 3, 3), 33)
case("orthogonal conv tall 20x2x2x2", "orthogonal_", (20, 2, 2, 2), 34)
case("orthogonal float64 7x4", "orthogonal_", (7, 4), 35, dtype=F64)
case("orthogonal float64 wide 4x9", "orthogonal_", (4, 9), 36, dtype=F64)
case("orthogonal one row", "orthogonal_", (1, 5), 37)
case("orthogonal 32x64", "orthogonal_", (32, 64), 38)

# constant_
case("constant", "constant_", (2, 3), 40, val=0.3)
case("constant float64", "constant_", (2, 2, 2), 41, dtype=F64, val=-1.25)



class Tower(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)])
        self.heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(2, 5), "reg": torch.nn.Linear(2, 1)})
        self.norm = torch.nn.BatchNorm1d(2)


tower = Tower()
edited = torch.nn.ModuleList([torch.nn.Linear(1, 2), torch.nn.ReLU(), torch.nn.Linear(2, 3)])
edited.insert(1, torch.nn.Linear(2, 2))
edited.pop(0)
edited.append(torch.nn.Linear(3, 1))
containers = {
    "state_dict": list(tower.state_dict().keys()),
    "named_modules": [n for n, _ in tower.named_modules()],
    "named_parameters": [n for n, _ in tower.named_parameters()],
    "edited_list_parameters": [n for n, _ in edited.named_parameters()],
}

mpmath.mp.dps = 40
ys = [0.0, 1e-300, 5e-324, 1e-12, -3e-8, 0.1, -0.25, 0.5, 0.7, -0.84, 0.849, 0.85, 0.851, 0.9, -0.95, 0.99, 0.999999,
      -0.9999999999, 1 - 2 ** -52, -(1 - 2 ** -53), 0.3333333333333333, 0.95449973610364158]
ys += [i / 37 - 1 for i in range(1, 74)]
erfinv = [{"y": y, "value": float(mpmath.erfinv(mpmath.mpf(y))),
           "torch": float(torch.erfinv(torch.tensor(y, dtype=F64)))} for y in ys]

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "nninit_cases.json"), "w") as f:
    json.dump({"torch": torch.__version__, "init": cases, "containers": containers, "erfinv": erfinv}, f, indent=1)
print(len(cases), "init cases,", len(erfinv), "erfinv values")
