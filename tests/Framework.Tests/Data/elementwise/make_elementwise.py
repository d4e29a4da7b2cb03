#!/usr/bin/python3
"""Builds elementwise_cases.json: PyTorch's forward values, input gradients and grad_fn names for the elementwise families
(rounding, exponentials and logarithms, trigonometric and hyperbolic functions, atan2, minimum/maximum).

Run with Debian's PyTorch 1.13:  /usr/bin/python3 make_elementwise.py
(the JSON is committed; tests/Framework.Tests/Autograd/ElementwiseTests.cs reads it and never needs Python).

A case names an op ("op", plus "decimals" for round), its inputs (float inputs require grad; "transpose": the inputs are
transposed before the op, to check non-contiguous views), the output, type(out.grad_fn).__name__, a fixed non-trivial
upstream gradient and the gradient of every input. Values are flat row-major lists; NaN and infinities are the strings
"nan", "inf", "-inf". Float32 values are written as the double they hold (exact).
"""
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, encode, long  # noqa: E402

I64 = torch.int64
rec = Recorder("make_elementwise.py", 20261203)
randn, upstream_like = rec.randn, rec.upstream_like


def uniform(low, high, *shape):
    return rec.positive(*shape, low=low, high=high)


FUNCS = {
    "floor": torch.floor, "ceil": torch.ceil, "round": torch.round, "trunc": torch.trunc, "frac": torch.frac,
    "rsqrt": torch.rsqrt, "log1p": torch.log1p, "expm1": torch.expm1, "log2": torch.log2, "log10": torch.log10,
    "tan": torch.tan, "tanh": torch.tanh, "sinh": torch.sinh, "cosh": torch.cosh, "asin": torch.asin, "acos": torch.acos, "atan": torch.atan,
    "asinh": torch.asinh, "acosh": torch.acosh, "atanh": torch.atanh,
    "atan2": torch.atan2, "minimum": torch.minimum, "maximum": torch.maximum,
}
cases = rec.cases
names = set()


def case(name, op, *inputs, dtype=F64, transpose=False, decimals=None):
    """inputs: numpy arrays / lists (float of `dtype`, requiring grad) or torch tensors (used as given)."""
    assert name not in names, name
    names.add(name)
    tensors = [x if isinstance(x, torch.Tensor)
               else torch.tensor(np.asarray(x, dtype=np.float64), dtype=dtype, requires_grad=True) for x in inputs]
    args = [t.t() if transpose else t for t in tensors]
    out = torch.round(args[0], decimals=decimals) if decimals is not None else FUNCS[op](*args)
    record = {"name": name, "op": op, "transpose": transpose,
              "inputs": [dict(encode(t), requires_grad=t.requires_grad) for t in tensors], "output": encode(out)}
    if decimals is not None:
        record["decimals"] = decimals
    if out.requires_grad:
        record["grad_fn"] = type(out.grad_fn).__name__
        up = upstream_like(out)
        out.backward(up)
        record["upstream"] = encode(up)
        record["grads"] = [encode(t.grad) if t.requires_grad and t.grad is not None else None for t in tensors]
    cases.append(record)


HALVES = [-2.5, -1.5, -0.5, -0.0, 0.0, 0.5, 1.5, 2.5, 3.5, -3.7, 3.7, 0.49999999999999994, 1e15 + 0.5, -7.0, 123456.789]
DOMAINS = {   # op -> a generator of in-domain inputs
    "rsqrt": lambda *s: uniform(0.1, 9.0, *s), "log1p": lambda *s: uniform(-0.9, 5.0, *s),
    "expm1": lambda *s: randn(*s, scale=2.0), "log2": lambda *s: uniform(0.05, 20.0, *s),
    "log10": lambda *s: uniform(0.05, 200.0, *s), "tan": lambda *s: uniform(-1.4, 1.4, *s),
    "sinh": lambda *s: randn(*s, scale=2.0), "cosh": lambda *s: randn(*s, scale=2.0),
    "asin": lambda *s: uniform(-0.95, 0.95, *s), "acos": lambda *s: uniform(-0.95, 0.95, *s),
    "atan": lambda *s: randn(*s, scale=3.0), "asinh": lambda *s: randn(*s, scale=3.0),
    "acosh": lambda *s: uniform(1.05, 10.0, *s), "atanh": lambda *s: uniform(-0.95, 0.95, *s),
    "floor": lambda *s: randn(*s, scale=3.0), "ceil": lambda *s: randn(*s, scale=3.0),
    "round": lambda *s: randn(*s, scale=3.0), "trunc": lambda *s: randn(*s, scale=3.0), "frac": lambda *s: randn(*s, scale=3.0),
}

