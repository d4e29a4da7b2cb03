# Generates format_cases.json: PyTorch's str(t) for many tensors, compared by FormatterTests.
# Run with Debian's PyTorch: /usr/bin/python3 make_format.py
import json
import torch

torch.manual_seed(0)
cases = []


def add(name, t, suffix=None):
    if suffix == "requires_grad":
        t = t.detach().clone().requires_grad_(True)
        suffixes = ["requires_grad=True"]
    elif suffix:
        suffixes = [f"grad_fn=<{suffix}>"]
    else:
        suffixes = []
    s = str(t)
    if suffix and suffix != "requires_grad":
        # print the plain tensor with the grad_fn suffix PyTorch would add
        s = torch._tensor_str._str_intern(t.detach())[:-1]
        s = torch._tensor_str._add_suffixes(s, suffixes, len("tensor("), False)
    dtype = {torch.float32: "Float32", torch.float64: "Float64", torch.int64: "Int64", torch.bool: "Bool"}[t.dtype]
    flat = t.detach().reshape(-1)
    values = [int(v) for v in flat.tolist()] if t.dtype in (torch.int64, torch.bool) else [repr(float(v)) for v in flat.tolist()]  # strings: JSON has no nan/inf
    cases.append({"name": name, "dtype": dtype, "shape": list(t.shape), "values": values, "suffixes": suffixes, "expected": s})


add("seed 2x3 requires grad", torch.tensor([[2., 3.]]), "requires_grad")
add("seed copyslices", torch.tensor([[13., 13.]]), "CopySlices")
add("seed jacobian", torch.tensor([[4., 3.], [2., 6.]]))
add("seed 4.5", torch.full((2, 2), 4.5))
add("seed sci", torch.tensor([51.2, 512., 0.0512]))
add("seed 28 mul", torch.tensor(28.), "MulBackward0")
add("seed 4x", torch.tensor([0., 4., 8., 12.]))
add("seed bools", torch.tensor([True, True, True, True]))
add("seed int sum keepdim", torch.arange(24).reshape(2, 3, 4).sum(0, keepdim=True))
add("seed 276", torch.tensor(276.))
add("seed 1.1046", torch.tensor([[1.1046]]), "requires_grad")
add("seed mean 18", torch.tensor(18.), "MeanBackward0")
add("seed negative aligned", torch.tensor([-790.8533, 793.1236, 307.1018]), "MulBackward0")
add("seed arange 3d", torch.arange(24).reshape(2, 3, 4))
add("seed int 3x8", torch.arange(24).reshape(3, 8))
add("seed float 3x8", torch.arange(24.).reshape(3, 8))
add("zero-d float", torch.tensor(3.25))
add("zero-d int", torch.tensor(7))
add("zero-d bool", torch.tensor(False))
add("empty", torch.tensor([]))
add("empty 0x3", torch.zeros(0, 3))
add("empty int", torch.zeros(0, dtype=torch.int64))
add("empty float64", torch.zeros(0, dtype=torch.float64))
add("float64", torch.tensor([1.5, 2.25], dtype=torch.float64))
add("float64 requires grad", torch.tensor([1.5, 2.25], dtype=torch.float64), "requires_grad")
add("nan inf", torch.tensor([float("nan"), float("inf"), -float("inf"), 1.5]))
add("nan inf ints", torch.tensor([float("nan"), float("inf"), 2.0]))
add("all zeros", torch.zeros(3))
add("small values sci", torch.tensor([1e-5, 0.5]))
add("large values sci", torch.tensor([1e9, 1.5]))
add("large ints sci", torch.tensor([1e9, 1.]))
add("ratio ints sci", torch.tensor([1., 2000.]))
add("negative zero", torch.tensor([-0.0, 1.0]))
add("mixed signs", torch.tensor([[-1.5, 2.25], [3.125, -4.0625]]))
add("randn 3x4", torch.randn(3, 4))
add("randn float64", torch.randn(2, 3, dtype=torch.float64))
add("long row wraps", torch.arange(30.) / 7)
add("long int row wraps", torch.arange(40) * 1000)
add("summarised 1d", torch.arange(2000.))
add("summarised 2d", torch.ones(100, 100))
add("summarised 3d", torch.zeros(20, 30, 40))
add("summarised int", torch.arange(5000).reshape(50, 100))
add("wide rows wrap with grad", torch.arange(20.).reshape(2, 10) / 3, "AddBackward0")
add("bool 2d", torch.tensor([[True, False], [False, True]]))
add("negative ints", torch.tensor([-10, 5, 300]))
add("4d", torch.arange(16.).reshape(2, 2, 2, 2))
add("long suffix wraps", torch.arange(12.).reshape(1, 12) * 1.5, "SomeVeryLongBackwardFunctionNameThatPushesTheLine0")

import os
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "format_cases.json"), "w") as f:
    json.dump(cases, f, indent=1)
print(len(cases), "cases")
