# PyTorch twin of Program.cs: the same workloads, timed the same way (per-call median over a time budget, median of rounds).
# Usage: /usr/bin/python3 bench.py [seconds per workload] [rounds]
import sys, time
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)
budget = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
torch.manual_seed(0)
x1 = torch.randn(64, 1, 28, 28)
x2 = torch.randn(64, 16, 14, 14, requires_grad=True)
xp = torch.randn(64, 16, 28, 28, requires_grad=True)
conv1, conv2, bn = nn.Conv2d(1, 16, 3, padding=1), nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(16)
g1, g2, gp = torch.randn(64, 16, 28, 28), torch.randn(64, 32, 14, 14), torch.randn(64, 16, 14, 14)
model = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 7 * 7, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
xs, ys = torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,))

# The GEMMs of the batched convolution alone (weights · patches, and the two gradient products of conv2).
wa1, ca1, wa2, ca2, ga2 = torch.randn(16, 9), torch.randn(9, 64 * 784), torch.randn(32, 144), torch.randn(144, 64 * 196), torch.randn(32, 64 * 196)

def nograd(f):
    def run():
        with torch.no_grad(): f()
    return run

def zero(*ts):
    for t in ts: t.grad = None

def conv2_step():
    conv2.zero_grad(); zero(x2); conv2(x2).backward(g2)

def pool_step():
    zero(xp); F.max_pool2d(xp, 2).backward(gp)

def bn_step():
    bn.zero_grad(); zero(xp); bn(xp).backward(g1)

def cnn_step():
    opt.zero_grad(); F.cross_entropy(model(xs), ys).backward(); opt.step()

def conv1_step():
    conv1.zero_grad(); conv1(x1).backward(g1)

work = [("conv1 fwd", nograd(lambda: conv1(x1))), ("conv1 fwd+bwd", conv1_step),
        ("conv2 fwd", nograd(lambda: conv2(x2))), ("conv2 fwd+bwd", conv2_step),
        ("maxpool fwd", nograd(lambda: F.max_pool2d(xp, 2))), ("maxpool fwd+bwd", pool_step),
        ("bn2d fwd", nograd(lambda: bn(xp))), ("bn2d fwd+bwd", bn_step),
        ("gemm conv1 fwd", lambda: wa1 @ ca1), ("gemm conv2 fwd", lambda: wa2 @ ca2),
        ("gemm conv2 dW", lambda: ga2 @ ca2.T), ("gemm conv2 dcols", lambda: wa2.T @ ga2),
        ("cnn step", cnn_step)]
results = [[] for _ in work]
for r in range(rounds):
    for i, (_, run) in enumerate(work):
        for _ in range(3): run()
        times, start = [], time.perf_counter()
        while time.perf_counter() - start < budget or len(times) < 5:
            t0 = time.perf_counter(); run(); times.append((time.perf_counter() - t0) * 1000)
        times.sort(); results[i].append(times[len(times) // 2])
for (name, _), m in zip(work, results):
    m.sort(); print(f"{name:<18} {m[len(m) // 2]:.3f}")
