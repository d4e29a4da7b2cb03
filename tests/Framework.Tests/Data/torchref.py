"""Shared by the make_*.py scripts that record PyTorch's own results for the C# reference tests (ReferenceCases.cs).

A script makes one Recorder with its seed, calls rec.case(name, fn, *inputs) for each computation and rec.write(path).
Every case records fixed inputs (numpy draws rounded to 4 decimals, or values written by hand), the output, and when
the output requires grad: type(out.grad_fn).__name__, a fixed non-trivial upstream gradient and each input's gradient.
Values are flat row-major lists; NaN and ±inf are written as the strings "nan", "inf", "-inf" (JSON has no literal).
Float32 values are written as the shortest decimal that reads back as the same double, which is exactly the float32.
"""
import json
import math

import numpy as np
import torch

F64, F32 = torch.float64, torch.float32


def long(values):
    """An Int64 tensor (an index, a label): used as given, never requiring grad."""
    return torch.tensor(values, dtype=torch.int64)


def boolean(values):
    """A Bool tensor (a mask): used as given."""
    return torch.tensor(values, dtype=torch.bool)


def _number(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def encode(t):
    t = t.detach()
    if t.dtype in (F64, F32):
        values = [_number(float(v)) for v in t.reshape(-1).tolist()]
    elif t.dtype == torch.int64:
        values = [int(v) for v in t.reshape(-1).tolist()]
    else:
        values = [bool(v) for v in t.reshape(-1).tolist()]
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "values": values}


class Recorder:
    """The cases of one JSON file, drawn from one numpy generator."""

    def __init__(self, generator, seed):
        self.generator, self.seed = generator, seed
        self.rng = np.random.default_rng(seed)
        self.cases = []

    def randn(self, *shape, scale=1.0):
        return (self.rng.standard_normal(shape) * scale).round(4)

    def positive(self, *shape, low=0.5, high=2.5):
        return self.rng.uniform(low, high, shape).round(4)

    def upstream_like(self, out):
        """Fixed, non-trivial upstream gradient (never all ones, no zeros)."""
        n = out.numel()
        values = self.rng.uniform(0.25, 1.75, n).round(3) * np.where(self.rng.random(n) < 0.3, -1.0, 1.0)
        return torch.tensor(values, dtype=out.dtype).reshape(out.shape)

    def case(self, name, fn, *inputs, dtype=F64, grad_fn=True):
        """inputs: numpy arrays / lists (float of dtype, requiring grad) or torch tensors (used as given)."""
        tensors = [x if isinstance(x, torch.Tensor) else torch.tensor(np.asarray(x, dtype=np.float64), dtype=dtype, requires_grad=True)
                   for x in inputs]
        out = fn(*tensors)
        record = {"name": name, "dtype": str(dtype).replace("torch.", ""),
                  "inputs": [dict(encode(t), requires_grad=t.requires_grad) for t in tensors], "output": encode(out)}
        if out.requires_grad:
            if grad_fn:
                record["grad_fn"] = type(out.grad_fn).__name__
            up = self.upstream_like(out)
            out.backward(up)
            record["upstream"] = encode(up)
            record["grads"] = [encode(t.grad) if t.requires_grad and t.grad is not None else None for t in tensors]
        self.cases.append(record)

    def write(self, path):
        """One case per line: compact, yet diffs stay readable."""
        with open(path, "w") as f:
            header = json.dumps({"generator": self.generator, "torch_version": torch.__version__, "numpy_seed": self.seed})
            f.write(header[:-1] + ', "cases": [\n')
            f.write(",\n".join(json.dumps(c) for c in self.cases))
            f.write("\n]}\n")
        print(f"{len(self.cases)} cases written with torch {torch.__version__}")
