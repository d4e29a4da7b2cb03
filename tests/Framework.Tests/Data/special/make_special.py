#!/usr/bin/python3
"""Builds the special-function reference files, computed by PyTorch itself:

- special_cases.json: erf, erfc, erfinv, lgamma, digamma, polygamma and gelu (both modes): values, input gradients for a
  fixed upstream gradient and grad_fn names, in Float64 and Float32, integer inputs, and second derivatives (the
  gradient taken with create_graph=True, then differentiated again).
- special_accuracy.json: forward values only, over wide ranges and at the edges (±0, ±1, poles, ±inf, NaN), for the
  C# side to hold MathNet.Numerics to PyTorch's accuracy in Float64. Where PyTorch 1.13 is not accurate itself (checked
  against mpmath: erfinv near ±1 is off by up to 6e-5 (1e-12 at 1 − 1e-4), trigamma by up to 5e-10, digamma near its root 1.4616
  by up to 4e-10 relative) the cases named *_mpmath hold 50-digit mpmath values instead.

Run with Debian's PyTorch:  /usr/bin/python3 make_special.py   (the JSON is committed; the C# tests never need Python).
The C# side (Special/SpecialReferenceTests.cs) writes the same computation in our API under each case's name.
"""
import os
import sys

import mpmath
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from torchref import F32, F64, Recorder, long  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
INF, NAN = float("inf"), float("nan")


def grad_of(fn):
    """x -> d(sum fn(x))/dx with create_graph=True: its own backward is fn's second derivative."""
    def run(x):
        g, = torch.autograd.grad(fn(x).sum(), x, create_graph=True)
        return g
    return run


def exact(fn):
    """Elementwise fn in 50-digit mpmath, rounded to float64: the truth where PyTorch itself is not accurate."""
    mpmath.mp.dps = 50
    return lambda x: torch.tensor([float(fn(mpmath.mpf(v))) for v in x.tolist()], dtype=x.dtype)


def fixed(values, dtype=F64):
    """A tensor used as given, not requiring grad (edge values: no gradient recorded)."""
    return torch.tensor(values, dtype=dtype)


# ---- values and gradients -------------------------------------------------------------------------
rec = Recorder("make_special.py", 20261212)
randn, positive, case = rec.randn, rec.positive, rec.case

case("erf", torch.erf, randn(3, 4, scale=1.5))
case("erf_float32", torch.erf, randn(2, 5), dtype=F32)
case("erf_transposed", lambda x: torch.erf(x.t()), randn(3, 2))
case("erfc", torch.erfc, randn(3, 4, scale=2.0))
case("erfc_float32", torch.erfc, randn(6), dtype=F32)
case("erfc_large", torch.erfc, [5.0, 10.0, 20.0, 26.5])
case("erfinv", torch.erfinv, rec.rng.uniform(-0.99, 0.99, (3, 4)).round(4))
case("erfinv_float32", torch.erfinv, rec.rng.uniform(-0.99, 0.99, 6).round(4), dtype=F32)
case("erfinv_near_one", torch.erfinv, [0.999, -0.9999, 0.99999])
case("lgamma", torch.lgamma, positive(3, 4, low=0.1, high=8.0))
case("lgamma_negative", torch.lgamma, [-0.5, -1.3, -2.7, -3.5, -10.25])
case("lgamma_float32", torch.lgamma, positive(6, low=0.1, high=8.0), dtype=F32)
case("lgamma_near_one_two", torch.lgamma, [0.9, 0.999, 1.0001, 1.2, 1.9, 1.99999, 2.001, 2.2])
case("digamma", torch.digamma, positive(3, 4, low=0.1, high=8.0))
case("digamma_negative", torch.digamma, [-0.5, -1.3, -2.7, -3.5, -10.25])
case("digamma_float32", torch.digamma, positive(6, low=0.1, high=8.0), dtype=F32)
case("digamma_large", torch.digamma, [15.0, 100.5, 1e4, 1e8])
case("polygamma1", lambda x: torch.polygamma(1, x), positive(2, 3, low=0.1, high=8.0))
case("polygamma2", lambda x: torch.polygamma(2, x), positive(2, 3, low=0.1, high=8.0))
case("polygamma3_negative", lambda x: torch.polygamma(3, x), [-0.5, -1.3, -2.7, 0.25, 4.0])
case("polygamma0", lambda x: torch.polygamma(0, x), positive(4, low=0.1, high=8.0))
case("polygamma1_negative", lambda x: torch.polygamma(1, x), [-0.5, -1.3, -2.7, -3.5, -10.25])
# integer and Bool inputs promote to float32 (no gradient)
case("erf_int64", torch.erf, long([-2, -1, 0, 1, 3]))
case("lgamma_int64", torch.lgamma, long([1, 2, 3, 10, 0, -1]))
case("digamma_int64", torch.digamma, long([1, 2, 3, 10]))
case("erfinv_int64", torch.erfinv, long([-1, 0, 1, 2]))
case("erfc_bool", torch.erfc, torch.tensor([True, False]))
# second derivatives: the create_graph gradient, differentiated again
case("erf_second", grad_of(torch.erf), randn(5))
case("erfc_second", grad_of(torch.erfc), randn(5))
case("erfinv_second", grad_of(torch.erfinv), rec.rng.uniform(-0.9, 0.9, 5).round(4))
case("lgamma_second", grad_of(torch.lgamma), positive(5, low=0.2, high=6.0))
case("digamma_second", grad_of(torch.digamma), positive(5, low=0.2, high=6.0))
case("polygamma2_second", grad_of(lambda x: torch.polygamma(2, x)), positive(5, low=0.2, high=6.0))
# GELU
case("gelu", F.gelu, randn(3, 4, scale=2.0))
case("gelu_tanh", lambda x: F.gelu(x, approximate="tanh"), randn(3, 4, scale=2.0))
case("gelu_float32", F.gelu, randn(2, 5, scale=2.0), dtype=F32)
case("gelu_tanh_float32", lambda x: F.gelu(x, approximate="tanh"), randn(2, 5, scale=2.0), dtype=F32)
case("gelu_transposed", lambda x: F.gelu(x.t()), randn(3, 2))
case("gelu_large", F.gelu, [-40.0, -8.0, -0.0, 0.0, 8.0, 40.0])
case("gelu_tanh_large", lambda x: F.gelu(x, approximate="tanh"), [-40.0, -8.0, -0.0, 0.0, 8.0, 40.0])
case("gelu_module", torch.nn.GELU(), randn(2, 3))
case("gelu_module_tanh", torch.nn.GELU("tanh"), randn(2, 3))
case("gelu_second", grad_of(F.gelu), randn(6, scale=2.0))
case("gelu_tanh_second", grad_of(lambda x: F.gelu(x, approximate="tanh")), randn(6, scale=2.0))
rec.write(os.path.join(HERE, "special_cases.json"))

