#!/usr/bin/python3
"""Generate printoptions_cases.json: torch 1.13's str(t) after torch.set_printoptions(...), for Tensor.SetPrintOptions tests.

Run with Debian's python3-torch:  /usr/bin/python3 make_printoptions.py
Each case: name, options (the keyword arguments given to set_printoptions, after a reset to the default profile),
dtype, shape, values and suffixes as in make_format.py, expected.
"""
import json
import os

import torch

from make_format import DTYPES, grad_suffixes, values_of


def main():
    torch.manual_seed(77)
    f64 = torch.float64
    tensors = {
        "fixed": torch.tensor([[1.5, -2.25, 3.125]]),
        "randn": torch.randn(3, 4),
        "int_mode": torch.tensor([1., 10., 100.]),
        "int_mode_wide": torch.tensor([1., 10., 10000.]),
        "sci": torch.tensor([51.2, 512., 0.0512]),
        "float32_digits": torch.tensor([0.1, 1 / 3, 2.0 / 7]),
        "float64": torch.tensor([0.1, 1 / 3, -2.0 / 7], dtype=f64, requires_grad=True),
        "nonfinite": torch.tensor([float("nan"), 1.25, float("-inf"), 0.]),
        "zeros": torch.zeros(2, 3),
        "scalar": torch.tensor(3.14159265),
        "int64": torch.arange(20),
        "bool": torch.tensor([True, False, True]),
        "large": torch.randn(30, 40),
        "long_row": torch.randn(25),
    }
    configs = {
        "precision 2": dict(precision=2),
        "precision 0": dict(precision=0),
        "precision 6": dict(precision=6),
        "precision 10": dict(precision=10),
        "threshold 5 edgeitems 1": dict(threshold=5, edgeitems=1),
        "edgeitems 5": dict(edgeitems=5),
        "linewidth 40": dict(linewidth=40),
        "linewidth 120": dict(linewidth=120),
        "profile short": dict(profile="short"),
        "profile full": dict(profile="full"),
        "sci_mode true": dict(sci_mode=True),
        "sci_mode false": dict(sci_mode=False),
        "sci_mode true precision 2": dict(sci_mode=True, precision=2),
    }
    cases = []
    for cname, opts in configs.items():
        for tname, t in tensors.items():
            if tname == "large" and cname not in ("profile full", "threshold 5 edgeitems 1", "edgeitems 5", "profile short", "linewidth 120"):
                continue
            torch.set_printoptions(profile="default")
            torch.set_printoptions(**opts)
            try:
                expected = str(t)
            finally:
                torch.set_printoptions(profile="default")
            cases.append({
                "name": f"{cname} / {tname}",
                "options": opts,
                "dtype": DTYPES[t.dtype],
                "shape": list(t.shape),
                "values": values_of(t),
                "suffixes": grad_suffixes(t),
                "expected": expected,
            })
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "printoptions_cases.json"), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, indent=1)
    print(len(cases), "cases")


if __name__ == "__main__":
    main()