# --- every unary op: Float64, Float32, a transposed (non-contiguous) input, Int64 ------------------------------------------
for op, make in DOMAINS.items():
    case(f"{op}_f64", op, make(2, 3))
    case(f"{op}_f32", op, make(2, 3), dtype=F32)
    case(f"{op}_transposed", op, make(3, 4), transpose=True)
    case(f"{op}_scalar", op, make())
    if op != "frac":
        case(f"{op}_int64", op, long([1, 2, 3, 7]) if op not in ("asin", "acos", "atanh") else long([0, 1, -1, 0]))
# --- edge values ---------------------------------------------------------------------------------------------------------
for op in ("floor", "ceil", "round", "trunc", "frac"):
    case(f"{op}_halves_and_signed_zeros", op, HALVES)
    case(f"{op}_halves_f32", op, HALVES[:11], dtype=F32)
    case(f"{op}_nonfinite", op, [float("inf"), float("-inf"), float("nan"), 1.25])
for op in ("floor", "ceil", "round", "trunc"):
    case(f"{op}_int64_large", op, long([-(2 ** 62), 2 ** 53 + 1, 0, -5]))
case("round_empty", "round", np.zeros((0, 3)))
case("log1p_tiny", "log1p", [1e-10, -1e-8, 1e-300, 3e-17, -0.0, 0.0, -1.0])
case("log1p_tiny_f32", "log1p", [1e-10, -1e-8, 1e-30, 3e-7, 0.0], dtype=F32)
case("expm1_tiny", "expm1", [1e-10, -1e-8, 1e-300, 3e-17, -0.0, 0.0, 0.4999, -0.5001, 30.0, -40.0])
case("expm1_tiny_f32", "expm1", [1e-10, -1e-8, 1e-30, 3e-7, 0.0, 20.0], dtype=F32)
case("rsqrt_edges", "rsqrt", [0.0, 1e-300, 4.0, 1e300, float("inf")])
case("log2_powers", "log2", [0.5, 1.0, 2.0, 1024.0, 3.0, 0.0])
case("log10_powers", "log10", [0.001, 1.0, 10.0, 1e22, 2.0, 0.0])
case("asin_edges", "asin", [-1.0, 0.0, 1.0, 0.5, -0.25])
case("acos_edges", "acos", [-1.0, 0.0, 1.0, 0.5])
case("atanh_edges", "atanh", [-0.999, 0.0, 0.999, 1e-9])
case("sinh_large", "sinh", [-50.0, 1e-9, 0.0, 300.0])
case("cosh_large", "cosh", [-50.0, 1e-9, 0.0, 300.0])
case("tan_near_pole", "tan", [1.5707, -1.5707, 3.0, 100.0])
case("atan_large", "atan", [-1e10, 1e-12, 0.0, 1e10])
case("asinh_large", "asinh", [-1e10, 1e-12, 0.0, 1e10])
case("acosh_edges", "acosh", [1.0, 1.0000001, 2.0, 1e10])
case("asin_int64_out_of_domain", "asin", long([2, -3, 1]))
# tiny arguments, where a formula like (e^x − e^−x)/2 loses every digit
TINY = [1e-9, -3e-7, 1e-4, -2.5e-3, 1e-12, 0.0]
for op in ("sinh", "tan", "tanh", "asin", "atan", "asinh", "atanh", "expm1", "log1p", "frac"):
    case(f"{op}_tiny_args", op, TINY)
    case(f"{op}_tiny_args_f32", op, TINY, dtype=F32)
case("cosh_tiny_args_f32", "cosh", TINY, dtype=F32)
case("acos_near_one", "acos", [1 - 1e-9, -1 + 1e-9, 0.999999, 1e-9])
case("acosh_near_one_f32", "acosh", [1.0001, 1.001, 1.5, 3.0], dtype=F32)
NEAR_ONE = [1 + 1e-7, 1 - 1e-7, 1 + 1e-12, 0.999, 1.0]
for op in ("log2", "log10"):
    case(f"{op}_near_one", op, NEAR_ONE)
    case(f"{op}_near_one_f32", op, NEAR_ONE[:2] + [0.999, 1.0], dtype=F32)
    case(f"{op}_wide_range_f32", op, [1e-30, 1e-5, 7.0, 1e20, 3e38], dtype=F32)
case("rsqrt_wide_range_f32", "rsqrt", [1e-30, 1e-5, 7.0, 1e20, 3e38], dtype=F32)
for op in ("sinh", "cosh"):
    case(f"{op}_overflow_f32", op, [-89.0, -20.0, 20.0, 88.0, 89.0], dtype=F32)
    case(f"{op}_wide_f64", op, [-700.0, -20.0, 0.3, 20.0, 68.24088643917747, 710.0])
for op in ("tan", "atan", "asinh"):
    case(f"{op}_wide_f32", op, [-1e5, -30.0, 0.3, 7.5, 1e5], dtype=F32)
    case(f"{op}_wide_f64", op, [-1e5, -30.0, 0.3, 7.5, 1e5])
# Bool promotes to Float32 like Int64; empty tensors keep their shape
for op in ("rsqrt", "log1p", "expm1", "sinh", "acos", "atan"):
    case(f"{op}_bool", op, torch.tensor([True, False, True]))
    case(f"{op}_empty", op, np.zeros((2, 0)))