# ---- accuracy: forward values over wide ranges and the edges ---------------------------------------
acc = Recorder("make_special.py", 20261213)
r = acc.rng
case = acc.case
edges = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN]
case("acc_erf", torch.erf, fixed(np.concatenate([r.uniform(-6, 6, 200), np.geomspace(1e-300, 1e-1, 30), edges])))
case("acc_erfc", torch.erfc, fixed(np.concatenate([r.uniform(-6, 27, 200), np.geomspace(1e-300, 1e-1, 30), edges])))
case("acc_erfinv", torch.erfinv, fixed(np.concatenate([r.uniform(-1, 1, 200), np.geomspace(1e-300, 1e-1, 30),
                                                       edges, [1.5, -1.5, 1 + 2e-16]])))
case("acc_erfinv_near_one_mpmath", exact(mpmath.erfinv), fixed(np.concatenate([1 - np.geomspace(1.2e-16, 1e-1, 40), np.geomspace(1.2e-16, 1e-1, 20) - 1])))
case("acc_lgamma", torch.lgamma, fixed(np.concatenate([r.uniform(0, 30, 200), np.geomspace(1e-300, 1e-1, 30), np.geomspace(30, 1e300, 30),
                                                       r.uniform(-30, 0, 100), edges, [-2.0, -3.0, -100.0, 2.0, 3.0]])))
case("acc_lgamma_near_zeros", torch.lgamma, fixed(np.concatenate([1 + np.geomspace(1e-15, 0.2, 20), 1 - np.geomspace(1e-15, 0.2, 20),
                                                                  2 + np.geomspace(1e-15, 0.2, 20), 2 - np.geomspace(1e-15, 0.2, 20)])))
case("acc_digamma", torch.digamma, fixed(np.concatenate([r.uniform(0, 30, 200), np.geomspace(1e-300, 1e-1, 30), np.geomspace(30, 1e300, 30),
                                                        r.uniform(-30, 0, 100) + 1e-3, edges, [-2.0, -3.0, -100.0, 10.0, -100.5, -1e6 - 0.5]])))
case("acc_digamma_near_root_mpmath", exact(mpmath.digamma), fixed(1.4616321449683623 + np.geomspace(1e-6, 1e-1, 20) * np.tile([1, -1], 10)))
case("acc_polygamma1_mpmath", exact(lambda v: mpmath.psi(1, v)), fixed(np.concatenate([r.uniform(0, 30, 100), np.geomspace(1e-10, 1e-1, 10),
                                                                            np.geomspace(30, 1e10, 10), r.uniform(-30, 0, 50) + 1e-3])))
case("acc_polygamma1_edges", lambda x: torch.polygamma(1, x), fixed([0.0, -0.0, INF, NAN]))
case("acc_polygamma2", lambda x: torch.polygamma(2, x), fixed(np.concatenate([r.uniform(0, 30, 100), np.geomspace(1e-10, 1e-1, 10),
                                                                            np.geomspace(30, 1e10, 10), r.uniform(-30, 0, 50) + 1e-3, [0.0, -1.0, NAN]])))
case("acc_polygamma5", lambda x: torch.polygamma(5, x), fixed(np.concatenate([r.uniform(0, 30, 50), r.uniform(-10, 0, 20) + 1e-3, [0.0]])))
acc.write(os.path.join(HERE, "special_accuracy.json"))
