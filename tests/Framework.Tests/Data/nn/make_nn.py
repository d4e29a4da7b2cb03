# Reference values for Framework.NN losses and layers, computed by PyTorch (Debian's python3-torch):
#   /usr/bin/python3 make_nn.py
# Writes nn_cases.json: inputs, outputs and input gradients for fixed float64 inputs and a fixed upstream gradient.
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

rng = np.random.default_rng(7)
cases = []


def t(a, grad=True):
    return torch.tensor(np.asarray(a), dtype=torch.float64, requires_grad=grad)


def flat(x):
    return [float(v) for v in x.detach().reshape(-1).tolist()]


def add(name, fn, inputs, extra=None):
    ins = [t(a) if np.asarray(a).dtype.kind == "f" else torch.tensor(np.asarray(a)) for a in inputs]
    out = fn(*ins)
    up = torch.tensor(rng.uniform(0.5, 1.5, size=out.shape).round(3), dtype=torch.float64)
    out.backward(up)
    case = {
        "name": name,
        "inputs": [{"shape": list(i.shape), "values": flat(i) if i.dtype.is_floating_point else [int(v) for v in i.reshape(-1).tolist()],
                    "dtype": "Float64" if i.dtype.is_floating_point else "Int64"} for i in ins],
        "output": {"shape": list(out.shape), "values": flat(out)},
        "upstream": flat(up),
        "grads": [flat(i.grad) if i.dtype.is_floating_point and i.grad is not None else None for i in ins],
        "grad_fn": type(out.grad_fn).__name__,
    }
    if extra:
        case.update(extra)
    cases.append(case)


x = rng.normal(size=(4, 3)).round(4)
y = rng.normal(size=(4, 3)).round(4)
logits = rng.normal(size=(5, 4)).round(4) * 2
targets = np.array([0, 3, 1, 1, 2])
probs = rng.uniform(0.05, 0.95, size=(4, 3)).round(4)
bin_t = rng.integers(0, 2, size=(4, 3)).astype(np.float64)
soft_t = rng.dirichlet(np.ones(4), size=5).round(4)
weights = np.array([0.5, 2.0, 1.0, 1.5])

for red in ("mean", "sum", "none"):
    add(f"mse {red}", lambda a, b, r=red: F.mse_loss(a, b, reduction=r), [x, y])
    add(f"l1 {red}", lambda a, b, r=red: F.l1_loss(a, b, reduction=r), [x, y])
    add(f"nll {red}", lambda a, b, r=red: F.nll_loss(a, b, reduction=r), [np.log(soft_t), targets])
    add(f"cross_entropy {red}", lambda a, b, r=red: F.cross_entropy(a, b, reduction=r), [logits, targets])
    add(f"cross_entropy probs {red}", lambda a, b, r=red: F.cross_entropy(a, b, reduction=r), [logits, soft_t])
    add(f"bce {red}", lambda a, b, r=red: F.binary_cross_entropy(a, b, reduction=r), [probs, bin_t])
    add(f"bce_logits {red}", lambda a, b, r=red: F.binary_cross_entropy_with_logits(a, b, reduction=r), [x * 3, bin_t])

add("cross_entropy ignore_index", lambda a, b: F.cross_entropy(a, b, ignore_index=1), [logits, targets])
add("cross_entropy label_smoothing", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.2), [logits, targets])
add("cross_entropy label_smoothing sum", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.2, reduction="sum"), [logits, targets])
add("cross_entropy label_smoothing ignore", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.1, ignore_index=3), [logits, targets])
add("cross_entropy weight", lambda a, b: F.cross_entropy(a, b, weight=torch.tensor(weights)), [logits, targets])
add("cross_entropy weight smoothing", lambda a, b: F.cross_entropy(a, b, weight=torch.tensor(weights), label_smoothing=0.3), [logits, targets])
add("cross_entropy probs smoothing", lambda a, b: F.cross_entropy(a, b, label_smoothing=0.25), [logits, soft_t])
add("cross_entropy 3d", lambda a, b: F.cross_entropy(a, b), [rng.normal(size=(2, 4, 3)).round(4), np.array([[0, 3, 1], [2, 2, 0]])])
add("cross_entropy unbatched", lambda a, b: F.cross_entropy(a, b), [logits[0], np.array(2)])
add("cross_entropy large logits", lambda a, b: F.cross_entropy(a, b), [np.array([[1000.0, -1000.0, 0.0], [-500.0, 500.0, 499.0]]), np.array([1, 2])])
add("nll weight", lambda a, b: F.nll_loss(a, b, weight=torch.tensor(weights)), [np.log(soft_t), targets])
add("bce_logits pos_weight", lambda a, b: F.binary_cross_entropy_with_logits(a, b, pos_weight=torch.tensor([1.0, 3.0, 0.5], dtype=torch.float64)), [x * 3, bin_t])
add("bce_logits large", lambda a, b: F.binary_cross_entropy_with_logits(a, b), [np.array([[200.0, -200.0, 0.0]]), np.array([[0.0, 1.0, 1.0]])])