case("atan2_bool", "atan2", torch.tensor([True, False, True]), torch.tensor([False, False, True]))
# --- round(decimals) -----------------------------------------------------------------------------------------------------
for d in (0, 1, 2, 3, -1, -2):
    case(f"round_decimals_{d}", "round", [1234.5678, -0.125, 0.125, 2.675, -2.5, 15.0, 25.0, 0.0, 1.005, 99.995],
         decimals=d)
    case(f"round_decimals_{d}_f32", "round", [1234.5678, -0.125, 0.125, 2.675, -2.5, 15.0, 25.0, 0.0], dtype=F32,
         decimals=d)
case("round_decimals_transposed", "round", randn(3, 4, scale=10.0), decimals=2, transpose=True)
# --- atan2 ---------------------------------------------------------------------------------------------------------------
case("atan2_f64", "atan2", randn(2, 3), randn(2, 3))
case("atan2_f32", "atan2", randn(2, 3), randn(2, 3), dtype=F32)
case("atan2_broadcast", "atan2", randn(3, 1), randn(1, 4))
case("atan2_broadcast_row", "atan2", randn(2, 3), randn(3))
case("atan2_transposed", "atan2", randn(3, 2), randn(3, 2), transpose=True)
case("atan2_quadrants", "atan2", [1.0, 1.0, -1.0, -1.0, 0.0, 2.0, -2.0], [1.0, -1.0, 1.0, -1.0, 3.0, 0.0, 0.0])
case("atan2_signed_zeros", "atan2", torch.tensor([0.0, -0.0, 0.0, -0.0], dtype=F64),
     torch.tensor([0.0, 0.0, -0.0, -0.0], dtype=F64))
case("atan2_infinities", "atan2", torch.tensor([float("inf"), 1.0, float("-inf"), float("inf")], dtype=F64),
     torch.tensor([1.0, float("inf"), float("-inf"), float("inf")], dtype=F64))
case("atan2_int64", "atan2", long([1, -2, 3, 0]), long([2, 2, -1, -5]))
case("atan2_int64_with_f64", "atan2", long([1, -2, 3]), torch.tensor([0.5, -1.5, 2.0], dtype=F64, requires_grad=True))
case("atan2_f32_with_f64", "atan2", torch.tensor(randn(3), dtype=F32, requires_grad=True),
     torch.tensor(randn(3), dtype=F64, requires_grad=True))
case("atan2_scalar_other", "atan2", randn(2, 2), torch.tensor(0.75, dtype=F64, requires_grad=True))
# --- minimum / maximum ---------------------------------------------------------------------------------------------------
for op in ("minimum", "maximum"):
    case(f"{op}_f64", op, randn(2, 3), randn(2, 3))
    case(f"{op}_f32", op, randn(2, 3), randn(2, 3), dtype=F32)
    case(f"{op}_broadcast", op, randn(3, 1), randn(1, 4))
    case(f"{op}_broadcast_3d", op, randn(2, 1, 3), randn(4, 1))
    case(f"{op}_transposed", op, randn(3, 2), randn(3, 2), transpose=True)
    case(f"{op}_ties", op, [1.0, 2.0, -3.0, 0.5, 0.0], [1.0, 1.0, -3.0, 0.75, 0.0])
    case(f"{op}_ties_broadcast", op, [[1.0, 2.0], [2.0, 3.0]], [2.0, 2.0])
    case(f"{op}_nan", op, [float("nan"), 1.0, float("nan"), 2.0], [1.0, float("nan"), float("nan"), -1.0])
    case(f"{op}_infinities", op, [float("inf"), float("-inf"), 1.0], [1.0, 1.0, float("inf")])
    case(f"{op}_int64", op, long([1, -5, 7, 3]), long([2, -6, 7, 0]))
    case(f"{op}_int64_broadcast", op, long([[1], [5]]), long([2, 3, 4]))
    case(f"{op}_bool", op, torch.tensor([True, False, True, False]), torch.tensor([True, True, False, False]))
    case(f"{op}_int64_with_f32", op, long([1, 5, -2]), torch.tensor([1.5, 2.0, -2.0], dtype=F32, requires_grad=True))
    case(f"{op}_f32_with_f64", op, torch.tensor(randn(3), dtype=F32, requires_grad=True),
         torch.tensor(randn(3), dtype=F64, requires_grad=True))
    case(f"{op}_f32_with_f64_scalar", op, torch.tensor(randn(3), dtype=F32, requires_grad=True),
         torch.tensor(0.1, dtype=F64, requires_grad=True))
    case(f"{op}_one_requires_grad", op, randn(2, 2), torch.tensor(randn(2, 2), dtype=F64))
    case(f"{op}_empty", op, np.zeros((0, 2)), randn(2))

rec.write(os.path.join(os.path.dirname(os.path.abspath(__file__)), "elementwise_cases.json"))
