"""Reference values for tests/Framework.Tests/Optim: optimizer trajectories and scheduler lr sequences from PyTorch.

Run with Debian's PyTorch (1.13): /usr/bin/python3 make_optim.py  -> writes optim_cases.json next to this script.
Every optimizer runs its single-tensor (for-loop) implementation (foreach=False).
"""
import json
import os
import warnings

import torch

torch.set_default_dtype(torch.float64)
warnings.filterwarnings("ignore")

# A fixed tiny least-squares problem: y = X @ W + b, loss = mean((y - Y)^2).
X = [[0.5, -1.0, 2.0], [1.5, 0.25, -0.5], [-1.0, 2.0, 0.75], [0.3, -0.7, 1.2]]
Y = [[1.0, -2.0], [0.5, 0.25], [-1.5, 2.0], [0.8, -0.3]]
W0 = [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.6]]
B0 = [0.05, -0.1]
STEPS = 10

OPTIMIZERS = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "AdamW": torch.optim.AdamW, "RMSprop": torch.optim.RMSprop}

# (name, optimizer, defaults, groups or None); groups: list of (param names, group options)
CASES = [
    ("sgd_plain", "SGD", {"lr": 0.1}, None),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}, None),
    ("sgd_dampening", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3}, None),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}, None),
    ("sgd_weight_decay", "SGD", {"lr": 0.1, "weight_decay": 0.1}, None),
    ("sgd_momentum_dampening_weight_decay", "SGD", {"lr": 0.05, "momentum": 0.8, "dampening": 0.1, "weight_decay": 0.05}, None),
    ("adam_plain", "Adam", {"lr": 0.05}, None),
    ("adam_amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}, None),
    ("adam_weight_decay", "Adam", {"lr": 0.05, "weight_decay": 0.1, "betas": [0.8, 0.99]}, None),
    ("adam_amsgrad_weight_decay", "Adam", {"lr": 0.02, "weight_decay": 0.2, "amsgrad": True, "eps": 1e-6}, None),
    ("adamw_default", "AdamW", {"lr": 0.05}, None),
    ("adamw_weight_decay", "AdamW", {"lr": 0.05, "weight_decay": 0.3, "betas": [0.85, 0.95]}, None),
    ("adamw_amsgrad", "AdamW", {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}, None),
    ("rmsprop_plain", "RMSprop", {"lr": 0.01}, None),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.01, "momentum": 0.9}, None),
    ("rmsprop_centered", "RMSprop", {"lr": 0.01, "centered": True}, None),
    ("rmsprop_weight_decay", "RMSprop", {"lr": 0.01, "weight_decay": 0.1, "alpha": 0.9}, None),
    ("rmsprop_momentum_centered_weight_decay", "RMSprop", {"lr": 0.005, "momentum": 0.5, "centered": True, "weight_decay": 0.05, "eps": 1e-5}, None),
    ("sgd_two_groups", "SGD", {"lr": 0.1, "momentum": 0.9}, [(["W"], {}), (["b"], {"lr": 0.01, "momentum": 0.5})]),
    ("adam_two_groups", "Adam", {"lr": 0.05}, [(["W"], {}), (["b"], {"lr": 0.005, "weight_decay": 0.1})]),
    ("adamw_two_groups", "AdamW", {"lr": 0.05}, [(["W"], {"lr": 0.02}), (["b"], {"weight_decay": 0.0})]),
    ("rmsprop_two_groups", "RMSprop", {"lr": 0.01}, [(["W"], {"lr": 0.02, "centered": True}), (["b"], {"momentum": 0.9})]),
    ("sgd_momentum_weight_decay_maximize", "SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.1, "maximize": True}, None),
    ("adam_amsgrad_maximize", "Adam", {"lr": 0.05, "amsgrad": True, "weight_decay": 0.1, "maximize": True}, None),
    ("adamw_maximize", "AdamW", {"lr": 0.05, "weight_decay": 0.3, "maximize": True}, None),
    ("rmsprop_centered_momentum_maximize", "RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "maximize": True}, None),
    ("sgd_two_groups_one_maximizing", "SGD", {"lr": 0.1}, [(["W"], {"maximize": True}), (["b"], {})]),
]


def run_case(opt_name, defaults, groups):
    W = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    x, y = torch.tensor(X), torch.tensor(Y)
    named = {"W": W, "b": b}
    kwargs = dict(defaults)
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    if groups is None:
        params = [W, b]
    else:
        params = [dict(params=[named[n] for n in names], **opts) for names, opts in groups]
    opt = OPTIMIZERS[opt_name](params, foreach=False, **kwargs)
    trajectory = []
    for _ in range(STEPS):
        opt.zero_grad()
        loss = ((x @ W + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        trajectory.append({"W": W.detach().flatten().tolist(), "b": b.detach().tolist()})
    return trajectory


def optimizer_cases():
    out = []
    for name, opt_name, defaults, groups in CASES:
        out.append({
            "name": name, "optimizer": opt_name, "options": defaults,
            "groups": None if groups is None else [{"params": names, "options": opts} for names, opts in groups],
            "trajectory": run_case(opt_name, defaults, groups),
        })
    return out


SCHED_STEPS = 15
LR_SCHEDULERS = [
    ("step_lr", "StepLR", {"step_size": 4, "gamma": 0.5}),
    ("step_lr_default_gamma", "StepLR", {"step_size": 3}),
    ("exponential_lr", "ExponentialLR", {"gamma": 0.9}),
    ("cosine_annealing_lr", "CosineAnnealingLR", {"T_max": 6, "eta_min": 0.001}),
    ("cosine_annealing_lr_long", "CosineAnnealingLR", {"T_max": 10}),
    ("linear_lr_warmup", "LinearLR", {"start_factor": 0.25, "end_factor": 1.0, "total_iters": 6}),
    ("linear_lr_decay", "LinearLR", {"start_factor": 1.0, "end_factor": 0.1, "total_iters": 8}),
]
METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]
PLATEAUS = [
    ("plateau_min_rel", {"patience": 2}, METRICS),
    ("plateau_min_abs", {"patience": 1, "threshold": 0.06, "threshold_mode": "abs", "factor": 0.5}, METRICS),
    ("plateau_max_rel", {"mode": "max", "patience": 2, "factor": 0.5}, [-m for m in METRICS]),
    ("plateau_max_abs", {"mode": "max", "patience": 1, "threshold": 0.06, "threshold_mode": "abs"}, [-m for m in METRICS]),
    ("plateau_cooldown_min_lr", {"patience": 1, "cooldown": 2, "factor": 0.5, "min_lr": 0.02}, METRICS),
    ("plateau_eps", {"patience": 0, "factor": 0.5, "eps": 0.02}, [1.0] * 12),
]


def make_optimizer():
    W = torch.tensor(W0, requires_grad=True)
    b = torch.tensor(B0, requires_grad=True)
    return torch.optim.SGD([{"params": [W]}, {"params": [b], "lr": 0.05}], lr=0.1)


def scheduler_cases():
    out = []
    for name, cls, kwargs in LR_SCHEDULERS:
        opt = make_optimizer()
        sched = getattr(torch.optim.lr_scheduler, cls)(opt, **kwargs)
        lrs = [sched.get_last_lr()]
        for _ in range(SCHED_STEPS):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr())
        out.append({"name": name, "scheduler": cls, "options": kwargs, "metrics": None, "lrs": lrs})
    for name, kwargs, metrics in PLATEAUS:
        opt = make_optimizer()
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, **kwargs)
        lrs = [[g["lr"] for g in opt.param_groups]]
        for m in metrics:
            opt.step()
            sched.step(m)
            lrs.append([g["lr"] for g in opt.param_groups])
        out.append({"name": name, "scheduler": "ReduceLROnPlateau", "options": kwargs, "metrics": metrics, "lrs": lrs})
    return out


def main():
    data = {
        "torch_version": torch.__version__,
        "problem": {"X": X, "Y": Y, "W0": W0, "b0": B0, "steps": STEPS},
        "optimizers": optimizer_cases(),
        "schedulers": scheduler_cases(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_cases.json")
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
        f.write("\n")
    print(f"wrote {path}: {len(data['optimizers'])} optimizer cases, {len(data['schedulers'])} scheduler cases")


if __name__ == "__main__":
    main()