w = rng.normal(size=(2, 3)).round(4)
b = rng.normal(size=(2,)).round(4)
add("linear", lambda a, ww, bb: F.linear(a, ww, bb), [x, w, b])
add("linear 3d input", lambda a, ww, bb: F.linear(a, ww, bb), [rng.normal(size=(2, 4, 3)).round(4), w, b])
add("linear no bias", lambda a, ww: F.linear(a, ww), [x, w])

emb = rng.normal(size=(5, 3)).round(4)
add("embedding", lambda idx, ww: F.embedding(idx, ww), [np.array([[0, 4, 1], [1, 1, 3]]), emb])

bn_x = rng.normal(size=(6, 3)).round(4) * 2 + 1
rm, rv = torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64)
add("batch_norm train", lambda a, g, bb: F.batch_norm(a, rm, rv, g, bb, training=True, momentum=0.1, eps=1e-5),
    [bn_x, np.array([1.0, 0.5, 2.0]), np.array([0.0, 0.1, -0.2])])
cases[-1]["running_mean"] = flat(rm)
cases[-1]["running_var"] = flat(rv)
add("batch_norm train 3d", lambda a: F.batch_norm(a, None, None, training=True), [rng.normal(size=(2, 3, 4)).round(4)])
add("batch_norm eval", lambda a: F.batch_norm(a, torch.tensor([0.5, -1.0, 0.0], dtype=torch.float64),
                                              torch.tensor([2.0, 0.5, 1.0], dtype=torch.float64), training=False), [bn_x])

img = rng.normal(size=(2, 3, 5, 6)).round(4)
cw = rng.normal(size=(4, 3, 3, 3)).round(4)
cb = rng.normal(size=(4,)).round(4)
add("conv2d", lambda a, ww, bb: F.conv2d(a, ww, bb), [img, cw, cb])
add("conv2d stride 2 padding 1", lambda a, ww, bb: F.conv2d(a, ww, bb, stride=2, padding=1), [img, cw, cb])
add("conv2d no bias 1x1", lambda a, ww: F.conv2d(a, ww), [img, rng.normal(size=(2, 3, 1, 1)).round(4)])
add("max_pool2d", lambda a: F.max_pool2d(a, 2), [img])
add("max_pool2d stride 1", lambda a: F.max_pool2d(a, 3, stride=1), [img])
add("batch_norm 2d", lambda a: F.batch_norm(a, None, None, training=True), [img])
add("conv2d rect kernel stride padding dilation", lambda a, ww, bb: F.conv2d(a, ww, bb, stride=(2, 1), padding=(1, 0), dilation=(2, 1)),
    [img, rng.normal(size=(4, 3, 3, 2)).round(4), cb])
add("conv2d depthwise groups 3", lambda a, ww, bb: F.conv2d(a, ww, bb, groups=3), [img, rng.normal(size=(6, 1, 3, 3)).round(4), rng.normal(size=(6,)).round(4)])
add("conv2d groups 3 dilation 2 padding 2", lambda a, ww: F.conv2d(a, ww, padding=2, dilation=2, groups=3), [img, rng.normal(size=(3, 1, 2, 2)).round(4)])
add("max_pool2d padding 1", lambda a: F.max_pool2d(a, 3, stride=2, padding=1), [-np.abs(img)])
add("max_pool2d rect stride padding dilation", lambda a: F.max_pool2d(a, (3, 2), stride=(2, 1), padding=(1, 1), dilation=2), [img])
add("max_pool2d ceil", lambda a: F.max_pool2d(a, 2, ceil_mode=True), [img])
add("max_pool2d ceil stride 2 padding 1", lambda a: F.max_pool2d(a, 3, stride=2, padding=1, ceil_mode=True), [-np.abs(img)])
add("max_pool2d ceil rect", lambda a: F.max_pool2d(a, (2, 4), stride=(3, 2), ceil_mode=True), [img])
add("avg_pool2d", lambda a: F.avg_pool2d(a, 2), [img])
add("avg_pool2d stride 2 padding 1", lambda a: F.avg_pool2d(a, 3, stride=2, padding=1), [img])
add("avg_pool2d padding not counted", lambda a: F.avg_pool2d(a, 3, stride=2, padding=1, count_include_pad=False), [img])
add("avg_pool2d ceil padding", lambda a: F.avg_pool2d(a, 3, stride=2, padding=1, ceil_mode=True), [img])
add("avg_pool2d ceil padding not counted", lambda a: F.avg_pool2d(a, 2, stride=2, padding=1, ceil_mode=True, count_include_pad=False), [img])
add("avg_pool2d rect divisor override", lambda a: F.avg_pool2d(a, (3, 2), stride=(2, 1), padding=(1, 1), divisor_override=5), [img])
add("adaptive_avg_pool2d 1", lambda a: F.adaptive_avg_pool2d(a, 1), [img])
add("adaptive_avg_pool2d 2x4", lambda a: F.adaptive_avg_pool2d(a, (2, 4)), [img])
add("adaptive_avg_pool2d 3x4", lambda a: F.adaptive_avg_pool2d(a, (3, 4)), [img])
add("adaptive_avg_pool2d 5x3", lambda a: F.adaptive_avg_pool2d(a, (5, 3)), [img])

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_cases.json"), "w") as f:
    json.dump(cases, f)
print(len(cases), "cases")
