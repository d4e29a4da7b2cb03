#!/usr/bin/python3
"""Builds schedules_cases.json: get_last_lr() after construction and after each step of LambdaLR and SequentialLR
(warm-up then cosine, and longer chains) in PyTorch 1.13, two groups with lr 0.1 and 0.05, for
Optim/ScheduleCompositionTests.cs. Run with Debian's PyTorch:  /usr/bin/python3 make_schedules.py
"""
import json
import math
import os

import torch
from torch.optim import lr_scheduler as L


def optimizer():
    w = torch.zeros(3, 2, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    return torch.optim.SGD([{"params": [w]}, {"params": [b], "lr": 0.05}], lr=0.1)


def record(name, make, steps=12):
    opt = optimizer()
    sched = make(opt)
    lrs = [list(sched.get_last_lr())]
    for _ in range(steps):
        opt.step()
        sched.step()
        lrs.append(list(sched.get_last_lr()))
    return {"name": name, "lrs": lrs}


cases = [
    record("warmup_linear_then_cosine", lambda o: L.SequentialLR(o, [L.LinearLR(o, 0.1, 1.0, 3), L.CosineAnnealingLR(o, 7, 1e-3)], [3])),
    record("lambda_warmup", lambda o: L.LambdaLR(o, lambda e: min(1.0, (e + 1) / 4))),
    record("lambda_per_group", lambda o: L.LambdaLR(o, [lambda e: 0.9 ** e, lambda e: 1 / (1 + e)])),
    record("three_schedulers", lambda o: L.SequentialLR(o, [L.ExponentialLR(o, 0.5), L.StepLR(o, 2, 0.3), L.LinearLR(o, 0.5, 1.0, 2)], [2, 5])),
    record("lambda_warmup_then_cosine", lambda o: L.SequentialLR(o, [L.LambdaLR(o, lambda e: (e + 1) / 3), L.CosineAnnealingLR(o, 5)], [3])),
    record("cosine_warm_restart_by_milestone", lambda o: L.SequentialLR(o, [L.CosineAnnealingLR(o, 4), L.CosineAnnealingLR(o, 4)], [5]), steps=10),
]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schedules_cases.json")
with open(path, "w") as f:
    json.dump({"generator": "make_schedules.py", "torch_version": torch.__version__, "cases": cases}, f, indent=1)
print(f"{len(cases)} cases written")
